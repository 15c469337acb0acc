"""Dance takes' rhythm against real dances of their kind: notes per beat and the share of
melody time in notes of each length, Nottingham/shippable folk (reels: 4/4 or 2/2 with "reel" in the
work id; jigs: 6/8 with "jig") against takes of `--dance` (16 bars, 8 keys). Session 31.
    python docs/notes/2026-12-03-session-31/dance_rhythm.py reel|jig [N]"""
import re
import sys
from collections import Counter

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus

sys.path.insert(0, "scripts")
from musician_checks import FOLK_KEYS  # noqa: E402

dance = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 40
meters = {"reel": ("4/4", "2/2"), "jig": ("6/8",)}[dance]


def profile(pieces):
    lengths, per_beat = Counter(), []
    for p in pieces:
        notes = p.melody().notes
        total = sum(x.duration for x in notes)
        for x in notes:
            lengths[round(x.duration, 3)] += x.duration / total / len(pieces)
        per_beat.append(len(notes) / p.duration())
    top = {str(k): round(v, 3) for k, v in sorted(lengths.items(), key=lambda kv: -kv[1])[:6]}
    return {"pieces": len(pieces), "notes_per_quarter": round(float(np.mean(per_beat)), 2), "time_by_length": top}


real = [p for p in load_corpus(None).filter(style="folk", shippable=True, split="valid")
        if re.search(dance, p.work_id) and str(p.time_signature) in meters and p.melody() is not None]
takes = [ts.compose(style="folk", dance=dance, key=FOLK_KEYS[s % 8][0], mode=FOLK_KEYS[s % 8][1], bars=16, seed=900 + s,
                    check=False).piece for s in range(n)]
print("real", profile(real))
print("takes", profile(takes))
