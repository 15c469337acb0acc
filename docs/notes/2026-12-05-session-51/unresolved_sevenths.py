"""Sevenths left other than down a step in harmonized chorales: on each beat whose four sounding
pitches are a seventh chord (dominant, minor, half-diminished or major seventh: `SEVENTHS`), a voice on
its seventh whose next note (struck at or after the next beat where the sonority changes) neither
holds it nor falls a second. Per seventh sounded. Bach's validation chorales (music21 corpus,
research-only, measured) and harmonizations of the first `--n` of their sopranos, both textures.

    python docs/notes/2026-12-05-session-51/unresolved_sevenths.py --n 40
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hymn_texture import harmonized  # noqa: E402

SEVENTHS = ((0, 4, 7, 10), (0, 3, 7, 10), (0, 3, 6, 10), (0, 4, 7, 11))


def unresolved(pieces) -> dict:
    from tunesmith.metrics.harmony_rules import beat_sonorities

    sevenths = left = 0
    for p in pieces:
        beats = beat_sonorities(p)
        for k, now in enumerate(beats[:-1]):
            if now is None or beats[k + 1] is None:
                continue
            pcs = {x % 12 for x in now}
            root = next((r for r in pcs for shape in SEVENTHS if {(r + i) % 12 for i in shape} == pcs), None)
            if root is None or {x % 12 for x in beats[k + 1]} == pcs:
                continue
            for v, x in enumerate(now):
                if (x - root) % 12 in (10, 11):
                    sevenths += 1
                    left += beats[k + 1][v] - x not in (0, -1, -2)
    return {"sevenths": sevenths, "left_otherwise": round(left / max(sevenths, 1), 3)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus

    bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
    print("bach", unresolved(bach))
    for texture in (None, "hymn"):
        print("harmonized", texture or "chorale", unresolved(harmonized(bach[: a.n], texture)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
