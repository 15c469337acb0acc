#!/bin/bash
# #13 on the weights shipped in session 56 (retrain53-ft2): session 29's recipe, unchanged,
# without and with the realism reward (0.25 was session 29's best row; WEIGHTS="0.1" runs others).
cd /work/main
for W in ${WEIGHTS:-0 0.25}; do
  extra=""; [ "$W" != 0 ] && extra="--realism $W --realism-reward log_ratio"
  nice .venv/bin/python scripts/tuning_experiments.py rules --base default --styles folk --n 1000 --bars 8 \
    --rounds 150 --lr 1e-4 --kl 0.02 --targets --target-kp 1 --target-max 8 \
    --target-skip notes_excessively_repeated --top-p 0.95 --headers real --meter corpus \
    --kl-estimator exact $extra --json runs/s57/rl_w$W.json --out runs/s57/rl_w$W > runs/s57/rl_w$W.log 2>&1
  echo "W=$W rc $? $(date)" >> runs/s57/rl_runs.done
done
