"""Session 61: a fiddler found reel takes with bars of plain quarter notes ("a reel should run in
eighths"). For N shippable training reels (Nottingham by file, others by title) and N 16-bar reel
takes under their keys (seed = index): the share of bars, the last bar of each strain left out
(bars 8, 16, ...), in which no note is shorter than a beat, the share of pieces with one, and the
notes' shares of eighths, sixteenths and beats or more.

    python docs/notes/2026-12-07-session-61/reel_quarter_bars.py [N]
"""

import random
import sys

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.licenses import may_ship
from tunesmith.metrics._common import melody_line


def quarter_bars(piece) -> tuple[int, int]:
    """(bars with no note shorter than a beat, bars counted): every full bar but each 8th."""
    starts = list(piece.bars())
    if piece.pickup_beats():
        starts = starts[1:]
    notes = melody_line(piece)
    slow = counted = 0
    for i, (a, b) in enumerate(zip(starts, [*starts[1:], piece.duration()])):
        if (i + 1) % 8 == 0 or b - a < 3.99:
            continue
        inside = [n for n in notes if a - 1e-6 <= n.onset < b - 1e-6]
        if not inside:
            continue
        counted += 1
        slow += min(n.duration for n in inside) >= 1.0 - 1e-6
    return slow, counted


def main(n: int = 60) -> None:
    reels = [p for p in load_corpus(None).filter(style="folk", split="train")
             if may_ship(str(p.license)) and p.key is not None and "reel" in (p.title or "").lower()
             and p.time_signature.numerator in (2, 4) and melody_line(p)]  # fmt: skip
    random.Random(0).shuffle(reels)
    reels = reels[:n]
    model = ts.load_model("default")
    rows = {"tunes": [], "takes": []}
    lengths = {"tunes": [], "takes": []}
    for i, p in enumerate(reels):
        take = ts.compose(
            "folk", dance="reel", key=p.key.tonic, mode=p.key.mode, bars=16, seed=i, model=model, check=False
        )
        for who, piece in (("tunes", p), ("takes", take.piece)):
            rows[who].append(quarter_bars(piece))
            lengths[who] += [n.duration for n in melody_line(piece)]
    for who, r in rows.items():
        r = np.array(r, dtype=float)
        d = np.array(lengths[who])
        print(
            f"{who}: {len(r)} pieces; bars with no note under a beat {r[:, 0].sum() / r[:, 1].sum():.3f}; "
            f"pieces with one {(r[:, 0] > 0).mean():.2f}; notes: eighths {np.isclose(d, 0.5).mean():.3f}, "
            f"sixteenths {np.isclose(d, 0.25).mean():.3f}, a beat or more {(d >= 1 - 1e-6).mean():.3f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
