"""Beat-to-beat and note-to-note parallels in harmonizations of 40 Bach sopranos with fermatas
(the `musician_checks.py fermatas` set), session 28."""
import sys

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.metrics.harmony_rules import count_parallel_fifths, count_parallel_octaves  # noqa: E402

everything = load_corpus(None, include_dropped=True)
jsb_split = {p.work_id: p.split for p in everything.filter(source="jsb")}
bach = [p for p in everything.filter(source="bach-chorales") if p.fermatas and jsb_split.get(p.work_id) == "valid"
        and sorted(t.role for t in p.tracks) == ["alto", "bass", "soprano", "tenor"]][:40]
pieces = mc.harmonized_sopranos(bach)
print("beat", mc.beat_parallels(pieces))
print("note-to-note", sum(count_parallel_fifths(p) + count_parallel_octaves(p) for p in pieces))
print(mc.fermata_cadences(pieces))
from collections import Counter  # noqa: E402

where = Counter()
for p in pieces:
    marks = sorted(p.fermatas)
    for w in mc.parallels_where(p):
        t = w["onset"]
        place = "into a fermata" if any(abs(t - f) < 1e-3 for f in marks) else (
            "out of a fermata" if any(0 < t - f <= 2.01 for f in marks) else "elsewhere")
        where[(w["voices"], "8ve" if w["kind"] == "octave" else "5th", place)] += 1
print(sorted(where.items(), key=lambda kv: -kv[1]))
