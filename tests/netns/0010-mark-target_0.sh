# MARK --set-mark/--set-xmark/--and-mark/--or-mark/--xor-mark, IPv4 and
# IPv6: markctl marks UDP packets in b's mangle PREROUTING, one destination
# port per case (start value 0xf0f0 where an operation needs one); b's
# mangle INPUT counts, per port, packets whose mark is exactly the expected
# value, and (must be 0) those whose mark is not.
. "$(dirname "$0")/lib.sh"
mk_need conntrack

N=3	# datagrams per case

# port | first rule (start value) | operation under test | expected mark
cases='
1001||--set-mark 0x5|0x5
1002||--set-xmark 0x5|0x5
1003|--set-mark 0xf0f0|--set-xmark 0x0f/0xff|0xf00f
1004|--set-mark 0xf0f0|--set-xmark 0x100/0xff|0xf100
1005|--set-mark 0xf0f0|--set-mark 0x100/0xff|0xf100
1006|--set-mark 0xf0f0|--set-mark 0xa/0xf|0xf0fa
1007|--set-mark 0xf0f0|--and-mark 0xff00|0xf000
1008|--set-mark 0xf0f0|--or-mark 0x0f0f|0xffff
1009|--set-mark 0xf0f0|--xor-mark 0xff00|0xff0
1010||--set-mark 0xffffffff|0xffffffff
1011|--set-mark 7|--set-mark 0|0x0
1012|--set-mark 0xf0f0|--xor-mark 0|0xf0f0
1013||--set-xmark 10/0xffffffff|0xa
1014||--set-mark 010|0x8
'

run_family()
{
	local f=$1 dst six= port pre op want

	[ "$f" = 6 ] && six=-6
	dst=$( [ "$f" = 6 ] && mk_ip6 0 2 || mk_ip4 0 2)
	while IFS='|' read -r port pre op want; do
		[ -n "$port" ] || continue
		if [ -n "$pre" ]; then
			mk_run b $six -t mangle -A PREROUTING -p udp --dport "$port" -j MARK $pre
		fi
		mk_run b $six -t mangle -A PREROUTING -p udp --dport "$port" -j MARK $op
		mk_run b $six -t mangle -A INPUT -p udp --dport "$port" -m mark --mark "$want"
		mk_run b $six -t mangle -A INPUT -p udp --dport "$port" -m mark ! --mark "$want"
	done <<<"$cases"
	# Diagnostics: the reference tool keeps each packet's mark in conntrack.
	mk_in b "ip${six:+6}tables-$MK_BACKEND" -t mangle -A INPUT -j CONNMARK --save-mark

	while IFS='|' read -r port pre op want; do
		[ -n "$port" ] && mk_udp a "$dst" "$port" "$N"
	done <<<"$cases"

	local n=1
	while IFS='|' read -r port pre op want; do
		[ -n "$port" ] || continue
		local errs=${MK_ERRORS:-0}
		mk_expect_count b "$f" mangle INPUT $n "$N" "$op -> mark $want"
		mk_expect_count b "$f" mangle INPUT $((n + 1)) 0 "$op -> not $want"
		if [ "${MK_ERRORS:-0}" != "$errs" ]; then
			mk_log "  marks seen by conntrack for port $port:" \
				$(mk_ctmarks b "$f" udp "$port" | xargs printf '0x%x ')
		fi
		n=$((n + 2))
	done <<<"$cases"
}

mk_line a b
run_family 4
run_family 6
# markctl's listings of the rules, with the counters the traffic left.
mk_expect_same_listing b 4
mk_expect_same_listing b 6
mk_done
