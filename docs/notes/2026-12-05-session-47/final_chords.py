"""How lead sheets end: the last chord's degree and the last melody note's degree, per style, in
whole real pieces (a split, shippable or all) and in composed takes.

    python docs/notes/2026-12-05-session-47/final_chords.py STYLE [--split train] [--shippable] [--compose N]
"""

from __future__ import annotations

import argparse
import collections
import sys

from tunesmith.harmony import parse_chord

DEGREES = {0: "I", 2: "ii", 4: "iii", 5: "IV", 7: "V", 9: "vi", 10: "bVII", 3: "bIII", 8: "bVI", 11: "vii"}


def ending(piece) -> tuple[str, int] | None:
    k = piece.key
    chords = sorted(piece.chords, key=lambda c: c.onset)
    melody = piece.melody()
    if k is None or not chords or melody is None or not melody.notes:
        return None
    try:
        root = parse_chord(chords[-1].figure)[0]
    except ValueError:
        return None
    last = max(melody.notes, key=lambda n: n.onset)
    return DEGREES.get((root - k.tonic_pc) % 12, "other"), (last.pitch - k.tonic_pc) % 12


def report(name: str, pieces) -> None:
    chords, notes = collections.Counter(), collections.Counter()
    for p in pieces:
        e = ending(p)
        if e:
            chords[e[0]] += 1
            notes[{0: "tonic", 4: "third", 3: "third", 7: "fifth"}.get(e[1], "other")] += 1
    n = sum(chords.values())
    print(f"{name}: {n} pieces; last chord " + ", ".join(f"{k} {v / n:.3f}" for k, v in chords.most_common(6))
          + "; last note " + ", ".join(f"{k} {v / n:.3f}" for k, v in notes.most_common()))  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("style")
    ap.add_argument("--split", default="train")
    ap.add_argument("--shippable", action="store_true")
    ap.add_argument("--compose", type=int, default=0)
    a = ap.parse_args()
    if a.compose:
        import tunesmith

        model = tunesmith.load_model("default")
        keys = ["C", "F", "G", "D", "Bb", "Eb"]
        takes = [tunesmith.compose(style=a.style, key=keys[s % 6], seed=s, model=model, check=False).piece
                 for s in range(a.compose)]  # fmt: skip
        report(f"{a.style} composed, {a.compose} takes", takes)
        return 0
    from tunesmith.corpus import load_corpus

    by_source = collections.defaultdict(list)
    for p in load_corpus(None).filter(split=a.split, style=a.style, shippable=True if a.shippable else None):
        if p.melody() is not None and p.chords:
            by_source[p.source].append(p)
    for source, ps in sorted(by_source.items()):
        report(f"{a.style} {a.split} {source}", ps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
