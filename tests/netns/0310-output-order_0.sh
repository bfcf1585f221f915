# Where stdout and stderr meet (2>&1), their order is iptables-nft's: to
# a pipe, messages come first and the buffered listing at exit; on a
# terminal, lines show as they are printed.  Cases: a rule iptables cannot
# parse back ("Error: ..." mid-listing), an incompatible chain or table,
# and the warning about iptables-legacy tables, which iptables-nft prints
# before a listing.  Host m runs markctl, host i iptables-nft, on the
# same rule set.
. "$(dirname "$0")/lib.sh"
mk_only_backend nft
mk_need nft iptables-legacy script

mk_host m i
for h in m i; do
	mk_in $h iptables-nft -A FORWARD -s 192.0.2.1 -j ACCEPT
	mk_in $h nft add rule ip filter FORWARD meta mark set 0x1
	mk_in $h iptables-nft -A FORWARD -j DROP
	mk_in $h iptables-nft -N USR
	mk_in $h iptables-nft -A USR -j RETURN
	mk_in $h nft add table ip mangle
	mk_in $h nft add chain ip mangle PREROUTING \
		'{ type filter hook prerouting priority -150; }'
	mk_in $h nft add rule ip mangle PREROUTING ct state established accept
done

# merged HOST MODE ARGS: stdout and stderr of one command, as one stream
# (MODE pipe or tty), and its exit status.
merged()
{
	local h=$1 mode=$2 cmd

	shift 2
	if [ "$h" = m ]; then
		cmd="$MARKCTL $*"
	elif [ "$1" = save ]; then
		shift
		cmd="iptables-nft-save $*"
	else
		cmd="iptables-nft $*"
	fi
	if [ "$mode" = pipe ]; then
		mk_in "$h" sh -c "$cmd 2>&1; echo rc=\$?" | cat
	else
		mk_in "$h" script -qec "$cmd; echo rc=\$?" /dev/null | tr -d '\r'
	fi | grep -v '^# \(Generated\|Completed\)'
}

cases=("-S" "-S FORWARD" "-L FORWARD -n" "-L -v -n" "-S USR" "-S FORWARD 1"
       "-t mangle -S" "-L NOSUCH -n" "-L -Z -n" "save" "save -t filter")
check_all()
{
	local mode args

	for mode in pipe tty; do
		for args in "${cases[@]}"; do
			# shellcheck disable=SC2086
			mk_expect_eq "$1, $mode: $args" "$(merged i $mode $args)" \
				"$(merged m $mode $args)"
		done
	done
}

check_all "no legacy tables"
for h in m i; do
	mk_in $h iptables-legacy -A INPUT -j ACCEPT
done
check_all "with legacy tables"
mk_done
