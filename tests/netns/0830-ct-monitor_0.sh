# markctl ct monitor beside conntrack -E, both started before the flows
# (the kernel reports events only of flows created while a listener
# exists): a TCP connection's events and a UDP flow made, updated and
# deleted by markctl ct print the same lines in both; --count N stops
# after N events, SIGINT ends it with status 0; JSON events parsed back.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ct.sh"

mk_line a b
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup 2>/dev/null' EXIT
for six in "" -6; do
	mk_run b $six -t mangle -A PREROUTING -p tcp -m connmark --mark 0 -j CONNMARK --set-mark 0x7
	mk_run b $six -t mangle -A PREROUTING -p udp -m connmark --mark 0 -j CONNMARK --set-mark 0x102
done
mk_tcp_server b 9501

# Wait until N conntrack event listeners (netfilter netlink sockets in
# the new, update and destroy groups) exist in b.
listening()
{
	local i

	for i in $(seq 100); do
		[ "$(mk_in b awk '$2 == 12 && $4 == "00000007"' /proc/net/netlink | wc -l)" -ge "$1" ] &&
			return 0
		sleep 0.1
	done
	mk_fail "the event listeners did not start"
}

listen()
{
	ip netns exec "$(mk_ns b)" "$MARKCTL" ct monitor "$@" >"$tmp/m.$f" 2>"$tmp/m.err" &
	mpid=$!
	ip netns exec "$(mk_ns b)" conntrack -E "$@" >"$tmp/c.$f" 2>/dev/null &
	cpid=$!
	MK_PIDS+=($mpid $cpid)
	listening 2
}
# stop MIN: once both have at least MIN lines and as many (or after 5 s).
stop()
{
	local i m c

	for i in $(seq 50); do
		m=$(grep -c . "$tmp/m.$f")
		c=$(grep -c . "$tmp/c.$f")
		[ "$m" -ge "$1" ] && [ "$m" = "$c" ] && break
		sleep 0.1
	done
	sleep 0.2
	kill -INT $mpid $cpid
	wait $mpid
	mk_expect_eq "IPv$f monitor status after SIGINT" 0 "$?"
	wait $cpid
}
# progname comes from /proc and may be gone when one of the two prints
same() { mk_expect_eq "$1" "$(sed 's/ progname=.*//' "$tmp/c.$f")" "$(sed 's/ progname=.*//' "$tmp/m.$f")"; }

for f in 4 6; do
	dst=$(mk_ip$f 0 2)
	fam=ipv4; [ $f = 6 ] && fam=ipv6
	# A TCP connection: NEW, the state changes, with its mark.
	listen -p tcp
	mk_tcp_talk a "$dst" 9501
	stop 4
	same "IPv$f tcp events"
	mk_expect_num "IPv$f tcp events" -ge 4 "$(grep -c . "$tmp/m.$f")"
	mk_expect_eq "IPv$f tcp NEW event" 1 "$(grep -c '^    \[NEW\] tcp .* dport=9501 .* mark=7$' "$tmp/m.$f")"
	mk_expect_eq "monitor stderr" "" "$(cat "$tmp/m.err")"

	# A UDP flow, updated and deleted by markctl ct.
	listen -p udp
	mk_udp_from a "$dst" 9502 40002
	mk_ct b update -p udp --dport 9502 --set-xmark 0x40/0xf0 >/dev/null
	mk_ct b delete -p udp --dport 9502 >/dev/null
	stop 3
	same "IPv$f udp events"
	mk_expect_eq "IPv$f udp events" "[NEW] 258
[UPDATE] 322 [USERSPACE]
[DESTROY] 322 [USERSPACE]" "$(sed 's/^ *\(\[[A-Z]*\]\).* mark=\([0-9]*\)\( \[USERSPACE\]\)\{0,1\}.*/\1 \2\3/' "$tmp/m.$f")"
done

# --count, and JSON: three events of a UDP flow, then exit 0 by itself.
f=4
ip netns exec "$(mk_ns b)" "$MARKCTL" ct monitor -4 -p udp --dport 9503 --count 3 -o json >"$tmp/json" &
mpid=$!
MK_PIDS+=($mpid)
listening 1
mk_udp_from a "$(mk_ip4 0 2)" 9503 40003
mk_udp_from a "$(mk_ip6 0 2)" 9503 40003		# not IPv4: not shown
mk_ct b update -4 -p udp --dport 9503 --or-mark 0x10000 >/dev/null
mk_ct b delete -p udp --dport 9503 >/dev/null
for i in $(seq 50); do kill -0 $mpid 2>/dev/null || break; sleep 0.1; done
kill -0 $mpid 2>/dev/null && mk_fail "monitor --count 3 did not stop"
wait $mpid
mk_expect_eq "monitor --count status" 0 "$?"
mk_expect_eq "JSON events" "new udp 258 40003 9503 ipv4
update udp 65794 40003 9503 ipv4
destroy udp 65794 40003 9503 ipv4" \
	"$(jq -r '"\(.event) \(.proto) \(.mark) \(.original.sport) \(.original.dport) \(.family)"' "$tmp/json")"
mk_expect_eq "JSON userspace of the update" "true" \
	"$(jq -s '.[1].userspace.portid > 0' "$tmp/json")"
mk_done
