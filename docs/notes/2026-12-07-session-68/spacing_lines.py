"""Session 68: how far below the voice above Bach's alto and tenor sit, by the pitch of the voice
above, over his JSB chorales of a split (four parts): the weighted least-squares line (distance =
intercept + slope x the pitch above; each note weighted by the square root of its length, the
distance taken at its start), the time-weighted means, and the mean distance per three semitones of
the voice above. (Session 68 tried these lines as the spacing's target, gain 6; not shipped: see the note.)

    .venv/bin/python docs/notes/2026-12-07-session-68/spacing_lines.py [--split train]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inner_spacing import jsb_chorales, sounding  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train")
    args = ap.parse_args()
    chorales = jsb_chorales(args.split)
    for v, name in ((1, "alto under the soprano"), (2, "tenor under the alto")):
        above, gap, weight = [], [], []
        for c in chorales:
            for n in c.tracks[v].notes:
                a = sounding(c.tracks[v - 1], n.onset)
                if a is not None:
                    above.append(a)
                    gap.append(a - n.pitch)
                    weight.append(n.duration)
        above, gap, weight = np.array(above), np.array(gap), np.array(weight)
        slope, intercept = np.polyfit(above, gap, 1, w=np.sqrt(weight))
        print(f"{name} ({len(chorales)} chorales): distance = {intercept:.3f} + {slope:.3f} x above; mean above "
              f"{np.average(above, weights=weight):.2f}, mean distance {np.average(gap, weights=weight):.2f}")  # fmt: skip
        for lo in range(60, 81, 3):
            here = (above >= lo) & (above < lo + 3)
            if here.sum() > 50:
                print(
                    f"  above {lo}-{lo + 2}: {np.average(gap[here], weights=weight[here]):.2f} ({int(here.sum())} notes)"
                )


if __name__ == "__main__":
    main()
