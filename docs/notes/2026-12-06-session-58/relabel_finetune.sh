#!/bin/sh
# Session 58: the shipped weights fine-tuned on the corpus whose JSB chorales are keyed by the chord
# they close on (session 57, 6dbd4fd). By steps, so that a busy machine changes the time, not the model.
cd /work/main
T=.venv/bin/tunesmith
R=""; [ -f runs/s58/relabel/checkpoint.safetensors ] && R="--resume"
$T train --config finetune --out runs/s58/relabel $R --max-steps 1000 --max-minutes 0 --quiet --json \
  > runs/s58/relabel.json 2> runs/s58/relabel.err && touch runs/s58/relabel.done
echo "rc $? $(date)" >> runs/s58/relabel.rc
