#!/bin/bash
# markctl NAME runs markctl-NAME (ct, explain, audit): beside the binary
# in a build tree, else in the libexec directory found relative to the
# binary, as in a staged install; arguments and exit status pass through.
# Touches no kernel state.
source "$(dirname "$0")/lib.sh"

bin=${top_builddir:-$MK_TESTDIR/../..}/markctl
[ -x "$bin" ] || mk_skip "no built markctl"
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"' EXIT

fake()	# DIR NAME: a subcommand that reports how it was called
{
	mkdir -p "$1"
	printf '#!/bin/sh\necho "$(basename "$0") $*"\nexit 7\n' >"$1/markctl-$2"
	chmod 755 "$1/markctl-$2"
}

# Build tree: beside the binary.
mkdir "$tmp/build"
cp "$bin" "$tmp/build/markctl"
fake "$tmp/build" audit
out=$("$tmp/build/markctl" audit -o json 'a b' 2>&1)
rc=$?
[ "$rc" = 7 ] || mk_fail "exit status $rc of markctl audit, expected 7"
[ "$out" = "markctl-audit -o json a b" ] || mk_fail "markctl audit ran: $out"

# Staged install: sbin/markctl finds ../libexec/markctl/markctl-explain
# (the configured directories, moved together).
sbindir=$(sed -n 's/^sbindir = //p' "${top_builddir:-$MK_TESTDIR/../..}/Makefile")
[ "$sbindir" = '${exec_prefix}/sbin' ] || mk_skip "sbindir configured as $sbindir"
mkdir -p "$tmp/stage/sbin"
cp "$bin" "$tmp/stage/sbin/markctl"
fake "$tmp/stage/libexec/markctl" explain
out=$("$tmp/stage/sbin/markctl" explain 0x4000 2>&1)
[ "$out" = "markctl-explain 0x4000" ] || mk_fail "staged markctl explain ran: $out"
# through a drop-in style link the binary still finds its subcommands
ln -s ../../sbin/markctl "$tmp/stage/libexec/markctl/markctl"
out=$("$tmp/stage/libexec/markctl/markctl" explain 1 2>&1)
[ "$out" = "markctl-explain 1" ] || mk_fail "via a link, markctl explain ran: $out"

# Missing: a message naming the subcommand, status 1.
out=$("$tmp/stage/sbin/markctl" ct list 2>&1)
rc=$?
[ "$rc" = 1 ] || mk_fail "missing markctl-ct: exit status $rc, expected 1"
case $out in
*"cannot run 'ct'"*) ;;
*) mk_fail "missing markctl-ct: message '$out'" ;;
esac

# Other first words are still iptables syntax.
out=$("$tmp/stage/sbin/markctl" ctx 2>&1)
[ $? = 2 ] || mk_fail "markctl ctx should be a parameter problem: $out"
exit 0
