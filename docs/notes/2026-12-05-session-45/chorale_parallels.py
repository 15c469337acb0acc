"""Consecutive fifths and octaves in composed chorales (the chorale director's "octaves get through
the filter"): per 100 beats, note to note in every pair of voices (`metrics.harmony_rules`), for
composed chorales (seeds 0..N-1, keys and meters as given) against Bach's (a split).

    python docs/notes/2026-12-05-session-45/chorale_parallels.py N [--meter 4/4] [--split valid]"""

from __future__ import annotations

import sys
from pathlib import Path

from tunesmith.corpus.store import load_corpus
from tunesmith.metrics.harmony_rules import count_parallel_fifths, count_parallel_octaves

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chorale_sets import composed_chorales  # noqa: E402


def rates(pieces) -> tuple[float, float, int]:
    fifths = octaves = beats = 0
    for p in pieces:
        fifths += count_parallel_fifths(p)
        octaves += count_parallel_octaves(p)
        beats += p.duration()  # quarter beats
    return 100 * fifths / beats, 100 * octaves / beats, len(pieces)


def main():
    n = int(sys.argv[1])
    meter = sys.argv[sys.argv.index("--meter") + 1] if "--meter" in sys.argv else "4/4"
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "valid"
    bach = [p for p in load_corpus().filter(split=split, style="chorale") if len(p.tracks) == 4]
    takes = composed_chorales(n, (meter,))
    for name, pieces in (("Bach " + split, bach), (f"composed {meter}", takes)):
        f, o, k = rates(pieces)
        print(f"{name:14s} {k:3d} pieces: parallel fifths {f:.2f}, octaves {o:.2f} per 100 quarter beats")


if __name__ == "__main__":
    main()
