"""Session 71: which chord moves do takes make more (or less) often than their style's tunes? Chord
changes as (degree, quality class) pairs, per 100 changes, the shippable tunes of `--style` /
`--split` (cut to `--bars`) against takes under their headers; the moves whose rates differ most.

    .venv/bin/python docs/notes/2026-12-08-session-71/chord_bigrams.py --style folk [--n 200] [--model DIR]
"""

from __future__ import annotations

import argparse
from collections import Counter

from secondary_dominants import DEGREES, changes

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched
from tunesmith.metrics._common import melody_line

CLASSES = {"": "", "6": "", "maj7": "", "69": "", "add9": "", "m": "m", "m7": "m", "m6": "m", "m9": "m",
           "7": "7", "9": "7", "13": "7", "dim": "o", "dim7": "o", "m7b5": "o"}  # fmt: skip


def moves(pieces) -> tuple[Counter, int]:
    out: Counter = Counter()
    total = 0
    for p in pieces:
        seq = [(r, CLASSES.get(q, q)) for r, q in changes(p)]
        seq = [x for i, x in enumerate(seq) if i == 0 or x != seq[i - 1]]
        for a, b in zip(seq, seq[1:]):
            out[f"{DEGREES[a[0]]}{a[1]}>{DEGREES[b[0]]}{b[1]}"] += 1
        total += max(len(seq) - 1, 0)
    return out, total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="folk")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--split", default="train")
    ap.add_argument("--bars", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--model", default="default")
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    reals = [p for p in load_corpus(None).filter(split=args.split, style=args.style, shippable=True)
             if p.key is not None and p.key.mode == "major" and melody_line(p) and p.chords][: args.n]  # fmt: skip
    real, n_real = moves(length_matched(reals, args.style, args.bars))
    model = ts.load_model(args.model)
    cfg = MusicalityConfig(per_style=len(reals), seed=args.seed, max_bars=args.bars)
    took, n_took = moves(compose_like(model.model, model.tokenizer, reals, args.style, cfg))
    print(f"{args.style} ({len(reals)} major-key tunes): {n_real} changes in the tunes, {n_took} in the takes")
    rate = {k: (100 * took[k] / max(n_took, 1), 100 * real[k] / max(n_real, 1)) for k in set(real) | set(took)}
    for title, order in (("more in takes", -1), ("fewer in takes", 1)):
        print(f"  {title} (per 100 changes: takes / tunes)")
        for k, (t, r) in sorted(rate.items(), key=lambda kv: order * (kv[1][0] - kv[1][1]))[: args.top]:
            print(f"    {k:14s} {t:5.2f} / {r:5.2f}")


if __name__ == "__main__":
    main()
