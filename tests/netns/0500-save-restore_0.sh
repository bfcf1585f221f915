# markctl restore / save against iptables-nft-restore / iptables-nft-save
# 1.8.9, IPv4 and IPv6: the same file restored by markctl in host m and by
# the reference in host i must give the same kernel state (reference save
# output and nft's listing), and markctl save must print what
# iptables-nft-save prints (apart from the "#" lines).  Also -c counters,
# --noflush, -T, --test, save -t, and restore of markctl's own save output.
. "$(dirname "$0")/lib.sh"
mk_only_backend nft

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT

cat >"$tmp/v4" <<'EOF'
# written by hand, in the format iptables-save prints
*mangle
:PREROUTING ACCEPT [10:1000]
:INPUT ACCEPT [0:0]
:FORWARD DROP [3:300]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:MARKS - [0:0]
:by-if - [0:0]
[1:60] -A PREROUTING -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff
-A PREROUTING -m mark ! --mark 0x0/0xff -j ACCEPT
-A PREROUTING -i veth+ -j by-if
-A PREROUTING -s 192.0.2.0/24 -d 198.51.100.7/32 -p tcp -m tcp --dport 22 -j MARKS
[5:500] -A by-if -i eth0 -j MARK --set-xmark 0x1/0xff
-A by-if -i eth1 -j MARK --set-mark 0x2/0xff
-A by-if ! -i lo -m comment --comment "hello world \"quoted\" back\\slash" -j RETURN
-A MARKS -p udp -m udp --sport 53 -m connmark --mark 0x5/0xff -j MARK --or-mark 0x100
-A MARKS -m comment --comment plain -j MARK --and-mark 0xff
	-A MARKS   -j CONNMARK --save-mark --mask 0xffff
-A MARKS -g by-if
-A MARKS -m comment --comment "" -j RETURN
-A MARKS -m comment --comment "esc\\aped \x 'single'" -j RETURN
-A MARKS -m comment --comment x"y z" -j RETURN
[7:8]-A MARKS -m comment --comment 'quotes' -j RETURN
-A POSTROUTING -o eth0 -m mark --mark 0x1 -j CONNMARK --set-xmark 0x10/0xf0 --left-shift-mark 4
COMMIT

*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT DROP [7:8]
:allowed - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m mark --mark 0x2 -j allowed
-A allowed -p tcp -m multiport --dports 80,443 -j ACCEPT
-A OUTPUT -m connmark ! --mark 0x1 -j ACCEPT
COMMIT
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT - [0:0]
-A PREROUTING -m mark --mark 0x7 -j MARK --set-mark 0x8
COMMIT
EOF

cat >"$tmp/v6" <<'EOF'
*mangle
:PREROUTING DROP [2:200]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:MARKS - [0:0]
[9:900] -A PREROUTING -s 2001:db8::/32 -d 2001:db8:1::7/128 -j MARKS
-A PREROUTING -p ipv6-icmp -j MARK --set-mark 0x9
-A MARKS -i eth0 -p tcp -m tcp --dport 1000:2000 -m mark --mark 0x1/0xff -j CONNMARK --save-mark --right-shift-mark 8
-A MARKS -m comment --comment "v6 rule" -j MARK --set-xmark 0x3/0xffffffff
COMMIT
EOF

# A second file for --noflush: a new chain, a rule into an existing one.
cat >"$tmp/more" <<'EOF'
*mangle
:extra - [0:0]
-A extra -j MARK --set-mark 0x42
-I PREROUTING 2 -j extra
-A MARKS -m comment --comment appended -j RETURN
-R MARKS 1 -m connmark --mark 0x3 -j CONNMARK --restore-mark
COMMIT
EOF

# Commands beyond -A, several addresses (one rule per pair), and -v output.
# (-R of a rule made in the same file crashes iptables-nft-restore 1.8.9;
# "more" below replaces one the kernel has.)
cat >"$tmp/ops" <<'EOF'
*mangle
-A PREROUTING -m mark --mark 1 -j MARK --set-mark 2
-N X
-A X -s 192.0.2.4 -p tcp --dport 5 -j ACCEPT
-I X -s 192.0.2.4,192.0.2.5 -d 198.51.100.1,198.51.100.2 -j RETURN
-C X -s 192.0.2.4 -d 198.51.100.2 -j RETURN
-D X -s 192.0.2.5 -d 198.51.100.1 -j RETURN
-A PREROUTING -j X
-N GONE
-X GONE
COMMIT
EOF
# (-v of -F/-X/-Z lines is not compared: markctl prints no chain names.)
{ sed '$d' "$tmp/ops"; printf '%s\n' '-N Y' '-A Y -j RETURN' '-F Y' '-X Y' '-Z' \
	'-P FORWARD DROP' COMMIT; } >"$tmp/ops2"

# ref_save/our_save HOST SIX [ARGS]: save output without the "#" lines.
ref_save() { mk_in "$1" "ip${2}tables-nft-save" "${@:3}" | grep -v '^#'; }
our_save() { mk_markctl "$1" save ${2:+-6} "${@:3}" | grep -v '^#'; }

# round WHAT SIX RESTORE-ARGS... (file last): fresh hosts, same file.
round()
{
	local what=$1 six=$2 rm=0 ri=0 em ei

	shift 2
	mk_host m i
	em=$(mk_markctl m restore ${six:+-6} "$@" 2>&1) || rm=$?
	ei=$(mk_in i "ip${six}tables-nft-restore" "$@" 2>&1) || ri=$?
	mk_expect_eq "$what: restore exit status" "$ri" "$rm"
	mk_expect_eq "$what: restore messages" "$ei" "$em"
	mk_expect_eq "$what: kernel state (iptables-nft-save -c)" \
		"$(ref_save i "$six" -c)" "$(ref_save m "$six" -c)"
	mk_expect_eq "$what: kernel state (nft list ruleset)" \
		"$(mk_ruleset i)" "$(mk_ruleset m)"
	mk_expect_eq "$what: markctl save" "$(ref_save m "$six")" \
		"$(our_save m "$six")"
	mk_expect_eq "$what: markctl save -c" "$(ref_save m "$six" -c)" \
		"$(our_save m "$six" -c)"
	for t in mangle filter raw nat security; do
		mk_expect_eq "$what: markctl save -t $t" \
			"$(ref_save m "$six" -t "$t")" "$(our_save m "$six" -t "$t")"
	done
}

round "IPv4" "" "$tmp/v4"
# markctl's own save output restores to the same state.
our_save m "" -c >"$tmp/v4.saved"
mk_cleanup
round "IPv4 -c" "" -c "$tmp/v4"
mk_cleanup
round "IPv4 from markctl save -c" "" --counters "$tmp/v4.saved"
mk_cleanup
round "IPv4 commands, -v" "" -v "$tmp/ops"
mk_cleanup
# 1.8.9 shows -v's rules and chains only where it flushes
round "IPv4 commands, --noflush -v" "" --noflush -v "$tmp/ops"
mk_cleanup
round "IPv4 chain commands" "" "$tmp/ops2"
mk_cleanup
round "IPv6" 6 "$tmp/v6"
mk_cleanup
round "IPv6 -c" 6 -c "$tmp/v6"
mk_cleanup

# --noflush on top of an existing ruleset; -T; --test; stdin.
mk_host m i
mk_markctl m restore -c "$tmp/v4" && mk_in i iptables-nft-restore -c "$tmp/v4" ||
	mk_fail "restore of $tmp/v4"
mk_markctl m restore --noflush <"$tmp/more" &&
	mk_in i iptables-nft-restore --noflush <"$tmp/more" ||
	mk_fail "restore --noflush of $tmp/more"
mk_expect_eq "--noflush" "$(ref_save i "" -c)" "$(ref_save m "" -c)"
mk_markctl m restore -T raw "$tmp/more" && mk_in i iptables-nft-restore -T raw "$tmp/more" ||
	mk_fail "restore -T raw"
mk_expect_eq "-T raw (mangle lines ignored)" "$(ref_save i "" -c)" "$(ref_save m "" -c)"
# a table -T leaves out needs no COMMIT: the next table line starts anew
printf '%s\n' '*mangle' '-A PREROUTING -j ACCEPT' '*filter' \
	'-A INPUT -m mark --mark 0x7 -j ACCEPT' COMMIT >"$tmp/skip"
mk_markctl m restore -n -T filter "$tmp/skip" &&
	mk_in i iptables-nft-restore -n -T filter "$tmp/skip" ||
	mk_fail "restore -T filter of $tmp/skip"
mk_expect_eq "-T filter after a skipped table without COMMIT" \
	"$(ref_save i "" -c)" "$(ref_save m "" -c)"
before=$(mk_ruleset m)
mk_markctl m restore --test "$tmp/v4" || mk_fail "restore --test"
mk_markctl m restore -6 --test "$tmp/v6" || mk_fail "restore -6 --test"
mk_markctl m restore -t -n "$tmp/more" || mk_fail "restore -t -n"
mk_expect_eq "--test changes nothing" "$before" "$(mk_ruleset m)"
mk_cleanup

# Save of an empty ruleset prints nothing; save -t of a missing table
# prints its built-ins; an unknown table is an error.
mk_host m
for a in "" "-t nat" "-t nosuch" "-c -t raw" "-x" "extra"; do
	om=$(mk_markctl m save $a 2>&1; echo "exit $?")
	oi=$(mk_in m iptables-nft-save $a 2>&1; echo "exit $?")
	mk_expect_eq "save $a on an empty ruleset" "$(grep -v '^#' <<<"$oi")" \
		"$(grep -v '^#' <<<"$om")"
done
mk_cleanup

# Tables nft made: one with an expression iptables cannot express prints
# as a comment; legacy tables next to the nft ones add a warning on stderr.
mk_host m
mk_in m nft -f - <<'EOF' || mk_fail "nft -f"
table ip mangle {
	chain PREROUTING {
		type filter hook prerouting priority -150; policy accept;
		ct state new accept
	}
}
table ip filter {
	chain INPUT {
		type filter hook input priority 0; policy accept;
		meta mark 5 accept
	}
}
EOF
mk_in m iptables-legacy -t raw -S >/dev/null
for a in "" "-t mangle" "-t filter" "-c"; do
	om=$(mk_markctl m save $a 2>&1; echo "exit $?")
	oi=$(mk_in m iptables-nft-save $a 2>&1; echo "exit $?")
	mk_expect_eq "save $a of nft-made tables" "$(grep -v '^# [GC]' <<<"$oi")" \
		"$(grep -v '^# [GC]' <<<"$om")"
done
mk_done
