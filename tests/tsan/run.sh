#!/usr/bin/env bash
# tests/tsan/run.sh BUILD_DIR JOBS - every threaded path under ThreadSanitizer.
#
# BUILD_DIR is a GP_SANITIZE=thread build (make tsan).  Runs the whole CTest
# suite, then rsop and explain on a generated lab large enough for the LDIF
# loader to cut each file into several blocks and for rsop to spread batches
# over its threads; the first report fails the run.  GSlice is turned off so
# that memory GLib recycles between threads is malloc's, which TSan follows.
set -euo pipefail

build=${1:?usage: run.sh BUILD_DIR [JOBS]}
jobs=${2:-2}
here=$(cd "$(dirname "$0")" && pwd)
export G_SLICE=always-malloc
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 suppressions=$here/suppressions.txt"

(cd "$build" && ctest --output-on-failure -j "$jobs")

lab=$(mktemp -d /tmp/gpsim-tsan.XXXXXX)
trap 'rm -rf "$lab"' EXIT
"$build/gpsim" lab generate --seed 7 --computers 30000 --ous 1500 --gpos 600 --sites 5 \
  --domains 3 --out "$lab/lab" > /dev/null
args=()
for f in "$lab"/lab/*.ldif; do args+=(--ldif "$f"); done
args+=(--sysvol "$lab/lab/sysvol")
"$build/gpsim" rsop "${args[@]}" --format jsonl > "$lab/rsop.jsonl" 2> "$lab/rsop.err"
computer=$(grep -m1 -h '^sAMAccountName: WS-' "$lab"/lab/*.ldif | head -1 | sed 's/^sAMAccountName: //; s/\$$//')
"$build/gpsim" explain "${args[@]}" --computer "$computer" --format json > "$lab/explain.json" 2> "$lab/explain.err"
echo "tsan: ctest, rsop ($(wc -l < "$lab/rsop.jsonl") computers) and explain of $computer: no reports"
