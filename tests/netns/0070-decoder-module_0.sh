# Only reading rules back needs the decoder module (nft-decode.so, the one
# part of markctl linked against libnftnl).  With MARKCTL_MODULEDIR aimed
# at a directory that does not exist, commands that add, insert by number,
# replace, flush, make chains, set policies or restore still work: host e
# (markctl) ends with the rule set host r gets from iptables-nft.  Commands
# that read rules back fail, name the module, and change nothing.  With
# the module in reach again, markctl lists what iptables-nft lists.
. "$(dirname "$0")/lib.sh"

if ldd "$MARKCTL" | grep -q libnftnl; then
	mk_fail "$MARKCTL is linked against libnftnl"
fi

mk_host e r
writes='
-t mangle -A PREROUTING -m mark --mark 0x1 -j MARK --set-xmark 0x2/0xff
-t mangle -I PREROUTING 1 -p tcp --dport 80 -j CONNMARK --save-mark
-t mangle -I PREROUTING 2 -j MARK --or-mark 0x10
-t mangle -R PREROUTING 3 -m connmark --mark 0x4/0xf -j MARK --set-mark 0x4
-t mangle -N MARKS
-t mangle -A MARKS -j CONNMARK --restore-mark --mask 0xff
-t mangle -A OUTPUT -j MARKS
-t raw -A OUTPUT -j MARK --set-mark 0x7
-t raw -F OUTPUT
-t filter -P FORWARD DROP
-t mangle -D PREROUTING 2
'
moduledir=${MARKCTL_MODULEDIR-}
export MARKCTL_MODULEDIR=/nonexistent/markctl-$MK_RUN_ID
while read -r line; do
	[ -n "$line" ] || continue
	eval "set -- $line"
	mk_run e "$@"
	mk_ipt r "$@" || mk_fail "iptables-nft $* failed"
done <<<"$writes"
restore='*mangle
:FORWARD ACCEPT [0:0]
-A FORWARD -i lo -j MARK --set-mark 0x9
COMMIT
'
mk_markctl e restore --noflush <<<"$restore" || mk_fail "restore failed"
mk_in r iptables-nft-restore --noflush <<<"$restore"

before=$(mk_ruleset e)
for args in "-t mangle -S" "-t mangle -L -n" "-t mangle -D OUTPUT -j MARKS" \
	    "-t mangle -C OUTPUT -j MARKS" "-t mangle -Z PREROUTING"; do
	rc=0
	# shellcheck disable=SC2086
	err=$(mk_markctl e $args 2>&1 >/dev/null) || rc=$?
	mk_expect_num "markctl $args without the module: exit" -eq 4 "$rc"
	case $err in
	*nft-decode.so*) ;;
	*) mk_log "markctl $args: message does not name the module: $err"
	   MK_ERRORS=$((${MK_ERRORS:-0} + 1)) ;;
	esac
done
rc=0
mk_markctl e save >/dev/null 2>&1 || rc=$?
mk_expect_num "markctl save without the module: exit" -eq 1 "$rc"
mk_expect_eq "ruleset after the refused reads" "$before" "$(mk_ruleset e)"

# What e got, seen by the reference tool, equals what r got.
for t in mangle raw filter; do
	mk_expect_eq "iptables-nft -t $t -S (markctl's writes)" \
		"$(mk_ipt r -t $t -S)" "$(mk_ipt e -t $t -S)"
done

MARKCTL_MODULEDIR=$moduledir
for t in mangle raw filter; do
	mk_expect_eq "markctl -t $t -S with the module" \
		"$(mk_ipt r -t $t -S)" "$(mk_markctl e -t $t -S)"
done
mk_done
