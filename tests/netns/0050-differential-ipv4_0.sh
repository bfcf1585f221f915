# Differential test, IPv4: corpus/ipv4.txt through markctl under its
# drop-in name iptables and through iptables-nft, in separate namespaces;
# outputs, exit codes and rule sets must be equal.
. "$(dirname "$0")/lib.sh"
mk_differential "$MK_TESTDIR/corpus/ipv4.txt" 4
mk_done
