# One dump where one is enough: on a filter table whose user chain holds
# many rules, save, -L, -S and -C/-D by rule spec read the kernel's rules
# no more often than iptables-nft 1.8.9 does (receive calls counted with
# strace; the chain read twice doubles them), and print what it prints,
# the "(N references)" of each chain included.
. "$(dirname "$0")/lib.sh"
mk_need strace

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT

n=20000
awk -v n=$n 'BEGIN {
	print "*filter"
	print ":BIG - [0:0]"
	print ":SMALL - [0:0]"
	print ":EMPTY - [0:0]"
	print "-A INPUT -j BIG"
	print "-A INPUT -j SMALL"
	print "-A FORWARD -j SMALL"
	print "-A BIG -j SMALL"
	for (i = 1; i <= n; i++)
		printf "-A BIG -s 198.51.%d.%d/32 -p tcp --dport %d -j ACCEPT\n", int(i / 256) % 256, i % 256, i % 65535 + 1
	print "-A SMALL -j RETURN"
	print "COMMIT"
}' >"$tmp/rules"

mk_host m
mk_in m iptables-nft-restore "$tmp/rules" || mk_fail "restore"

# receives TOOL ARGS: recvmsg/recvfrom calls of one run, its output kept.
receives()
{
	mk_in m strace -f -qq -c -e trace=recvmsg,recvfrom -o "$tmp/strace" \
		"$@" >"$tmp/out" 2>&1
	awk '$NF == "recvmsg" || $NF == "recvfrom" { n += $4 } END { print n + 0 }' \
		"$tmp/strace"
}

last="BIG -s 198.51.$(( n / 256 % 256 )).$(( n % 256 ))/32 -p tcp --dport $(( n % 65535 + 1 )) -j ACCEPT"
absent="BIG -s 203.0.113.9/32 -p tcp --dport 9 -j ACCEPT"
while IFS='|' read -r what args; do
	[ -n "$what" ] || continue
	# shellcheck disable=SC2086
	if [ "$what" = save ]; then
		ri=$(receives iptables-nft-save)
		grep -v '^#' "$tmp/out" >"$tmp/i.out"
		rm=$(receives "$MARKCTL" save)
		grep -v '^#' "$tmp/out" >"$tmp/m.out"
	else
		ri=$(receives iptables-nft $args)
		cp "$tmp/out" "$tmp/i.out"
		rm=$(receives "$MARKCTL" $args)
		cp "$tmp/out" "$tmp/m.out"
	fi
	mk_expect_eq "$what: output" "$(cat "$tmp/i.out")" "$(cat "$tmp/m.out")"
	# a second read of the chain would take as many again
	mk_expect_num "$what: receive calls (iptables-nft: $ri)" -le \
		$((ri + ri / 10 + 2)) "$rm"
	mk_log "$what: markctl $rm receive calls, iptables-nft $ri"
done <<EOF
save|
-L|-L -n
-L -v|-L -n -v -x
-L BIG|-L BIG -n --line-numbers
-S|-S
-S BIG|-S BIG
-C absent|-C $absent
-C last|-C $last
EOF

# -D: the same kernel state for both, one after the other
ri=$(receives iptables-nft -D $last)
mk_in m iptables-nft -A $last || mk_fail "put the rule back"
rm=$(receives "$MARKCTL" -D $last)
mk_expect_num "-D last: receive calls (iptables-nft: $ri)" -le \
	$((ri + ri / 10 + 2)) "$rm"
mk_log "-D last: markctl $rm receive calls, iptables-nft $ri"
mk_expect_eq "-D last: the rule gone" 0 \
	"$(mk_ipt m -S BIG | grep -c -- "-A $last\$")"
mk_done
