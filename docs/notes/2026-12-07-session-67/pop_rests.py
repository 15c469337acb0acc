"""Session 67: where a pop melody rests. Per bar's place in its 4-bar phrase (1-4), rests of an eighth
or more starting there per 100 bars, with the share of bars holding 2 or more rests and the share
of rest time, for the held-out pop songs (valid + test, cut to their first 16 bars as the takes are)
and for 16-bar pop takes under their keys (seed = index).

    .venv/bin/python docs/notes/2026-12-07-session-67/pop_rests.py [--n 60] [--sources openewld]
"""

from __future__ import annotations

import argparse
import collections

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import length_matched
from tunesmith.metrics._common import melody_line


def rests(p) -> tuple[collections.Counter, int, int, float, float]:
    """({place 0-3: rests}, bars, bars with 2+ rests, rest time, time) of `p`'s melody."""
    notes = melody_line(p)
    bars = p.bars()
    if not notes:
        return collections.Counter(), 0, 0, 0.0, 0.0
    end = notes[-1].onset + notes[-1].duration
    gaps = [
        (a.onset + a.duration, b.onset)
        for a, b in zip(notes, notes[1:])
        if b.onset - (a.onset + a.duration) >= 0.5 - 1e-6
    ]
    if notes[0].onset - (bars[0] if bars else 0.0) >= 0.5 - 1e-6 and notes[0].onset > 1e-6:
        gaps.insert(0, (bars[0] if bars else 0.0, notes[0].onset))
    per_bar = collections.Counter()
    for start, _ in gaps:
        i = max(0, int(np.searchsorted(bars, start + 1e-6)) - 1)
        per_bar[i] += 1
    places = collections.Counter({i % 4: 0 for i in range(4)})
    for i, k in per_bar.items():
        places[i % 4] += k
    n_bars = sum(1 for b in bars if b < end - 1e-6)
    return places, n_bars, sum(k >= 2 for k in per_bar.values()), sum(b - a for a, b in gaps), end


def show(name: str, pieces) -> None:
    places, bars, busy, rest, time = collections.Counter(), 0, 0, 0.0, 0.0
    for p in pieces:
        pl, b, bu, r, t = rests(p)
        places.update(pl)
        bars, busy, rest, time = bars + b, busy + bu, rest + r, time + t
    per = " ".join(f"{100 * 4 * places[i] / max(bars, 1):5.1f}" for i in range(4))
    print(f"{name:<34} ({len(pieces):3d}) rests per 100 bars at places 1-4: {per} | bars with 2+ rests "
          f"{busy / max(bars, 1):.3f} | rest time {rest / max(time, 1e-9):.3f}", flush=True)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--sources", default=None, help="comma-separated sources of the held-out songs (default: all)")
    a = ap.parse_args()
    corpus = load_corpus(None)
    held = [p for split in ("valid", "test") for p in corpus.filter(split=split, style="pop")
            if p.key is not None and melody_line(p) and (not a.sources or p.source in a.sources.split(","))]  # fmt: skip
    for source in sorted({p.source for p in held}):
        show(f"held-out {source}, 16 bars", length_matched([p for p in held if p.source == source], "pop", 16))
    held = held[: a.n]
    takes = [ts.compose("pop", key=p.key.tonic, mode=p.key.mode, bars=16, seed=i, check=False).piece
             for i, p in enumerate(held)]  # fmt: skip
    show("pop takes (16 bars)", takes)


if __name__ == "__main__":
    main()
