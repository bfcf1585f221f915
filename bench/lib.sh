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

# kube-proxy names its chains by a hash of the service or endpoint: the
# same spread of names here (awk function name(KIND, SERVICE, ENDPOINT)).
bench_kube_names='
	function name(kind, i, j) {
		return sprintf("KUBE-%s-%08X%08X", kind,
			(i * 2654435761 + j) % 4294967296,
			(i * 40503 + j * 2246822519) % 4294967296)
	}'

bench_kube_name() {
	awk -v k="$1" -v i="$2" -v j="$3" "$bench_kube_names"'
	BEGIN { print name(k, i, j) }'
}

# n services of a kube-proxy nat table, iptables-restore format: per
# service a KUBE-SVC chain and two KUBE-SEP chains (comment, statistic,
# tcp, MARK by KUBE-MARK-MASQ, DNAT), names hashed as kube-proxy's are.
bench_gen_kube() {
	awk -v n="$1" "$bench_kube_names"'
	BEGIN {
		print "*nat"
		print ":KUBE-SERVICES - [0:0]"
		print ":KUBE-NODEPORTS - [0:0]"
		print ":KUBE-POSTROUTING - [0:0]"
		print ":KUBE-MARK-MASQ - [0:0]"
		for (i = 1; i <= n; i++) {
			print ":" name("SVC", i, 0) " - [0:0]"
			print ":" name("SEP", i, 1) " - [0:0]"
			print ":" name("SEP", i, 2) " - [0:0]"
		}
		print "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN"
		print "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000"
		print "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE"
		print "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000"
		for (i = 1; i <= n; i++) {
			svc = name("SVC", i, 0)
			ip = sprintf("198.51.100.%d", i % 250 + 1)
			port = 1000 + int(i / 250)
			c = sprintf("\"ns%d/svc%d:http cluster IP\"", i % 97, i)
			printf "-A KUBE-SERVICES -d %s/32 -p tcp -m comment --comment %s -m tcp --dport %d -j %s\n", ip, c, port, svc
			printf "-A %s ! -s 192.0.2.0/24 -d %s/32 -p tcp -m comment --comment %s -m tcp --dport %d -j KUBE-MARK-MASQ\n", svc, ip, c, port
			for (j = 1; j <= 2; j++) {
				sep = name("SEP", i, j)
				ep = sprintf("203.0.113.%d", (2 * i + j) % 250 + 1)
				c = sprintf("\"ns%d/svc%d:http\"", i % 97, i)
				if (j == 1)
					printf "-A %s -m comment --comment %s -m statistic --mode random --probability 0.50000000000 -j %s\n", svc, c, sep
				else
					printf "-A %s -m comment --comment %s -j %s\n", svc, c, sep
				printf "-A %s -s %s/32 -m comment --comment %s -j KUBE-MARK-MASQ\n", sep, ep, c
				printf "-A %s -p tcp -m comment --comment %s -m tcp -j DNAT --to-destination %s:%d\n", sep, c, ep, port + 7000
			}
		}
		print "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS"
		print "COMMIT"
	}'
}

# n rules in one user chain of the filter table, jumped to from INPUT.
bench_gen_filter() {
	awk -v n="$1" 'BEGIN {
		print "*filter"
		print ":BIG - [0:0]"
		print "-A INPUT -j BIG"
		for (i = 1; i <= n; i++)
			printf "-A BIG -s 198.51.%d.%d/32 -p tcp --dport %d -j ACCEPT\n", int(i / 256) % 256, i % 256, i % 65535 + 1
		print "COMMIT"
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
# | noflush FILE | list | loop N | udploop N | nftf FILE.
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
	noflush)
		case $tool in
		markctl*) echo "$bin restore --noflush $1" ;;
		*) echo "$bin-restore --noflush $1" ;;
		esac ;;
	list)	echo "$bin -L -n -v" ;;
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
	udploop) # a host extension (libxt_udp.so) in every call (issue 14)
		echo "sh -c 'i=0; while [ \$i -lt $1 ]; do $bin -t mangle -A OUTPUT -p udp --dport \$((i + 1)) -j MARK --set-mark \$i; i=\$((i + 1)); done'" ;;
	esac
}

# Runs inside the namespace: preload, time one command, drop the rules (so
# the namespace's teardown does not run behind the next measurement).
bench_inner() {
	local tool=$1 preload=$2 out=$3
	shift 3
	# a number: that many mark rules; else a file of $work
	case $preload in
	"") ;;
	*[!0-9]*) preload=$work/$preload ;;
	*) preload=$work/mark-$preload.rules ;;
	esac
	if [ -n "$preload" ]; then
		if bench_legacy "$tool"; then
			iptables-legacy-restore <"$preload"
		else
			iptables-nft-restore <"$preload"
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
	case $2 in
	loop|udploop)
		floor=$(bench_one "exec floor" "$@")
		res=$(bench_one "$tool" "$@")
		echo "$key|exec floor|$floor" >>"$work/results"
		res=$(echo "$res $floor" | awk '{ printf "%.6f %.6f %.6f %s %s\n",
			$1 - $6, $2 - $7, $3 - $8, $4, $5 }') ;;
	*)
		res=$(bench_one "$tool" "$@") ;;
	esac
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

# save and -L -n -v of a filter table whose user chain holds N rules
# (issue 14: one dump), on one kernel state per repetition as the saves.
bench_filter_shared() {
	local n=$1 rep=$2 tool kind what line
	shift 2
	local order="$*"
	[ $((rep % 2)) = 0 ] && order=$(echo "$*" | awk '{ for (i = NF; i; i--) printf "%s ", $i }')
	rm -f "$work"/filter.*
	work=$work MARKCTL=$MARKCTL unshare -n bash -c '
		source "$1/lib.sh"; n=$2; shift 2
		iptables-nft-restore <"$work/filter-$n.rules" || exit 99
		for kind in save list; do
			for tool; do
				"$work/rus" "$work/filter.$kind.$tool" \
					sh -c "exec $(bench_cmdline "$tool" $kind)" \
					>/dev/null 2>>"$work/stderr"
			done
		done
		nft flush ruleset' _ "$here" "$n" $order
	for kind in save list; do
		what=$kind
		[ "$kind" = list ] && what="-L -n -v"
		for tool in $order; do
			line=$(cat "$work/filter.$kind.$tool" 2>/dev/null)
			echo "filter $what $(bench_k "$n")|$tool|${line:-0 0 0 0 99}" >>"$work/results"
		done
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
	function cpu(key, tool) { return U[key, tool] + S[key, tool] }
	function services(key,   k) {
		k = key; sub(/.* /, "", k)
		return k ~ /k$/ ? substr(k, 1, length(k) - 1) * 1000 : k + 0
	}
	# iptables-nft at the largest size of the same row it ran at, scaled
	# linearly to @key'"'"'s: a lower bound for a quadratic cost
	function ref_cpu(key,   pre, k2, n, best) {
		if ((key, "iptables-nft") in W)
			return cpu(key, "iptables-nft")
		pre = key; sub(/ [^ ]*$/, "", pre)
		for (k2 = 1; k2 <= nk; k2++)
			if (index(keys[k2], pre " ") == 1 && (keys[k2], "iptables-nft") in W &&
			    services(keys[k2]) > n) {
				n = services(keys[k2]); best = keys[k2]
			}
		if (!n)
			return 0
		lower = sprintf(" (iptables-nft not run: its %s scaled, a lower bound)", best)
		return cpu(best, "iptables-nft") * services(key) / n
	}
	function issue14(   k, key, m, i, e, c, base) {
		print ""
		print "targets (issue 14), markctl / iptables-nft:"
		for (k = 1; k <= nk; k++) {
			key = keys[k]
			if (!((key, "markctl") in W))
				continue
			m = cpu(key, "markctl")
			if (key ~ /^kube (restore|--noflush) /) {
				lower = ""
				if (!(i = ref_cpu(key)))
					continue
				printf "  %-22s CPU %.2fx (<= 0.5: %s)  per service %.0f us, iptables-nft %.0f us%s\n",
				       key, m / i, m / i <= 0.5 ? "met" : "MISSED",
				       m * 1e6 / services(key), i * 1e6 / services(key), lower
			} else if (key ~ /^kube -. jump, / && key !~ /, 1 svc$/) {
				base = key; sub(/, .*/, ", 1 svc", base)
				if (!((base, "markctl") in W))
					continue
				# the cost of the kernel commit grows with the chain written
				# to, for both tools: markctl may grow as much
				e = W[key, "markctl"] / W[base, "markctl"]
				i = W[base, "iptables-nft"] > 0 ? W[key, "iptables-nft"] / W[base, "iptables-nft"] : 0
				c = e <= 1.25 || e <= 1.25 * i
				printf "  %-22s wall %.2fx of 1 svc, iptables-nft %.2fx (same, or the kernel'"'"'s growth: %s)  %.2fx of iptables-nft\n",
				       key, e, i, c ? "met" : "MISSED",
				       (W[key, "iptables-nft"] > 0 ? W[key, "markctl"] / W[key, "iptables-nft"] : 0)
			} else if (key ~ /^filter / && (key, "iptables-nft") in W) {
				e = W[key, "markctl"] / W[key, "iptables-nft"]
				i = cpu(key, "iptables-nft")
				printf "  %-22s wall %.2fx (<= 1.0: %s)  CPU %.2fx\n", key, e,
				       e <= 1.0 ? "met" : "MISSED", (i > 0 ? m / i : 0)
			} else if (key ~ /udp \(loop\)/ && (key, "iptables-nft") in W) {
				e = W[key, "markctl"] / W[key, "iptables-nft"]
				i = cpu(key, "iptables-nft")
				printf "  %-22s wall %.2fx above the exec floor (<= 0.5: %s)  CPU %.2fx\n",
				       key, e, e <= 0.5 ? "met" : "MISSED", (i > 0 ? m / i : 0)
			}
		}
	}
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
			else if (key ~ /loop/ && key !~ /udp/)
				printf "  %-20s wall %.2fx (<= 0.5: %s)  user+sys %.2fx\n", key, w, w <= 0.5 ? "met" : "MISSED", (U[key, "markctl"] + S[key, "markctl"]) / (U[key, "iptables-nft"] + S[key, "iptables-nft"])
			else if (key ~ /^save 100k/)
				printf "  %-20s wall %.2fx (<= 1.0: %s)  RSS %.2fx (<= 0.5: %s)\n", key, w, w <= 1.0 ? "met" : "MISSED", r, r <= 0.5 ? "met" : "MISSED"
			else if (key ~ /^audit 100k/)
				printf "  %-20s wall %.2fx of iptables-nft-save (<= 1.0, issue 15: %s)\n", key, w, w <= 1.0 ? "met" : "MISSED"
			else if (key ~ /^-[CD] spec/)
				printf "  %-20s wall %.2fx (<= 1.0: %s)  user %.2fx (<= 0.5: %s)\n", key, w, w <= 1.0 ? "met" : "MISSED", u, u <= 0.5 ? "met" : "MISSED"
		}
		issue14()
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
