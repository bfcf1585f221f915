# 0020-fwmark-routing with the legacy x_tables backend, against iptables-legacy.
MK_BACKEND=legacy exec bash "$(dirname "$0")/0020-fwmark-routing_0.sh"
