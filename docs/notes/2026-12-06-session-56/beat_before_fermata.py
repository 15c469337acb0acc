"""The beat before each fermata: its chord's bass (root / 6 / 6/4 / other), whether the bass is
held into it from before, and the outer voices' parallels into the fermata. Bach vs harmonized."""

import sys
from collections import Counter
from pathlib import Path

NOTES = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(NOTES / "2026-12-05-session-46"))
sys.path.insert(0, str(NOTES / "2026-12-05-session-45"))
from chorale_sets import bach_scores  # noqa: E402
from chorale_vocabulary import kind, soprano_of, sounding  # noqa: E402

import tunesmith  # noqa: E402


def note_at(tr, x):
    return next((n for n in tr.notes if n.onset <= x + 1e-6 < n.onset + n.duration), None)


def audit(pieces):
    c = Counter()
    for p in pieces:
        beat = p.time_signature.beat_length
        for f in p.fermatas:
            x = f - beat
            c["n"] += 1
            c["inv " + kind(sounding(p, x), inversion=True)] += 1
            b = note_at(p.tracks[-1], x)
            if b is not None and b.onset < x - 1e-6:
                c["bass held into it"] += 1
            s0, s1, b1 = note_at(p.tracks[0], x), note_at(p.tracks[0], f), note_at(p.tracks[-1], f)
            moving = None not in (s0, s1, b, b1) and s0.pitch != s1.pitch and b.pitch != b1.pitch
            if moving and (s0.pitch - b.pitch) % 12 in (0, 7) and (s0.pitch - b.pitch) % 12 == (s1.pitch - b1.pitch) % 12:
                c["outer parallels into the fermata"] += 1
    return c


model = tunesmith.load_model("default")
scores = [p for p in bach_scores(int(sys.argv[1]) if len(sys.argv) > 1 else 40) if p.fermatas]
made = [tunesmith.harmonize(soprano_of(p), style="chorale", seed=1, model=model).piece for p in scores]
for name, ps in (("Bach", scores), ("harmonized", made)):
    c = audit(ps)
    n = c.pop("n")
    print(name, n, {k: round(v / n, 3) for k, v in sorted(c.items())})
