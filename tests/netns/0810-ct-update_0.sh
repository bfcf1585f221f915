# markctl ct update on real flows of both families: only the masked bits
# change, and connmark matches see the new mark on the next packets (rule
# counters read with iptables-nft); every operation against the
# arithmetic of CONNMARK and against conntrack -U on the same flows in a
# twin namespace; every operation and filter by the field names of a
# layout against its numbers; updates while traffic flows and a rule
# keeps changing other bits; flows that time out during an update are
# not errors.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ct.sh"

cnt() { local c=$1; shift; mk_run b $six -t mangle -A INPUT "$@" -m comment --comment "$c"; }
get() { mk_count_c b "$f" mangle INPUT "$1"; }
# marks of the flows to DPORT in b, decimal, sorted
marks() { mk_ctmarks b "$f" "$1" "$2"; }

mk_line a b
mk_in b sysctl -qw net.netfilter.nf_conntrack_udp_timeout=300 >/dev/null 2>&1
mk_tcp_server b 9300
for f in 4 6; do
	six=; [ $f = 6 ] && six=-6
	dst=$(mk_ip$f 0 2)
	# Unmarked flows get their mark once; later packets keep it.
	mk_run b $six -t mangle -A PREROUTING -p tcp --dport 9300 -m connmark --mark 0 -j CONNMARK --set-mark 0x10001
	for p in 9301:0x10001 9302:0x10002 9303:0x30003; do
		mk_run b $six -t mangle -A PREROUTING -p udp --dport ${p%:*} -m connmark --mark 0 -j CONNMARK --set-mark ${p#*:}
	done
	cnt tcp-old$f -p tcp --dport 9300 -m connmark --mark 0x10001
	cnt tcp-new$f -p tcp --dport 9300 -m connmark --mark 0x20001
	cnt tcp-low$f -p tcp --dport 9300 -m connmark --mark 0x1/0xffff
	cnt tcp-all$f -p tcp --dport 9300
	cnt udp-old$f -p udp -m connmark --mark 0x10000/0xff0000
	cnt udp-new$f -p udp -m connmark --mark 0x20000/0xff0000
	cnt udp-all$f -p udp

	# A TCP connection held open across the update.
	mk_tcp_open a "$dst" 9300
	mk_tcp_send one
	mk_tcp_send two
	old=$(get tcp-old$f)
	mk_expect_num "IPv$f tcp packets before" -ge 3 "$old"
	mk_expect_eq "IPv$f tcp flow marked" $((0x10001)) "$(marks tcp 9300)"
	out=$(mk_ct b update -$f -p tcp --dport 9300 --set-xmark 0x20000/0xff0000) ||
		mk_fail "IPv$f update of the tcp flow"
	mk_expect_eq "IPv$f tcp update says" "1 flow updated" "$out"
	mk_expect_eq "IPv$f tcp mark after" $((0x20001)) "$(marks tcp 9300)"
	mk_tcp_send three
	mk_expect_eq "IPv$f tcp: old connmark counts no more" "$old" "$(get tcp-old$f)"
	mk_expect_num "IPv$f tcp: new connmark counts" -ge 1 "$(get tcp-new$f)"
	mk_expect_eq "IPv$f tcp: low bits kept" "$(get tcp-all$f)" "$(get tcp-low$f)"
	mk_tcp_close

	# UDP flows: a kernel-filtered update of two of three marks.
	for p in 9301 9302 9303; do mk_udp_from a "$dst" $p 4$p; done
	udp_old=$(get udp-old$f)
	mk_expect_eq "IPv$f udp before" "$(get udp-all$f)" "$((udp_old + 1))"
	out=$(mk_ct b update -$f -m 0x10000/0xff0000 --set-xmark 0x20000/0xff0000) ||
		mk_fail "IPv$f update of the udp flows"
	mk_expect_eq "IPv$f udp update says" "2 flows updated" "$out"
	mk_expect_eq "IPv$f udp 9301" $((0x20001)) "$(marks udp 9301)"
	mk_expect_eq "IPv$f udp 9302" $((0x20002)) "$(marks udp 9302)"
	mk_expect_eq "IPv$f udp 9303 (not matched)" $((0x30003)) "$(marks udp 9303)"
	for p in 9301 9302 9303; do mk_udp_from a "$dst" $p 4$p; done
	mk_expect_eq "IPv$f udp: old connmark counts no more" "$udp_old" "$(get udp-old$f)"
	mk_expect_eq "IPv$f udp: new connmark counts the next packets" 2 "$(get udp-new$f)"
	out=$(mk_ct b update -$f -m 0x10000/0xff0000 --set-xmark 0x20000/0xff0000)
	mk_expect_eq "IPv$f nothing left to update" "0 flows updated" "$out"
done

# Every operation, against CONNMARK's arithmetic, on flows inserted by
# conntrack -I in c, and --set-xmark against conntrack -U in d (the same
# flows).  Marks cover both halves of the word.
mk_host c d
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup 2>/dev/null' EXIT
init='0 1 0xff 0x1234 0xab00 0x10000 0xffff0000 0x80000001 0xffffffff'
i=0
for m in $init; do
	i=$((i + 1))
	echo "-I -s 198.51.100.$i -d 203.0.113.1 -p udp --sport 1000 --dport 53 -t 300 --mark $((m))"
	echo "-I -s 2001:db8:5::$i -d 2001:db8:6::1 -p udp --sport 1000 --dport 53 -t 300 --mark $((m))"
done >"$tmp/flows"
load()
{
	mk_in "$1" conntrack -F >/dev/null 2>&1
	mk_in "$1" conntrack -R "$tmp/flows" >/dev/null 2>&1 ||
		mk_fail "conntrack -R in $1"
}
# "source mark" per flow, sorted
by_src() { mk_in "$1" conntrack -L 2>/dev/null | sed -n 's/^[^=]* src=\([^ ]*\) .* mark=\([0-9]*\).*/\1 \2/p' | sort; }
# What the kernel makes of the flows for CTA_MARK @1, CTA_MARK_MASK @2
# (new = (old & ~mask) ^ value), and how many change.
expect()
{
	local i=0 m

	for m in $init; do
		i=$((i + 1))
		echo "198.51.100.$i $(( ((m & ~$2) ^ $1) & 0xffffffff ))"
		echo "2001:db8:5::$i $(( ((m & ~$2) ^ $1) & 0xffffffff ))"
	done | sort
}
changed()
{
	local n=0 m

	for m in $init; do
		[ $(( ((m & ~$2) ^ $1) & 0xffffffff )) = $((m)) ] || n=$((n + 2))
	done
	echo "$n flows updated"
}
# option, argument, and CONNMARK's (value, mask) for them
while read -r op arg v k; do
	load c
	out=$(mk_ct c update "$op" "$arg") || mk_fail "update $op $arg"
	mk_expect_eq "update $op $arg" "$(expect "$v" "$k")" "$(by_src c)"
	mk_expect_eq "update $op $arg says" "$(changed "$v" "$k")" "$out"
done <<'OPS'
--set-mark 0x1 0x1 0xffffffff
--set-mark 0x5/0xff 0x5 0xff
--set-mark 0x105/0xff 0x105 0x1ff
--set-xmark 0x105/0xff 0x105 0xff
--set-xmark 0xdead0000/0xffff0000 0xdead0000 0xffff0000
--set-xmark 0/0 0 0
--and-mark 0xff00 0 0xffff00ff
--or-mark 0x0f 0xf 0xf
--xor-mark 0x80000001 0x80000001 0
OPS
# The same by the fields of a layout (--layout of markctl), one of them
# non-contiguous (nib=0x1f is 0x7600), and filters by name.
cat >"$tmp/layout" <<'EOF'
field lo 0x000000ff
  value five 5
field flag 0x00000100
field nib 0x0000f600
field hi 0xffff0000
EOF
while read -r op arg v k; do
	load c
	out=$(mk_ct c --layout "$tmp/layout" update "$op" "$arg") ||
		mk_fail "update $op $arg"
	mk_expect_eq "update $op $arg" "$(expect "$v" "$k")" "$(by_src c)"
	mk_expect_eq "update $op $arg says" "$(changed "$v" "$k")" "$out"
done <<'OPS'
--set-mark hi=0xdead 0xdead0000 0xffff0000
--set-mark lo=five,flag 0x105 0x1ff
--set-xmark nib=0x1f 0x7600 0xf600
--set-xmark lo=0 0 0xff
--and-mark hi,flag 0 0x0000feff
--or-mark flag 0x100 0x100
--or-mark lo=five 0x5 0x5
--xor-mark flag,lo=0x81 0x181 0
OPS
# flag set in 0xab00 and 0xffffffff, which keeps its bits: 2 changes
load c
out=$(MARKCTL_LAYOUT=$tmp/layout mk_ct c update -m flag --or-mark hi=0x8000) ||
	mk_fail "update -m flag"
mk_expect_eq "update -m flag (0x100/0x100)" "$(load d; mk_ct d update -m 0x100/0x100 --or-mark 0x80000000 >/dev/null; by_src d)" "$(by_src c)"
mk_expect_eq "update -m flag says" "2 flows updated" "$out"
load c
out=$(mk_ct c update --layout "$tmp/layout" ! -m lo=1 --set-xmark hi=1) ||
	mk_fail "update ! -m lo=1"
mk_expect_eq "update ! -m lo=1 (0x1/0xff)" "$(load d; mk_ct d update ! -m 0x1/0xff --set-xmark 0x10000/0xffff0000 >/dev/null; by_src d)" "$(by_src c)"

load c
load d
mk_ct c update --set-xmark 0x20/0xf0 >/dev/null || mk_fail "update in c"
mk_in d conntrack -U -f ipv4 -m 0x20/0xf0 >/dev/null 2>&1
mk_in d conntrack -U -f ipv6 -m 0x20/0xf0 >/dev/null 2>&1
mk_expect_eq "update --set-xmark 0x20/0xf0 and conntrack -U -m 0x20/0xf0" \
	"$(by_src d)" "$(by_src c)"

# The same tuple in zones 0 and 7: an update addresses the flow of its
# zone only (the zone is part of the key).
mk_in c conntrack -F >/dev/null 2>&1
for z in 0 7; do
	mk_in c conntrack -I -s 198.51.100.9 -d 203.0.113.9 -p tcp --state ESTABLISHED \
		--sport 999 --dport 80 -t 300 --mark $((z + 1)) --zone $z >/dev/null 2>&1 ||
		mk_fail "conntrack -I zone $z"
done
out=$(mk_ct c update --zone 7 --set-xmark 0x10/0xf0) || mk_fail "update --zone 7"
mk_expect_eq "update --zone 7 says" "1 flow updated" "$out"
mk_expect_eq "marks by zone" "$(printf 'zone=0 mark=1\nzone=7 mark=24')" \
	"$(mk_in c conntrack -L -o extended 2>/dev/null | sed 's/.* mark=\([0-9]*\) \(zone=[0-9]*\).*/\2 mark=\1/; s/.* mark=\([0-9]*\) use.*/zone=0 mark=\1/' | sort)"

# While traffic flows: a TCP connection sends a line every 20 ms while a
# rule toggles bit 8 of its mark on every packet, and updates rewrite
# bits 16-23 in between; then both are there, and the low byte is kept.
mk_run b -t mangle -A PREROUTING -p tcp --dport 9310 -m connmark --mark 0 -j CONNMARK --set-mark 0x5
mk_run b -t mangle -A PREROUTING -p tcp --dport 9310 -j CONNMARK --xor-mark 0x100
mk_tcp_server b 9310
mk_tcp_open a "$(mk_ip4 0 2)" 9310
(for i in $(seq 3000); do [ -e "$tmp/stop" ] && break; echo $i; sleep 0.02; done) >&3 &
talker=$!
# new UDP flows all the while, too
mk_in a bash -c 'for i in $(seq 300); do echo x > /dev/udp/'"$(mk_ip4 0 2)"'/9311; sleep 0.01; done' &
udp=$!
sleep 0.3
for v in 0x11 0x22 0x33 0x44 0x55 0x66 0x77 0x88 0x99 0xab; do
	mk_ct b update -p tcp --dport 9310 --set-xmark ${v}0000/0xff0000 >/dev/null ||
		mk_fail "update $v during traffic"
	mk_ct b update -p udp --dport 9311 --or-mark 0x1000000 >/dev/null ||
		mk_fail "udp update during traffic"
	sleep 0.1
done
touch "$tmp/stop"
wait $talker $udp
m=$(mk_ctmarks b 4 tcp 9310)
mk_expect_eq "mark of the busy flow, bits 16-23 and 0-7" $((0xab0005)) "$(( ${m:-0} & 0xff00ff ))"
mk_expect_num "udp flows during the updates" -ge 10 "$(mk_ct b count -p udp --dport 9311)"
mk_tcp_close

# Flows that time out while an update runs: never an error.
awk 'BEGIN { for (n = 0; n < 5000; n++)
	printf "-I -s 198.51.%d.%d -d 203.0.113.1 -p udp --sport 2000 --dport 53 -t 1 --mark 1\n",
		100 + int(n / 250), n % 250 + 1 }' >"$tmp/expire"
for i in 1 2 3; do
	mk_in c conntrack -F >/dev/null 2>&1
	mk_in c conntrack -R "$tmp/expire" >/dev/null 2>&1 || mk_fail "conntrack -R"
	sleep 0.9
	for j in 1 2 3 4 5; do
		mk_ct c update -m 1/1 --xor-mark 0x2 >/dev/null ||
			mk_fail "update of expiring flows"
	done
done
mk_done
