#!/usr/bin/env bash
# Runs tunesmith's four co-create/check verbs on every ABC file here (session 39's "ABC in the
# wild" trial). Outputs go under /tmp/abc39/<file stem>/<verb>, logs beside them; a summary line
# per run (exit status, first line of stderr) is printed. Usage: ./runall.sh [FILE.abc ...]
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../../.." && pwd)"
TS="${TUNESMITH:-$ROOT/.venv/bin/tunesmith}"
OUT=/tmp/abc39
mkdir -p "$OUT"
if [ $# -eq 0 ]; then set -- "$HERE"/*.abc; fi
for f in "$@"; do
    stem="$(basename "$f" .abc)"
    dir="$OUT/$stem"
    mkdir -p "$dir"
    run() {  # verb, then its arguments
        local verb="$1"; shift
        nice "$TS" "$verb" "$f" "$@" >"$dir/$verb.out" 2>"$dir/$verb.err"
        local rc=$?
        printf '%-32s %-9s rc=%s  %s\n' "$stem" "$verb" "$rc" \
            "$(head -c 300 "$dir/$verb.err" | head -n 1)$( [ $rc -eq 0 ] && head -c 300 "$dir/$verb.out" | tail -n 1)"
    }
    run check
    run continue --bars 8 --out "$dir/continue" --no-audio --seed 1 --force
    run harmonize --out "$dir/harmonize" --no-audio --seed 1 --force
    run inpaint --bars 3-4 --out "$dir/inpaint" --no-audio --seed 1 --force
done
