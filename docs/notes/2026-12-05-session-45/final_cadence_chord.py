"""The chord before a piece's last chord (the songwriter's "final cadences with no dominant"): its
root as a degree of the key (V, IV, vi, ii, I or other), for real folk tunes with chords (a
split, their last chord on the tonic) and for those tunes' first 8 bars continued by 8 new bars.

    python docs/notes/2026-12-05-session-45/final_cadence_chord.py N [--split valid] [--style folk]"""

from __future__ import annotations

import sys
from collections import Counter

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.evaluation.musicality import first_bars
from tunesmith.harmony import parse_chord
from tunesmith.score import pitch_class_of

DEGREES = {0: "I", 7: "V", 5: "IV", 9: "vi", 2: "ii", 4: "iii", 10: "bVII"}


def before_last(piece, tonic_pc: int) -> str | None:
    chords = [c for c in sorted(piece.chords, key=lambda c: c.onset)]
    figures = []
    for c in chords:
        try:
            root = parse_chord(c.figure)[0]
        except ValueError:
            continue
        if not figures or figures[-1] != root:
            figures.append(root)
    if len(figures) < 2 or figures[-1] != tonic_pc:
        return None
    return DEGREES.get((figures[-2] - tonic_pc) % 12, "other")


def main():
    n = int(sys.argv[1])
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "valid"
    style = sys.argv[sys.argv.index("--style") + 1] if "--style" in sys.argv else "folk"
    model = tunesmith.load_model("default")
    real, cont = Counter(), Counter()
    done = 0
    for p in load_corpus().filter(split=split, style=style):
        if done >= n:
            break
        if p.melody() is None or len(p.chords) < 8 or p.key is None or len(p.bars()) < 17:
            continue
        tonic = pitch_class_of(p.key.tonic)
        r = before_last(p, tonic)
        if r is None:
            continue
        real[r] += 1
        first = 1 if p.pickup_beats() else 0
        given = first_bars(p, first + 8)  # its first 8 full bars, as a musician gives them
        try:
            take = tunesmith.continue_(given, bars=8, seed=done, model=model, contrast=False)
        except ValueError:
            continue
        cont[before_last(take.piece, tonic) or "no tonic close"] += 1
        done += 1
    for name, c in (("real", real), ("continued", cont)):
        total = sum(c.values())
        print(f"{split} {style} {name:9s} {total}: " + " ".join(f"{k} {v / total:.2f}" for k, v in c.most_common()))


if __name__ == "__main__":
    main()
