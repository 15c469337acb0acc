"""How much a folk tune's B strain repeats its A strain: the share of the B strain's notes (pitch
and place in the bar, bar by bar) that the A strain has at the same place, for takes with the
default settings (AABB over --bars, so 16 bars are strains of 4) and for the split's tunes whose
32 bars are AABB (the first strain's 8 bars played twice, then the second's).

    python docs/notes/2026-12-05-session-44/strain_contrast.py SPLIT N [--bars B] [--dance D]"""

from __future__ import annotations

import sys

import numpy as np

import tunesmith
from tunesmith.corpus.store import load_corpus


def bar_notes(piece, bars, b):
    start = bars[b]
    end = bars[b + 1] if b + 1 < len(bars) else piece.duration()
    return {(round(n.onset - start, 3), n.pitch) for n in piece.melody().notes if start - 1e-6 <= n.onset < end - 1e-6}


def shared(piece, bars, a0, b0, length):
    same = total = 0
    for k in range(length):
        a, b = bar_notes(piece, bars, a0 + k), bar_notes(piece, bars, b0 + k)
        same += len(a & b)
        total += len(b)
    return same / max(total, 1)


def main():
    split, n = sys.argv[1], int(sys.argv[2])
    bars_asked = int(sys.argv[sys.argv.index("--bars") + 1]) if "--bars" in sys.argv else None
    dance = sys.argv[sys.argv.index("--dance") + 1] if "--dance" in sys.argv else None
    model = tunesmith.load_model("default")
    takes = []
    for s in range(n):
        t = tunesmith.compose("folk", seed=s, model=model, check=False, bars=bars_asked, dance=dance, pickup=0).piece
        bars = t.bars()
        strain = len(bars) // 4
        takes.append(shared(t, bars, 0, 2 * strain, strain))
    real = []
    for p in load_corpus().filter(split=split, style="folk"):
        if len(real) >= n:
            break
        if p.melody() is None or p.pickup_beats():
            continue
        bars = p.bars()
        if len(bars) != 32 or shared(p, bars, 0, 8, 8) < 0.9:  # AABB: the A strain played twice
            continue
        real.append(shared(p, bars, 0, 16, 8))
    print(f"B strain's notes at the A strain's places: takes ({n}, {' '.join(sys.argv[3:]) or 'defaults'}) "
          f"{np.mean(takes):.3f} (takes over 0.6: {np.mean(np.array(takes) > 0.6):.2f}); {split} AABB tunes of 32 bars "
          f"({len(real)}) {np.mean(real):.3f} (over 0.6: {np.mean(np.array(real) > 0.6):.2f})")


if __name__ == "__main__":
    main()
