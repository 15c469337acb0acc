#!/bin/bash
T=/work/main/.venv/bin/tunesmith
for f in "$@"; do
  s=${f%.mid}
  echo "=================== $f"
  echo "--- check"; $T check $f 2>&1 | head -3
  echo "--- continue"; $T continue $f --bars 8 --out out/${s}_c --no-audio --seed 1 --force 2>&1 | tail -5
  echo "--- harmonize"; $T harmonize $f --out out/${s}_h --no-audio --seed 1 --force 2>&1 | tail -5
  echo "--- inpaint"; $T inpaint $f --bars 3-4 --out out/${s}_i --no-audio --seed 1 --force 2>&1 | tail -5
done
