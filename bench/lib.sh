# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers of bench/run (sourced; also sourced inside each namespace).

# A wait4() timer: "rus OUT CMD..." appends "wall user sys maxrss_kb rc" to
# OUT.  wait4 reports the child and every descendant it waited for, so a
# shell loop counts its commands too.
bench_build_timer() {
	cat >"$1.c" <<'EOF'
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double tv(struct timeval t) { return t.tv_sec + t.tv_usec / 1e6; }

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	FILE *out;
	pid_t pid;
	int st;

	if (argc < 3 || !(out = fopen(argv[1], "a")))
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(out, "%.6f %.6f %.6f %ld %d\n",
		(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9,
		tv(ru.ru_utime), tv(ru.ru_stime), ru.ru_maxrss,
		WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}
EOF
	cc -O2 -o "$1" "$1.c"
}

# n mark rules in one mangle chain, iptables-restore format.
bench_gen_restore() {
	awk -v n="$1" 'BEGIN {
		print "*mangle"
		print ":PREROUTING ACCEPT [0:0]"
		for (i = 1; i <= n; i++)
			printf "-A PREROUTING -m mark --mark %d -j MARK --set-xmark %d/0xffffffff\n", i, i + 1
		print "COMMIT"
	}'
}

# The same rules for nft -f (native meta mark statements).
bench_gen_nft() {
	awk -v n="$1" 'BEGIN {
		print "table ip mangle {"
		print "\tchain PREROUTING {"
		print "\t\ttype filter hook prerouting priority -150; policy accept;"
		for (i = 1; i <= n; i++)
			printf "\t\tmeta mark %d counter meta mark set %d\n", i, i + 1
		print "\t}"
		print "}"
	}'
}

bench_k() {
	if [ $(($1 % 1000)) = 0 ]; then echo "$(($1 / 1000))k"; else echo "$1"; fi
}

bench_markctl_works() {
	unshare -n $1 -t mangle -A PREROUTING -m mark --mark 1 \
		-j MARK --set-xmark 2 >/dev/null 2>&1
}

# Whether @tool's rules are legacy x_tables ones.
bench_legacy() {
	case $1 in iptables-legacy|markctl-legacy) return 0 ;; esac
	return 1
}

# The command line of @tool for an operation: restore FILE | save | cmd ARGS
# | loop N | nftf FILE.
bench_cmdline() {
	local tool=$1 kind=$2 bin
	shift 2
	case $tool in
	markctl)	bin=$MARKCTL ;;
	markctl-legacy)	bin="$MARKCTL --backend legacy" ;;
	iptables-nft)	bin=iptables-nft ;;
	iptables-legacy) bin=iptables-legacy ;;
	"exec floor")	bin=/bin/true ;;
	esac
	case $kind in
	restore)
		case $tool in
		markctl*) echo "$bin restore $1" ;;
		*) echo "$bin-restore $1" ;;
		esac ;;
	save)
		case $tool in
		markctl*) echo "$bin save" ;;
		*) echo "$bin-save" ;;
		esac ;;
	cmd)	echo "$bin $*" ;;
	audit)	# iptables-nft-save reads the same rules; audit's status 1
		# (findings) is no error
		case $tool in
		markctl) echo "sh -c '$MARKCTL audit -o json >/dev/null; [ \$? -le 1 ]'" ;;
		*) echo "$bin-save" ;;
		esac ;;
	nftf)	echo "nft -f $1" ;;
	loop)	echo "sh -c 'i=0; while [ \$i -lt $1 ]; do $bin -t mangle -A PREROUTING -m mark --mark \$i -j MARK --set-xmark \$((i + 1)); i=\$((i + 1)); done'" ;;
	esac
}

# Runs inside the namespace: preload, time one command, drop the rules (so
# the namespace's teardown does not run behind the next measurement).
bench_inner() {
	local tool=$1 preload=$2 out=$3
	shift 3
	if [ -n "$preload" ]; then
		if bench_legacy "$tool"; then
			iptables-legacy-restore <"$work/mark-$preload.rules"
		else
			iptables-nft-restore <"$work/mark-$preload.rules"
		fi || exit 99
	fi
	"$work/rus" "$out" "$@" >/dev/null 2>>"$work/stderr"
	if bench_legacy "$tool"; then
		iptables-legacy -t mangle -F
	else
		nft flush ruleset
	fi
}

# bench_one TOOL PRELOAD KIND ARGS...: prints "wall user sys rss rc" of one
# measurement in its own namespace.
bench_one() {
	local tool=$1 preload=$2 line
	shift 2
	line=$(bench_cmdline "$tool" "$@")
	rm -f "$work/one"
	work=$work unshare -n bash -c \
		"source '$here/lib.sh'; bench_inner \"\$@\"" _ \
		"$tool" "$preload" "$work/one" sh -c "exec $line"
	if [ -s "$work/one" ]; then cat "$work/one"; else echo "0 0 0 0 99"; fi
}

# bench_measure KEY TOOL PRELOAD KIND ARGS...: one result row.  A loop is
# paired with the same loop running /bin/true just before it, and the
# pair's difference is recorded (less drift than subtracting medians).
bench_measure() {
	local key=$1 tool=$2 floor res
	shift 2
	if [ "$2" = loop ]; then
		floor=$(bench_one "exec floor" "$@")
		res=$(bench_one "$tool" "$@")
		echo "$key|exec floor|$floor" >>"$work/results"
		res=$(echo "$res $floor" | awk '{ printf "%.6f %.6f %.6f %s %s\n",
			$1 - $6, $2 - $7, $3 - $8, $4, $5 }')
	else
		res=$(bench_one "$tool" "$@")
	fi
	echo "$key|$tool|$res" >>"$work/results"
}

# Save of N rules by the nf_tables tools, both on the same kernel state:
# how long the kernel's dump takes depends on where the rules landed in
# memory, and varies by 2x from one restore to the next, which would
# swamp the difference between the tools.  The order alternates by @rep.
bench_save_shared() {
	local n=$1 rep=$2 tool line
	shift 2
	local order="$*"
	[ $((rep % 2)) = 0 ] && order=$(echo "$*" | awk '{ for (i = NF; i; i--) printf "%s ", $i }')
	rm -f "$work"/save.*
	work=$work MARKCTL=$MARKCTL unshare -n bash -c '
		source "$1/lib.sh"; n=$2; shift 2
		iptables-nft-restore <"$work/mark-$n.rules" || exit 99
		for tool; do
			"$work/rus" "$work/save.$tool" \
				sh -c "exec $(bench_cmdline "$tool" save)" \
				>/dev/null 2>>"$work/stderr"
		done
		nft flush ruleset' _ "$here" "$n" $order
	for tool in $order; do
		line=$(cat "$work/save.$tool" 2>/dev/null)
		echo "save $(bench_k "$n")|$tool|${line:-0 0 0 0 99}" >>"$work/results"
	done
}

# markctl audit of N rules against iptables-nft-save reading them, in one
# namespace per repetition as the saves (same kernel state; the order
# alternates by @rep).
bench_audit_shared() {
	local n=$1 rep=$2 tool line
	shift 2
	local order="$*"
	[ $((rep % 2)) = 0 ] && order=$(echo "$*" | awk '{ for (i = NF; i; i--) printf "%s ", $i }')
	rm -f "$work"/audit.*
	work=$work MARKCTL=$MARKCTL unshare -n bash -c '
		source "$1/lib.sh"; n=$2; shift 2
		iptables-nft-restore <"$work/mark-$n.rules" || exit 99
		for tool; do
			"$work/rus" "$work/audit.$tool" \
				sh -c "exec $(bench_cmdline "$tool" audit)" \
				>/dev/null 2>>"$work/stderr"
		done
		nft flush ruleset' _ "$here" "$n" $order
	for tool in $order; do
		line=$(cat "$work/audit.$tool" 2>/dev/null)
		echo "audit $(bench_k "$n")|$tool|${line:-0 0 0 0 99}" >>"$work/results"
	done
}

# Medians per (operation, tool).
bench_report() {
	awk -F'|' -v tools="$2" '
	function median(s,   a, n, i, j, t) {
		n = split(s, a, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return a[int((n + 1) / 2)]
	}
	{
		if (!($1 in seen)) { seen[$1] = 1; keys[++nk] = $1 }
		split($3, v, " ")
		for (c = 1; c <= 4; c++) col[$1, $2, c] = col[$1, $2, c] " " v[c]
		if (v[5] != 0) err[$1, $2] = v[5]
		has[$1, $2] = 1
	}
	function ratio(a, b) { return b > 0 ? sprintf("%6.2fx", a / b) : "     -" }
	END {
		ntool = split(tools, tl, " ")
		legacy = tools ~ /markctl-legacy/
		tl[++ntool] = "nft -f"; tl[++ntool] = "exec floor"
		printf "%-20s %-16s %9s %9s %9s %9s %9s %9s\n", "operation", "tool",
		       "wall s", "user s", "sys s", "RSS MB", "wall/nft", "RSS/nft"
		for (k = 1; k <= nk; k++) {
			key = keys[k]
			for (t = 1; t <= ntool; t++) {
				tool = tl[t]
				if (!has[key, tool])
					continue
				for (c = 1; c <= 4; c++)
					m[tool, c] = median(col[key, tool, c])
			}
			for (t = 1; t <= ntool; t++) {
				tool = tl[t]
				if (!has[key, tool])
					continue
				if ((key, tool) in err) {
					printf "%-20s %-16s %9s (exit status %d)\n", key, tool, "ERR", err[key, tool]
					continue
				}
				printf "%-20s %-16s %9.3f %9.3f %9.3f %9.1f %9s %9s\n", key, tool,
				       m[tool, 1], m[tool, 2], m[tool, 3], m[tool, 4] / 1024,
				       ratio(m[tool, 1], m["iptables-nft", 1]),
				       ratio(m[tool, 4], m["iptables-nft", 4])
				W[key, tool] = m[tool, 1]; U[key, tool] = m[tool, 2]
				S[key, tool] = m[tool, 3]
				R[key, tool] = m[tool, 4]
			}
		}
		print ""
		print "loop rows: minus the same loop running /bin/true, timed just before (exec floor row: that loop)"
		print ""
		print "targets (issue 4), markctl / iptables-nft:"
		for (k = 1; k <= nk; k++) {
			key = keys[k]
			if (!((key, "markctl") in W) || !((key, "iptables-nft") in W))
				continue
			w = W[key, "markctl"] / W[key, "iptables-nft"]
			u = U[key, "iptables-nft"] > 0 ? U[key, "markctl"] / U[key, "iptables-nft"] : 0
			r = R[key, "markctl"] / R[key, "iptables-nft"]
			if (key ~ /^restore 100k/)
				printf "  %-20s wall %.2fx (<= 0.8: %s)  RSS %.2fx (<= 0.3: %s)\n", key, w, w <= 0.8 ? "met" : "MISSED", r, r <= 0.3 ? "met" : "MISSED"
			else if (key ~ /loop/)
				printf "  %-20s wall %.2fx (<= 0.5: %s)  user+sys %.2fx\n", key, w, w <= 0.5 ? "met" : "MISSED", (U[key, "markctl"] + S[key, "markctl"]) / (U[key, "iptables-nft"] + S[key, "iptables-nft"])
			else if (key ~ /^save 100k/)
				printf "  %-20s wall %.2fx (<= 1.0: %s)  RSS %.2fx (<= 0.5: %s)\n", key, w, w <= 1.0 ? "met" : "MISSED", r, r <= 0.5 ? "met" : "MISSED"
			else if (key ~ /^audit 100k/)
				printf "  %-20s wall %.2fx of iptables-nft-save (<= 1.0, issue 15: %s)\n", key, w, w <= 1.0 ? "met" : "MISSED"
			else if (key ~ /^-[CD] spec/)
				printf "  %-20s wall %.2fx (<= 1.0: %s)  user %.2fx (<= 0.5: %s)\n", key, w, w <= 1.0 ? "met" : "MISSED", u, u <= 0.5 ? "met" : "MISSED"
		}
		if (!legacy)
			exit
		print ""
		print "targets (issue 16), markctl-legacy / iptables-legacy:"
		ml = "markctl-legacy"; l = "iptables-legacy"
		for (k = 1; k <= nk; k++) {
			key = keys[k]
			if (!((key, ml) in W) || !((key, l) in W))
				continue
			w = W[key, l] > 0 ? W[key, ml] / W[key, l] : 0
			c = (U[key, l] + S[key, l]) > 0 ? (U[key, ml] + S[key, ml]) / (U[key, l] + S[key, l]) : 0
			r = R[key, l] > 0 ? R[key, ml] / R[key, l] : 0
			if (key ~ /^restore 100k/)
				printf "  %-20s CPU %.2fx (<= 0.8: %s)  RSS %.2fx (<= 0.5: %s)\n", key, c, c <= 0.8 ? "met" : "MISSED", r, r <= 0.5 ? "met" : "MISSED"
			else if (key ~ /^-A, chain of 100k/)
				printf "  %-20s wall %.2fx (<= 0.5: %s)  RSS %.2fx (<= 0.2: %s)\n", key, w, w <= 0.5 ? "met" : "MISSED", r, r <= 0.2 ? "met" : "MISSED"
			else if (key ~ /^-[CD] spec at 100k/)
				printf "  %-20s wall %.2fx (<= 0.5: %s)\n", key, w, w <= 0.5 ? "met" : "MISSED"
			else if (key ~ /^save 100k/)
				printf "  %-20s wall %.2fx (<= 1.0: %s)\n", key, w, w <= 1.0 ? "met" : "MISSED"
		}
	}' "$1"
}
