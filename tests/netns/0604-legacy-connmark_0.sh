# 0030-connmark with the legacy x_tables backend, against iptables-legacy.
MK_BACKEND=legacy exec bash "$(dirname "$0")/0030-connmark_0.sh"
