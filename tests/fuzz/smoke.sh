#!/usr/bin/env bash
# smoke.sh - `make fuzz-smoke`: every libFuzzer target for a short fixed time.
#
#   tests/fuzz/smoke.sh BUILD_DIR SECONDS [JOBS]
#
# Each target runs on a copy of its seed corpus (tests/fuzz/corpus/<target>/)
# in a temporary folder, so the repository is never written, with its
# dictionary, -max_total_time=SECONDS, -rss_limit_mb=2048 and -max_len=65536.
# One line per target: "fuzz_x: N runs in S s, clean", or the finding, with the
# log and the reproducer saved under BUILD_DIR/fuzz-findings/.  Exit status 1 when any target
# crashed, leaked, timed out or ran out of memory.
set -euo pipefail

build=${1:?usage: smoke.sh BUILD_DIR SECONDS [JOBS]}
seconds=${2:?usage: smoke.sh BUILD_DIR SECONDS [JOBS]}
jobs=${3:-$(nproc 2>/dev/null || echo 2)}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd)
targets="fuzz_text fuzz_inf fuzz_ldif fuzz_sd fuzz_gplink fuzz_gpreport fuzz_rsop fuzz_xml fuzz_inherit"

dict_for() {
  case $1 in
  fuzz_text) echo text.dict ;;
  fuzz_inf) echo inf.dict ;;
  fuzz_ldif) echo ldif.dict ;;
  fuzz_sd) echo sd.dict ;;
  fuzz_gplink) echo gplink.dict ;;
  fuzz_inherit) echo csv.dict ;;
  *) echo xml.dict ;;
  esac
}

work=$(mktemp -d "${TMPDIR:-/tmp}/gpsim-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Runs one target; writes its summary line to $work/<target>.line.
run_one() {
  local target=$1 dir="$work/$1" status=0 runs secs
  mkdir -p "$dir/corpus"
  cp "$here/corpus/$target/"* "$dir/corpus/"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 G_SLICE=always-malloc \
    "$build/tests/fuzz/$target" "$dir/corpus" -dict="$here/$(dict_for "$target")" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$dir/" >"$dir/log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$dir/log" | tail -1)
  if [ "$status" -eq 0 ] && ! ls "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* \
    >/dev/null 2>&1; then
    echo "$target: ${runs:-?} runs in ${secs:-$seconds} s, clean" >"$dir.line"
    return 0
  fi
  mkdir -p "$build/fuzz-findings"
  cp "$dir/log" "$build/fuzz-findings/$target.log"
  for artifact in "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*; do
    [ -e "$artifact" ] && cp "$artifact" "$build/fuzz-findings/$target-$(basename "$artifact")"
  done
  {
    echo "$target: FAILED (exit $status) after ${runs:-?} runs; reproducers in $build/fuzz-findings/"
    grep -E "ERROR|SUMMARY|==[0-9]+==|#[0-9]+ 0x" "$dir/log" | head -40 | sed 's/^/    /'
  } >"$dir.line"
  return 1
}
export -f run_one dict_for
export work here build seconds

failed=0
printf '%s\n' $targets | xargs -P "$jobs" -I{} bash -c 'run_one {}' || failed=1
for target in $targets; do
  cat "$work/$target.line"
done
exit "$failed"
