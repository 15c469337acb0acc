"""A lead-sheet style's melody register by key: N takes (16 bars, default settings, seeds 100...)
in each major key, the mean over takes of each take's duration-weighted mean pitch, the SD of
that over takes, and the share of notes under C4; beside the shippable training tunes' means per
key (transposed keys pooled by tonic pitch class). Session 36.
    python docs/notes/2026-12-04-session-36/register_by_key.py [STYLE] [N] [MODE]"""
import collections
import sys

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import pitch_class_of

style = sys.argv[1] if len(sys.argv) > 1 else "jazz"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 8
mode = sys.argv[3] if len(sys.argv) > 3 else "major"
KEYS = ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def mean_pitch(p):
    notes = p.melody().notes
    return float(np.average([x.pitch for x in notes], weights=[x.duration for x in notes]))


real = collections.defaultdict(list)
for p in load_corpus(None).filter(split="train", style=style, shippable=True):
    if p.key is not None and p.melody() is not None and p.melody().notes and (p.key.mode or "major") == mode:
        real[pitch_class_of(p.key.tonic)].append(mean_pitch(p))
allm, low = [], []
for k in KEYS:
    takes = [ts.compose(style=style, key=k, mode=mode, bars=16, seed=100 + s, check=False).piece for s in range(n)]
    ms = [mean_pitch(t) for t in takes]
    allm += ms
    notes = [x.pitch for t in takes for x in t.melody().notes]
    low.append(np.mean(np.array(notes) < 60))
    r = real.get(pitch_class_of(k), [])
    print(f"{k:3s} takes {np.mean(ms):5.1f} (sd {np.std(ms):.1f}, under C4 {low[-1]:.3f})   tunes {np.mean(r) if r else float('nan'):5.1f} (n {len(r)}, sd {np.std(r) if r else float('nan'):.1f})")
pooled = [x for v in real.values() for x in v]
print(f"all takes {np.mean(allm):.1f} sd {np.std(allm):.1f}, under C4 {np.mean(low):.3f}; tunes {np.mean(pooled):.1f} sd {np.std(pooled):.1f}")
