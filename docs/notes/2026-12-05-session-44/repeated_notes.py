"""Repeated notes in lead-sheet melodies, takes (default settings, the style's tonics and meters
drawn as the valid split's pieces have them: header of each piece) against the split's pieces:
the share of intervals that repeat the note, and runs of 5 or more strikes of one pitch per 100
notes.

    python docs/notes/2026-12-05-session-44/repeated_notes.py STYLE SPLIT N"""

from __future__ import annotations

import sys

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.tokenizer import METERS, spell_name


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
    model = tunesmith.load_model("default")
    real = [0, 0, 0, 0]
    takes = [0, 0, 0, 0]
    k = 0
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
        real = [a + b for a, b in zip(real, stats(p.melody().notes))]
        take = tunesmith.compose(style, key=spell_name(p.keys[0].tonic), mode=p.keys[0].mode, meter=meter, seed=k,
                                 model=model, check=False)
        takes = [a + b for a, b in zip(takes, stats(take.piece.melody().notes))]
    for name, (rep, iv, runs, notes) in (("real", real), ("takes", takes)):
        print(f"{style} {split} {name}: {k} pieces, repeats {rep / iv:.3f} of intervals, runs of 5+ {100 * runs / notes:.2f} "
              "per 100 notes")


if __name__ == "__main__":
    main()
