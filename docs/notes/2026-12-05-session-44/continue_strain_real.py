"""`continue_strain.py` on real tunes: the valid split's AABB folk tunes of 32 bars without a pickup,
their first 16 bars (the A strain twice) given, 8 new bars continued (a contrasting strain by
default); the new notes at the A strain's places against the tune's own B strain's.

    python docs/notes/2026-12-05-session-44/continue_strain_real.py N [--penalty P]"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import numpy as np

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.sampling import automaton

sys.path.insert(0, str(Path(__file__).resolve().parent))
from strain_contrast import shared  # noqa: E402


def main():
    n = int(sys.argv[1])
    if "--penalty" in sys.argv:
        automaton.CONTRAST_ECHO_PENALTY = float(sys.argv[sys.argv.index("--penalty") + 1])
    model = tunesmith.load_model("default")
    takes, real = [], []
    for p in load_corpus().filter(split="valid", style="folk"):
        if len(takes) >= n:
            break
        if p.melody() is None or p.pickup_beats():
            continue
        bars = p.bars()
        if len(bars) != 32 or shared(p, bars, 0, 8, 8) < 0.9:
            continue
        real.append(shared(p, bars, 0, 16, 8))
        given = copy.deepcopy(p)
        cut = bars[16]
        for t in given.tracks:
            t.notes = [x for x in t.notes if x.onset < cut - 1e-6]
        given.chords = [c for c in given.chords if c.onset < cut - 1e-6]
        given.end, given.bar_onsets = cut, bars[:16] if p.bar_onsets else p.bar_onsets
        take = tunesmith.continue_(given, bars=8, seed=len(takes), model=model).piece
        takes.append(shared(take, take.bars(), 0, 16, 8))
    print(f"{len(takes)} valid AABB tunes {' '.join(sys.argv[2:])}: continued strain's notes at the A strain's places "
          f"{np.mean(takes):.3f}; the tunes' own B strains {np.mean(real):.3f}")


if __name__ == "__main__":
    main()
