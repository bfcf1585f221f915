# 0010-mark-target with the legacy x_tables backend, against iptables-legacy.
MK_BACKEND=legacy exec bash "$(dirname "$0")/0010-mark-target_0.sh"
