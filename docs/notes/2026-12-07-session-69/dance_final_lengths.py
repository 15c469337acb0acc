"""Session 69: how long a dance's last note lasts, and where in its bar it is struck: per dance, the
shippable tunes of `--split` (whole tunes, as `fit_dance_profiles.dance_pieces` finds them) against
`--takes` 16-bar takes under their keys (seed = index): the shares of the last note's length
(quarters) and of its strike on the last bar's downbeat.

    .venv/bin/python docs/notes/2026-12-07-session-69/dance_final_lengths.py [--dances jig,polka] [--takes 40]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from tunesmith.metrics._common import melody_line

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dance_final_approach import compare  # noqa: E402


def row(name: str, pieces) -> None:
    lengths, downbeat, n = Counter(), 0, 0
    for p in pieces:
        notes = melody_line(p)
        if not notes:
            continue
        last = notes[-1]
        bars = p.bars()
        lengths[round(last.duration, 2)] += 1
        downbeat += any(abs(last.onset - b) < 1e-6 for b in bars)
        n += 1
    cells = ", ".join(f"{k:g} {v / n:.2f}" for k, v in sorted(lengths.items(), key=lambda kv: -kv[1])[:6])
    print(f"  {name} ({n}): last note {cells}; struck on a downbeat {downbeat / n:.2f}", flush=True)


def main() -> None:
    compare(row, "jig,polka,reel,hornpipe")


if __name__ == "__main__":
    main()
