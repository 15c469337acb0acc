"""Unresolved dominant sevenths in the first N JSB validation chorales harmonized from their sopranos (seed = index), and in the first 20 of them (the test's set).

python docs/notes/2026-12-06-session-57/sevenths_40.py [N=40]
"""

import copy
import sys

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics.harmony_rules import unresolved_dominant_sevenths

N = int(sys.argv[1]) if len(sys.argv) > 1 else 40
chorales = [c for c in load_corpus(None).filter(split="valid", source="jsb") if len(c.tracks) >= 4][:N]
u = s = 0
u20 = s20 = 0
for i, c in enumerate(chorales):
    sop = copy.deepcopy(c)
    sop.tracks = sop.tracks[:1]
    piece = ts.harmonize(sop, style="chorale", seed=i).piece
    bad, n = unresolved_dominant_sevenths(piece)
    u += bad
    s += n
    if i < 20:
        u20 += bad
        s20 += n
print(f"first 20: {u20} of {s20}; first {N}: {u} of {s}")
