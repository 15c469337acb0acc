"""Bach's chorales (the corpus's chorale style, every split: 386 in four voices): mean pitch per voice, by key."""
from collections import defaultdict

import numpy as np

from tunesmith.corpus import load_corpus

pieces = [p for p in load_corpus() if p.style == "chorale"]
by = defaultdict(list)
for p in pieces:
    if len(p.tracks) != 4 or not p.keys:
        continue
    k = p.keys[0]
    by[(k.tonic, k.mode)].append([np.mean([n.pitch for n in t.notes]) for t in p.tracks])
allv = [v for vs in by.values() for v in vs]
print("all", len(allv), np.round(np.mean(allv, axis=0), 1))
for k, vs in sorted(by.items(), key=lambda kv: -len(kv[1]))[:14]:
    print(k, len(vs), np.round(np.mean(vs, axis=0), 1))
