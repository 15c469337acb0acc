
import numpy as np

import tunesmith as ts
from tunesmith.inputs.jsb import *  # noqa

for key in ["Eb", "g minor", "C", "A", "F# minor", "Bb"]:
    vs = []
    for seed in range(6):
        p = ts.compose(style="chorale", key=key, bars=8, seed=seed).piece
        vs.append([np.mean([x.pitch for x in tr.notes]) for tr in p.tracks])
    print(key, np.round(np.mean(vs, axis=0), 1))
