"""Hymn texture (note against note) with and without the inner-voice suspensions: the first 15 JSB
validation sopranos harmonized with `texture="hymn"` (seed i), their alto and tenor 4-3s and the
inner notes struck where the soprano strikes none. `suspensions.PLANNED_SUSPENSION_GAIN` = argv[1].

    .venv/bin/python docs/notes/2026-12-07-session-65/hymn_suspensions.py 5
"""

import copy
import sys

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.sampling import suspensions as S

S.PLANNED_SUSPENSION_GAIN = float(sys.argv[1])
chorales = [c for c in load_corpus(None).filter(split="valid", source="jsb") if len(c.tracks) >= 4][:15]
sus = held = 0
for i, c in enumerate(chorales):
    sop = copy.deepcopy(c)
    sop.tracks = sop.tracks[:1]
    piece = ts.harmonize(sop, style="chorale", texture="hymn", seed=i).piece
    bass = sorted(piece.tracks[3].notes, key=lambda n: n.onset)
    s_on = {round(n.onset, 3) for n in piece.tracks[0].notes}
    for tr in piece.tracks[1:3]:
        notes = sorted(tr.notes, key=lambda n: n.onset)
        for a, b in zip(notes, notes[1:]):
            if round(b.onset, 3) not in s_on:
                held += 1  # a lower-voice note struck without the soprano
            beat = float(int(a.onset) + 1)
            if a.onset < beat < a.onset + a.duration - 1e-6:
                low = next((x.pitch for x in bass if x.onset <= beat + 1e-6 < x.onset + x.duration), None)
                if low is not None and (a.pitch - low) % 12 == 5 and 1 <= a.pitch - b.pitch <= 2:
                    sus += 1
print(sys.argv[1], "4-3s", sus, "inner notes struck without the soprano", held)
