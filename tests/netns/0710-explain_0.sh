# markctl explain: every documented value of every tool in data/owners
# names its tool (as VALUE/MASK, and as the bare value); the layout's
# fields and named values; JSON parsed back with jq; conntrack marks;
# bad values and usage exit 2.  Reads no kernel state.
. "$(dirname "$0")/lib.sh"
mk_need jq

mk_need_owners explain
tmp=$(mktemp -d) || mk_fail "mktemp"
trap 'rm -rf "$tmp"' EXIT

expect_rc()	# WHAT WANT ARGS...
{
	local what=$1 want=$2 rc=0

	shift 2
	"$MARKCTL" explain "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = "$want" ] || {
		mk_log "$what: exit $rc, expected $want: $(cat "$tmp/err")"
		MK_ERRORS=$((${MK_ERRORS:-0} + 1))
	}
}

# Each "value WORD VALUE/MASK NAME TEXT" of the data file.
n=0
while read -r _ word vm name _; do
	v=${vm%/*}
	flag=; [ "$word" = conntrack ] && flag=-c
	for arg in "$vm" "$v"; do
		[ "$arg" = "$v" ] && [ $((v)) = 0 ] && continue
		got=$("$MARKCTL" explain $flag -o json "$arg" |
		      jq -r --arg n "$name" '.owners[] | select(.values[].name == $n) | .owner' |
		      sort -u)
		owner=$(awk -v vm="$vm" -v nm="$name" '
			/^owner / { o = $2 }
			$1 == "value" && $3 == vm && $4 == nm { print o }' "$MARKCTL_OWNERS" | sort -u)
		case $'\n'"$got"$'\n' in
		*$'\n'"$owner"$'\n'*) ;;
		*) mk_log "explain $flag $arg: '$name' not named with $owner (got: $got)"
		   MK_ERRORS=$((${MK_ERRORS:-0} + 1)) ;;
		esac
		n=$((n + 1))
	done
done < <(grep -E '^[[:space:]]*value ' "$MARKCTL_OWNERS")
[ "$n" -ge 40 ] || mk_fail "only $n values checked"

# wg-quick's 51820 first, in text too, with the Kubernetes bits it holds.
out=$("$MARKCTL" explain 51820)
first=$(printf '%s\n' "$out" | sed -n 's/^  \([a-z0-9.+-]*\): .*/\1/p' | head -1)
mk_expect_eq "first owner of 51820" wg-quick "$first"
printf '%s\n' "$out" | grep -q '^0x0000ca6c/0xffffffff, packet mark$' ||
	mk_fail "explain 51820: no header line"
printf '%s\n' "$out" | grep -q '^  bit 15 0x00008000 1 .*kubelet' ||
	mk_fail "explain 51820: bit 15 not given to kubelet"

# The layout: fields, named values, what lies outside.
cat >"$tmp/layout" <<'EOF'
field route 0x00ff0000
  value isp2 2
field vpn 0x80000000
EOF
j=$("$MARKCTL" explain --layout "$tmp/layout" -o json 0x80024000)
mk_expect_eq "layout fields" "route=2 isp2
vpn=1 null" "$(printf '%s' "$j" | jq -r '.layout.fields[] | "\(.field)=\(.value) \(.name)"')"
mk_expect_eq "outside the layout" 16384 "$(printf '%s' "$j" | jq '.layout.outside')"
mk_expect_eq "expression input" "2147614720 2164195328" \
	"$("$MARKCTL" explain --layout "$tmp/layout" -o json route=isp2,vpn | jq -r '"\(.value) \(.mask)"')"
text=$(MARKCTL_LAYOUT=$tmp/layout "$MARKCTL" explain 0x20000/0xff0000)
printf '%s\n' "$text" | grep -q '^  route=isp2 (2)' || mk_fail "text: no route=isp2: $text"
# a mask lists all its bits, set or not
mk_expect_eq "bits under a mask" 8 "$("$MARKCTL" explain -o json 0x20000/0xff0000 | jq '.bits | length')"
mk_expect_eq "conntrack word" conntrack "$("$MARKCTL" explain -c -o json 0xca6c | jq -r .word)"

expect_rc "bad value" 2 0x1zz
expect_rc "negative" 2 -- -1
expect_rc "too big" 2 0x100000000
expect_rc "a name without a layout" 2 route=isp2
grep -q 'bad value "route=isp2"' "$tmp/err" || mk_fail "no message naming the value: $(cat "$tmp/err")"
expect_rc "unknown value" 2 --layout "$tmp/layout" route=isp7
grep -q 'unknown value "isp7" for field "route"' "$tmp/err" || mk_fail "$(cat "$tmp/err")"
expect_rc "two values" 2 1 2
expect_rc "no value" 2
expect_rc "bad output" 2 -o yaml 1
expect_rc "unknown option" 2 --bogus 1
expect_rc "missing owners file" 2 --owners "$tmp/none" 1
expect_rc "help" 0 -h
mk_done
