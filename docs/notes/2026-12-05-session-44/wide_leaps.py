"""Leaps wider than an octave in lead-sheet melodies, takes (default settings, headers as the split's
pieces) against the split's pieces, per 1,000 intervals, by size band (13-15, 16-19, 20+).

    python docs/notes/2026-12-05-session-44/wide_leaps.py STYLE SPLIT N"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from takes_like import takes_like  # noqa: E402


def bands(notes):
    ps = [n.pitch for n in sorted(notes, key=lambda n: n.onset)]
    gaps = [abs(b - a) for a, b in zip(ps, ps[1:])]
    return [sum(13 <= g <= 15 for g in gaps), sum(16 <= g <= 19 for g in gaps), sum(g >= 20 for g in gaps), len(gaps)]


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    real, takes, k = [0] * 4, [0] * 4, 0
    for piece, take in takes_like(style, split, n):
        k += 1
        real = [a + b for a, b in zip(real, bands(piece.melody().notes))]
        takes = [a + b for a, b in zip(takes, bands(take.melody().notes))]
    for name, (a, b, c, total) in (("real", real), ("takes", takes)):
        print(f"{style} {split} {name}: {k} pieces, per 1,000 intervals: 13-15 {1000 * a / total:.2f}, 16-19 "
              f"{1000 * b / total:.2f}, 20+ {1000 * c / total:.2f}")


if __name__ == "__main__":
    main()
