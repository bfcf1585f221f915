# A lone -A goes out as one batch with no request before it, and when
# that batch cannot apply (no table, no chain, refused, not root) markctl
# takes iptables-nft's way instead: same rule set, same message, same exit
# status as iptables-nft, and nothing left behind by the first attempt.
# Host e runs markctl, host r the reference iptables-nft, from the same
# start; nft's view of both rule sets is compared after each step.
. "$(dirname "$0")/lib.sh"
mk_need strace setpriv

mk_host e r

# requests HOST ARGS: the netlink messages markctl ARGS sends, by syscall
# ("sendmsg" is a batch, "sendto" a get), one a line.
requests()
{
	local h=$1 log

	shift
	log=$(mktemp) || mk_fail "mktemp"
	mk_in "$h" strace -f -qq -e trace=sendto,sendmsg -o "$log" \
		"$MARKCTL" "$@" >/dev/null 2>&1
	sed -n 's/^\([0-9]* *\)\{0,1\}\(sendto\|sendmsg\)(.*/\2/p' "$log"
	rm -f "$log"
}

# step FAMILY WANT_RC ARGS: the same command in e (markctl) and r
# (iptables-nft): exit status, message and the resulting rule sets match.
step()
{
	local f=$1 want=$2 rc=0 ref_rc=0 err ref six= tool=iptables-nft

	shift 2
	[ "$f" = 6 ] && { six=-6; tool=ip6tables-nft; }
	err=$(mk_markctl e $six "$@" 2>&1 >/dev/null) || rc=$?
	ref=$(mk_in r $tool "$@" 2>&1 >/dev/null) || ref_rc=$?
	mk_expect_eq "IPv$f exit status of $*" "$want $want" "$rc $ref_rc"
	mk_expect_eq "IPv$f message of $*" "$ref" "$err"
	mk_expect_eq "IPv$f rule set after $*" "$(mk_ruleset r)" \
		"$(mk_ruleset e)"
}

# No table yet: the direct batch is refused, the usual way creates the
# table and the built-in chain as iptables-nft does.
step 4 0 -t mangle -A OUTPUT -d 127.0.0.1 -p udp -j MARK --set-mark 0x5
step 6 0 -t mangle -A OUTPUT -d ::1 -p udp -j MARK --set-mark 0x6
# The chain exists now: one batch, nothing asked before it.
step 4 0 -t mangle -A OUTPUT -d 127.0.0.1 -p udp -j CONNMARK --save-mark
step 4 0 -t mangle -A OUTPUT -s 192.0.2.1,192.0.2.2 -d 198.51.100.1,198.51.100.2 -j MARK --or-mark 0x10
step 6 0 -t mangle -A OUTPUT -d ::1 -p udp -m mark --mark 0x6 -j ACCEPT
# Missing user chain, a rule the kernel refuses (one of two), a jump to a
# chain that is not there: refused whole, worded as iptables-nft.
step 4 1 -t mangle -A NOSUCH -j MARK --set-mark 0x1
step 4 4 -t mangle -A OUTPUT -s 192.0.2.1,192.0.2.2 -j CONNMARK --save-mark --right-shift-mark 32
step 6 4 -t mangle -A OUTPUT -j CONNMARK --restore-mark --left-shift-mark 32
step 4 2 -t mangle -A OUTPUT -j NOSUCH
# A new user chain, then appends to it and a jump into it.
step 4 0 -t mangle -N MARKS
step 4 0 -t mangle -A MARKS -j MARK --and-mark 0xff
step 4 0 -t mangle -A OUTPUT -j MARKS

got=$(requests e -t mangle -A OUTPUT -p tcp --dport 9 -j MARK --set-mark 0x9 | tr '\n' ' ')
mk_expect_eq "requests of -A to an existing chain" "sendmsg " "$got"
got=$(requests e -6 -t mangle -A OUTPUT -p tcp --dport 9 -j MARK --set-mark 0x9 | tr '\n' ' ')
mk_expect_eq "requests of ip6tables -A to an existing chain" "sendmsg " "$got"
# A jump needs its chain's existence checked first, as iptables-nft does.
got=$(requests e -t mangle -A OUTPUT -j MARKS | grep -c sendto)
mk_expect_num "gets before -A -j MARKS" -ge 1 "$got"
got=$(requests e -t raw -A PREROUTING -j MARK --set-mark 0x1 | tr '\n' ' ')
mk_expect_eq "requests of -A to a missing table" \
	"sendmsg sendto sendto sendto sendmsg " "$got"
mk_in r iptables-nft -t mangle -A OUTPUT -p tcp --dport 9 -j MARK --set-mark 0x9
mk_in r ip6tables-nft -t mangle -A OUTPUT -p tcp --dport 9 -j MARK --set-mark 0x9
mk_in r iptables-nft -t mangle -A OUTPUT -j MARKS
mk_in r iptables-nft -t raw -A PREROUTING -j MARK --set-mark 0x1
mk_expect_eq "rule sets after the traced commands" "$(mk_ruleset r)" \
	"$(mk_ruleset e)"

# Not root in the namespace: refused before anything, as iptables-nft.
before=$(mk_ruleset e)
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
rc=0
err=$(mk_in e "${nobody[@]}" "$MARKCTL" -t mangle -A OUTPUT -j MARK --set-mark 0x1 2>&1) || rc=$?
ref_rc=0
ref=$(mk_in r "${nobody[@]}" iptables-nft -t mangle -A OUTPUT -j MARK --set-mark 0x1 2>&1) || ref_rc=$?
mk_expect_eq "exit status of -A as nobody" "4 4" "$rc $ref_rc"
mk_expect_eq "message of -A as nobody" "$ref" "$err"
mk_expect_eq "rule set after -A as nobody" "$before" "$(mk_ruleset e)"

# The rules appended the direct way count packets: 3 datagrams to the
# loopback hit rule 1 (mark 0x5) and rule 2 (save-mark), IPv4 and IPv6.
mk_udp e 127.0.0.1 9 3
mk_udp e ::1 9 3
mk_expect_count e 4 mangle OUTPUT 1 3 "-d 127.0.0.1 -j MARK"
mk_expect_count e 4 mangle OUTPUT 2 3 "-d 127.0.0.1 -j CONNMARK"
mk_expect_count e 6 mangle OUTPUT 1 3 "-d ::1 -j MARK"
mk_expect_count e 6 mangle OUTPUT 2 3 "-d ::1 -m mark --mark 0x6"
mk_done
