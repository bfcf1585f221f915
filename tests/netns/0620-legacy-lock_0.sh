# The xtables lock of the legacy backend against iptables-legacy 1.8.9's:
# the same file (/run/xtables.lock, or $XTABLES_LOCKFILE), held by -A, -S,
# -L, -C and each restore COMMIT but not by save; -w N gives up after N
# seconds with its two lines and exit 4; without -w it waits.  Each case
# runs in a network namespace and a mount namespace of its own, with a
# tmpfs on /run, so the host's lock file is never touched.
MK_BACKEND=legacy
. "$(dirname "$0")/lib.sh"
mk_need flock unshare

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT

# inns SCRIPT: runs SCRIPT (sh) in fresh namespaces with a private /run;
# $M is markctl, $R the reference.
inns()
{
	unshare -m -n sh -c 'mount -t tmpfs none /run && mount --make-private /run 2>/dev/null; '"$1" \
		2>&1
}

# held TOOL SECONDS ARGS: TOOL run behind a holder of the lock for
# SECONDS; prints its output, "rc=N" and whether it waited ("waited" after
# at least 1 s, else "at once").
held()
{
	local tool=$1 secs=$2

	shift 2
	inns "flock /run/xtables.lock sleep $secs & sleep 0.3
		s=\$(date +%s%N)
		$tool $* </dev/null; rc=\$?
		e=\$(( (\$(date +%s%N) - s) / 1000000 ))
		echo rc=\$rc
		[ \$e -ge 900 ] && echo waited || echo at once
		wait"
}

M="$MARKCTL --backend legacy"
# case | holder seconds | arguments
while IFS='|' read -r what secs args; do
	[ -n "$what" ] || continue
	mk_expect_eq "lock: $what" "$(held iptables-legacy "$secs" "$args")" \
		"$(held "$M" "$secs" "$args")"
done <<'EOF_CASES'
-w 1 gives up|3|-w 1 -A INPUT -j ACCEPT
-w 1 -W gives up|3|-w 1 -W 100000 -A INPUT -j ACCEPT
--wait=1 gives up|3|--wait=1 -S
no -w waits|1.5|-A INPUT -j ACCEPT
bare -w waits|1.5|-w -A INPUT -j ACCEPT
-w 5 waits|1.5|-w 5 -A INPUT -j ACCEPT
-S waits|1.5|-S
-L waits|1.5|-L -n
-C waits|1.5|-C INPUT -j ACCEPT
-w 1 -F gives up|3|-w 1 -t mangle -F
EOF_CASES

# The lock file: another file given, a directory, created 0600.
mk_expect_eq "XTABLES_LOCKFILE elsewhere" \
	"$(held "XTABLES_LOCKFILE=/run/other.lock iptables-legacy" 2 -A INPUT -j ACCEPT)" \
	"$(held "XTABLES_LOCKFILE=/run/other.lock $M" 2 -A INPUT -j ACCEPT)"
for tool in iptables-legacy "$M"; do
	inns "mkdir /run/d.lock; XTABLES_LOCKFILE=/run/d.lock $tool -A INPUT -j ACCEPT; echo rc=\$?"
done >"$tmp/dir"
mk_expect_eq "lock file a directory" "$(sed -n 1,2p "$tmp/dir")" \
	"$(sed -n 3,4p "$tmp/dir")"
mk_expect_eq "lock file made 0600" "600" \
	"$(inns "$M -S >/dev/null; stat -c %a /run/xtables.lock")"

# save reads without the lock; restore takes it per table.
mk_expect_eq "save does not wait" "$(held iptables-legacy-save 2)" \
	"$(held "$M save" 2)"
printf '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n' >"$tmp/in"
mk_expect_eq "restore -w 1 gives up" \
	"$(held iptables-legacy-restore 3 -w 1 "$tmp/in")" \
	"$(held "$M restore" 3 -w 1 "$tmp/in")"
mk_expect_eq "restore waits" \
	"$(held iptables-legacy-restore 1.5 "$tmp/in")" \
	"$(held "$M restore" 1.5 "$tmp/in")"
# restore options about the lock
for args in "-W 10" "-w x" "-W x -w 1" "-w -W"; do
	mk_expect_eq "restore $args" \
		"$(inns "iptables-legacy-restore $args <$tmp/in; echo rc=\$?")" \
		"$(inns "$MARKCTL --backend legacy restore $args <$tmp/in; echo rc=\$?")"
done

# A table is locked from its "*" line to its COMMIT only: a restore fed
# through a pipe lets -A in between.
for tool in iptables-legacy "$M"; do
	case $tool in
	*markctl*) rs="$tool restore --no-atomic" ;;
	*) rs=iptables-legacy-restore ;;
	esac
	inns "{ printf '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n'; sleep 1.5;
		printf '*mangle\n-A INPUT -j ACCEPT\nCOMMIT\n'; } | $rs &
		sleep 0.7; s=\$(date +%s%N); $tool -w 1 -A OUTPUT -j ACCEPT; echo rc=\$?
		[ \$(( (\$(date +%s%N) - s) / 1000000 )) -lt 500 ] && echo at once
		wait; iptables-legacy-save | grep -c -- -A"
done >"$tmp/between"
mk_expect_eq "between the COMMITs of a restore" "$(sed -n 1,3p "$tmp/between")" \
	"$(sed -n 4,6p "$tmp/between")"
mk_done
