"""The intervals where inpainted bars join the kept music (the songwriter's rough joins): real folk
tunes of a split, bars 5-8 inpainted (seeds 0..S-1), the melody interval into the first new note
and out of the last into the kept bar 9, against the tunes' own intervals at those two places.
Counted: joins of a seventh or wider (not an octave), of more than a sixth, and the mean.

    python docs/notes/2026-12-05-session-45/inpaint_joins.py N [--seeds S] [--split valid]"""

from __future__ import annotations

import sys

import numpy as np

import tunesmith
from tunesmith.corpus.store import load_corpus


def joins(piece, a: float, b: float, which: str) -> list[int]:
    """|interval| into the note struck at `a` ("in") or at `b` ("out"), from the note before it
    (none where a rest or a held note stands there)."""
    notes = sorted(piece.melody().notes, key=lambda x: x.onset)
    at = a if which == "in" else b
    return [abs(cur.pitch - prev.pitch) for prev, cur in zip(notes, notes[1:]) if abs(cur.onset - at) < 1e-6]


def rough(iv: list[int]) -> tuple[float, float, float]:
    x = np.array(iv, float)
    if not len(x):
        return 0.0, 0.0, 0.0
    return float(((x >= 10) & (x != 12)).mean()), float((x > 9).mean()), float(x.mean())


def main():
    n = int(sys.argv[1])
    seeds = int(sys.argv[sys.argv.index("--seeds") + 1]) if "--seeds" in sys.argv else 3
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "valid"
    model = tunesmith.load_model("default")
    real, takes = {"in": [], "out": []}, {"in": [], "out": []}
    done = 0
    for p in load_corpus().filter(split=split, style="folk"):
        if done >= n:
            break
        if p.melody() is None or p.pickup_beats() or len(p.bars()) < 12:
            continue
        bars = p.bars()
        a, b = bars[4], bars[8]
        for w in real:
            real[w] += joins(p, a, b, w)
        for s in range(seeds):
            try:
                take = tunesmith.inpaint(p, bars="5-8", seed=s, model=model)
            except ValueError as e:
                print("skip", p.title, e)
                break
            for w in takes:
                takes[w] += joins(take.piece, a, b, w)
        done += 1
    for w in ("in", "out"):
        for name, iv in (("real", real[w]), ("inpainted", takes[w])):
            sev, six, mean = rough(iv)
            print(f"{split} folk join {w:3s} {name:9s} {len(iv):4d}: a seventh or wider (no octave) {sev:.3f}, "
                  f"more than a major sixth {six:.3f}, mean {mean:.2f} semitones")


if __name__ == "__main__":
    main()
