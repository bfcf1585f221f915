# The manual pages of the layout, explain and audit: each renders without
# a groff warning and has its sections (the layout's format with an
# example, explain's and audit's options, JSON schema and exit status);
# markctl(8) points to them; every page's NAME line is a whatis entry.
# Touches no kernel state.
. "$(dirname "$0")/lib.sh"
mk_need groff

man=${top_srcdir:-$MK_TESTDIR/../..}/man
sections()	# PAGE SECTION...
{
	local page=$man/$1 s

	shift
	[ -r "$page" ] || mk_fail "$page is missing"
	out=$(groff -man -ww -z -Tutf8 "$page" 2>&1)
	[ -z "$out" ] || mk_fail "$page: groff says: $out"
	for s in "$@"; do
		grep -qx ".SH \"*$s\"*" "$page" || mk_fail "$page has no section $s"
	done
}

sections markctl-layout.5 NAME SYNOPSIS DESCRIPTION FORMAT "FIELD EXPRESSIONS" \
	LISTINGS ERRORS EXAMPLE ENVIRONMENT FILES "SEE ALSO"
sections markctl-explain.8 NAME SYNOPSIS DESCRIPTION OPTIONS JSON \
	"THE KNOWN-OWNERS FILE" "EXIT STATUS" EXAMPLES "SEE ALSO"
sections markctl-audit.8 NAME SYNOPSIS DESCRIPTION OPTIONS JSON "EXIT STATUS" \
	EXAMPLES NOTES "SEE ALSO"
sections markctl.8 "MARK LAYOUT, EXPLAIN AND AUDIT" "SEE ALSO"
for p in layout explain audit; do
	grep -qF ".BR markctl\\-$p (" "$man/markctl.8" ||
		mk_fail "markctl.8 does not refer to markctl-$p"
done
# every page's NAME line gives whatis its name (lintian's bad-whatis-entry)
if command -v lexgrog >/dev/null; then
	for page in "$man"/*.[58]; do
		base=${page##*/}
		case $(lexgrog "$page" 2>&1) in
		*": \"${base%.*} - "*) ;;
		*) mk_fail "$base: whatis entry: $(lexgrog "$page" 2>&1)" ;;
		esac
	done
fi
# the layout's example is a layout markctl reads
sed -n '/^\.SH EXAMPLE/,/^\.fi/p' "$man/markctl-layout.5" | sed '1,/^\.nf/d; /^\.fi/d' >"${TMPDIR:-/tmp}/mk-layout-$$"
"$MARKCTL" layout show --layout "${TMPDIR:-/tmp}/mk-layout-$$" >/dev/null ||
	{ rm -f "${TMPDIR:-/tmp}/mk-layout-$$"; mk_fail "the man page's example layout is refused"; }
rm -f "${TMPDIR:-/tmp}/mk-layout-$$"
exit 0
