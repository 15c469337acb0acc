"""Session 61: how long folk takes sit on the tonic chord. For N shippable Nottingham training
tunes with chord symbols, per mode family, a 16-bar take is composed under each tune's header (key,
mode, meter; seed = its index) and compared with the tune's first 16 bars as played (after any
pickup): the share of chord time on the tonic chord, and the melody's time on the tonic and on the
tonic triad.

    python docs/notes/2026-12-07-session-61/tonic_chord_time.py [--n 30] [--prior-correction BETA]

`--prior-correction` sets the folk harmonizer's label-prior correction for the takes (decoding.json
"chords_prior_correction"; 0 is the setting before session 61).
"""

import argparse
import random
from collections import defaultdict

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.harmony import parse_chord
from tunesmith.licenses import may_ship
from tunesmith.metrics._common import melody_line


def degree_time(notes, tonic_pc):
    h = np.zeros(12)
    for n in notes:
        h[(n.pitch - tonic_pc) % 12] += n.duration
    return h / max(h.sum(), 1e-9)


def tonic_chord_time(piece, tonic_pc, end=None):
    chords = sorted((c for c in piece.chords if end is None or c.onset < end), key=lambda c: c.onset)
    total = on = 0.0
    for c, nxt in zip(chords, [*chords[1:], None]):
        length = (nxt.onset if nxt else (end if end is not None else piece.duration())) - c.onset
        try:
            root, _, _ = parse_chord(c.figure)
        except ValueError:
            continue
        total += length
        on += length * ((root - tonic_pc) % 12 == 0)
    return on / total if total else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--prior-correction", type=float, default=None)
    args = ap.parse_args()
    model = ts.load_model("default")
    if args.prior_correction is not None:
        model.model.decoding["folk"]["chords_prior_correction"] = args.prior_correction
    for mode in ("minor", "major"):
        tunes = [p for p in load_corpus(None).filter(style="folk", split="train")
                 if p.source == "nottingham" and may_ship(str(p.license)) and p.key is not None and p.key.mode == mode
                 and len(p.keys) == 1 and p.chords and melody_line(p)]  # fmt: skip
        random.Random(0).shuffle(tunes)
        rows = defaultdict(list)
        for i, p in enumerate(tunes[: args.n]):
            bars = list(p.bars())[1:] if p.pickup_beats() else list(p.bars())
            if len(bars) < 17:
                continue
            meter = f"{p.time_signature.numerator}/{p.time_signature.denominator}"
            take = ts.compose(
                "folk", key=p.key.tonic, mode=mode, meter=meter, bars=16, seed=i, model=model, check=False
            )
            third = 3 if mode == "minor" else 4
            for who, piece, end in (("tunes", p, bars[16]), ("takes", take.piece, None)):
                h = degree_time([n for n in melody_line(piece) if end is None or n.onset < end], p.key.tonic_pc)
                rows[f"{who}: tonic chord time"].append(tonic_chord_time(piece, p.key.tonic_pc, end))
                rows[f"{who}: melody on the tonic"].append(h[0])
                rows[f"{who}: melody on the tonic triad"].append(h[0] + h[third] + h[7])
        n = len(rows["tunes: tonic chord time"])
        print(f"{mode}, {n} tunes: " + "; ".join(
            f"{k} {np.mean([v for v in vs if v is not None]):.3f}" for k, vs in sorted(rows.items())))  # fmt: skip


if __name__ == "__main__":
    main()
