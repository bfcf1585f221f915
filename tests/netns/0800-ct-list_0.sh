# markctl ct list and count on real TCP, UDP and ICMP flows of both
# families whose connection marks CONNMARK rules (through markctl) set in
# b, plus a zone-5 flow made by conntrack -I: each listing, plain and
# with every filter, is byte for byte the one conntrack -L prints with the
# same filter; filters conntrack has not ("!") against its full listing;
# JSON parsed back with jq; counts against conntrack -C and the listings;
# groups of count --by-mark named by a layout and the known owners.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ct.sh"

mk_line a b
for six in "" -6; do
	mk_run b $six -t mangle -A PREROUTING -p tcp -j CONNMARK --set-mark 0x1
	mk_run b $six -t mangle -A PREROUTING -p udp --dport 9201 -j CONNMARK --set-mark 0x102
	mk_run b $six -t mangle -A PREROUTING -p udp --dport 9202 -j CONNMARK --set-mark 0x20102
done
mk_run b -t mangle -A PREROUTING -p icmp -j CONNMARK --set-mark 0x20003
mk_run b -6 -t mangle -A PREROUTING -p icmpv6 -j CONNMARK --set-mark 0x6
# Flows must outlive the test: UDP and ICMP time out after 30 s.
mk_in b sysctl -qw net.netfilter.nf_conntrack_udp_timeout=300 \
	net.netfilter.nf_conntrack_icmp_timeout=300 \
	net.netfilter.nf_conntrack_icmpv6_timeout=300 >/dev/null ||
	mk_fail "conntrack timeouts"
mk_tcp_server b 9200
for f in 4 6; do
	dst=$(mk_ip$f 0 2)
	mk_tcp_talk a "$dst" 9200
	mk_udp_from a "$dst" 9201 40001
	mk_udp_from a "$dst" 9202 40002
	mk_ping a "$dst"
done
mk_in b conntrack -I -s 198.51.100.3 -d 203.0.113.1 -p udp --sport 1000 \
	--dport 53 -t 300 --mark 5 --zone 5 >/dev/null 2>&1 || mk_fail "conntrack -I"

# The same lines, with conntrack's filters and markctl's.
mk_ct_same "list" b "" "" 9
mk_ct_same "list -4" b "-f ipv4" "-4" 5
mk_ct_same "list -6" b "-f ipv6" "-6" 4
mk_ct_same "list -m 0x102" b "-m 0x102" "-m 0x102" 2
mk_ct_same "list --mark 0x102/0xfff" b "-m 0x102/0xfff" "--mark 0x102/0xfff" 4
mk_ct_same "list -m 0x2/0x2" b "-m 0x2/0x2" "-m 0x2/0x2" 5
mk_ct_same "list -m 3/1 (value outside the mask)" b "-m 3/1" "-m 3/1" 0
mk_ct_same "list -p udp" b "-p udp" "-p udp" 5
mk_ct_same "list -p icmp" b "-p icmp" "-p icmp" 1
mk_ct_same "list -6 -p icmpv6" b "-f ipv6 -p icmpv6" "-6 -p icmpv6" 1
mk_ct_same "list -s" b "-s $(mk_ip4 0 1)" "-s $(mk_ip4 0 1)" 4
mk_ct_same "list -s prefix" b "-s 192.0.2.0/24" "-s 192.0.2.0/24" 4
mk_ct_same "list -d v6" b "-d $(mk_ip6 0 2)" "-d $(mk_ip6 0 2)" 4
mk_ct_same "list -d v6 prefix" b "-d 2001:db8::/32" "-d 2001:db8::/32" 4
mk_ct_same "list --dport" b "-p udp --dport 9202" "-p udp --dport 9202" 2
mk_ct_same "list --sport" b "-p udp --sport 40001" "--sport 40001" 2
mk_ct_same "list --zone" b "--zone 5" "--zone 5" 1
mk_ct_same "list -o extended,id" b "-o extended,id" "-o extended,id" 9
mk_ct_same "list -o extended -4 -m" b "-o extended -f ipv4 -m 0x1" \
	"-o extended -4 -m 0x1" 1

# Inverted filters: conntrack -L less conntrack's positive listing
# (timeouts left out: they tick between the listings).
no_timeout() { sed 's/^\([a-z0-9]* *[0-9]*\) [0-9]* /\1 T /' | sort; }
inverted()
{
	local what=$1 base=$2 pos=$3 neg=$4

	# shellcheck disable=SC2086
	mk_expect_eq "$what" \
		"$(comm -23 <(mk_in b conntrack -L $base 2>/dev/null | no_timeout) \
			<(mk_in b conntrack -L $base $pos 2>/dev/null | no_timeout))" \
		"$(mk_ct b list $neg | no_timeout)"
}
inverted "list ! -m 0x102" "" "-m 0x102" "! -m 0x102"
inverted "list ! -p tcp" "" "-p tcp" "! -p tcp"
inverted "list ! --zone 5" "" "--zone 5" "! --zone 5"
inverted "list -4 ! -s" "-f ipv4" "-s 192.0.2.1" "-4 ! -s 192.0.2.1"

# JSON: one object per flow, the same flows and marks.
json=$(mk_ct b list -o json) || mk_fail "list -o json"
mk_expect_eq "JSON flows and marks" "$(mk_ct_marks b)" \
	"$(printf '%s' "$json" | jq -r '.[] | "\(.proto) \(.original.sport // "-") \(.original.dport // "-") \(.mark)"' | sort)"
mk_expect_eq "JSON of the zone-5 flow" '"udp 198.51.100.3 203.0.113.1 1000 53 5 ipv4"' \
	"$(printf '%s' "$json" | jq -c '.[] | select(.zone == 5) | "\(.proto) \(.original.src) \(.original.dst) \(.original.sport) \(.original.dport) \(.mark) \(.family)"')"
mk_expect_eq "JSON of the IPv6 TCP flow" '"ipv6 6 1 2001:db8:1::2 9200 true"' \
	"$(printf '%s' "$json" | jq -c '.[] | select(.family == "ipv6" and .proto == "tcp") | "\(.family) \(.protonum) \(.mark) \(.reply.src) \(.reply.sport) \(.status | index("ASSURED") != null)"')"
mk_expect_eq "JSON of an empty listing" "0" "$(mk_ct b list -o json -m 0xdead | jq length)"

# Counts.
mk_expect_eq "count" "$(mk_in b conntrack -C)" "$(mk_ct b count)"
mk_expect_eq "count -m 0x102/0xfff" \
	"$(mk_in b conntrack -L -m 0x102/0xfff 2>/dev/null | wc -l)" \
	"$(mk_ct b count -m 0x102/0xfff)"
mk_expect_eq "count -6 -p udp" \
	"$(mk_in b conntrack -L -f ipv6 -p udp 2>/dev/null | wc -l)" \
	"$(mk_ct b count -6 -p udp)"
mk_expect_eq "count ! -m 1" "$(mk_in b conntrack -L 2>/dev/null | grep -vc ' mark=1 ')" \
	"$(mk_ct b count ! -m 1)"
# --by-mark: "0xMARK[/0xMASK] FLOWS" by mark, from conntrack -L's marks.
by_mark()
{
	local m

	mk_in b conntrack -L 2>/dev/null | sed -n 's/.* mark=\([0-9]*\).*/\1/p' |
		while read -r m; do echo $((m & $1)); done | sort -n | uniq -c |
		while read -r n m; do
			if [ "$1" = 4294967295 ]; then
				printf '0x%x %d\n' "$m" "$n"
			else
				printf '0x%x/0x%x %d\n' "$m" "$1" "$n"
			fi
		done
}
mk_expect_eq "count --by-mark" "$(by_mark 4294967295)" \
	"$(mk_ct b count --by-mark | awk '{ print $1, $2 }')"
mk_expect_eq "count --by-mark 0xff00" "$(by_mark 65280)" \
	"$(mk_ct b count --by-mark 0xff00 | awk '{ print $1, $2 }')"
json=$(mk_ct b count --by-mark 0xff -o json) || mk_fail "count -o json"
mk_expect_eq "count --by-mark -o json" "$(mk_in b conntrack -C) 255 true" \
	"$(printf '%s' "$json" | jq -r '"\(.flows) \(.mask) \(([.groups[].flows] | add) == .flows)"')"
mk_expect_eq "count -o json" "{\"flows\":$(mk_in b conntrack -C)}" \
	"$(mk_ct b count -o json)"

# Groups named by a layout and the known owners, as markctl explain -c
# names the marks: a flow with wg-quick's 0xca6c joins (conntrack -I).
owners=${top_srcdir:-$MK_TESTDIR/../..}/data/owners
export MARKCTL_OWNERS=$owners
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT
cat >"$tmp/layout" <<'EOF'
field app 0x000000ff
  value web 1
field tier 0x00000f00
  value gold 1
field site 0x00030000
  value dmz 2
EOF
mk_in b conntrack -I -p udp -s 198.51.100.7 -d 203.0.113.7 --sport 51820 \
	--dport 51820 -t 300 -m 51820 >/dev/null 2>&1 || mk_fail "conntrack -I"
mk_expect_eq "count --by-mark tier, named" "$(by_mark 3840 | sed 's|^0x100/0xf00 .*|& tier=gold|; s|^0x0/0xf00 .*|& tier=0|; s|^0xa00/0xf00 .*|& tier=10|')" \
	"$(mk_ct b --layout "$tmp/layout" count --by-mark tier | awk '{ print $1, $2, $3 }' | sed 's/ $//')"
mk_ct b --layout "$tmp/layout" count --by-mark >"$tmp/whole" || mk_fail "count --by-mark"
mk_expect_eq "count --by-mark, fields" \
"0x1 app=web
0x5 app=5
0x6 app=6
0x102 app=2,tier=gold
0xca6c app=108,tier=10
0x20003 app=3,site=dmz
0x20102 app=2,tier=gold,site=dmz" "$(awk '{ print $1, $3 }' "$tmp/whole")"
grep -q '^0xca6c  *1  app=108,tier=10 wg-quick:fwmark-ct' "$tmp/whole" ||
	mk_fail "count --by-mark: wg-quick's value not named: $(cat "$tmp/whole")"
json=$(mk_ct b --layout "$tmp/layout" count --by-mark site -o json) ||
	mk_fail "count --by-mark site -o json"
mk_expect_eq "count --by-mark site -o json" "0 site=0 [] | 131072 site=dmz []" \
	"$(printf '%s' "$json" | jq -r '[.groups[] | "\(.mark) \(.fields | join(",")) \(.owners | tojson)"] | join(" | ")')"
json=$(mk_ct b count --by-mark -m 51820 -o json) || mk_fail "count -m 51820 -o json"
mk_expect_eq "count --by-mark -m 51820 -o json: the owner" \
	'[{"owner":"wg-quick","value":"fwmark-ct"}]' \
	"$(printf '%s' "$json" | jq -c '.groups[0].owners | map(select(.owner == "wg-quick"))')"
mk_done
