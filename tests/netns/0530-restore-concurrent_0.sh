# Concurrent writers on one ruleset: markctl restore --noflush jobs,
# iptables-nft-restore --noflush jobs, and loops of single -A commands
# from markctl and iptables-nft, all at once.  Every command must succeed,
# no rule may be lost, and each restore file's rules must stand together
# and in order (one transaction each), its new chain complete.
. "$(dirname "$0")/lib.sh"
mk_only_backend nft
mk_need timeout

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT

jobs=3		# restore jobs per tool
rounds=4	# files per job
per=50		# rules per file
singles=40	# -A per loop

# gen TAG: a --noflush file appending $per rules tagged TAG-1..$per to
# PREROUTING, and a new chain c-TAG of 5 rules.
gen()
{
	awk -v tag="$1" -v n="$per" 'BEGIN {
		print "*mangle"
		print ":c-" tag " - [0:0]"
		for (k = 1; k <= n; k++)
			printf "-A PREROUTING -m comment --comment %s-%d -j MARK --set-mark %d\n", tag, k, k
		for (k = 1; k <= 5; k++)
			printf "-A c-%s -j MARK --or-mark %d\n", tag, k
		print "COMMIT"
	}'
}

mk_host m
mk_markctl m -t mangle -A PREROUTING -m comment --comment start -j ACCEPT ||
	mk_fail "first rule"

pids=()
for tool in m i; do
	for j in $(seq $jobs); do
		for r in $(seq $rounds); do
			gen "$tool$j-$r" >"$tmp/$tool$j-$r"
		done
		(
			for r in $(seq $rounds); do
				if [ $tool = m ]; then
					mk_markctl m restore --noflush "$tmp/$tool$j-$r"
				else
					mk_in m iptables-nft-restore --noflush "$tmp/$tool$j-$r"
				fi || { echo "restore $tool$j-$r failed" >&2; exit 1; }
			done
		) &
		pids+=($!)
	done
	(
		for k in $(seq $singles); do
			if [ $tool = m ]; then
				mk_markctl m -t mangle -A PREROUTING -m comment --comment single-$tool-$k -j RETURN
			else
				mk_ipt m -t mangle -A PREROUTING -m comment --comment single-$tool-$k -j RETURN
			fi || { echo "-A single-$tool-$k failed" >&2; exit 1; }
		done
	) &
	pids+=($!)
done

failed=0
for p in "${pids[@]}"; do
	wait "$p" || failed=$((failed + 1))
done
mk_expect_num "failed writers" -eq 0 "$failed"

rules=$(mk_ipt m -t mangle -S PREROUTING | grep -c '^-A')
mk_expect_num "rules in PREROUTING" -eq \
	$((1 + 2 * jobs * rounds * per + 2 * singles)) "$rules"

# Comments in chain order; each file's tags must be TAG-1..TAG-$per in a row.
mk_ipt m -t mangle -S PREROUTING |
	sed -n 's/.*--comment \([^ ]*\) .*/\1/p' >"$tmp/order"
bad=$(awk -v n="$per" '
	/^single-/ || /^start$/ { if (open) { bad++; open = 0 } ; next }
	{
		tag = $0; sub(/-[0-9]+$/, "", tag); k = substr($0, length(tag) + 2) + 0
		if (k == 1) { if (open) bad++; open = 1; cur = tag; want = 2; seen[tag]++; next }
		if (!open || tag != cur || k != want) { bad++; open = 0; next }
		want++
		if (k == n) open = 0
	}
	END { if (open) bad++; for (t in seen) if (seen[t] != 1) bad++; print bad + 0 }' "$tmp/order")
mk_expect_num "files whose rules are split or out of order" -eq 0 "$bad"
for s in $(seq $singles); do
	for tool in m i; do
		grep -qx "single-$tool-$s" "$tmp/order" ||
			mk_expect_eq "single -A" "single-$tool-$s" "missing"
	done
done

chains=$(mk_ipt m -t mangle -S | grep -c '^-N c-')
mk_expect_num "chains made by the restores" -eq $((2 * jobs * rounds)) "$chains"
crules=$(mk_ipt m -t mangle -S | grep -c '^-A c-')
mk_expect_num "rules in those chains" -eq $((2 * jobs * rounds * 5)) "$crules"
mk_done
