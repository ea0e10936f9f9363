#!/usr/bin/env bash
# tests/bench/run.sh - how gpsim scales: generated labs of several sizes, timed.
#
#   GPSIM=build-bench/gpsim bash tests/bench/run.sh       (make bench does this)
#   BENCH_SIZES="small 100k" ...                           sizes to run (default: all)
#   BENCH_DATA=/tmp/gpsim-bench                            where the labs go (never the repo)
#   BENCH_KEEP=1                                           keep the labs afterwards
#   BENCH_RUNS=3                                           runs per measurement (median kept)
#
# Per size: `gpsim lab generate` writes the lab (once; reused while BENCH_KEEP
# keeps it), then /usr/bin/time -v measures, page cache warm:
#   floor    cat of every input file > /dev/null (the raw cost of reading the bytes)
#   rsop     gpsim rsop --format jsonl over every computer and every right > /dev/null
#            (load + evaluation + output), with its peak resident memory
#   explain  gpsim explain of one computer, every right (load + one evaluation)
# each BENCH_RUNS times, keeping the run of median wall time (a shared 2-core
# machine varies by 20 % from run to run), and prints a markdown table, then
# the scaling ratios: 1m/500k (input doubled: at most 2.2 expected; also from
# back-to-back pairs), 1m/500k-same (computers doubled in one directory) and
# 1m/100k (input x10).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
GPSIM=${GPSIM:-$here/../../build-bench/gpsim}
BENCH_SIZES=${BENCH_SIZES:-"small 100k 500k 1m 500k-same"}
BENCH_DATA=${BENCH_DATA:-/tmp/gpsim-bench}
SEED=${BENCH_SEED:-2024}
BENCH_RUNS=${BENCH_RUNS:-3}

[ -x "$GPSIM" ] || { echo "bench: no gpsim binary at $GPSIM (set GPSIM)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
case "$BENCH_DATA" in /tmp/*) ;; *) echo "bench: BENCH_DATA must be under /tmp" >&2; exit 2 ;; esac

# The parameters of each size; 500k and 1m differ only by a factor of two.
params() {
  case "$1" in
    small) echo "--computers 50 --ous 20 --gpos 15 --sites 2 --domains 1" ;;
    100k) echo "--computers 100000 --ous 5000 --gpos 2000 --sites 50 --domains 3" ;;
    500k) echo "--computers 500000 --ous 25000 --gpos 10000 --sites 50 --domains 3" ;;
    1m) echo "--computers 1000000 --ous 50000 --gpos 20000 --sites 50 --domains 3" ;;
    # Half the computers in the 1m lab's directory: the seed draws the same
    # OUs, GPOs and links (computers come last), so only the computers double.
    500k-same) echo "--computers 500000 --ous 50000 --gpos 20000 --sites 50 --domains 3" ;;
    *) echo "bench: unknown size '$1' (small 100k 500k 1m 500k-same)" >&2; exit 2 ;;
  esac
}

# /usr/bin/time -v of a command: "WALL_SECONDS PEAK_KB CPU_SECONDS" on stdout (CPU = user +
# system: what the command itself used, when other work shares the machine); the command's
# output goes to /dev/null.
measure_once() {
  local log
  log=$(mktemp)
  /usr/bin/time -v -o "$log" "$@" > /dev/null 2> /dev/null || { echo "bench: failed: $*" >&2; cat "$log" >&2; exit 3; }
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
    /Maximum resident set size/ { kb = $2 }
    /User time|System time/ { cpu += $2 }
    END { printf "%.2f %d %.2f\n", s, kb, cpu }' "$log"
  rm -f "$log"
}

# measure_once() BENCH_RUNS times: the run of median wall time.
measure() {
  local i
  for ((i = 0; i < BENCH_RUNS; i++)); do measure_once "$@"; done | sort -n | awk '{ run[NR] = $0 } END { print run[int((NR + 1) / 2)] }'
}

data_args() {
  local dir=$1 f
  for f in "$dir"/*.ldif; do printf -- '--ldif %s ' "$f"; done
  printf -- '--sysvol %s' "$dir/sysvol"
}

rows=()
declare -A rsop_s out_b
load=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$BENCH_DATA"
for size in $BENCH_SIZES; do
  dir="$BENCH_DATA/$size"
  if [ ! -f "$dir/README.md" ]; then
    rm -rf "$dir" "$dir.tmp"
    echo "bench: generating $size ..." >&2
    # shellcheck disable=SC2046
    "$GPSIM" lab generate --seed "$SEED" $(params "$size") --out "$dir" > /dev/null
  fi
  bytes=$(find "$dir" -type f ! -name README.md -printf '%s\n' | awk '{ s += $1 } END { print s }')
  computer=$(grep -m1 -h '^sAMAccountName: WS-' "$dir"/*.ldif | head -1 | sed 's/^sAMAccountName: //; s/\$$//')
  # shellcheck disable=SC2046
  args=$(data_args "$dir")
  echo "bench: measuring $size ($bytes bytes) ..." >&2
  find "$dir" -type f -exec cat {} + > /dev/null # warm the page cache
  read -r floor _ _ < <(measure sh -c "find '$dir' -type f ! -name README.md -exec cat {} + > /dev/null")
  # shellcheck disable=SC2086
  read -r rsop kb rsop_cpu < <(measure "$GPSIM" rsop $args --format jsonl)
  # shellcheck disable=SC2086
  read -r explain _ explain_cpu < <(measure "$GPSIM" explain $args --computer "$computer")
  ratio=$(awk -v a="$rsop" -v b="$floor" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
  # How much rsop says: the work grows with it, and a seed may draw heavier
  # computers at one size than at another.
  # shellcheck disable=SC2086
  out=$("$GPSIM" rsop $args --format jsonl 2> /dev/null | wc -c)
  rows+=("| $size | $bytes | $floor | $rsop ($rsop_cpu) | ${ratio}x | $((kb / 1024)) | $explain ($explain_cpu) | $((out / 1000000)) |")
  rsop_s[$size]=$rsop
  out_b[$size]=$out
done

echo
echo "| size | file bytes | floor s (cat) | rsop s (cpu s) | rsop / floor | peak RSS MB | explain s (cpu s) | rsop output MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
if [ -n "${rsop_s[500k]:-}" ] && [ -n "${rsop_s[1m]:-}" ]; then
  awk -v a="${rsop_s[1m]}" -v b="${rsop_s[500k]}" -v oa="${out_b[1m]}" -v ob="${out_b[500k]}" \
    'BEGIN { printf "scaling: 1m / 500k (input x2): %.2fx (target <= 2.2), for %.2fx the output\n", a / b, oa / ob }'
  # The same ratio from runs back to back: the machine's pace drifts over the
  # minutes between the two rows above, much less within a pair.
  paired=$(for ((i = 0; i < BENCH_RUNS; i++)); do
    # shellcheck disable=SC2046
    read -r small _ _ < <(measure_once "$GPSIM" rsop $(data_args "$BENCH_DATA/500k") --format jsonl)
    # shellcheck disable=SC2046
    read -r large _ _ < <(measure_once "$GPSIM" rsop $(data_args "$BENCH_DATA/1m") --format jsonl)
    awk -v a="$large" -v b="$small" 'BEGIN { printf "%.2f\n", a / b }'
  done | sort -n | tr '\n' ' ')
  echo "$paired" | awk -v n="$BENCH_RUNS" '{ printf "scaling: 1m / 500k, rsop in %d back-to-back pairs: %s-> median %.2fx\n", n, $0, $(int((NF + 1) / 2)) }'
fi
if [ -n "${rsop_s[500k-same]:-}" ] && [ -n "${rsop_s[1m]:-}" ]; then
  awk -v a="${rsop_s[1m]}" -v b="${rsop_s[500k-same]}" -v oa="${out_b[1m]}" -v ob="${out_b[500k-same]}" \
    'BEGIN { printf "scaling: 1m / 500k-same (computers x2, same directory): %.2fx, for %.2fx the output\n", a / b, oa / ob }'
fi
if [ -n "${rsop_s[100k]:-}" ] && [ -n "${rsop_s[1m]:-}" ]; then
  awk -v a="${rsop_s[1m]}" -v b="${rsop_s[100k]}" \
    'BEGIN { printf "scaling: 1m / 100k (input x10): %.2fx\n", a / b }'
fi
echo "median of $BENCH_RUNS runs each; load average before: $load; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo)"
if [ -z "${BENCH_KEEP:-}" ]; then rm -rf "$BENCH_DATA"; fi
