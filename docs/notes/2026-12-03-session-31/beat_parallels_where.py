"""Beat-to-beat parallel fifths and octaves of composed chorales (metrics.harmony_rules'
count, 8 keys, seeds 500..), split by where they land: on a fermata chord, on the beat before
one, or elsewhere; and by voice pair. Session 31.
    python docs/notes/2026-12-03-session-31/beat_parallels_where.py N"""
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402
from tunesmith.metrics.harmony_rules import VOICES, beat_to_beat_parallel_places  # noqa: E402

where, pairs, beats = Counter(), Counter(), 0
for p in mc.composed_chorales(int(sys.argv[1])):
    found, n = beat_to_beat_parallel_places(p)
    beats += n
    for t, a, b in found:
        at = "fermata" if any(abs(t - f) < 1e-6 for f in p.fermatas) else \
             "beat before a fermata" if any(abs(t + 1 - f) < 1e-6 for f in p.fermatas) else "elsewhere"
        where[at] += 1
        pairs[VOICES[a][0].upper() + VOICES[b][0].upper()] += 1
print({"beats": beats, "where": dict(where), "pairs": dict(pairs)})
