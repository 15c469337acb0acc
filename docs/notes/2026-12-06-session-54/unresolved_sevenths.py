"""Unresolved dominant sevenths in harmonized JSB sopranos (the first 40 of the valid split, seed i for
the i-th; and the first 20 four-part chorales of the chorale style): with every session-54 seventh
rule on, or with the `part_writing` flags named on the command line off (no names: both settings).

    .venv/bin/python docs/notes/2026-12-06-session-54/unresolved_sevenths.py [FLAG ...]
"""
import copy
import sys

import tunesmith as ts
import tunesmith.sampling.part_writing as pw
from tunesmith.corpus import load_corpus
from tunesmith.metrics.harmony_rules import unresolved_dominant_sevenths

c = load_corpus(None)
sets = {"jsb": [x for x in c.filter(split="valid", source="jsb") if len(x.tracks) >= 4][:40],
        "style": [x for x in c.filter(split="valid", style="chorale") if len(x.tracks) >= 4][:20]}
print({k: [p.piece_id for p in v[:3]] for k, v in sets.items()})
m = ts.load_model("default")
for on in ([True] if len(sys.argv) > 1 else (False, True)):
    pw.UPPER_SEVENTHS_RESOLVE = pw.UNRESOLVED_BASS_SEVENTHS_AVOIDED = pw.PLANNED_SEVENTHS_RESOLVE = pw.SEVENTHS_OVER_THE_PLAN = on
    for f in sys.argv[1:]:
        setattr(pw, f, False)
    for name, chorales in sets.items():
        u = n = 0
        for i, ch in enumerate(chorales):
            s = copy.deepcopy(ch)
            s.tracks = s.tracks[:1]
            a, b = unresolved_dominant_sevenths(ts.harmonize(s, style="chorale", seed=i, model=m).piece)
            u += a
            n += b
        print("new" if on else "old", name, u, n, round(u / max(n, 1), 3))
