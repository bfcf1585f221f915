# Restore with the legacy backend.  The drop-in iptables-restore reads its
# input as iptables-legacy-restore 1.8.9 does, committing at each COMMIT:
# for each case the same file goes to both in twin hosts holding the same
# rules, and output, exit status and the tables after (save -c) must be
# identical.  markctl restore applies all tables or none: when the kernel
# refuses a later table, the tables replaced before it are put back with
# their rules and counters.
MK_BACKEND=legacy
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT
mkdir "$tmp/dropin"
for n in iptables-restore ip6tables-restore; do
	case $MARKCTL in
	*iptables-as-markctl) ln -s "$(command -v "${n%%-*}-legacy-restore")" "$tmp/dropin/$n" ;;
	*) ln -s "$MARKCTL" "$tmp/dropin/$n" ;;
	esac
done

base='*mangle
:PREROUTING ACCEPT [5:500]
:USR - [0:0]
[3:300] -A PREROUTING -m mark --mark 0x1 -j USR
[2:200] -A USR -j CONNMARK --save-mark
COMMIT
*filter
:INPUT ACCEPT [7:700]
:OLD - [0:0]
[1:100] -A INPUT -j OLD
COMMIT
'
state() { mk_in "$1" iptables-legacy-save -c | grep -v '^#'; mk_in "$1" ip6tables-legacy-save -c | grep -v '^#'; }

mk_host i m
printf '%s' "$base" | mk_in i iptables-legacy-restore -c || mk_fail "base"
printf '%s' "$base" | mk_in m iptables-legacy-restore -c || mk_fail "base"

# case NAME FAMILY ARGS: the file $tmp/in through both, compared; both
# hosts are set back to the base afterwards.
case_() {
	local what=$1 f=$2 oi om ri=0 rm=0 six=

	shift 2
	[ "$f" = 6 ] && six=6
	oi=$(mk_in i "ip${six}tables-legacy-restore" "$@" <"$tmp/in" 2>&1) || ri=$?
	om=$(mk_in m "$tmp/dropin/ip${six}tables-restore" "$@" <"$tmp/in" 2>&1) || rm=$?
	mk_expect_eq "$what: exit status" "$ri" "$rm"
	mk_expect_eq "$what: output" "$oi" "$om"
	mk_expect_eq "$what: tables after" "$(state i)" "$(state m)"
	for h in i m; do
		printf '%s' "$base" | mk_in $h iptables-legacy-restore -c
		printf '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n' |
			mk_in $h ip6tables-legacy-restore -c
	done
}

# NAME|FAMILY|ARGS|file with \n
while IFS='|' read -r what f args body; do
	[ -n "$what" ] || continue
	printf -- "$body" >"$tmp/in"
	eval "set -- $args"
	case_ "$what" "$f" "$@"
done <<'EOF_CASES'
two tables|4||*mangle\n:PREROUTING DROP [0:0]\n:NEW - [0:0]\n-A PREROUTING -j NEW\n-A NEW -j MARK --set-mark 2\nCOMMIT\n*raw\n-A OUTPUT -j MARK --set-mark 1\nCOMMIT\n
counters|4|-c|*filter\n:INPUT DROP [9:900]\n[4:40] -A INPUT -j ACCEPT\nCOMMIT\n
noflush|4|--noflush|*mangle\n:USR - [0:0]\n-A USR -j RETURN\n-I PREROUTING 1 -j ACCEPT\n-D PREROUTING -m mark --mark 1 -j USR\nCOMMIT\n
noflush new chain|4|-n -c|*filter\n:X - [0:0]\n[2:2] -A INPUT -j X\nCOMMIT\n
one table of two|4|-T filter|*mangle\n-A PREROUTING -j ACCEPT\nCOMMIT\n*filter\n-A INPUT -j DROP\nCOMMIT\n
verbose|4|-v|# a comment\n*filter\n:X - [0:0]\n-A INPUT -s 192.0.2.0/24 -j X\n-X OLD\nCOMMIT\n
verbose noflush|4|-v -n|*filter\n-A INPUT -j ACCEPT\n-v -A INPUT -j DROP\nCOMMIT\n
test only|4|-t|*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*mangle\n-A PREROUTING -j CONNMARK --save-mark --left-shift-mark 32\nCOMMIT\n
refused second table|4||*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*mangle\n-A PREROUTING -j CONNMARK --save-mark --left-shift-mark 32\nCOMMIT\n
bad policy|4||*filter\n:INPUT FOO [0:0]\nCOMMIT\n
policy of a user chain|4||*filter\n:U ACCEPT [0:0]\nCOMMIT\n
bad policy counters|4|-c|*filter\n:INPUT DROP 5\nCOMMIT\n
long chain name|4||*filter\n:abcdefghijklmnopqrstuvwxyz012 - [0:0]\nCOMMIT\n
chain twice|4||*filter\n:A - [0:0]\n:A - [0:0]\nCOMMIT\n
unknown table|4||*nosuch\nCOMMIT\n
no table name|4||*\nCOMMIT\n
line outside|4||-A INPUT -j ACCEPT\n
missing COMMIT|4||*filter\n-A INPUT -j ACCEPT\n
COMMIT without newline|4||*filter\n-A INPUT -j ACCEPT\nCOMMIT
table inside table|4||*filter\n*mangle\nCOMMIT\n
refused delete|4||*filter\n-A INPUT -j ACCEPT\n-D INPUT -j DROP\nCOMMIT\n
referenced chain|4|-n|*mangle\n-X USR\nCOMMIT\n
missing jump|4||*filter\n-A INPUT -j NOPE\nCOMMIT\n
missing goto|4||*filter\n-A INPUT -g NOPE\nCOMMIT\n
deleted chain named as a target|4||*filter\n:CONNMARK - [0:0]\n-X CONNMARK\n-A INPUT -j CONNMARK\nCOMMIT\n
counters prefix|4|-c|*filter\n[1:2 -A INPUT\nCOMMIT\n
-w in a line|4||*filter\n-A INPUT -w -j ACCEPT\nCOMMIT\n
table in a line|4||*filter\n-t mangle -A INPUT -j ACCEPT\nCOMMIT\n
listing in a line|4||*filter\n-A INPUT -j ACCEPT\n-S\n-L -n\nCOMMIT\n
check in a line|4||*filter\n-C INPUT -j ACCEPT\nCOMMIT\n
IPv6|6|-c|*mangle\n:PREROUTING DROP [3:3]\n[1:1] -A PREROUTING -s 2001:db8::/32 -j MARK --set-mark 1\nCOMMIT\n
IPv6 refused|6||*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*mangle\n-A PREROUTING -j CONNMARK --save-mark --left-shift-mark 32\nCOMMIT\n
EOF_CASES

# A line over 1.8.9's 10240-byte buffer is read as several lines.
{ printf '*filter\n-A INPUT -m comment --comment "'; head -c 10300 /dev/zero | tr '\0' x
  printf '"\nCOMMIT\n'; } >"$tmp/in"
case_ "long line" 4

# markctl restore: all tables or none, counters kept.
printf '*filter\n:INPUT DROP [0:0]\n-F\n-A INPUT -j ACCEPT\nCOMMIT\n*raw\n-A OUTPUT -j ACCEPT\nCOMMIT\n*mangle\n-A PREROUTING -j CONNMARK --save-mark --left-shift-mark 32\nCOMMIT\n' >"$tmp/in"
before=$(state m)
rc=0
out=$(mk_markctl m restore <"$tmp/in" 2>&1) || rc=$?
mk_expect_eq "markctl restore, third table refused: exit status" 1 "$rc"
mk_expect_eq "markctl restore, third table refused: message" \
	"iptables-restore: line 11 failed: Invalid argument." "$out"
mk_expect_eq "markctl restore, third table refused: tables as before" \
	"$before" "$(state m)"
rc=0
mk_markctl m restore --no-atomic <"$tmp/in" >/dev/null 2>&1 || rc=$?
mk_expect_eq "markctl restore --no-atomic: exit status" 1 "$rc"
mk_in m iptables-legacy -S INPUT | grep -q -- '-P INPUT DROP' ||
	mk_fail "markctl restore --no-atomic: the first table was not applied"
# a good file: the same tables as iptables-legacy-restore makes
printf '*filter\n:INPUT DROP [1:1]\n[2:2] -A INPUT -j ACCEPT\nCOMMIT\n*raw\n[3:3] -A OUTPUT -j ACCEPT\nCOMMIT\n' >"$tmp/in"
mk_in i iptables-legacy-restore -c <"$tmp/in" || mk_fail "reference restore"
mk_markctl m restore -c <"$tmp/in" || mk_fail "markctl restore"
mk_expect_eq "markctl restore of two tables" "$(state i)" "$(state m)"
mk_done
