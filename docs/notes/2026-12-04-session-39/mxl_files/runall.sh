#!/bin/sh
# Run the four co-create verbs on each file here; outputs under /tmp/mxl39/<file>/<verb>/.
# usage: sh runall.sh [FILE...]   (default: every .musicxml / .mxl here, and /tmp/mxl39/big/h6_100mb.musicxml)
HERE=$(cd "$(dirname "$0")" && pwd)
TS=${TUNESMITH:-/work/main/.venv/bin/tunesmith}
OUT=/tmp/mxl39
[ $# -eq 0 ] && set -- "$HERE"/*.musicxml "$HERE"/*.mxl "$OUT/big/h6_100mb.musicxml"
for f in "$@"; do
  b=$(basename "$f")
  for verb in check continue harmonize inpaint; do
    d="$OUT/$b/$verb"; mkdir -p "$d"
    case $verb in
      check) set -- check "$f" ;;
      continue) set -- continue "$f" --bars 8 --out "$d/take" --no-audio --seed 1 --force ;;
      harmonize) set -- harmonize "$f" --out "$d/take" --no-audio --seed 1 --force ;;
      inpaint) set -- inpaint "$f" --bars 3-4 --out "$d/take" --no-audio --seed 1 --force ;;
    esac
    echo "=== $b $verb"
    nice "$TS" "$@" >"$d/log.txt" 2>&1; echo "rc=$?" >>"$d/log.txt"
    cut -c1-400 "$d/log.txt"
  done
done
