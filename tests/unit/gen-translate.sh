#!/bin/sh
# Regenerates the expectations in translate.cases by running the installed
# iptables-translate / ip6tables-translate 1.8.9 (no kernel access needed).
# Keeps "#" comments and "$ command" lines, rewrites everything else:
#   > line      stdout line        % text   last stdout text, no newline
#   ! line      stderr line        ? N      exit status
set -eu
cases=${1:-$(dirname "$0")/translate.cases}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Prefixes each line of file $2 with $1; a last line without newline
# (only iptables-translate's "nft " on stdout) gets "%" instead.
quote_out() {
	[ -s "$2" ] || return 0
	if [ "$(tail -c 1 "$2" | od -An -tx1 | tr -d ' ')" = 0a ]; then
		awk -v p="$1" '{ print p " " $0 }' "$2"
	else
		awk -v p="$1" 'NR > 1 { print p " " prev } { prev = $0 }
			       END { print "% " prev }' "$2"
	fi
}

: > "$tmp/new"
while IFS= read -r line; do
	case $line in
	'#'*|'') printf '%s\n' "$line" >> "$tmp/new" ;;
	'$ '*)
		printf '%s\n' "$line" >> "$tmp/new"
		eval "set -- ${line#\$ }"
		rc=0
		"$@" > "$tmp/out" 2> "$tmp/err" || rc=$?
		quote_out '>' "$tmp/out" >> "$tmp/new"
		quote_out '!' "$tmp/err" >> "$tmp/new"
		echo "? $rc" >> "$tmp/new"
		;;
	esac
done < "$cases"
cp "$tmp/new" "$cases"
