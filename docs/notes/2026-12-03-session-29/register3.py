"""Mean pitch per voice of composed chorales by key, for several model folders."""
import sys

import numpy as np

import tunesmith as ts

for model in sys.argv[1:]:
    m = ts.load_model(model)
    for key in ["Eb", "g minor", "Bb", "C", "G", "A"]:
        vs = []
        for seed in range(6):
            p = ts.compose(style="chorale", key=key, bars=8, seed=seed, model=m).piece
            vs.append([np.mean([x.pitch for x in tr.notes]) for tr in p.tracks])
        print(model, key, np.round(np.mean(vs, axis=0), 1).tolist(), flush=True)
