# markctl audit on hosts whose mark owners do not collide: no finding, exit
# status 0, "no findings" in text, owners still listed with their bits.
# Tools on disjoint bits (through markctl, iptables-nft and nft), one tool
# using whole words with save/restore and its ip rule (the README's lab),
# Kubernetes beside Calico, Tailscale with its ip rules on its own bits, a
# layout whose fields every rule keeps to.  One fresh namespace each.
. "$(dirname "$0")/lib.sh"
mk_need jq nft

mk_need_owners audit
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT

# clean HOST [ARGS]: exit 0 and no finding, as JSON and as text
clean()
{
	local h=$1 rc=0

	shift
	mk_markctl "$h" audit -o json "$@" >"$tmp/$h.json" 2>"$tmp/$h.err" || rc=$?
	if [ "$rc" != 0 ]; then
		mk_log "$h: audit exit $rc, expected 0: $(cat "$tmp/$h.err")"
		jq -c '.findings[] | [.kind, .bits_hex, .owners, .rules]' "$tmp/$h.json" >&2
		MK_ERRORS=$((${MK_ERRORS:-0} + 1))
	fi
	mk_expect_eq "$h: findings" 0 "$(jq '.findings | length' "$tmp/$h.json")"
	rc=0
	mk_markctl "$h" audit "$@" >"$tmp/$h.txt" 2>&1 || rc=$?
	mk_expect_eq "$h: text exit status" 0 "$rc"
	grep -q '^no findings$' "$tmp/$h.txt" || mk_fail "$h: text: $(cat "$tmp/$h.txt")"
}

# owner_writes HOST OWNER WORD: the bits OWNER writes in WORD (decimal)
owner_writes()
{
	jq --arg o "$2" --arg w "$3" \
		'.owners[] | select(.name == $o) | .words[$w].writes' "$tmp/$1.json"
}

# An empty host.
mk_host empty
clean empty
mk_expect_eq "empty: no owners" 0 "$(jq '.owners | length' "$tmp/empty.json")"

# Three tools on disjoint bits, each with masked marks, matches, a
# conntrack copy and a masked ip rule of its own.
mk_host disjoint
mk_run disjoint -t mangle -N AAA-MARK
mk_run disjoint -t mangle -A PREROUTING -j AAA-MARK
mk_run disjoint -t mangle -A AAA-MARK -j CONNMARK --restore-mark --mask 0xff
mk_run disjoint -t mangle -A AAA-MARK -m mark --mark 0/0xff -j MARK --set-xmark 0x1/0xff
mk_run disjoint -t mangle -A AAA-MARK -j CONNMARK --save-mark --mask 0xff
mk_in disjoint iptables-nft -t mangle -N BBB-MARK
mk_in disjoint iptables-nft -t mangle -A OUTPUT -j BBB-MARK
mk_in disjoint iptables-nft -t mangle -A BBB-MARK -p udp -j MARK --set-xmark 0x100/0xff00
mk_in disjoint iptables-nft -t mangle -A BBB-MARK -m mark --mark 0x100/0xff00 -j ACCEPT
mk_in disjoint ip6tables-nft -t mangle -N BBB-MARK
mk_in disjoint ip6tables-nft -t mangle -A BBB-MARK -j MARK --set-xmark 0x200/0xff00
mk_in disjoint nft -f - <<'EOF' || mk_fail "nft ccc"
table inet ccc {
	chain out { type route hook output priority mangle;
		meta mark set mark and 0xff00ffff or 0x00010000
		ct mark set ct mark and 0xff00ffff or 0x00020000
		ct mark & 0x00ff0000 == 0x00020000 accept
	}
}
EOF
mk_in disjoint ip rule add fwmark 0x1/0xff table 4100
mk_in disjoint ip rule add fwmark 0x100/0xff00 table 4200
mk_in disjoint ip -6 rule add fwmark 0x10000/0xff0000 table 4300
clean disjoint
mk_expect_eq "disjoint: AAA's packet bits" 255 "$(owner_writes disjoint 'chains AAA-*' packet)"
mk_expect_eq "disjoint: ccc's conntrack bits" $((0xff0000)) "$(owner_writes disjoint 'table ccc' conntrack)"

# One tool in built-in chains, whole words and unmasked save/restore,
# with the ip rule routing its mark: the README's demo lab before anyone
# else comes.
mk_host lab
mk_run lab -t mangle -A PREROUTING -j CONNMARK --restore-mark
mk_run lab -t mangle -A PREROUTING -p tcp --dport 8080 -m mark --mark 0 -j MARK --set-mark 0x1
mk_run lab -t mangle -A PREROUTING -m mark ! --mark 0 -j CONNMARK --save-mark
mk_in lab ip rule add fwmark 0x1 lookup 100
clean lab

# Kubernetes (kube-proxy's 0x4000, kubelet's 0x8000) beside Calico's
# 0xffff0000, as on a Calico node, and flannel reading kube-proxy's bit.
mk_host k8s
mk_in k8s iptables-nft -t nat -N KUBE-MARK-MASQ
mk_in k8s iptables-nft -t nat -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
mk_in k8s iptables-nft -t nat -N KUBE-POSTROUTING
mk_in k8s iptables-nft -t nat -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
mk_in k8s iptables-nft -t nat -A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
mk_in k8s iptables-nft -t nat -N KUBE-MARK-DROP
mk_in k8s iptables-nft -t nat -A KUBE-MARK-DROP -j MARK --set-xmark 0x8000/0x8000
mk_in k8s iptables-nft -N KUBE-FIREWALL
mk_in k8s iptables-nft -A KUBE-FIREWALL -m mark --mark 0x8000/0x8000 -j DROP
mk_in k8s iptables-nft -t mangle -N cali-PREROUTING
mk_in k8s iptables-nft -t mangle -A cali-PREROUTING -j MARK --set-xmark 0x0/0xffff0000
mk_in k8s iptables-nft -t mangle -A cali-PREROUTING -m mark --mark 0x10000/0x10000 -j ACCEPT
mk_in k8s iptables-nft -t mangle -A cali-PREROUTING -j MARK --set-xmark 0x10000/0x10000
# flannel only tests kube-proxy's bit, to leave its packets alone
mk_in k8s iptables-nft -t nat -N FLANNEL-POSTRTG
mk_in k8s iptables-nft -t nat -A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN
clean k8s
mk_expect_eq "k8s: owners" "calico
flannel
kube-proxy
kubelet" "$(jq -r '.owners[].name' "$tmp/k8s.json" | sort)"

# Tailscale's own rules (masked everywhere) and its ip rules on its own
# bypass mark, which tailscaled sets on its sockets.
mk_host ts
mk_in ts iptables-nft -t mangle -N ts-forward
mk_in ts iptables-nft -t mangle -A ts-forward -i tailscale0 -j MARK --set-xmark 0x40000/0xff0000
mk_in ts iptables-nft -t mangle -A ts-forward -m mark --mark 0x40000/0xff0000 -j ACCEPT
mk_in ts ip rule add fwmark 0x80000/0xff0000 table main pref 5210
mk_in ts ip rule add fwmark 0x80000/0xff0000 table default pref 5230
mk_in ts ip rule add table 52 pref 5270
clean ts

# A layout, and rules that keep to its fields (by name, through markctl).
cat >"$tmp/layout" <<'EOF'
field route 0x00ff0000
  value isp1 1
  value isp2 2
field vpn 0x80000000
field wg 0x0000ffff conntrack
EOF
mk_host lay
mk_run lay --layout "$tmp/layout" -t mangle -A PREROUTING -j CONNMARK --restore-mark --mask route,vpn
mk_run lay --layout "$tmp/layout" -t mangle -A PREROUTING -m mark --mark route=0 -j MARK --set-mark route=isp2
mk_run lay --layout "$tmp/layout" -t mangle -A PREROUTING -m mark --mark vpn -j MARK --set-mark route=isp1
mk_run lay --layout "$tmp/layout" -t mangle -A POSTROUTING -j CONNMARK --save-mark --mask route,vpn
mk_run lay --layout "$tmp/layout" -t mangle -A FORWARD -j CONNMARK --set-mark wg=7
mk_in lay ip rule add fwmark "$(mk_markctl lay --layout "$tmp/layout" layout value route=isp2)" lookup 102
mk_in lay ip rule add fwmark "$(mk_markctl lay --layout "$tmp/layout" layout value route=isp1)" lookup 101
clean lay --layout "$tmp/layout"
mk_expect_eq "lay: the layout read" "$tmp/layout" "$(jq -r .layout "$tmp/lay.json")"
mk_done
