"""Unresolved sevenths and bass tritones (per 100 beats) in the first N validation chorales (JSB and music21's) harmonized in a texture.

python docs/notes/2026-12-06-session-57/sevenths_and_tritones.py N [chorale|hymn]
"""

import copy
import sys

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics.harmony_rules import unresolved_dominant_sevenths

N = int(sys.argv[1])
tex = sys.argv[2] if len(sys.argv) > 2 else None
bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][:N]
u = s = 0
tri = beats = 0
for i, c in enumerate(bach):
    sop = copy.deepcopy(c)
    sop.tracks = sop.tracks[:1]
    piece = ts.harmonize(sop, style="chorale", seed=i, texture=tex).piece
    a, b = unresolved_dominant_sevenths(piece)
    u += a
    s += b
    bass = [n.pitch for n in sorted(piece.track("bass").notes, key=lambda n: n.onset)]
    tri += sum(abs(y - x) == 6 for x, y in zip(bass, bass[1:]))
    beats += piece.duration()
print(f"{tex}: unresolved {u} of {s} ({u / s:.3f}); bass tritones per 100 beats {100 * tri / beats:.2f}")
