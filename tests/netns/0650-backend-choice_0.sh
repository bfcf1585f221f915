# Which backend markctl uses: --backend (anywhere), a name ending in -nft or
# -legacy, MARKCTL_BACKEND, else what the host's iptables (ip6tables for
# IPv6) is, else whose tables the network namespace holds, else nf_tables.
# Each case runs in fresh network and mount namespaces; /etc/alternatives
# there is a tmpfs whose iptables links point where the case wants (the
# host's are read, never changed).  Where rules land is checked in the
# kernel: /proc/net/ip_tables_names lists legacy tables, nft lists
# nf_tables'.
. "$(dirname "$0")/lib.sh"
mk_need unshare
unset MARKCTL_BACKEND

tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT
mkdir "$tmp/dropin"
for n in iptables ip6tables iptables-save iptables-restore; do
	ln -s "$MARKCTL" "$tmp/dropin/$n"
done
[ "$(readlink -f /usr/sbin/iptables)" != "$(readlink -f "$MARKCTL")" ] ||
	mk_skip "/usr/sbin/iptables is markctl"

# inns V4 V6 SCRIPT: SCRIPT (sh) in fresh namespaces, /etc/alternatives
# pointing iptables at V4 and ip6tables at V6 (legacy, nft, or none: a
# dangling link); $M is markctl, $D a directory of drop-in names.
inns()
{
	unshare -m -n env -u MARKCTL_BACKEND M="$MARKCTL" D="$tmp/dropin" \
		V4="$1" V6="$2" sh -c '
		mount -t tmpfs none /etc/alternatives || exit 99
		for f in "" 6; do
			eval v=\$V${f:-4}
			ln -s /usr/sbin/ip${f}tables-$v /etc/alternatives/ip${f}tables
		done
		'"$3" 2>&1
}

# where V4 V6 SCRIPT: runs SCRIPT so, then says where rules went:
# "legacy" (a legacy table exists), "nft" (nf_tables holds a table),
# "both" or "none"; or SCRIPT's errors if it failed.
where()
{
	inns "$1" "$2" '{ '"$3"'; } >/dev/null 2>$D/../err || { cat $D/../err; exit; }
		l=$(cat /proc/net/ip_tables_names /proc/net/ip6_tables_names)
		n=$(nft list tables 2>/dev/null)
		if [ -n "$l" ] && [ -n "$n" ]; then echo both
		elif [ -n "$l" ]; then echo legacy
		elif [ -n "$n" ]; then echo nft
		else echo none; fi'
}

A="-t mangle -A PREROUTING -j MARK --set-mark 1"
# case @ iptables @ ip6tables @ commands @ where the rules must be
while IFS='@' read -r what v4 v6 script want; do
	[ -n "$what" ] || continue
	mk_expect_eq "$what" "$want" "$(where "$v4" "$v6" "$script")"
done <<EOF_CASES
host iptables is legacy@legacy@nft@\$M $A@legacy
host iptables is nft@nft@legacy@\$M $A@nft
host ip6tables is legacy@nft@legacy@\$M -6 $A@legacy
host ip6tables is nft@legacy@nft@\$M -6 $A@nft
drop-in name, legacy host@legacy@legacy@PATH=\$D:\$PATH iptables $A@legacy
drop-in name, nft host@nft@nft@PATH=\$D:\$PATH iptables $A@nft
drop-in restore, legacy host@legacy@legacy@printf '*mangle\n-A INPUT -j ACCEPT\nCOMMIT\n' | PATH=\$D:\$PATH iptables-restore@legacy
markctl restore, legacy host@legacy@legacy@printf '*mangle\n-A INPUT -j ACCEPT\nCOMMIT\n' | \$M restore@legacy
--backend beats the host@legacy@legacy@\$M $A --backend nft@nft
--backend=, first word@nft@nft@\$M --backend=legacy $A@legacy
--backend with save@nft@nft@\$M save --backend legacy -t raw@legacy
MARKCTL_BACKEND beats the host@nft@nft@MARKCTL_BACKEND=legacy \$M $A@legacy
--backend beats MARKCTL_BACKEND@nft@nft@MARKCTL_BACKEND=legacy \$M --backend nft $A@nft
a -legacy name@nft@nft@ln -s \$M \$D/../iptables-legacy; \$D/../iptables-legacy $A@legacy
a -nft name@legacy@legacy@ln -s \$M \$D/../iptables-nft; \$D/../iptables-nft $A@nft
no host iptables, legacy tables@none@none@iptables-legacy -t raw -S; \$M $A@legacy
no host iptables, nft tables@none@none@iptables-nft -t raw -N X; \$M $A; \$M -t mangle -S | grep -q PREROUTING@nft
no host iptables, no tables@none@none@\$M $A@nft
no host iptables, both@none@none@iptables-legacy -t raw -S; iptables-nft -t raw -N X; \$M $A; nft list table ip mangle@both
EOF_CASES

# What markctl says: -V under drop-in names as iptables, and how markctl
# chose; the hint at legacy tables where both hold some; bad names.
say() { inns "$1" "$1" "$2"; }
mk_expect_eq "-V, drop-in name, legacy host" "iptables v1.8.9 (legacy)" \
	"$(say legacy 'PATH=$D:$PATH iptables -V')"
mk_expect_eq "-V, drop-in name, nft host" "iptables v1.8.9 (nf_tables)" \
	"$(say nft 'PATH=$D:$PATH iptables -V')"
mk_expect_eq "markctl -V, legacy host" \
	"markctl $(sed -n 's/^AC_INIT(\[markctl\], \[\([^]]*\)\].*/\1/p' "$MK_TESTDIR/../../configure.ac") (iptables v1.8.9 compatible, backend legacy, chosen by the host's iptables ($(readlink -f /usr/sbin/iptables-legacy)))" \
	"$(say legacy '$M -V')"
mk_expect_eq "markctl -V, tables in use" \
	"markctl $(sed -n 's/^AC_INIT(\[markctl\], \[\([^]]*\)\].*/\1/p' "$MK_TESTDIR/../../configure.ac") (iptables v1.8.9 compatible, backend legacy, chosen by the tables of this network namespace)" \
	"$(say none 'iptables-legacy -S >/dev/null; $M -V')"
mk_expect_eq "both in use: the hint, as iptables-nft" \
	"# Warning: iptables-legacy tables present, use iptables-legacy to see them" \
	"$(say none 'iptables-legacy -S >/dev/null; iptables-nft -S >/dev/null; $M -S >/dev/null')"
rc=0
out=$(MARKCTL_BACKEND=bogus "$MARKCTL" -S 2>&1) || rc=$?
mk_expect_eq "MARKCTL_BACKEND=bogus" "2 markctl: unknown backend 'bogus' (nft or legacy)" "$rc $out"
rc=0
out=$("$MARKCTL" -S --backend 2>&1) || rc=$?
mk_expect_eq "--backend without a name" "2 markctl: option '--backend' requires an argument (nft or legacy)" "$rc $out"
mk_done
