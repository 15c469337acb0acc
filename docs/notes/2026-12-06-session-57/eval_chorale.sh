#!/bin/bash
# Chorales on the relabelled corpus: the shipped folder against the refitted copy (runs/s57/cand),
# composed (validation split, seeds 0-1) and harmonized (the JSB test sopranos).
cd /work/main
nice .venv/bin/python scripts/evaluate_musicality.py --model shipped=default --model refit=runs/s57/cand \
  --styles chorale --split valid --seeds 0,1 --json runs/s57/chorale_valid.json > runs/s57/chorale_valid.log 2>&1
echo "valid rc $? $(date)"
for M in default runs/s57/cand; do
  H=$M; [ "$M" = default ] && H=src/tunesmith/models/default
  nice .venv/bin/python scripts/eval_cocreate.py --model $M --chorale-harmonizer $H --skip nottingham pop909 latency \
    --no-ablation --out runs/s57/cocreate_$(basename $M).json > runs/s57/cocreate_$(basename $M).log 2>&1
  echo "cocreate $M rc $? $(date)"
done
