"""A four-part bass striking its pitch again, sorted by what happens around it: in the first N JSB
validation sopranos harmonized (seed 3000 + i), and in Bach's own settings of them, each bass note
that strikes the note before's pitch at once is classed by whether the four voices' pitch classes
at the new note are those at the note before's onset (the same chord) or not, whether it falls on
a bar line, on a beat or off it, and whether the soprano strikes with it.

    .venv/bin/python docs/notes/2026-12-07-session-65/restrike_kinds.py 20 [--penalty 4]
"""

from __future__ import annotations

import argparse
import collections
import copy

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.sampling import feedback


def sounding(piece, t: float) -> frozenset[int]:
    return frozenset(
        n.pitch % 12 for tr in piece.tracks[:4] for n in tr.notes if n.onset - 1e-6 <= t < n.onset + n.duration - 1e-6
    )


def classify(piece, counts: collections.Counter) -> int:
    bass = sorted(piece.tracks[3].notes, key=lambda n: n.onset)
    soprano_onsets = {round(n.onset, 3) for n in piece.tracks[0].notes}
    bar_lines = {round(b, 3) for b in piece.bars()}
    for a, b in zip(bass, bass[1:]):
        if a.pitch != b.pitch or abs(a.onset + a.duration - b.onset) > 1e-6:
            continue
        same = sounding(piece, a.onset) == sounding(piece, b.onset)
        where = (
            "bar line"
            if round(b.onset, 3) in bar_lines
            else ("beat" if abs(b.onset - round(b.onset)) < 1e-6 else "off beat")
        )
        sop = "soprano strikes" if round(b.onset, 3) in soprano_onsets else "soprano holds"
        counts["all"] += 1
        counts[("same chord" if same else "chord changes")] += 1
        counts[("same chord" if same else "chord changes", where)] += 1
        counts[("same chord" if same else "chord changes", sop)] += 1
        counts[("before", a.duration)] += 1
    end = max(n.onset + n.duration for n in piece.tracks[0].notes)
    return int(round(end))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--penalty", type=float, default=None)
    ap.add_argument("--seed-base", type=int, default=3000)
    args = ap.parse_args()
    if args.penalty is not None:
        feedback.BASS_RESTRIKE_LENGTH_PENALTY = args.penalty
    bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
    ours, theirs = collections.Counter(), collections.Counter()
    beats_ours = beats_bach = 0
    for i in range(args.n):
        soprano = copy.deepcopy(bach[i])
        soprano.tracks = soprano.tracks[:1]
        piece = ts.harmonize(soprano, style="chorale", seed=args.seed_base + i).piece
        beats_ours += classify(piece, ours)
        beats_bach += classify(bach[i], theirs)
    for name, c, beats in (("harmonized", ours, beats_ours), ("Bach", theirs, beats_bach)):
        print(f"{name}: {beats} beats, {c['all']} restrikes ({100 * c['all'] / beats:.1f} per 100 beats)")
        for k, v in sorted(c.items(), key=lambda kv: str(kv[0])):
            if k != "all":
                print(f"   {k}: {v}")


if __name__ == "__main__":
    main()
