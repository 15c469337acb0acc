"""Where a dominant seventh chord goes next, in real jazz tunes and in takes: the share of
dominant chords (quality 7, 9, 13, 7b9, ...) whose next different chord has its root a fifth below
(V7 -> I), a semitone below (the tritone substitute's resolution), the same root (G7 -> Gm7),
a step above (deceptive, V7 -> vi), or elsewhere.

    python docs/notes/2026-12-05-session-48/dominant_moves.py --split train --shippable
    python docs/notes/2026-12-05-session-48/dominant_moves.py --split valid
    python docs/notes/2026-12-05-session-48/dominant_moves.py --compose 60
"""

from __future__ import annotations

import argparse
import collections

from tunesmith.harmony import parse_chord

DOMINANT = {"7", "9", "13", "7b9", "7#9", "7#11", "7b13", "9sus4", "7sus4", "7#5", "7b5", "aug7", "11"}
MOVES = {5: "down a fifth", 11: "down a semitone", 0: "same root", 2: "up a step", 1: "up a semitone",
         7: "up a fifth", 10: "down a step", 9: "down a third", 3: "up a minor third", 4: "up a third",
         8: "down a major third", 6: "tritone"}


def moves(pieces) -> collections.Counter:
    """{move: count} over dominant chords followed by a different chord."""
    out: collections.Counter = collections.Counter()
    for p in pieces:
        chords = sorted(p.chords, key=lambda c: c.onset)
        parsed = []
        for c in chords:
            try:
                parsed.append(parse_chord(c.figure)[:2])
            except ValueError:
                parsed.append(None)
        for a, b in zip(parsed, parsed[1:]):
            if a is None or b is None or a == b or a[1] not in DOMINANT:
                continue
            out[MOVES[(b[0] - a[0]) % 12]] += 1
    return out


def report(name: str, table: collections.Counter) -> None:
    total = sum(table.values())
    print(f"{name}: {total} dominant chords followed by another chord")
    for move, n in table.most_common():
        print(f"  {move:18s} {n / total:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train")
    ap.add_argument("--style", default="jazz")
    ap.add_argument("--shippable", action="store_true")
    ap.add_argument("--compose", type=int, default=0)
    a = ap.parse_args()
    if a.compose:
        from takes import compose_takes

        takes = compose_takes(a.style, a.compose)
        report(f"{a.style} composed, {a.compose} takes", moves(takes))
        return 0
    from tunesmith.corpus import load_corpus

    ps = [p for p in load_corpus(None).filter(split=a.split, style=a.style, shippable=True if a.shippable else None)
          if p.melody() is not None]  # fmt: skip
    report(f"{a.style} {a.split}{' shippable' if a.shippable else ''} ({len(ps)} tunes)", moves(ps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
