# Concurrent writers of legacy tables lose nothing: markctl and
# iptables-legacy appending (-A), inserting and deleting (-I/-D), and
# restores (drop-in per COMMIT, markctl restore across two tables,
# iptables-legacy-restore), all at once in one namespace.  Every command
# must succeed and every rule be there at the end: the xtables lock makes
# each read-modify-replace whole.  The lock file is the test's own.
MK_BACKEND=legacy
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT
export XTABLES_LOCKFILE=$tmp/xtables.lock
mkdir "$tmp/dropin"
ln -s "$MARKCTL" "$tmp/dropin/iptables-restore"
N=40

mk_host h
for c in MA LA MI MR LR; do
	mk_in h iptables-legacy -N $c || mk_fail "-N $c"
done
mk_in h iptables-legacy -t mangle -N MX || mk_fail "-N MX"

# writer NAME COMMAND...: runs COMMAND N times (with $i set), notes
# failures in $tmp/NAME.fail
writer()
{
	local name=$1

	shift
	mk_in h bash -c 'for i in $(seq '"$N"'); do '"$*"' || echo "$i" >>'"$tmp/$name.fail"'; done' &
}

writer ma "$MARKCTL -w -A MA -m mark --mark \$i"
writer la "iptables-legacy -w -A LA -m mark --mark \$i"
writer mi "$MARKCTL -w -I MI 1 -m mark --mark \$i && $MARKCTL -w -I MI 1 -j RETURN && $MARKCTL -w -D MI -j RETURN"
writer mr "printf '*filter\n-A MR -m mark --mark %s\nCOMMIT\n' \$i | $tmp/dropin/iptables-restore --noflush"
writer mx "printf '*filter\n-A MR -m connmark --mark %s\nCOMMIT\n*mangle\n-A MX -m mark --mark %s\nCOMMIT\n' \$i \$i | $MARKCTL restore --noflush"
writer lr "printf '*filter\n-A LR -m mark --mark %s\nCOMMIT\n' \$i | iptables-legacy-restore --noflush"
wait

for w in ma la mi mr mx lr; do
	[ -e "$tmp/$w.fail" ] && mk_log "writer $w failed at: $(tr '\n' ' ' <"$tmp/$w.fail")" &&
		MK_ERRORS=$((${MK_ERRORS:-0} + 1))
done
count() { mk_in h iptables-legacy -t "$1" -S "$2" | grep -c -- "-A $2 .*$3"; }
mk_expect_eq "rules of markctl -A" "$N" "$(count filter MA 'mark --mark')"
mk_expect_eq "rules of iptables-legacy -A" "$N" "$(count filter LA 'mark --mark')"
mk_expect_eq "rules of markctl -I/-D" "$N" "$(count filter MI 'mark --mark')"
mk_expect_eq "RETURNs left by -I/-D" 0 "$(count filter MI RETURN)"
mk_expect_eq "rules of the drop-in restore" "$N" "$(count filter MR 'm mark --mark')"
mk_expect_eq "filter rules of markctl restore" "$N" "$(count filter MR connmark)"
mk_expect_eq "mangle rules of markctl restore" "$N" "$(count mangle MX 'mark --mark')"
mk_expect_eq "rules of iptables-legacy-restore" "$N" "$(count filter LR 'mark --mark')"
# every number once, in each chain
for c in MA LA MI LR; do
	mk_expect_eq "$c holds 1..$N" "$(seq "$N")" \
		"$(mk_in h iptables-legacy -S $c | sed -n 's/.*--mark 0x\([0-9a-f]*\).*/\1/p' |
		   while read -r x; do echo $((16#$x)); done | sort -n)"
done
mk_done
