"""Folk asked in 2/2 or 2/4 without a dance, against the shippable training tunes written in that
meter, and against `--dance reel`: notes a bar, and the share of pieces holding a note of two beats
(quarter notes) or more before their last bar.

    python docs/notes/2026-12-05-session-42/cut_time.py METER N [--dance reel] [--split train]"""

from __future__ import annotations

import sys

import numpy as np

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.licenses import may_ship
from tunesmith.tokenizer import spell_name


def figures(piece, bars=None):
    starts = piece.bars()
    bars = bars or len(starts)
    end = starts[bars - 1] if bars <= len(starts) else piece.duration()  # before the last bar
    notes = [n for n in piece.melody().notes if n.onset < end]
    long = any(n.duration >= 2.0 - 1e-6 for n in notes)
    return len(notes) / max(1, bars - 1), long


def main():
    meter, n = sys.argv[1], int(sys.argv[2])
    args = sys.argv[3:]
    dance = args[args.index("--dance") + 1] if "--dance" in args else None
    split = args[args.index("--split") + 1] if "--split" in args else "train"
    tunes = []
    for piece in load_corpus().filter(split=split, style="folk"):
        ts = piece.time_signature
        if f"{ts.numerator}/{ts.denominator}" == meter and may_ship(piece.license) and piece.melody() is not None \
                and piece.keys and len(piece.bars()) >= 8:
            tunes.append(piece)
    real = [figures(p, min(16, len(p.bars()))) for p in tunes]
    print(f"folk {split} tunes in {meter} (shippable): {len(tunes)}; notes a bar {np.mean([r[0] for r in real]):.2f}, "
          f"holding two beats or more {np.mean([r[1] for r in real]):.2f}")
    model = tunesmith.load_model("default")
    got = []
    for i, piece in enumerate(tunes[:n]):
        take = tunesmith.compose(style="folk", key=spell_name(piece.keys[0].tonic), mode=piece.keys[0].mode, meter=meter,
                                 bars=16, seed=i, model=model, check=False, dance=dance)
        got.append(figures(take.piece, 16))
    print(f"  takes ({len(got)}{', dance ' + dance if dance else ''}): notes a bar {np.mean([g[0] for g in got]):.2f}, "
          f"holding two beats or more {np.mean([g[1] for g in got]):.2f}")


if __name__ == "__main__":
    main()
