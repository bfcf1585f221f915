# Field names of the mark layout in every mark option: each rule markctl
# adds by names lands in the kernel exactly as the same rule by numbers
# added by iptables-nft (iptables-nft -S, and nft --debug=netlink for the
# native expressions), IPv4 and IPv6; marked packets carry the field's
# value; listings are iptables' unless --names is given; save --names
# restores to the same rules; markctl layout show|value; a bad layout, an
# unknown field or value exits 2 naming it and changes nothing; a numeric
# rule never reads the layout.
. "$(dirname "$0")/lib.sh"

"$MARKCTL" layout -h >/dev/null 2>&1 || mk_skip "$MARKCTL has no layout command"

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT
cat >"$tmp/layout" <<'EOF'
# the example of the layout man page
field route 0x00ff0000        # NAME MASK
  value isp1 1
  value isp2 2
field vpn 0x80000000          # a flag
field wg 0x0000ffff conntrack
EOF
export MARKCTL_LAYOUT=$tmp/layout

# names | the same by numbers (both after "-A CHAIN")
pairs='
-j MARK --set-xmark route=isp2|-j MARK --set-xmark 0x20000/0xff0000
-j MARK --set-xmark route=isp2,vpn|-j MARK --set-xmark 0x80020000/0x80ff0000
-j MARK --set-mark route=isp1|-j MARK --set-mark 0x10000/0xff0000
-j MARK --set-mark vpn|-j MARK --set-mark 0x80000000/0x80000000
-j MARK --and-mark route,vpn|-j MARK --and-mark 0x80ff0000
-j MARK --or-mark vpn|-j MARK --or-mark 0x80000000
-j MARK --xor-mark route=3|-j MARK --xor-mark 0x30000
-m mark --mark route=isp2|-m mark --mark 0x20000/0xff0000
-m mark ! --mark vpn|-m mark ! --mark 0x80000000/0x80000000
-m mark --mark route=isp1,vpn=0 -j RETURN|-m mark --mark 0x10000/0x80ff0000 -j RETURN
-m connmark --mark wg=51820|-m connmark --mark 0xca6c/0xffff
-m connmark ! --mark vpn|-m connmark ! --mark 0x80000000/0x80000000
-j CONNMARK --set-xmark wg=51820|-j CONNMARK --set-xmark 0xca6c/0xffff
-j CONNMARK --set-mark route=isp2|-j CONNMARK --set-mark 0x20000/0xff0000
-j CONNMARK --and-mark wg|-j CONNMARK --and-mark 0xffff
-j CONNMARK --or-mark vpn|-j CONNMARK --or-mark 0x80000000
-j CONNMARK --xor-mark route=isp1|-j CONNMARK --xor-mark 0x10000
-j CONNMARK --save-mark --mask route|-j CONNMARK --save-mark --mask 0xff0000
-j CONNMARK --save-mark --nfmask route --ctmask wg|-j CONNMARK --save-mark --nfmask 0xff0000 --ctmask 0xffff
-j CONNMARK --restore-mark --ctmask route,vpn --nfmask route,vpn|-j CONNMARK --restore-mark --ctmask 0x80ff0000 --nfmask 0x80ff0000
-j CONNMARK --restore-mark --mask wg --left-shift-mark 8|-j CONNMARK --restore-mark --mask 0xffff --left-shift-mark 8
'

# The kernel's view of one chain, its name and handles left out.
kernel_view()	# HOST 4|6 CHAIN
{
	local fam=ip tool=iptables-nft

	[ "$2" = 6 ] && { fam=ip6; tool=ip6tables-nft; }
	mk_in "$1" $tool -t mangle -S "$3" | sed "s/ $3 / C /; s/ $3\$/ C/"
	mk_in "$1" nft --debug=netlink list chain $fam mangle "$3" 2>/dev/null |
		grep '^ *\[' | sed 's/handle [0-9]*//'
}

mk_host h
for fam in 4 6; do
	six=; [ "$fam" = 6 ] && six=-6
	n=0
	while IFS='|' read -r names numbers; do
		[ -n "$names" ] || continue
		n=$((n + 1))
		mk_run h $six -t mangle -N "N$n"
		# shellcheck disable=SC2086
		mk_run h $six -t mangle -A "N$n" $names
		mk_in h "ip${six:+6}tables-nft" -t mangle -N "X$n"
		# shellcheck disable=SC2086
		mk_in h "ip${six:+6}tables-nft" -t mangle -A "X$n" $numbers ||
			mk_fail "iptables-nft refused: $numbers"
		mk_expect_eq "IPv$fam $names" "$(kernel_view h "$fam" "X$n")" \
			"$(kernel_view h "$fam" "N$n")"
	done <<<"$pairs"
done

# Listings: iptables' own bytes unless --names is asked for.
mk_expect_eq "-S with a layout" "$(mk_in h iptables-nft -t mangle -S)" \
	"$(mk_markctl h -t mangle -S)"
mk_expect_eq "save with a layout" "$(mk_in h iptables-nft-save -t mangle | grep -v '^#')" \
	"$(mk_markctl h save -t mangle | grep -v '^#')"
mk_expect_eq "-S --names" "-A N1 -j MARK --set-xmark route=isp2
-A N2 -j MARK --set-xmark route=isp2,vpn" \
	"$(mk_markctl h -t mangle -S --names | grep -e '^-A N1 ' -e '^-A N2 ')"
mk_expect_eq "-S N11 --names" "-A N11 -m connmark --mark wg=51820" \
	"$(mk_markctl h -t mangle -S N11 --names | grep '^-A')"
mk_expect_eq "-S N19 --names" "-A N19 -j CONNMARK --save-mark --nfmask route --ctmask wg" \
	"$(mk_markctl h -t mangle -S N19 --names | grep '^-A')"
row=$(mk_markctl h -t mangle -L N8 -n --names | tail -n 1)
case $row in
*"mark match route=isp2") ;;
*) mk_log "-L --names: $row"; MK_ERRORS=$((${MK_ERRORS:-0} + 1)) ;;
esac

# save --names, flushed, restored: the same rules.
before=$(mk_in h iptables-nft-save -t mangle | grep -v '^#')
mk_markctl h save -t mangle --names >"$tmp/names.rules" || mk_fail "save --names"
grep -q -- '--set-xmark route=isp2,vpn' "$tmp/names.rules" ||
	mk_fail "save --names wrote no names"
mk_in h nft flush ruleset
mk_markctl h restore <"$tmp/names.rules" || mk_fail "restore of save --names"
mk_expect_eq "save --names | restore" "$before" \
	"$(mk_in h iptables-nft-save -t mangle | grep -v '^#')"

# markctl layout value / show; translate by names.
mk_expect_eq "layout value" "0x20000/0xff0000
0x80020000/0x80ff0000" "$(mk_markctl h layout value route=isp2 route=isp2,vpn)"
mk_expect_eq "layout mask" "0x80ff0000" "$(mk_markctl h layout mask route,vpn)"
show=$(mk_markctl h layout show)
mk_expect_eq "layout show, route line" "field route 0x00ff0000 packet	# bits 16-23, values 0-255" \
	"$(printf '%s\n' "$show" | grep '^field route')"
mk_expect_eq "--layout before the command" "0xca6c/0xffff" \
	"$(MARKCTL_LAYOUT= mk_markctl h --layout "$tmp/layout" layout value wg=51820)"
mk_expect_eq "translate by names" \
	"nft 'add rule ip mangle PREROUTING mark and 0xff0000 == 0x20000 counter meta mark set mark or 0x80000000'" \
	"$(mk_markctl h translate -t mangle -A PREROUTING -m mark --mark route=isp2 -j MARK --or-mark vpn)"

# ip rule takes what layout value prints; packets marked by name route by it.
mk_in h ip rule add fwmark "$(mk_markctl h layout value route=isp2)" lookup 100 ||
	mk_fail "ip rule refused layout value's output"
mk_in h ip rule show | grep -q 'fwmark 0x20000/0xff0000 lookup 100' ||
	mk_fail "ip rule does not show fwmark 0x20000/0xff0000"

# Bad input: exit 2 naming what is wrong, the kernel unchanged.
state=$(mk_ruleset h)
bad()	# WHAT TEXT ARGS...: markctl ARGS exits 2 with TEXT in its message
{
	local what=$1 text=$2 out rc=0

	shift 2
	out=$(mk_markctl h "$@" 2>&1 >/dev/null) || rc=$?
	[ "$rc" = 2 ] || { mk_log "$what: exit $rc, expected 2"; MK_ERRORS=$((${MK_ERRORS:-0} + 1)); }
	case $out in
	*"$text"*) ;;
	*) mk_log "$what: message '$out' lacks '$text'"; MK_ERRORS=$((${MK_ERRORS:-0} + 1)) ;;
	esac
}
bad "unknown value" 'unknown value "isp9" for field "route"' \
	-t mangle -A PREROUTING -j MARK --set-mark route=isp9
bad "unknown field" 'unknown field "rout"' \
	-t mangle -A PREROUTING -m mark --mark rout=isp2 -j ACCEPT
bad "too big" 'value 256 does not fit field "route" (0-255)' \
	-t mangle -A PREROUTING -j MARK --set-xmark route=256
bad "mask with a value" 'a mask takes field names only' \
	-t mangle -A PREROUTING -j CONNMARK --save-mark --ctmask route=1
bad "multi-bit without value" 'field "route" needs a value' \
	-t mangle -A PREROUTING -j MARK --set-mark route
bad "layout value" 'unknown value "isp9"' layout value route=isp9
printf 'field a 0xff\nfield b 0x180\n' >"$tmp/overlap"
printf 'field a 0xf\n value big 16\n' >"$tmp/big"
printf 'field a 0xf\nfiled b 0xf0\n' >"$tmp/word"
printf 'field a 0xf\nfield a 0xf0\n' >"$tmp/dup"
bad "overlapping fields" "$tmp/overlap:2: field \"b\" overlaps field \"a\"" \
	--layout "$tmp/overlap" -t mangle -A PREROUTING -j MARK --set-mark a=1
bad "value too big" "$tmp/big:2: value \"big\" (16) does not fit field \"a\" (0-15)" \
	--layout "$tmp/big" layout show
bad "unknown word" "$tmp/word:2: unknown word \"filed\"" \
	--layout "$tmp/word" -t mangle -A PREROUTING -m mark --mark a=1
bad "duplicate name" "$tmp/dup:2: duplicate field \"a\"" \
	--layout "$tmp/dup" -t mangle -A PREROUTING -j MARK --or-mark a
bad "missing explicit layout" "$tmp/none: No such file or directory" \
	--layout "$tmp/none" -t mangle -A PREROUTING -j MARK --or-mark vpn
mk_expect_eq "kernel unchanged by refused commands" "$state" "$(mk_ruleset h)"

# Numbers never read the layout, not even a broken one.
MARKCTL_LAYOUT=$tmp/overlap mk_run h -t mangle -A PREROUTING -j MARK --set-mark 0x5 -m mark --mark 0x1/0xff
MARKCTL_LAYOUT=$tmp/overlap mk_run h -t mangle -A PREROUTING -j CONNMARK --save-mark --mask 0xff00
# Without a layout a name keeps iptables' message.
out=$(MARKCTL_LAYOUT=$tmp/none-at-all mk_markctl h -t mangle -A PREROUTING -j MARK --set-mark vpn 2>&1)
case $out in
*"/none-at-all: No such file"*) ;;
*) mk_log "missing layout named by MARKCTL_LAYOUT: $out"; MK_ERRORS=$((${MK_ERRORS:-0} + 1)) ;;
esac

# Marks set by name are on the packets: b marks UDP to 7001 with
# route=isp2,vpn and counts what arrives with exactly that value.
mk_line a b
mk_run b -t mangle -A PREROUTING -p udp --dport 7001 -j MARK --set-mark route=isp2,vpn
mk_in b iptables-nft -t mangle -A INPUT -p udp --dport 7001 -m mark --mark 0x80020000
mk_udp a "$(mk_ip4 0 2)" 7001 3
mk_expect_count b 4 mangle INPUT 1 3 "route=isp2,vpn is 0x80020000"
mk_done
