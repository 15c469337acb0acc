"""Session 70: chromatic neighbour notes in four-part chorales. Per voice, the figures x y x where
y is a semitone from x and outside the key (`chromatic_moves.key_pcs`: major, its scale; minor,
the natural minor with its raised 6th and 7th): an upper neighbour (y above x: C D-flat C in G
major) or a lower one (x below: C B-sharp... as spelled, C B C with B outside the key), per 100
beats, for Bach's valid chorales and composed 8-bar chorales in the census's keys (seeds from
`--seed-base`) and, with `--sopranos`, Bach's valid sopranos harmonized, and the share of their
notes outside the key.

    .venv/bin/python docs/notes/2026-12-07-session-70/chromatic_neighbours.py [--takes 48] [--seed-base 3000]
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import tunesmith as ts
from tunesmith.corpus import load_corpus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-07-session-68"))
from chromatic_moves import KEYS, VOICES, key_pcs  # noqa: E402


def neighbours(piece, pcs: set[int]) -> tuple[list[int], list[int], list[int], list[int]]:
    """Per voice: (upper chromatic neighbours, lower ones, notes outside the key, notes)."""
    upper, lower, outside, notes = [], [], [], []
    for track in piece.tracks[:4]:
        p = [n.pitch for n in sorted(track.notes, key=lambda n: n.onset)]
        up = sum(a == c and b - a == 1 and b % 12 not in pcs for a, b, c in zip(p, p[1:], p[2:]))
        down = sum(a == c and a - b == 1 and b % 12 not in pcs for a, b, c in zip(p, p[1:], p[2:]))
        upper.append(up)
        lower.append(down)
        outside.append(sum(x % 12 not in pcs for x in p))
        notes.append(len(p))
    return upper, lower, outside, notes


def report(name: str, pieces_keys) -> None:
    beats = sum(p.duration() for p, _ in pieces_keys)
    tot = [[0] * 4 for _ in range(4)]
    for p, (tonic, mode) in pieces_keys:
        for row, vals in zip(tot, neighbours(p, key_pcs(tonic, mode))):
            for v in range(4):
                row[v] += vals[v]
    up = " ".join(f"{100 * x / beats:.2f}" for x in tot[0])
    down = " ".join(f"{100 * x / beats:.2f}" for x in tot[1])
    out = " ".join(f"{x / max(n, 1):.3f}" for x, n in zip(tot[2], tot[3]))
    print(f"{name} ({len(pieces_keys)}, {beats:.0f} beats), per 100 beats {'/'.join(VOICES)}: upper chromatic "
          f"neighbours {up}; lower {down}; notes outside the key {out}", flush=True)  # fmt: skip


def bach_chorales() -> list:
    """(piece, (tonic, mode)) of Bach's valid chorales in four parts, major or minor."""
    return [(p, (p.key.tonic, p.key.mode)) for p in load_corpus(None).filter(split="valid", style="chorale")
            if len(p.tracks) >= 4 and p.key and p.key.mode in ("major", "minor")]  # fmt: skip


def composed_chorales(model, n: int, seed_base: int) -> list:
    """(piece, (tonic, mode)) of `n` composed 8-bar chorales in the census's keys in turn."""
    takes = []
    for i in range(n):
        tonic, mode = KEYS[i % len(KEYS)]
        piece = ts.compose("chorale", key=tonic, mode=mode, bars=8, seed=seed_base + i, model=model, check=False).piece
        takes.append((piece, (tonic, mode)))
    return takes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--takes", type=int, default=48)
    ap.add_argument("--seed-base", type=int, default=3000)
    ap.add_argument("--sopranos", type=int, default=0, help="also harmonize so many valid sopranos (seed base + i)")
    args = ap.parse_args()
    bach = bach_chorales()
    report("Bach, valid", bach)
    model = ts.load_model("default")
    report("composed", composed_chorales(model, args.takes, args.seed_base))
    if args.sopranos:
        sung = []
        for i, (chorale, key) in enumerate(bach[: args.sopranos]):
            soprano = copy.deepcopy(chorale)
            soprano.tracks = soprano.tracks[:1]
            sung.append((ts.harmonize(soprano, style="chorale", seed=args.seed_base + i, model=model).piece, key))
        report("Bach, the same sopranos", bach[: args.sopranos])
        report("harmonized", sung)


if __name__ == "__main__":
    main()
