#!/bin/bash
# usage: take.sh NAME SEED tunesmith-compose-args...   (writes to runs/s42/songwriter)
cd /work/main/runs/s42/songwriter || exit 1
name=$1; seed=$2; shift 2
/work/main/.venv/bin/tunesmith compose "$@" --seed $seed --no-audio --no-svg --force --out ${name}_s$seed --json > ${name}_s$seed.out 2>&1
/work/main/.venv/bin/python -c "import json,sys;d=json.load(open('${name}_s$seed.json'));print('resolved',json.dumps(d['resolved']));print('notes',d.get('notes'))"
QT_QPA_PLATFORM=offscreen mscore3 -o ${name}_s$seed.png ${name}_s$seed.musicxml >/dev/null 2>&1
/work/main/.venv/bin/python /work/main/docs/notes/2026-12-03-session-28/crop.py ${name}_s$seed-*.png
/work/main/.venv/bin/python /work/main/docs/notes/2026-12-05-session-42/songwriter/dump.py ${name}_s$seed.musicxml 2>&1 | grep -v Warning
