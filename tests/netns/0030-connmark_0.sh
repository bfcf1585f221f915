# CONNMARK and connmark, IPv4 and IPv6, with real TCP connections and UDP
# flows from a to b.  In b's mangle table markctl marks the first packet
# (SYN) of each connection, saves the mark to the conntrack entry and
# restores it to the later packets of both directions, with and without
# masks and shifts; counters (mark and connmark matches, read by the
# reference iptables-nft) and "conntrack -L" (mark=) show the result.
. "$(dirname "$0")/lib.sh"
mk_need socat ss conntrack

# Append a rule in b, family $six, with a comment naming it for counting.
pre()  { mk_run b $six -t mangle -A PREROUTING "$@"; }
out()  { mk_run b $six -t mangle -A OUTPUT "$@"; }
cnt()  { local c=$1 ch=$2; shift 2; mk_run b $six -t mangle -A "$ch" "$@" -m comment --comment "$c"; }
get()  { mk_count_c b "$f" mangle "$1" "$2"; }

rules()
{
	# 9001: default masks.  Mark the SYN, save it; restore it to the rest.
	pre -p tcp --dport 9001 --syn -j MARK --set-mark 0x42
	pre -p tcp --dport 9001 -m mark --mark 0x42 -j CONNMARK --save-mark
	pre -p tcp --dport 9001 -m mark --mark 0 -j CONNMARK --restore-mark
	out -p tcp --sport 9001 -j CONNMARK --restore-mark
	cnt in1-all INPUT -p tcp --dport 9001
	cnt in1-mark INPUT -p tcp --dport 9001 -m mark --mark 0x42
	cnt in1-ct INPUT -p tcp --dport 9001 -m connmark --mark 0x42
	cnt out1-all POSTROUTING -p tcp --sport 9001
	cnt out1-mark POSTROUTING -p tcp --sport 9001 -m mark --mark 0x42

	# 9002: masks.  C = 0x5, S = 0xab12, save nfmask/ctmask 0xff00 gives
	# C = 0xab05; restore ctmask 0xff00, nfmask 0xffff gives S = 0xab00;
	# replies restore with --mask 0xff: S = 0x05.
	pre -p tcp --dport 9002 --syn -j CONNMARK --set-mark 0x5/0xff
	pre -p tcp --dport 9002 --syn -j MARK --set-mark 0xab12
	pre -p tcp --dport 9002 --syn -j CONNMARK --save-mark --nfmask 0xff00 --ctmask 0xff00
	pre -p tcp --dport 9002 ! --syn -j CONNMARK --restore-mark --nfmask 0xffff --ctmask 0xff00
	out -p tcp --sport 9002 -j CONNMARK --restore-mark --mask 0xff
	cnt in2-all INPUT -p tcp --dport 9002
	cnt in2-syn INPUT -p tcp --dport 9002 --syn -m mark --mark 0xab12
	cnt in2-rest INPUT -p tcp --dport 9002 ! --syn -m mark --mark 0xab00
	cnt in2-ct INPUT -p tcp --dport 9002 -m connmark --mark 0xab05
	cnt in2-ctm INPUT -p tcp --dport 9002 -m connmark --mark 0xab00/0xff00
	cnt in2-ctn INPUT -p tcp --dport 9002 -m connmark ! --mark 0xab00
	cnt out2-mark POSTROUTING -p tcp --sport 9002 -m mark --mark 0x5
	cnt out2-all POSTROUTING -p tcp --sport 9002

	# 9003: shifts.  Save 0x12 << 8 = 0x1200; restore >> 8 = 0x12.
	pre -p tcp --dport 9003 --syn -j MARK --set-mark 0x12
	pre -p tcp --dport 9003 --syn -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff00 --left-shift-mark 8
	pre -p tcp --dport 9003 ! --syn -j CONNMARK --restore-mark --ctmask 0xff00 --nfmask 0xff --right-shift-mark 8
	cnt in3-all INPUT -p tcp --dport 9003
	cnt in3-rest INPUT -p tcp --dport 9003 ! --syn -m mark --mark 0x12
	cnt in3-ct INPUT -p tcp --dport 9003 -m connmark --mark 0x1200

	# UDP flows: the set family on the conntrack mark.
	pre -p udp --dport 9004 -j CONNMARK --set-xmark 0x1/0xff --left-shift-mark 4
	pre -p udp --dport 9005 -j CONNMARK --set-mark 0xf0f0
	pre -p udp --dport 9005 -j CONNMARK --and-mark 0xff00
	pre -p udp --dport 9006 -j CONNMARK --set-mark 0xf0f0
	pre -p udp --dport 9006 -j CONNMARK --or-mark 0x0f
	pre -p udp --dport 9007 -j CONNMARK --set-mark 0xf0f0
	pre -p udp --dport 9007 -j CONNMARK --xor-mark 0xffff
	pre -p udp --dport 9008 -j CONNMARK --set-xmark 0x100/0xff00 --right-shift-mark 4
	cnt in4-ct INPUT -p udp --dport 9004 -m connmark --mark 0x10
	cnt in5-ct INPUT -p udp --dport 9005 -m connmark --mark 0xf000
	cnt in6-ct INPUT -p udp --dport 9006 -m connmark --mark 0xf0ff
	cnt in7-ct INPUT -p udp --dport 9007 -m connmark --mark 0xf0f/0xffff
	cnt in8-ct INPUT -p udp --dport 9008 -m connmark --mark 0x10
}

check_tcp()
{
	local all

	all=$(get INPUT in1-all)
	mk_expect_num "IPv$f 9001 packets in" -ge 4 "$all"
	mk_expect_num "IPv$f 9001 in with mark 0x42" -eq "$all" "$(get INPUT in1-mark)"
	mk_expect_num "IPv$f 9001 in with connmark 0x42" -eq "$all" "$(get INPUT in1-ct)"
	all=$(get POSTROUTING out1-all)
	mk_expect_num "IPv$f 9001 packets out" -ge 3 "$all"
	mk_expect_num "IPv$f 9001 out with mark 0x42" -eq "$all" "$(get POSTROUTING out1-mark)"
	mk_expect_eq "IPv$f conntrack mark 9001" 66 "$(mk_ctmarks b $f tcp 9001)"

	all=$(get INPUT in2-all)
	mk_expect_num "IPv$f 9002 packets in" -ge 4 "$all"
	mk_expect_num "IPv$f 9002 SYN with 0xab12" -eq 1 "$(get INPUT in2-syn)"
	mk_expect_num "IPv$f 9002 rest with 0xab00" -eq $((all - 1)) "$(get INPUT in2-rest)"
	mk_expect_num "IPv$f 9002 connmark 0xab05" -eq "$all" "$(get INPUT in2-ct)"
	mk_expect_num "IPv$f 9002 connmark 0xab00/0xff00" -eq "$all" "$(get INPUT in2-ctm)"
	mk_expect_num "IPv$f 9002 connmark ! 0xab00" -eq "$all" "$(get INPUT in2-ctn)"
	all=$(get POSTROUTING out2-all)
	mk_expect_num "IPv$f 9002 packets out" -ge 3 "$all"
	mk_expect_num "IPv$f 9002 out with mark 0x5" -eq "$all" "$(get POSTROUTING out2-mark)"
	mk_expect_eq "IPv$f conntrack mark 9002" $((0xab05)) "$(mk_ctmarks b $f tcp 9002)"

	all=$(get INPUT in3-all)
	mk_expect_num "IPv$f 9003 packets in" -ge 4 "$all"
	mk_expect_num "IPv$f 9003 rest with 0x12" -eq $((all - 1)) "$(get INPUT in3-rest)"
	mk_expect_num "IPv$f 9003 connmark 0x1200" -eq "$all" "$(get INPUT in3-ct)"
	mk_expect_eq "IPv$f conntrack mark 9003" $((0x1200)) "$(mk_ctmarks b $f tcp 9003)"
}

check_udp()
{
	local p want n=4

	for p in 9004:0x10 9005:0xf000 9006:0xf0ff 9007:0xf0f 9008:0x10; do
		want=$(( ${p#*:} ))
		mk_expect_num "IPv$f udp ${p%:*} connmark ${p#*:}" -eq 2 \
			"$(get INPUT in$n-ct)"
		mk_expect_eq "IPv$f conntrack marks ${p%:*}" "$want
$want" "$(mk_ctmarks b $f udp ${p%:*})"
		n=$((n + 1))
	done
}

mk_line a b
mk_tcp_server b 9001
mk_tcp_server b 9002
mk_tcp_server b 9003
for f in 4 6; do
	six=; [ $f = 6 ] && six=-6
	dst=$(mk_ip$f 0 2)
	rules
	mk_tcp_talk a "$dst" 9001
	mk_tcp_talk a "$dst" 9002
	mk_tcp_talk a "$dst" 9003
	for p in 9004 9005 9006 9007 9008; do
		mk_udp a "$dst" $p 2
	done
	check_tcp
	check_udp
	mk_expect_same_listing b $f
done
mk_done
