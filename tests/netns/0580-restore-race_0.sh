# Restores racing other writers lose nothing (issue 14, item 1).
#
# 1. Concurrent iptables-restore --noflush jobs (markctl's drop-in name and
#    iptables-nft-restore 1.8.9 side by side) that all declare the same
#    chains (:FOO -, :BAR0 - ...), delete some of them (-X) and jump to
#    the others from FOO; beside them a loop of single -A/-I/-D and an
#    nft feeder changing another table.  Every writer must succeed; the
#    chains end as one of the files alone leaves them (the last one to
#    commit), as iptables-nft 1.8.9 leaves them in a twin namespace; the
#    single commands end as 1.8.9's do there.
# 2. A restore of 50k rules racing an nft feeder in another table succeeds
#    and holds every rule, as 1.8.9's restore of the same file does.
. "$(dirname "$0")/lib.sh"
mk_only_backend nft
mk_need nft

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT
mkdir "$tmp/dropin"
case $MARKCTL in
*iptables-as-markctl) ln -s "$(command -v iptables-nft-restore)" "$tmp/dropin/iptables-restore" ;;
*) ln -s "$MARKCTL" "$tmp/dropin/iptables-restore" ;;
esac
restore="$tmp/dropin/iptables-restore"

files=8		# restore files, each with its own -X set
rounds=6	# concurrent runs of all of them
singles=30	# -A (and -D, -I) of the single-command loop

# gen N: declares FOO and BAR0..9, deletes BAR$N, BAR$N+4 and BAR$N+8
# (mod 10), jumps from FOO to each other BAR, and fills each BAR a rule.
gen()
{
	awk -v n="$1" 'BEGIN {
		print "*filter"
		print ":INPUT ACCEPT [0:0]"
		print ":FOO - [0:0]"
		for (k = 0; k < 10; k++)
			printf ":BAR%d - [0:0]\n", k
		for (k = 0; k < 10; k++)
			del[k] = (k == n % 10 || k == (n + 4) % 10 || k == (n + 8) % 10)
		for (k = 0; k < 10; k++)
			if (del[k])
				printf "-X BAR%d\n", k
		for (k = 0; k < 10; k++)
			if (!del[k]) {
				printf "-A FOO -s 192.0.2.%d/32 -j BAR%d\n", 10 * n + k, k
				printf "-A BAR%d -m comment --comment f%d -j ACCEPT\n", k, n
			}
		print "COMMIT"
	}'
}

# The filter table chain by chain (chains by name, rules in order).
state()
{
	local h=$1 c

	for c in INPUT FORWARD OUTPUT $(mk_ipt "$h" -S | sed -n 's/^-N //p' | sort); do
		mk_ipt "$h" -S "$c"
	done
}

# singles HOST TOOL...: -A of each rule, -D of every second, -I 1 of every
# fifth, one command at a time, in mangle (the restores empty filter).
singles()
{
	local h=$1 k

	shift
	for k in $(seq $singles); do
		mk_in "$h" "$@" -t mangle -A FORWARD -m comment --comment a-$k -j ACCEPT || return 1
		if [ $((k % 2)) = 0 ]; then
			mk_in "$h" "$@" -t mangle -D FORWARD -m comment --comment a-$k -j ACCEPT || return 1
		fi
		if [ $((k % 5)) = 0 ]; then
			mk_in "$h" "$@" -t mangle -I FORWARD 1 -m comment --comment i-$k -j DROP || return 1
		fi
	done
}

# feeder HOST N [STOP]: N rules into table ip other, one transaction
# each, the chain flushed after each hundred (nft reads it whole for each
# command): N % 100 rules stay.  Ends early, at a hundred, once file STOP
# exists.
feeder()
{
	local k

	for k in $(seq "$2"); do
		echo "add rule ip other c counter"
		[ $((k % 100)) != 0 ] || echo "flush chain ip other c"
		[ $((k % 100)) != 0 ] || [ ! -e "${3:-/nonexistent}" ] || break
	done | mk_in "$1" nft -i >/dev/null
}

# Waits (5 s at most) for the feeder of HOST to have committed.
feeder_started()
{
	local i

	for i in $(seq 50); do
		mk_in "$1" nft list chain ip other c | grep -q counter && return
		sleep 0.1
	done
}

for n in $(seq $files); do
	gen "$n" >"$tmp/f$n"
done
mk_host m i

# What each file leaves alone, as iptables-nft 1.8.9 leaves it.
for n in $(seq $files); do
	mk_in i nft flush ruleset
	mk_in i iptables-nft-restore --noflush <"$tmp/f$n" || mk_fail "1.8.9: f$n"
	state i >"$tmp/want$n"
done
mk_in i nft flush ruleset
singles i "$MK_REF" || mk_fail "1.8.9: single commands"
want_singles=$(mk_ipt i -t mangle -S FORWARD)

mk_in m nft add table ip other
mk_in m nft add chain ip other c
failed=0
feeder m 3050 &
fpid=$!
feeder_started m
singles m "$MARKCTL" &
spid=$!
for r in $(seq $rounds); do
	mk_in m "$restore" <<<$'*filter\nCOMMIT' || mk_fail "round $r: emptying"
	pids=()
	for n in $(seq $files); do
		if [ $((n % 2)) = 1 ]; then
			mk_in m "$restore" --noflush -w <"$tmp/f$n" &
		else
			mk_in m iptables-nft-restore --noflush -w <"$tmp/f$n" &
		fi
		pids+=($!)
	done
	for p in "${pids[@]}"; do
		wait "$p" || failed=$((failed + 1))
	done
	state m >"$tmp/got"
	match=0
	for n in $(seq $files); do
		cmp -s "$tmp/want$n" "$tmp/got" && match=$n
	done
	[ "$match" != 0 ] || {
		mk_log "round $r: the chains are no file's:"
		cat "$tmp/got" >&2
		MK_ERRORS=$((${MK_ERRORS:-0} + 1))
	}
done
mk_expect_num "failed restores" -eq 0 "$failed"
wait "$spid" || mk_fail "single -A/-I/-D failed"
wait "$fpid" || mk_fail "the nft feeder failed"
mk_expect_eq "single -A/-D/-I: FORWARD as 1.8.9 leaves it" \
	"$want_singles" "$(mk_ipt m -t mangle -S FORWARD)"
mk_expect_num "rules the nft feeder left" -eq 50 \
	"$(mk_in m nft list chain ip other c | grep -c counter)"

# 2. 50k rules against a feeder that commits all the time.
awk 'BEGIN {
	print "*filter"
	print ":BIG - [0:0]"
	for (i = 0; i < 50000; i++)
		printf "-A BIG -s 198.51.%d.%d/32 -p udp --dport %d -j ACCEPT\n",
		       int(i / 256) % 256, i % 256, 1 + i % 65535
	print "-A INPUT -j BIG"
	print "COMMIT"
}' >"$tmp/big"
mk_in m nft flush ruleset
mk_in i nft flush ruleset
mk_in m nft add table ip other
mk_in m nft add chain ip other c
mk_in i iptables-nft-restore --noflush <"$tmp/big" || mk_fail "1.8.9: 50k rules"
# (at most 500k commits: it is stopped once the restore is done)
feeder m 500000 "$tmp/stop" &
fpid=$!
feeder_started m
mk_in m "$restore" --noflush <"$tmp/big" || mk_fail "50k rules racing the feeder"
kill -0 "$fpid" 2>/dev/null || mk_log "note: the feeder ended before the restore"
touch "$tmp/stop"
wait "$fpid" || mk_fail "the nft feeder failed"
mk_expect_eq "50k rules: filter as 1.8.9 restores it" \
	"$(mk_in i iptables-nft-save -t filter | grep -v '^#')" \
	"$(mk_in m iptables-nft-save -t filter | grep -v '^#')"
mk_expect_num "rules the nft feeder left" -eq 0 \
	"$(mk_in m nft list chain ip other c | grep -c counter)"
mk_done
