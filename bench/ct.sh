# SPDX-License-Identifier: GPL-2.0-or-later
# The "ct" part of bench/run (sourced, also inside each namespace):
# markctl ct list, count and update of N flows loaded with conntrack -R,
# beside conntrack -L / -L -m / -C / -U, and the floor of an update (one
# dump and one masked CT_NEW per flow: bench/ct-floor.c).  One namespace
# per size and repetition holds the flows; the tools take turns on them,
# in an order that alternates by repetition, as the kernel's dump time
# depends on where the flows landed in memory.  Tools are run directly by
# the timer (no shell in between, whose RSS would count).

# The floor program, built with libmnl.
bench_ct_build() {
	cc -O2 -o "$1" "$here/ct-floor.c" $(pkg-config --cflags --libs libmnl)
}

# N UDP flows for conntrack -R, marks 0..15 (a mark filter keeps 1/16).
bench_ct_gen() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
		printf "-I -s 198.51.100.%d -d 203.0.113.1 -p udp --sport %d --dport 53 -t 1200 --mark %d\n",
			i % 250 + 1, 1024 + int(i / 250), i % 16 }'
}

# The command of TOOL for an operation; updates get VALUE (each tool sets
# another, so each changes every flow).
bench_ct_cmdline() {
	local tool=$1 op=$2 v=${3:-1}
	case $tool:$op in
	markctl:update)		echo "$MARKCTL ct update --set-xmark $((v << 8))/0xf00" ;;
	markctl:*)		echo "$MARKCTL ct $op" ;;
	markctl-ct:*)		echo "${MARKCTL%/*}/markctl-ct $op" ;;
	conntrack:list)		echo "conntrack -L" ;;
	"conntrack:list -m 5")	echo "conntrack -L -m 5" ;;
	conntrack:count)	echo "conntrack -C" ;;
	"conntrack:count -m 5")	echo "conntrack -L -m 5" ;;
	"conntrack:count --by-mark") echo "conntrack -L" ;;
	conntrack:update)	echo "conntrack -U -f ipv4 -m $((v << 8))/0xf00" ;;
	floor:update)		echo "$work/ct-floor $((v << 8)) 0xf00" ;;
	esac
}

# bench_ct_time KEY TOOL OP [VALUE]: one timed run, a result row.
bench_ct_time() {
	local key=$1 tool=$2 line
	rm -f "$work/ct-one"
	# shellcheck disable=SC2046
	"$work/rus" "$work/ct-one" $(bench_ct_cmdline "$tool" "$3" "${4:-}") \
		>/dev/null 2>>"$work/stderr"
	line=$(cat "$work/ct-one" 2>/dev/null)
	echo "$key|$tool|${line:-0 0 0 0 99}" >>"$work/ct-results"
}

# Inside a namespace: load N flows, then every tool on them.  "markctl" is
# "markctl ct" as users run it (markctl starts, then runs markctl-ct);
# "markctl-ct" the program alone.
bench_ct_inner() {
	local n=$1 rep=$2 k op tool tools v=1
	k=$(bench_k "$n")
	conntrack -R "$work/ct-$n.flows" 2>/dev/null || exit 99
	for op in list "list -m 5" count "count -m 5" "count --by-mark"; do
		tools="markctl conntrack"
		[ $((rep % 2)) = 0 ] && tools="conntrack markctl"
		# a count is start-up alone: show markctl-ct without markctl too
		[ "$op" = count ] && [ -x "${MARKCTL%/*}/markctl-ct" ] &&
			tools="$tools markctl-ct"
		for tool in $tools; do
			bench_ct_time "ct $op $k" "$tool" "$op"
		done
	done
	tools="markctl floor"
	[ $((rep % 2)) = 0 ] && tools="floor markctl"
	# conntrack -U stops after 256 flows: it takes part only below
	[ "$n" -le 256 ] && tools="$tools conntrack"
	for tool in $tools; do
		bench_ct_time "ct update $k" "$tool" update $v
		v=$((v + 1))
	done
}

bench_ct_shared() {
	work=$work MARKCTL=$MARKCTL unshare -n bash -c '
		source "$1/lib.sh"; source "$1/ct.sh"; here=$1
		bench_ct_inner "$2" "$3"' _ "$here" "$1" "$2"
}

# Medians per (operation, tool); ratios to conntrack for listing and
# counting, to the floor for updates (and to conntrack -U where it runs).
bench_ct_report() {
	awk -F'|' '
	function median(s,   a, n, i, j, t) {
		n = split(s, a, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return a[int((n + 1) / 2)]
	}
	function ratio(a, b) { return b > 0 ? sprintf("%6.2fx", a / b) : "     -" }
	{
		if (!($1 in seen)) { seen[$1] = 1; keys[++nk] = $1 }
		split($3, v, " ")
		for (c = 1; c <= 4; c++) col[$1, $2, c] = col[$1, $2, c] " " v[c]
		if (v[5] != 0) err[$1, $2] = v[5]
		has[$1, $2] = 1
	}
	END {
		nt = split("markctl markctl-ct conntrack floor", tl, " ")
		printf "%-26s %-10s %9s %9s %9s %9s %9s %9s %9s\n", "operation", "tool",
		       "wall s", "user s", "sys s", "RSS MB", "wall/ct", "RSS/ct", "wall/flr"
		for (k = 1; k <= nk; k++) {
			key = keys[k]
			for (t = 1; t <= nt; t++)
				for (c = 1; c <= 4; c++)
					m[tl[t], c] = has[key, tl[t]] ? median(col[key, tl[t], c]) : 0
			for (t = 1; t <= nt; t++) {
				tool = tl[t]
				if (!has[key, tool])
					continue
				if ((key, tool) in err) {
					printf "%-26s %-10s %9s (exit status %d)\n", key, tool, "ERR", err[key, tool]
					continue
				}
				printf "%-26s %-10s %9.3f %9.3f %9.3f %9.1f %9s %9s %9s\n", key, tool,
				       m[tool, 1], m[tool, 2], m[tool, 3], m[tool, 4] / 1024,
				       ratio(m[tool, 1], m["conntrack", 1]),
				       ratio(m[tool, 4], m["conntrack", 4]),
				       ratio(m[tool, 1], m["floor", 1])
				W[key, tool] = m[tool, 1]; R[key, tool] = m[tool, 4]
			}
		}
		print ""
		print "targets (issue 17), markctl ct:"
		for (k = 1; k <= nk; k++) {
			key = keys[k]
			if (!((key, "markctl") in W))
				continue
			if (key ~ /update/) {
				if ((key, "floor") in W) {
					w = W[key, "markctl"] / W[key, "floor"]
					printf "  %-26s wall %.2fx of the floor (<= 1.2: %s)\n", key, w, w <= 1.2 ? "met" : "MISSED"
				}
				if ((key, "conntrack") in W) {
					w = W[key, "markctl"] / W[key, "conntrack"]
					printf "  %-26s wall %.2fx of conntrack -U (<= 0.5: %s)\n", key, w, w <= 0.5 ? "met" : "MISSED"
				}
			} else if ((key, "conntrack") in W) {
				w = W[key, "markctl"] / W[key, "conntrack"]
				r = R[key, "markctl"] / R[key, "conntrack"]
				printf "  %-26s wall %.2fx (<= 1.0: %s)  RSS %.2fx (<= 0.5: %s)\n", key, w, w <= 1.0 ? "met" : "MISSED", r, r <= 0.5 ? "met" : "MISSED"
			}
		}
	}' "$1"
}
