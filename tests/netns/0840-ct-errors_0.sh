# markctl ct with bad input exits 2 with one message naming the option and
# the value (git's form: 'markctl ct: invalid value "V" for option "O"'),
# prints nothing on stdout, and changes no flow (marks and ids listed by
# conntrack before and after are the same); so do bad field expressions
# and a bad layout (markctl's --layout or MARKCTL_LAYOUT); without
# privileges it exits 4 saying so.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ct.sh"
mk_need setpriv

mk_host b
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup 2>/dev/null' EXIT
awk 'BEGIN { for (i = 1; i <= 40; i++)
	printf "-I -s 198.51.100.%d -d 203.0.113.1 -p udp --sport 1000 --dport 53 -t 300 --mark %d\n", i, i % 4 }' >"$tmp/flows"
mk_in b conntrack -R "$tmp/flows" >/dev/null 2>&1 || mk_fail "conntrack -R"
# an empty layout: names are not numbers, whatever /etc/markctl holds
export MARKCTL_LAYOUT=/dev/null
state() { mk_in b conntrack -L -o id 2>/dev/null | sed 's/.* src=\([^ ]*\) .* mark=\([0-9]*\) .* id=\([0-9]*\)/\1 \2 \3/' | sort; }
before=$(state)

# exit status | message | arguments ("" for an empty argument)
cases()
{
	while IFS='|' read -r rc msg args; do
		[ -n "$rc" ] || continue
		eval "set -- $args"
		out=$(mk_ct b "$@" 2>"$tmp/err")
		got=$?
		mk_expect_eq "markctl ct $args: status" "$rc" "$got"
		mk_expect_eq "markctl ct $args: message" "markctl ct: $msg" "$(cat "$tmp/err")"
		mk_expect_eq "markctl ct $args: stdout" "" "$out"
	done
}
cases <<'CASES'
2|invalid value "0x100000000" for option "--set-mark"|update --set-mark 0x100000000
2|invalid value "4294967296" for option "--set-mark"|update --set-mark 4294967296
2|invalid value "-1" for option "--set-mark"|update --set-mark -1
2|invalid value "1/0x100000000" for option "--set-xmark"|update --set-xmark 1/0x100000000
2|invalid value "0x10/" for option "--set-xmark"|update --set-xmark 0x10/
2|invalid value "12abc" for option "--xor-mark"|update --xor-mark 12abc
2|invalid value "" for option "--and-mark"|update --and-mark ""
2|invalid value "1 " for option "--or-mark"|update --or-mark "1 "
2|invalid value "abc" for option "--or-mark": not a number, and no mark layout names fields (/dev/null)|update --or-mark abc
2|invalid value "route=1" for option "-m": not a number, and no mark layout names fields (/dev/null)|delete -m route=1
2|invalid value "0x1/0x100000000" for option "-m"|update -m 0x1/0x100000000 --set-mark 1
2|invalid value "0x1/0x100000000" for option "--mark"|delete --mark 0x1/0x100000000
2|invalid value "nosuch" for option "-p": unknown protocol|delete -p nosuch
2|invalid value "300.1.1.1" for option "-s"|delete -s 300.1.1.1
2|invalid value "198.51.100.0/33" for option "--src": bad prefix length|delete --src 198.51.100.0/33
2|invalid value "70000" for option "--zone"|delete --zone 70000
2|invalid value "65536" for option "--dport"|delete --dport 65536
2|invalid value "198.51.100.1" for option "-s": not an IPv6 address|delete -6 -s 198.51.100.1
2|invalid value "xml" for option "-o"|list -o xml
2|invalid value "0x1/0x1" for option "--by-mark"|count --by-mark 0x1/0x1
2|invalid value "0" for option "--count"|monitor --count 0
2|update needs one of --set-mark, --set-xmark, --and-mark, --or-mark, --xor-mark|update -m 1
2|options "--set-mark" and "--or-mark" cannot be used together|update --set-mark 1 --or-mark 2
2|option "--set-mark" does not apply to "delete"|delete --set-mark 1
2|option "-m" given twice|delete -m 1 -m 2
2|option "--mark" needs a value|delete --mark
2|option "-4" cannot be inverted|delete --zone 1 ! -4
2|option "--set-mark" cannot be inverted|update ! --set-mark 1
2|unknown option "--bogus"|delete --bogus
2|unexpected argument "udp"|delete udp
2|unknown command "flush" (list, count, update, delete, monitor; see markctl ct --help)|flush
CASES
# Field expressions of a layout, and bad layouts: --layout (markctl's,
# anywhere) and MARKCTL_LAYOUT.
cat >"$tmp/layout" <<'EOF'
field route 0x00ff0000
  value isp1 1
field vpn 0x80000000
EOF
printf 'field a 0xff\nfield b 0x1\n' >"$tmp/bad"
cases <<CASES
2|invalid value "route=isp9" for option "-m": unknown value "isp9" for field "route"|--layout $tmp/layout update -m route=isp9 --set-mark route=isp1
2|invalid value "rte=1" for option "--set-mark": unknown field "rte" (layout $tmp/layout)|update --layout=$tmp/layout --set-mark rte=1
2|invalid value "route=256" for option "--set-xmark": value 256 does not fit field "route" (0-255)|update --set-xmark route=256 --layout $tmp/layout
2|invalid value "vpn=2" for option "--mark": value 2 does not fit field "vpn" (0-1)|--layout $tmp/layout delete --mark vpn=2
2|invalid value "route" for option "-m": field "route" needs a value (route=VALUE)|--layout $tmp/layout list -m route
2|invalid value "route=isp1" for option "--by-mark": a mask takes field names only, not "route=isp1"|--layout $tmp/layout count --by-mark route=isp1
2|$tmp/bad:2: field "b" overlaps field "a" (bits 0x00000001)|--layout $tmp/bad update -m vpn --set-mark route=isp1
2|$tmp/bad:2: field "b" overlaps field "a" (bits 0x00000001)|--layout $tmp/bad count --by-mark
2|$tmp/nosuch: No such file or directory|--layout $tmp/nosuch delete -m vpn
CASES
mk_expect_eq "flows unchanged by bad commands" "$before" "$(state)"
mk_expect_num "flows" -eq 40 "$(printf '%s\n' "$before" | grep -c .)"

# usage
mk_expect_rc "markctl ct without a command" 2 mk_ct b
mk_expect_rc "markctl ct --help" 0 mk_ct b --help
mk_expect_eq "markctl ct update -h" "usage: markctl ct list    [FILTER]... [-o extended,id | -o json]" \
	"$(mk_ct b update -h | head -1)"

# Not root: no capability in the namespace, status 4.
for args in "list" "count" "count -m 1" "update --set-mark 1" "delete -m 1" "monitor"; do
	# shellcheck disable=SC2086
	out=$(mk_in b setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$MARKCTL" ct $args 2>&1)
	mk_expect_eq "markctl ct $args as nobody: status" 4 "$?"
	mk_expect_eq "markctl ct $args as nobody" \
		"markctl ct: cannot open conntrack: Operation not permitted (you must be root)" "$out"
done
mk_expect_eq "flows unchanged" "$before" "$(state)"
mk_done
