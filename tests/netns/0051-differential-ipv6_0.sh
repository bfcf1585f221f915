# Differential test, IPv6: corpus/ipv6.txt through markctl under its
# drop-in name ip6tables and through ip6tables-nft, in separate namespaces;
# outputs, exit codes and rule sets must be equal.
. "$(dirname "$0")/lib.sh"
mk_differential "$MK_TESTDIR/corpus/ipv6.txt" 6
mk_done
