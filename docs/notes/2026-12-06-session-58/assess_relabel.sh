#!/bin/bash
# Session 58: the fine-tune on the relabelled chorales (relabel_finetune.sh) made into a model folder
# beside the shipped one (runs/s58/cand): the shipped sampling defaults, lead-sheet harmonizer and
# chord table; the chorale harmonizer refitted on the relabelled corpus (session 57's
# runs/s57/cand, `fit_harmonizer.py --kind chorale`: it reads the corpus, not the weights); the
# chorale fits that sample the weights (modulation, header keys) refitted on these weights. Then
# the assessment against the shipped folder, in the same runs (the lead-sheet harmonizer is the
# shipped file, so its figures are the shipped ones).
cd /work/main
set -e
P="nice .venv/bin/python"
M=runs/s58/cand
rm -rf $M && mkdir -p $M/fits
cp src/tunesmith/models/default/{decoding.json,harmonizer.json,harmonizer.safetensors,chord_table.json} $M/
cp runs/s57/cand/{harmonizer_chorale.json,harmonizer_chorale.safetensors} $M/
cp runs/s57/cand/fits/harmonizer_chorale.json $M/fits/
cp runs/s58/relabel/{model.safetensors,model.json,train_log.json} $M/
$P scripts/fit_modulation.py --model $M --gains 0,1,2,3 --n 120 --json $M/fits/modulation.json --write
$P scripts/fit_header_keys.py --model $M --takes 12 --lifts 0,1,2,3,4 --json $M/fits/header_keys.json --write
echo "refit done $(date)"
$P scripts/compare_nll.py --model shipped=default --model relabel=$M --max 100 --json runs/s58/nll.json > runs/s58/nll.log 2>&1
echo "nll done $(date)"
$P scripts/evaluate_musicality.py --model shipped=default --model relabel=$M --split valid --seeds 0,1 \
  --json runs/s58/mus_all.json > runs/s58/mus_all.log 2>&1
echo "musicality done $(date)"
$P scripts/eval_cocreate.py --model $M --chorale-harmonizer $M --skip nottingham pop909 latency --no-ablation \
  --out runs/s58/coc_ch_cand.json > runs/s58/coc_ch_cand.log 2>&1
echo "cocreate done $(date)"
