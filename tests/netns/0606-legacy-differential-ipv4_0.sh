# 0050-differential-ipv4 with the legacy x_tables backend, against iptables-legacy.
MK_BACKEND=legacy exec bash "$(dirname "$0")/0050-differential-ipv4_0.sh"
