"""What tells a reel take from a real reel: the classifier's features (`metrics.c2st.feature_vector`)
whose means differ most between 48 takes (`--dance reel`, 16 bars, in the real reels' keys by turns, seeds 900..) and the
held-out real reels cut to 16 bars, in pooled standard deviations. Session 32.
    python docs/notes/2026-12-03-session-32/reel_tells.py [N]"""
import re
import sys

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import length_matched
from tunesmith.metrics.c2st import feature_vector

n = int(sys.argv[1]) if len(sys.argv) > 1 else 48
NAMES = (["pitch_count"] + [f"pch{i}" for i in range(12)] + [f"pctm{i // 12}>{i % 12}" for i in range(144)]
         + ["pitch_range", "avg_interval", "note_count", "avg_ioi"] + [f"nlh{i}" for i in range(12)]
         + [f"nltm{i // 12}>{i % 12}" for i in range(144)])  # fmt: skip
corpus = load_corpus(None)
real = [p for split in ("valid", "test") for p in corpus.filter(style="folk", shippable=True, split=split)
        if re.search("reel", p.work_id, re.I) and str(p.time_signature) in ("4/4", "2/2") and p.melody() is not None]
real = length_matched(real, "folk", 16)
keys = [(p.key.tonic, p.key.mode) for p in real if p.key is not None]  # the takes in the real reels' keys, by turns
takes = [ts.compose(style="folk", dance="reel", key=keys[s % len(keys)][0], mode=keys[s % len(keys)][1], bars=16,
                    seed=900 + s, check=False).piece for s in range(n)]  # fmt: skip
R = np.array([feature_vector(p) for p in real])
T = np.array([feature_vector(p) for p in takes])
sd = np.sqrt((R.var(0) + T.var(0)) / 2) + 1e-9
d = (T.mean(0) - R.mean(0)) / sd
for i in np.argsort(-np.abs(d))[:15]:
    print(f"{NAMES[i]:14s} takes {T[:, i].mean():8.3f}  real {R[:, i].mean():8.3f}  d {d[i]:+.2f}")
