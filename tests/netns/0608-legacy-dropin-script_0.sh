# 0510-dropin-script with the legacy x_tables backend, against
# iptables-legacy.
MK_BACKEND=legacy exec bash "$(dirname "$0")/0510-dropin-script_0.sh"
