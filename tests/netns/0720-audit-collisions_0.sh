# markctl audit on hosts where mark owners collide, rebuilt after the
# public reports, with rules made by markctl, iptables-nft and nft, one
# fresh namespace each: every finding kind comes out with its owners and
# bits (JSON parsed back with jq), exit status 1; the audit changes
# nothing (nft list ruleset, ip rule, no legacy table appears); without
# CAP_NET_ADMIN it exits 4; bad usage exits 2.
. "$(dirname "$0")/lib.sh"
mk_need jq nft

mk_need_owners audit
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT

# audit HOST [ARGS]: the JSON report in $tmp/HOST.json, status checked
audit()
{
	local h=$1 rc=0 before after

	shift
	before=$(mk_ruleset "$h"; mk_in "$h" ip rule; mk_in "$h" ip -6 rule)
	mk_markctl "$h" audit -o json "$@" >"$tmp/$h.json" 2>"$tmp/$h.err" || rc=$?
	after=$(mk_ruleset "$h"; mk_in "$h" ip rule; mk_in "$h" ip -6 rule)
	mk_expect_eq "$h: audit changed nothing" "$before" "$after"
	mk_expect_eq "$h: no legacy table made" "" \
		"$(mk_in "$h" cat /proc/net/ip_tables_names /proc/net/ip6_tables_names)"
	[ "$rc" = 1 ] || { mk_log "$h: audit exit $rc, expected 1: $(cat "$tmp/$h.err")"
			   MK_ERRORS=$((${MK_ERRORS:-0} + 1)); }
	jq -e . "$tmp/$h.json" >/dev/null || mk_fail "$h: audit -o json is not JSON"
}

# finding HOST KIND BITS OWNER...: a finding of KIND on exactly these bits
# between exactly these owners, the first one first (the one who writes
# the whole word, or who matches), except for overlap, which has no first
finding()
{
	local h=$1 kind=$2 bits=$3 want got

	shift 3
	want=$(printf '%s\n' "$@" | jq -R . | jq -sc .)
	got=$(jq -c --arg k "$kind" --argjson b "$bits" --argjson o "$want" \
		'[.findings[] | select(.kind == $k and .bits == $b and
			(.owners | sort) == ($o | sort) and
			($k == "overlap" or .owners[0] == $o[0]))] | length' \
		"$tmp/$h.json")
	if [ "$got" != 1 ]; then
		mk_log "$h: no $kind finding on $bits for $*; findings:"
		jq -c '.findings[] | [.kind, .bits_hex, .owners]' "$tmp/$h.json" >&2
		MK_ERRORS=$((${MK_ERRORS:-0} + 1))
	fi
}

# 1. kube-proxy's 0x4000 and kubelet's 0x8000 (markctl), wg-quick's
#    whole-word fwmark 0xca6c with its nft table and ip rule: the drop rule
#    matches a bit the tunnel's packets carry.
mk_host kube
mk_run kube -t nat -N KUBE-MARK-MASQ
mk_run kube -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
mk_run kube -t nat -N KUBE-POSTROUTING
mk_run kube -t nat -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
mk_run kube -t nat -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
mk_run kube -t nat -A KUBE-POSTROUTING -j MASQUERADE
mk_run kube -t nat -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
mk_run kube -t nat -N KUBE-MARK-DROP
mk_run kube -t nat -A KUBE-MARK-DROP -j MARK --or-mark 0x8000
mk_run kube -N KUBE-FIREWALL
mk_run kube -A KUBE-FIREWALL -m comment --comment "kubernetes firewall for dropping marked packets" -m mark --mark 0x8000/0x8000 -j DROP
mk_run kube -A OUTPUT -j KUBE-FIREWALL
mk_in kube nft -f - <<'EOF' || mk_fail "nft wg-quick table"
table ip wg-quick-wg0 {
	chain preraw { type filter hook prerouting priority raw; }
	chain premangle { type filter hook prerouting priority mangle;
		meta l4proto udp meta mark set ct mark
	}
	chain postmangle { type filter hook postrouting priority mangle;
		meta l4proto udp meta mark 0x0000ca6c ct mark set meta mark
	}
}
EOF
mk_in kube ip rule add not fwmark 51820 table 51820
# the tunnel's own packets (no wireguard module here: a rule stands in)
mk_in kube iptables-nft -t mangle -A OUTPUT -p udp --dport 51820 -j MARK --set-mark 51820
audit kube
finding kube read-overlap $((0x8000)) kubelet wg-quick
finding kube read-overlap $((0x4000)) kube-proxy wg-quick
finding kube whole-word $((0x8000)) wg-quick kubelet
finding kube unmasked-copy $((0x4000)) wg-quick kube-proxy
finding kube overlap $((0x8000)) wg-quick kubelet
mk_expect_eq "kube: high findings only" 0 \
	"$(jq '[.findings[] | select(.severity != "high")] | length' "$tmp/kube.json")"
mk_expect_eq "kube: the drop rule is named" 1 \
	"$(jq '[.findings[] | select(.kind == "read-overlap" and .owners[0] == "kubelet") | .rules[] | select(.rule | contains("KUBE-FIREWALL -m comment"))] | length' "$tmp/kube.json")"
# the text report says the same, most severe first
mk_markctl kube audit >"$tmp/kube.txt"
grep -q '^high    read-overlap    packet    0x00008000  kubelet, wg-quick$' "$tmp/kube.txt" ||
	mk_fail "text report: $(cat "$tmp/kube.txt")"

# 2. Calico's 0xffff0000 (nft, as its nftables dataplane) against
#    Tailscale's 0xff0000 (iptables-nft ts-* chains).
mk_host cali
mk_in cali nft -f - <<'EOF' || mk_fail "nft calico table"
table ip calico {
	chain cali-PREROUTING { type filter hook prerouting priority mangle;
		meta mark set mark and 0x0000ffff or 0x00010000
		meta mark & 0x00010000 == 0x00010000 accept
	}
}
EOF
mk_in cali iptables-nft -t mangle -N ts-forward
mk_in cali iptables-nft -t mangle -A FORWARD -j ts-forward
mk_in cali iptables-nft -t mangle -A ts-forward -i tailscale0 -j MARK --set-xmark 0x40000/0xff0000
mk_in cali iptables-nft -t mangle -A ts-forward -m mark --mark 0x40000/0xff0000 -j ACCEPT
mk_in cali ip rule add fwmark 0x80000/0xff0000 table main pref 5210
audit cali
finding cali overlap $((0xff0000)) calico tailscale
finding cali read-overlap $((0x10000)) calico tailscale
finding cali read-overlap $((0xff0000)) tailscale calico
mk_expect_eq "cali: tailscale's ip rule on its own bypass bit is fine" 0 \
	"$(jq '[.findings[] | select(.kind == "iprule-unset")] | length' "$tmp/cali.json")"

# 3. An unmasked --restore-mark (markctl, in mangle PREROUTING) beside
#    kube-proxy's masquerade bit.
mk_host rest
mk_run rest -t mangle -A PREROUTING -j CONNMARK --restore-mark
mk_run rest -t mangle -A POSTROUTING -j CONNMARK --save-mark
mk_run rest -t nat -N KUBE-MARK-MASQ
mk_run rest -t nat -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
audit rest
finding rest unmasked-copy $((0x4000)) "iptables built-in chains" kube-proxy
mk_expect_eq "rest: the restore is the rule named" 1 \
	"$(jq '[.findings[] | select(.kind == "unmasked-copy") | .rules[] | select(.rule == "iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff")] | length' "$tmp/rest.json")"

# 4. An ip rule on bits nobody sets (a VPN client's rule left behind),
#    IPv6; a whole-word write by nft elsewhere (meta mark set 0x1).
mk_host iprule
mk_in iprule ip -6 rule add fwmark 0x100/0x100 table 4100
mk_in iprule ip rule add fwmark 0x1/0x1 table 4101
mk_in iprule nft add table inet vpnc
mk_in iprule nft add chain inet vpnc out '{ type route hook output priority mangle; }'
mk_in iprule nft add rule inet vpnc out meta mark set 0x1
audit iprule
finding iprule iprule-unset $((0x100)) "ip rules"
mk_expect_eq "iprule: only the unset one" 1 \
	"$(jq '[.findings[] | select(.kind == "iprule-unset")] | length' "$tmp/iprule.json")"

# 5. Marks written outside the layout's fields (low), and a layout field
#    written by a tool that does not own it.
cat >"$tmp/layout" <<'EOF'
field route 0x00ff0000
field vpn 0x80000000
EOF
mk_host lay
mk_run lay --layout "$tmp/layout" -t mangle -A PREROUTING -j MARK --set-mark route=2
mk_run lay -t nat -N KUBE-MARK-MASQ
mk_run lay -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
audit lay --layout "$tmp/layout"
finding lay outside-layout $((0x4000)) kube-proxy
mk_expect_eq "lay: low severity" low \
	"$(jq -r '.findings[] | select(.kind == "outside-layout") | .severity' "$tmp/lay.json")"
mk_expect_eq "lay: the layout is named" "$tmp/layout" "$(jq -r .layout "$tmp/lay.json")"

# 6. nft's own rule in an iptables table (iptables-nft cannot list it:
#    ct state) writing the whole word, next to iptables-nft's rule there.
mk_host mixed
mk_in mixed iptables-nft -t mangle -N cali-fw
mk_in mixed iptables-nft -t mangle -A cali-fw -j MARK --set-xmark 0x10000/0x10000
mk_in mixed iptables-nft -t mangle -A PREROUTING -j cali-fw
mk_in mixed nft add rule ip mangle PREROUTING ct state established meta mark set 0x5
audit mixed
finding mixed whole-word $((0x10000)) "table mangle" calico

# Without CAP_NET_ADMIN: 4, with a message; bad usage: 2.
rc=0
mk_in kube setpriv --reuid=65534 --regid=65534 --clear-groups "$MARKCTL" audit \
	>/dev/null 2>"$tmp/eperm" || rc=$?
mk_expect_eq "not root: exit status" 4 "$rc"
grep -q 'cannot read .*Operation not permitted' "$tmp/eperm" ||
	mk_fail "not root: message $(cat "$tmp/eperm")"
mk_expect_rc "audit --bogus" 2 mk_markctl kube audit --bogus
mk_expect_rc "audit extra argument" 2 mk_markctl kube audit x
mk_expect_rc "audit -o yaml" 2 mk_markctl kube audit -o yaml
printf 'field a 0xff\nfield b 0x1\n' >"$tmp/bad"
mk_expect_rc "audit, bad layout" 2 mk_markctl kube audit --layout "$tmp/bad"
mk_done
