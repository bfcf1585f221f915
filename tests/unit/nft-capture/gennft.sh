#!/bin/sh
# gennft.sh 4|6 'nft rule body'...: rules nft itself made, decoded as iptables-nft lists them
fam=$1; shift
if [ "$fam" = 4 ]; then ipt=iptables-nft; nf=2; t=ip; else ipt=ip6tables-nft; nf=10; t=ip6; fi
for r in "$@"; do
	export r ipt nf t
	unshare -n sh -c '
		$ipt -A FORWARD -j ACCEPT; $ipt -F FORWARD
		eval "nft add rule $t filter FORWARD $r" || exit 1
		echo "NFT $r"
		/tmp/nftcap/dump $nf | awk "/FORWARD/{p=1} p" | sed -n "s/^HEX /KERN /p; s/^  \(\[.*\]\)\$/EXPR \1/p"
		echo "LIST $($ipt -S FORWARD 2>&1 | tail -n 1) rc=$?"
	'
done
