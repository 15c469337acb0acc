"""Crossed final chords in 4 harmonizations (seed 11): a voice below the one under it.

    python docs/notes/2026-12-06-session-53/crossed_closes.py jesu.musicxml hymn|chorale

jesu.musicxml: the soprano of music21's bach/bwv227.1.
"""
import sys

import tunesmith as ts

tex = sys.argv[2] if len(sys.argv) > 2 else "hymn"
bad = 0
for take in ts.harmonize(sys.argv[1], style="chorale", texture=tex, seed=11, n=4):
    p = take.piece
    strike = max(n.onset for n in p.tracks[0].notes)
    at = [next((n.pitch for n in t.notes if n.onset <= strike + 1e-6 < n.onset + n.duration), None) for t in p.tracks]
    before = [next((n.pitch for n in t.notes if n.onset <= strike - 0.01 < n.onset + n.duration), None) for t in p.tracks]
    crossed = any(a is not None and b is not None and a < b for a, b in zip(at, at[1:]))
    bad += crossed
    print(before, "->", at, "crossed" if crossed else "")
print("crossed final chords:", bad, "of 4")
