# The legacy backend's own differential corpora (tests/netns/corpus/
# legacy-ipv4.txt, legacy-ipv6.txt): what iptables-legacy 1.8.9 does
# otherwise than iptables-nft, against iptables-legacy.
MK_BACKEND=legacy
. "$(dirname "$0")/lib.sh"
mk_differential "$MK_TESTDIR/corpus/legacy-ipv4.txt" 4
mk_cleanup
mk_differential "$MK_TESTDIR/corpus/legacy-ipv6.txt" 6
mk_done
