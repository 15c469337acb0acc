"""Session 60: inpainted chorale sopranos (bars 5-8 of the shippable validation chorales of 12+
bars, seed = index) against Bach's own bars 5-8: how many leap an octave or more inside the bars,
and how many meet the kept music at a seam (into bar 5, out of bar 8) by a major sixth or more.

    python docs/notes/2026-12-06-session-60/inpaint_chorale_leaps.py
"""

import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from inpaint_melody import region

from tunesmith import api
from tunesmith.corpus import load_corpus

tunes = [
    p for p in load_corpus(None).filter(split="valid", style="chorale", shippable=True) if len(list(p.bars())) >= 12
]
n = {"real": 0, "take": 0}
seams = {"real": 0, "take": 0}
for i, t in enumerate(tunes):
    take = api.inpaint(t, bars="5-8", seed=i)
    take = take[0] if isinstance(take, list) else take
    for who, piece in (("real", t), ("take", take.piece)):
        q = region(piece, 5, 8)
        line = [q[1]] * (q[1] is not None) + q[0] + [q[2]] * (q[2] is not None)
        n[who] += any(abs(b - a) >= 12 for a, b in zip(q[0], q[0][1:]))
        seams[who] += any(abs(b - a) >= 9 for a, b in ((line[0], line[1]), (line[-2], line[-1])))
print(len(tunes), "chorales; with an octave leap inside bars 5-8:", n, "; a seam of a major sixth or more:", seams)
