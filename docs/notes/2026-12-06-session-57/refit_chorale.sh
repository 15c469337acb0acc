#!/bin/bash
# The chorale fits that read the JSB keys, refitted on the relabelled corpus into a copy of the shipped
# model folder (runs/s57/cand), with the commands `scripts/refit_decoding.py` runs for them.
cd /work/main
M=runs/s57/cand
set -e
nice .venv/bin/python scripts/fit_harmonizer.py --kind chorale --out $M --json $M/fits/harmonizer_chorale.json --json-only
nice .venv/bin/python scripts/fit_modulation.py --model $M --gains 0,1,2,3 --n 120 --json $M/fits/modulation.json --write
nice .venv/bin/python scripts/fit_header_keys.py --model $M --takes 12 --lifts 0,1,2,3,4 --json $M/fits/header_keys.json --write
echo "done $(date)"
