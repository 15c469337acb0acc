#!/bin/bash
# After the register fine-tune (runs/s31/ft_register): beside the package's decoding.json,
# harmonizers and chord table, held-out NLL per note (whole test pieces, 100 a style) against the
# shipped weights, and the chorale voices' mean pitch by key (12 seeds a key), shipped and candidate.
set -e
cd /work/main
PKG=src/tunesmith/models/default
C=runs/s31/ft_register
for f in decoding.json harmonizer.json harmonizer.safetensors harmonizer_chorale.json harmonizer_chorale.safetensors chord_table.json; do
  cp $PKG/$f $C/
done
.venv/bin/python docs/notes/2026-12-03-session-30/register12.py default $C > runs/s31/register12.log 2>&1 &
.venv/bin/python scripts/compare_nll.py --model shipped=default --model ft=$C --max 100 --json runs/s31/nll_ft.json > runs/s31/nll_ft.log 2>&1
wait
