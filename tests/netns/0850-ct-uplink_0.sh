# The README's example, end to end: router r reaches the service address S
# of b over two uplinks, picked by bits 16-23 of the packet mark (ip rule
# fwmark 0x10000/0xff0000 -> uplink 1, 0x20000/0xff0000 -> uplink 2), which
# CONNMARK rules set on a connection's first packet and restore to every
# packet.  A TCP connection held open from c goes over uplink 1; after
# "markctl ct update -m 0x10000/0xff0000 --set-xmark 0x20000/0xff0000" its
# next packets go over uplink 2 (r's per-uplink counters, read with
# iptables-nft), the connection still works, and the other bits of its
# mark are kept.  IPv4 with numbers; IPv6 with the README's layout
# (field route, values isp1 and isp2): rules, ip rules and
# "markctl ct update -m route=isp1 --set-mark route=isp2" by name, and
# "ct count --by-mark route" naming the groups.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ct.sh"
mk_need ss

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT
cat >"$tmp/layout" <<'EOF'
field route 0x00ff0000        # which uplink
  value isp1 1
  value isp2 2
field app 0x000000ff          # another tool's bits
EOF

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
	fw=$(mk_markctl r --layout "$tmp/layout" layout value route=isp$u) ||
		mk_fail "layout value route=isp$u"
	mk_expect_eq "layout value route=isp$u" 0x${u}0000/0xff0000 "$fw"
	mk_in r ip -6 rule add fwmark "$fw" lookup 10$u
done
mk_tcp_server b 9600

count() { mk_count "$1" "$2" filter FORWARD "$3"; }
for f in 4 6; do
	six=; [ $f = 6 ] && six=-6
	tool=iptables-nft; [ $f = 6 ] && tool=ip6tables-nft
	dst=$S4; [ $f = 6 ] && dst=$S6
	# New connections from c: uplink 1 (and 0x5 in the low byte, another
	# tool's bits); every packet from c gets the route bits back.
	if [ $f = 4 ]; then
		mk_run r -t mangle -A PREROUTING -i to-c -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x10005/0xff00ff
		mk_run r -t mangle -A PREROUTING -i to-c -j CONNMARK --restore-mark --mask 0xff0000
	else
		mk_run r -6 --layout "$tmp/layout" -t mangle -A PREROUTING -i to-c -m conntrack --ctstate NEW -j CONNMARK --set-xmark route=isp1,app=5
		mk_run r -6 --layout "$tmp/layout" -t mangle -A PREROUTING -i to-c -j CONNMARK --restore-mark --mask route
		mk_expect_eq "IPv6 rules by name, in the kernel" \
			"-A PREROUTING -i to-c -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x10005/0xff00ff
-A PREROUTING -i to-c -j CONNMARK --restore-mark --nfmask 0xff0000 --ctmask 0xff0000" \
			"$(mk_in r ip6tables-nft -t mangle -S PREROUTING | grep -e '-A')"
	fi
	mk_in r $tool -A FORWARD -o up1 -p tcp --dport 9600
	mk_in r $tool -A FORWARD -o up2 -p tcp --dport 9600

	mk_tcp_open c "$dst" 9600
	mk_tcp_send one
	mk_tcp_send two
	up1=$(count r $f 1)
	mk_expect_num "IPv$f uplink 1 before" -ge 3 "$up1"
	mk_expect_eq "IPv$f uplink 2 before" 0 "$(count r $f 2)"
	if [ $f = 4 ]; then
		out=$(mk_ct r update -4 -m 0x10000/0xff0000 --set-xmark 0x20000/0xff0000)
	else
		mk_expect_eq "IPv6 flows per uplink, named" "0x10000/0xff0000 1 route=isp1" \
			"$(mk_ct r --layout "$tmp/layout" count -6 -p tcp --by-mark route | awk '{ print $1, $2, $3 }')"
		out=$(mk_ct r --layout "$tmp/layout" update -6 -m route=isp1 --set-mark route=isp2)
	fi || mk_fail "IPv$f update"
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
mk_expect_eq "flows per uplink by name, both families" "0 2" "$(for v in isp1 isp2; do mk_ct r --layout "$tmp/layout" count -p tcp -m route=$v; done | tr '\n' ' ' | sed 's/ $//')"
mk_done
