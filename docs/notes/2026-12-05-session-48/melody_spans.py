"""The span of a melody's first N bars (highest pitch minus lowest, semitones) in the shippable
training tunes of each lead style, as deciles (the 5th, 15th, ..., 95th percentiles): the
`MELODY_SPANS` a composed take draws its span from.

    python docs/notes/2026-12-05-session-48/melody_spans.py
"""

from __future__ import annotations

import numpy as np

from tunesmith.corpus import load_corpus

BARS = (8, 16, 32)


def first_bars_span(piece, n: int) -> int | None:
    onsets = piece.bars()
    if piece.pickup_beats() > 0:
        onsets = onsets[1:]
    if len(onsets) < n:
        return None
    end = onsets[n] if n < len(onsets) else piece.duration()
    pitches = [x.pitch for x in piece.melody().notes if x.onset < end - 1e-6]
    return max(pitches) - min(pitches) if pitches else None


def main() -> int:
    corpus = load_corpus(None)
    for style in ("folk", "pop", "jazz"):
        ps = [p for p in corpus.filter(split="train", style=style, shippable=True) if p.melody() is not None and p.melody().notes]
        row = {}
        for n in BARS:
            spans = [s for s in (first_bars_span(p, n) for p in ps) if s is not None]
            row[n] = tuple(int(round(v)) for v in np.percentile(spans, np.arange(5, 100, 10)))
            print(f"{style} first {n} bars ({len(spans)} tunes): deciles {row[n]}; wider than 19: {np.mean(np.array(spans) > 19):.3f}")
        print(f'    "{style}": {row},')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
