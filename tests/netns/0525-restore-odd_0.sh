# Restore files that iptables-nft-restore 1.8.9 accepts, with flushes in
# odd places: through markctl's drop-in iptables-restore each leaves the
# ruleset iptables-nft-restore leaves in a twin namespace (nft list
# ruleset), over the same starting rules.  Among them: "-F" after a
# restore's implicit flush, which 1.8.9 takes as flushing nothing.
. "$(dirname "$0")/lib.sh"
mk_only_backend nft

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT
mkdir "$tmp/bin"
ln -s "$MARKCTL" "$tmp/bin/iptables-restore"

base='*filter
:OLD - [0:0]
-A OLD -j DROP
-A INPUT -j OLD
COMMIT
'

# One file a line (printf escapes); "--noflush|" in front for that option.
cases='*filter\n-F\nCOMMIT\n
*filter\n-A INPUT -j ACCEPT\n-F\nCOMMIT\n
*filter\n:FOO - [0:0]\n-A FOO -j ACCEPT\n-F\n-A INPUT -j FOO\nCOMMIT\n
*filter\n:OLD - [0:0]\n-A OLD -j ACCEPT\n-F\nCOMMIT\n
*filter\n:FOO - [0:0]\n-F FOO\n-A FOO -j ACCEPT\nCOMMIT\n
*filter\n-F INPUT\n-A INPUT -j ACCEPT\nCOMMIT\n
*filter\n:INPUT DROP [0:0]\n-F\nCOMMIT\n
*filter\n-F\nCOMMIT\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\n
--noflush|*filter\n-F\nCOMMIT\n
--noflush|*filter\n:FOO - [0:0]\n-A FOO -j ACCEPT\n-F\nCOMMIT\n
--noflush|*filter\n-A INPUT -j ACCEPT\n-F INPUT\n-A INPUT -j DROP\nCOMMIT\n'

printf '%s' "$base" >"$tmp/base"
n=0
while read -r line; do
	[ -n "$line" ] || continue
	n=$((n + 1))
	args=
	case $line in *'|'*) args=${line%%|*}; line=${line#*|} ;; esac
	# shellcheck disable=SC2059
	printf -- "$line" >"$tmp/in"
	mk_host "m$n" "i$n"
	mk_in "m$n" iptables-nft-restore "$tmp/base" || mk_fail "base ($n)"
	mk_in "i$n" iptables-nft-restore "$tmp/base" || mk_fail "base ($n)"
	rm=0 ri=0
	# shellcheck disable=SC2086
	mk_in "m$n" "$tmp/bin/iptables-restore" $args "$tmp/in" || rm=$?
	# shellcheck disable=SC2086
	mk_in "i$n" iptables-nft-restore $args "$tmp/in" || ri=$?
	mk_expect_eq "case $n ($args $line): exit status" "$ri" "$rm"
	mk_expect_eq "case $n ($args $line): ruleset" \
		"$(mk_ruleset "i$n")" "$(mk_ruleset "m$n")"
done <<EOF
$cases
EOF
[ "$n" = 11 ] || mk_fail "ran $n cases, not 11"
mk_done
