# markctl-restore.service as built: systemd-analyze verify accepts it
# without a word (its man page found in the source tree), and it says what
# the boot needs of it.  What its commands do is tests/netns/0090's.
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
unit=$top_builddir/dist/systemd/markctl-restore.service

[ -f "$unit" ] || { echo "FAIL: no $unit (make)"; exit 1; }
command -v systemd-analyze >/dev/null || { echo "SKIP: no systemd-analyze"; exit 77; }

failed=0
fail() { echo "FAIL: $*"; failed=1; }

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/man/man8"
cp "$top_srcdir/man/markctl.8" "$tmp/man/man8/"
cp "$unit" "$tmp/"

out=$(cd "$tmp" && MANPATH=$tmp/man systemd-analyze verify \
	"$tmp/markctl-restore.service" 2>&1)
rc=$?
[ "$rc" = 0 ] && [ -z "$out" ] ||
	fail "systemd-analyze verify (exit $rc): $out"

# ... and complains about a unit that is wrong, so its silence means something.
sed 's/^Type=oneshot/Type=oneshot\nExecStartt=\/bin\/true/' "$unit" >"$tmp/broken.service"
out=$(cd "$tmp" && MANPATH=$tmp/man systemd-analyze verify "$tmp/broken.service" 2>&1)
case $out in
*ExecStartt*) ;;
*) fail "systemd-analyze verify missed an unknown key: $out" ;;
esac

want='DefaultDependencies=no
Wants=network-pre.target
Before=network-pre.target shutdown.target
Type=oneshot
RemainAfterExit=yes
WantedBy=multi-user.target'
got=$(grep -E '^(DefaultDependencies|Wants|Before|Type|RemainAfterExit|WantedBy)=' "$unit")
[ "$got" = "$want" ] || fail "unit settings: $got"
grep -q '^ConditionPathExists=|/.*/rules\.v4$' "$unit" &&
	grep -q '^ConditionPathExists=|/.*/rules\.v6$' "$unit" ||
	fail "no ConditionPathExists=| on rules.v4 and rules.v6"

[ "$failed" = 0 ] && echo "PASS: markctl-restore.service"
exit "$failed"
