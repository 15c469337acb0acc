"""Leaps wider than an octave in lead-sheet melodies, takes (default settings, headers as the split's
pieces) against the split's pieces, per 1,000 intervals, by size band (13-15, 16-19, 20+).

    python docs/notes/2026-12-05-session-44/wide_leaps.py STYLE SPLIT N"""

from __future__ import annotations

import sys

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.tokenizer import METERS, spell_name


def bands(notes):
    ps = [n.pitch for n in sorted(notes, key=lambda n: n.onset)]
    gaps = [abs(b - a) for a, b in zip(ps, ps[1:])]
    return [sum(13 <= g <= 15 for g in gaps), sum(16 <= g <= 19 for g in gaps), sum(g >= 20 for g in gaps), len(gaps)]


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    model = tunesmith.load_model("default")
    real, takes, k = [0] * 4, [0] * 4, 0
    for p in load_corpus().filter(split=split, style=style):
        if k >= n:
            break
        if p.melody() is None or not p.keys or p.keys[0].mode not in ("major", "minor"):
            continue
        ts = p.time_signature
        meter = f"{ts.numerator}/{ts.denominator}"
        if meter not in METERS:
            continue
        k += 1
        real = [a + b for a, b in zip(real, bands(p.melody().notes))]
        take = tunesmith.compose(style, key=spell_name(p.keys[0].tonic), mode=p.keys[0].mode, meter=meter, seed=k,
                                 model=model, check=False)
        takes = [a + b for a, b in zip(takes, bands(take.piece.melody().notes))]
    for name, (a, b, c, total) in (("real", real), ("takes", takes)):
        print(f"{style} {split} {name}: {k} pieces, per 1,000 intervals: 13-15 {1000 * a / total:.2f}, 16-19 "
              f"{1000 * b / total:.2f}, 20+ {1000 * c / total:.2f}")


if __name__ == "__main__":
    main()
