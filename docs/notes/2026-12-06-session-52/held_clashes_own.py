"""Melody notes of a beat or more held against the chord the take names over them: on a major
chord's minor third (G over E major; not a dominant seventh's sharp ninth), or on a plain major
triad's tritone (C# over G, B over F), in composed takes without --chords (the harmonizer's or the
composer's chords), per 100 notes of a beat or more, and the takes holding any; seeds 0..N-1 in
the keys C, G, F and A minor by turns, 16 bars.

    python docs/notes/2026-12-06-session-52/held_clashes_own.py STYLE N [--real]

`--real`: the same over the valid split's pieces of the style with chord symbols.
"""

from __future__ import annotations

import sys

import tunesmith as ts
from tunesmith.harmony import QUALITIES, parse_chord

KEYS = ("C", "G", "F", "A minor")


def held_clashes(piece) -> tuple[int, int, int]:
    """(notes of a beat or more, on a major chord's minor third, on a major triad's tritone)."""
    chords = sorted(piece.chords, key=lambda c: c.onset)
    long = third = tritone = 0
    for n in piece.melody().notes:
        if n.duration < 1.0 - 1e-6:
            continue
        long += 1
        now = [c for c in chords if c.onset <= n.onset + 1e-6]
        if not now:
            continue
        root, quality, _ = parse_chord(now[-1].figure)
        intervals = set(QUALITIES[quality])
        rel = (n.pitch - root) % 12
        third += rel == 3 and 4 in intervals and 3 not in intervals and 10 not in intervals
        tritone += rel == 6 and intervals == {0, 4, 7}
    return long, third, tritone


def main() -> int:
    style, n = sys.argv[1], int(sys.argv[2])
    if "--real" in sys.argv:
        from tunesmith.corpus import load_corpus

        pieces = [p for p in load_corpus(None).filter(split="valid", style=style) if p.chords and p.melody() is not None]
        tot, with_any = [0, 0, 0], 0
        for p in pieces:
            got = held_clashes(p)
            tot = [a + b for a, b in zip(tot, got)]
            with_any += (got[1] + got[2]) > 0
        print(f"{style} valid pieces ({len(pieces)}): on a major chord's minor third {100 * tot[1] / tot[0]:.2f} per 100 "
              f"notes of a beat or more, on a major triad's tritone {100 * tot[2] / tot[0]:.2f}; pieces with any {with_any}")
        return 0
    model = ts.load_model("default")
    tot = [0, 0, 0]
    takes_with = 0
    for seed in range(n):
        got = held_clashes(ts.compose(style, key=KEYS[seed % 4], bars=16, seed=seed, model=model, check=False).piece)
        tot = [a + b for a, b in zip(tot, got)]
        takes_with += (got[1] + got[2]) > 0
    print(f"{style}: {tot[0]} notes of a beat or more; on a major chord's minor third {100 * tot[1] / tot[0]:.2f} per 100, "
          f"on a major triad's tritone {100 * tot[2] / tot[0]:.2f} per 100; takes with any {takes_with} of {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
