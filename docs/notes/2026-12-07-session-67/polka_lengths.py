"""Session 67: the note lengths a polka's training tunes seldom play (under 0.2 % of their notes:
dotted quarters, triplet eighths, halves ...), counted in 40 composed 16-bar polkas before their last
bar (keys D, G, A, E minor in turn, seed = index), with `feedback.RARE_LENGTH_PENALTIES["polka"]` at
6 and at 0 and the polka's share `RARE_LENGTH_SHARES["polka"]` 0.002.

    .venv/bin/python docs/notes/2026-12-07-session-67/polka_lengths.py
"""

from __future__ import annotations

import collections

import tunesmith as ts
from tunesmith.metrics._common import melody_line
from tunesmith.sampling import feedback

KEYS = (("D", "major"), ("G", "major"), ("A", "major"), ("E", "minor"))


def main() -> None:
    feedback.RARE_LENGTH_SHARES["polka"] = 0.002
    for penalty in (6.0, 0.0):
        feedback.RARE_LENGTH_PENALTIES["polka"] = penalty
        lengths, notes = collections.Counter(), 0
        for i in range(40):
            key, mode = KEYS[i % 4]
            piece = ts.compose("folk", dance="polka", key=key, mode=mode, bars=16, seed=i, check=False).piece
            last_bar = piece.bars()[-1]
            for n in melody_line(piece):
                if n.onset < last_bar - 1e-6:
                    notes += 1
                    lengths[round(n.duration, 3)] += 1
        rare = {d: k for d, k in sorted(lengths.items()) if d in (1.5, 2.0, 3.0, round(1 / 3, 3), 1.75, 2.5, 4.0)}
        print(f"penalty {penalty:g}: {notes} notes before the last bar; the rare lengths {rare}")


if __name__ == "__main__":
    main()
