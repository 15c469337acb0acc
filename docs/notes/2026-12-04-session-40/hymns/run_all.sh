#!/bin/bash
# Harmonize every hymn as a new user would, then render the score (MuseScore 3) and crop it.
# usage: bash docs/notes/2026-12-04-session-40/hymns/run_all.sh OUTDIR [extra harmonize args]
H=docs/notes/2026-12-04-session-40/hymns
OUT=${1:-runs/s40/hymns/a}; shift
EXTRA=("$@")
mkdir -p "$OUT"
while read -r f opts; do
  stem=$(basename "$f" | tr . _)
  echo "== $f $opts"
  nice .venv/bin/tunesmith harmonize "$H/$f" --style chorale --seed 1 --out "$OUT/$stem" --force --no-audio $opts "${EXTRA[@]}" 2>&1
  QT_QPA_PLATFORM=offscreen mscore3 -o "$OUT/$stem.png" "$OUT/$stem.musicxml" >/dev/null 2>&1
  for p in "$OUT/$stem"-*.png; do case $p in *_c.png) ;; *) [ -f "$p" ] && .venv/bin/python docs/notes/2026-12-03-session-28/crop.py "$p";; esac; done
done <<LIST
old_hundredth.musicxml
passion_chorale.musicxml
adeste_fideles.musicxml
austria.musicxml
amazing_grace.abc
greensleeves.abc
picardy.abc
hymn_to_joy.mid
old_hundredth.mid --pickup 2
LIST
