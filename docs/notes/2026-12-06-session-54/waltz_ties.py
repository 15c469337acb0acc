"""Waltz melodies' long notes and ties: per 100 bars, melody notes that cross a bar line (tied
over, as the score writes them), and those longer than a bar; the shippable training tunes in 3/4
(folk) against N `--dance waltz` takes. A folk-song scholar had found 6-8 ties from beat 3 over
the bar line in 32-bar waltz takes, and a note held six beats ("real 3/4 tunes have none").

    python docs/notes/2026-12-06-session-54/waltz_ties.py N
"""

from __future__ import annotations

import sys

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.licenses import may_ship


def per_100_bars(pieces) -> dict:
    bars = crossing = over_a_bar = from_beat_3 = 0
    for p in pieces:
        starts = p.bars()
        bars += len(starts)
        lines = set(round(s, 6) for s in starts)
        for x in p.melody().notes:
            inside = [s for s in starts if x.onset + 1e-6 < s < x.onset + x.duration - 1e-6]
            if inside:
                crossing += 1
                from_beat_3 += abs((inside[0] - x.onset) - 1.0) < 1e-6
            over_a_bar += x.duration > 3.0 + 1e-6
        del lines
    return {"per 100 bars: tied over a bar line": round(100 * crossing / bars, 2),
            "of them from beat 3": round(100 * from_beat_3 / bars, 2),
            "longer than a bar": round(100 * over_a_bar / bars, 2), "bars": bars}  # fmt: skip


def main() -> None:
    n = int(sys.argv[1])
    real = [p for p in load_corpus(None).filter(style="folk", split="train")
            if may_ship(p.license) and (p.time_signature.numerator, p.time_signature.denominator) == (3, 4) and p.melody()]
    model = tunesmith.load_model("default")
    takes = [tunesmith.compose("folk", dance="waltz", seed=s, model=model, check=False).piece for s in range(n)]
    print("real 3/4 tunes", len(real), per_100_bars(real))
    print("waltz takes", n, per_100_bars(takes))


if __name__ == "__main__":
    main()
