"""How a dance tune's strain restates its opening in its second phrase: per 8-bar strain (the
first A and the first B of 32-bar AABB tunes), whether bar 5 repeats bar 1's first half (pitches
and rhythm), the whole of bar 1, and bars 5-6 the whole of bars 1-2; the shippable training dance
tunes (4/4, 6/8, 2/4, 3/4; no pickup handling beyond bars as read) against `--dance` takes. A
folk-song scholar had found bar 5 restating bar 1's first half in 9 of 20 takes (real 176 of 231).

    python docs/notes/2026-12-06-session-54/bar5_restates.py N
"""

from __future__ import annotations

import sys
from collections import Counter

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.licenses import may_ship

DANCES = {"reel": ("4/4", "2/2"), "jig": ("6/8",), "hornpipe": ("4/4",), "polka": ("2/4",), "waltz": ("3/4",)}


def bar_notes(piece, starts, b, half=False):
    s = starts[b]
    e = starts[b + 1] if b + 1 < len(starts) else piece.duration()
    if half:
        e = s + (e - s) / 2
    return tuple((n.pitch, round(n.onset - s, 4), round(min(n.duration, e - n.onset), 4))
                 for n in piece.melody().notes if s - 1e-6 <= n.onset < e - 1e-6)


def restates(piece) -> Counter:
    c = Counter()
    starts = piece.bars()
    if piece.pickup_beats():
        starts = starts[1:]
    for first in (0, 16):  # the first A and the first B (bars 1 and 17)
        if first + 6 > len(starts) - 1:
            continue
        c["strains"] += 1
        c["half bar"] += bar_notes(piece, starts, first + 4, True) == bar_notes(piece, starts, first, True) != ()
        c["bar"] += bar_notes(piece, starts, first + 4) == bar_notes(piece, starts, first) != ()
        c["two bars"] += (bar_notes(piece, starts, first + 4) == bar_notes(piece, starts, first) != ()
                          and bar_notes(piece, starts, first + 5) == bar_notes(piece, starts, first + 1))  # fmt: skip
    return c


def shares(c: Counter) -> dict:
    return {k: round(c[k] / max(1, c["strains"]), 3) for k in ("half bar", "bar", "two bars")} | {"strains": c["strains"]}


def main() -> None:
    n = int(sys.argv[1])
    real: Counter = Counter()
    for p in load_corpus(None).filter(style="folk", split="train"):
        meter = f"{p.time_signature.numerator}/{p.time_signature.denominator}"
        if may_ship(p.license) and p.melody() and any(meter in m for m in DANCES.values()) and len(p.bars()) >= 32:
            real += restates(p)
    print("real", shares(real))
    model = tunesmith.load_model("default")
    for dance in DANCES:
        c: Counter = Counter()
        for s in range(n):
            c += restates(tunesmith.compose("folk", dance=dance, seed=s, model=model, check=False).piece)
        print(dance, shares(c))


if __name__ == "__main__":
    main()
