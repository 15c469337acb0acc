"""How long folk tunes' last melody note lasts, by meter: the shippable training split's tunes (as
`FINAL_LENGTH_SHARES` counts them: quarter notes, rounded down to its lengths), and the share
ending on a quarter note or less.

    python docs/notes/2026-12-05-session-45/final_length_by_meter.py [SPLIT]"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict

from tunesmith.corpus.store import load_corpus
from tunesmith.licenses import may_ship

LENGTHS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0)


def main():
    split = sys.argv[1] if len(sys.argv) > 1 else "train"
    by_meter: dict[str, Counter] = defaultdict(Counter)
    for p in load_corpus().filter(split=split, style="folk"):
        if split == "train" and not may_ship(p.license):
            continue
        m = p.melody()
        if m is None or not m.notes:
            continue
        last = max(m.notes, key=lambda x: x.onset)
        length = max([x for x in LENGTHS if x <= last.duration + 1e-3], default=0.5)
        ts = p.time_signature
        by_meter[f"{ts.numerator}/{ts.denominator}"][length] += 1
    for meter, c in sorted(by_meter.items(), key=lambda kv: -sum(kv[1].values())):
        n = sum(c.values())
        if n < 20:
            continue
        shares = " ".join(f"{k:g}:{c[k] / n:.2f}" for k in LENGTHS)
        print(f"{split} folk {meter:5s} {n:5d} tunes; last note {shares}; a quarter or less {(c[0.5] + c[1.0]) / n:.2f}")


if __name__ == "__main__":
    main()
