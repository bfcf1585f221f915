# shellcheck shell=bash
# Helpers for markctl's network-namespace tests; sourced by every
# tests/netns/NNNN-name_N.sh (bash).  Each test builds its own hosts as
# throwaway namespaces named mk-<run id>-<host>; the EXIT trap installed here
# kills what the test started in them and deletes them, also on failure or
# interrupt.  Nothing here touches the root namespace's netfilter state.
#
# Addresses: only 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and
# 2001:db8::/32.  Traffic is bounded: fixed packet counts, timeouts.

set -u

MK_TESTDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${MK_RUN_ID:=$(printf '%04x%04x' $RANDOM $RANDOM)}"
MK_PREFIX="mk-$MK_RUN_ID-"
MK_HOSTS=()
MK_PIDS=()

# IPv4 subnets and IPv6 /64s handed out to links, in order.
MK_NET4=(192.0.2 198.51.100 203.0.113)
MK_NET6=(2001:db8:1: 2001:db8:2: 2001:db8:3:)

mk_log()  { printf '%s\n' "$*" >&2; }
mk_fail() { mk_log "FAIL: $*"; exit 1; }
mk_skip() { mk_log "SKIP: $*"; exit 77; }

# The binary under test: $MARKCTL, made absolute because commands run
# through "ip netns exec"; else the built ../../markctl, else PATH.
mk_find_markctl()
{
	local m=${MARKCTL:-}

	if [ -z "$m" ]; then
		if [ -x "$MK_TESTDIR/../../markctl" ]; then
			m=$MK_TESTDIR/../../markctl
		else
			m=$(command -v markctl) || mk_skip "no markctl binary (set MARKCTL)"
		fi
	fi
	case $m in
	*/*) [ -x "$m" ] || mk_fail "MARKCTL=$m is not executable"
	     m=$(cd "$(dirname "$m")" && pwd)/$(basename "$m") ;;
	*)   m=$(command -v "$m") || mk_fail "MARKCTL=$m not found" ;;
	esac
	MARKCTL=$m
	export MARKCTL
}

mk_need()
{
	local t

	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || mk_skip "$t is not installed"
	done
}

# The tests of explain/audit: markctl has SUBCOMMAND, and the tree's
# data/owners is the known-owners file (MARKCTL_OWNERS).
mk_need_owners()
{
	"$MARKCTL" "$1" -h >/dev/null 2>&1 || mk_skip "$MARKCTL has no $1 command"
	MARKCTL_OWNERS=${top_srcdir:-$MK_TESTDIR/../..}/data/owners
	[ -r "$MARKCTL_OWNERS" ] || mk_skip "no data/owners"
	export MARKCTL_OWNERS
}

mk_cleanup()
{
	local h pid

	trap - INT TERM
	for h in "${MK_HOSTS[@]}"; do
		for pid in $(ip netns pids "$MK_PREFIX$h" 2>/dev/null); do
			kill -9 "$pid" 2>/dev/null
		done
	done
	# (stderr closed: bash would report each killed job)
	for pid in "${MK_PIDS[@]}"; do
		kill -9 "$pid"
		wait "$pid"
	done 2>/dev/null
	for h in "${MK_HOSTS[@]}"; do
		ip netns del "$MK_PREFIX$h" 2>/dev/null
	done
	MK_HOSTS=()
	MK_PIDS=()
}

trap mk_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Full namespace name of host $1.
mk_ns() { printf '%s%s' "$MK_PREFIX" "$1"; }

# Run a command in host $1.
mk_in()
{
	local h=$1

	shift
	ip netns exec "$MK_PREFIX$h" "$@"
}

# Hosts: a namespace each, loopback up, IPv6 without duplicate address
# detection so addresses work at once.
mk_host()
{
	local h ns

	for h in "$@"; do
		ns=$MK_PREFIX$h
		ip netns add "$ns" || mk_fail "ip netns add $ns"
		MK_HOSTS+=("$h")
		ip -n "$ns" link set lo up
		mk_in "$h" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 \
			net.ipv4.conf.all.rp_filter=0 \
			net.ipv4.conf.default.rp_filter=0 >/dev/null
	done
}

mk_router()
{
	local h

	for h in "$@"; do
		mk_in "$h" sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.forwarding=1 >/dev/null
	done
}

# mk_link A IFA B IFB N: veth pair A:IFA <-> B:IFB on link subnet N (0..2):
# A gets .1 / ::1, B gets .2 / ::2.  The pair is created inside A, the peer
# moved straight into B, so the root namespace never holds it.
mk_link()
{
	local a=$1 ia=$2 b=$3 ib=$4 n=$5

	ip -n "$MK_PREFIX$a" link add "$ia" type veth peer name "$ib" \
		netns "$MK_PREFIX$b" || mk_fail "veth $a:$ia - $b:$ib"
	mk_addr "$a" "$ia" "${MK_NET4[$n]}.1/24" "${MK_NET6[$n]}:1/64"
	mk_addr "$b" "$ib" "${MK_NET4[$n]}.2/24" "${MK_NET6[$n]}:2/64"
	mk_wait_up "$a" "$ia"
	mk_wait_up "$b" "$ib"
	# Resolve neighbours now, so the first packets of a test are not
	# queued behind (or lost to) address resolution.
	mk_ping "$a" "${MK_NET4[$n]}.2"
	mk_ping "$a" "${MK_NET6[$n]}:2"
}

# mk_wait_up HOST IF: wait (up to 5 s) for the carrier of IF.
mk_wait_up()
{
	local i

	for i in $(seq 50); do
		mk_in "$1" ip link show "$2" | grep -q 'state UP' && return 0
		sleep 0.1
	done
	mk_fail "$1:$2 has no carrier"
}

# mk_addr HOST IF ADDR...: add addresses (nodad for IPv6) and bring IF up.
mk_addr()
{
	local h=$1 dev=$2 a

	shift 2
	for a in "$@"; do
		case $a in
		*:*) ip -n "$MK_PREFIX$h" -6 addr add "$a" dev "$dev" nodad ;;
		*)   ip -n "$MK_PREFIX$h" addr add "$a" dev "$dev" ;;
		esac || mk_fail "addr $a on $h:$dev"
	done
	ip -n "$MK_PREFIX$h" link set "$dev" up
}

# Address of the .1 / .2 end of link N: mk_ip4 N 1, mk_ip6 N 2.
mk_ip4() { printf '%s.%s' "${MK_NET4[$1]}" "$2"; }
mk_ip6() { printf '%s:%s' "${MK_NET6[$1]}" "$2"; }

# mk_line H1 H2 [H3]: hosts in a line, H1-H2 on link 0, H2-H3 on link 1,
# interfaces named after the peer (on H1 "to-h2"...), H2 forwarding, end
# hosts routing everything through their neighbour.
mk_line()
{
	mk_host "$@"
	mk_link "$1" "to-$2" "$2" "to-$1" 0
	if [ $# -eq 2 ]; then
		return
	fi
	mk_link "$2" "to-$3" "$3" "to-$2" 1
	mk_router "$2"
	mk_in "$1" ip route add default via "$(mk_ip4 0 2)"
	mk_in "$1" ip -6 route add default via "$(mk_ip6 0 2)"
	mk_in "$3" ip route add default via "$(mk_ip4 1 1)"
	mk_in "$3" ip -6 route add default via "$(mk_ip6 1 1)"
}

# The backend under test, MK_BACKEND=nft (default) or legacy: markctl runs
# with MARKCTL_BACKEND set to it, and the reference tools are the iptables
# of that backend: $MK_REF / $MK_REF6 (iptables-nft or iptables-legacy),
# with -save and -restore after them.
: "${MK_BACKEND:=nft}"
case $MK_BACKEND in
nft|legacy) ;;
*) mk_fail "MK_BACKEND=$MK_BACKEND: nft or legacy" ;;
esac
MK_REF=iptables-$MK_BACKEND
MK_REF6=ip6tables-$MK_BACKEND
MARKCTL_BACKEND=$MK_BACKEND
export MK_BACKEND MARKCTL_BACKEND

# mk_ref 4|6: the reference tool of a family.
mk_ref() { if [ "$1" = 6 ]; then echo "$MK_REF6"; else echo "$MK_REF"; fi; }

# A test of one backend only: skip under the other.
mk_only_backend()
{
	[ "$MK_BACKEND" = "$1" ] || mk_skip "a test of the $1 backend (MK_BACKEND=$MK_BACKEND)"
}

# Forget every rule of HOST in the backend under test: nf_tables' whole
# ruleset, or each legacy table that exists (flushed, user chains gone,
# policies back to ACCEPT; x_tables tables cannot be removed).
mk_flush_all()
{
	local h=$1 f t

	if [ "$MK_BACKEND" = nft ]; then
		mk_in "$h" nft flush ruleset
		return
	fi
	for f in 4 6; do
		for t in $(mk_in "$h" cat "/proc/net/ip${f/4/}_tables_names"); do
			mk_in "$h" "$(mk_ref $f)-save" -t "$t" |
				sed -e '/^:/s/ [A-Z]* \[.*\]$/ ACCEPT [0:0]/' \
				    -e '/^:/!{/^[*C#]/!d}' -e '/^:.* - /d' |
				mk_in "$h" "$(mk_ref $f)-restore"
		done
	done
}

# Commands in a host: markctl under test, and the reference tool.
mk_markctl() { local h=$1; shift; mk_in "$h" "$MARKCTL" "$@"; }
mk_ipt()     { local h=$1; shift; mk_in "$h" "$MK_REF" "$@"; }
mk_ip6t()    { local h=$1; shift; mk_in "$h" "$MK_REF6" "$@"; }

# mk_run HOST ARGS: markctl ARGS in HOST, failing the test on error.
mk_run()
{
	local h=$1 err

	shift
	err=$(mk_markctl "$h" "$@" 2>&1 >/dev/null) ||
		mk_fail "in $h: markctl $* failed: $err"
}

# mk_count HOST 4|6 TABLE CHAIN NUM: packets of rule NUM, read with the
# reference tool so the test does not trust markctl's listing.
mk_count()
{
	local h=$1 f=$2 t=$3 c=$4 n=$5 tool

	tool=$(mk_ref "$f")
	mk_in "$h" $tool -t "$t" -L "$c" -v -x -n --line-numbers |
		awk -v n="$n" '$1 == n { print $2; found = 1 }
			       END { if (!found) print "none" }'
}

# mk_count_c HOST 4|6 TABLE CHAIN COMMENT: packets of the rule carrying
# "-m comment --comment COMMENT" (a bare word), read with the reference.
mk_count_c()
{
	local tool

	tool=$(mk_ref "$2")
	mk_in "$1" $tool -t "$3" -L "$4" -v -x -n |
		awk -v c="/* $5 */" 'index($0, c) { print $1; found = 1 }
				     END { if (!found) print "none" }'
}

# mk_expect_num WHAT OP WANT GOT: integer comparison (OP as for test:
# -eq -ge -gt ...), reported on failure.
mk_expect_num()
{
	if ! [ "$4" "$2" "$3" ] 2>/dev/null; then
		mk_log "$1: expected $2 $3, got $4"
		MK_ERRORS=$((${MK_ERRORS:-0} + 1))
	fi
}

# mk_expect_count HOST 4|6 TABLE CHAIN NUM WANT [WHAT]
mk_expect_count()
{
	local got

	got=$(mk_count "$1" "$2" "$3" "$4" "$5")
	if [ "$got" != "$6" ]; then
		mk_log "in $1 (IPv$2) $3 $4 rule $5 (${7:-}): $6 packets expected, $got counted"
		# The whole chain once per test is enough to see what happened.
		if [ -z "${MK_SHOWN:-}" ]; then
			MK_SHOWN=1
			mk_in "$1" "$(mk_ref "$2")" \
				-t "$3" -L "$4" -v -x -n --line-numbers >&2
		fi
		MK_ERRORS=$((${MK_ERRORS:-0} + 1))
	fi
}

# mk_expect_eq WHAT WANT GOT: compare strings, show both on mismatch.
mk_expect_eq()
{
	if [ "$2" != "$3" ]; then
		mk_log "$1: mismatch"
		diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$3") \
			--label expected --label got >&2
		MK_ERRORS=$((${MK_ERRORS:-0} + 1))
	fi
}

# mk_expect_rc WHAT WANT CMD...: run CMD, compare its exit status.
mk_expect_rc()
{
	local what=$1 want=$2 rc=0

	shift 2
	"$@" >/dev/null 2>&1 || rc=$?
	if [ "$rc" != "$want" ]; then
		mk_log "$what: exit $want expected, got $rc: $*"
		MK_ERRORS=$((${MK_ERRORS:-0} + 1))
	fi
}

# mk_expect_same_listing HOST 4|6: after traffic (non-zero counters),
# markctl lists the kernel's rules exactly as the reference does: -L with
# counters, -S -v, and save -c (minus its comment lines), every table.
mk_expect_same_listing()
{
	local h=$1 f=$2 t ref six=

	ref=$(mk_ref "$f")
	[ "$f" = 6 ] && six=-6
	for t in filter mangle raw nat security; do
		mk_same_live "IPv$f markctl -t $t -L -n -v -x --line-numbers in $h" \
			"$h" -t $t -L -n -v -x --line-numbers
		mk_same_live "IPv$f markctl -t $t -S -v in $h" "$h" -t $t -S -v
	done
	mk_same_live "IPv$f markctl save -c in $h" "$h" save -c
}

# mk_same_live WHAT HOST ARGS: markctl ARGS (family $six, $ref from the
# caller) against the reference tool, while stray packets (IPv6 neighbour
# discovery...) may still move counters: the reference listing taken just
# before and just after markctl's must agree, else try again.
mk_same_live()
{
	local what=$1 h=$2 r1 r2 m i

	shift 2
	for i in 1 2 3 4 5 6 7 8; do
		if [ "$1" = save ]; then
			r1=$(mk_in "$h" $ref-save -c 2>&1 | grep -v '^#')
			m=$(mk_markctl "$h" save $six -c 2>&1 | grep -v '^#')
			r2=$(mk_in "$h" $ref-save -c 2>&1 | grep -v '^#')
		else
			r1=$(mk_in "$h" $ref "$@" 2>&1)
			m=$(mk_markctl "$h" $six "$@" 2>&1)
			r2=$(mk_in "$h" $ref "$@" 2>&1)
		fi
		[ "$r1" = "$r2" ] && break
		sleep 0.3
	done
	mk_expect_eq "$what" "$r1" "$m"
}

# End of a test: fail if any expectation failed.
mk_done()
{
	if [ "${MK_ERRORS:-0}" -ne 0 ]; then
		mk_fail "${MK_ERRORS} expectation(s) failed"
	fi
	exit 0
}

# mk_ctmarks HOST 4|6 PROTO DPORT: conntrack marks (decimal, one a line,
# sorted) of the flows to DPORT in HOST.
mk_ctmarks()
{
	local fam=ipv4

	[ "$2" = 6 ] && fam=ipv6
	mk_in "$1" conntrack -L -f $fam -p "$3" --dport "$4" 2>/dev/null |
		sed -n 's/.* mark=\([0-9]*\).*/\1/p' | sort -n
}

# mk_udp HOST DST PORT COUNT: COUNT datagrams (one each, new source port
# per datagram) from HOST to DST:PORT.
mk_udp()
{
	mk_in "$1" bash -c 'for i in $(seq "$3"); do
		echo "$i" > "/dev/udp/$1/$2" || exit 1; done' - "$2" "$3" "$4" ||
		mk_fail "udp from $1 to $2:$3"
}

# mk_udp_flow HOST DST PORT COUNT: COUNT datagrams on one socket (one flow).
mk_udp_flow()
{
	mk_in "$1" bash -c 'exec 3>"/dev/udp/$1/$2" || exit 1
		for i in $(seq "$3"); do echo "$i" >&3; done' - "$2" "$3" "$4" ||
		mk_fail "udp flow from $1 to $2:$3"
}

# mk_tcp_server HOST PORT: background echo server (one connection at a
# time, bounded lifetime), waits until it listens.
mk_tcp_server()
{
	local h=$1 port=$2 i

	# Started directly (not through a function), so $! is socat itself.
	ip netns exec "$MK_PREFIX$h" socat -T 5 \
		TCP6-LISTEN:"$port",ipv6only=0,reuseaddr,fork EXEC:cat >/dev/null 2>&1 &
	MK_PIDS+=($!)
	for i in $(seq 50); do
		mk_in "$h" ss -Hltn "sport = :$port" | grep -q . && return 0
		sleep 0.1
	done
	mk_fail "tcp server on $h:$port did not start"
}

# mk_tcp_talk HOST DST PORT [LINES]: one TCP connection sending LINES lines
# (default 3) and reading them back; fails unless the echo came back.
mk_tcp_talk()
{
	local h=$1 dst=$2 port=$3 n=${4:-3} want got addr

	want=$(seq "$n")
	case $dst in *:*) addr="TCP6:[$dst]:$port" ;; *) addr="TCP4:$dst:$port" ;; esac
	got=$(printf '%s\n' "$want" | mk_in "$h" timeout 10 socat -t 2 - "$addr") ||
		mk_fail "tcp from $h to $dst:$port failed"
	[ "$got" = "$want" ] || mk_fail "tcp echo from $dst:$port: got '$got'"
}

# mk_ping HOST DST [COUNT]: bounded ping that must succeed.
mk_ping()
{
	mk_in "$1" ping -q -n -c "${3:-1}" -i 0.2 -W 2 "$2" >/dev/null ||
		mk_fail "ping from $1 to $2"
}

# The kernel's state in HOST (for before/after): nft's view of everything,
# or both families' legacy tables as the reference tools save them.
mk_ruleset()
{
	if [ "$MK_BACKEND" = nft ]; then
		mk_in "$1" nft list ruleset 2>/dev/null
		return
	fi
	mk_in "$1" "$MK_REF-save" -c 2>/dev/null | grep -v '^#'
	mk_in "$1" "$MK_REF6-save" -c 2>/dev/null | grep -v '^#'
}

# Differential testing: mk_differential CORPUS 4|6.  Each line of CORPUS
# is one iptables command line (without the program name), run by markctl
# in host m and by the reference iptables-nft in host i; exit status,
# stdout and stderr must be byte-identical, and so must the reference
# tool's save output of both hosts after every line.  "@list" lines (and
# the end of the file) compare -S, -L -n -v -x --line-numbers and save of
# every table as listed by each tool.  "#" starts a comment line.
mk_diff_tool()
{
	local h=$1 w=$2

	shift 2
	case $w$MK_DIFF_FAM in
	m4) mk_in "$h" "$MK_DIFF_TMP/bin/iptables" "$@" ;;
	m6) mk_in "$h" "$MK_DIFF_TMP/bin/ip6tables" "$@" ;;
	i4) mk_in "$h" "$MK_REF" "$@" ;;
	i6) mk_in "$h" "$MK_REF6" "$@" ;;
	esac
}

mk_diff_save()
{
	local six=

	[ "$MK_DIFF_FAM" = 6 ] && six=6
	if [ "$2" = m ]; then
		mk_markctl "$1" save ${six:+-6}
	else
		mk_in "$1" "ip${six}tables-$MK_BACKEND-save"
	fi | grep -v '^#'
}

# mk_diff_cmp WHAT ARGS...: same command in both hosts, same results.
mk_diff_cmp()
{
	local what=$1 om oi rm=0 ri=0 d=$MK_DIFF_TMP

	shift
	mk_diff_tool m m "$@" >"$d/m.out" 2>"$d/m.err" || rm=$?
	mk_diff_tool i i "$@" >"$d/i.out" 2>"$d/i.err" || ri=$?
	if [ "$rm" != "$ri" ]; then
		mk_log "$what: exit status $rm, $MK_REF $ri"
		MK_ERRORS=$((${MK_ERRORS:-0} + 1))
	fi
	for om in out err; do
		if ! cmp -s "$d/i.$om" "$d/m.$om"; then
			mk_log "$what: std$om differs (- $MK_REF, + markctl)"
			diff -u "$d/i.$om" "$d/m.$om" | tail -n +3 >&2
			MK_ERRORS=$((${MK_ERRORS:-0} + 1))
		fi
	done
}

mk_diff_lists()
{
	local where=$1 t sm si

	for t in filter mangle raw security nat; do
		mk_diff_cmp "$where: -t $t -S" -t $t -S
		mk_diff_cmp "$where: -t $t -L" -t $t -L -n -v -x --line-numbers
	done
	sm=$(mk_diff_save m m)
	si=$(mk_diff_save i i)
	mk_expect_eq "$where: markctl save vs $MK_REF-save" "$si" "$sm"
}

mk_differential()
{
	local corpus=$1 line n=0 sm si

	MK_DIFF_FAM=$2
	MK_DIFF_TMP=$(mktemp -d) || mk_fail "mktemp"
	# shellcheck disable=SC2064
	trap "rm -rf '$MK_DIFF_TMP'; mk_cleanup" EXIT
	# markctl under its drop-in names, which promise iptables' bytes
	mkdir "$MK_DIFF_TMP/bin"
	ln -s "$MARKCTL" "$MK_DIFF_TMP/bin/iptables"
	ln -s "$MARKCTL" "$MK_DIFF_TMP/bin/ip6tables"
	mk_host m i
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		case $line in
		''|'#'*) continue ;;
		@list) mk_diff_lists "$corpus:$n"; continue ;;
		esac
		eval "set -- $line"
		mk_diff_cmp "$corpus:$n: $line" "$@"
		si=$(mk_diff_save i i)
		sm=$(mk_diff_save m i)
		mk_expect_eq "$corpus:$n: kernel state after: $line" "$si" "$sm"
		if [ "$si" != "$sm" ]; then
			# Resynchronise m with i, so later lines are judged on
			# their own rather than all failing after this one.
			mk_flush_all m
			mk_diff_save i i | mk_in m "ip${MK_DIFF_FAM/4/}tables-$MK_BACKEND-restore"
		fi
	done <"$corpus"
	mk_diff_lists "$corpus:end"
}

mk_find_markctl
mk_need ip "$MK_REF" "$MK_REF6" nft
