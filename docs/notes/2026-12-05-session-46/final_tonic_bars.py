"""Where a lead sheet's final tonic chord starts: in its last bar, on the downbeat of the bar before
(or later in it), or earlier; for the shippable training tunes of a style and for N composed takes.

    python docs/notes/2026-12-05-session-46/final_tonic_bars.py STYLE [STYLE ...] [--takes N]"""

from __future__ import annotations

import bisect
import sys
from collections import Counter

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.harmony import parse_chord
from tunesmith.score import pitch_class_of


def where(piece) -> str | None:
    tonic = pitch_class_of(piece.key.tonic)
    roots = []
    for c in sorted(piece.chords, key=lambda c: c.onset):
        try:
            roots.append((parse_chord(c.figure)[0], c.onset))
        except ValueError:
            continue
    if len(roots) < 2 or roots[-1][0] != tonic:
        return None
    i = len(roots) - 1
    while i > 0 and roots[i - 1][0] == tonic:
        i -= 1
    if i == 0:
        return None
    start, bars = roots[i][1], piece.bars()
    b = bisect.bisect_right(bars, start + 1e-6) - 1
    back = len(bars) - 1 - b
    if back == 0:
        return "last bar"
    if back == 1:
        return "bar before, downbeat" if abs(start - bars[b]) < 1e-6 else "bar before, later"
    return "earlier"


def show(name: str, found: Counter) -> None:
    total = sum(found.values()) or 1
    print(f"{name} {sum(found.values())}: " + ", ".join(f"{k} {v / total:.3f}" for k, v in found.most_common()))


def main() -> None:
    args = sys.argv[1:]
    n = int(args[args.index("--takes") + 1]) if "--takes" in args else 60
    styles = [a for a in args if a in ("folk", "pop", "jazz")]
    model = tunesmith.load_model("default")
    for style in styles:
        show(f"{style} tunes", Counter(w for p in load_corpus().filter(split="train", style=style, shippable=True)
                                       if p.melody() is not None and len(p.chords) >= 4 and p.key is not None
                                       and (w := where(p))))  # fmt: skip
        show(f"{style} composed", Counter(w for s in range(n) if (w := where(tunesmith.compose(style, seed=s, model=model).piece))))


if __name__ == "__main__":
    main()
