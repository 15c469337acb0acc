"""Session 68: where a harmonized chorale's alto and tenor sit, against Bach's settings of the same
JSB validation sopranos (the first `--n` in four parts, seed i): per voice, the time-weighted mean
pitch, the share of time below a floor (alto: below A3, tenor: below D3), the mean distance below
the voice above, and the same at phrase ends (the last beat of the soprano's notes of two beats or
more, where a fermata would stand).

    .venv/bin/python docs/notes/2026-12-07-session-68/inner_registers.py [--n 40]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inner_spacing import harmonized, jsb_chorales  # noqa: E402

FLOORS = {1: 57, 2: 50}  # A3, D3


def sounding(track, t: float):
    for n in track.notes:
        if n.onset <= t + 1e-6 < n.onset + n.duration:
            return n.pitch
    return None


def profile(pieces) -> dict:
    out = {}
    for v, name in ((1, "alto"), (2, "tenor")):
        pitches, weights, gaps, ends, end_gaps = [], [], [], [], []
        for p in pieces:
            tracks = p.tracks[:4]
            for n in tracks[v].notes:
                pitches.append(n.pitch)
                weights.append(n.duration)
                above = sounding(tracks[v - 1], n.onset)
                if above is not None:
                    gaps.append(above - n.pitch)
            for s in tracks[0].notes:
                if s.duration >= 2 - 1e-6:
                    q = sounding(tracks[v], s.onset + s.duration - 0.5)
                    if q is not None:
                        ends.append(q)
                        end_gaps.append(
                            s.pitch - q if v == 1 else (sounding(tracks[1], s.onset + s.duration - 0.5) or q) - q
                        )
        pitches, weights = np.array(pitches), np.array(weights)
        out[name] = (
            f"mean {np.average(pitches, weights=weights):.1f}, below floor {weights[pitches < FLOORS[v]].sum() / weights.sum():.3f}, "
            f"below the voice above {np.mean(gaps):.1f}; at long soprano notes' ends ({len(ends)}) mean {np.mean(ends):.1f}, "
            f"below floor {np.mean(np.array(ends) < FLOORS[v]):.3f}, below the voice above {np.mean(end_gaps):.1f}"
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    args = ap.parse_args()
    chorales = jsb_chorales("valid", args.n)
    for name, pieces in (("Bach", chorales), ("harmonized", harmonized(chorales))):
        for voice, text in profile(pieces).items():
            print(f"{name}, {voice}: {text}", flush=True)


if __name__ == "__main__":
    main()
