"""The chord before the Passion Chorale's final chord (BWV 244.62's soprano, harmonized, seeds
FIRST..STOP-1): how many pitch classes the four voices sound on the beat before the final chord,
and the takes where they sound one. `--rule-off` turns `endings.APPROACH_CHORD_COMPLETE` off;
`--suspension-gain G` sets `suspensions.PLANNED_SUSPENSION_GAIN`.

    .venv/bin/python docs/notes/2026-12-07-session-65/approach_chord.py 3000 3048 [--rule-off]
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

import music21

import tunesmith as ts
from tunesmith.sampling import endings, suspensions


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("first", type=int)
    ap.add_argument("stop", type=int)
    ap.add_argument("--rule-off", action="store_true")
    ap.add_argument("--suspension-gain", type=float)
    args = ap.parse_args()
    endings.APPROACH_CHORD_COMPLETE = not args.rule_off
    if args.suspension_gain is not None:
        suspensions.PLANNED_SUSPENSION_GAIN = args.suspension_gain
    path = Path("/tmp/passion_soprano.musicxml")
    if not path.exists():
        music21.corpus.parse("bach/bwv244.62").parts[0].write("musicxml", fp=str(path))
    counts, unisons = collections.Counter(), []
    for seed in range(args.first, args.stop):
        piece = ts.harmonize(path, style="chorale", seed=seed).piece
        before = max(n.onset for n in piece.tracks[0].notes) - 1
        pitches = [
            next((n.pitch for n in tr.notes if n.onset <= before + 1e-6 < n.onset + n.duration), None)
            for tr in piece.tracks[:4]
        ]
        k = len({p % 12 for p in pitches if p is not None})
        counts[k] += 1
        if k == 1:
            unisons.append((seed, pitches))
    print(f"pitch classes in the chord before the final one: {dict(sorted(counts.items()))}; one: {unisons}")


if __name__ == "__main__":
    main()
