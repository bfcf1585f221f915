# Rules nft made that iptables cannot express, IPv4 and IPv6: host m runs
# markctl, host i the reference iptables-nft 1.8.9, on the same rule set.
# An unparsable rule (nft's "meta mark set") lists up to it, then "Error:
# ..." and exit 3, also for -C/-D walking past it; an unknown expression
# (nft's "ct state") makes listings of its chain or table fail (exit 1)
# and save print a comment for the table, while -A/-I/-R/-D N/-F/-Z work;
# so does a limit in bytes, which -C/-D by spec still compare.
# Exit status, stdout and stderr must be identical, and so must the rule
# set after each command.
. "$(dirname "$0")/lib.sh"
mk_only_backend nft

mk_need nft
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"; mk_cleanup' EXIT

# both HOST-kind ARGS: the command in host m (markctl) or i (reference);
# "save ..." and "restore TEXT" name the save and restore tools.
both_tool()
{
	local h=$1 f=$2 six=

	shift 2
	[ "$f" = 6 ] && six=6
	case $h:$1 in
	m:save)    shift; mk_markctl m save ${six:+-6} "$@" ;;
	i:save)    shift; mk_in i "ip${six}tables-nft-save" "$@" ;;
	m:restore) printf '%b' "$2" | mk_markctl m restore ${six:+-6} --noflush ;;
	i:restore) printf '%b' "$2" | mk_in i "ip${six}tables-nft-restore" --noflush ;;
	m:*)       mk_markctl m ${six:+-6} "$@" ;;
	i:*)       mk_in i "ip${six}tables-nft" "$@" ;;
	esac | grep -v '^# \(Generated\|Completed\)'
	return "${PIPESTATUS[0]}"
}

both()
{
	local f=$1 h rc

	shift
	for h in m i; do
		rc=0
		both_tool $h "$f" "$@" >"$tmp/$h.out" 2>"$tmp/$h.err" || rc=$?
		echo "$rc" >"$tmp/$h.rc"
	done
	for h in rc out err; do
		if ! cmp -s "$tmp/i.$h" "$tmp/m.$h"; then
			mk_log "IPv$f $*: $h differs (- iptables-nft, + markctl)"
			diff -u "$tmp/i.$h" "$tmp/m.$h" | tail -n +3 >&2
			MK_ERRORS=$((${MK_ERRORS:-0} + 1))
		fi
	done
	mk_expect_eq "IPv$f rule set after: $*" "$(mk_ruleset i)" \
		"$(mk_ruleset m)"
}

# setup FAMILY NFT-RULE: the same starting rule set in both hosts.
setup()
{
	local f=$1 h tool=iptables-nft fam=ip a=192.0.2.

	[ "$f" = 6 ] && { tool=ip6tables-nft; fam=ip6; a=2001:db8::; }
	for h in m i; do
		mk_in $h nft flush ruleset
		mk_in $h $tool -A FORWARD -s ${a}1 -j ACCEPT
		mk_in $h $tool -N USR
		mk_in $h $tool -A USR -j DROP
		mk_in $h nft add rule $fam filter FORWARD "$2"
		mk_in $h $tool -A FORWARD -s ${a}2 -j ACCEPT
		mk_in $h $tool -t mangle -A INPUT -j ACCEPT
	done
}

mk_host m i
for f in 4 6; do
	a=192.0.2.
	[ "$f" = 6 ] && a=2001:db8::
	setup $f "meta mark set 0x1"
	for args in "-S" "-S FORWARD" "-L -n" "-L FORWARD -n -v" "-L INPUT" \
		    "-S USR" "-S -v" "-S FORWARD 1" "-S FORWARD 2" \
		    "-S FORWARD 3" "-L FORWARD 3 -n" \
		    "-C FORWARD -s ${a}1 -j ACCEPT" \
		    "-C FORWARD -s ${a}2 -j ACCEPT" \
		    "-D FORWARD -s ${a}9 -j ACCEPT" "-L -Z -n" "-v -Z" \
		    "save" "save -c" "save -t mangle"; do
		# shellcheck disable=SC2086
		both $f $args
	done
	both $f restore "*filter\n-D FORWARD -s ${a}9 -j ACCEPT\nCOMMIT\n"
	both $f restore "*filter\n-C FORWARD -s ${a}2 -j ACCEPT\nCOMMIT\n"
	both $f -D FORWARD -s ${a}1 -j ACCEPT
	both $f -S FORWARD

	setup $f "ct state established accept"
	for args in "-S" "-S FORWARD" "-L -n" "-L FORWARD" "-L INPUT" \
		    "-S USR" "-L USR" "-S FORWARD 1" "-L -Z" "-S -v" \
		    "-C FORWARD -s ${a}1 -j ACCEPT" \
		    "-C FORWARD -s ${a}2 -j ACCEPT" \
		    "-C INPUT -j ACCEPT" "-Z" "-Z FORWARD 1" \
		    "save" "save -t filter" "save -t mangle" \
		    "-D FORWARD 3" "-A FORWARD -j DROP" "-I FORWARD 2 -j DROP" \
		    "-R FORWARD 1 -j DROP" "-D FORWARD -j DROP" \
		    "-F FORWARD" "-S FORWARD"; do
		# shellcheck disable=SC2086
		both $f $args
	done

	# TTL and hop limit tests nft writes natively: 1.8.9 reads them as
	# ttl/hl matches (">= 0" not), and an IPv6 next header test as both
	# -p and hl.
	if [ "$f" = 4 ]; then
		natives=("ip ttl 5" "ip ttl <= 5" "ip ttl >= 0" "ip ttl 0-5"
			 "ip protocol tcp ip ttl 9")
	else
		natives=("ip6 hoplimit != 64" "ip6 hoplimit >= 255"
			 "ip6 nexthdr tcp" "ip6 nexthdr tcp ip6 hoplimit 64")
	fi
	# More native tests 1.8.9 reads: packet type, interface index, icmp
	# type and code (one match per compare, operator ignored); transport
	# tests of other protocols fail the rule, with one "Error:" line per
	# failing compare.
	if [ "$f" = 4 ]; then
		natives+=("meta pkttype != multicast" "meta iif lo"
			  "icmp type != echo-request" "icmp type 3 icmp code 1"
			  "icmp code 1" "sctp dport 22" "th dport 22"
			  "meta l4proto icmp th dport 5" "sctp dport 1-5")
	else
		natives+=("meta pkttype broadcast" "meta iif != lo"
			  "icmpv6 type 1 icmpv6 code 4" "icmpv6 code 4"
			  "meta l4proto icmp icmp type 8" "udplite dport 5"
			  "icmpv6 type 1 icmpv6 code 0-2")
	fi
	for n in "${natives[@]}"; do
		setup $f "$n accept"
		for args in "-S FORWARD" "-L FORWARD -n" \
			    "-C FORWARD -p tcp -j ACCEPT"; do
			# shellcheck disable=SC2086
			both $f $args
		done
	done

	# A limit in bytes: not listed (incompatible), but iptables-nft's
	# parser still reads it, so no rule spec without it matches.
	setup $f "limit rate 100 kbytes/second accept"
	for args in "-S" "-C FORWARD -j ACCEPT" "-D FORWARD -j ACCEPT" \
		    "-C FORWARD -s ${a}2 -j ACCEPT" "save"; do
		# shellcheck disable=SC2086
		both $f $args
	done
done

# Base chains nft made that are no built-in (another name, or a built-in
# name at another priority): 1.8.9 leaves them out of its view of the
# table, and its listings and saves start with a comment line.  -E of a
# built-in makes one.
foreign_setup()
{
	local h

	for h in m i; do
		mk_in $h nft flush ruleset
		mk_in $h iptables-nft -A INPUT -j ACCEPT
		mk_in $h iptables-nft -N USR
		mk_in $h nft add chain ip filter FOO \
			'{ type filter hook input priority 0; }'
		mk_in $h nft add rule ip filter FOO accept
		mk_in $h nft add chain ip filter FORWARD \
			'{ type filter hook forward priority 10; }'
	done
}
for args in "-S" "-L -n -v" "-S INPUT" "-S FORWARD" "-S USR" "-L FOO" "-A FOO -j DROP" \
	    "-N FOO" "-X FOO" "-F FOO" "-A FORWARD -j DROP" "-X" "-F" \
	    "-E INPUT BAR" "save" "save -c"; do
	foreign_setup
	# shellcheck disable=SC2086
	both 4 $args
	both 4 -S
done

# A table and chains nft made with the longest comments it writes: the
# answer to GETCHAIN grows (still well under the 1 KiB markctl reads a
# get's answer into).
long=$(printf 'c%.0s' $(seq 128))
for h in m i; do
	mk_in $h nft flush ruleset
	mk_in $h nft add table ip mangle "{ comment \"$long\"; }"
	mk_in $h nft add chain ip mangle PREROUTING "{ type filter hook prerouting priority -150; policy accept; comment \"$long\"; }"
	mk_in $h nft add chain ip mangle MARKS "{ comment \"$long\"; }"
done
for args in "-t mangle -A PREROUTING -j MARK --set-mark 0x1" \
	    "-t mangle -A MARKS -j MARK --or-mark 0x2" \
	    "-t mangle -I PREROUTING 1 -j MARKS" "-t mangle -S" \
	    "-t mangle -L -n -v" "-t mangle -D PREROUTING 2" "save -t mangle"; do
	# shellcheck disable=SC2086
	both 4 $args
done
mk_done
