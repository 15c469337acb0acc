"""Bass tritones by direction (per 100 beats): Bach's validation chorales, and their sopranos harmonized.

python docs/notes/2026-12-06-session-57/bass_tritones.py [N]
"""

import collections
import copy
import sys

import tunesmith as ts
from tunesmith.corpus import load_corpus

bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]


def dirs(piece):
    c = collections.Counter()
    bass = [n.pitch for n in sorted(piece.track("bass").notes, key=lambda n: n.onset)]
    for a, b in zip(bass, bass[1:]):
        if abs(b - a) == 6:
            c["up" if b > a else "down"] += 1
    c["beats"] += piece.duration()
    return c


B = sum((dirs(p) for p in bach), collections.Counter())
print("bach", {k: round(100 * v / B["beats"], 2) for k, v in B.items() if k != "beats"})
if len(sys.argv) > 1:
    H = collections.Counter()
    for i, c in enumerate(bach[: int(sys.argv[1])]):
        s = copy.deepcopy(c)
        s.tracks = s.tracks[:1]
        H += dirs(ts.harmonize(s, style="chorale", seed=i).piece)
    print("harmonized", {k: round(100 * v / H["beats"], 2) for k, v in H.items() if k != "beats"})
