import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus

rows = []
for key in ["Eb", "G", "Bb", "C"]:
    for seed in range(6):
        p = ts.compose(style="chorale", key=key, bars=8, seed=seed).piece
        rows.append([(t.notes[0].pitch, np.mean([n.pitch for n in t.notes])) for t in p.tracks])
a = np.array(rows)  # takes x voice x (first, mean)
for v in range(4):
    print("takes v", v, "first", a[:, v, 0].mean().round(1), "mean", a[:, v, 1].mean().round(1), "corr", np.corrcoef(a[:, v, 0], a[:, v, 1])[0, 1].round(2), "first-mean sd", (a[:, v, 0] - a[:, v, 1]).std().round(2))
b = []
for p in load_corpus():
    if p.style == "chorale" and len(p.tracks) == 4 and p.split == "train":
        b.append([(t.notes[0].pitch, np.mean([n.pitch for n in t.notes])) for t in p.tracks])
b = np.array(b)
for v in range(4):
    print("bach v", v, "first", b[:, v, 0].mean().round(1), "sd", b[:, v, 0].std().round(1), "mean", b[:, v, 1].mean().round(1), "sd", b[:, v, 1].std().round(1), "corr", np.corrcoef(b[:, v, 0], b[:, v, 1])[0, 1].round(2))
