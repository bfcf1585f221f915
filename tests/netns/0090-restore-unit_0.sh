# markctl-restore.service's commands, as systemd would run them at boot,
# with the rules' directory moved to a temporary one and markctl the one
# under test: files written with "markctl save" (and -6) in one host load
# into a fresh host as they were, rule for rule against iptables-nft; a
# missing file is no error; a broken one fails with markctl's message and
# leaves the other family loaded.  Then real traffic hits the restored
# mark rules.
. "$(dirname "$0")/lib.sh"

mk_find_markctl
top=${top_builddir:-$MK_TESTDIR/../..}
unit=$top/dist/systemd/markctl-restore.service
[ -f "$unit" ] || mk_skip "no $unit (make)"
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT

confdir=$(sed -n 's/^ConditionPathExists=|\(.*\)\/rules\.v4$/\1/p' "$unit")
[ -n "$confdir" ] || mk_fail "no ConditionPathExists= on rules.v4 in $unit"
sbindir=$(sed -n 's|^ExecStart=.* \(/[^ ]*\)/markctl restore .*|\1|p' "$unit" | sort -u)
[ -n "$sbindir" ] || mk_fail "no ExecStart= running markctl restore in $unit"
mk_expect_eq "ConditionPathExists= lines" \
	"$(printf 'ConditionPathExists=|%s\n' "$confdir/rules.v4" "$confdir/rules.v6")" \
	"$(grep '^ConditionPathExists=' "$unit")"
mk_expect_eq "ordering before the network" \
	"Wants=network-pre.target
Before=network-pre.target shutdown.target" \
	"$(grep -E '^(Wants|Before)=' "$unit")"

# The unit's ExecStart= lines, with our directory and binary, one a line.
grep '^ExecStart=' "$unit" | sed -e 's/^ExecStart=//' \
	-e "s|$confdir/|$tmp/|g" -e "s|$sbindir/markctl|$MARKCTL|g" >"$tmp/cmds"
[ "$(wc -l <"$tmp/cmds")" = 2 ] || mk_fail "two ExecStart= expected: $(cat "$tmp/cmds")"

# boot HOST: the unit's commands in HOST; prints their exit statuses.
boot()
{
	local cmd rc out=

	while read -r cmd; do
		rc=0
		eval "mk_in $1 $cmd" 2>>"$tmp/err" || rc=$?
		out="$out $rc"
	done <"$tmp/cmds"
	echo $out
}

mk_line a r b
mk_host f1 f2 f3

# Nothing saved: nothing done, no error.
mk_expect_eq "no files: exit statuses" "0 0" "$(boot f1)"
mk_expect_eq "no files: ruleset" "" "$(mk_in f1 nft list ruleset)"
[ -s "$tmp/err" ] && mk_fail "no files, yet: $(cat "$tmp/err")"

# Rules in r, saved as the documentation says.
mk_run r -t mangle -N MARKS
mk_run r -t mangle -A MARKS -p icmp -j MARK --set-xmark 0x10/0xf0
mk_run r -t mangle -A PREROUTING -i to-a -j MARKS
mk_run r -t mangle -A PREROUTING -j CONNMARK --save-mark --mask 0xf0
mk_run r -t mangle -A FORWARD -m mark --mark 0x10/0xf0 -m comment --comment marked
mk_run r -6 -t mangle -A PREROUTING -p ipv6-icmp -j MARK --or-mark 0x100
mk_run r -6 -t mangle -A FORWARD -m mark --mark 0x100/0x100 -m comment --comment marked6
mk_markctl r save >"$tmp/rules.v4" || mk_fail "markctl save"
mk_markctl r save -6 >"$tmp/rules.v6" || mk_fail "markctl save -6"

# Only IPv4 saved: that is loaded, IPv6 left alone.
mv "$tmp/rules.v6" "$tmp/saved.v6"
mk_expect_eq "rules.v4 only: exit statuses" "0 0" "$(boot f1)"
mk_expect_eq "rules.v4 only: IPv4 rules" \
	"$(mk_ipt r -t mangle -S)" "$(mk_ipt f1 -t mangle -S)"
mk_expect_eq "rules.v4 only: no IPv6 table" "" \
	"$(mk_in f1 nft list tables ip6)"

# Both: each family as saved, rule for rule (counters aside).
mv "$tmp/saved.v6" "$tmp/rules.v6"
mk_expect_eq "both files: exit statuses" "0 0" "$(boot f2)"
mk_expect_eq "both files: IPv4 rules" \
	"$(mk_ipt r -t mangle -S)" "$(mk_ipt f2 -t mangle -S)"
mk_expect_eq "both files: IPv6 rules" \
	"$(mk_ip6t r -t mangle -S)" "$(mk_ip6t f2 -t mangle -S)"
[ -s "$tmp/err" ] && mk_fail "restore wrote: $(cat "$tmp/err")"

# A broken rules.v6: that command fails with markctl's message naming the
# line, which systemd would log and show; IPv4 is still loaded.
printf '*mangle\n-A PREROUTING -j MARK --set-mark 0x1ffffffff\nCOMMIT\n' >"$tmp/rules.v6"
mk_expect_eq "broken rules.v6: exit statuses" "0 2" "$(boot f3)"
grep -q 'at line: 2' "$tmp/err" && grep -q 'set-mark' "$tmp/err" ||
	mk_fail "broken rules.v6: markctl's message expected, got: $(cat "$tmp/err")"
mk_expect_eq "broken rules.v6: IPv4 rules" \
	"$(mk_ipt r -t mangle -S)" "$(mk_ipt f3 -t mangle -S)"
mk_expect_eq "broken rules.v6: no IPv6 table" "" "$(mk_in f3 nft list tables ip6)"

# The restored rules mark real traffic: r itself is rebooted from the files.
mk_markctl r -t mangle -F && mk_markctl r -t mangle -X &&
	mk_markctl r -6 -t mangle -F || mk_fail "flush r"
printf '*mangle\nCOMMIT\n' >"$tmp/rules.v6"
: >"$tmp/err"
mk_expect_eq "r: exit statuses" "0 0" "$(boot r)"
mk_in a ping -c 3 -i 0.2 -W 2 -q "$(mk_ip4 1 2)" >/dev/null || mk_fail "ping a -> b"
mk_expect_count r 4 mangle FORWARD 1 3 "icmp marked by the restored rules"
mk_done
