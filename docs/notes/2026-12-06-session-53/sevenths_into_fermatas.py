"""Harmonized basses that are a seventh of the chord sounding and leap into a fermata, 8 seeds.

    python docs/notes/2026-12-06-session-53/sevenths_into_fermatas.py TUNE.abc 1|0   (the rule on / off)
"""
import sys

import tunesmith as ts
from tunesmith.sampling import part_writing as P

P.BASS_SEVENTH_RESOLVES = sys.argv[2] == "1"
bad = 0
for seed in range(1, 9):
    piece = ts.harmonize(sys.argv[1], style="chorale", seed=seed).piece
    bass = piece.tracks[3].notes
    for a, b in zip(bass, bass[1:]):
        if not any(abs(b.onset - f) < 1e-3 for f in piece.fermatas) or b.onset - a.onset > 1.0 + 1e-6:
            continue
        pcs = {x.pitch % 12 for tr in piece.tracks[:3] for x in tr.notes if x.onset <= a.onset + 1e-6 < x.onset + x.duration}
        prev = [x for x in bass if x.onset < a.onset - 1e-6 and int(x.onset) == int(a.onset)]
        if prev and a.onset % 1:
            pcs.add(prev[-1].pitch % 12)
        sev = any(((a.pitch + up) % 12) in pcs and (((a.pitch + up + 3) % 12) in pcs or ((a.pitch + up + 4) % 12) in pcs) for up in (1, 2))
        if sev and not (0 < a.pitch - b.pitch <= 2):
            bad += 1
print("bass sevenths leaping into a fermata, 8 takes:", bad)
