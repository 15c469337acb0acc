"""Composed takes written as ABC with repeat signs and read back: the same notes and chords?

    python docs/notes/2026-12-07-session-62/abc_round_trip.py

Seven requests (folk AABB in D mixolydian, E dorian 4/4, A minor 9/8, G major 3/4; jazz, pop,
chorale), seeds 0-3, the shipped model, the copy guard on as compose runs it. Prints how many takes
were written with repeat signs and how many did not read back note for note.
"""

from __future__ import annotations

import os
import tempfile

import tunesmith as ts
from tunesmith.inputs.abc import read_abc
from tunesmith.outputs.abc import write_abc

REQUESTS = [
    ("folk", dict(key="D", mode="mixolydian", bars=32, form="AABB")),
    ("folk", dict(key="E", mode="dorian", bars=32, meter="4/4")),
    ("folk", dict(key="A", mode="minor", bars=16, meter="9/8")),
    ("jazz", dict(key="Bb", bars=32)),
    ("pop", dict(key="F#", bars=16)),
    ("chorale", dict(key="Eb", bars=8)),
    ("folk", dict(key="G", bars=32, meter="3/4")),
]


def notes(track):
    return [
        (n.pitch, round(n.onset, 3), round(n.duration, 3))
        for n in sorted(track.notes, key=lambda n: (n.onset, n.pitch))
    ]


def main() -> None:
    bad = total = folded = 0
    for style, kw in REQUESTS:
        for seed in range(4):
            piece = ts.compose(style=style, seed=seed, **kw).piece
            with tempfile.TemporaryDirectory() as d:
                path = write_abc(piece, os.path.join(d, "x.abc"), repeats=True)
                folded += ":|" in path.read_text()
                back = read_abc(path, on_error="raise")[0]
            total += 1
            same_notes = all(notes(a) == notes(b) for a, b in zip([t for t in piece.tracks if t.notes], back.tracks))
            same_chords = [(round(c.onset, 3), c.figure) for c in piece.chords] == [
                (round(c.onset, 3), c.figure) for c in back.chords
            ]
            if not (same_notes and same_chords):
                bad += 1
                print("differs:", style, kw, seed)
    print(f"takes {total}, written with repeat signs {folded}, not read back note for note {bad}")


if __name__ == "__main__":
    main()
