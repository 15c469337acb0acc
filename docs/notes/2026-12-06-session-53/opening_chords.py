"""Harmonized JSB test sopranos: is the first chord (where all four voices first sound) a complete
triad (root, third and fifth, or a seventh chord with its third)? Bach's own beside them.

    python docs/notes/2026-12-06-session-53/opening_chords.py [--n 40]
"""
import argparse
import copy

import tunesmith as ts
from tunesmith.corpus import default_cache_dir, load_corpus

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, default=40)
args = ap.parse_args()


def has_third(pcs: set[int]) -> bool:
    """Some tone of `pcs` is a root whose major or minor third is there too, and its fifth or seventh."""
    return any(((r + 3) % 12 in pcs or (r + 4) % 12 in pcs) and ((r + 7) % 12 in pcs or (r + 6) % 12 in pcs or (r + 10) % 12 in pcs)
               for r in pcs)


def opening(piece) -> set[int]:
    starts = [t.notes[0].onset for t in piece.tracks if t.notes]
    at = max(starts)
    return {n.pitch % 12 for t in piece.tracks for n in t.notes if n.onset <= at + 1e-6 < n.onset + n.duration}


c = load_corpus(default_cache_dir())
chorales = [p for p in c.pieces() if p.style == "chorale" and p.split == "test" and len(p.tracks) == 4][: args.n]
bach = takes = 0
for p in chorales:
    bach += has_third(opening(p))
    soprano = copy.deepcopy(p)
    soprano.tracks = soprano.tracks[:1]
    takes += has_third(opening(ts.harmonize(soprano, style="chorale", seed=0).piece))
print(f"{len(chorales)} JSB test chorales: opening chord complete, Bach {bach}, harmonized {takes}")
