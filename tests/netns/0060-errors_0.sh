# Bad input: markctl exits as iptables-nft does (2 for a parameter
# problem) with the same message, naming the option (and the value where
# iptables does), and the kernel's rule set is unchanged: "nft list
# ruleset" before and after are identical.  Host e holds markctl's view,
# host r runs the reference iptables-nft on the same starting rule set.
. "$(dirname "$0")/lib.sh"
mk_only_backend nft

setup='
-t mangle -N MARKS
-t mangle -A PREROUTING -p tcp --dport 80 -j MARK --set-mark 0x1
-t mangle -A PREROUTING -j MARKS
-t mangle -A MARKS -m connmark --mark 0x1/0xff -j CONNMARK --restore-mark
-t raw -A OUTPUT -j MARK --or-mark 0x4
'
# family | exit status | text the message must contain (literally) | arguments
cases='
4|2|"--set-mark"|-t mangle -A PREROUTING -j MARK --set-mark 4294967296
4|2|"--set-mark"|-t mangle -A PREROUTING -j MARK --set-mark -1
4|2|"--set-xmark"|-t mangle -A PREROUTING -j MARK --set-xmark 0x1/0x100000000
4|2|"--and-mark"|-t mangle -A PREROUTING -j MARK --and-mark 0xfffffffff
4|2|"--or-mark"|-t mangle -A PREROUTING -j MARK --or-mark garbage
4|2|"--xor-mark"|-t mangle -A PREROUTING -j MARK --xor-mark 1x
4|2|--set-xmark|-t mangle -A PREROUTING -j MARK
4|2|"--or-mark"|-t mangle -A PREROUTING -j MARK --set-mark 1 --or-mark 2
4|2|"--set-mark"|-t mangle -A PREROUTING -j MARK --set-mark
4|2|No operation|-t mangle -A PREROUTING -j CONNMARK
4|2|"--save-mark"|-t mangle -A PREROUTING -j CONNMARK --save-mark --set-mark 1
4|2|"--left-shift-mark"|-t mangle -A PREROUTING -j CONNMARK --save-mark --left-shift-mark 33
4|2|"--ctmask"|-t mangle -A PREROUTING -j CONNMARK --save-mark --ctmask 0x1ffffffff
4|2|"--mark"|-t mangle -A PREROUTING -m mark
4|2|"--mark"|-t mangle -A PREROUTING -m mark --mark 0x1/
4|2|"--mark"|-t mangle -A PREROUTING -m connmark --mark 1/2/3
4|2|"--mark"|-t mangle -A PREROUTING -m connmark --mark 0x100000000
4|2|"--bogus"|-t mangle -A PREROUTING --bogus
4|2|`33|-t mangle -A PREROUTING -s 192.0.2.0/33
4|2|`70000|-t mangle -A PREROUTING -p tcp --dport 70000
4|2|NOSUCH|-t mangle -A PREROUTING -j NOSUCH
4|2|-A|-t mangle -A PREROUTING -A INPUT
4|2|too long|-t mangle -N chain-name-of-thirty-characters
4|1|No chain|-t mangle -A NOSUCH -j ACCEPT
4|1|Bad rule|-t mangle -D PREROUTING -j MARK --set-mark 0x2
4|1|too big|-t mangle -D PREROUTING 9
4|3|nosuch|-t nosuch -A INPUT -j ACCEPT
4|4|RULE_APPEND failed|-t mangle -A PREROUTING -j CONNMARK --save-mark --right-shift-mark 32
4|4|RULE_APPEND failed|-t mangle -A PREROUTING -j INPUT
4|4|RULE_APPEND failed|-t mangle -A PREROUTING -s 192.0.2.1,192.0.2.2 -j CONNMARK --save-mark --right-shift-mark 32
6|2|"--set-mark"|-t mangle -A PREROUTING -j MARK --set-mark 4294967296
6|2|"--mark"|-t mangle -A PREROUTING -m mark --mark abc
6|2|-f|-t mangle -A PREROUTING -f
6|2|`129|-t mangle -A PREROUTING -d 2001:db8::/129
6|2|"--right-shift-mark"|-t mangle -A PREROUTING -j CONNMARK --restore-mark --right-shift-mark 99
6|4|RULE_APPEND failed|-t mangle -A PREROUTING -j CONNMARK --save-mark --left-shift-mark 32
6|4|RULE_APPEND failed|-t mangle -A PREROUTING -d 2001:db8::1,2001:db8::2 -j CONNMARK --restore-mark --left-shift-mark 32
'

mk_host e r
for f in 4 6; do
	while read -r line; do
		[ -n "$line" ] || continue
		eval "set -- $line"
		mk_in e ip$([ $f = 6 ] && echo 6)tables-nft "$@" || mk_fail "setup: $line"
		mk_in r ip$([ $f = 6 ] && echo 6)tables-nft "$@" || mk_fail "setup: $line"
	done <<<"$setup"
done

while IFS='|' read -r f want text args; do
	[ -n "$f" ] || continue
	eval "set -- $args"
	before=$(mk_ruleset e)
	rc=0
	if [ "$f" = 6 ]; then
		err=$(mk_markctl e -6 "$@" 2>&1 >/dev/null) || rc=$?
		ref=$(mk_ip6t r "$@" 2>&1 >/dev/null)
	else
		err=$(mk_markctl e "$@" 2>&1 >/dev/null) || rc=$?
		ref=$(mk_ipt r "$@" 2>&1 >/dev/null)
	fi
	mk_expect_eq "IPv$f exit status of: $args" "$want" "$rc"
	mk_expect_eq "IPv$f message of: $args" "$ref" "$err"
	case $err in
	*"$text"*) ;;
	*) mk_log "IPv$f message of: $args: does not name '$text': $err"
	   MK_ERRORS=$((${MK_ERRORS:-0} + 1)) ;;
	esac
	mk_expect_eq "IPv$f rule set after: $args" "$before" "$(mk_ruleset e)"
done <<<"$cases"
mk_done
