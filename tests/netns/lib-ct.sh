# shellcheck shell=bash
# Helpers of the markctl ct tests, sourced after lib.sh: markctl ct in a
# host, its listing against conntrack -L taken just before and after,
# TCP connections held open across a change, flows inserted by
# conntrack -I.  Everything runs in the tests' own namespaces.

mk_need conntrack socat jq
# Not every binary under test has "ct" (tests/netns/iptables-as-markctl).
"$MARKCTL" ct --help >/dev/null 2>&1 || mk_skip "$MARKCTL has no ct command"

# mk_ct HOST ARGS: "markctl ct ARGS" in HOST.
mk_ct() { local h=$1; shift; mk_markctl "$h" ct "$@"; }

# mk_ct_same WHAT HOST "CONNTRACK ARGS" "CT ARGS" [MIN]: conntrack -L and
# markctl ct list print the same bytes.  Timeouts tick every second, each
# flow at its own moment, so the reference is listed just before and just
# after markctl, and each of markctl's lines must be the one of either
# listing.  At least MIN (default 1) lines are expected.
mk_ct_same()
{
	local what=$1 h=$2 cargs=$3 margs=$4 min=${5:-1} r1 r2 m i bad

	for i in 1 2 3 4 5; do
		# shellcheck disable=SC2086
		r1=$(mk_in "$h" conntrack -L $cargs 2>/dev/null)
		# shellcheck disable=SC2086
		m=$(mk_ct "$h" list $margs 2>&1)
		# shellcheck disable=SC2086
		r2=$(mk_in "$h" conntrack -L $cargs 2>/dev/null)
		bad=$(paste -d '\n' <(printf '%s\n' "$r1") <(printf '%s\n' "$r2") \
			<(printf '%s\n' "$m") | awk 'NR % 3 == 1 { a = $0 }
				NR % 3 == 2 { b = $0 }
				NR % 3 == 0 && $0 != a && $0 != b { n++ }
				END { print n + 0 }')
		[ "$bad" = 0 ] && break
	done
	[ "$bad" = 0 ] || mk_expect_eq "$what" "$r1" "$m"
	mk_expect_num "$what: flows" -ge "$min" "$(printf '%s' "$r1" | grep -c .)"
}

# mk_ct_marks HOST CONNTRACK-ARGS: "proto sport dport mark" per flow (the
# original direction, icmp as "icmp - - mark"), sorted, read with
# conntrack -L.
mk_ct_marks()
{
	local h=$1

	shift
	mk_in "$h" conntrack -L "$@" 2>/dev/null | awk '{
		sp = "-"; dp = "-"; m = "?"
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^sport=/ && sp == "-") sp = substr($i, 7)
			if ($i ~ /^dport=/ && dp == "-") dp = substr($i, 7)
			if ($i ~ /^mark=/) m = substr($i, 6)
		}
		print $1, sp, dp, m }' | sort
}

# mk_tcp_open HOST DST PORT: a TCP connection from HOST to DST:PORT kept
# open; mk_tcp_send LINE sends a line on it, mk_tcp_close ends it.  One at
# a time (fd 3 of the test shell writes into it).
mk_tcp_open()
{
	local h=$1 dst=$2 port=$3 addr i

	case $dst in *:*) addr="TCP6:[$dst]:$port" ;; *) addr="TCP4:$dst:$port" ;; esac
	MK_TCP_FIFO=$(mktemp -u /tmp/mk-ct-fifo.XXXXXX)
	mkfifo "$MK_TCP_FIFO" || mk_fail "mkfifo"
	ip netns exec "$MK_PREFIX$h" timeout 60 socat -u PIPE:"$MK_TCP_FIFO" "$addr" &
	MK_PIDS+=($!)
	exec 3>"$MK_TCP_FIFO"
	rm -f "$MK_TCP_FIFO"
	for i in $(seq 50); do
		mk_in "$h" ss -Htn state established "dport = :$port" | grep -q . && return 0
		sleep 0.1
	done
	mk_fail "tcp connection from $h to $dst:$port not established"
}

mk_tcp_send() { printf '%s\n' "$1" >&3; sleep 0.2; }
mk_tcp_close() { exec 3>&-; sleep 0.2; }

# mk_udp_from HOST DST PORT SPORT [COUNT]: COUNT datagrams (default 1)
# from source port SPORT, so that later calls belong to the same flow.
mk_udp_from()
{
	local n=${5:-1} addr

	case $2 in *:*) addr="UDP6:[$2]:$3" ;; *) addr="UDP4:$2:$3" ;; esac
	for _ in $(seq "$n"); do
		echo x | mk_in "$1" timeout 2 socat -u - "$addr,sourceport=$4" ||
			mk_fail "udp from $1:$4 to $2:$3"
	done
}
