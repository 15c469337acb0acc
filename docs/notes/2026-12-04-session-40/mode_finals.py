"""The closing chord and last melody note of 16-bar takes in church modes (6 seeds, 2 takes each). Session 40.
    python docs/notes/2026-12-04-session-40/mode_finals.py"""
import collections

from tunesmith import api

for style, key, mode in [("jazz","E","phrygian"),("folk","E","phrygian"),("folk","B","locrian"),("folk","D","dorian")]:
    fin = collections.Counter()
    last = collections.Counter()
    for seed in range(6):
        for t in api.compose(style, key=key, mode=mode, bars=16, seed=seed, n=2, check=False):
            ch = sorted(t.piece.chords, key=lambda c: c.onset)
            fin[ch[-1].figure if ch else None] += 1
            mel = [n for tr in t.piece.tracks for n in tr.notes]
            last[max(mel, key=lambda n: n.onset).pitch % 12] += 1
    print(style, key, mode, dict(fin), "last melody pcs", dict(last))
