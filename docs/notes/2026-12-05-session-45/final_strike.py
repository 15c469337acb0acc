"""Where the last melody note is struck in its bar (the songwriter's "final tonic a quarter on the
last beat"): on the downbeat, on another beat, or off the beat; and its length. Real folk tunes
(a split, by meter) against composed folk takes in the same meters (seeds 0..N-1) and continued
tunes (the split's tunes' first 8 bars given, 8 new bars).

    python docs/notes/2026-12-05-session-45/final_strike.py N [--split valid] [--meters 3/4,4/4]"""

from __future__ import annotations

import contextlib
import sys
from collections import Counter

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.evaluation.musicality import first_bars


def strike(piece) -> str:
    melody = piece.melody()
    last = max(melody.notes, key=lambda x: x.onset)
    # on the tokenizer's grid of twelfths of a beat (the Irish set's bar lines lie a MIDI tick late)
    onset = round(last.onset * 12) / 12
    bars = [round(b * 12) / 12 for b in piece.bars()]
    start = max(b for b in bars if b <= onset + 1e-6)
    ts = piece.time_signature
    beat = 1.5 if ts.denominator == 8 and ts.numerator % 3 == 0 else 4 / ts.denominator
    pos = (onset - start) / beat
    if abs(pos) < 1e-3:
        return "downbeat"
    return "other beat" if abs(pos - round(pos)) < 1e-3 else "off the beat"


def main():
    n = int(sys.argv[1])
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "valid"
    meters = (sys.argv[sys.argv.index("--meters") + 1] if "--meters" in sys.argv else "3/4,4/4,6/8,2/4").split(",")
    model = tunesmith.load_model("default")
    for meter in meters:
        real, composed, continued = Counter(), Counter(), Counter()
        k = 0
        for p in load_corpus().filter(split=split, style="folk"):
            ts = p.time_signature
            if k >= n:
                break
            if p.melody() is None or f"{ts.numerator}/{ts.denominator}" != meter or len(p.bars()) < 17:
                continue
            real[strike(p)] += 1
            first = 1 if p.pickup_beats() else 0
            given = first_bars(p, first + 8)  # its first 8 full bars, as a musician gives them
            with contextlib.suppress(ValueError):  # a tune whose bar lines co-create refuses
                continued[strike(tunesmith.continue_(given, bars=8, seed=k, model=model, contrast=False).piece)] += 1
            composed[strike(tunesmith.compose("folk", meter=meter, seed=k, model=model, check=False).piece)] += 1
            k += 1
        for name, c in (("real", real), ("composed", composed), ("continued", continued)):
            total = sum(c.values())
            print(f"{split} folk {meter} {name:9s} {total:3d}: " + " ".join(
                f"{w} {c[w] / max(total, 1):.2f}" for w in ("downbeat", "other beat", "off the beat")))


if __name__ == "__main__":
    main()
