# A restore and a save open only the extension files their rules need:
# a jump to a chain declared by a ":" line, or found in the kernel, is no
# target to look for among libxtables' plugins (iptables 1.8.9 allows
# itself at most 10 such lookups for this ruleset, in its own tests), and
# protocol names come from libxtables' table, not /etc/protocols.
. "$(dirname "$0")/lib.sh"
mk_need strace

rules()
{
	echo '*filter'
	for i in $(seq 0 99); do
		echo ":mychain$i -"
		echo "-A FORWARD -p tcp --dport 22 -j mychain$i"
	done
	echo COMMIT
}

# count HOST PATTERN MARKCTL-ARGS...: files opened or looked at matching
count()
{
	local h=$1 pat=$2

	shift 2
	mk_in "$h" strace -f -e trace=%file "$MARKCTL" "$@" 2>&1 >/dev/null |
		grep -c "$pat"
}

mk_host m
n=$(rules | count m libxt_ restore)
[ "$n" -le 10 ] || mk_fail "restore looked up $n libxt_ files"
n=$(count m libxt_ save)
[ "$n" -le 10 ] || mk_fail "save looked up $n libxt_ files"
n=$(rules | count m /etc/protocols restore)
mk_expect_eq "restore reads of /etc/protocols" 0 "$n"
n=$(count m /etc/protocols save)
mk_expect_eq "save reads of /etc/protocols" 0 "$n"
mk_expect_eq "100 rules restored" 100 \
	"$(mk_in m iptables-nft -S FORWARD | grep -c mychain)"
mk_done
