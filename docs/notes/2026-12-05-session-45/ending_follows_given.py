"""Does a tune whose first 8 bars end with a note struck on a downbeat also end so? Real folk tunes
(a split, by meter): the share striking their last note on the downbeat, for those whose first 8
bars' last note is struck on a downbeat and for the others (what `continue` may read from the
given music). Also composed and continued takes with `--takes N`.

    python docs/notes/2026-12-05-session-45/ending_follows_given.py [SPLIT]"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from final_strike import strike  # noqa: E402

from tunesmith.corpus.store import load_corpus  # noqa: E402


def given_ends_on_downbeat(p) -> bool | None:
    bars = [round(b * 12) for b in p.bars()]
    first = 1 if p.pickup_beats() else 0
    if len(bars) < first + 10:
        return None
    cut = bars[first + 8]
    notes = [round(x.onset * 12) for x in p.melody().notes if round(x.onset * 12) < cut]
    return bool(notes) and max(notes) in bars


def main():
    split = sys.argv[1] if len(sys.argv) > 1 else "valid"
    c: dict = defaultdict(Counter)
    for p in load_corpus().filter(split=split, style="folk"):
        if p.melody() is None or not p.melody().notes:
            continue
        g = given_ends_on_downbeat(p)
        if g is None:
            continue
        ts = p.time_signature
        c[f"{ts.numerator}/{ts.denominator}", g][strike(p) == "downbeat"] += 1
    for (meter, g), k in sorted(c.items()):
        n = k[True] + k[False]
        if n >= 5:
            print(f"{split} folk {meter:5s} bar 8's last note on a downbeat: {g!s:5s} {n:4d} tunes, "
                  f"last note on the downbeat {k[True] / n:.2f}")


if __name__ == "__main__":
    main()
