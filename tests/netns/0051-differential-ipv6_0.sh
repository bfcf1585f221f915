# Differential test, IPv6: corpus/ipv6.txt through markctl and ip6tables-nft
# in separate namespaces; outputs, exit codes and rule sets must be equal.
. "$(dirname "$0")/lib.sh"
mk_differential "$MK_TESTDIR/corpus/ipv6.txt" 6
mk_done
