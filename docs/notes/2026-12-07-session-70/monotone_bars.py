"""Session 70: bars whose three or more melody notes are all one pitch, for the shippable tunes of a
style and split (at most 121, cut to 32 bars) and takes under their headers (seed 0).

    .venv/bin/python docs/notes/2026-12-07-session-70/monotone_bars.py pop train
"""

from __future__ import annotations

import sys

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched
from tunesmith.metrics._common import melody_line


def monotone(pieces) -> tuple[int, int]:
    """(bars of three or more notes all on one pitch, bars of three or more notes)."""
    bars_n = mono_n = 0
    for p in pieces:
        notes = melody_line(p)
        edges = list(p.bars()) + [p.end]
        for a, b in zip(edges, edges[1:]):
            ps = [n.pitch for n in notes if a - 1e-6 <= n.onset < b - 1e-6]
            if len(ps) >= 3:
                bars_n += 1
                mono_n += len(set(ps)) == 1
    return mono_n, bars_n


def main() -> None:
    style, split = sys.argv[1], sys.argv[2]
    reals = [p for p in load_corpus(None).filter(split=split, style=style, shippable=True)
             if p.key is not None and melody_line(p)][:121]  # fmt: skip
    m, n = monotone(length_matched(reals, style, 32))
    print(f"tunes ({len(reals)}): {m} of {n} bars, {m / n:.3f}")
    model = ts.load_model("default")
    takes = compose_like(model.model, model.tokenizer, reals, style, MusicalityConfig(per_style=len(reals), seed=0))
    m, n = monotone(takes)
    print(f"takes: {m} of {n} bars, {m / n:.3f}")


if __name__ == "__main__":
    main()
