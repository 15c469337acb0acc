"""Session 69: a dance's melodic intervals, takes against held-out tunes (`dance_explain.dance_sets`):
the share of moves by size (semitones, absolute), and the mean, within the 16 bars.

    .venv/bin/python docs/notes/2026-12-07-session-69/dance_intervals.py --dances jig,reel \
        [--model shipped=default --model after=DIR]
"""

from __future__ import annotations

import argparse

import numpy as np
from dance_explain import dance_sets

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import melody_line

BINS = (("0", 0, 0), ("1-2", 1, 2), ("3-4", 3, 4), ("5", 5, 5), ("7", 6, 7), ("8-12", 8, 12), ("13+", 13, 99))


def moves(pieces) -> np.ndarray:
    return np.array([abs(b.pitch - a.pitch) for p in pieces for a, b in zip(melody_line(p), melody_line(p)[1:])])


def row(name: str, pieces) -> None:
    m = moves(pieces)
    cells = ", ".join(f"{label} {float(((m >= lo) & (m <= hi)).mean()):.3f}" for label, lo, hi in BINS)
    print(f"  {name}: mean {m.mean():.3f}; {cells}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dances", default="jig")
    ap.add_argument("--model", action="append", help="NAME=DIR (default: shipped=default)")
    args = ap.parse_args()
    corpus = load_corpus(None)
    models = {
        name: ts.load_model(where) for name, where in (m.split("=", 1) for m in args.model or ["shipped=default"])
    }
    for dance in args.dances.split(","):
        print(dance)
        for i, (name, model) in enumerate(models.items()):
            tunes, takes = dance_sets(corpus, model, dance)
            if not i:
                row("tunes", tunes)
            row(f"takes, {name}", takes)


if __name__ == "__main__":
    main()
