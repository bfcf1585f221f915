# A staged install (make install DESTDIR=..., as package builds do it)
# works from the staging tree: its drop-in names are relative links to
# the staged markctl, which links no libnftnl; run from there, through
# PATH, they add, list, check, zero and delete rules in host e as
# iptables-nft does the same in host r, and the rule sets agree.
. "$(dirname "$0")/lib.sh"

mk_need make ldd
top=${top_builddir:-$MK_TESTDIR/../..}
[ -f "$top/Makefile" ] || mk_skip "no build tree at $top"
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT

stage=$tmp/stage
sbin=$stage/usr/local/sbin
dropin=$stage/usr/local/libexec/markctl
# Fixed directories, whatever configure was given; a make of its own,
# not a job of the make check that may run this.
(unset MAKEFLAGS MFLAGS MAKELEVEL
 make -s -C "$top" install DESTDIR="$stage" prefix=/usr/local \
	exec_prefix=/usr/local sbindir=/usr/local/sbin \
	libexecdir=/usr/local/libexec) >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log" >&2; mk_fail "make install DESTDIR=$stage"; }

[ -x "$sbin/markctl" ] || mk_fail "no $sbin/markctl"
if ldd "$sbin/markctl" | grep -q libnftnl; then
	mk_fail "the installed markctl is linked against libnftnl"
fi
for n in iptables ip6tables iptables-save ip6tables-save iptables-restore \
	 ip6tables-restore iptables-translate ip6tables-translate; do
	link=$(readlink "$dropin/$n") || mk_fail "$dropin/$n is no link"
	case $link in
	/*) mk_fail "$dropin/$n points to an absolute path: $link" ;;
	esac
	mk_expect_eq "$n resolves to the staged markctl" \
		"$(readlink -f "$sbin/markctl")" "$(readlink -f "$dropin/$n")"
done

# st HOST CMD...: CMD with the staged drop-in names first in PATH.
st() { local h=$1; shift; mk_in "$h" env PATH="$dropin:$PATH" "$@"; }

mk_host e r
mk_expect_eq "iptables found in PATH" "$dropin/iptables" \
	"$(st e sh -c 'command -v iptables')"

rules='
-t mangle -A PREROUTING -m mark --mark 0x1 -j MARK --set-xmark 0x2/0xff
-t mangle -A PREROUTING -p tcp --dport 80 -c 5 500 -j CONNMARK --save-mark
-t mangle -N MARKS
-t mangle -A MARKS -j CONNMARK --restore-mark --mask 0xff
-t mangle -I OUTPUT 1 -j MARKS
-t raw -A OUTPUT -m comment --comment staged -j MARK --set-mark 0x7
'
while read -r line; do
	[ -n "$line" ] || continue
	eval "set -- $line"
	st e iptables "$@" || mk_fail "staged iptables $* failed"
	mk_ipt r "$@" || mk_fail "iptables-nft $* failed"
done <<<"$rules"
st e "$sbin/markctl" -6 -t mangle -A FORWARD -s 2001:db8::/32 -j MARK \
	--set-mark 0x3 || mk_fail "staged markctl -6 -A failed"
mk_ip6t r -t mangle -A FORWARD -s 2001:db8::/32 -j MARK --set-mark 0x3
restore='*mangle
-A FORWARD -i lo -j MARK --set-mark 0x9
COMMIT
'
st e iptables-restore --noflush <<<"$restore" || mk_fail "staged restore"
mk_in r iptables-nft-restore --noflush <<<"$restore"

# What the staged tools did, as the reference tool sees it.
for t in mangle raw; do
	mk_expect_eq "iptables-nft -t $t -S after the staged tools" \
		"$(mk_ipt r -t $t -S)" "$(mk_ipt e -t $t -S)"
done
mk_expect_eq "ip6tables-nft -t mangle -S after the staged tools" \
	"$(mk_ip6t r -t mangle -S)" "$(mk_ip6t e -t mangle -S)"

# Reading rules back from the staging tree.
for args in "-t mangle -S" "-t mangle -L -n -v -x" "-t raw -S OUTPUT"; do
	# shellcheck disable=SC2086
	mk_expect_eq "staged iptables $args" "$(mk_ipt r $args)" \
		"$(st e iptables $args)"
done
mk_expect_eq "staged ip6tables -t mangle -S" \
	"$(mk_ip6t r -t mangle -S)" "$(st e ip6tables -t mangle -S)"
mk_expect_eq "staged iptables-save" \
	"$(mk_in r iptables-nft-save | grep -v '^#')" \
	"$(st e iptables-save | grep -v '^#')"
st e iptables -t mangle -C PREROUTING -p tcp --dport 80 -j CONNMARK \
	--save-mark || mk_fail "staged -C does not find the rule"
rc=0
st e iptables -t mangle -C PREROUTING -p tcp --dport 81 -j CONNMARK \
	--save-mark 2>/dev/null || rc=$?
mk_expect_num "staged -C of a rule not there: exit" -eq 1 "$rc"

# Zeroing rewrites the counted rule; deleting by spec and by number.
st e iptables -t mangle -Z PREROUTING || mk_fail "staged -Z failed"
mk_ipt r -t mangle -Z PREROUTING
st e iptables -t mangle -D PREROUTING -m mark --mark 0x1 -j MARK \
	--set-xmark 0x2/0xff || mk_fail "staged -D by spec failed"
mk_ipt r -t mangle -D PREROUTING -m mark --mark 0x1 -j MARK \
	--set-xmark 0x2/0xff
st e iptables -t raw -D OUTPUT 1 || mk_fail "staged -D by number failed"
mk_ipt r -t raw -D OUTPUT 1
for t in mangle raw; do
	mk_expect_eq "iptables-nft -t $t -L -v -x -n after -Z and -D" \
		"$(mk_ipt r -t $t -L -v -x -n)" "$(mk_ipt e -t $t -L -v -x -n)"
done
mk_expect_eq "staged iptables-save after -Z and -D" \
	"$(mk_in r iptables-nft-save -c | grep -v '^#')" \
	"$(st e iptables-save -c | grep -v '^#')"
mk_done
