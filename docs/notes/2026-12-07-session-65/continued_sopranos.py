"""Continued chorale sopranos against Bach's: the first 40 shippable validation chorales of 12 bars
or more, cut after bar 8 and continued by 4 bars (seed = index); how many new sopranos go lower
than the given bars' lowest soprano note less two semitones, and how many leap an octave, against
Bach's own bars 9-12. `--floor-off`: `cocreate.verbs.SOPRANO_FLOOR_UNDER_THE_KEPT` None.

    .venv/bin/python docs/notes/2026-12-07-session-65/continued_sopranos.py [--floor-off]
"""

from __future__ import annotations

import collections
import copy
import sys

import tunesmith as ts
from tunesmith.cocreate import verbs
from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import melody_line


def main() -> None:
    if "--floor-off" in sys.argv:
        verbs.SOPRANO_FLOOR_UNDER_THE_KEPT = None
    tunes = [
        p for p in load_corpus(None).filter(split="valid", style="chorale", shippable=True) if len(list(p.bars())) >= 12
    ]
    counts = collections.Counter()
    for i, tune in enumerate(tunes[:40]):
        starts = list(tune.bars())
        pickup = int(tune.pickup_beats() > 0)
        cut, stop = starts[8 + pickup], starts[12 + pickup] if len(starts) > 12 + pickup else float("inf")
        given = copy.deepcopy(tune)
        for track in given.tracks:
            track.notes = [n for n in track.notes if n.onset < cut - 1e-6]
        take = ts.continue_(given, bars=4, seed=i)
        kept = [n.pitch for n in melody_line(given)]
        floor = min(kept) - 2
        for who, line in (
            ("takes", [n.pitch for n in melody_line(take.piece) if n.onset >= cut - 1e-6]),
            ("Bach", [n.pitch for n in melody_line(tune) if cut - 1e-6 <= n.onset < stop - 1e-6]),
        ):
            counts[(who, "under the given bars' lowest less two")] += bool(line) and min(line) < floor
            counts[(who, "an octave leap")] += any(abs(b - a) >= 12 for a, b in zip(line, line[1:]))
    print(f"{len(tunes[:40])} chorales: " + "; ".join(f"{who} {what} {n}" for (who, what), n in sorted(counts.items())))


if __name__ == "__main__":
    main()
