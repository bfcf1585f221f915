# The README's example, end to end: router r reaches the service address S
# of b over two uplinks, picked by bits 16-23 of the packet mark (ip rule
# fwmark 0x10000/0xff0000 -> uplink 1, 0x20000/0xff0000 -> uplink 2), which
# CONNMARK rules set on a connection's first packet and restore to every
# packet.  A TCP connection held open from c goes over uplink 1; after
# "markctl ct update -m 0x10000/0xff0000 --set-xmark 0x20000/0xff0000" its
# next packets go over uplink 2 (r's per-uplink counters, read with
# iptables-nft), the connection still works, and the other bits of its
# mark are kept.  IPv4 and IPv6.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ct.sh"
mk_need ss

S4=203.0.113.200
S6=2001:db8:ff::1

mk_host c r b
mk_link c to-r r to-c 0
mk_link r up1 b down1 1
mk_link r up2 b down2 2
mk_router r
mk_in c ip route add default via "$(mk_ip4 0 2)"
mk_in c ip -6 route add default via "$(mk_ip6 0 2)"
mk_addr b lo "$S4/32" "$S6/128"
mk_in b ip route add default via "$(mk_ip4 1 1)"
mk_in b ip -6 route add default via "$(mk_ip6 1 1)"
for u in 1 2; do
	mk_in r ip route add "$S4/32" via "$(mk_ip4 $u 2)" table 10$u
	mk_in r ip -6 route add "$S6/128" via "$(mk_ip6 $u 2)" table 10$u
	mk_in r ip rule add fwmark 0x${u}0000/0xff0000 lookup 10$u
	mk_in r ip -6 rule add fwmark 0x${u}0000/0xff0000 lookup 10$u
done
mk_tcp_server b 9600

count() { mk_count "$1" "$2" filter FORWARD "$3"; }
for f in 4 6; do
	six=; [ $f = 6 ] && six=-6
	tool=iptables-nft; [ $f = 6 ] && tool=ip6tables-nft
	dst=$S4; [ $f = 6 ] && dst=$S6
	# New connections from c: uplink 1 (and 0x5 in the low byte, another
	# tool's bits); every packet from c gets the route bits back.
	mk_run r $six -t mangle -A PREROUTING -i to-c -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x10005/0xff00ff
	mk_run r $six -t mangle -A PREROUTING -i to-c -j CONNMARK --restore-mark --mask 0xff0000
	mk_in r $tool -A FORWARD -o up1 -p tcp --dport 9600
	mk_in r $tool -A FORWARD -o up2 -p tcp --dport 9600

	mk_tcp_open c "$dst" 9600
	mk_tcp_send one
	mk_tcp_send two
	up1=$(count r $f 1)
	mk_expect_num "IPv$f uplink 1 before" -ge 3 "$up1"
	mk_expect_eq "IPv$f uplink 2 before" 0 "$(count r $f 2)"
	out=$(mk_ct r update -$f -m 0x10000/0xff0000 --set-xmark 0x20000/0xff0000) ||
		mk_fail "IPv$f update"
	mk_expect_eq "IPv$f update says" "1 flow updated" "$out"
	mk_expect_eq "IPv$f connection mark after" $((0x20005)) "$(mk_ctmarks r $f tcp 9600)"
	mk_tcp_send three
	mk_tcp_send four
	mk_expect_eq "IPv$f uplink 1 after" "$up1" "$(count r $f 1)"
	mk_expect_num "IPv$f uplink 2 after" -ge 2 "$(count r $f 2)"
	# still one connection, established at both ends
	mk_expect_eq "IPv$f connection at b" 1 "$(mk_in b ss -Htn state established "sport = :9600" | grep -c .)"
	mk_tcp_close
	mk_expect_eq "IPv$f per uplink" "0x10000/0xff0000 0
0x20000/0xff0000 1" "$(for m in 0x10000 0x20000; do echo "$m/0xff0000 $(mk_ct r count -$f -p tcp -m $m/0xff0000)"; done)"
done
mk_done
