"""A dance's takes under its rhythm feedback at several gains (decoding.json folk
`dance_rhythm_feedback`, shipped 3): the melody's time in eighths and quarters, notes per quarter,
mean interval, recurring bars, and a fresh classifier's two-sample accuracy against held-out real
tunes of the dance (valid + test, shippable, its meters, the dance in the work id), same seeds per
gain, in the real tunes' keys by turns (the classifier reads absolute pitch classes); the real tunes are cut to the takes' 16 bars for the classifier (`length_matched`: a note
count tells a whole 32-bar reel from a 16-bar take). DANCE=jig for jigs (default reel); BEFORE=FILE takes the dances' profiles from a former
decoding.json. Session 32.
    [DANCE=jig] [BEFORE=runs/s32/decoding_before.json] python docs/notes/2026-12-03-session-32/reel_rhythm_gain.py N GAIN [GAIN ...]"""
import json
import os
import re
import sys
from collections import Counter

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import c2st_accuracy, length_matched, measure

n = int(sys.argv[1])
gains = [float(g) for g in sys.argv[2:]]


def shares(pieces):
    t = Counter()
    for p in pieces:
        notes = p.melody().notes
        total = sum(x.duration for x in notes)
        for x in notes:
            t[round(x.duration, 3)] += x.duration / total / len(pieces)
    per_q = np.mean([len(p.melody().notes) / p.duration() for p in pieces])
    return {"eighths": round(t[0.5], 3), "quarters": round(t[1.0], 3), "notes_per_quarter": round(float(per_q), 2)}


corpus = load_corpus(None)
dance = os.environ.get("DANCE", "reel")
meters = {"reel": ("4/4", "2/2"), "jig": ("6/8",)}[dance]
real = [p for split in ("valid", "test") for p in corpus.filter(style="folk", shippable=True, split=split)
        if re.search(dance, p.work_id, re.I) and not re.search("slip", p.work_id, re.I) and str(p.time_signature) in meters
        and p.melody() is not None]
m = measure(real)
print(f"real {dance}s {len(real)}: {shares(real)} interval {m['mean_abs_interval']:.2f} recurring {m['repeated_bar_share']:.3f}", flush=True)
keys = [(p.key.tonic, p.key.mode) for p in real if p.key is not None]  # the takes in the real tunes' keys, by turns
model = ts.load_model("default")
folk = model.model.decoding["folk"]
if os.environ.get("BEFORE"):
    with open(os.environ["BEFORE"], encoding="utf-8") as f:
        folk["dances"] = json.load(f)["folk"]["dances"]
for g in gains:
    folk["dance_rhythm_feedback"] = g
    takes = [ts.compose(style="folk", dance=dance, key=keys[s % len(keys)][0], mode=keys[s % len(keys)][1], bars=16,
                        seed=900 + s, check=False).piece for s in range(n)]
    mt = measure(takes)
    acc = [c2st_accuracy(length_matched(real, "folk", 16), takes, folds=5, seed=k) for k in range(3)]
    print(f"gain {g}: {shares(takes)} interval {mt['mean_abs_interval']:.2f} recurring {mt['repeated_bar_share']:.3f} "
          f"classifier {np.mean(acc):.3f} ± {np.std(acc):.3f}", flush=True)
