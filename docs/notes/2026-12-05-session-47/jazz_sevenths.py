"""How often a jazz lead sheet writes each diatonic triad as a seventh (or sixth) chord: per degree
of the key and triad, the share of that chord's time written with an added tone, in real tunes
and in takes.

    python docs/notes/2026-12-05-session-47/jazz_sevenths.py --split train --shippable
    python docs/notes/2026-12-05-session-47/jazz_sevenths.py --split valid
    python docs/notes/2026-12-05-session-47/jazz_sevenths.py --compose 40
"""

from __future__ import annotations

import argparse
import collections
import sys

from tunesmith.harmony import parse_chord

BASE = {"": "", "6": "", "maj7": "", "7": "", "9": "", "maj9": "", "13": "", "69": "",
        "m": "m", "m6": "m", "m7": "m", "m9": "m", "m11": "m", "dim": "dim", "m7b5": "dim"}
NAMES = {0: "I", 2: "ii", 4: "iii", 5: "IV", 7: "V", 9: "vi", 11: "vii"}
DIATONIC = {"major": {(0, ""), (2, "m"), (4, "m"), (5, ""), (7, ""), (9, "m"), (11, "dim")},
            "minor": {(0, "m"), (2, "dim"), (3, ""), (5, "m"), (7, ""), (8, ""), (10, "")}}


def shares(pieces) -> dict:
    """{(mode, degree, triad): [time as a triad, time with an added tone]}."""
    out = collections.defaultdict(lambda: [0.0, 0.0])
    for p in pieces:
        k = p.key
        mode = (k.mode or "major").lower() if k else None
        if mode not in DIATONIC:
            continue
        chords = sorted(p.chords, key=lambda c: c.onset)
        end = p.duration()
        for a, b in zip(chords, chords[1:] + [None]):
            length = (b.onset if b else end) - a.onset
            try:
                root, quality, bass = parse_chord(a.figure)
            except ValueError:
                continue
            if length <= 0 or quality not in BASE:
                continue
            key = (mode, (root - k.tonic_pc) % 12, BASE[quality])
            if key[1:] not in DIATONIC[mode]:
                continue
            out[key][quality != BASE[quality]] += length
    return out


def report(name: str, table: dict) -> None:
    print(name)
    for key in sorted(table, key=lambda k: (k[0], k[1])):
        triad, added = table[key]
        total = triad + added
        if total:
            print(f"  {key[0]:5s} {NAMES.get(key[1], key[1])!s:4s}{key[2] or ' ':4s} added {added / total:.2f} of {total:.0f} beats")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train")
    ap.add_argument("--shippable", action="store_true")
    ap.add_argument("--compose", type=int, default=0)
    a = ap.parse_args()
    if a.compose:
        import tunesmith

        model = tunesmith.load_model("default")
        keys = ["C", "F", "Bb", "Eb", "G", "D"]
        takes = [tunesmith.compose(style="jazz", key=keys[s % 6], seed=s, model=model, check=False).piece for s in range(a.compose)]
        report(f"jazz composed, {a.compose} takes", shares(takes))
        return 0
    from tunesmith.corpus import load_corpus

    ps = [p for p in load_corpus(None).filter(split=a.split, style="jazz", shippable=True if a.shippable else None)
          if p.melody() is not None]  # fmt: skip
    report(f"jazz {a.split}{' shippable' if a.shippable else ''} ({len(ps)} tunes with a melody)", shares(ps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
