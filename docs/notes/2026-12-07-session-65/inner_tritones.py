"""The alto's and tenor's melodic tritones in the first 40 JSB validation sopranos harmonized (seed
3000 + i): each one, where it falls (in the last two beats, "close"; across a fermata; else "mid")
and whether on a beat.

    .venv/bin/python docs/notes/2026-12-07-session-65/inner_tritones.py
"""

from __future__ import annotations

import collections
import copy

import tunesmith as ts
from tunesmith.corpus import load_corpus

NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def main() -> None:
    chorales = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][:40]
    counts = collections.Counter()
    for i, chorale in enumerate(chorales):
        soprano = copy.deepcopy(chorale)
        soprano.tracks = soprano.tracks[:1]
        piece = ts.harmonize(soprano, style="chorale", seed=3000 + i).piece
        end = max(n.onset for n in piece.tracks[0].notes)
        for voice, name in ((1, "alto"), (2, "tenor")):
            notes = sorted(piece.tracks[voice].notes, key=lambda n: n.onset)
            for a, b in zip(notes, notes[1:]):
                if abs(a.pitch - b.pitch) != 6:
                    continue
                where = (
                    "close"
                    if b.onset >= end - 2
                    else "after a fermata"
                    if any(a.onset <= f < b.onset for f in piece.fermatas)
                    else "mid"
                )
                on = "off the beat" if b.onset % 1 else "on a beat"
                print(f"{i} {name} {a.onset:g} {NAMES[a.pitch % 12]}{a.pitch // 12 - 1} -> {b.onset:g} "
                      f"{NAMES[b.pitch % 12]}{b.pitch // 12 - 1} ({where}, {on})")  # fmt: skip
                counts[(name, where, on)] += 1
    print(dict(counts))


if __name__ == "__main__":
    main()
