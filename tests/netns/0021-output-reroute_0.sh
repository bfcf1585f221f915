# Locally generated packets marked in mangle OUTPUT are routed again by
# their new mark (iptables-nft makes that chain of type "route"), IPv4 and
# IPv6.  Host a reaches service address S on host s over link 0 (main
# table) or link 1 (table 100, "ip rule fwmark 0x1/0x1"); markctl marks
# UDP to port 6001 and TCP to port 7001 in a's mangle OUTPUT; s counts
# arrivals per incoming link with the reference tool.
. "$(dirname "$0")/lib.sh"
mk_need socat ss ping

S4=203.0.113.80
S6=2001:db8:ff::80
N=3

mk_host a s
mk_link a l0 s l0 0
mk_link a l1 s l1 1
mk_addr s lo "$S4/32" "$S6/128"
mk_in a ip route add "$S4/32" via "$(mk_ip4 0 2)"
mk_in a ip route add "$S4/32" via "$(mk_ip4 1 2)" table 100
mk_in a ip -6 route add "$S6/128" via "$(mk_ip6 0 2)"
mk_in a ip -6 route add "$S6/128" via "$(mk_ip6 1 2)" table 100
mk_in a ip rule add fwmark 0x1/0x1 lookup 100
mk_in a ip -6 rule add fwmark 0x1/0x1 lookup 100
mk_tcp_server s 7000
mk_tcp_server s 7001

for f in 4 6; do
	six=; [ $f = 6 ] && six=-6
	t=ip${six:+6}tables-$MK_BACKEND
	for p in 6000 6001; do
		mk_in s $t -t mangle -A INPUT -i l0 -p udp --dport $p -m comment --comment "l0-$p"
		mk_in s $t -t mangle -A INPUT -i l1 -p udp --dport $p -m comment --comment "l1-$p"
	done
	for p in 7000 7001; do
		mk_in s $t -t mangle -A INPUT -i l0 -p tcp --dport $p -m comment --comment "l0-$p"
		mk_in s $t -t mangle -A INPUT -i l1 -p tcp --dport $p -m comment --comment "l1-$p"
	done
	# Bits other than 0x1 must not matter to the rule "fwmark 0x1/0x1".
	mk_run a $six -t mangle -A OUTPUT -p udp --dport 6001 -j MARK --set-mark 0xf1
	mk_run a $six -t mangle -A OUTPUT -p tcp --dport 7001 -j MARK --set-xmark 0x1/0x1
done

for f in 4 6; do
	s=$S4; [ $f = 6 ] && s=$S6
	mk_udp a "$s" 6000 $N
	mk_udp a "$s" 6001 $N
	mk_tcp_talk a "$s" 7000
	mk_tcp_talk a "$s" 7001
	mk_expect_num "IPv$f udp 6000 over l0" -eq $N "$(mk_count_c s $f mangle INPUT l0-6000)"
	mk_expect_num "IPv$f udp 6000 over l1" -eq 0 "$(mk_count_c s $f mangle INPUT l1-6000)"
	mk_expect_num "IPv$f udp 6001 over l0" -eq 0 "$(mk_count_c s $f mangle INPUT l0-6001)"
	mk_expect_num "IPv$f udp 6001 over l1" -eq $N "$(mk_count_c s $f mangle INPUT l1-6001)"
	mk_expect_num "IPv$f tcp 7000 over l0" -ge 4 "$(mk_count_c s $f mangle INPUT l0-7000)"
	mk_expect_num "IPv$f tcp 7000 over l1" -eq 0 "$(mk_count_c s $f mangle INPUT l1-7000)"
	mk_expect_num "IPv$f tcp 7001 over l0" -eq 0 "$(mk_count_c s $f mangle INPUT l0-7001)"
	mk_expect_num "IPv$f tcp 7001 over l1" -ge 4 "$(mk_count_c s $f mangle INPUT l1-7001)"
	mk_expect_same_listing a $f
done
mk_done
