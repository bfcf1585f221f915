# -L and -S lines inside a restore file print what iptables-nft-restore
# 1.8.9 prints there: its view of the table with the transaction's queued
# chains and rules ("ERROR obtaining refs" for a chain not yet in the
# kernel that has rules), after -I/-R/-D/-F/-X of the lines before, with
# -n/-v/-x/--line-numbers, -S CHAIN N, -L -Z, for IPv4 and IPv6; nothing
# after a refused line; a chain it does not find ends the restore (exit
# 1, nothing applied).  Twin
# namespaces, the drop-in name against 1.8.9, output and kernel state.
. "$(dirname "$0")/lib.sh"
mk_only_backend nft

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT
mkdir "$tmp/m" "$tmp/i"
case $MARKCTL in
*iptables-as-markctl)
	ln -s "$(command -v iptables-nft-restore)" "$tmp/m/iptables-restore"
	ln -s "$(command -v ip6tables-nft-restore)" "$tmp/m/ip6tables-restore" ;;
*)
	ln -s "$MARKCTL" "$tmp/m/iptables-restore"
	ln -s "$MARKCTL" "$tmp/m/ip6tables-restore" ;;
esac
# the same names for 1.8.9: its messages name the program
ln -s "$(command -v iptables-nft-restore)" "$tmp/i/iptables-restore"
ln -s "$(command -v ip6tables-nft-restore)" "$tmp/i/ip6tables-restore"

# run HOST TOOL ARGS < FILE: the output and exit status of one restore.
run()
{
	local h=$1 tool=$2 rc=0

	shift 2
	mk_in "$h" "$tmp/$h/$tool" "$@" 2>&1 || rc=$?
	echo "exit $rc"
}

# step WHAT TOOL ARGS: FILE on stdin to both hosts, output and rulesets
# compared.
step()
{
	local what=$1 in

	shift
	in=$(cat)
	mk_expect_eq "$what: output" "$(run i "$@" <<<"$in")" \
		"$(run m "$@" <<<"$in")"
	mk_expect_eq "$what: ruleset" "$(mk_ruleset i)" "$(mk_ruleset m)"
}

mk_host m i
step "new chain, listed before COMMIT" iptables-restore <<'EOF2'
*filter
:FOO - [0:0]
-A FOO -s 192.0.2.1 -j ACCEPT
-A INPUT -j FOO
-S
-L
-L -n -v
-S FOO
-L FOO
-L INPUT -n --line-numbers
COMMIT
EOF2
step "--noflush: kernel chains and queued ones" iptables-restore --noflush <<'EOF2'
*filter
:BAR - [0:0]
-A BAR -j DROP
-S
-L -n
-S BAR 1
COMMIT
EOF2
step "after -D, -F, -I, -R, -X" iptables-restore --noflush <<'EOF2'
*filter
:BAZ - [0:0]
-D BAR -j DROP
-F FOO
-I INPUT 1 -p tcp --dport 22 -j ACCEPT
-R INPUT 2 -j DROP
-X BAZ
-S
-L -n --line-numbers
COMMIT
EOF2
step "a refused line, then a listing" iptables-restore --noflush <<'EOF2'
*filter
-S INPUT
-R INPUT 9 -j DROP
-S INPUT
COMMIT
EOF2
step "mangle, -x -v, -L -Z" iptables-restore <<'EOF2'
*mangle
-A PREROUTING -j MARK --set-mark 1
-L -v -x -n
-S PREROUTING
-L -Z -n
COMMIT
EOF2
step "a chain it does not find" iptables-restore --noflush <<'EOF2'
*filter
-A INPUT -j ACCEPT
-S NOSUCH
COMMIT
EOF2
step "IPv6" ip6tables-restore <<'EOF2'
*filter
:X6 - [0:0]
-A X6 -s 2001:db8::1 -j ACCEPT
-S
-L X6 -n -v
COMMIT
EOF2
mk_done
