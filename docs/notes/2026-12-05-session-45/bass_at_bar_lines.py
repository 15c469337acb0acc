"""What each chorale voice does at a bar line, per 100 quarter beats: strikes the note it sang before
again, or holds it over. Bach's chorales from music21's own scores (the first M of its corpus
that read as four voices) against composed chorales (seeds 0..N-1, 4/4 and 3/4 by turns, keys by
turns), as `compose` gives them (the voices restruck at the bar line).

    python docs/notes/2026-12-05-session-45/bass_at_bar_lines.py N [--scores M] [--rule off]"""

from __future__ import annotations

import sys
from pathlib import Path

from tunesmith.sampling import automaton

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chorale_sets import bach_scores, composed_chorales  # noqa: E402


def per_voice(pieces) -> list[tuple[float, float]]:
    """Per voice (soprano .. bass): (struck again at a bar line, held over one) per 100 quarter beats."""
    counts = [[0, 0] for _ in range(4)]
    beats = 0.0
    for p in pieces:
        bars = {round(b, 6) for b in p.bars()}
        beats += p.duration()
        for v, track in enumerate(p.tracks[:4]):
            notes = sorted(track.notes, key=lambda n: n.onset)
            counts[v][0] += sum(1 for a, b in zip(notes, notes[1:]) if round(b.onset, 6) in bars
                                and abs(a.onset + a.duration - b.onset) < 1e-6 and a.pitch == b.pitch)  # fmt: skip
            counts[v][1] += sum(1 for x in notes if any(x.onset + 1e-6 < b < x.onset + x.duration - 1e-6 for b in bars))
    return [(100 * a / beats, 100 * b / beats) for a, b in counts]


def main():
    n = int(sys.argv[1])
    m = int(sys.argv[sys.argv.index("--scores") + 1]) if "--scores" in sys.argv else 120
    if "--rule" in sys.argv and sys.argv[sys.argv.index("--rule") + 1] == "off":
        automaton.BASS_MOVES_AT_BAR_LINES = False
    bach = bach_scores(m)
    takes = composed_chorales(n)
    for name, pieces in ((f"Bach's scores ({len(bach)})", bach), (f"composed ({n})", takes)):
        rows = per_voice(pieces)
        print(f"{name:20s} struck again / held over, per 100 beats: " +
              "  ".join(f"{v} {a:.2f} / {b:.2f}" for v, (a, b) in zip(("S", "A", "T", "B"), rows)))


if __name__ == "__main__":
    main()
