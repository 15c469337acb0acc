"""Classifier two-sample test (C2ST): can a classifier tell real pieces from generated ones?

Reference: David Lopez-Paz and Maxime Oquab, "Revisiting classifier two-sample tests", ICLR 2017.
A classifier is trained to separate the two samples; its accuracy on held-out data is the
statistic: about 0.5 when the samples come from the same distribution, up to 1.0 when they are
trivially separable. Under the null hypothesis the number of correct held-out predictions is
Binomial(n, 1/2), which gives the p-value.

Here: each piece becomes `feature_vector(piece)` (the Yang & Lerch 2018 features of
`yang_lerch`, transition matrices normalized to sum 1 so that length only enters through the
note count), the two sets are balanced by a seeded random subsample of the larger one, and an
L2-regularized logistic regression (fitted by L-BFGS on features standardized with the training
fold's mean and std) is evaluated by stratified k-fold cross-validation; every piece is predicted
once, by the model that did not see it, and the accuracy pools all folds. Pooling folds makes the
binomial p-value approximate (the folds' models differ), unlike the paper's single split.

`explain` says what the classifier tells the sets apart by: its accuracy on each group of
features alone and on all groups but one, and the single features whose means differ most
(Cohen's d). Session 59 read it for every style: folk and pop takes were told mostly by their note
lengths (too many eighths, too few sixteenths and triplets), which no pitch measure shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import optimize, stats

from tunesmith.metrics import yang_lerch as yl
from tunesmith.score import Piece

_PITCH_CLASSES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_LENGTHS = tuple(name for name, _ in yl.NOTE_LENGTH_CLASSES)
# the name of each number of `feature_vector`, in its order, and the groups they form
FEATURE_NAMES: tuple[str, ...] = (
    "pitch count",
    *(f"PCH {p}" for p in _PITCH_CLASSES),
    *(f"PCTM {a}->{b}" for a in _PITCH_CLASSES for b in _PITCH_CLASSES),
    "pitch range",
    "mean interval",
    "note count",
    "mean IOI",
    *(f"NLH {n}" for n in _LENGTHS),
    *(f"NLTM {a}->{b}" for a in _LENGTHS for b in _LENGTHS),
)
FEATURE_GROUPS: dict[str, range] = {
    "pitch count": range(0, 1), "pitch classes (PCH)": range(1, 13), "pitch-class moves (PCTM)": range(13, 157),
    "pitch range": range(157, 158), "mean interval": range(158, 159), "note count": range(159, 160),
    "mean IOI": range(160, 161), "note lengths (NLH)": range(161, 173), "note-length moves (NLTM)": range(173, 317),
}  # fmt: skip


def feature_vector(piece: Piece, track: str = "melody") -> np.ndarray:
    """Concatenated Yang-Lerch features: PC, PCH(12), PCTM(144, normalized), PR, PI, NC, IOI,
    NLH(12), NLTM(144, normalized) = 317 numbers."""
    parts = [
        [yl.pitch_count(piece, track)],
        yl.pitch_class_histogram(piece, track),
        yl.pitch_class_transition_matrix(piece, track, normalize=True).ravel(),
        [yl.pitch_range(piece, track)],
        [yl.avg_pitch_interval(piece, track)],
        [yl.note_count(piece, track)],
        [yl.avg_ioi(piece, track)],
        yl.note_length_histogram(piece, track),
        yl.note_length_transition_matrix(piece, track, normalize=True).ravel(),
    ]
    return np.concatenate([np.asarray(p, dtype=float) for p in parts])


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> tuple[np.ndarray, float]:
    """Weights and bias minimizing mean log-loss + l2/(2n) |w|^2 (bias unpenalized), by L-BFGS."""
    n, d = x.shape

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:d], params[d]
        z = x @ w + b
        # log(1 + exp(-y' z)) with y' in {-1, +1}, computed stably
        s = 2 * y - 1
        m = -s * z
        value = np.logaddexp(0, m).mean() + 0.5 * l2 / n * (w @ w)
        sig = 1 / (1 + np.exp(-m))  # d/dm log(1+e^m)
        g = -s * sig / n
        return value, np.concatenate([x.T @ g + l2 / n * w, [g.sum()]])

    res = optimize.minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B")
    return res.x[:d], float(res.x[d])


def _standardize(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = train.mean(0)
    std = train.std(0)
    std[std == 0] = 1.0
    return (train - mean) / std, (test - mean) / std


def cross_validated_accuracy(
    x: np.ndarray, y: np.ndarray, *, folds: int = 5, seed: int = 0, l2: float = 1.0
) -> tuple[float, int]:
    """(accuracy, number correct) of logistic regression under stratified k-fold CV."""
    rng = np.random.default_rng(seed)
    fold_of = np.empty(len(y), dtype=int)
    for label in (0, 1):
        idx = np.flatnonzero(y == label)
        rng.shuffle(idx)
        fold_of[idx] = np.arange(len(idx)) % folds
    correct = 0
    for k in range(folds):
        test = fold_of == k
        if not test.any() or test.all():
            continue
        xtr, xte = _standardize(x[~test], x[test])
        w, b = fit_logistic(xtr, y[~test], l2)
        pred = (xte @ w + b) > 0
        correct += int((pred == (y[test] == 1)).sum())
    return correct / len(y), correct


def balanced(real: Sequence[Piece], generated: Sequence[Piece], seed: int) -> tuple[list[Piece], list[Piece]]:
    """The two sets at the size of the smaller: the larger one subsampled (a seeded draw, kept in
    order), so that neither class wins by being the more common."""
    real, generated = list(real), list(generated)
    m = min(len(real), len(generated))
    rng = np.random.default_rng(seed)
    if len(real) > m:
        real = [real[i] for i in sorted(rng.choice(len(real), m, replace=False))]
    elif len(generated) > m:
        generated = [generated[i] for i in sorted(rng.choice(len(generated), m, replace=False))]
    return real, generated


def c2st(
    real: Sequence[Piece],
    generated: Sequence[Piece],
    *,
    folds: int = 5,
    seed: int = 0,
    l2: float = 1.0,
    balance: bool = True,
    track: str = "melody",
) -> dict[str, float]:
    """Classifier two-sample test: {"accuracy", "p_value", "n_real", "n_generated"} (Lopez-Paz &
    Oquab 2017). Needs at least `folds` pieces in each set (after balancing)."""
    real, generated = balanced(real, generated, seed) if balance else (list(real), list(generated))
    if min(len(real), len(generated)) < folds:
        raise ValueError(f"c2st needs at least {folds} pieces in each set, got {len(real)} and {len(generated)}")
    x = np.stack([feature_vector(p, track) for p in real + generated])
    y = np.array([0] * len(real) + [1] * len(generated))
    accuracy, correct = cross_validated_accuracy(x, y, folds=folds, seed=seed, l2=l2)
    p_value = float(stats.binomtest(correct, len(y), 0.5, alternative="greater").pvalue) if len(y) else math.nan
    return {"accuracy": accuracy, "p_value": p_value, "n_real": float(len(real)), "n_generated": float(len(generated))}


def c2st_accuracy(real: Sequence[Piece], generated: Sequence[Piece], **kwargs) -> float:
    """Held-out accuracy of `c2st` alone."""
    return c2st(real, generated, **kwargs)["accuracy"]


def cohens_d(real: np.ndarray, generated: np.ndarray) -> np.ndarray:
    """Per column, (mean of `generated` - mean of `real`) / pooled standard deviation
    (sqrt of the mean of the two variances); 0 where both columns are constant."""
    sd = np.sqrt((real.var(0) + generated.var(0)) / 2)
    diff = generated.mean(0) - real.mean(0)
    return np.divide(diff, sd, out=np.zeros_like(diff), where=sd > 0)


def explain(
    real: Sequence[Piece],
    generated: Sequence[Piece],
    *,
    folds: int = 5,
    seed: int = 0,
    l2: float = 1.0,
    top: int = 8,
    track: str = "melody",
) -> dict[str, Any]:
    """What `c2st` tells the two sets apart by:
    - "accuracy": the classifier's held-out accuracy on every feature (`c2st`'s own);
    - "groups": per group of `FEATURE_GROUPS`, {"alone": the accuracy on that group's features
      alone, "without": on every other group's};
    - "differences": the `top` features with the largest |Cohen's d| (`cohens_d`, generated minus
      real), each {"feature", "d", "real", "generated"} (the last two: the sets' means).
    The sets are balanced and the folds drawn as `c2st` draws them."""
    if min(len(real), len(generated)) < folds:
        raise ValueError(f"explain needs at least {folds} pieces in each set, got {len(real)} and {len(generated)}")
    real, generated = balanced(real, generated, seed)
    xr = np.stack([feature_vector(p, track) for p in real])
    xg = np.stack([feature_vector(p, track) for p in generated])
    x, y = np.concatenate([xr, xg]), np.array([0] * len(xr) + [1] * len(xg))
    every = np.arange(x.shape[1])

    def accuracy(columns: np.ndarray) -> float:
        return cross_validated_accuracy(x[:, columns], y, folds=folds, seed=seed, l2=l2)[0]

    groups = {name: {"alone": accuracy(np.array(cols)), "without": accuracy(np.setdiff1d(every, cols))}
              for name, cols in FEATURE_GROUPS.items()}  # fmt: skip
    d = cohens_d(xr, xg)
    order = np.argsort(-np.abs(d), kind="stable")[:top]
    differences = [{"feature": FEATURE_NAMES[i], "d": float(d[i]), "real": float(xr[:, i].mean()),
                    "generated": float(xg[:, i].mean())} for i in order if d[i] != 0]  # fmt: skip
    return {"accuracy": accuracy(every), "groups": groups, "differences": differences}
