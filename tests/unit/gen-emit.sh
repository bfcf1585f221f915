#!/bin/sh
# Regenerates emit.cases from the installed iptables-nft 1.8.9, each case in
# a throwaway network namespace (needs root: unshare -n).  Keeps "#"
# comments and the case lines, rewrites the expectations:
#   $ FAMILY TABLE CHAIN P:B RULE-OPTIONS     a rule, restored with counters
#     S/Sv  -S CHAIN [-v] line                Sc  iptables-nft-save -c line
#     L<v>  -L CHAIN row for list variant <v> (see list_variants below)
#   @ FAMILY TABLE CHAIN POLICY P:B | @ FAMILY TABLE USER REFS
#     P/Pv  -S line of the chain, C<v>/T<v> -L chain and column headers
set -eu
# printf, not echo: dash's echo would eat backslashes in the outputs.
cases=${1:-$(dirname "$0")/emit.cases}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# key and options; check_translate.c maps the same keys to list flags
list_variants='L:
Ln:-n
Lv:-v
Lvn:-v -n
Lvx:-v -x
Lvxn#:-v -x -n --line-numbers
L#:--line-numbers'

tool() { [ "$1" = 6 ] && echo ip6tables-nft || echo iptables-nft; }

# Rules with counters go through restore -c (their options are plain
# words); the others through -A, which keeps every argument as it is.
rule_case() {	# family table chain counters options...
	fam=$1 table=$2 chain=$3 cnt=$4
	shift 4
	ipt=$(tool "$fam")
	printf '*%s\n:USR - [0:0]\n[%s] -A %s %s\nCOMMIT\n' \
		"$table" "$cnt" "$chain" "$*" > "$tmp/restore"
	unshare -n sh -c '
		ipt=$1 table=$2 chain=$3 tmp=$4 variants=$5 cnt=$6
		shift 6
		if [ "$cnt" = 0:0 ]; then
			$ipt -t $table -N USR && $ipt -t $table -A $chain "$@"
		else
			$ipt-restore -c < "$tmp/restore"
		fi || exit 1
		printf "%s\n" "S $($ipt -t $table -S $chain | tail -n 1)"
		printf "%s\n" "Sv $($ipt -t $table -S $chain -v | tail -n 1)"
		printf "%s\n" "Sc $($ipt-save -c -t $table | grep "^\[")"
		echo "$variants" | while IFS=: read -r key opts; do
			printf "%s\n" "$key $($ipt -t $table -L $chain $opts | sed -n 3p)"
		done
	' sh "$ipt" "$table" "$chain" "$tmp" "$list_variants" "$cnt" "$@"
}

chain_case() {	# family table chain policy|refs [counters]
	fam=$1 table=$2 chain=$3 pol=$4 cnt=${5:-0:0}
	ipt=$(tool "$fam")
	case $pol in
	ACCEPT|DROP) printf '*%s\n:%s %s [%s]\nCOMMIT\n' "$table" "$chain" \
			"$pol" "$cnt" ;;
	*) { printf '*%s\n:%s - [0:0]\n' "$table" "$chain"
	     i=0; while [ $i -lt "$pol" ]; do
		printf -- '-A %s -j %s\n' "$(default_chain "$table")" "$chain"
		i=$((i + 1)); done
	     echo COMMIT; } ;;
	esac > "$tmp/restore"
	unshare -n sh -c '
		ipt=$1 table=$2 chain=$3 tmp=$4 variants=$5
		$ipt-restore -c < "$tmp/restore" || { cat "$tmp/restore" >&2; exit 1; }
		printf "%s\n" "P $($ipt -t $table -S $chain | head -n 1)"
		printf "%s\n" "Pv $($ipt -t $table -S $chain -v | head -n 1)"
		echo "$variants" | while IFS=: read -r key opts; do
			$ipt -t $table -L $chain $opts > "$tmp/list"
			printf "%s\n" "C${key#L} $(sed -n 1p "$tmp/list")"
			printf "%s\n" "T${key#L} $(sed -n 2p "$tmp/list")"
		done
	' sh "$ipt" "$table" "$chain" "$tmp" "$list_variants"
}

default_chain() {
	case $1 in
	filter|security) echo INPUT ;;
	*) echo PREROUTING ;;
	esac
}

: > "$tmp/new"
while IFS= read -r line; do
	case $line in
	'#'*|'') printf "%s\n" "$line" >> "$tmp/new" ;;
	'$ '*)
		printf "%s\n" "$line" >> "$tmp/new"
		eval "set -- ${line#\$ }"
		rule_case "$@" >> "$tmp/new"
		;;
	'@ '*)
		printf "%s\n" "$line" >> "$tmp/new"
		eval "set -- ${line#@ }"
		chain_case "$@" >> "$tmp/new"
		;;
	esac
done < "$cases"
cp "$tmp/new" "$cases"
