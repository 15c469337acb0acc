"""Repeated notes in lead-sheet melodies, takes (default settings, the style's tonics and meters
drawn as the valid split's pieces have them: header of each piece) against the split's pieces:
the share of intervals that repeat the note, and runs of 5 or more strikes of one pitch per 100
notes.

    python docs/notes/2026-12-05-session-44/repeated_notes.py STYLE SPLIT N"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from takes_like import takes_like  # noqa: E402


def stats(notes):
    ps = [n.pitch for n in sorted(notes, key=lambda n: n.onset)]
    rep = sum(a == b for a, b in zip(ps, ps[1:]))
    runs, k = 0, 1
    for a, b in zip(ps, ps[1:]):
        k = k + 1 if a == b else 1
        runs += k == 5
    return rep, max(len(ps) - 1, 0), runs, len(ps)


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    real, takes, k = [0] * 4, [0] * 4, 0
    for piece, take in takes_like(style, split, n):
        k += 1
        real = [a + b for a, b in zip(real, stats(piece.melody().notes))]
        takes = [a + b for a, b in zip(takes, stats(take.melody().notes))]
    for name, (rep, iv, runs, notes) in (("real", real), ("takes", takes)):
        print(f"{style} {split} {name}: {k} pieces, repeats {rep / iv:.3f} of intervals, runs of 5+ {100 * runs / notes:.2f} "
              "per 100 notes")


if __name__ == "__main__":
    main()
