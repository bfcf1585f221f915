# markctl restore on bad input: the same messages (stderr) and exit status
# as iptables-nft-restore 1.8.9 for option errors, bad lines, missing
# chains, kernel refusals and command-line mistakes, and the kernel's
# ruleset exactly as before (nft list ruleset), also where the error comes
# after a COMMIT: markctl applies a file in one transaction.
. "$(dirname "$0")/lib.sh"
mk_only_backend nft

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT

base='*mangle
:FORWARD DROP [0:0]
:MARKS - [0:0]
-A PREROUTING -i eth0 -j MARK --set-mark 0x1
-A PREROUTING -j MARKS
-A MARKS -j CONNMARK --save-mark
COMMIT
*filter
-A INPUT -m mark --mark 0x1 -j ACCEPT
COMMIT
'

# One case a line: restore options, "|", the file (printf escapes).
cases='|*mangle\n-A PREROUTING -j MARK --set-mark 1\n-A PREROUTING --bogus\nCOMMIT\n
|*mangle\n-A NOSUCH -j ACCEPT\nCOMMIT\n
|*mangle\n-A PREROUTING -j MARK --set-mark 1\n
|*mangle\n-A PREROUTING -j MARK --set-mark 1\nCOMMIT\n*filter\n-A INPUT -j DROP\n
|*mangle\n-A PREROUTING -j MARK --set-mark 1\n-A PREROUTING -j CONNMARK --set-mark 1 --left-shift-mark 32\nCOMMIT\n
|*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*mangle\n-A PREROUTING -j CONNMARK --set-mark 1 --left-shift-mark 32\nCOMMIT\n
|*nosuch\n-A PREROUTING -j ACCEPT\nCOMMIT\n
|-A PREROUTING -j ACCEPT\n
|garbage\n
|COMMIT\n
|*mangle\n:PREROUTING BOGUS [1:2]\nCOMMIT\n
|*mangle\n:\nCOMMIT\n
|*mangle\n:FOO\nCOMMIT\n
|*\nCOMMIT\n
|*mangle\n*filter\nCOMMIT\n
|*mangle\n-t filter -A INPUT\nCOMMIT\n
|*mangle\n-A PREROUTING -j MARK --set-mark 4294967296\nCOMMIT\n
|*mangle\n-A PREROUTING -j MARK\nCOMMIT\n
|*mangle\n-A PREROUTING foo\nCOMMIT\n
|*mangle\n-A PREROUTING -j ACCEPT # trailing\nCOMMIT\n
|*mangle\n  -A PREROUTING -j ACCEPT\n COMMIT\n
|*mangle\n-A PREROUTING -m nosuch --foo\nCOMMIT\n
|*mangle\n-A PREROUTING -j NOSUCH\n-A PREROUTING -j ACCEPT\n\n# c\nCOMMIT\n
|*mangle\n-A PREROUTING -j NOSUCH\n-N NOSUCH\nCOMMIT\n
|*mangle\n-A PREROUTING -g NOSUCH\nCOMMIT\n*filter\n-A INPUT -j NOSUCH2\nCOMMIT\n
|*mangle\n-N A\n-A A -j ACCEPT\n-X A\n-A PREROUTING -j A\nCOMMIT\n
|*mangle\n-A PREROUTING -j MARKS\nCOMMIT\n
-n|*mangle\n-A PREROUTING -j MARKS\n-I PREROUTING -j NOSUCH\nCOMMIT\n
-n|*mangle\n-D PREROUTING -j DROP\nCOMMIT\n
-n|*mangle\n-C PREROUTING -j DROP\nCOMMIT\n
-n|*mangle\n-I PREROUTING 9 -j ACCEPT\nCOMMIT\n
-n|*mangle\n-D PREROUTING 9\nCOMMIT\n
-n|*mangle\n-D PREROUTING 9\n-A PREROUTING --bogus\nCOMMIT\n
-n|*mangle\n-A NOSUCH -j ACCEPT\n-D PREROUTING 9\n
-n|*mangle\n-R PREROUTING 9 -j ACCEPT\nCOMMIT\n
-n|*mangle\n-N MARKS\nCOMMIT\n
|*mangle\n-N FOO\n-N FOO\nCOMMIT\n
|*mangle\n-N A\n-N B\n-A A -j B\n-X B\nCOMMIT\n
-n|*mangle\n-X NOSUCH\nCOMMIT\n
-n|*mangle\n-F NOSUCH\nCOMMIT\n
-n|*mangle\n-E NOSUCH X\nCOMMIT\n
-n|*mangle\n-E NOSUCH MARKS\nCOMMIT\n
-n|*mangle\n-E MARKS X\n-A X -j ACCEPT\nCOMMIT\n
|*mangle\n:A - [0:0]\n-E A B\nCOMMIT\n
-n|*mangle\n-P FOO DROP\nCOMMIT\n
|*mangle\n-P PREROUTING FOO\nCOMMIT\n
|*mangle\n-P PREROUTING FOO\n-A PREROUTING --bogus\nCOMMIT\n
|*mangle\n:PREROUTING RETURN [0:0]\n-A NOSUCH -j ACCEPT\nCOMMIT\n
|*mangle\n-P PREROUTING FOO\n
|*mangle\n:-X - [0:0]\nCOMMIT\n
|*mangle\n:!X - [0:0]\nCOMMIT\n
|*mangle\n:ACCEPT - [0:0]\nCOMMIT\n
|*mangle\n-A PREROUTING -i ""\nCOMMIT\n
|*mangle\n-N "a b"\nCOMMIT\n
|*mangle\n-A PREROUTING -- -j ACCEPT\nCOMMIT\n
|*mangle\n-A PREROUTING -jACCEPT\nCOMMIT\n
|*mangle\n-A PREROUTING -W 2\nCOMMIT\n
|*mangle\n:X - [0:0]\n-A OUTPUT -j X\n-A X -g X\n-A X -j ACCEPT\nCOMMIT\n
|*mangle\n:ABCDEFGHIJABCDEFGHIJABCDEFGHI - [0:0]\nCOMMIT\n
-n|*mangle\n-F ""\nCOMMIT\n
-n|*mangle\n-X ""\nCOMMIT\n
-n|*mangle\n-Z ""\nCOMMIT\n
-n|*mangle\n-S ""\nCOMMIT\n
-n|*mangle\n-L ""\nCOMMIT\n
-n|*mangle\n-Z "" 1\nCOMMIT\n
|*mangle\n-Z "" 1\nCOMMIT\n
-n|*mangle\n-Z NOSUCH 1\nCOMMIT\n
|*mangle\n-Z NOSUCH 1\nCOMMIT\n
-n|*mangle\n-Z INPUT 5\nCOMMIT\n
|*mangle\n-F ""\n-X ""\nCOMMIT\n
|*mangle\n\0-A PREROUTING -j ACCEPT\n-A PREROUTING -j DROP\nCOMMIT\n
|*mangle\n:foo\r - [0:0]\nCOMMIT\n
|*mangle\n:fo\vo - [0:0]\nCOMMIT\n
|*mangle\n:foo\f - [0:0]\nCOMMIT\n
-T filter|*mangle\ngarbage\nCOMMIT\nCOMMIT\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\nfoo\n
-c|*mangle\n:PREROUTING DROP [1:2]\n:INPUT ACCEPT\nCOMMIT\n
-c|*mangle\n:PREROUTING DROP 1:2\nCOMMIT\n
-c|*mangle\n:PREROUTING -\nCOMMIT\n
-c|*mangle\n[5:6 -A PREROUTING -j ACCEPT\nCOMMIT\n
-c|*mangle\n[56] -A PREROUTING -j ACCEPT\nCOMMIT\n
-c|*mangle\n[a:b] -A PREROUTING -j ACCEPT\nCOMMIT\n
-x|*mangle\nCOMMIT\n
--bogus|*mangle\nCOMMIT\n
-T|
/nonexistent/file|*mangle\nCOMMIT\n
FILE FILE|*mangle\nCOMMIT\n'

# Lines past 1.8.9's 10240-byte buffer go on as the next line: here the
# second part of the line lacks the comment of its last -m comment.
c=$(printf 'y%.0s' $(seq 240))
long=$(for i in $(seq 40); do printf -- ' -m comment --comment %s' "$c"; done)
cases+="
|*mangle\\n-A PREROUTING$long -j ACCEPT\\nCOMMIT\\n
|*mangle\\n-A PREROUTING -m comment --comment $(printf 'x%.0s' $(seq 10300))\\nCOMMIT\\n"

mk_host m i
printf '%s' "$base" >"$tmp/base"
mk_markctl m restore "$tmp/base" || mk_fail "markctl restore of the base"
mk_in i iptables-nft-restore "$tmp/base" || mk_fail "iptables-nft-restore of the base"
before=$(mk_ruleset m)
mk_expect_eq "base ruleset" "$(mk_ruleset i)" "$before"

n=0
while IFS='|' read -r args body; do
	n=$((n + 1))
	# shellcheck disable=SC2059
	printf -- "$body" >"$tmp/in"
	args=${args//FILE/$tmp/in}
	rm=0 ri=0
	# Drop-in names keep argv[0]; "markctl restore" prints as
	# iptables-nft-restore, so messages compare as they are.
	# shellcheck disable=SC2086
	mk_markctl m restore $args <"$tmp/in" >"$tmp/m.out" 2>"$tmp/m.err" || rm=$?
	# shellcheck disable=SC2086
	mk_in i iptables-nft-restore $args <"$tmp/in" >"$tmp/i.out" 2>"$tmp/i.err" || ri=$?
	what="case $n ($args|$body)"
	mk_expect_eq "$what: exit status" "$ri" "$rm"
	mk_expect_eq "$what: stderr" "$(cat "$tmp/i.err")" "$(cat "$tmp/m.err")"
	mk_expect_eq "$what: stdout" "$(cat "$tmp/i.out")" "$(cat "$tmp/m.out")"
	if [ "$ri" = 0 ]; then
		mk_log "$what: iptables-nft-restore accepted it (bad case)"
		MK_ERRORS=$((${MK_ERRORS:-0} + 1))
	fi
	# (The stand-in iptables-as-markctl commits per table, as 1.8.9.)
	case $MARKCTL$body in
	*iptables-as-markctl*COMMIT\\n\**) ;;
	*) mk_expect_eq "$what: ruleset unchanged" "$before" "$(mk_ruleset m)" ;;
	esac
	# The reference may have applied a first table: reset both.
	mk_in i iptables-nft-restore "$tmp/base"
	mk_markctl m restore "$tmp/base"
done <<EOF
$cases
EOF
mk_done
