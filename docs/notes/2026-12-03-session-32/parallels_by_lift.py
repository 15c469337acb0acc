"""Beat-to-beat parallel fifths and octaves of composed chorales per key, with the header key's
lift (`sampling.decode.header_key`) and without it (patched to None), same seeds: does the rise
session 31 saw come with the keys whose lift is large, and by which voice pair? Session 32.
    python docs/notes/2026-12-03-session-32/parallels_by_lift.py N_PER_KEY"""
import sys
from collections import Counter

import tunesmith as ts
from tunesmith.metrics.harmony_rules import VOICES, beat_to_beat_parallel_places
from tunesmith.sampling import decode

sys.path.insert(0, "scripts")
from musician_checks import KEYS  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10
real = decode.header_key
rows = {}
for label, patched in (("lift", real), ("no lift", lambda *a, **k: None)):
    decode.header_key = patched
    for key, mode in KEYS:
        found, beats, pairs, lifts = 0, 0, Counter(), set()
        for s in range(N):
            take = ts.compose(style="chorale", key=key, mode=mode, bars=8, seed=500 + s, check=False)
            places, n = beat_to_beat_parallel_places(take.piece)
            found += len(places)
            beats += n
            pairs.update(VOICES[a][0].upper() + VOICES[b][0].upper() for _t, a, b in places)
            lifts.add(tuple(take.piece.meta.get("header_key") or ()))
        rows[(label, key, mode)] = (100 * found / max(1, beats), dict(pairs), sorted(lifts))
        print(f"{label:8s} {key:3s} {mode or 'major':6s} lift {sorted(lifts)}: {100 * found / max(1, beats):.2f} per 100 beats {dict(pairs)}", flush=True)
decode.header_key = real
for label in ("lift", "no lift"):
    vals = [v[0] for k, v in rows.items() if k[0] == label]
    print(label, f"mean over keys {sum(vals) / len(vals):.2f}")
