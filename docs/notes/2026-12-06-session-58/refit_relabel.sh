#!/bin/bash
# Session 58: every sampling default refitted on the relabelled fine-tune (runs/s58/cand; the lead-sheet
# harmonizer and chord table read the corpus, whose lead sheets did not change, so they stay), then
# the assessment again. The code is a frozen worktree of this session's HEAD (PYTHONPATH), so that
# edits made meanwhile do not reach the fits.
cd /work/main
export PYTHONPATH=/tmp/s58/frozen/src
set -e
nice .venv/bin/python scripts/refit_decoding.py runs/s58/cand --from tempos > runs/s58/refit_all.log 2>&1
echo "refit done $(date)"
nice .venv/bin/python scripts/evaluate_musicality.py --model shipped=default --model relabel=runs/s58/cand --split valid \
  --seeds 0,1 --json runs/s58/mus_all_refit.json > runs/s58/mus_all_refit.log 2>&1
echo "musicality done $(date)"
