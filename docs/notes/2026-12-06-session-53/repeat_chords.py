"""A harmonized lead sheet's chords per bar (0-based bars), with the repeated-strain rule on / off.

    python docs/notes/2026-12-06-session-53/repeat_chords.py TUNE.musicxml 1|0
"""
import sys

import tunesmith as ts
from tunesmith.cocreate import chords as C

C.REPEATED_STRAINS_ALIKE = sys.argv[2] == "1"
t = ts.harmonize(sys.argv[1], style="folk", seed=1)
p = t.piece
bars = list(p.bars())
def bar_of(x):
    return max(i for i, b in enumerate(bars) if b <= x + 1e-6)
rows = {}
for c in p.chords:
    rows.setdefault(bar_of(c.onset), []).append(c.figure)
print(" | ".join(f"{i}:{' '.join(rows.get(i, ['-']))}" for i in range(len(bars))))
