#!/bin/sh
# make install, then move the prefix: the installed gpsim must still find its
# data and bundled lab (relative to its own location), away from the sources.
set -eu
build_dir=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build_dir" --prefix "$tmp/prefix" >/dev/null
mv "$tmp/prefix" "$tmp/moved"
cd "$tmp"
out=$("$tmp/moved/bin/gpsim" explain --computer WEB01 --right SeImpersonatePrivilege --format json)
echo "$out" | grep -q '"name" : "IIS Web Tier"' || { echo "installed gpsim gave: $out"; exit 1; }
echo "installed gpsim found its data and lab"
