import numpy as np, tunesmith as ts
from collections import Counter
KEYS = (("G", "minor"), ("D", None), ("F", None), ("A", "minor"), ("Bb", None), ("E", "minor"), ("C", None), ("G", None))
per = Counter(); eighths = Counter(); n_bars = 0
for s in range(24):
    p = ts.compose(style="chorale", key=KEYS[s % 8][0], mode=KEYS[s % 8][1], bars=8, seed=500 + s, check=False).piece
    n_bars += 8
    for tr in p.tracks[:4]:
        per[tr.role] += len(tr.notes)
        eighths[tr.role] += sum(abs(n.duration - 0.5) < 1e-6 or n.duration < 0.5 for n in tr.notes)
print({r: (round(per[r] / n_bars, 2), round(eighths[r] / per[r], 3)) for r in per})
