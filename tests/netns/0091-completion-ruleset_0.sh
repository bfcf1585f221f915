# The bash completion reads a table's user chains from the live ruleset
# with the markctl under test: as root it offers them, from the backend
# the line names (--backend legacy: the x_tables ones); as a user, who may
# not list rules, it offers the built-in chains and prints nothing.
. "$(dirname "$0")/lib.sh"

mk_find_markctl
mk_need setpriv
top=${top_builddir:-$MK_TESTDIR/../..}
comp=$top/dist/completion/markctl
bc=$(pkg-config --variable=datadir bash-completion 2>/dev/null || echo /usr/share)/bash-completion/bash_completion
[ -f "$comp" ] || mk_skip "no $comp (make)"
[ -f "$bc" ] || mk_skip "bash-completion is not installed"
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT
chmod 755 "$tmp"
mkdir "$tmp/bin"
ln -s "$MARKCTL" "$tmp/bin/markctl"

# The candidates for the words given, one a line, sorted.
cat >"$tmp/complete" <<EOF
source "$bc"
source "$comp"
COMP_WORDS=("\$@" "")
COMP_CWORD=\$#
COMP_LINE="\$* "
COMP_POINT=\${#COMP_LINE}
PATH=$tmp/bin:\$PATH
_markctl markctl "" "\${@: -1}"
printf '%s\n' "\${COMPREPLY[@]}" | sort
EOF

mk_host e
mk_run e -t mangle -N MARKS
mk_run e -t mangle -N WG-IN
mk_run e -6 -t raw -N RAW6

builtin='FORWARD
INPUT
OUTPUT
POSTROUTING
PREROUTING'
mk_expect_eq "root: mangle chains" "$(printf '%s\nMARKS\nWG-IN\n' "$builtin" | sort)" "$(mk_in e bash "$tmp/complete" markctl -t mangle -A 2>"$tmp/err")"
mk_expect_eq "root: user chains for -X" "MARKS
WG-IN" "$(mk_in e bash "$tmp/complete" markctl -t mangle -X 2>>"$tmp/err")"
mk_expect_eq "root: IPv6 raw chains" "OUTPUT
PREROUTING
RAW6" "$(mk_in e bash "$tmp/complete" markctl -6 -t raw -A 2>>"$tmp/err")"
# the legacy backend's chains with --backend legacy, nf_tables' without
mk_run e --backend legacy -t mangle -N LEGACY
mk_expect_eq "root: legacy user chains" "LEGACY" \
	"$(mk_in e bash "$tmp/complete" markctl --backend legacy -t mangle -X 2>>"$tmp/err")"
mk_expect_eq "root: legacy chains, --backend after -t" "$(printf '%s\nLEGACY\n' "$builtin" | sort)" \
	"$(mk_in e bash "$tmp/complete" markctl -t mangle --backend legacy -A 2>>"$tmp/err")"
mk_expect_eq "root: nft user chains beside legacy ones" "MARKS
WG-IN" "$(mk_in e bash "$tmp/complete" markctl --backend nft -t mangle -X 2>>"$tmp/err")"
mk_expect_eq "root: stderr" "" "$(cat "$tmp/err")"

user() { mk_in e setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
mk_expect_eq "user: mangle chains" "$builtin" \
	"$(user bash "$tmp/complete" markctl -t mangle -A 2>"$tmp/err")"
mk_expect_eq "user: stderr" "" "$(cat "$tmp/err")"
# The user really may not list them (so the quiet above hid an error).
user "$MARKCTL" -t mangle -S >/dev/null 2>&1 && mk_fail "a user could list the rules"
mk_done
