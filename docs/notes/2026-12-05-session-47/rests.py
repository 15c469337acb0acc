"""Where a lead sheet's melody rests: real tunes against takes.

    python docs/notes/2026-12-05-session-47/rests.py --load runs/s47/jazz.pkl [--source chord-melody]
    python docs/notes/2026-12-05-session-47/rests.py --style jazz --split train --shippable

A rest is a gap of at least an eighth (half a beat) between one melody note's end and the next
note's onset (or the piece's end after its last note). Reported: rests per 8 bars, the share of
bars holding a rest, the share of pieces with none, and the median longest run of bars without one.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

from tunesmith.metrics._common import melody_notes


def rest_stats(pieces) -> dict[str, float]:
    per8, bar_share, none, longest = [], [], 0, []
    for p in pieces:
        notes = sorted(melody_notes(p), key=lambda n: n.onset)
        bars = p.bars()
        if len(notes) < 8 or len(bars) < 2:
            continue
        ends = [n.onset + n.duration for n in notes]
        gaps = [(e, nxt.onset) for e, nxt in zip(ends, notes[1:]) if nxt.onset - e >= 0.5 - 1e-6]
        end = p.duration()
        if end - ends[-1] >= 0.5 - 1e-6:
            gaps.append((ends[-1], end))
        rested = set()
        for a, b in gaps:
            for i, lo in enumerate(bars):
                hi = bars[i + 1] if i + 1 < len(bars) else end
                if a < hi - 1e-6 and b > lo + 1e-6:
                    rested.add(i)
        n_bars = len(bars)
        per8.append(8 * len(gaps) / n_bars)
        bar_share.append(len(rested) / n_bars)
        none += not gaps
        run = best = 0
        for i in range(n_bars):
            run = 0 if i in rested else run + 1
            best = max(best, run)
        longest.append(best)
    n = len(per8)
    return {"pieces": n, "rests per 8 bars": float(np.mean(per8)), "bars with a rest": float(np.mean(bar_share)),
            "pieces with no rest": none / max(n, 1), "median longest run without one (bars)": float(np.median(longest))}


def show(name: str, stats: dict[str, float]) -> None:
    print(f"{name}: " + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in stats.items()))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--load", default=None)
    ap.add_argument("--source", default=None)
    ap.add_argument("--style", default=None)
    ap.add_argument("--split", default="train")
    ap.add_argument("--shippable", action="store_true")
    a = ap.parse_args()
    if a.load:
        reals, takes = pickle.loads(Path(a.load).read_bytes())
        idx = [i for i, p in enumerate(reals) if a.source is None or p.source == a.source]
        show("real", rest_stats([reals[i] for i in idx]))
        show("takes", rest_stats([takes[i] for i in idx]))
        return 0
    from tunesmith.corpus import load_corpus

    ps = [p for p in load_corpus(None).filter(split=a.split, style=a.style, shippable=True if a.shippable else None)
          if p.melody() is not None]  # fmt: skip
    show(f"{a.style} {a.split}{' shippable' if a.shippable else ''}", rest_stats(ps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
