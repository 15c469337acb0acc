"""Leaps of a seventh or more than an octave in the alto, tenor and bass of composed 8-bar chorales
(8 keys, seeds 500..), per 100 beats, with where each lands (a fermata or not). Session 31.
    python docs/notes/2026-12-03-session-31/lower_leaps.py N"""
import sys

import tunesmith as ts

sys.path.insert(0, "scripts")
from musician_checks import KEYS  # noqa: E402

n = int(sys.argv[1])
found = at_fermata = beats = 0
for s in range(n):
    piece = ts.compose(style="chorale", key=KEYS[s % 8][0], mode=KEYS[s % 8][1], bars=8, seed=500 + s, check=False).piece
    beats += piece.duration()
    for track in piece.tracks[1:]:
        notes = sorted(track.notes, key=lambda x: x.onset)
        for a, b in zip(notes, notes[1:]):
            x = abs(b.pitch - a.pitch)
            if b.onset - (a.onset + a.duration) < 1e-6 and (x in (10, 11) or x > 12):
                found += 1
                at_fermata += any(abs(b.onset - f) < 1e-6 for f in piece.fermatas)
print({"takes": n, "leaps": found, "at_fermatas": at_fermata, "per_100_beats": round(100 * found / beats, 3)})
