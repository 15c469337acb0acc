#!/bin/bash
# Refit the decoding defaults of a candidate model folder, in order (session 28).
set -x
M=$1; J=$2; PY="nice -n 3 /work/main/.venv/bin/python"
cd /work/main
$PY scripts/fit_header_tempos.py --model $M --min-pieces 10 --max-off-grid 0.5 --json $J/header_tempos.json --write
$PY scripts/fit_pickups.py --model $M --min-share 0.05 --min-pieces 30 --json $J/pickups.json --write
$PY scripts/fit_rhythm_feedback.py --model $M --json $J/rhythm_feedback.json --write
$PY scripts/fit_modulation.py --model $M --gains 0,1,2,3 --n 120 --json $J/modulation.json --write
$PY scripts/fit_interval_feedback.py --model $M --styles chorale --rounds 4 --returns --json $J/iv_chorale.json --write
while [ ! -f $M/HARMONIZER_READY ]; do sleep 10; done
$PY scripts/fit_tonal_feedback.py --model $M --key-heard --json $J/tonal_feedback.json --write
$PY scripts/fit_interval_feedback.py --model $M --styles folk --rounds 4 --returns --json $J/iv_folk.json --write
$PY scripts/fit_interval_feedback.py --model $M --styles pop --rounds 3 --json $J/iv_pop.json --write
$PY scripts/fit_register_lift.py --model $M --style folk --bars 32 --form AABB --gains 0,1,1.5,2,3 --n 120 --json $J/register_lift.json --write
$PY scripts/fit_dance_profiles.py --model $M --gains 0,0.5,1,1.5,2,3 --takes 60 --seed 0 --json $J/dances.json --write
echo FITS_DONE
