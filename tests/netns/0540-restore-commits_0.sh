# When a restore's tables take effect.  Under the drop-in names each COMMIT
# is applied when it is read, as iptables-nft-restore 1.8.9 does: a restore
# fed table by table through a pipe (a co-process, as firewall front ends
# drive it) shows each table in the kernel before the next is written, and
# a table the kernel refuses leaves the tables before it in place.  markctl
# restore applies the whole input at once or nothing.  --atomic and
# --no-atomic select the other behaviour under either name.
. "$(dirname "$0")/lib.sh"
mk_only_backend nft

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT
mkdir "$tmp/dropin"
case $MARKCTL in
*iptables-as-markctl) ln -s "$(command -v iptables-nft-restore)" "$tmp/dropin/iptables-restore" ;;
*) ln -s "$MARKCTL" "$tmp/dropin/iptables-restore" ;;
esac

t1='*filter
-A INPUT -m mark --mark 0x1 -j ACCEPT
COMMIT'
t2='*mangle
-A PREROUTING -j MARK --set-mark 0x2
COMMIT'
# the kernel refuses a shift of 32 (the parser lets it pass)
bad='*mangle
-A PREROUTING -j CONNMARK --set-mark 1 --left-shift-mark 32
COMMIT'

# fed HOST RESTORE...: t1, then (once t1 shows in the kernel or after 5 s)
# t2, through a co-process; prints what iptables-nft -S listed in between.
fed()
{
	local h=$1 i

	shift
	coproc R { mk_in "$h" "$@" 2>&1; }
	printf '%s\n' "$t1" >&"${R[1]}"
	for i in $(seq 50); do
		mk_in "$h" iptables-nft -S INPUT | grep -q mark && break
		sleep 0.1
	done
	mk_in "$h" iptables-nft -S INPUT
	printf '%s\n' "$t2" >&"${R[1]}"
	exec {R[1]}>&-
	wait "$R_PID" || mk_fail "$* failed"
}

mk_host m i
mk_expect_eq "drop-in restore through a pipe: table 1 applied at its COMMIT" \
	"$(fed i iptables-nft-restore)" "$(fed m "$tmp/dropin/iptables-restore")"
mk_expect_eq "drop-in restore through a pipe: both tables" \
	"$(mk_ruleset i)" "$(mk_ruleset m)"
mk_cleanup

mk_host m
out=$(fed m "$MARKCTL" restore)
case $out in
*mark*) mk_fail "markctl restore applied table 1 before the input ended" ;;
esac
mk_cleanup
mk_host m
mk_expect_eq "markctl restore -n --no-atomic through a pipe: table 1 at its COMMIT" \
	"$(printf '%s\n' '-P INPUT ACCEPT' '-A INPUT -m mark --mark 0x1 -j ACCEPT')" \
	"$(fed m "$MARKCTL" restore -n --no-atomic)"
mk_cleanup

# A refused second table: what stays, messages and exit status.
# restore_case WHAT REF-ARGS -- OURS...: the same input to both.
printf '%s\n%s\n' "$t1" "$bad" >"$tmp/in"
refused()
{
	local what=$1 ours=$2 ri=0 rm=0 ei em

	shift 2
	mk_host m i
	ei=$(mk_in i iptables-nft-restore "$@" <"$tmp/in" 2>&1) || ri=$?
	em=$(mk_in m $ours "$@" <"$tmp/in" 2>&1) || rm=$?
	mk_expect_eq "$what: exit status" "$ri" "$rm"
	mk_expect_eq "$what: messages" "${ei//iptables-nft-restore/R}" \
		"${em//iptables-restore/R}"
}
refused "drop-in, refused table 2" "$tmp/dropin/iptables-restore"
mk_expect_eq "drop-in, refused table 2: table 1 stays as with 1.8.9" \
	"$(mk_ruleset i)" "$(mk_ruleset m)"
mk_in m iptables-nft -S INPUT | grep -q 'mark 0x1' ||
	mk_fail "drop-in: table 1 is not in the kernel"
mk_cleanup

mk_host m
rc=0
mk_markctl m restore <"$tmp/in" 2>/dev/null || rc=$?
mk_expect_eq "markctl restore, refused table 2: exit status" 4 "$rc"
mk_expect_eq "markctl restore, refused table 2: nothing applied" "" "$(mk_ruleset m)"
rc=0
mk_in m "$tmp/dropin/iptables-restore" --atomic <"$tmp/in" 2>/dev/null || rc=$?
mk_expect_eq "iptables-restore --atomic, refused table 2: exit status" 4 "$rc"
mk_expect_eq "iptables-restore --atomic, refused table 2: nothing applied" \
	"" "$(mk_ruleset m)"
rc=0
mk_markctl m restore --no-atomic <"$tmp/in" 2>/dev/null || rc=$?
mk_expect_eq "markctl restore --no-atomic, refused table 2: exit status" 4 "$rc"
mk_in m iptables-nft -S INPUT | grep -q 'mark 0x1' ||
	mk_fail "markctl restore --no-atomic: table 1 is not in the kernel"
mk_done
