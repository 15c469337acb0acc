"""The shipped `pickup_hint` (shifts in half beats) against a variant that may also shift by a
quarter beat (a dotted-eighth pickup) where that beats every half-beat shift by `margin`, on real
tunes whose pickups are known, their bar lines removed (as `scripts/pickup_hint_report.py`), and
on Schumann's Dichterliebe no. 2 written as MIDI by music21 (a dotted-eighth pickup).

    python docs/notes/2026-12-04-session-38/pickup_steps.py [valid|test] [margin ...]
"""

from __future__ import annotations

import copy
import sys
import tempfile
from collections import Counter
from pathlib import Path

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.inputs import pickup
from tunesmith.score import STYLES


def hint_with_quarter_beats(piece, margin: float) -> float | None:
    """`pickup_hint`, except that a shift by an odd quarter beat replaces the half-beat one where
    its `metric_fit` is `margin` higher than the bars as read and every half-beat shift."""
    shipped = pickup.pickup_hint(piece)
    melody = piece.melody()
    if piece.bar_onsets or len(piece.time_signatures) > 1 or melody is None or len(melody.notes) < 8:
        return shipped
    ts_ = piece.time_signature
    half = pickup._half_beat(ts_)
    coarse = max([pickup.metric_fit(piece, 0.0)] + [pickup.metric_fit(piece, k * half) for k in range(1, round(ts_.bar_length / half))])
    finer = [(2 * k + 1) * half / 2 for k in range(round(ts_.bar_length / half))]
    fine = max(finer, key=lambda s: pickup.metric_fit(piece, s))
    if pickup.metric_fit(piece, fine) < coarse + margin:
        return shipped
    last = melody.notes[-1]
    if pickup._weight(last.onset, ts_) >= 2.0 or pickup._weight(last.onset - fine, ts_) < 2.0:
        return shipped
    return round(fine, 6)


def tally(pieces: list, hint) -> Counter:
    out: Counter = Counter()
    for piece in pieces:
        true = round(piece.pickup_beats(), 6)
        bare = copy.copy(piece)
        bare.bar_onsets = []
        got = hint(bare)
        if true == 0:
            out["no pickup: false hint" if got is not None else "no pickup: no hint"] += 1
        elif got is None:
            out["pickup: no hint"] += 1
        else:
            out["pickup: right value" if abs(got - true) < 1e-6 else "pickup: other value"] += 1
    return out


def main() -> None:
    split = sys.argv[1] if len(sys.argv) > 1 else "valid"
    margins = [float(m) for m in sys.argv[2:]] or [0.1, 1.0]
    corpus = load_corpus(None)
    for style in STYLES:
        pieces = [p for p in corpus.filter(split=split, style=style)
                  if len(p.time_signatures) == 1 and p.melody() is not None
                  and not str(p.path).lower().endswith((".mid", ".midi"))]  # fmt: skip
        print(split, style, "shipped:", dict(sorted(tally(pieces, pickup.pickup_hint).items())))
        for m in margins:
            print(split, style, f"quarter beats at margin {m}:",
                  dict(sorted(tally(pieces, lambda p, m=m: hint_with_quarter_beats(p, m)).items())))
    from music21 import corpus as m21corpus

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dichterliebe_no2.mid"
        m21corpus.parse("schumann_robert/dichterliebe_no2.xml").write("midi", str(path))
        piece = ts.read(path)
        print("Dichterliebe no. 2 as MIDI: shipped", pickup.pickup_hint(piece),
              *(f"margin {m}: {hint_with_quarter_beats(piece, m)}" for m in margins))


if __name__ == "__main__":
    main()
