# markctl ct delete removes exactly the flows its filters select: on real
# flows (a deleted TCP connection's next packets start a new, unmarked
# entry, seen by connmark counters), and side by side with conntrack -D on
# twin namespaces holding the same flows (both families, zones, 2000
# flows); what is left is compared, and the count printed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ct.sh"

cnt() { local c=$1; shift; mk_run b $six -t mangle -A INPUT "$@" -m comment --comment "$c"; }
get() { mk_count_c b "$f" mangle INPUT "$1"; }

mk_line a b
mk_tcp_server b 9400
for f in 4 6; do
	six=; [ $f = 6 ] && six=-6
	dst=$(mk_ip$f 0 2)
	mk_run b $six -t mangle -A PREROUTING -p tcp --syn -j CONNMARK --set-mark 0x1
	mk_run b $six -t mangle -A PREROUTING -p udp -m connmark --mark 0 -j CONNMARK --set-mark 0x2
	cnt marked$f -p tcp --dport 9400 -m connmark --mark 0x1
	cnt unmarked$f -p tcp --dport 9400 -m connmark --mark 0
	mk_tcp_open a "$dst" 9400
	mk_tcp_send one
	mk_udp_from a "$dst" 9401 40001
	mk_udp_from a "$dst" 9402 40002
	mk_expect_eq "IPv$f unmarked before" 0 "$(get unmarked$f)"
	before=$(mk_ct_marks b)
	out=$(mk_ct b delete -$f -p tcp -m 0x1) || mk_fail "IPv$f delete"
	mk_expect_eq "IPv$f delete says" "1 flow deleted" "$out"
	mk_expect_eq "IPv$f flows left" \
		"$(printf '%s\n' "$before" | grep -v "^tcp .* 9400 1$")" "$(mk_ct_marks b)"
	marked=$(get marked$f)
	# The next packet is not a SYN: a new entry without mark.
	mk_tcp_send two
	mk_expect_eq "IPv$f marked after" "$marked" "$(get marked$f)"
	mk_expect_num "IPv$f unmarked after" -ge 1 "$(get unmarked$f)"
	mk_tcp_close
	out=$(mk_ct b delete -$f -p udp --dport 9402) || mk_fail "IPv$f udp delete"
	mk_expect_eq "IPv$f udp delete says" "1 flow deleted" "$out"
	mk_expect_eq "IPv$f udp 9402 gone" "" "$(mk_ctmarks b $f udp 9402)"
	mk_expect_eq "IPv$f udp 9401 stays" 2 "$(mk_ctmarks b $f udp 9401)"
done

# Side by side with conntrack -D: c and d hold the same flows.
mk_host c d
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup 2>/dev/null' EXIT
awk 'BEGIN {
	for (i = 0; i < 2000; i++)
		printf "-I -s 198.51.100.%d -d 203.0.113.1 -p udp --sport %d --dport 53 -t 300 --mark %d\n",
			i % 250 + 1, 1024 + int(i / 250), i % 16
	for (i = 0; i < 200; i++)
		printf "-I -s 2001:db8:5::%x -d 2001:db8:6::1 -p %s --sport 1000 --dport %d -t 300 --mark %d\n",
			i + 1, i % 2 ? "udp" : "tcp --state ESTABLISHED", 53 + i % 3, i % 16
	for (i = 0; i < 20; i++)
		printf "-I -s 198.51.100.%d -d 203.0.113.2 -p udp --sport 7 --dport 53 -t 300 --mark %d --zone %d\n",
			i + 1, 256 + i % 2, 5 + i % 2
}' >"$tmp/flows"
for h in c d; do
	mk_in $h conntrack -R "$tmp/flows" >/dev/null 2>&1 || mk_fail "conntrack -R in $h"
done
# tuple, zone, mark of every flow, sorted
left() { mk_in "$1" conntrack -L 2>/dev/null | sed 's/^\([a-z0-9]* *[0-9]*\) [0-9]* /\1 /' | sort; }
both()
{
	local n a b

	n=$(left c | wc -l)
	# shellcheck disable=SC2086
	out=$(mk_ct c delete $1) || mk_fail "markctl ct delete $1"
	# shellcheck disable=SC2086
	mk_in d conntrack -D $2 >/dev/null 2>&1
	a=$(left d)
	b=$(left c)
	mk_expect_eq "delete $1 and conntrack -D $2: flows left" "$a" "$b"
	mk_expect_eq "delete $1 says" "$((n - $(printf '%s\n' "$b" | grep -c .))) flows deleted" "$out"
	mk_expect_num "delete $1: flows deleted" -gt 0 "$((n - $(printf '%s\n' "$b" | grep -c .)))"
}
both "-m 5" "-m 5"
both "-m 0x8/0x8 -4" "-m 0x8/0x8 -f ipv4"
both "-6 -p udp --dport 54" "-f ipv6 -p udp --dport 54"
both "-6 -p tcp" "-f ipv6 -p tcp"
both "--zone 6" "--zone 6"
both "-s 198.51.100.0/30" "-s 198.51.100.0/30"
both "-d 203.0.113.2" "-d 203.0.113.2"
both "-p udp --sport 1025" "-p udp --sport 1025"
# No conntrack equivalent: "!" against the listing.
n=$(mk_ct c count)
want=$(mk_in c conntrack -L -m 0x1/0x1 2>/dev/null | sed 's/^\([a-z0-9]* *[0-9]*\) [0-9]* /\1 /' | sort)
out=$(mk_ct c delete ! -m 0x1/0x1) || mk_fail "delete ! -m"
mk_expect_eq "delete ! -m 0x1/0x1: flows left" "$want" "$(left c)"
mk_expect_eq "delete ! -m 0x1/0x1 says" "$((n - $(printf '%s\n' "$want" | grep -c .))) flows deleted" "$out"
out=$(mk_ct c delete -p icmp) || mk_fail "delete -p icmp"
mk_expect_eq "no match" "0 flows deleted" "$out"
out=$(mk_ct c delete) || mk_fail "delete all"
mk_expect_eq "all left gone" "0" "$(mk_in c conntrack -C)"
mk_done
