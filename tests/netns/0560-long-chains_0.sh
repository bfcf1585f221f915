# Odd input of issue 14 beside iptables-nft 1.8.9, in twin namespaces (m
# for markctl, i for the reference): chains of 29 to 255 characters (made
# by -E, as 1.8.9 allows, and by nft) listed, saved, jumped to and
# refused exactly as 1.8.9 does, a jump to a 28-character prefix of a long
# name kept apart from it; NFLOG prefixes beyond 63 characters sent whole;
# a rule whose expressions exceed the 64 KiB attribute refused (exit 2,
# nothing sent) where 1.8.9 cuts it.
. "$(dirname "$0")/lib.sh"
mk_need nft

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT

l28=abcdefghijabcdefghijabcdefgh
l29=${l28}i
l40=${l28}ijabcdefghij
l255=$(printf 'x%.0s' $(seq 255))
l256=${l255}x
p100=$(printf 'p%.0s' $(seq 100))

# tool HOST ARGS: markctl in m, iptables-nft in i.
tool()
{
	local h=$1

	shift
	if [ "$h" = m ]; then
		mk_markctl m "$@"
	else
		mk_ipt i "$@"
	fi
}

# same WHAT ARGS: the same command in both; exit status, stdout and
# stderr compared.
same()
{
	local what=$1 h rc

	shift
	for h in m i; do
		rc=0
		tool $h "$@" >"$tmp/$h.out" 2>"$tmp/$h.err" || rc=$?
		echo "$rc" >"$tmp/$h.rc"
	done
	mk_expect_eq "$what: exit status" "$(cat "$tmp/i.rc")" "$(cat "$tmp/m.rc")"
	mk_expect_eq "$what: stdout" "$(cat "$tmp/i.out")" "$(cat "$tmp/m.out")"
	mk_expect_eq "$what: stderr" "$(cat "$tmp/i.err")" "$(cat "$tmp/m.err")"
}

same_ruleset()
{
	mk_expect_eq "$1: nft ruleset" "$(mk_ruleset i)" "$(mk_ruleset m)"
}

mk_host m i
for h in m i; do
	tool $h -A INPUT -j ACCEPT || mk_fail "$h: -A INPUT"
	tool $h -N S1 && tool $h -N S2 && tool $h -N S3 || mk_fail "$h: -N"
	mk_in $h nft add chain ip filter "$l28" || mk_fail "$h: nft add chain"
done
same "-E to 40 characters" -E S1 "$l40"
same "-E to 255 characters" -E S2 "$l255"
same "-E of a long name" -E "$l40" S9
for h in m i; do
	mk_in $h nft add rule ip filter INPUT jump "$l40" &&
	mk_in $h nft add rule ip filter INPUT goto "$l40" &&
	mk_in $h nft add rule ip filter INPUT counter jump "$l28" &&
	mk_in $h nft add rule ip filter "$l40" ip saddr 192.0.2.1 counter accept &&
	mk_in $h nft add rule ip filter "$l255" counter return ||
		mk_fail "$h: nft add rule"
done
same "-S" -S
same "-L" -L
same "-L -n -v --line-numbers" -L -n -v --line-numbers
same "-S of a long chain" -S "$l40"
same "-L of a long chain" -L "$l255"
same "-A to a long chain" -A "$l40" -j ACCEPT
same "-F of a long chain" -F "$l40"
same "-X of a long chain" -X "$l40"
same "-j to a long chain" -A INPUT -j "$l29"
same "-N of a long chain" -N "$l29"
same "-C of a jump to the 28-character prefix" -C INPUT -j "$l28"
same "-C of a goto to the 28-character prefix" -C INPUT -g "$l28"
same_ruleset "before -D"
same "-D of a jump to the 28-character prefix" -D INPUT -j "$l28"
same "-D again" -D INPUT -j "$l28"
same_ruleset "after -D"

# save, and restore of what save wrote: 1.8.9 refuses the long names
for h in m i; do
	if [ $h = m ]; then
		mk_markctl m save
	else
		mk_in i iptables-nft-save
	fi | grep -v '^#' >"$tmp/$h.save"
done
mk_expect_eq "save" "$(cat "$tmp/i.save")" "$(cat "$tmp/m.save")"
grep -q -- "-A INPUT -g $l40\$" "$tmp/m.save" ||
	mk_expect_eq "goto to the long chain in save" "-A INPUT -g $l40" "missing"
rm=0 ri=0
mk_markctl m restore "$tmp/m.save" >"$tmp/m.out" 2>"$tmp/m.err" || rm=$?
mk_in i iptables-nft-restore "$tmp/i.save" >"$tmp/i.out" 2>"$tmp/i.err" || ri=$?
mk_expect_eq "restore of the save: exit status" "$ri" "$rm"
mk_expect_eq "restore of the save: stderr" "$(cat "$tmp/i.err")" "$(cat "$tmp/m.err")"
same_ruleset "after restore"

# -E to 256 characters: the kernel's limit is 255; 1.8.9 lets the
# kernel refuse it (exit 4), markctl refuses it first (exit 2)
before=$(mk_ruleset m)
mk_expect_rc "-E to 256 characters" 2 mk_markctl m -E S3 "$l256"
mk_expect_eq "-E to 256 characters: ruleset unchanged" "$before" "$(mk_ruleset m)"

# NFLOG: the prefix as the parser kept it, 100 characters
same "NFLOG with a 100-character prefix" -A OUTPUT -j NFLOG --nflog-prefix "$p100"
same_ruleset "NFLOG prefix"
mk_ruleset m | grep -q "log prefix \"$p100\" group 0" ||
	mk_expect_eq "log prefix in the kernel" "$p100" "$(mk_ruleset m | grep log)"
same "-S of the NFLOG rule" -S OUTPUT
same "-C of the NFLOG rule" -C OUTPUT -j NFLOG --nflog-prefix "$p100"

# 34 u32 matches of 1984 bytes: over 64 KiB of expressions
u=()
for k in $(seq 34); do
	u+=(-m u32 --u32 "0>>22&0x3C@0>>16=0x$k")
done
before=$(mk_ruleset m)
rc=0
mk_markctl m -A INPUT "${u[@]}" -j DROP >"$tmp/m.out" 2>"$tmp/m.err" || rc=$?
mk_expect_eq "64 KiB rule: exit status" 2 "$rc"
mk_expect_eq "64 KiB rule: message" \
	"iptables v1.8.9 (nf_tables): rule too large: nf_tables takes at most 65535 bytes of expressions
Try \`iptables -h' or 'iptables --help' for more information." "$(cat "$tmp/m.err")"
mk_expect_eq "64 KiB rule: ruleset unchanged" "$before" "$(mk_ruleset m)"
printf '*filter\n-A INPUT %s -j DROP\nCOMMIT\n' "${u[*]}" >"$tmp/big"
rc=0
mk_markctl m restore --noflush "$tmp/big" >"$tmp/m.out" 2>"$tmp/m.err" || rc=$?
mk_expect_eq "64 KiB rule in a restore: exit status" 2 "$rc"
mk_expect_eq "64 KiB rule in a restore: ruleset unchanged" "$before" "$(mk_ruleset m)"
mk_done
