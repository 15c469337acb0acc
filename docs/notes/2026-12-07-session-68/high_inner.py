"""Session 68: how high a harmonized chorale's alto and tenor sit, against Bach's settings of the
same first `--n` JSB validation sopranos (seed i), at each `feedback.INNER_SPACING_GAIN` given:
the share of each voice's time at or above a line (alto: C5 and D5, tenor: F4 and G4).

    .venv/bin/python docs/notes/2026-12-07-session-68/high_inner.py [--gains 0,4] [--n 40]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inner_spacing import per_gain  # noqa: E402

LINES = {1: (72, 74), 2: (65, 67)}


def shares(pieces) -> str:
    out = []
    for v, name in ((1, "alto"), (2, "tenor")):
        pitches = np.array([n.pitch for p in pieces for n in p.tracks[v].notes])
        weights = np.array([n.duration for p in pieces for n in p.tracks[v].notes])
        cells = ", ".join(f">= {line}: {weights[pitches >= line].sum() / weights.sum():.3f}" for line in LINES[v])
        out.append(f"{name} {cells}")
    return "; ".join(out)


def main() -> None:
    per_gain(shares)


if __name__ == "__main__":
    main()
