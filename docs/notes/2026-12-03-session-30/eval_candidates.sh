#!/bin/bash
# After the two register fine-tunes: each beside the package's decoding.json, harmonizers and chord
# table; held-out NLL per note (whole test pieces, 100 a style) and the chorale soprano's mean by key.
# Two at once, one core each.
set -e
cd /work/main
PKG=src/tunesmith/models/default
for n in a b; do
  for f in decoding.json harmonizer.json harmonizer.safetensors harmonizer_chorale.json harmonizer_chorale.safetensors chord_table.json; do
    cp $PKG/$f runs/s30/ft_$n/
  done
done
for n in a b; do
  ( .venv/bin/python scripts/compare_nll.py --model ft_$n=runs/s30/ft_$n --max 100 --json runs/s30/nll_$n.json > runs/s30/nll_$n.log 2>&1
    .venv/bin/python docs/notes/2026-12-03-session-29/register3.py runs/s30/ft_$n > runs/s30/register_$n.log 2>&1 ) &
done
wait
