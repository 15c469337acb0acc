#!/bin/bash
# #13 on the weights shipped in session 56: the smooth taste, session 41's recipe (two rounds of
# rating, 500 pairs, an ensemble of 5), at the tune seeds that had fallen under 0.70 (2, 7), then 3;
# 600 blind pairs each (SEEDS="4 5" runs others).
cd /work/main
for S in ${SEEDS:-2 7 3}; do
  nice .venv/bin/python scripts/tuning_experiments.py rater --base default --ceiling 0.84 --pairs 500 --rounds 150 \
    --lr 1e-4 --kl 0.02 --novelty 1 --bounded --tune-seed $S --taste smooth --ensemble 5 \
    --rating-rounds 2 --first-rounds 75 --blind 600 --out runs/s57/rater_smooth_s$S \
    --json runs/s57/rater_smooth_s$S.json > runs/s57/rater_smooth_s$S.log 2>&1
  echo "seed $S rc $? $(date)" >> runs/s57/rater_runs.done
done
