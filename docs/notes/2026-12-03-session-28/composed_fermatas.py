"""Composed chorales' fermatas: where they stand in the bar (session 28)."""
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

pieces = mc.composed_chorales(40)
where = Counter()
for p in pieces:
    bars = p.bars()
    sop = p.tracks[0].notes
    for f in p.fermatas[:-1]:
        note = next(n for n in sop if abs(n.onset - f) < 1e-6)
        in_bar = f - max(b for b in bars if b <= f + 1e-6)
        where["on a beat" if abs(in_bar - round(in_bar)) < 1e-6 else "off the beat"] += 1
        where[f"beat {int(in_bar) + 1}"] += 1
        where["shorter than a beat"] += note.duration < 1 - 1e-6
print(dict(where))
print(mc.fermata_cadences(pieces))
from tunesmith.metrics.harmony_rules import count_parallel_fifths, count_parallel_octaves  # noqa: E402
print("parallels", sum(count_parallel_fifths(p) + count_parallel_octaves(p) for p in pieces))
