"""Chorale sopranos held over a bar line (the chorale director's "ties across the bar line, 13 times
Bach's"): per 100 quarter beats, soprano notes that sound across a bar line, for Bach's chorales
and composed chorales (seeds 0..N-1, 4/4 and 3/4, keys alternating); and notes under an eighth.
Bach's: the JSB split (a sixteenth grid that merges a repeated note into one long one, so it
over-counts notes held over) and music21's own scores of the chorales (its corpus, first M).

    python docs/notes/2026-12-05-session-45/soprano_ties.py N [--split valid] [--scores M]"""

from __future__ import annotations

import sys
from pathlib import Path

from tunesmith.corpus.store import load_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chorale_sets import bach_scores, composed_chorales  # noqa: E402


def counts(piece) -> tuple[int, int, float]:
    bars = piece.bars()
    sop = piece.tracks[0].notes
    ties = sum(1 for x in sop if any(x.onset + 1e-6 < b < x.onset + x.duration - 1e-6 for b in bars))
    sixteenths = sum(1 for x in sop if x.duration < 0.5 - 1e-6)
    return ties, sixteenths, piece.duration()


def main():
    n = int(sys.argv[1])
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "valid"
    bach = [p for p in load_corpus().filter(split=split, style="chorale") if len(p.tracks) == 4]
    scores = bach_scores(int(sys.argv[sys.argv.index("--scores") + 1])) if "--scores" in sys.argv else []
    takes = composed_chorales(n)
    for name, pieces in ((f"Bach {split}", bach), ("Bach scores", scores), ("composed", takes)):
        if not pieces:
            continue
        t = s16 = beats = 0
        for p in pieces:
            a, b, c = counts(p)
            t, s16, beats = t + a, s16 + b, beats + c
        print(f"{name:11s} {len(pieces):3d} chorales: soprano notes over a bar line {100 * t / beats:.2f}, "
              f"shorter than an eighth {100 * s16 / beats:.2f} per 100 quarter beats")


if __name__ == "__main__":
    main()
