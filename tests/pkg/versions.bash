# The packaging says the version configure.ac says: the RPM spec (Version,
# and its newest %changelog entry) and, in a checkout (the release tarball
# leaves debian/ out), debian/changelog's newest entry.
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
version=$(sed -n 's/^VERSION = //p' "$top_builddir/Makefile")
spec=$top_srcdir/dist/rpm/markctl.spec

failed=0
fail() { echo "FAIL: $*"; failed=1; }

[ -n "$version" ] || { echo "FAIL: no VERSION in $top_builddir/Makefile"; exit 1; }
v=$(sed -n 's/^Version: *//p' "$spec")
r=$(sed -n 's/^Release: *\([^%]*\).*/\1/p' "$spec")
[ "$v" = "$version" ] || fail "$spec: Version $v, configure.ac says $version"
top=$(sed -n '/^%changelog/{n;p;q}' "$spec")
case $top in
*" - $v-$r") ;;
*) fail "$spec: newest %changelog entry is not for $v-$r: $top" ;;
esac

changelog=$top_srcdir/debian/changelog
if [ -f "$changelog" ]; then
	d=$(sed -n '1s/^markctl (\([^)]*\)).*/\1/p' "$changelog")
	[ "${d%-*}" = "$version" ] ||
		fail "debian/changelog: $d, configure.ac says $version"
fi
[ "$failed" = 0 ] && echo "PASS: $version everywhere"
exit "$failed"
