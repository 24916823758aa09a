#!/usr/bin/env bash
# bench/run.sh: time nlq against `ip` and the kernel's receive-only floor,
# in network namespaces built for the purpose. See bench/README.md.
#
#   bench/run.sh [-n RUNS] [-t SECONDS] [--no-check] [--no-build] [--busy] [--load-max L]
#                smoke|full|small|SET SIZE...
#
# SET is routes4, routes6, links or neigh; SIZE is a count with an
# optional k or m suffix (10k, 100k, 1m). `small` is a namespace of a
# handful of objects (start-up cost, 10x the runs). `smoke` is routes4
# 10k + links 1k; `full` is small, routes4 10k, 100k and 1m, routes6
# 100k, links 10k, neigh 50k. Needs root.
# Each pass runs every command once, one after the other (floor, ip, nlq,
# ...); xfloor and xip are the median, over passes, of a command's time
# divided by the floor's (ip's) in the same pass, with their spread. It
# refuses to measure while the 1-minute load is above --load-max (0.5)
# unless --busy is given: figures from a busy machine do not reproduce.
#
# Every namespace is named nlqb-<pid>-<set>-<size>, built, measured and
# deleted before the next; a trap deletes whatever exists on any exit
# (error, Ctrl-C, kill). Nothing touches the host's interfaces or routes:
# every `ip` command runs with `-n NS` or under `ip netns exec NS`, and
# both ends of every veth stay in the namespace.

set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH")
RUNS=5
TIMEOUT=600
CHECK=1
BUILD=1
BUSY=0
LOAD_MAX=0.5

usage() {
	sed -n '4,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

say() { printf '%s\n' "$*" >&2; }
die() {
	say "run.sh: $*"
	exit 1
}

# ---------------------------------------------------------------- cleanup

NAMESPACES=()
WORK=

cleanup() {
	local ns
	for ns in ${NAMESPACES[@]+"${NAMESPACES[@]}"}; do
		if ip netns del "$ns" 2>/dev/null; then
			say "deleted namespace $ns"
		fi
	done
	NAMESPACES=()
	[[ -n $WORK ]] && rm -rf "$WORK"
	return 0
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

new_ns() {
	NAMESPACES+=("$1")
	ip netns add "$1"
}

del_ns() {
	local keep=() ns
	ip netns del "$1"
	for ns in ${NAMESPACES[@]+"${NAMESPACES[@]}"}; do
		[[ $ns == "$1" ]] || keep+=("$ns")
	done
	NAMESPACES=(${keep[@]+"${keep[@]}"})
}

# ---------------------------------------------------------------- helpers

now() { printf '%s' "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# "10k" -> 10000, "1m" -> 1000000
count() {
	case $1 in
	*[kK]) echo $((${1%?} * 1000)) ;;
	*[mM]) echo $((${1%?} * 1000000)) ;;
	*[!0-9]* | '') die "not a count: $1" ;;
	*) echo "$1" ;;
	esac
}

# How many objects a batch file (or a piece of one) creates: routes, or
# links (a veth line makes two).
objects() {
	awk '/^route add/ { n++ } /^link add .* veth/ { n += 2; next } /^link add/ { n++ }
		END { print n + 0 }' "$1"
}

# Feed a batch file to `ip -n NS -batch` in chunks of LINES lines,
# printing progress after each.
batch() {
	local ns=$1 file=$2 label=$3 unit=$4 lines=$5
	local total start chunk done=0
	total=$(objects "$file")
	start=$(now)
	rm -f "$WORK"/chunk.*
	split -l "$lines" -d -a 4 "$file" "$WORK/chunk."
	for chunk in "$WORK"/chunk.*; do
		ip -n "$ns" -batch "$chunk" ||
			die "$label: ip -batch failed in $chunk (see the line above)"
		done=$((done + $(objects "$chunk")))
		say "  $label: $done/$total $unit ($(since "$start") s)"
	done
	rm -f "$WORK"/chunk.*
}

# Which link kinds this kernel can create (it may lack dummy, ifb, ...).
check_kinds() {
	local ns=$1
	ip -n "$ns" link add name kcheck0 type veth peer name kcheck1 ||
		die "this kernel cannot create veth links"
	ip -n "$ns" link del kcheck0
	ip -n "$ns" link add name kcheck2 type bridge || die "no bridge links"
	ip -n "$ns" link del kcheck2
	if ip -n "$ns" link add name kcheck3 type ifb 2>/dev/null; then
		ip -n "$ns" link del kcheck3
		HAVE_IFB=1
	else
		say "  no ifb on this kernel: links are all veth"
		HAVE_IFB=0
	fi
}

# ---------------------------------------------------------------- building

build_base() {
	local ns=$1
	check_kinds "$ns"
	awk -v what=base -f "$BENCH/gen.awk" >"$WORK/base.batch"
	ip -n "$ns" -batch "$WORK/base.batch"
}

build_routes() {
	local ns=$1 fam=$2 n=$3 label=$4
	build_base "$ns"
	awk -v what="routes$fam" -v n="$n" -f "$BENCH/gen.awk" >"$WORK/set.batch"
	batch "$ns" "$WORK/set.batch" "$label" routes 50000
}

# Links come up with IPv6 disabled, and get IPv6 once they all are: every
# link going up with IPv6 on makes the kernel walk the whole IPv6 FIB
# (rt6_sync_up from addrconf_notify), and each link adds routes to it, so
# bringing 10k links up one by one with IPv6 on is quadratic (4.5 minutes
# here, against 10 s this way). Adding an IPv6 address is quadratic too
# (inet6_addr_add walks every IPv6 address of the namespace in
# addrconf_verify_rtnl): a global one on each of 10k links took two
# minutes, so only every fourth link gets one; every link has its fe80::
# address. DAD and router solicitations are off so that no address
# changes state while the commands are timed.
build_links() {
	local ns=$1 n=$2 label=$3 t
	ip -n "$ns" link set lo up
	check_kinds "$ns"
	v6() { ip netns exec "$ns" sysctl -qw "$@"; }
	v6 net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	v6 net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	v6 net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.router_solicitations=0
	awk -v what=links -v n="$n" -v noifb=$((1 - HAVE_IFB)) -f "$BENCH/gen.awk" >"$WORK/set.batch"
	batch "$ns" "$WORK/set.batch" "$label" links 7000 # 2800 links
	t=$(now)
	v6 net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.all.disable_ipv6=0
	awk -v what=links6 -v n="$n" -v noifb=$((1 - HAVE_IFB)) -f "$BENCH/gen.awk" >"$WORK/set.batch"
	ip -n "$ns" -batch "$WORK/set.batch"
	say "  $label: IPv6 on, fd00:: addresses on a quarter of the links ($(since "$t") s)"
}

# Wait until the namespace stops changing (DAD work the kernel finishes
# asynchronously): no tentative address, and an address dump the kernel
# does not flag as interrupted. A dump interrupted while it is timed would
# make nlq read it again.
settle() {
	local ns=$1 i
	for ((i = 0; i < 120; i++)); do
		if [[ -z $(ip -n "$ns" -6 addr show tentative) ]] &&
			! ip -n "$ns" addr show 2>&1 >/dev/null | grep -q interrupted; then
			((i == 0)) || say "  settled after $((i / 2)) s"
			return 0
		fi
		sleep 0.5
	done
	say "  warning: $ns still changing after 60 s"
}

build_neigh() {
	local ns=$1 n=$2 label=$3
	build_base "$ns"
	awk -v what=neigh -v n="$n" -f "$BENCH/gen.awk" >"$WORK/set.batch"
	batch "$ns" "$WORK/set.batch" "$label" entries 50000
}

# ---------------------------------------------------------------- measuring

# Run one command once in NS: stdout to /dev/null, stderr to ERR; append
# "wall rss_kib status" to OUT.
measure_once() {
	local ns=$1 out=$2 err=$3
	shift 3
	ip netns exec "$ns" "$MEASURE" -t "$TIMEOUT" -o "$WORK/m" -- "$@" >/dev/null 2>"$err" || true
	if [[ -s $WORK/m ]]; then
		cat "$WORK/m" >>"$out"
	else
		echo "0 0 measure-failed" >>"$out"
	fi
	rm -f "$WORK/m"
}

# The median, minimum and maximum of column 1, and the maximum of column 2
# (KiB), of the lines whose status is 0; "FAIL:<status>" if any run failed.
stats() {
	awk '
		$3 != "0" { bad = $3 }
		{ t[NR] = $1; if ($2 > rss) rss = $2 }
		END {
			if (bad != "") { print "FAIL:" bad; exit }
			n = NR
			for (i = 1; i <= n; i++)
				for (j = i + 1; j <= n; j++)
					if (t[j] < t[i]) { x = t[i]; t[i] = t[j]; t[j] = x }
			med = n % 2 ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
			printf "%.6f %.6f %.6f %d\n", med, t[1], t[n], rss
		}' "$1"
}

# The per-pass ratios of column 1 of A to column 1 of B (line N of each is
# the same pass, run one right after the other): "median min max", or
# nothing if a run failed or the files differ in length.
ratios() {
	paste -d ' ' "$1" "$2" | awk '
		$3 != "0" || $6 != "0" || $4 <= 0 { bad = 1 }
		{ r[NR] = $1 / $4 }
		END {
			n = NR
			if (bad || n == 0) exit
			for (i = 1; i <= n; i++)
				for (j = i + 1; j <= n; j++)
					if (r[j] < r[i]) { x = r[i]; r[i] = r[j]; r[j] = x }
			med = n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
			printf "%.2f %.2f %.2f\n", med, r[1], r[n]
		}'
}

# A ratio as "median [min-max]", or "-".
spread() {
	local med min max
	read -r med min max <<<"$1"
	if [[ -n $med ]]; then printf '%s [%s-%s]' "$med" "$min" "$max"; else printf -- '-'; fi
}

# The 1-minute load average, and whether it is at most LOAD_MAX.
load_now() { cut -d ' ' -f 1 /proc/loadavg; }
quiet() { awk -v l="$(load_now)" -v m="$LOAD_MAX" 'BEGIN { exit !(l <= m) }'; }

# Wait up to 3 minutes for the machine to be quiet (building a set leaves
# the load high for a while); refuse to measure on a busy
# one unless --busy was given (the figures would not reproduce).
require_quiet() {
	local i
	for ((i = 0; i < 36; i++)); do
		quiet && return 0
		say "  load $(load_now) > $LOAD_MAX: waiting for a quiet machine"
		sleep 5
	done
	if ((BUSY)); then
		say "  warning: measuring at load $(load_now) (--busy)"
		return 0
	fi
	die "the machine is busy (load $(load_now) > $LOAD_MAX): figures would not reproduce; stop what runs, or pass --busy"
}

# GROUP: a list of "label|ip-match|command..." rows, the floor first.
# Row fields: the label printed, the label of the `ip` row an nlq row is
# compared with ("-" for none), then the command words.
declare -A MED RSS XFLOOR XIP
LOADS=()
ROWS=()

# Time every row of a group: one warm-up pass (checked, not counted), then
# RUNS passes, each running every command once in turn, so noise from the
# rest of the machine falls on all of them alike.
run_group() {
	local ns=$1 set=$2 group=$3 row label cmd r key
	shift 3
	local -a rows=("$@")
	require_quiet
	LOADS+=("$set $group: $(load_now)")
	say "  $set: $group: warm-up"
	for row in "${rows[@]}"; do
		IFS='|' read -r label _ cmd <<<"$row"
		key="$set|$group|$label"
		: >"$WORK/t.$(slug "$key")"
		# shellcheck disable=SC2086 # cmd is a word list on purpose
		measure_once "$ns" "$WORK/warm" "$WORK/e.$(slug "$key")" $cmd
	done
	for ((r = 1; r <= RUNS; r++)); do
		say "  $set: $group: run $r/$RUNS"
		for row in "${rows[@]}"; do
			IFS='|' read -r label _ cmd <<<"$row"
			key="$set|$group|$label"
			# shellcheck disable=SC2086
			measure_once "$ns" "$WORK/t.$(slug "$key")" "$WORK/e.$(slug "$key").last" $cmd
		done
	done
	print_group "$set" "$group" "${rows[@]}"
}

slug() { printf '%s' "$1" | tr -c 'A-Za-z0-9' '_'; }

print_group() {
	local set=$1 group=$2 row label match cmd key s fl t floor_t ip_t
	shift 2
	printf '\n%-34s %10s %10s %10s %9s %18s %18s\n' \
		"[$set] $group" "median s" "min s" "max s" "RSS MiB" "xfloor [min-max]" "xip [min-max]"
	floor_t=
	for row in "$@"; do
		IFS='|' read -r label match cmd <<<"$row"
		key="$set|$group|$label"
		t=$WORK/t.$(slug "$key")
		s=$(stats "$t")
		if [[ $s == FAIL:* ]]; then
			printf '%-34s %10s   %s\n' "$label" "$s" \
				"$(cat "$WORK/e.$(slug "$key")"{,.last} 2>/dev/null | tail -n 2 | tr '\n' ' ')"
			continue
		fi
		read -r med min max rss <<<"$s"
		MED[$key]=$med
		RSS[$key]=$rss
		# Ratios per pass: this row against the floor (and its ip row) of
		# the same pass, then their median and spread.
		[[ -z $floor_t ]] && floor_t=$t
		ip_t=
		[[ -n $match && $match != - ]] && ip_t=$WORK/t.$(slug "$set|$group|$match")
		XFLOOR[$key]=$(ratios "$t" "$floor_t")
		XIP[$key]=
		[[ -n $ip_t && -s $ip_t ]] && XIP[$key]=$(ratios "$t" "$ip_t")
		printf '%-34s %10.4f %10.4f %10.4f %9.1f %18s %18s\n' "$label" "$med" "$min" "$max" \
			"$(awk -v r="$rss" 'BEGIN { printf "%.1f", r / 1024 }')" \
			"$(spread "${XFLOOR[$key]}")" "$([[ -n ${XIP[$key]} ]] && spread "${XIP[$key]}")"
	done
	fl=$WORK/e.$(slug "$set|$group|floor")
	[[ -s $fl ]] && printf '  (%s)\n' "$(head -n 1 "$fl")"
	return 0
}

# Count the objects of each JSON output (jq length), so a row that prints
# fewer objects than `ip` shows up. ROW labels as in the group.
check_counts() {
	local ns=$1 set=$2 group=$3 row label cmd n line=""
	shift 3
	((CHECK)) || return 0
	command -v jq >/dev/null || {
		say "  (no jq: object counts not checked)"
		return 0
	}
	for row in "$@"; do
		IFS='|' read -r label _ cmd <<<"$row"
		# shellcheck disable=SC2086
		n=$(ip netns exec "$ns" $cmd 2>/dev/null | jq length 2>/dev/null) || n="?"
		line+="$label: $n; "
	done
	printf '  objects: %s\n' "${line%; }"
}

# ---------------------------------------------------------------- the sets

routes_rows() {
	local f=$1 # -4 or -6
	ROWS=(
		"floor|-|$FLOOR $f routes"
		"floor + walk|-|$FLOOR --walk $f routes"
		"ip $f route show|-|ip $f route show"
		"ip -j $f route show|-|ip -j $f route show"
		"nlq routes $f|ip $f route show|$NLQ routes $f"
		"nlq routes $f --json|ip -j $f route show|$NLQ routes $f --json"
		"nlq routes $f --json=ip|ip -j $f route show|$NLQ routes $f --json=ip"
	)
}

links_rows() {
	ROWS=(
		"floor|-|$FLOOR links"
		"floor + walk|-|$FLOOR --walk links"
		"ip -s link show|-|ip -s link show"
		"ip -j -s link show|-|ip -j -s link show"
		"nlq links|ip -s link show|$NLQ links"
		"nlq links --json|ip -j -s link show|$NLQ links --json"
		"nlq links --json=ip|ip -j -s link show|$NLQ links --json=ip"
	)
}

addrs_rows() {
	ROWS=(
		"floor|-|$FLOOR addrs"
		"floor + walk|-|$FLOOR --walk addrs"
		"ip addr show|-|ip addr show"
		"ip -j addr show|-|ip -j addr show"
		"nlq addrs|ip addr show|$NLQ addrs"
		"nlq addrs --json|ip -j addr show|$NLQ addrs --json"
		"nlq addrs --json=ip|ip -j addr show|$NLQ addrs --json=ip"
	)
}

neigh_rows() {
	ROWS=(
		"floor|-|$FLOOR neigh"
		"floor + walk|-|$FLOOR --walk neigh"
		"ip neigh show|-|ip neigh show"
		"ip -j neigh show|-|ip -j neigh show"
		"nlq neigh|ip neigh show|$NLQ neigh"
		"nlq neigh --json|ip -j neigh show|$NLQ neigh --json"
		"nlq neigh --json=ip|ip -j neigh show|$NLQ neigh --json=ip"
	)
}

# The JSON rows of a group, for check_counts.
json_rows() {
	local row
	for row in "${ROWS[@]}"; do
		case $row in *'-j '* | *--json*) printf '%s\n' "$row" ;; esac
	done
}

SCALE=() # the label of every routes4 set measured

run_set() {
	local set=$1 size=$2 n ns t0 label group f
	n=$(count "$size")
	ns="nlqb-$$-$set-$size"
	label="$set $size"
	say "== $label: building namespace $ns"
	t0=$(now)
	new_ns "$ns"
	case $set in
	routes4) build_routes "$ns" 4 "$n" "$label" ;;
	routes6) build_routes "$ns" 6 "$n" "$label" ;;
	links) build_links "$ns" "$n" "$label" ;;
	neigh) build_neigh "$ns" "$n" "$label" ;;
	small) build_base "$ns" && label=small ;;
	*) die "unknown set $set (small, routes4, routes6, links, neigh)" ;;
	esac
	settle "$ns"
	t0=$(since "$t0")
	BUILT+=("$label: ${t0} s")
	say "  $label: built in $t0 s"
	printf '\n== %s (namespace %s, built in %s s; %d runs, stdout to /dev/null)\n' \
		"$label" "$ns" "$t0" "$([[ $set == small ]] && echo $((RUNS * 10)) || echo "$RUNS")"
	case $set in
	routes4 | routes6)
		f=-${set#routes}
		group="routes $f"
		routes_rows "$f"
		run_group "$ns" "$label" "$group" "${ROWS[@]}"
		mapfile -t json < <(json_rows)
		check_counts "$ns" "$label" "$group" "${json[@]}"
		[[ $set == routes4 ]] && SCALE+=("$label")
		;;
	neigh)
		neigh_rows
		run_group "$ns" "$label" neigh "${ROWS[@]}"
		mapfile -t json < <(json_rows)
		check_counts "$ns" "$label" neigh "${json[@]}"
		;;
	small)
		# A few milliseconds a run: ten times the passes.
		local runs=$RUNS
		RUNS=$((RUNS * 10))
		for group in links addrs "routes -4"; do
			case $group in
			links) links_rows ;;
			addrs) addrs_rows ;;
			*) routes_rows -4 ;;
			esac
			run_group "$ns" "$label" "$group" "${ROWS[@]}"
		done
		RUNS=$runs
		;;
	links)
		links_rows
		run_group "$ns" "$label" links "${ROWS[@]}"
		mapfile -t json < <(json_rows)
		check_counts "$ns" "$label" links "${json[@]}"
		addrs_rows
		run_group "$ns" "$label" addrs "${ROWS[@]}"
		mapfile -t json < <(json_rows)
		check_counts "$ns" "$label" addrs "${json[@]}"
		;;
	esac
	t0=$(now)
	del_ns "$ns"
	say "  $label: namespace deleted in $(since "$t0") s"
}

print_scale() {
	local entry label key n prev_t= prev_r=
	((${#SCALE[@]} > 1)) || return 0
	printf '\n== scale: nlq routes -4 --json (IPv4 main table)\n'
	printf '%-14s %10s %10s %10s %9s %8s %9s %8s %9s\n' \
		set routes "floor s" "nlq s" "RSS MiB" xfloor "us/route" "t xprev" "RSS xprev"
	for label in "${SCALE[@]}"; do
		key="$label|routes -4"
		[[ -n ${MED[$key|nlq routes -4 --json]:-} ]] || continue
		# routes in main: the floor's message count
		n=$(sed -n 's/.*: \([0-9]*\) messages.*/\1/p' "$WORK/e.$(slug "$key|floor")")
		awk -v l="$label" -v n="${n:-0}" -v fl="${MED[$key|floor]}" \
			-v t="${MED[$key|nlq routes -4 --json]}" -v r="${RSS[$key|nlq routes -4 --json]}" \
			-v pt="$prev_t" -v pr="$prev_r" 'BEGIN {
				printf "%-14s %10d %10.4f %10.4f %9.1f %8.2f %9s %8s %9s\n", l, n, fl, t, r / 1024,
					t / fl, n ? sprintf("%.3f", t / n * 1e6) : "-",
					pt ? sprintf("%.1f", t / pt) : "-", pr ? sprintf("%.2f", r / pr) : "-"
			}'
		prev_t=${MED[$key|nlq routes -4 --json]}
		prev_r=${RSS[$key|nlq routes -4 --json]}
	done
}

# ---------------------------------------------------------------- main

main() {
	local sets=() a args="$*"
	while (($#)); do
		case $1 in
		-n) RUNS=${2:?-n needs a count} && shift 2 ;;
		-t) TIMEOUT=${2:?-t needs seconds} && shift 2 ;;
		--no-check) CHECK=0 && shift ;;
		--no-build) BUILD=0 && shift ;;
		--busy) BUSY=1 && shift ;;
		--load-max) LOAD_MAX=${2:?--load-max needs a load} && shift 2 ;;
		-h | --help) usage ;;
		smoke) sets+=("routes4 10k" "links 1k") && shift ;;
		full) sets+=("small 0" "routes4 10k" "routes4 100k" "routes4 1m" "routes6 100k" "links 10k" "neigh 50k") && shift ;;
		small) sets+=("small 0") && shift ;;
		routes4 | routes6 | links | neigh)
			[[ $# -ge 2 ]] || die "$1 needs a size (10k, 100k, 1m)"
			count "$2" >/dev/null
			sets+=("$1 $2") && shift 2
			;;
		*) usage ;;
		esac
	done
	((${#sets[@]})) || usage
	[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "-n needs a positive count"
	((EUID == 0)) || die "needs root (it builds network namespaces)"
	for a in ip awk split cc; do
		command -v "$a" >/dev/null || die "needs $a"
	done

	WORK=$(mktemp -d /tmp/nlqbench.XXXXXX)
	local target=${CARGO_TARGET_DIR:-$ROOT/target}
	if ((BUILD)); then
		say "== building nlq and the floor (release)"
		(cd "$ROOT" && cargo build --release --example floor --bins) >&2
	fi
	# Copies, so a rebuild elsewhere during the run cannot swap them.
	cp "$target/release/nlq" "$WORK/nlq"
	cp "$target/release/examples/floor" "$WORK/floor"
	NLQ=$WORK/nlq
	FLOOR=$WORK/floor
	cc -O2 -o "$WORK/measure" "$BENCH/measure.c"
	MEASURE=$WORK/measure

	BUILT=()
	printf 'nlq benchmark: %s, kernel %s, %s CPUs, %s, nlq %s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" \
		"$(uname -r)" "$(nproc)" "$(ip -V | sed 's/, libbpf.*//')" \
		"$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo '+dirty')"
	printf 'command: bench/run.sh %s\n' "$args"
	for a in "${sets[@]}"; do
		# shellcheck disable=SC2086
		run_set $a
	done
	print_scale
	printf '\nbuild times: %s\n' "$(printf '%s; ' "${BUILT[@]}")"
	printf 'load (1 min) before each group: %s\n' "$(printf '%s; ' "${LOADS[@]}")"
}

main "$@"
