"""The same count in 40 composed 8-bar chorales (the rule on / off: 1|0; since f91d0fb it acts in
harmonize only).
"""
import sys

import tunesmith as ts
from tunesmith.sampling import part_writing as P

P.BASS_SEVENTH_RESOLVES = sys.argv[1] == "1"
m = ts.load_model("default")
bad = n_cad = 0
for seed in range(40):
    piece = ts.compose("chorale", bars=8, seed=seed, model=m, check=False).piece
    bass = piece.tracks[3].notes
    for a, b in zip(bass, bass[1:]):
        if not any(abs(b.onset - f) < 1e-3 for f in piece.fermatas) or b.onset - a.onset > 1.0 + 1e-6:
            continue
        n_cad += 1
        pcs = {x.pitch % 12 for tr in piece.tracks[:3] for x in tr.notes if x.onset <= a.onset + 1e-6 < x.onset + x.duration}
        own = [x for x in bass if x.onset < a.onset - 1e-6 and int(x.onset) == int(a.onset)]
        if own and a.onset % 1:
            pcs.add(own[-1].pitch % 12)
        sev = any(((a.pitch + up) % 12) in pcs and {(a.pitch + up + 3) % 12, (a.pitch + up + 4) % 12} & pcs for up in (1, 2))
        bad += bool(sev) and not (0 < a.pitch - b.pitch <= 2)
print("composed chorales, 40 takes: bass notes into a fermata", n_cad, "sevenths leaping there", bad)
