"""How much a continuation's new strain repeats the given strain: the share of the new bars' notes
(pitch and place in the bar) that the given strain's bar at the same place holds, and the new
strain's highest note against the given strain's, for `continue FILE --bars B` takes.

    python docs/notes/2026-12-05-session-44/continue_strain.py FILE BARS N [--contrast on|off]"""

from __future__ import annotations

import sys

import numpy as np

import tunesmith


def main():
    path, bars, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    contrast = None
    if "--contrast" in sys.argv:
        contrast = sys.argv[sys.argv.index("--contrast") + 1] == "on"
    model = tunesmith.load_model("default")
    shares, lifts = [], []
    for s in range(n):
        take = tunesmith.continue_(path, bars=bars, seed=s, model=model, contrast=contrast)
        p = take.piece
        starts = p.bars()
        given = len(starts) - bars
        first = 1 if p.pickup_beats() else 0
        same = total = 0
        for k in range(bars):
            a, b = first + k % max(given - first, 1), given + k
            end_a = starts[a + 1] if a + 1 < len(starts) else p.duration()
            end_b = starts[b + 1] if b + 1 < len(starts) else p.duration()
            na = {(round(x.onset - starts[a], 3), x.pitch) for x in p.melody().notes if starts[a] - 1e-6 <= x.onset < end_a - 1e-6}
            nb = {(round(x.onset - starts[b], 3), x.pitch) for x in p.melody().notes if starts[b] - 1e-6 <= x.onset < end_b - 1e-6}
            same += len(na & nb)
            total += len(nb)
        shares.append(same / max(total, 1))
        old = [x.pitch for x in p.melody().notes if x.onset < starts[given] - 1e-6]
        new = [x.pitch for x in p.melody().notes if x.onset >= starts[given] - 1e-6]
        lifts.append(np.mean(new) - np.mean(old))
    print(f"continue {path} --bars {bars}, {n} takes {' '.join(sys.argv[4:])}: new notes at the given strain's places "
          f"{np.mean(shares):.3f} (over 0.6: {np.mean(np.array(shares) > 0.6):.2f}); mean pitch lifted {np.mean(lifts):+.2f}")


if __name__ == "__main__":
    main()
