# The harness itself: hosts in a line exchange IPv4 and IPv6 traffic through
# a forwarding middle host, and markctl runs inside a namespace.
. "$(dirname "$0")/lib.sh"
mk_need ping

mk_line a r b
mk_ping a "$(mk_ip4 1 2)" 2
mk_ping b "$(mk_ip4 0 1)" 2
mk_ping a "$(mk_ip6 1 2)" 2
mk_ping b "$(mk_ip6 0 1)" 2

want='-P INPUT ACCEPT
-P FORWARD ACCEPT
-P OUTPUT ACCEPT'
mk_expect_eq "markctl -S in a fresh namespace" "$want" "$(mk_markctl a -S 2>&1)"
mk_expect_eq "markctl -6 -S in a fresh namespace" "$want" "$(mk_markctl a -6 -S 2>&1)"
mk_done
