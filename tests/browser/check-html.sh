#!/bin/sh
# check-html.sh GPSIM OUTDIR - the explain HTML report in a real browser.
#
# Renders `gpsim explain --computer WEB01 --format html` of the bundled contoso
# lab in headless Chromium (Debian package chromium, which `make deps`
# installs): takes a screenshot and dumps the DOM as the browser built it, then
# checks that the page's text holds the winner, the denied GPO with its reason,
# the holders with names and SIDs and the greyed-out sentence, that the DOM has
# no script and that the PNG is a real 1280x2000 picture.  The files stay in
# OUTDIR (web01.html, web01.png, web01.dom) for a look.
#
# A missing browser is a failure, never a silent skip: CI must not pass without
# the browser check.  GP_SKIP_BROWSER=1 skips it on purpose (exit 77, which
# CTest reports as skipped).
set -eu

gpsim=$1
out=$2

if [ "${GP_SKIP_BROWSER:-}" = 1 ]; then
  echo "SKIP: GP_SKIP_BROWSER=1: the HTML report is not checked in a browser"
  exit 77
fi
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "FAIL: chromium is not installed (Debian package 'chromium'; 'make deps' installs it)." >&2
  echo "      Set GP_SKIP_BROWSER=1 to skip the browser check on purpose." >&2
  exit 1
fi

mkdir -p "$out"
rm -f "$out/web01.html" "$out/web01.png" "$out/web01.dom"
profile=$(mktemp -d "${TMPDIR:-/tmp}/gpsim-chromium-XXXXXX")
trap 'rm -rf "$profile"' EXIT INT TERM

"$gpsim" explain --computer WEB01 --right SeImpersonatePrivilege --format html -o "$out/web01.html"
page="file://$(cd "$out" && pwd)/web01.html"

run_browser() {
  timeout 180 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage \
    --user-data-dir="$profile" --window-size=1280,2000 "$@" "$page"
}
run_browser --screenshot="$out/web01.png" 2>"$out/chromium-screenshot.log" || {
  echo "FAIL: chromium could not take the screenshot:" >&2; cat "$out/chromium-screenshot.log" >&2
  exit 1
}
run_browser --dump-dom >"$out/web01.dom" 2>"$out/chromium-dom.log" || {
  echo "FAIL: chromium could not dump the DOM:" >&2; cat "$out/chromium-dom.log" >&2; exit 1
}

status=0
fail() { echo "FAIL: $*" >&2; status=1; }

# The text content of the DOM: tags removed, the entities the checks need decoded.
text=$(sed -e 's/<[^>]*>/ /g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' \
  -e 's/&amp;/\&/g' "$out/web01.dom" | tr -s ' \n' ' ')
for expected in \
  "wins SeImpersonatePrivilege" \
  "Winner: GPO 'IIS Web Tier' {A1C0B7E2-5D1F-4C3A-9E61-0B2D5C7A1004}" \
  "Old Web Settings" "computer configuration disabled (GPO status)" \
  "Contoso Security Baseline" "enforced" \
  'BUILTIN\Administrators' 'S-1-5-32-544' 'NT AUTHORITY\LOCAL SERVICE' 'S-1-5-19' \
  'BUILTIN\IIS_IUSRS' 'S-1-5-32-568' \
  "greyed out in secpol.msc because GPO 'IIS Web Tier'" \
  "CN=HQ,CN=Sites,CN=Configuration,DC=contoso,DC=com" "CN=WEB01,OU=Web,OU=Servers,DC=contoso,DC=com"
do
  case $text in
    *"$expected"*) ;;
    *) fail "the rendered page's text lacks: $expected" ;;
  esac
done
grep -qi '<script' "$out/web01.dom" && fail "the rendered DOM has a <script> element"
grep -Eqi 'https?://' "$out/web01.html" && fail "the page references a URL"

# The screenshot: a PNG of 1280x2000 with something on it (a blank page
# compresses to a few kilobytes).
[ -f "$out/web01.png" ] || fail "no screenshot was written"
if [ -f "$out/web01.png" ]; then
  magic=$(od -An -tx1 -N8 "$out/web01.png" | tr -d ' \n')
  [ "$magic" = 89504e470d0a1a0a ] || fail "the screenshot is not a PNG ($magic)"
  size=$(od -An -tu1 -j16 -N8 "$out/web01.png" | tr -s ' ' | sed 's/^ //')
  [ "$size" = "0 0 5 0 0 0 7 208" ] || fail "the screenshot is not 1280x2000 (IHDR bytes: $size)"
  bytes=$(wc -c <"$out/web01.png")
  [ "$bytes" -gt 40000 ] || fail "the screenshot is suspiciously small ($bytes bytes)"
fi
[ $status = 0 ] && echo "ok: $out/web01.png ($(wc -c <"$out/web01.png") bytes), DOM text checked"
exit $status
