"""Session 60: the lowest melody note of the shippable training folk tunes, per key tonic (pitch
class), as ten deciles (the 5th, 15th, ... 95th percentile): what `sampling.request.MELODY_FLOORS`
holds, each take drawing one as its floor. Tonics with fewer than MIN tunes are left out (no floor).

    python docs/notes/2026-12-06-session-60/folk_floors.py [MIN]
"""

import collections
import sys

import numpy as np

from tunesmith.corpus import load_corpus
from tunesmith.licenses import may_ship


def main(minimum: int = 50) -> None:
    lows = collections.defaultdict(list)
    for p in load_corpus(None).filter(split="train", style="folk"):
        if not may_ship(str(p.license)) or p.key is None or p.melody() is None or not p.melody().notes:
            continue
        lows[p.key.tonic_pc].append(min(n.pitch for n in p.melody().notes))
    for pc, v in sorted(lows.items(), key=lambda kv: -len(kv[1])):
        deciles = tuple(int(round(x)) for x in np.percentile(v, np.arange(5, 100, 10), method="nearest"))
        mark = "" if len(v) >= minimum else "  (too few: no floor)"
        print(f"{pc:>2}: {len(v):>4} tunes, below D4 {np.mean(np.array(v) < 62):.3f}, deciles {deciles}{mark}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
