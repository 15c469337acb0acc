"""The Passion Chorale's close (BWV 244.62's soprano, harmonized): per seed, the voices that move
into the final chord in parallel fifths or octaves (tests/test_chorale_planned_close.py's `closes`),
the four voices over the last beat, and the bass's pitch before the final chord.

    .venv/bin/python docs/notes/2026-12-07-session-64/passion_closes.py 3000 3048 [--rule-off]
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
from pathlib import Path

import music21
from music21.pitch import Pitch

import tunesmith as ts
from tunesmith.sampling import part_writing

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location("planned_close", ROOT / "tests" / "test_chorale_planned_close.py")
planned_close = importlib.util.module_from_spec(spec)
spec.loader.exec_module(planned_close)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("first", type=int)
    ap.add_argument("stop", type=int)
    ap.add_argument("--rule-off", action="store_true", help="part_writing.CLOSING_BASS_APPROACH_CLEAR = False")
    args = ap.parse_args()
    part_writing.CLOSING_BASS_APPROACH_CLEAR = not args.rule_off
    path = Path("/tmp/passion_soprano.musicxml")
    if not path.exists():
        music21.corpus.parse("bach/bwv244.62").parts[0].write("musicxml", fp=str(path))
    name = lambda q: Pitch(midi=q).nameWithOctave if q else None  # noqa: E731
    bad, approach = 0, collections.Counter()
    for seed in range(args.first, args.stop):
        ((_, parallels),) = planned_close.closes(path, seeds=[seed])
        piece = ts.harmonize(path, style="chorale", seed=seed).piece
        strike = max(n.onset for n in piece.tracks[0].notes)

        def sounding(track, x):
            return next((n.pitch for n in track.notes if n.onset <= x + 1e-6 < n.onset + n.duration), None)

        approach[Pitch(midi=sounding(piece.tracks[3], strike - 0.01)).name] += 1
        if parallels:
            bad += 1
            times = (strike - 1.01, strike - 0.51, strike - 0.01, strike)
            print(seed, parallels, [tuple(name(sounding(t, x)) for x in times) for t in piece.tracks])
    print(f"in parallels: {bad} of {args.stop - args.first}; the bass before the final chord: {dict(approach)}")


if __name__ == "__main__":
    main()
