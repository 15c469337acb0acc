"""Beat-to-beat parallel fifths and octaves of composed chorales (metrics.harmony_rules'
count, 8 keys, seeds 500..), split by where they land: on a fermata chord, on the beat before
one, or elsewhere; and by voice pair. Session 31.
    python docs/notes/2026-12-03-session-31/beat_parallels_where.py N"""
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402
from tunesmith.metrics.harmony_rules import VOICES, _voices  # noqa: E402

where, pairs, beats = Counter(), Counter(), 0
for p in mc.composed_chorales(int(sys.argv[1])):
    voices, t, before = _voices(p), 0.0, None
    ferm = p.fermatas
    while t < p.duration() - 1e-6:
        now = [voices[r].pitch_at(t) for r in VOICES]
        if before and None not in now and None not in before:
            beats += 1
            for a in range(4):
                for b in range(a + 1, 4):
                    moved = (now[a] - before[a]) * (now[b] - before[b]) > 0
                    if moved and abs(now[a] - now[b]) % 12 == abs(before[a] - before[b]) % 12 in (0, 7):
                        at = "fermata" if any(abs(t - f) < 1e-6 for f in ferm) else \
                             "beat before a fermata" if any(abs(t + 1 - f) < 1e-6 for f in ferm) else "elsewhere"
                        where[at] += 1
                        pairs[VOICES[a][0].upper() + VOICES[b][0].upper()] += 1
        before, t = now, t + 1.0
print({"beats": beats, "where": dict(where), "pairs": dict(pairs)})
