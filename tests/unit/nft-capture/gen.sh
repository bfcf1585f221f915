#!/bin/sh
# gen.sh 4|6 'args'...: for each rule, in a fresh netns, print
#   ARGS / SEND <hex of the NEWRULE iptables-nft sent> / KERN <hex of the kernel's dump> / EXPR lines / LIST
fam=$1; shift
if [ "$fam" = 4 ]; then ipt=iptables-nft; nf=2; else ipt=ip6tables-nft; nf=10; fi
for r in "$@"; do
	export r ipt nf
	unshare -n sh -c '
		$ipt -N USR
		send=$(eval "/tmp/nftcap/sendcap.py $ipt FORWARD $r")
		echo "ARGS $r"
		echo "SEND $send"
		/tmp/nftcap/dump $nf | awk "/FORWARD/{p=1} p" | sed -n "s/^HEX /KERN /p; s/^  \(\[.*\]\)\$/EXPR \1/p"
		echo "LIST $($ipt -S FORWARD | tail -n 1)"
	'
done
