"""The harmonized bass's leaps of a seventh or past the octave per 100 beats (the measure of
tests/test_part_writing.py::test_harmonized_basses_leap_no_seventh_to_reach_their_planned_root),
over the first N JSB validation sopranos (seed i), with session 65's rules switched one by one.

    .venv/bin/python docs/notes/2026-12-07-session-65/bass_wide_leaps.py 12 [--no-leave]
        [--no-suspensions] [--no-approach] [--no-singable]
"""

from __future__ import annotations

import argparse
import copy

import tunesmith as ts
import tunesmith.sampling.part_writing as rules
from tunesmith import voice_leading
from tunesmith.corpus import load_corpus
from tunesmith.sampling import endings, suspensions


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--no-leave", action="store_true")
    ap.add_argument("--no-suspensions", action="store_true")
    ap.add_argument("--no-approach", action="store_true")
    ap.add_argument("--no-singable", action="store_true")
    args = ap.parse_args()
    voice_leading.BASS_LEAVES_A_STRUCK_PITCH = not args.no_leave
    suspensions.PLANNED_SUSPENSION_GAIN = 0.0 if args.no_suspensions else suspensions.PLANNED_SUSPENSION_GAIN
    endings.APPROACH_CHORD_COMPLETE = not args.no_approach
    rules.SINGABLE_OVER_THE_PLAN = not args.no_singable
    chorales = [c for c in load_corpus(None).filter(split="valid", source="jsb") if len(c.tracks) >= 4][: args.n]
    leaps = beats = 0.0
    for i, chorale in enumerate(chorales):
        soprano = copy.deepcopy(chorale)
        soprano.tracks = soprano.tracks[:1]
        piece = ts.harmonize(soprano, style="chorale", seed=i).piece
        bass = [n.pitch for n in sorted(piece.track("bass").notes, key=lambda n: n.onset)]
        leaps += sum(abs(b - a) in (10, 11) or abs(b - a) > 12 for a, b in zip(bass, bass[1:]))
        beats += piece.duration()
    print(f"{args.n} sopranos: {int(leaps)} wide bass leaps, {100 * leaps / beats:.2f} per 100 beats")


if __name__ == "__main__":
    main()
