"""A fresh classifier tells takes composed over real tunes' chords from those tunes (their first 16
bars, the melody: `metrics.c2st`, 5 folds, 0.5 = cannot), as `nonchord_motion.py` takes them.

    python docs/notes/2026-12-05-session-42/given_chords_c2st.py STYLE SPLIT N [--shippable] [--seeds 0,1,2]

Each seed draws other takes (seed*1000 + i) and other folds."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import tunesmith
from tunesmith.metrics.c2st import c2st
from tunesmith.tokenizer import spell_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-04-session-41"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from given_chords_form import first_bars  # noqa: E402
from real_chords import tunes_and_chords  # noqa: E402


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    args = sys.argv[4:]
    seeds = [int(s) for s in args[args.index("--seeds") + 1].split(",")] if "--seeds" in args else [0]
    jobs = tunes_and_chords(style, split, n, shippable="--shippable" in args)
    model = tunesmith.load_model("default")
    tunes = []
    for piece, _figures, _meter, bars, _scale in jobs:
        end = piece.bars()[bars] if len(piece.bars()) > bars else piece.duration()
        tunes.append(first_bars(piece, end))
    accs = []
    for seed in seeds:
        takes = [tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic), meter=meter, bars=bars, chords=figures,
                                   seed=seed * 1000 + i, model=model, check=False).piece
                 for i, (piece, figures, meter, bars, _scale) in enumerate(jobs)]  # fmt: skip
        accs.append(c2st(tunes, takes, folds=5, seed=seed)["accuracy"])
    print(f"{style} {split}: {len(jobs)} tunes; classifier {np.mean(accs):.3f} +- {np.std(accs):.3f} "
          f"({', '.join(f'{a:.3f}' for a in accs)})", flush=True)


if __name__ == "__main__":
    main()
