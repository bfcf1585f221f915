# 0021-output-reroute with the legacy x_tables backend, against iptables-legacy.
MK_BACKEND=legacy exec bash "$(dirname "$0")/0021-output-reroute_0.sh"
