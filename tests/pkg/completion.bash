# Drives the bash completion of markctl as bash-completion would (COMP_WORDS,
# COMP_CWORD, COMP_LINE, COMP_POINT, then _markctl) and checks COMPREPLY.
# markctl is a stub first in PATH: rule listings come from a file, or fail
# as they do for a user; everything else (help, layout show) goes to the
# built markctl.  Touches no kernel state.
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
exec "$real" "\$@"
EOF
chmod 755 "$tmp/bin/markctl"
PATH=$tmp/bin:$PATH

printf '%s\n' '-P PREROUTING ACCEPT' '-P INPUT ACCEPT' '-N MARKS' \
	'-A PREROUTING -j MARKS' '-N WG-IN' >"$tmp/rules"
cat >"$tmp/layout" <<'EOF'
field route 16-23
  value isp1 1
  value isp2 2
field vpn 0x80000000
field wg 0-15 conntrack
EOF
cat >"$tmp/layout2" <<'EOF'
field qos 8-10 both
  value bulk 1
field nat 0x1
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

# Commands, from markctl -h; markctl's own options (before a command, or
# anywhere) and their values.
commands="save restore translate layout explain audit ct"
is "markctl " $commands
is "markctl sa" save
is "markctl l" layout
has "markctl -" -A -I -D -C -L -S -N -X -P -E -F -Z -t -j -m -6 \
	--backend --layout --names
is "markctl --backend " nft legacy
is "markctl --backend=" nft legacy
is "markctl --backend=l" legacy
is "markctl --backend legacy " $commands
is "markctl --backend=nft --layout=$tmp/layout " $commands
is "markctl --layout $tmp/lay" "$tmp/layout" "$tmp/layout2"
is "markctl -t mangle -A PREROUTING --layout=$tmp/layout2" "$tmp/layout2"
has "markctl -t mangle -A PREROUTING --" --backend --layout --names --jump
is "markctl -t mangle -A PREROUTING --backend " nft legacy

# Tables, chains: built-in ones, and the user's from the ruleset (quietly
# none where markctl may not list it).
is "markctl -t " filter mangle raw security nat
is "markctl -t ma" mangle
unset STUB_RULES
is "markctl -t mangle -A " PREROUTING INPUT FORWARD OUTPUT POSTROUTING
called "-t mangle -S"
is "markctl -6 -t raw -I " PREROUTING OUTPUT
called "-6 -t raw -S"
# another backend's ruleset is asked of that backend
is "markctl --backend legacy -t raw -A " PREROUTING OUTPUT
called "--backend legacy -t raw -S"
is "markctl -t raw --backend=nft -F " PREROUTING OUTPUT
called "--backend nft -t raw -S"
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
has "markctl save -" -t -c -6 --backend --layout --names
is "markctl save -t r" raw
is "markctl save --backend " nft legacy
is "markctl --backend legacy save --b" --backend
has "markctl restore --no" --noflush --no-atomic
has "markctl restore --" --backend --layout
hasnt "markctl restore --" --names
is "markctl restore -T s" security
is "markctl restore --backend=" nft legacy
has "markctl translate -t mangle -A PREROUTING -j M" MARK MARKS
is "markctl ct " list count update delete monitor
is "markctl ct list -o " extended id json
is "markctl ct list -o extended," extended,extended extended,id extended,json
has "markctl ct update -m 1 --" --set-mark --set-xmark --and-mark
is "markctl explain -" -o --output -c --conntrack --layout --owners -h --help
is "markctl explain --output=" text json
is "markctl audit -" -o --output --layout --owners -h --help
is "markctl audit -o " text json
is "markctl audit --owners $tmp/lay" "$tmp/layout" "$tmp/layout2"

# Field names where markctl has no layout: numbers only, nothing offered.
export MARKCTL_LAYOUT=$tmp/no-such-layout
is "markctl -t mangle -A PREROUTING -j MARK --set-mark "
called "layout show"
is "markctl explain "
is "markctl layout value "

# Field names from the layout, as "markctl layout show" prints it.
export MARKCTL_LAYOUT=$tmp/layout
is "markctl -t mangle -A PREROUTING -j MARK --set-mark " route= vpn
is "markctl -t mangle -A PREROUTING -j MARK --set-mark route=" isp1 isp2
is "markctl -t mangle -A PREROUTING -j MARK --set-mark route=i" isp1 isp2
is "markctl -t mangle -A PREROUTING -j MARK --set-mark route=isp2," "isp2,route=" "isp2,vpn"
is "markctl -t mangle -A PREROUTING -j MARK --set-mark=" route= vpn
is "markctl -t mangle -A PREROUTING -j MARK --set-mark=route=" isp1 isp2
is "markctl -t mangle -A PREROUTING -j MARK --set-mark=vpn,route=" isp1 isp2
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
is "markctl ct list -m " wg=
is "markctl ct count --by-mark " wg
is "markctl ct update --or-mark=" wg wg=

# A --layout on the command line, wherever it stands, is the one asked.
is "markctl --layout $tmp/layout2 -t mangle -A PREROUTING -j MARK --set-mark " nat qos=
called "--layout $tmp/layout2 layout show"
is "markctl -t mangle -A PREROUTING --layout=$tmp/layout2 -j MARK --set-mark qos=" bulk
called "--layout $tmp/layout2 layout show"
is "markctl --backend legacy --layout $tmp/layout2 -t mangle -A PREROUTING -j CONNMARK --set-mark " qos=
called "--backend legacy --layout $tmp/layout2 layout show"
is "markctl --layout $tmp/layout2 layout mask " nat qos
is "markctl explain --layout $tmp/layout2 -c " qos=
is "markctl --layout $tmp/layout2 ct count --by-mark " qos
unset MARKCTL_LAYOUT

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
