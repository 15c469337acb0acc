"""A harmonized bass striking its pitch again: in the first N JSB validation sopranos (four parts,
seed 3000 + i), how many bass notes strike the note before's pitch at once, and of them how many
on a bar line, with the soprano, and the note before's length; `--penalty P` sets
`feedback.BASS_RESTRIKE_LENGTH_PENALTY`.

    .venv/bin/python docs/notes/2026-12-07-session-64/bass_restrikes.py 20 [--penalty 4]
"""

from __future__ import annotations

import argparse
import collections
import copy

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.sampling import feedback


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--penalty", type=float, default=None)
    args = ap.parse_args()
    if args.penalty is not None:
        feedback.BASS_RESTRIKE_LENGTH_PENALTY = args.penalty
    bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
    counts = collections.Counter()
    for i in range(args.n):
        soprano = copy.deepcopy(bach[i])
        soprano.tracks = soprano.tracks[:1]
        piece = ts.harmonize(soprano, style="chorale", seed=3000 + i).piece
        bass = sorted(piece.track("bass").notes, key=lambda n: n.onset)
        bar_lines = {round(b, 3) for b in piece.bars()}
        for a, b in zip(bass, bass[1:]):
            if a.pitch == b.pitch and abs(a.onset + a.duration - b.onset) < 1e-6:
                counts["struck again"] += 1
                counts["on a bar line"] += round(b.onset, 3) in bar_lines
                counts["with the soprano"] += any(abs(n.onset - b.onset) < 1e-6 for n in piece.tracks[0].notes)
                counts[f"note before {a.duration:g} beats"] += 1
    print(dict(counts))


if __name__ == "__main__":
    main()
