"""Long notes in reels: per 100 bars, melody notes of a dotted quarter, a half note, and three
beats or more, mid-strain and in a strain's last bar (every 8th bar, and the last), for the
shippable training reels (Nottingham's reel files and tunes titled reel, 4/4 or 2/2, no pickup)
and for `--dance reel` takes; and the takes' share of notes that are eighths.

    python docs/notes/2026-12-05-session-44/reel_long_notes.py N [--penalty P]

`--penalty P` sets `feedback.MID_PHRASE_LONG_NOTE_PENALTIES["reel"]`."""

from __future__ import annotations

import collections
import sys

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.licenses import may_ship
from tunesmith.sampling import feedback


def per_100_bars(pieces) -> tuple[dict, float]:
    c = collections.Counter()
    bars = eighths = notes = 0
    for p in pieces:
        starts = p.bars()
        bars += len(starts)
        for x in p.melody().notes:
            notes += 1
            eighths += abs(x.duration - 0.5) < 1e-6
            if x.duration < 1.5:
                continue
            b = max(i for i, s in enumerate(starts) if s <= x.onset + 1e-6)
            where = "strain end" if b % 8 == 7 or b == len(starts) - 1 else "mid"
            size = "dotted quarter" if x.duration < 2.0 else "half" if x.duration < 3.0 else "3+ beats"
            c[(where, size)] += 1
    return {f"{w} {s}": round(100 * v / bars, 2) for (w, s), v in sorted(c.items())}, eighths / notes


def main():
    n = int(sys.argv[1])
    if "--penalty" in sys.argv:
        feedback.MID_PHRASE_LONG_NOTE_PENALTIES["reel"] = float(sys.argv[sys.argv.index("--penalty") + 1])
    real = [p for p in load_corpus().filter(split="train", style="folk")
            if "reel" in ((p.path or "") + " " + (p.title or "")).lower() and may_ship(p.license) and p.melody() is not None
            and (p.time_signature.numerator, p.time_signature.denominator) in ((4, 4), (2, 2)) and not p.pickup_beats()]
    model = tunesmith.load_model("default")
    takes = [tunesmith.compose("folk", dance="reel", seed=s, model=model, pickup=0, check=False).piece for s in range(n)]
    for name, pieces in (("training reels", real), (f"reel takes {' '.join(sys.argv[2:])}", takes)):
        counts, share = per_100_bars(pieces)
        print(f"{name} ({len(pieces)}): eighth notes {share:.3f}; per 100 bars {counts}")


if __name__ == "__main__":
    main()
