"""How often a chord whose root lies a fifth above the next chord's is written as a dominant (a
major triad or a dominant seventh: D7 -> G in C, A7 -> Dm, E7 -> Am, C7 -> F), per degree of
the key, where the key's own chord on that degree is minor (II, III, VI) or major (I, before IV);
real tunes against takes. A secondary dominant turns the key's minor chord major: II -> V's V.

    python docs/notes/2026-12-05-session-48/secondary_dominants.py --source billboard --split train
    python docs/notes/2026-12-05-session-48/secondary_dominants.py --source openewld --split train
    python docs/notes/2026-12-05-session-48/secondary_dominants.py --load runs/s48/pop.pkl
"""

from __future__ import annotations

import argparse
import collections
import pickle
from pathlib import Path

from tunesmith.harmony import parse_chord

DOMINANT = {"", "7", "9", "13", "7b9", "7#9", "7sus4", "9sus4", "7#5", "aug"}
DEGREES = {2: "II", 4: "III", 9: "VI", 0: "I", 11: "VII"}


def counts(pieces) -> dict:
    """{degree: [times the chord before a fifth-down move was the key's own, times it was dominant]}"""
    out = collections.defaultdict(lambda: [0, 0])
    for p in pieces:
        k = p.key
        if k is None or (k.mode or "major") != "major":
            continue
        parsed = []
        for c in sorted(p.chords, key=lambda c: c.onset):
            try:
                parsed.append(parse_chord(c.figure)[:2])
            except ValueError:
                parsed.append(None)
        for a, b in zip(parsed, parsed[1:]):
            if a is None or b is None or (a[0] - b[0]) % 12 != 7:
                continue
            d = (a[0] - k.tonic_pc) % 12
            if d not in DEGREES:
                continue
            if d == 0:  # I before IV: the key's own I is major; its dominant is I7
                own, dom = a[1] in ("", "maj7", "6", "add9", "maj9", "69"), a[1] in ("7", "9", "13", "7#9", "7b9")
            else:
                own, dom = a[1] in ("m", "m7", "m9", "m6", "m11", "dim", "m7b5"), a[1] in DOMINANT
            if own or dom:
                out[DEGREES[d]][dom] += 1
    return out


def report(name: str, table: dict) -> None:
    print(name + ": " + ", ".join(f"{d} {v[1] / max(sum(v), 1):.2f} of {sum(v)}" for d, v in sorted(table.items())))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", default=None)
    ap.add_argument("--split", default="train")
    ap.add_argument("--load", default=None)
    a = ap.parse_args()
    if a.load:
        reals, takes = pickle.loads(Path(a.load).read_bytes())
        report("real", counts(reals))
        report("takes", counts(takes))
        return 0
    from tunesmith.corpus import load_corpus

    ps = [p for p in load_corpus(None).filter(split=a.split, style="pop") if a.source is None or p.source == a.source]
    report(f"pop {a.split} {a.source or ''} ({len(ps)})", counts(ps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
