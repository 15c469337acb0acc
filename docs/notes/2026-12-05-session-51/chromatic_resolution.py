"""Where a chorale's chromatic notes go, per voice. A note is chromatic when its pitch class is
outside the key's scale (`musician_checks.key_scale`: major, or minor with its raised 6th and 7th).
Each such note is classed by the voice's next note (a different pitch; a repeat is passed over):
- "semitone to scale": it moves a semitone to a scale tone (F# to G: the usual resolution);
- "other to scale": any other move to a scale tone (F# to E, F# leaping to D);
- "chromatic on": the next note is chromatic too (a run, F# F G# or E♭ D♭);
- "end": the voice ends on it.
and by how it was reached: by a chromatic semitone from the same degree altered ("inflected", F to F#
as pitch classes a semitone apart, the earlier one in the scale and the pair named as one letter is
not known from pitch alone: counted as a semitone from a scale tone whose move continues the other
way, e.g. F F# G) or otherwise. Bach's validation chorales (music21 corpus, research-only, measured),
harmonizations of their sopranos, and composed 8-bar chorales (`musician_checks`' seeds).

    python docs/notes/2026-12-05-session-51/chromatic_resolution.py --n 80
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from musician_checks import composed_chorales, harmonized_sopranos, key_scale  # noqa: E402

VOICES = ("soprano", "alto", "tenor", "bass")


def classify(pieces) -> dict:
    out = {}
    for role in VOICES:
        counts, notes = Counter(), 0
        for p in pieces:
            track = next((t for t in p.tracks if t.role == role), None)
            if track is None or not p.keys:
                continue
            scale = key_scale(p)
            ns = [n.pitch for n in sorted(track.notes, key=lambda n: n.onset)]
            ns = [x for i, x in enumerate(ns) if i == 0 or x != ns[i - 1]]  # repeats passed over
            notes += len(ns)
            for i, x in enumerate(ns):
                if x % 12 in scale:
                    continue
                counts["chromatic"] += 1
                if i + 1 == len(ns):
                    counts["end"] += 1
                    continue
                y = ns[i + 1]
                if y % 12 not in scale:
                    counts["chromatic on"] += 1
                elif abs(y - x) == 1:
                    counts["semitone to scale"] += 1
                else:
                    counts["other to scale"] += 1
                    counts[f"other to scale by {y - x:+d}"] += 1
        c = counts["chromatic"]
        out[role] = {"notes": notes, "chromatic": c, "share": round(c / max(notes, 1), 4),
                     **{k: round(v / max(c, 1), 3) for k, v in sorted(counts.items()) if k != "chromatic"}}  # fmt: skip
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=80)
    ap.add_argument("--harmonized", action="store_true")
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus

    bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
    for name, pieces in (("bach", bach), ("composed", composed_chorales(a.n))) + (
        (("harmonized", harmonized_sopranos(bach[: a.n])),) if a.harmonized else ()):
        print(name)
        for role, row in classify(pieces).items():
            print(" ", role, row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
