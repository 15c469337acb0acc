#!/bin/bash
cd /tmp/wt28
PY="nice -n 6 env PYTHONPATH=/tmp/wt28/src /work/main/.venv/bin/python scripts/evaluate_copy_guard.py --index /tmp/s28/idx/similarity_index --plants 200 --seed 0 --takes 0 --fa-split valid"
for gs in "1 0.6" "1 0.75" "2 0.45" "0.5 0.75"; do set -- $gs
  $PY --changes none --set RHYTHM_GAIN=$1 --set RHYTHM_SCALE=$2 --json /tmp/s28/cg2_v_$1_$2.json > /tmp/s28/cg2_v_$1_$2.log 2>&1
  $PY --set RHYTHM_GAIN=$1 --set RHYTHM_SCALE=$2 --json /tmp/s28/cg2_a_$1_$2.json > /tmp/s28/cg2_a_$1_$2.log 2>&1
done
echo done > /tmp/s28/cg_runs2.done
