"""A melody's range (highest pitch minus lowest, semitones) in real tunes and in takes: percentiles
per style, and the share wider than a 12th (19) and two octaves (24).

    python docs/notes/2026-12-05-session-48/ranges.py --style jazz --split train --shippable
    python docs/notes/2026-12-05-session-48/ranges.py --load runs/s48/jazz.pkl   (c2st_features.py --save)
"""

from __future__ import annotations

import argparse
import pickle
from pathlib import Path

import numpy as np


def melody_range(piece) -> int | None:
    m = piece.melody()
    pitches = [n.pitch for n in m.notes] if m is not None else []
    return max(pitches) - min(pitches) if pitches else None


def report(name: str, pieces) -> None:
    r = np.array([x for x in (melody_range(p) for p in pieces) if x is not None])
    bars = np.array([p.n_bars for p in pieces if melody_range(p) is not None])
    q = np.percentile(r, [10, 50, 90]).round(1)
    print(f"{name} ({len(r)} pieces, median {np.median(bars):.0f} bars): p10 {q[0]} median {q[1]} p90 {q[2]} "
          f"max {r.max()}; wider than 19: {np.mean(r > 19):.3f}, than 24: {np.mean(r > 24):.3f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="jazz")
    ap.add_argument("--split", default="train")
    ap.add_argument("--shippable", action="store_true")
    ap.add_argument("--load", default=None, help="a pickle of (real pieces, takes)")
    a = ap.parse_args()
    if a.load:
        reals, takes = pickle.loads(Path(a.load).read_bytes())
        report("real (length-matched)", reals)
        report("takes", takes)
        return 0
    from tunesmith.corpus import load_corpus

    ps = [p for p in load_corpus(None).filter(split=a.split, style=a.style, shippable=True if a.shippable else None)
          if p.melody() is not None and p.melody().notes]  # fmt: skip
    report(f"{a.style} {a.split}{' shippable' if a.shippable else ''}", ps)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
