"""Session 70: notes outside the key that follow one another in one voice of a four-part chorale
(E-flat then C-sharp in a G-major bass), per 100 beats and voice, and of those the pairs a whole
tone or more apart (no chromatic step: the tangle), for Bach's valid chorales and composed 8-bar
chorales in the census's keys (seeds from `--seed-base`).

    .venv/bin/python docs/notes/2026-12-07-session-70/chromatic_pairs.py [--takes 96] [--seed-base 3000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import tunesmith as ts

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-07-session-68"))
from chromatic_moves import VOICES, key_pcs  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromatic_neighbours import bach_chorales, composed_chorales  # noqa: E402


def pairs(piece, pcs: set[int]) -> tuple[list[int], list[int]]:
    """Per voice: (successive notes both outside the key, of those a whole tone or more apart)."""
    both, apart = [], []
    for track in piece.tracks[:4]:
        p = [n.pitch for n in sorted(track.notes, key=lambda n: n.onset)]
        out = [(a, b) for a, b in zip(p, p[1:]) if a != b and a % 12 not in pcs and b % 12 not in pcs]
        both.append(len(out))
        apart.append(sum(abs(a - b) >= 2 for a, b in out))
    return both, apart


def report(name: str, pieces_keys) -> None:
    beats = sum(p.duration() for p, _ in pieces_keys)
    both, apart = [0] * 4, [0] * 4
    for p, (tonic, mode) in pieces_keys:
        b, a = pairs(p, key_pcs(tonic, mode))
        both = [x + y for x, y in zip(both, b)]
        apart = [x + y for x, y in zip(apart, a)]
    fmt = lambda xs: " ".join(f"{100 * x / beats:.2f}" for x in xs)  # noqa: E731
    print(f"{name} ({len(pieces_keys)}, {beats:.0f} beats), per 100 beats {'/'.join(VOICES)}: two outside the key "
          f"in a row {fmt(both)}; of those a tone or more apart {fmt(apart)}", flush=True)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--takes", type=int, default=96)
    ap.add_argument("--seed-base", type=int, default=3000)
    args = ap.parse_args()
    report("Bach, valid", bach_chorales())
    report("composed", composed_chorales(ts.load_model("default"), args.takes, args.seed_base))


if __name__ == "__main__":
    main()
