"""Jazz harmony in takes against jazz tunes: the share of chord changes that are a ii-V (a minor
chord, then a dominant seventh a fourth above), and of chords that are sevenths (any quality with
a 7th), per piece averaged. Takes: `tunesmith.compose(style="jazz")` under the keys and lengths of
the shippable training tunes (the data the shipped model learned from); real: those training
tunes, and the held-out test split (shippable and not).

    python docs/notes/2026-12-04-session-38/jazz_chords.py [N] ['{"temperature": 1.0}' ...]

Each JSON argument after N: compose's keyword arguments for one more row of takes.
"""

from __future__ import annotations

import json
import sys

import numpy as np

import tunesmith
from tunesmith.corpus import load_corpus
from tunesmith.harmony import parse_chord


def changes(piece) -> list[tuple[int, str]]:
    """(root pitch class, quality) per chord, repeats of the same chord merged."""
    out: list[tuple[int, str]] = []
    for c in piece.chords:
        try:
            root, quality = parse_chord(c.figure)[:2]
        except (ValueError, TypeError):
            continue
        if root is None:
            continue
        if not out or out[-1] != (root, quality):
            out.append((root % 12, str(quality)))
    return out


def is_minor(q: str) -> bool:
    return q.startswith("m") and not q.startswith("maj")


def is_dominant(q: str) -> bool:
    return q in ("7", "9", "13", "7b9", "7#9", "7b5", "7#5", "11", "7sus4", "dom7")


def measure(pieces) -> dict:
    ii_v, sevenths, per_bar = [], [], []
    for p in pieces:
        ch = changes(p)
        if len(ch) < 4:
            continue
        per_bar.append(len(ch) / max(1, p.n_bars))
        pairs = list(zip(ch, ch[1:]))
        ii_v.append(np.mean([is_minor(a[1]) and is_dominant(b[1]) and (b[0] - a[0]) % 12 == 5 for a, b in pairs]))
        sevenths.append(np.mean(["7" in q or "9" in q or "13" in q or "6" in q for _, q in ch]))
    return {"pieces": len(ii_v), "ii_V_share_of_changes": round(float(np.mean(ii_v)), 3),
            "seventh_chord_share": round(float(np.mean(sevenths)), 3),
            "chord_changes_per_bar": round(float(np.mean(per_bar)), 3)}  # fmt: skip


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 48
    corpus = load_corpus(None)
    train = [p for p in corpus.filter(split="train", style="jazz", shippable=True) if p.chords]
    held = [p for p in corpus.filter(split="test", style="jazz") if p.chords]
    print("shippable training jazz", measure(train))
    print("held-out test jazz", measure(held))
    for options in [{}] + [json.loads(a) for a in sys.argv[2:]]:
        rng = np.random.default_rng(0)
        takes = []
        for i in range(n):
            src = train[int(rng.integers(len(train)))]
            key = src.keys[0] if src.keys else None
            take = tunesmith.compose("jazz", key=key.tonic if key else None, mode=key.mode if key else None,
                                     bars=min(32, max(8, src.n_bars)), seed=i, check=False, **options)  # fmt: skip
            takes.append(take.piece)
        print("takes", options or "(defaults)", measure(takes))


if __name__ == "__main__":
    main()
