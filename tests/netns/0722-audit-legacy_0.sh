# markctl audit with legacy x_tables tables, one fresh namespace each: it
# reads them whichever backend markctl would choose (IPv4 and IPv6, rules
# of iptables-legacy and of markctl --backend legacy), reads only the
# tables /proc lists (creates none, changes none), takes no xtables lock,
# and reports a both-backends finding when marks are used in legacy and
# nf_tables tables (iptables-nft's or nft's own) -- not for legacy alone.
. "$(dirname "$0")/lib.sh"
mk_need jq nft iptables-legacy ip6tables-legacy iptables-legacy-save flock

mk_need_owners audit
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT
# a lock of the tests' own, held while the audit runs
export XTABLES_LOCKFILE=$tmp/xtables.lock

# state HOST: the legacy tables, their rules and counters, nf_tables'
state()
{
	mk_in "$1" cat /proc/net/ip_tables_names /proc/net/ip6_tables_names
	mk_in "$1" iptables-legacy-save -c | grep -v '^#'
	mk_in "$1" ip6tables-legacy-save -c | grep -v '^#'
	mk_ruleset "$1"
}

# audit HOST STATUS: the JSON report in $tmp/HOST.json, with the lock
# held by another process; nothing changed
audit()
{
	local h=$1 want=$2 rc=0 before after

	before=$(state "$h")
	# held by this shell; the audit opens the file anew (no fd 9)
	exec 9>"$XTABLES_LOCKFILE"
	flock -n 9 || mk_fail "cannot take $XTABLES_LOCKFILE"
	mk_in "$h" timeout 20 "$MARKCTL" audit -o json >"$tmp/$h.json" \
		2>"$tmp/$h.err" 9>&- || rc=$?
	exec 9>&-
	after=$(state "$h")
	mk_expect_eq "$h: audit changed nothing" "$before" "$after"
	[ "$rc" = "$want" ] || { mk_log "$h: audit exit $rc, expected $want: $(cat "$tmp/$h.err")"
				 jq -c '.findings[] | [.kind, .owners, .rules]' "$tmp/$h.json" >&2
				 MK_ERRORS=$((${MK_ERRORS:-0} + 1)); }
	jq -e . "$tmp/$h.json" >/dev/null || mk_fail "$h: audit -o json is not JSON"
}

# jqh HOST FILTER: FILTER on HOST's report
jqh() { jq -r "$2" "$tmp/$1.json"; }

# backend_of HOST OWNER: the backends of OWNER's uses, sorted, one line
backend_of()
{
	jqh "$1" "[.owners[] | select(.name == \"$2\") | .uses[].backend] | unique | join(\",\")"
}

# 1. Legacy only: kube-proxy's chains by iptables-legacy, a route field
#    with its ip rule by markctl --backend legacy (IPv4) and ip6tables-legacy
#    (IPv6).  Owners found, with their backend; no finding at all.
mk_host leg
mk_in leg iptables-legacy -t nat -N KUBE-MARK-MASQ
mk_in leg iptables-legacy -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
mk_in leg iptables-legacy -t nat -N KUBE-POSTROUTING
mk_in leg iptables-legacy -t nat -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
mk_in leg iptables-legacy -t nat -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
mk_in leg iptables-legacy -t nat -A POSTROUTING -j KUBE-POSTROUTING
mk_run leg --backend legacy -t mangle -N RT-MARK
mk_run leg --backend legacy -t mangle -A RT-MARK -j MARK --set-xmark 0x10000/0xff0000
mk_run leg --backend legacy -t mangle -A PREROUTING -i eth1 -j RT-MARK
mk_in leg ip rule add fwmark 0x10000/0xff0000 table 100 pref 1000
mk_in leg ip6tables-legacy -t mangle -N RT-MARK
mk_in leg ip6tables-legacy -t mangle -A RT-MARK -j MARK --set-xmark 0x20000/0xff0000
mk_in leg ip6tables-legacy -t mangle -A PREROUTING -j RT-MARK
mk_in leg ip -6 rule add fwmark 0x20000/0xff0000 table 200 pref 1000
audit leg 0
mk_expect_eq "leg: no finding" 0 "$(jqh leg '.findings | length')"
mk_expect_eq "leg: kube-proxy, legacy" legacy "$(backend_of leg kube-proxy)"
mk_expect_eq "leg: kube-proxy's bit" $((0x4000)) \
	"$(jqh leg '.owners[] | select(.name == "kube-proxy") | .words.packet.writes')"
mk_expect_eq "leg: chains RT-*, legacy" legacy "$(backend_of leg "chains RT-*")"
mk_expect_eq "leg: both families' rules named" \
	"iptables-legacy -t mangle -A RT-MARK -j MARK --set-xmark 0x10000/0xff0000
ip6tables-legacy -t mangle -A RT-MARK -j MARK --set-xmark 0x20000/0xff0000" \
	"$(jqh leg '.owners[] | select(.name == "chains RT-*") | .uses[0].examples[]')"
mk_expect_eq "leg: legacy sources read" "iptables-legacy 6 ip6tables-legacy 2" \
	"$(jqh leg '[.sources[] | select(.source | endswith("-legacy")) | "\(.source) \(.rules)"] | join(" ")')"
mk_expect_eq "leg: no nf_tables table made" "" "$(mk_in leg nft list tables)"

# 2. Marks in both: kube-proxy's legacy chains, Tailscale's byte through
#    iptables-nft.  A both-backends finding with the legacy owner first
#    and a rule of each backend.
mk_host both
mk_in both iptables-legacy -t nat -N KUBE-MARK-MASQ
mk_in both iptables-legacy -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
mk_in both iptables-nft -t mangle -N ts-forward
mk_in both iptables-nft -t mangle -A FORWARD -j ts-forward
mk_in both iptables-nft -t mangle -A ts-forward -i tailscale0 -j MARK --set-xmark 0x40000/0xff0000
audit both 1
mk_expect_eq "both: one finding" "both-backends medium" \
	"$(jqh both '.findings[] | "\(.kind) \(.severity)"')"
mk_expect_eq "both: owners" '["kube-proxy","tailscale"]' \
	"$(jqh both '.findings[0].owners | tojson')"
mk_expect_eq "both: bits" $((0xff4000)) "$(jqh both '.findings[0].bits')"
mk_expect_eq "both: rules" \
	"kube-proxy: iptables-legacy -t nat -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
tailscale: iptables -t mangle -A ts-forward -i tailscale0 -j MARK --set-xmark 0x40000/0xff0000" \
	"$(jqh both '.findings[0].rules[] | "\(.owner): \(.rule)"')"
mk_markctl both audit >"$tmp/both.txt"
grep -q '^medium  both-backends   packet    0x00ff4000  kube-proxy, tailscale$' "$tmp/both.txt" &&
grep -q 'legacy x_tables (kube-proxy) and nf_tables (tailscale)' "$tmp/both.txt" ||
	mk_fail "both: text report: $(cat "$tmp/both.txt")"

# 3. One owner in both backends (a node moved from legacy to nft with
#    the old rules left behind): its uses by backend, the finding names it.
mk_host moved
for t in iptables-legacy iptables-nft; do
	mk_in moved $t -t nat -N KUBE-MARK-MASQ
	mk_in moved $t -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
done
audit moved 1
mk_expect_eq "moved: kube-proxy's uses" legacy,nf_tables "$(backend_of moved kube-proxy)"
mk_expect_eq "moved: finding" "both-backends kube-proxy" \
	"$(jqh moved '.findings[] | "\(.kind) \(.owners | join(","))"')"
mk_expect_eq "moved: a rule of each" 2 "$(jqh moved '.findings[0].rules | length')"

# 4. Legacy beside an nft table of its own (meta mark set): nf_tables too.
mk_host native
mk_run native --backend legacy -t mangle -A OUTPUT -j MARK --set-xmark 0x1/0xff
mk_in native nft -f - <<'EOF' || mk_fail "nft table"
table inet vpnc {
	chain out { type route hook output priority mangle;
		meta mark set mark and 0xffff00ff or 0x00000100
	}
}
EOF
audit native 1
mk_expect_eq "native: finding" "both-backends iptables-legacy built-in chains,table vpnc" \
	"$(jqh native '.findings[] | "\(.kind) \(.owners | join(","))"')"

# 5. No legacy table: none is made, not even by the audit of both families.
mk_host none
mk_run none --backend nft -t mangle -A PREROUTING -j MARK --set-xmark 0x1/0xff
audit none 0
mk_expect_eq "none: no legacy table" "" \
	"$(mk_in none cat /proc/net/ip_tables_names /proc/net/ip6_tables_names)"
mk_expect_eq "none: legacy noted" "no table,no table" \
	"$(jqh none '[.sources[] | select(.source | endswith("-legacy")) | .note] | join(",")')"
mk_done
