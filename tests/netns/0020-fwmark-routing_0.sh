# Policy routing by fwmark, IPv4 and IPv6: client c reaches service address
# S (on both servers b and d) through router r.  r's main table sends S to
# b, table 100 to d; "ip rule fwmark ... lookup 100" picks table 100 for
# packets markctl marked in r's mangle PREROUTING.  b and d count what
# arrives (rules added with the reference tool): marked traffic
# must reach only d, unmarked only b.  A TCP service whose SYN alone is
# marked proves CONNMARK --save-mark/--restore-mark keeps a whole
# connection (both directions) on the marked path.
. "$(dirname "$0")/lib.sh"
mk_need socat ping ss conntrack

S4=203.0.113.200
S6=2001:db8:ff::1
N=4

mk_host c r b d
mk_link c to-r r to-c 0
mk_link r to-b b to-r 1
mk_link r to-d d to-r 2
mk_router r
mk_in c ip route add default via "$(mk_ip4 0 2)"
mk_in c ip -6 route add default via "$(mk_ip6 0 2)"
for s in b d; do
	mk_addr $s lo "$S4/32" "$S6/128"
	mk_in $s ip route add default via "$(mk_ip4 $([ $s = b ] && echo 1 || echo 2) 1)"
	mk_in $s ip -6 route add default via "$(mk_ip6 $([ $s = b ] && echo 1 || echo 2) 1)"
done
mk_in r ip route add "$S4/32" via "$(mk_ip4 1 2)"
mk_in r ip route add "$S4/32" via "$(mk_ip4 2 2)" table 100
mk_in r ip -6 route add "$S6/128" via "$(mk_ip6 1 2)"
mk_in r ip -6 route add "$S6/128" via "$(mk_ip6 2 2)" table 100
mk_in r ip rule add fwmark 0x1 lookup 100
mk_in r ip rule add fwmark 0x100/0xff00 lookup 100
mk_in r ip -6 rule add fwmark 0x1 lookup 100
mk_in r ip -6 rule add fwmark 0x100/0xff00 lookup 100

# Counting rules on the servers: rule n counts UDP/TCP port ports[n-1].
ports='5000 5001 5002 5003 7000 7001 7002'
for s in b d; do
	for p in $ports; do
		proto=udp; [ "${p#7}" != "$p" ] && proto=tcp
		mk_ipt $s -t mangle -A INPUT -p $proto --dport $p
		mk_ip6t $s -t mangle -A INPUT -p $proto --dport $p
	done
	mk_tcp_server $s 7000
	mk_tcp_server $s 7001
	mk_tcp_server $s 7002
done

# The rules under test, on the router, for both families.
for six in "" -6; do
	icmp=icmp; [ -n "$six" ] && icmp=ipv6-icmp
	# Per-connection: mark the SYN, keep the mark in conntrack, give it
	# to every later packet of the connection, replies included.
	mk_run r $six -t mangle -A PREROUTING -j CONNMARK --restore-mark
	mk_run r $six -t mangle -A PREROUTING -i to-c -p udp --dport 5001 -j MARK --set-mark 0x1
	mk_run r $six -t mangle -A PREROUTING -i to-c -p udp --dport 5002 -j MARK --set-mark 0x1ab
	mk_run r $six -t mangle -A PREROUTING -i to-c -p udp --dport 5003 -j MARK --set-mark 0x2ab
	mk_run r $six -t mangle -A PREROUTING -i to-c -p tcp --dport 7001 -j MARK --set-mark 0x1
	mk_run r $six -t mangle -A PREROUTING -i to-c -p tcp --dport 7002 --syn -j MARK --or-mark 0x100
	mk_run r $six -t mangle -A PREROUTING -j CONNMARK --save-mark
	mk_run r $six -t mangle -A PREROUTING -i to-c -p $icmp -m comment --comment "ping via d" -j MARK --set-mark 0x1
done

# check 4|6 PORT AT_B AT_D: packets counted at b and at d for PORT.
check()
{
	local f=$1 port=$2 at_b=$3 at_d=$4 n=1 p

	for p in $ports; do
		[ "$p" = "$port" ] && break
		n=$((n + 1))
	done
	mk_expect_count b "$f" mangle INPUT $n "$at_b" "port $port at b"
	mk_expect_count d "$f" mangle INPUT $n "$at_d" "port $port at d"
}

for f in 4 6; do
	s=$S4; [ $f = 6 ] && s=$S6
	for p in 5000 5001 5002 5003; do
		mk_udp c "$s" $p $N
	done
	check $f 5000 $N 0	# unmarked: main table
	check $f 5001 0 $N	# mark 0x1
	check $f 5002 0 $N	# 0x1ab & 0xff00 = 0x100
	check $f 5003 $N 0	# 0x2ab & 0xff00 = 0x200: main table
	mk_ping c "$s" 2	# echo requests marked, must reach d and come back

	mk_tcp_talk c "$s" 7000
	mk_tcp_talk c "$s" 7001
	mk_tcp_talk c "$s" 7002 5
	for p in 7000 7001 7002; do
		n=$(printf '%s\n' $ports | grep -n "^$p$" | cut -d: -f1)
		nb=$(mk_count b $f mangle INPUT "$n")
		nd=$(mk_count d $f mangle INPUT "$n")
		case $p in
		7000) [ "$nb" -ge 4 ] && [ "$nd" = 0 ] ;;
		*)    [ "$nd" -ge 4 ] && [ "$nb" = 0 ] ;;
		esac || { mk_log "IPv$f tcp port $p: $nb packets at b, $nd at d"; MK_ERRORS=$((${MK_ERRORS:-0} + 1)); }
	done
	# The router's conntrack holds the connection's mark.
	mk_expect_eq "IPv$f conntrack mark of the 7002 connection at r" 256 \
		"$(mk_ctmarks r $f tcp 7002)"
	mk_expect_same_listing r $f
done
mk_done
