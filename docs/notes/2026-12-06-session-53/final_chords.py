"""A harmonized melody's final chord, 12 seeds: the voices' notes just before and at the soprano's last
note, parallel fifths/octaves into it, and notes struck again after it.

    python docs/notes/2026-12-06-session-53/final_chords.py passion.musicxml [chorale|hymn]

passion.musicxml: the soprano of music21's bach/bwv244.62 (music21.corpus.parse(...).parts[0]).
"""
import sys

import tunesmith as ts

p = ts.read(sys.argv[1] if len(sys.argv) > 1 else "passion.musicxml")
tex = sys.argv[2] if len(sys.argv) > 2 else "chorale"
n_par = 0
for seed in range(1, 13):
    t = ts.harmonize(p, style="chorale", seed=seed, texture=tex)
    bars = list(t.piece.bars())
    tr = t.piece.tracks
    fin = bars[-1]
    def at(track, x):
        return next((n.pitch for n in track.notes if n.onset <= x + 1e-6 < n.onset + n.duration), None)
    before = [at(x, fin - 0.01) for x in tr]
    after = [at(x, fin) for x in tr]
    restruck = sum(1 for x in tr for n in x.notes if n.onset > fin + 1e-6)
    par = []
    for i in range(4):
        for j in range(i + 1, 4):
            a0, b0, a1, b1 = before[i], before[j], after[i], after[j]
            if None in (a0, b0, a1, b1) or a0 == a1:
                continue
            if (a0 - b0) % 12 in (0, 7) and (a0 - b0) % 12 == (a1 - b1) % 12:
                par.append((i, j))
    n_par += bool(par)
    print(seed, before, after, "parallels", par, "struck again", restruck)
print("takes with parallels into the final chord:", n_par, "of 12")
