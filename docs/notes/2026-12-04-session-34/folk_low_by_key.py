"""Folk melodies' lowest and highest notes by key, takes against held-out real tunes (valid and
test, shippable): per tonic, the median lowest and highest MIDI pitch and the share of pieces
reaching G3 (55) or lower. Takes under each real tune's header (key, mode, meter, length cut to
16 bars), seeds 700 + i. Session 34.
    python docs/notes/2026-12-04-session-34/folk_low_by_key.py [N]"""
import sys
from collections import defaultdict

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import length_matched

N = int(sys.argv[1]) if len(sys.argv) > 1 else 120
corpus = load_corpus(None)
ps = [p for split in ("valid", "test") for p in corpus.filter(style="folk", split=split, shippable=True)
      if p.melody() is not None and p.key is not None and len(p.melody().notes) > 8]
rng = np.random.default_rng(0)
ps = length_matched([ps[i] for i in rng.permutation(len(ps))[:N]], "folk", 16)
meters = ("2/4", "3/4", "4/4", "6/8", "9/8", "12/8", "2/2", "3/8")
rows = defaultdict(lambda: {"real": [], "take": []})
for i, p in enumerate(ps):
    k = p.key
    meter = str(p.time_signature)
    t = ts.compose(style="folk", key=k.tonic, mode=k.mode or "major", bars=max(4, min(len(p.bars()), 16)),
                   meter=meter if meter in meters else None, seed=700 + i, check=False).piece
    for name, piece in (("real", p), ("take", t)):
        pitches = [n.pitch for n in piece.melody().notes]
        rows[k.tonic][name].append((min(pitches), max(pitches)))
print(f"{'tonic':<6}{'n':>4}  {'real low/high':>14}  {'take low/high':>14}  {'real<=G3':>9}{'take<=G3':>9}")
for tonic, r in sorted(rows.items(), key=lambda kv: -len(kv[1]["real"])):
    real, take = np.array(r["real"]), np.array(r["take"])
    print(f"{tonic:<6}{len(real):>4}  {np.median(real[:, 0]):>7.0f}/{np.median(real[:, 1]):<6.0f}  "
          f"{np.median(take[:, 0]):>7.0f}/{np.median(take[:, 1]):<6.0f}  {np.mean(real[:, 0] <= 55):>9.2f}{np.mean(take[:, 0] <= 55):>9.2f}")
allr = np.array([x for r in rows.values() for x in r["real"]])
allt = np.array([x for r in rows.values() for x in r["take"]])
print("all", len(allr), "real low pct10/25/50", np.percentile(allr[:, 0], [10, 25, 50]), "take", np.percentile(allt[:, 0], [10, 25, 50]))
print("all real high pct50/75/90", np.percentile(allr[:, 1], [50, 75, 90]), "take", np.percentile(allt[:, 1], [50, 75, 90]))
