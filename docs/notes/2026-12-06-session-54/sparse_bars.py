"""Bars a dance's melody nearly stops in: per tune, the share of its bars (before the last) with
fewer than `--notes` melody notes struck (a reel's bar holds 8 quavers), and the longest run of
such bars; the shippable training tunes of the dance (`--dance`, as reel_long_notes.py picks
reels) against N `--dance` takes. A folk-song scholar had read a reel whose B strain ran in
crotchets and minims for five bars (42 % of its bars under 6 notes; real reels' median 0 %).

    python docs/notes/2026-12-06-session-54/sparse_bars.py N [--dance reel] [--notes 6]
"""

from __future__ import annotations

import argparse

import numpy as np

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.licenses import may_ship


def sparse(piece, fewer: int) -> tuple[float, int]:
    starts = piece.bars()
    if piece.pickup_beats():
        starts = starts[1:]
    counts = [0] * len(starts)
    for x in piece.melody().notes:
        idx = [i for i, s in enumerate(starts) if s <= x.onset + 1e-6]
        if idx:
            counts[idx[-1]] += 1
    counts = counts[:-1]  # the last bar closes: its long note is the tune's
    flags = [c < fewer for c in counts]
    run = best = 0
    for f in flags:
        run = run + 1 if f else 0
        best = max(best, run)
    return (sum(flags) / max(1, len(flags))), best


def summary(rows) -> dict:
    shares = np.array([r[0] for r in rows])
    runs = np.array([r[1] for r in rows])
    return {"tunes": len(rows), "median share": round(float(np.median(shares)), 3),
            "p90 share": round(float(np.quantile(shares, 0.9)), 3), "tunes >= 0.3": round(float((shares >= 0.3).mean()), 3),
            "run >= 3 bars": round(float((runs >= 3).mean()), 3)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--dance", default="reel")
    ap.add_argument("--notes", type=int, default=6)
    args = ap.parse_args()
    meter = {"reel": ("4/4", "2/2"), "hornpipe": ("4/4",), "jig": ("6/8",), "waltz": ("3/4",), "polka": ("2/4",)}[args.dance]
    real = []
    for p in load_corpus(None).filter(style="folk", split="train"):
        ts = p.time_signature
        if not may_ship(p.license) or f"{ts.numerator}/{ts.denominator}" not in meter or p.melody() is None:
            continue
        if args.dance not in (p.title or "").lower() and args.dance not in str(p.path).lower():
            continue
        real.append(sparse(p, args.notes))
    model = tunesmith.load_model("default")
    takes = [sparse(tunesmith.compose("folk", dance=args.dance, seed=s, model=model, check=False).piece, args.notes)
             for s in range(args.n)]  # fmt: skip
    print("real", summary(real))
    print("takes", summary(takes))


if __name__ == "__main__":
    main()
