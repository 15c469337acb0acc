"""A reel's range: 16-bar reel takes (`--dance reel`, in the real reels' keys by turns, seeds 900..)
against the held-out shippable reels cut to 16 bars (`reel_tells.py`'s sets), as percentiles of
the melody's span in semitones, and its lowest and highest notes. Session 33.
    python docs/notes/2026-12-03-session-33/reel_range.py [N]"""
import re
import sys

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import length_matched

n = int(sys.argv[1]) if len(sys.argv) > 1 else 48
corpus = load_corpus(None)
real = [p for split in ("valid", "test") for p in corpus.filter(style="folk", shippable=True, split=split)
        if re.search("reel", p.work_id, re.I) and str(p.time_signature) in ("4/4", "2/2") and p.melody() is not None]
real = length_matched(real, "folk", 16)
keys = [(p.key.tonic, p.key.mode) for p in real if p.key is not None]
takes = [ts.compose(style="folk", dance="reel", key=keys[s % len(keys)][0], mode=keys[s % len(keys)][1], bars=16,
                    seed=900 + s, check=False).piece for s in range(n)]  # fmt: skip


def stats(pieces):
    spans, lows, highs = [], [], []
    for p in pieces:
        ps = [x.pitch for x in p.melody().notes]
        spans.append(max(ps) - min(ps))
        lows.append(min(ps))
        highs.append(max(ps))
    q = [10, 25, 50, 75, 90]
    return {"n": len(pieces), "span_mean": round(float(np.mean(spans)), 2), "span_pct": np.percentile(spans, q).tolist(),
            "low_pct": np.percentile(lows, q).tolist(), "high_pct": np.percentile(highs, q).tolist()}


print("real", stats(real))
print("takes", stats(takes))
