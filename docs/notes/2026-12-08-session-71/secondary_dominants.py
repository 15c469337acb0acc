"""Session 71: where do a lead sheet's dominant sevenths go? In a composed pop song I read `D7` (II7 in
C) over `d d B d` moving to `C`. For every dominant seventh (any 7th chord of dominant quality) whose
root is not the key's fifth degree, the next different chord: up a fourth (it resolves as a dominant),
the same root's other quality, or elsewhere; and the rate of such chords per 100 chord changes. The
shippable tunes of `--style` / `--split` (cut to `--bars`) against takes under their headers.

    .venv/bin/python docs/notes/2026-12-08-session-71/secondary_dominants.py --style pop [--n 120] [--model DIR]
"""

from __future__ import annotations

import argparse
from collections import Counter

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched
from tunesmith.harmony import parse_chord
from tunesmith.metrics._common import melody_line
from tunesmith.score import pitch_class_of

DEGREES = ["I", "bII", "II", "bIII", "III", "IV", "#IV", "V", "bVI", "VI", "bVII", "VII"]


def changes(piece) -> list[tuple[int, str]]:
    """(root relative to the tonic, quality) of each chord change."""
    tonic = pitch_class_of(piece.key.tonic)
    out = []
    for c in sorted(piece.chords, key=lambda c: c.onset):
        try:
            root, quality, _ = parse_chord(c.figure)
        except ValueError:
            continue
        label = ((root - tonic) % 12, quality)
        if not out or out[-1] != label:
            out.append(label)
    return out


def report(name: str, pieces) -> None:
    where = Counter()
    by_degree = Counter()
    pairs = Counter()
    home = 0  # II7, III7, VI7 or VII7 straight to a chord on the tonic
    total = 0
    for p in pieces:
        seq = changes(p)
        total += max(len(seq) - 1, 0)
        for (r, q), nxt in zip(seq, seq[1:]):
            if q != "7" or r == 7:
                continue
            by_degree[DEGREES[r]] += 1
            pairs[f"{DEGREES[r]}7>{DEGREES[nxt[0]]}{nxt[1]}"] += 1
            home += r in (2, 4, 9, 11) and nxt[0] == 0
            step = (nxt[0] - r) % 12
            where["up a fourth" if step == 5 else "same root" if step == 0 else f"to {DEGREES[nxt[0]]}"] += 1
    n = sum(where.values())
    print(f"{name} ({len(pieces)} pieces, {total} changes): secondary sevenths {100 * n / max(total, 1):.1f} "
          f"per 100 changes ({100 * home / max(total, 1):.2f} II7/III7/VI7/VII7 straight to I); by degree {dict(by_degree.most_common())}")  # fmt: skip
    print("   next: " + ", ".join(f"{k} {v / max(n, 1):.2f}" for k, v in where.most_common(8)))
    print("   pairs: " + ", ".join(f"{k} {v / max(n, 1):.2f}" for k, v in pairs.most_common(12)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="pop")
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--split", default="train")
    ap.add_argument("--bars", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--model", default="default", help="a model folder (default: the shipped model)")
    args = ap.parse_args()
    corpus = load_corpus(None)
    reals = [p for p in corpus.filter(split=args.split, style=args.style, shippable=True)
             if p.key is not None and melody_line(p) and p.chords][: args.n]  # fmt: skip
    report(f"{args.style} {args.split} tunes", length_matched(reals, args.style, args.bars))
    model = ts.load_model(args.model)
    cfg = MusicalityConfig(per_style=len(reals), seed=args.seed, max_bars=args.bars)
    report(f"{args.style} takes", compose_like(model.model, model.tokenizer, reals, args.style, cfg))


if __name__ == "__main__":
    main()
