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

from tunesmith.metrics.harmony_rules import VOICES, _voices  # noqa: E402

where = Counter()
for p in pieces:
    marks = sorted(p.fermatas)
    voices = _voices(p)
    for i in range(4):
        for j in range(i + 1, 4):
            upper, lower = voices[VOICES[i]], voices[VOICES[j]]
            before = None
            for t in sorted(upper.change_times() | lower.change_times()):
                a, b = upper.pitch_at(t), lower.pitch_at(t)
                now = (a, b) if a is not None and b is not None else None
                if before and now:
                    (a0, b0), (a1, b1) = before, now
                    for iv in (0, 7):
                        if a1 != a0 and b1 != b0 and (a1 > a0) == (b1 > b0) and abs(a0 - b0) % 12 == iv == abs(a1 - b1) % 12:
                            place = "into a fermata" if any(abs(t - f) < 1e-3 for f in marks) else (
                                "out of a fermata" if any(0 < t - f <= 2.01 for f in marks) else "elsewhere")
                            where[(VOICES[i][0] + VOICES[j][0], "8ve" if iv == 0 else "5th", place)] += 1
                before = now
print(sorted(where.items(), key=lambda kv: -kv[1]))
shown = 0
for k, p in enumerate(pieces):
    marks = sorted(p.fermatas)
    voices = _voices(p)
    upper, lower = voices["tenor"], voices["bass"]
    before = None
    for t in sorted(upper.change_times() | lower.change_times()):
        a, b = upper.pitch_at(t), lower.pitch_at(t)
        now = (a, b) if a is not None and b is not None else None
        if before and now and shown < 3:
            (a0, b0), (a1, b1) = before, now
            if a1 != a0 and b1 != b0 and (a1 > a0) == (b1 > b0) and abs(a0 - b0) % 12 == 0 == abs(a1 - b1) % 12 and any(0 < t - f <= 2.01 for f in marks):
                shown += 1
                print("piece", k, "t", t, "fermatas", marks)
                for tr in p.tracks:
                    print("  ", tr.name, [(n.pitch, n.onset, n.duration) for n in tr.notes if t - 3 <= n.onset <= t + 0.5])
        before = now
