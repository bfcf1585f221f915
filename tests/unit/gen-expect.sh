#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Re-derives the expectations of extension .t files from the installed
# iptables-nft 1.8.9, inside a throwaway network namespace:
#
#   unshare -n sh tests/unit/gen-expect.sh extensions/libxt_MARK.t ...
#
# Only the first field (the rule) of each line is read; the other fields
# are rewritten as described at the top of tests/unit/check_extensions.c.
# Lines starting with '#', ':' (chains) and '*' (table) are kept as they are.
set -f

IPT=${IPT:-iptables-nft}

[ "$(id -u)" = 0 ] || { echo "$0: needs root (run in unshare -n)" >&2; exit 77; }
# Refuse the root namespace: this script adds rules.
if [ "$(readlink /proc/self/ns/net)" = "$(readlink /proc/1/ns/net)" ]; then
	echo "$0: run me inside 'unshare -n'" >&2
	exit 1
fi

err=$(mktemp) || exit 1
trap 'rm -f "$err" "$err.new"' EXIT

expect_file()
{
	table=filter
	chain=INPUT
	while IFS= read -r line; do
		case $line in
		''|'#'*) echo "$line"; continue ;;
		:*) echo "$line"; chain=${line#:}; chain=${chain%%,*}; continue ;;
		'*'*) echo "$line"; table=${line#\*}; continue ;;
		esac
		rule=${line%%;*}
		$IPT -t "$table" -F "$chain" 2>/dev/null
		if $IPT -t "$table" -A "$chain" $rule 2>"$err"; then
			saved=$($IPT -t "$table" -S "$chain" | sed -n '2s/^-A [^ ]* //p')
			row=$($IPT -t "$table" -L "$chain" -n | sed -n 3p)
			[ "$saved" = "$rule" ] && saved==
			printf "%s;%s;OK;%s\n" "$rule" "$saved" "$row"
		else
			rc=$?
			# stderr on one line, each newline written as \n
			msg=$(awk '{ printf "%s%s", (NR > 1 ? "\\n" : ""), $0 }' "$err")
			printf "%s;;FAIL;%s:%s\n" "$rule" "$rc" "$msg"
		fi
	done
	$IPT -t "$table" -F "$chain"
}

# .txlate: keeps the "iptables-translate ..." lines, reruns each one and
# writes its output below it, a blank line after each pair.
xlate_file()
{
	while IFS= read -r line; do
		case $line in
		iptables-translate*|ip6tables-translate*)
			printf '%s\n' "$line"
			$line 2>&1
			echo ;;
		esac
	done
}

for f in "$@"; do
	case $f in
	*.txlate) xlate_file <"$f" >"$err.new" && cp "$err.new" "$f" ;;
	*) expect_file <"$f" >"$err.new" && cp "$err.new" "$f" ;;
	esac
done
