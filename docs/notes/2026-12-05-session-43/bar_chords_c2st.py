"""A fresh classifier tells takes composed over real tunes' chords as written (a bar of two where
the tune has two, `bar_chords.py`) from those tunes' first bars (`metrics.c2st`, 5 folds, 0.5 =
cannot), as session 42's `given_chords_c2st.py` does for one chord a bar.

    python docs/notes/2026-12-05-session-43/bar_chords_c2st.py STYLE SPLIT N [--shippable] [--seeds 0,1,2]
        [--set TABLE=VALUE(/VALUE) ...]

Each seed draws other takes (seed*1000 + i) and other folds."""

from __future__ import annotations

import copy
import dataclasses
import sys
from pathlib import Path

import numpy as np

import tunesmith
from tunesmith.metrics.c2st import c2st
from tunesmith.tokenizer import spell_name

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bar_chords import apply_sets, tunes_and_bars  # noqa: E402


def window(piece, start, end):
    """The piece's bars from `start` to `end` (quarter notes; after a pickup, from its first whole
    bar), moved to start at 0, as the takes start."""
    out = copy.deepcopy(piece)
    for track in out.tracks:
        track.notes = [dataclasses.replace(n, onset=n.onset - start, duration=min(n.duration, end - n.onset))
                       for n in track.notes if start - 1e-6 <= n.onset < end - 1e-6]  # fmt: skip
    out.chords = [dataclasses.replace(c, onset=c.onset - start) for c in out.chords if start - 1e-6 <= c.onset < end - 1e-6]
    out.end = end - start
    return out


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    args = sys.argv[4:]
    apply_sets(style, args)
    seeds = [int(s) for s in args[args.index("--seeds") + 1].split(",")] if "--seeds" in args else [0]
    jobs = tunes_and_bars(style, split, n, shippable="--shippable" in args)
    model = tunesmith.load_model("default")
    tunes = [window(piece, piece.bars()[start], piece.bars()[start + bars]) for piece, _entries, _meter, bars, start in jobs]
    accs = []
    for seed in seeds:
        takes = [tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic), mode=piece.keys[0].mode, meter=meter,
                                   bars=bars, chords=entries, seed=seed * 1000 + i, model=model, check=False, pickup=0).piece
                 for i, (piece, entries, meter, bars, _start) in enumerate(jobs)]  # fmt: skip
        accs.append(c2st(tunes, takes, folds=5, seed=seed)["accuracy"])
    print(f"{style} {split}: {len(jobs)} tunes {' '.join(args)}; classifier {np.mean(accs):.3f} +- {np.std(accs):.3f} "
          f"({', '.join(f'{a:.3f}' for a in accs)})", flush=True)


if __name__ == "__main__":
    main()
