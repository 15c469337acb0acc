"""Session 59: what the musicality classifier tells takes from real pieces by. The takes and the
real pieces of `evaluate_musicality.py` (one style, one seed, the valid split), then the
classifier (`metrics.c2st`: logistic regression on Yang & Lerch's features) on each group of
features alone and on all groups but one, and the single features that differ most (Cohen's d,
with the real and take means).

    python docs/notes/2026-12-06-session-59/what_tells_takes.py STYLE [MODEL] [PER_STYLE] [SEED] [shippable]

`shippable`: only the held-out pieces whose licenses may ship (`evaluate_musicality.py
--shippable-only`: the sources the shipped model learned from). `bach`: Bach's own chorale scores
in music21's corpus (read as `evaluate_musicality.py --real chorale=DIR` reads them), not the JSB
grid, which merges a repeated note into a held one.
"""

import sys
from pathlib import Path

import numpy as np

from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched, real_pieces
from tunesmith.inference import load_numpy_model
from tunesmith.metrics.c2st import cross_validated_accuracy, feature_vector
from tunesmith.metrics.yang_lerch import NOTE_LENGTH_CLASSES
from tunesmith.pretrained import DEFAULT_MODEL_DIR

PC = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
LEN = [name for name, _ in NOTE_LENGTH_CLASSES]
NAMES = (["pitch count"] + [f"PCH {p}" for p in PC] + [f"PCTM {a}->{b}" for a in PC for b in PC]
         + ["pitch range", "mean interval", "note count", "mean IOI"] + [f"NLH {n}" for n in LEN]
         + [f"NLTM {a}->{b}" for a in LEN for b in LEN])  # fmt: skip
GROUPS = {"pitch count": [0], "PCH": range(1, 13), "PCTM": range(13, 157), "range": [157], "interval": [158],
          "note count": [159], "IOI": [160], "NLH": range(161, 173), "NLTM": range(173, 317)}  # fmt: skip


def main(style: str, model_dir: str = "default", per_style: int = 120, seed: int = 0, which: str = "all") -> None:
    model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR if model_dir == "default" else model_dir)
    corpus = load_corpus(None)
    test = {style: list(corpus.filter(split="valid", style=style, shippable=True if which == "shippable" else None))}
    if which == "bach":
        sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
        from evaluate_musicality import read_real

        from tunesmith.corpus.sources import music21_corpus_dir

        test[style] = read_real(style, [str(music21_corpus_dir() / "bach")], [])[0]
    config = MusicalityConfig(per_style=int(per_style), seed=int(seed))
    reals = real_pieces(test, style, config.per_style, config.seed)
    cut = length_matched(reals, style, config.max_bars)
    takes = compose_like(model, tok, reals, style, config)
    xr = np.stack([feature_vector(p) for p in cut])
    xt = np.stack([feature_vector(p) for p in takes])
    x = np.concatenate([xr, xt])
    y = np.array([0] * len(xr) + [1] * len(xt))
    acc = lambda cols: cross_validated_accuracy(x[:, list(cols)], y, folds=5, seed=config.seed)[0]  # noqa: E731
    every = list(range(x.shape[1]))
    print(f"{style}: {len(xr)} real, {len(xt)} takes; all features {acc(every):.3f}")
    for name, cols in GROUPS.items():
        rest = [c for c in every if c not in set(cols)]
        print(f"  {name:12s} alone {acc(cols):.3f}   all but it {acc(rest):.3f}")
    sd = np.sqrt((xr.var(0) + xt.var(0)) / 2)
    d = np.where(sd > 0, (xt.mean(0) - xr.mean(0)) / np.where(sd > 0, sd, 1), 0)
    print("  largest differences (Cohen's d, take - real):")
    for i in np.argsort(-np.abs(d))[:20]:
        print(f"    {NAMES[i]:28s} d {d[i]:+.2f}  real {xr[:, i].mean():.4f}  takes {xt[:, i].mean():.4f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
