# Bad input and refusals with the legacy backend: markctl exits as
# iptables-legacy 1.8.9 does, with its message (libiptc's words, which
# depend on the call that failed), and the legacy tables are unchanged.
# Host e holds markctl's view, host r runs iptables-legacy on the same
# starting rule set; stdout and stderr are compared together.
MK_BACKEND=legacy
. "$(dirname "$0")/lib.sh"

setup='
-t mangle -N MARKS
-t mangle -N FULL
-t mangle -A FULL -j ACCEPT
-t mangle -A PREROUTING -p tcp --dport 80 -j MARK --set-mark 0x1
-t mangle -A PREROUTING -j MARKS
-t mangle -A MARKS -m connmark --mark 0x1/0xff -j CONNMARK --restore-mark
-t raw -A OUTPUT -j MARK --or-mark 0x4
-t raw -N L1
-t raw -N L2
-t raw -A L1 -j L2
-t raw -A L2 -j L1
'
# family | exit status | text the message must contain (literally) | arguments
cases='
4|2|"--set-mark"|-t mangle -A PREROUTING -j MARK --set-mark 4294967296
4|2|"--or-mark"|-t mangle -A PREROUTING -j MARK --or-mark garbage
4|2|No operation|-t mangle -A PREROUTING -j CONNMARK
4|2|"--left-shift-mark"|-t mangle -A PREROUTING -j CONNMARK --save-mark --left-shift-mark 33
4|2|"--mark"|-t mangle -A PREROUTING -m connmark --mark 1/2/3
4|2|`33|-t mangle -A PREROUTING -s 192.0.2.0/33
4|2|Couldn|-t mangle -A PREROUTING -j NOSUCH
4|2|goto|-t mangle -A PREROUTING -g NOSUCH
4|2|too long|-t mangle -N chain-name-of-thirty-characters
4|2|wait-interval|-W 10 -t mangle -S
4|2|wait seconds|-w x -t mangle -S
4|1|No chain|-t mangle -A NOSUCH -j ACCEPT
4|1|No chain|-t mangle -I NOSUCH -j ACCEPT
4|1|No chain|-t mangle -D PREROUTING -j MARK --set-mark 0x2
4|1|No chain|-t mangle -C PREROUTING -p tcp --dport 80 -j MARKS
4|1|Bad rule|-t mangle -D PREROUTING -p udp -j ACCEPT
4|1|Bad rule|-t mangle -C NOSUCH -j ACCEPT
4|1|Bad rule|-t mangle -C PREROUTING -p tcp --dport 80
4|1|deletion too big|-t mangle -D PREROUTING 9
4|1|insertion too big|-t mangle -I PREROUTING 9 -j ACCEPT
4|1|replacement too big|-t mangle -R PREROUTING 9 -j ACCEPT
4|1|counter too big|-t mangle -Z PREROUTING 9
4|1|counter too big|-t mangle -L PREROUTING -Z PREROUTING 9
4|3|Table does not exist|-t nosuch -A INPUT -j ACCEPT
4|3|Table does not exist|-t nosuch -S
4|1|Invalid argument|-t mangle -A PREROUTING -j CONNMARK --save-mark --right-shift-mark 32
4|1|Invalid argument|-t mangle -A PREROUTING -s 192.0.2.1,192.0.2.2 -j CONNMARK --save-mark --right-shift-mark 32
4|1|Invalid argument|-t mangle -A PREROUTING -j INPUT
4|1|Invalid argument|-t mangle -I MARKS -j PREROUTING
4|1|Too many links|-t mangle -X MARKS
4|1|Too many links|-t mangle -X
4|1|Directory not empty|-t mangle -X FULL
4|1|Invalid argument|-t mangle -X PREROUTING
4|1|File exists|-t mangle -E MARKS PREROUTING
4|1|No chain|-t mangle -E INPUT OTHER
4|1|Chain already exists|-t mangle -N MARKS
4|1|Bad built-in chain name|-t mangle -P MARKS DROP
4|1|Bad built-in chain name|-t mangle -P NOSUCH DROP
4|1|Bad policy name|-t mangle -P INPUT RETURN
4|1|No chain|-t mangle -L NOSUCH
4|1|No chain|-t mangle -S NOSUCH
4|1|No chain|-v -t mangle -F NOSUCH
4|1|Invalid argument|-v -t mangle -X INPUT
4|1|Too many levels|-t raw -A PREROUTING -j L1
4|1|Too many levels|-v -t raw -I OUTPUT 2 -g L2
6|2|"--set-mark"|-t mangle -A PREROUTING -j MARK --set-mark 4294967296
6|2|-f|-t mangle -A PREROUTING -f
6|2|`129|-t mangle -A PREROUTING -d 2001:db8::/129
6|1|Invalid argument|-t mangle -A PREROUTING -j CONNMARK --save-mark --left-shift-mark 32
6|1|Invalid argument|-t mangle -A PREROUTING -d 2001:db8::1,2001:db8::2 -j CONNMARK --restore-mark --left-shift-mark 32
6|1|No chain|-t mangle -D PREROUTING -j MARK --set-mark 0x2
6|1|Bad rule|-t mangle -D PREROUTING -p udp -j ACCEPT
6|3|Table does not exist|-t nosuch -L
'

mk_host e r
for f in 4 6; do
	while read -r line; do
		[ -n "$line" ] || continue
		eval "set -- $line"
		mk_in e "$(mk_ref $f)" "$@" || mk_fail "setup: $line"
		mk_in r "$(mk_ref $f)" "$@" || mk_fail "setup: $line"
	done <<<"$setup"
done

while IFS='|' read -r f want text args; do
	[ -n "$f" ] || continue
	eval "set -- $args"
	before=$(mk_ruleset e)
	rc=0
	if [ "$f" = 6 ]; then
		err=$(mk_markctl e -6 "$@" 2>&1) || rc=$?
		ref=$(mk_ip6t r "$@" 2>&1)
	else
		err=$(mk_markctl e "$@" 2>&1) || rc=$?
		ref=$(mk_ipt r "$@" 2>&1)
	fi
	mk_expect_eq "IPv$f exit status of: $args" "$want" "$rc"
	mk_expect_eq "IPv$f output of: $args" "$ref" "$err"
	case $err in
	*"$text"*) ;;
	*) mk_log "IPv$f message of: $args: does not name '$text': $err"
	   MK_ERRORS=$((${MK_ERRORS:-0} + 1)) ;;
	esac
	mk_expect_eq "IPv$f rule set after: $args" "$before" "$(mk_ruleset e)"
done <<<"$cases"
mk_done
