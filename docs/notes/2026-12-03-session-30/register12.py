"""Mean pitch per voice of composed chorales by key (8 bars, default settings), seeds 100..111
(not register3.py's 0..5), for several model folders; and the soprano's mean over all keys."""
import sys

import numpy as np

import tunesmith as ts

KEYS = ["Eb", "g minor", "Bb", "C", "G", "A"]
for model in sys.argv[1:]:
    m = ts.load_model(model)
    means = []
    for key in KEYS:
        vs = []
        for seed in range(100, 112):
            p = ts.compose(style="chorale", key=key, bars=8, seed=seed, model=m).piece
            vs.append([np.mean([x.pitch for x in tr.notes]) for tr in p.tracks])
        v = np.mean(vs, axis=0)
        means.append(v[0])
        print(model, key, np.round(v, 1).tolist(), "soprano SE", round(float(np.std([x[0] for x in vs]) / np.sqrt(len(vs))), 2), flush=True)
    print(model, "soprano mean over keys", round(float(np.mean(means)), 2), flush=True)
