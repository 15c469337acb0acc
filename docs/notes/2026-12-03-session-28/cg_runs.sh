#!/bin/bash
# (session 28: run when RHYTHM_GAIN defaulted to 1; it is 0 now, hence the explicit --set)
cd /tmp/wt28
PY="nice -n 6 env PYTHONPATH=/tmp/wt28/src /work/main/.venv/bin/python scripts/evaluate_copy_guard.py --index /tmp/s28/idx/similarity_index --plants 200 --seed 0 --takes 0"
$PY --changes none --set RHYTHM_GAIN=0 --json /tmp/s28/cg_v_g0.json > /tmp/s28/cg_v_g0.log 2>&1
$PY --changes none --set RHYTHM_GAIN=1 --json /tmp/s28/cg_v_g1.json > /tmp/s28/cg_v_g1.log 2>&1
$PY --set RHYTHM_GAIN=0 --json /tmp/s28/cg_a_g0.json > /tmp/s28/cg_a_g0.log 2>&1
$PY --set RHYTHM_GAIN=1 --json /tmp/s28/cg_a_g1.json > /tmp/s28/cg_a_g1.log 2>&1
echo done > /tmp/s28/cg_runs.done
