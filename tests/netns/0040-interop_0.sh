# Interoperation with the reference tool of the backend under test
# (iptables-nft, or iptables-legacy with MK_BACKEND=legacy), IPv4 and
# IPv6.  Host m gets rules from markctl, host i the same rules from the
# reference; listings and save output of the reference tool must be equal
# in both.  Then the reference deletes markctl's rules by spec (and -C
# finds them), markctl deletes the reference's rules by spec (and -C finds
# them), rule by rule in a mixed order, with the remaining rule sets
# compared after every step.
. "$(dirname "$0")/lib.sh"

specs4='
-t mangle -N MARKS
-t mangle -N EMPTY
-t mangle -A PREROUTING -i eth0 -j MARK --set-mark 0x1
-t mangle -A FORWARD -i veth+ -o to-x -p tcp --dport 80 -j MARK --set-xmark 0x2/0xff
-t mangle -A PREROUTING ! -i lo -p udp --sport 53 -j CONNMARK --save-mark
-t mangle -A PREROUTING -s 192.0.2.0/24 -d 198.51.100.7 -j MARK --and-mark 0xf0
-t mangle -A PREROUTING ! -s 203.0.113.0/25 -j MARK --or-mark 0x3
-t mangle -A PREROUTING -d 198.51.100.0/255.255.0.255 -j MARK --xor-mark 0x4
-t mangle -A PREROUTING -f -j RETURN
-t mangle -A PREROUTING -p tcp --dport 1000:2000 -m mark --mark 0x1/0xff -m connmark ! --mark 0x2 -m comment --comment "two words" -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xf0
-t mangle -A PREROUTING -m mark ! --mark 0x5/0xff -j ACCEPT
-t mangle -A PREROUTING -m connmark --mark 0x10/0xf0 -j CONNMARK --save-mark --right-shift-mark 8
-t mangle -A PREROUTING -p udp -m multiport --dports 53,123 -j MARK --set-mark 0x7
-t mangle -A PREROUTING -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x100/0xff00 --left-shift-mark 8
-t mangle -A PREROUTING -j MARKS
-t mangle -A MARKS -p icmp -j MARK --set-mark 0x9
-t mangle -A MARKS -p tcp --syn -j CONNMARK --set-mark 0x1/0xf
-t mangle -A MARKS -g EMPTY
-t mangle -A OUTPUT -o eth1 -m mark --mark 0x1 -j DROP
-t mangle -A POSTROUTING -j CONNMARK --save-mark --nfmask 0xffff --ctmask 0xff
-A OUTPUT -o eth1 -m mark --mark 0xffffffff -j DROP
-A INPUT -p tcp ! --dport 22 -m connmark ! --mark 0x0/0xff -j ACCEPT
-t raw -A PREROUTING -j CONNMARK --set-mark 0x2
-t nat -A POSTROUTING -m mark --mark 0x1 -j RETURN
'
specs6='
-t mangle -N MARKS
-t mangle -A PREROUTING -i eth0 -j MARK --set-mark 0x1
-t mangle -A FORWARD -i veth+ -o to-x -p tcp --dport 80 -j MARK --set-xmark 0x2/0xff
-t mangle -A PREROUTING ! -i lo -p udp --sport 53 -j CONNMARK --save-mark
-t mangle -A PREROUTING -s 2001:db8::/32 -d 2001:db8:1::7 -j MARK --and-mark 0xf0
-t mangle -A PREROUTING ! -s 2001:db8:8000::/33 -j MARK --or-mark 0x3
-t mangle -A PREROUTING -d 2001:db8:2::/64 -j MARK --xor-mark 0x4
-t mangle -A PREROUTING -p tcp --dport 1000:2000 -m mark --mark 0x1/0xff -m connmark ! --mark 0x2 -m comment --comment "two words" -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xf0
-t mangle -A PREROUTING -m mark ! --mark 0x5/0xff -j ACCEPT
-t mangle -A PREROUTING -m connmark --mark 0x10/0xf0 -j CONNMARK --save-mark --right-shift-mark 8
-t mangle -A PREROUTING -p ipv6-icmp -j MARK --set-mark 0x9
-t mangle -A PREROUTING -j MARKS
-t mangle -A MARKS -p udp -m multiport --dports 53,123 -j MARK --set-mark 0x7
-t mangle -A MARKS -m conntrack --ctstate NEW -j CONNMARK --set-xmark 0x100/0xff00 --left-shift-mark 8
-t mangle -A OUTPUT -o eth1 -m mark --mark 0x1 -j DROP
-A INPUT -p tcp ! --dport 22 -m connmark ! --mark 0x0/0xff -j ACCEPT
'

# Variants of rules above: -C must answer as iptables-nft does (exit 1 and
# its message; iptables-nft 1.8.9 finds the /48 variant of the /32 rule).
absent4='
-t mangle -C PREROUTING -i eth0 -j MARK --set-mark 0x2
-t mangle -C PREROUTING -i eth1 -j MARK --set-mark 0x1
-t mangle -C PREROUTING -m mark --mark 0x5/0xff -j ACCEPT
-t mangle -C PREROUTING -m connmark --mark 0x10/0xf0 -j CONNMARK --save-mark --right-shift-mark 4
-t mangle -C MARKS -p icmp -j MARK --set-mark 0x9/0xff
-C INPUT -p tcp ! --dport 22 -m connmark --mark 0x0/0xff -j ACCEPT
'
absent6='
-t mangle -C PREROUTING -i eth0 -j MARK --set-mark 0x2
-t mangle -C PREROUTING -s 2001:db8::/48 -d 2001:db8:1::7 -j MARK --and-mark 0xf0
-t mangle -C PREROUTING -m mark --mark 0x5/0xff -j ACCEPT
'

# tool HOST WHICH ARGS: WHICH = m (markctl) or i (iptables-nft), family $f.
tool()
{
	local h=$1 w=$2

	shift 2
	if [ "$w" = m ]; then
		if [ "$f" = 6 ]; then mk_markctl "$h" -6 "$@"; else mk_markctl "$h" "$@"; fi
	elif [ "$f" = 6 ]; then
		mk_ip6t "$h" "$@"
	else
		mk_ipt "$h" "$@"
	fi
}

# The kernel's rule set as the reference tool saves it.
state() { mk_in "$1" "ip${six}tables-$MK_BACKEND-save" | grep -v '^#'; }

# Rule lines of a spec list as "-A" commands, one a line.
rule_lines() { printf ' %s\n' "$1" | grep -e ' -A ' | sed 's/^ //'; }

# run_line HOST WHICH LINE [OP]: run one spec line, with -A turned into OP.
run_line()
{
	local h=$1 w=$2 line=$3 op=${4:--A}

	line=" $line"
	line=${line/ -A / $op }
	eval "set -- $line"
	tool "$h" "$w" "$@"
}

# cross ADDER DELETER: ADDER builds the rule set in host x and the reference
# tool in host r; DELETER deletes rule by rule, first the odd lines, then
# the even ones; after each step x and r must be equal.
cross()
{
	local add=$1 del=$2 line rc n=0 order

	mk_host x r
	while read -r line; do
		[ -n "$line" ] || continue
		run_line x "$add" "$line" 2>&1 || mk_fail "IPv$f $add: $line"
		run_line r i "$line" || mk_fail "IPv$f reference: $line"
	done <<<"$specs"
	mk_expect_eq "IPv$f rules added by $add, saved by $MK_REF" \
		"$(state r)" "$(state x)"
	mk_expect_eq "IPv$f -S by $add and by $MK_REF" \
		"$(tool r i -S; tool r i -t mangle -S)" "$(tool x "$add" -S; tool x "$add" -t mangle -S)"

	while read -r line; do
		for w in m i; do
			rc=0; run_line x $w "$line" -C >/dev/null 2>&1 || rc=$?
			mk_expect_eq "IPv$f -C by $w of a rule added by $add: $line" 0 "$rc"
		done
	done < <(rule_lines "$specs")
	while read -r line; do
		[ -n "$line" ] || continue
		local e1 e2 r1=0 r2=0
		e1=$(run_line x m "$line" -C 2>&1) || r1=$?
		e2=$(run_line x i "$line" -C 2>&1) || r2=$?
		mk_expect_eq "IPv$f -C of an absent rule: $line" "$r2 $e2" "$r1 $e1"
	done <<<"$absent"

	order=$(rule_lines "$specs" | awk 'NR % 2 == 1'; rule_lines "$specs" | awk 'NR % 2 == 0')
	while read -r line; do
		n=$((n + 1))
		rc=0; run_line x "$del" "$line" -D 2>&1 || rc=$?
		mk_expect_eq "IPv$f -D by $del of a rule added by $add: $line" 0 "$rc"
		# Keep x in step with r after a failed deletion, so that the
		# following steps are judged on their own.
		[ "$rc" = 0 ] || run_line x i "$line" -D >/dev/null 2>&1
		run_line r i "$line" -D
		mk_expect_eq "IPv$f rules left after $n deletions by $del" \
			"$(state r)" "$(state x)"
		rc=0; run_line x "$add" "$line" -C >/dev/null 2>&1 || rc=$?
		mk_expect_eq "IPv$f -C by $add after deletion: $line" 1 "$rc"
	done <<<"$order"
	mk_cleanup
}

for f in 4 6; do
	six=; [ $f = 6 ] && six=6
	specs=$specs4; absent=$absent4
	[ $f = 6 ] && { specs=$specs6; absent=$absent6; }
	cross m i
	cross i m
done
mk_done
