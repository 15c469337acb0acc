"""Session 60: where a 32-bar folk tune's B strain sits against its A strain. Shippable tunes of
32 bars (training split by default) against one take each under the tune's header (as
`docs/notes/2026-12-06-session-55/folk_range.py` draws them): the mean melody pitch of bars 17-32
less that of bars 1-16, the span (highest less lowest) of each half and of the whole.

    python docs/notes/2026-12-06-session-60/strain_registers.py [--n 200] [--split train] [--model DIR]
"""

from __future__ import annotations

import argparse
import random

import numpy as np

import tunesmith as ts
from tunesmith.corpus import default_cache_dir, load_corpus
from tunesmith.licenses import may_ship


def halves(piece) -> dict | None:
    bars = list(piece.bars())
    first = 1 if piece.pickup_beats() else 0
    if len(bars) < first + 32:
        return None
    cut = bars[first + 16]
    notes = piece.melody().notes
    a = [n.pitch for n in notes if n.onset < cut - 1e-6]
    b = [n.pitch for n in notes if n.onset >= cut - 1e-6]
    if len(a) < 8 or len(b) < 8:
        return None
    return {
        "lift": float(np.mean(b) - np.mean(a)),
        "span_a": max(a) - min(a),
        "span_b": max(b) - min(b),
        "span": max(a + b) - min(a + b),
        "b_higher_top": max(b) > max(a),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--split", default="train")
    ap.add_argument("--model", default="default")
    args = ap.parse_args()
    reals = [p for p in load_corpus(default_cache_dir()).pieces()
             if p.style == "folk" and p.split == args.split and may_ship(str(p.license)) and p.key is not None
             and p.melody() is not None and len(p.time_signatures) == 1 and len(p.keys) == 1
             and len(p.bars()) - (1 if p.pickup_beats() else 0) == 32]  # fmt: skip
    random.Random(0).shuffle(reals)
    model = ts.load_model(args.model)
    rows = {"real": [], "take": []}
    for i, p in enumerate(reals[: args.n]):
        pick = round(float(p.pickup_beats() or 0.0) * 12) / 12
        meter = f"{p.time_signature.numerator}/{p.time_signature.denominator}"
        take = ts.compose(
            "folk",
            key=p.key.tonic,
            mode=p.key.mode,
            meter=meter,
            bars=32,
            pickup=pick,
            seed=i,
            model=model,
            check=False,
        )
        for who, piece in (("real", p), ("take", take.piece)):
            h = halves(piece)
            if h:
                rows[who].append(h)
    for who, r in rows.items():
        lift = np.array([x["lift"] for x in r])
        print(
            f"{who}: {len(r)} pieces; B less A mean pitch: mean {lift.mean():+.2f}, quartiles "
            f"{np.percentile(lift, [25, 50, 75]).round(2).tolist()}; span A {np.median([x['span_a'] for x in r]):.0f}, "
            f"B {np.median([x['span_b'] for x in r]):.0f}, whole {np.median([x['span'] for x in r]):.0f} (medians); "
            f"B reaches above A's top {np.mean([x['b_higher_top'] for x in r]):.2f}"
        )


if __name__ == "__main__":
    main()
