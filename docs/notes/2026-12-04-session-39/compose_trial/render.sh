#!/usr/bin/env bash
# Render takes' MusicXML to PNG with MuseScore and crop them, to read as a musician: render.sh NAME...
O=/tmp/compose39
cd "$O" || exit 1
for n in "$@"; do
  QT_QPA_PLATFORM=offscreen nice mscore3 -o "$O/png_$n.png" "$O/$n.musicxml" >/dev/null 2>&1
  for p in "$O"/png_"$n"-*.png; do
    case $p in *_c.png) continue;; esac
    /work/main/.venv/bin/python /work/main/docs/notes/2026-12-04-session-39/compose_trial/../../2026-12-03-session-28/crop.py "$p" >/dev/null
  done
done
ls "$O"/png_*_c.png
