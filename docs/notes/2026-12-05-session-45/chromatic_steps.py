"""Chromatic steps in a chorale's voices (the chorale director's "chromatic fidgeting": an alto's
G F-sharp G F, a bass's F E-flat ... E): per 100 quarter beats and per voice, consecutive notes a
semitone apart of which one lies outside the key's scale (major: its seven degrees; minor: the
natural minor with the raised 6th and 7th). Bach's chorales from music21's own scores (its first
M that read as four voices, each in the key its score writes) against composed chorales (seeds
0..N-1, 4/4 and 3/4 by turns, keys by turns); and the x-y-x turns among them (G F-sharp G).

    python docs/notes/2026-12-05-session-45/chromatic_steps.py N [--scores M]"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chorale_sets import bach_scores, composed_chorales  # noqa: E402

MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 9, 10, 11)


def per_voice(pieces, knots: bool = False) -> list[float]:
    """Per voice, chromatic steps (or, `knots`, x-y-x turns whose y is such a step) per 100 beats."""
    steps = [0, 0, 0, 0]
    beats = 0.0
    for p in pieces:
        key = p.key
        if key is None:
            continue
        scale = {(key.tonic_pc + i) % 12 for i in (MINOR if key.mode == "minor" else MAJOR)}
        beats += p.duration()
        for v, track in enumerate(p.tracks[:4]):
            notes = sorted(track.notes, key=lambda n: n.onset)
            if knots:
                steps[v] += sum(1 for a, b, c in zip(notes, notes[1:], notes[2:]) if a.pitch == c.pitch
                                and abs(a.pitch - b.pitch) == 1 and not {a.pitch % 12, b.pitch % 12} <= scale)  # fmt: skip
            else:
                steps[v] += sum(1 for a, b in zip(notes, notes[1:]) if abs(a.pitch - b.pitch) == 1
                                and not {a.pitch % 12, b.pitch % 12} <= scale)  # fmt: skip
    return [100 * s / beats for s in steps]


def main():
    n = int(sys.argv[1])
    m = int(sys.argv[sys.argv.index("--scores") + 1]) if "--scores" in sys.argv else 120
    bach = bach_scores(m)
    takes = composed_chorales(n)
    for name, pieces in ((f"Bach's scores ({len(bach)})", bach), (f"composed ({n})", takes)):
        print(f"{name:20s} chromatic steps per 100 beats: " +
              "  ".join(f"{v} {x:.2f}" for v, x in zip(("S", "A", "T", "B"), per_voice(pieces))))
        print(f"{name:20s} chromatic x-y-x turns per 100 beats: " +
              "  ".join(f"{v} {x:.2f}" for v, x in zip(("S", "A", "T", "B"), per_voice(pieces, knots=True))))


if __name__ == "__main__":
    main()
