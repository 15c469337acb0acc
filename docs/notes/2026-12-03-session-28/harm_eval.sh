#!/bin/bash
cd /tmp/wt28
nice -n 6 env PYTHONPATH=/tmp/wt28/src /work/main/.venv/bin/python scripts/eval_cocreate.py --skip chorales latency --no-model-chords --lead 100 --out /tmp/s28/harm_new.json > /tmp/s28/harm_new.log 2>&1
nice -n 6 env PYTHONPATH=/work/main/src /work/main/.venv/bin/python scripts/eval_cocreate.py --skip chorales latency --no-model-chords --lead 100 --out /tmp/s28/harm_old.json > /tmp/s28/harm_old.log 2>&1
echo done > /tmp/s28/harm_eval.done
