# Drives the bash completion of markctl as bash-completion would (COMP_WORDS,
# COMP_CWORD, COMP_LINE, COMP_POINT, then _markctl) and checks COMPREPLY.
# markctl is a stub first in PATH: rule listings come from a file, or fail
# as they do for a user; the layout comes from a file, else from the real
# markctl, which may have none; everything else goes to the built markctl.
# Touches no kernel state.
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
comp=$top_builddir/dist/completion/markctl
real=$top_builddir/markctl
bc_dir=$(pkg-config --variable=datadir bash-completion 2>/dev/null || echo /usr/share)
bc=$bc_dir/bash-completion/bash_completion

skip() { echo "SKIP: $*"; exit 77; }
[ -f "$bc" ] || skip "bash-completion is not installed ($bc)"
[ -f "$comp" ] || { echo "FAIL: no $comp (make)"; exit 1; }
[ -x "$real" ] || { echo "FAIL: no built markctl"; exit 1; }

failed=0
fail() { echo "FAIL: $*"; failed=1; }

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" "$tmp/plugins"

cat >"$tmp/bin/markctl" <<EOF
#!/bin/bash
printf '%s\n' "\$*" >>"$tmp/calls"
for a; do
	case \$a in
	-S | --list-rules)
		if [ -n "\${STUB_RULES:-}" ]; then cat "\$STUB_RULES"; exit 0; fi
		echo "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)" >&2
		exit 4 ;;
	esac
done
while [[ \${1-} == @(--layout|--backend) ]]; do shift 2; done
if [ -n "\${STUB_LAYOUT:-}" ]; then
	case \${1-} in
	layout) cat "\$STUB_LAYOUT"; exit 0 ;;
	-h) "$real" -h | sed '/^Commands:/a\\
  layout     the mark layout: show, value, mask'; exit 0 ;;
	esac
fi
exec "$real" "\$@"
EOF
chmod 755 "$tmp/bin/markctl"
PATH=$tmp/bin:$PATH

printf '%s\n' '-P PREROUTING ACCEPT' '-P INPUT ACCEPT' '-N MARKS' \
	'-A PREROUTING -j MARKS' '-N WG-IN' >"$tmp/rules"
cat >"$tmp/layout" <<'EOF'
# layout /tmp/layout: 3 fields
field route 0x00ff0000 packet	# bits 16-23, values 0-255
  value isp1 1	# 0x00010000
  value isp2 2	# 0x00020000
field vpn 0x80000000 packet	# bit 31, a flag
field wg 0x0000ffff conntrack	# bits 0-15, values 0-65535
# unassigned: packet 0x7f00ffff, conntrack 0xffff0000
EOF
for f in libxt_FOO libxt_bar libipt_BAZ libip6t_QUX libxt_standard libebt_nope; do
	: >"$tmp/plugins/$f.so"
done

# shellcheck source=/dev/null
source "$bc"
# shellcheck source=/dev/null
source "$comp"
[ "$(complete -p markctl)" = "complete -F _markctl markctl" ] ||
	fail "markctl's completion is not registered: $(complete -p markctl)"

# Outside a real completion compopt fails; note what was asked instead.
compopt() { [ "$*" = "-o nospace" ] && nospace=1; }

# comp LINE: COMPREPLY for the cursor at the end of LINE; words split at
# blanks and around "=", as with bash's COMP_WORDBREAKS.
comp()
{
	local line=$1 w
	local -a ws=()

	for w in $line; do
		while [[ $w == *=* ]]; do
			[[ -n ${w%%=*} ]] && ws+=("${w%%=*}")
			ws+=("=")
			w=${w#*=}
		done
		[[ -n $w ]] && ws+=("$w")
	done
	[[ $line == *' ' || $line == *= ]] && ws+=("")
	COMP_WORDS=("${ws[@]}")
	COMP_CWORD=$((${#ws[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	nospace=0
	: >"$tmp/calls"
	_markctl markctl "${ws[COMP_CWORD]}" "${ws[COMP_CWORD - 1]}" 2>>"$tmp/stderr"
}

# has LINE WORD...: each WORD is a candidate; hasnt LINE WORD...: none is;
# is LINE WORD...: exactly these.
has()
{
	local line=$1 w; shift
	comp "$line"
	for w; do
		printf '%s\n' "${COMPREPLY[@]}" | grep -qxF -- "$w" ||
			fail "'$line': no '$w' in: ${COMPREPLY[*]}"
	done
}
hasnt()
{
	local line=$1 w; shift
	comp "$line"
	for w; do
		printf '%s\n' "${COMPREPLY[@]}" | grep -qxF -- "$w" &&
			fail "'$line': unexpected '$w' in: ${COMPREPLY[*]}"
	done
}
is()
{
	local line=$1 got want; shift
	comp "$line"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort -u | xargs)
	want=$(printf '%s\n' "$@" | sort -u | xargs)
	[ "$got" = "$want" ] || fail "'$line': '$got', expected '$want'"
}
called() { grep -qxF -- "$1" "$tmp/calls" || fail "markctl not run as '$1': $(xargs <"$tmp/calls")"; }

# Commands, from markctl -h.
has "markctl " save restore translate explain audit ct
is "markctl sa" save
is "markctl --backend " nft legacy
has "markctl -" -A -I -D -C -L -S -N -X -P -E -F -Z -t -j -m -6

# Tables, chains: built-in ones, and the user's from the ruleset (quietly
# none where markctl may not list it).
is "markctl -t " filter mangle raw security nat
is "markctl -t ma" mangle
unset STUB_RULES
is "markctl -t mangle -A " PREROUTING INPUT FORWARD OUTPUT POSTROUTING
called "-t mangle -S"
is "markctl -6 -t raw -I " PREROUTING OUTPUT
called "-6 -t raw -S"
export STUB_RULES=$tmp/rules
is "markctl -t mangle -A " PREROUTING INPUT FORWARD OUTPUT POSTROUTING MARKS WG-IN
is "markctl -tmangle -D M" MARKS
is "markctl -t mangle -X " MARKS WG-IN
is "markctl -P " INPUT FORWARD OUTPUT
is "markctl -t mangle -P INPUT " ACCEPT DROP
has "markctl -t mangle -A PREROUTING -j " ACCEPT DROP RETURN MARK CONNMARK MARKS WG-IN
has "markctl -t mangle -A PREROUTING -" -p -m -j -s -d -i -o
hasnt "markctl -t mangle -A PREROUTING -" -A -I -D

# Targets and matches: libxtables' plugins of the family, and markctl's own.
export XTABLES_LIBDIR=$tmp/plugins
is "markctl -A INPUT -j " ACCEPT DROP RETURN MARK CONNMARK FOO BAZ MARKS WG-IN
is "markctl -6 -A INPUT -j " ACCEPT DROP RETURN MARK CONNMARK FOO QUX MARKS WG-IN
is "markctl -A INPUT -m " bar mark connmark
unset XTABLES_LIBDIR

# The mark extensions' options.
has "markctl -t mangle -A OUTPUT -j MARK --" --set-xmark --set-mark \
	--and-mark --or-mark --xor-mark --jump --match
hasnt "markctl -t mangle -A OUTPUT -j MARK --" --save-mark --mark
has "markctl -t mangle -A OUTPUT -m mark ! --mark 1 -j CONNMARK --" \
	--mark --save-mark --restore-mark --nfmask --ctmask --mask \
	--left-shift-mark --right-shift-mark --set-xmark
has "markctl -A INPUT -m connmark --" --mark --match
hasnt "markctl -A INPUT -m connmark --" --set-mark
# Other extensions' options come from their help, with the plugins there.
plugins=$(sed -n 's|^	for dir in ${XTABLES_LIBDIR:-\(.*\)}; do$|\1|p' "$comp")
if [ -e "$plugins/libxt_multiport.so" ] && [ -e "$plugins/libxt_tcp.so" ]; then
	has "markctl -A INPUT -p tcp -m multiport --" --dports --sports --ports --dport --tcp-flags
	called "-m multiport -h"
else
	echo "note: no libxtables plugins in '$plugins', their options not checked"
fi

# Subcommands.
has "markctl save -" -t -c -6
is "markctl save -t r" raw
has "markctl restore --no" --noflush --no-atomic
is "markctl restore -T s" security
has "markctl translate -t mangle -A PREROUTING -j M" MARK MARKS
is "markctl ct " list count update delete monitor
is "markctl ct list -o " extended id json
is "markctl ct list -o extended," extended,extended extended,id extended,json
has "markctl ct update -m 1 --" --set-mark --set-xmark --and-mark
has "markctl explain -" -o -c --layout --owners
is "markctl audit -o " text json

# Field names where markctl has no layout (or no layout command): numbers
# only, so nothing is offered, and layout show is not run.
export MARKCTL_LAYOUT=$tmp/no-such-layout
is "markctl -t mangle -A PREROUTING -j MARK --set-mark "
is "markctl explain "
if ! "$real" -h | grep -q '^  layout '; then
	comp "markctl -t mangle -A PREROUTING -j MARK --set-mark "
	grep -q '^layout' "$tmp/calls" && fail "layout show run, though markctl has no layout"
fi

# Field names from "markctl layout show".
export STUB_LAYOUT=$tmp/layout
is "markctl -t mangle -A PREROUTING -j MARK --set-mark " route= vpn
is "markctl -t mangle -A PREROUTING -j MARK --set-mark route=" isp1 isp2
is "markctl -t mangle -A PREROUTING -j MARK --set-mark route=i" isp1 isp2
is "markctl -t mangle -A PREROUTING -j MARK --set-mark route=isp2," "isp2,route=" "isp2,vpn"
is "markctl -t mangle -A PREROUTING -j MARK --and-mark " route route= vpn
is "markctl -t mangle -A PREROUTING -m mark --mark v" vpn
is "markctl -t mangle -A PREROUTING -m connmark --mark " wg=
is "markctl -t mangle -A PREROUTING -j CONNMARK --set-xmark " wg=
is "markctl -t mangle -A PREROUTING -j CONNMARK --save-mark --nfmask " route vpn
is "markctl -t mangle -A PREROUTING -j CONNMARK --save-mark --ctmask " wg
is "markctl -t mangle -A PREROUTING -j CONNMARK --save-mark --mask " route vpn wg
is "markctl layout " show value mask
is "markctl layout value " route= vpn wg=
[ "$nospace" = 1 ] || fail "no -o nospace after 'route='"
is "markctl layout value v" vpn
[ "$nospace" = 0 ] || fail "-o nospace after a flag"
is "markctl layout mask " route vpn wg
is "markctl explain " route= vpn
is "markctl explain -c " wg=
is "markctl ct update -m wg=1 --set-mark " wg=
has "markctl --layout $tmp/layout " layout save
unset STUB_LAYOUT MARKCTL_LAYOUT

if [ -s "$tmp/stderr" ]; then
	fail "the completion wrote to stderr:"
	cat "$tmp/stderr"
fi

# zsh's completion parses, where zsh is.
if command -v zsh >/dev/null; then
	zsh -n "$top_builddir/dist/completion/_markctl" || fail "_markctl does not parse"
fi
[ "$failed" = 0 ] && echo "PASS: bash completion"
exit "$failed"
