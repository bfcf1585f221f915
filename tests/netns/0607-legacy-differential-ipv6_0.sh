# 0051-differential-ipv6 with the legacy x_tables backend, against iptables-legacy.
MK_BACKEND=legacy exec bash "$(dirname "$0")/0051-differential-ipv6_0.sh"
