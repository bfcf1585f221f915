# Drop-in names: an unmodified mark script (per-interface marks, policy
# routing by fwmark, CONNMARK save/restore, user chains, IPv4 and IPv6,
# save/restore/translate round trips) runs once with the reference tools
# (iptables-nft, or iptables-legacy with MK_BACKEND=legacy) and once
# with a directory of links named iptables, ip6tables, iptables-save ...
# -> markctl first in PATH, each on its own router a - r - c.  The
# reference save output, the script's own outputs, and the packet
# behaviour (policy-routed pings that only work when marking works,
# counters and conntrack marks after the same traffic) must be identical.
. "$(dirname "$0")/lib.sh"
mk_need conntrack iptables-translate ip6tables-translate

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT

names="iptables ip6tables iptables-save ip6tables-save iptables-restore
ip6tables-restore iptables-translate ip6tables-translate"

# The reference: the same names for iptables 1.8.9 of the backend.
mkdir "$tmp/ref" "$tmp/dropin" "$tmp/s1" "$tmp/s2"
for n in $names; do
	case $n in
	*-translate) ln -s "$(command -v "$n")" "$tmp/ref/$n" ;;
	*-save|*-restore) ln -s "$(command -v "${n%%-*}-$MK_BACKEND-${n#*-}")" "$tmp/ref/$n" ;;
	*) ln -s "$(command -v "$n-$MK_BACKEND")" "$tmp/ref/$n" ;;
	esac
	# The stand-in script does not dispatch on its name: use the
	# reference names when validating this test with it.
	case $MARKCTL in
	*iptables-as-markctl) ln -s "$(readlink "$tmp/ref/$n")" "$tmp/dropin/$n" ;;
	*) ln -s "$MARKCTL" "$tmp/dropin/$n" ;;
	esac
done

cat >"$tmp/script" <<'EOF'
#!/bin/sh
# Router marks: LAN (to-a) traffic gets mark 1 and is routed by table 101,
# WAN (to-c) traffic mark 2, others 3; the mark follows the connection.
set -e
for ipt in iptables ip6tables; do
	$ipt -t mangle -N mark_in
	$ipt -t mangle -A PREROUTING -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
	$ipt -t mangle -A PREROUTING -m mark ! --mark 0x0/0xff -j RETURN
	$ipt -t mangle -A PREROUTING -j mark_in
	$ipt -t mangle -A mark_in -i to-a -j MARK --set-xmark 0x1/0xff
	$ipt -t mangle -A mark_in -i to-c -j MARK --set-mark 0x2/0xff
	$ipt -t mangle -A mark_in -m mark --mark 0x0/0xff -j MARK --set-mark 0x3/0xff
	$ipt -t mangle -A mark_in -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff
	# idempotent re-run, as scripts do it
	$ipt -t mangle -C mark_in -i to-a -j MARK --set-xmark 0x1/0xff ||
		$ipt -t mangle -A mark_in -i to-a -j MARK --set-xmark 0x1/0xff
	if ! $ipt -t mangle -C mark_in -i to-b -j MARK --set-xmark 0x4/0xff 2>/dev/null; then
		$ipt -t mangle -A mark_in -i to-b -j MARK --set-xmark 0x4/0xff
	fi
	$ipt -t mangle -A POSTROUTING -o to-c -m mark --mark 0x1/0xff -j MARK --or-mark 0x100
	$ipt -N fwd_count
	$ipt -A FORWARD -j fwd_count
	$ipt -A fwd_count -m mark --mark 0x1/0xff -m comment --comment "from LAN" -j RETURN
	$ipt -A fwd_count -m connmark --mark 0x2/0xff -m comment --comment "WAN flows"
	$ipt -A fwd_count -m mark --mark 0x2/0xff -m comment --comment "from WAN"
	$ipt -I fwd_count 1 -m mark --mark 0x9 -j DROP
	$ipt -R fwd_count 1 -m mark --mark 0x9 -j RETURN
	$ipt -D fwd_count -m mark --mark 0x9 -j RETURN
	$ipt -P FORWARD ACCEPT
done
iptables -t mangle -S > "$STATE/S"
ip6tables -t mangle -S >> "$STATE/S"
iptables -L fwd_count -n --line-numbers >> "$STATE/S"
# save, wipe, restore (the usual way to persist rules)
iptables-save > "$STATE/v4"
ip6tables-save > "$STATE/v6"
iptables -t mangle -F
iptables -t mangle -X mark_in
iptables-restore < "$STATE/v4"
ip6tables-restore < "$STATE/v6"
printf '*filter\n:extra - [0:0]\n-A extra -j RETURN\n-A INPUT -j extra\nCOMMIT\n' |
	iptables-restore --noflush
iptables-save -t filter >> "$STATE/v4"
iptables-translate -t mangle -A PREROUTING -i to-a -j MARK --set-mark 1 > "$STATE/xlate"
ip6tables-translate -A FORWARD -m connmark --mark 1 -j CONNMARK --save-mark >> "$STATE/xlate"
for fam in "" -6; do
	ip $fam rule add fwmark 0x1/0xff lookup 101
done
EOF

# side S: hosts aS - rS - cS, same interface names and addresses.
side()
{
	local s=$1

	mk_host "a$s" "r$s" "c$s"
	mk_link "r$s" to-a "a$s" to-r 0
	mk_link "r$s" to-c "c$s" to-r 1
	mk_router "r$s"
	mk_in "a$s" ip route add default via "$(mk_ip4 0 1)"
	mk_in "a$s" ip -6 route add default via "$(mk_ip6 0 1)"
	mk_in "c$s" ip route add default via "$(mk_ip4 1 1)"
	mk_in "c$s" ip -6 route add default via "$(mk_ip6 1 1)"
	# The service behind c is reachable from r only by table 101.
	mk_in "c$s" ip addr add 203.0.113.1/32 dev lo
	mk_in "c$s" ip -6 addr add 2001:db8:99::1/128 dev lo
	mk_in "r$s" ip route add 203.0.113.0/24 via "$(mk_ip4 1 2)" table 101
	mk_in "r$s" ip -6 route add 2001:db8:99::/64 via "$(mk_ip6 1 2)" table 101
}

side 1
side 2
mk_in r1 env PATH="$tmp/ref:$PATH" STATE="$tmp/s1" sh -e "$tmp/script" ||
	mk_fail "the script failed with $MK_REF"
mk_in r2 env PATH="$tmp/dropin:$PATH" STATE="$tmp/s2" sh -e "$tmp/script" ||
	mk_fail "the script failed through the drop-in names"

for f in S v4 v6 xlate; do
	mk_expect_eq "script output $f" \
		"$(grep -v '^#' "$tmp/s1/$f" | sed 's/ \[[0-9]*:[0-9]*\]$//')" \
		"$(grep -v '^#' "$tmp/s2/$f" | sed 's/ \[[0-9]*:[0-9]*\]$//')"
done
# Built-in chains count every packet (neighbour discovery too): their
# counters are left out.
ref_save() { mk_in "$1" "$2" | grep -v '^#' | sed 's/^\(:.*\) \[[0-9]*:[0-9]*\]$/\1/'; }
for t in "$MK_REF-save" "$MK_REF6-save"; do
	mk_expect_eq "$t after the script" "$(ref_save r1 $t)" "$(ref_save r2 $t)"
done

# udp_sink HOST PORT: a receiver, so no ICMP error (rate limited, hence
# not repeatable) answers the datagrams.
udp_sink()
{
	local i

	mk_in "$1" timeout 60 socat -u UDP6-RECV:"$2",ipv6only=0 /dev/null &
	MK_PIDS+=($!)
	for i in $(seq 50); do
		mk_in "$1" ss -Hlun "sport = :$2" | grep -q . && return 0
		sleep 0.1
	done
	mk_fail "udp receiver on $1:$2 did not start"
}

# The same traffic on both sides.
for s in 1 2; do
	udp_sink "c$s" 5000
	udp_sink "a$s" 6000
	mk_ping "a$s" 203.0.113.1 3
	mk_ping "a$s" 2001:db8:99::1 3
	mk_udp_flow "a$s" "$(mk_ip4 1 2)" 5000 5
	mk_udp_flow "a$s" "$(mk_ip6 1 2)" 5000 5
	mk_udp_flow "c$s" "$(mk_ip4 0 2)" 6000 4
	mk_udp_flow "c$s" "$(mk_ip6 0 2)" 6000 4
done
for f in 4 6; do
	tool=$(mk_ref $f)
	mk_expect_eq "IPv$f fwd_count counters" \
		"$(mk_in r1 $tool -L fwd_count -v -x -n)" \
		"$(mk_in r2 $tool -L fwd_count -v -x -n)"
	mk_expect_eq "IPv$f mangle POSTROUTING rule counters" \
		"$(mk_in r1 $tool -t mangle -L POSTROUTING -v -x -n | tail -n +2)" \
		"$(mk_in r2 $tool -t mangle -L POSTROUTING -v -x -n | tail -n +2)"
	for port in 5000 6000; do
		mk_expect_eq "IPv$f conntrack marks of port $port" \
			"$(mk_ctmarks r1 $f udp $port)" "$(mk_ctmarks r2 $f udp $port)"
	done
done
# Marking did happen (not two equally empty sides).
mk_expect_eq "conntrack marks from LAN" "1" "$(mk_ctmarks r2 4 udp 5000 | sort -u)"
mk_expect_eq "conntrack marks from WAN" "2" "$(mk_ctmarks r2 6 udp 6000 | sort -u)"
mk_done
