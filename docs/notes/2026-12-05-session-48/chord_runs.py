"""How long a lead sheet stays on one chord: per piece, the share of bars whose downbeat chord has
the root of the bar before's downbeat chord (the chord held or named again), and the share of bars
in runs of three or more bars on one root; real tunes against takes of the same length.

    python docs/notes/2026-12-05-session-48/chord_runs.py --style jazz --split train --shippable
    python docs/notes/2026-12-05-session-48/chord_runs.py --style jazz --compose 36 --bars 32
"""

from __future__ import annotations

import argparse

import numpy as np
from bridges import downbeat_chords, full_bars


def runs(piece) -> tuple[float, float] | None:
    if piece.key is None:
        return None
    d = [c[0] if c else None for c in downbeat_chords(piece, full_bars(piece))]
    if len(d) < 8:
        return None
    same = [a is not None and a == b for a, b in zip(d, d[1:])]
    long = np.zeros(len(d), bool)
    k = 0
    while k < len(d):
        j = k
        while j + 1 < len(d) and d[j + 1] == d[k] and d[k] is not None:
            j += 1
        if j - k + 1 >= 3:
            long[k : j + 1] = True
        k = j + 1
    return float(np.mean(same)), float(np.mean(long))


def report(name: str, pieces) -> None:
    r = np.array([x for x in map(runs, pieces) if x is not None])
    print(f"{name} ({len(r)}): bars on the root of the bar before {r[:, 0].mean():.3f}, "
          f"bars in runs of 3+ on one root {r[:, 1].mean():.3f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="jazz")
    ap.add_argument("--split", default="train")
    ap.add_argument("--shippable", action="store_true")
    ap.add_argument("--compose", type=int, default=0)
    ap.add_argument("--bars", type=int, default=32)
    a = ap.parse_args()
    if a.compose:
        from takes import compose_takes

        report(f"{a.style} takes, {a.bars} bars", compose_takes(a.style, a.compose, bars=a.bars))
        return 0
    from tunesmith.corpus import load_corpus

    ps = [p for p in load_corpus(None).filter(split=a.split, style=a.style, shippable=True if a.shippable else None)]
    report(f"{a.style} {a.split}{' shippable' if a.shippable else ''}", ps)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
