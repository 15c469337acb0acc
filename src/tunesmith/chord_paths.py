"""The best chord path when a chord's return costs: a second-order Viterbi over chord labels.

A harmonizer's best path (`Harmonizer.decode`) scores each unit's label and each move from one
label to the next. Its plans rocked: in the chorale plans of the JSB validation sopranos a chord
came back after one other (X-Y-X) 1.7 times as often as in Bach's settings, and 0.42 of those went
on to Y again, his 0.21 (docs/notes/2026-12-07-session-67/plan_rock.py). A first-order path
cannot see that a unit's label is the one two units back, so the state here is the pair (label
before, label now), and a label that returns after one unit of another costs `return_cost`.

Each unit's candidates are its `top` best labels: with 96 labels the pairs would be 9,216 a unit;
the labels a path under these costs takes are among each unit's few best (costs of a log-unit or
two move a path only onto labels scored within that of the unit's best).
Why by hand: no library we use decodes a second-order chain with per-unit candidate sets.
"""

from __future__ import annotations

import numpy as np


def best_path(emit: np.ndarray, trans: np.ndarray, start: np.ndarray, *, stay_cost: float = 0.0,
              return_cost: float = 0.0, top: int = 12) -> np.ndarray:  # fmt: skip
    """(units,) the label path maximising start[l0] + sum emit[t, lt] + sum trans[l(t-1), lt]
    - stay_cost * [lt == l(t-1)] - return_cost * [lt == l(t-2) != l(t-1)], over each unit's `top`
    best labels by `emit`. `emit` (units, labels); `trans` (labels, labels); `start` (labels,)."""
    T = len(emit)
    cands, first = _candidates(emit, start, top)
    if T <= 1:
        return np.array([cands[0][int(first.argmax())]] if T else [], np.int64)

    def move(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return trans[np.ix_(a, b)] - stay_cost * (a[:, None] == b[None, :])

    # score[i, j]: the best path ending with cands[t-1][i], cands[t][j]
    score = first[:, None] + move(cands[0], cands[1]) + emit[1, cands[1]][None, :]
    backs = []
    for t in range(2, T):
        a, b, c = cands[t - 2], cands[t - 1], cands[t]
        total = score[:, :, None] - return_cost * _returns(a, b, c)  # (i, j, k)
        back = total.argmax(0)  # (j, k): the best i
        score = np.take_along_axis(total, back[None], 0)[0] + move(b, c) + emit[t, c][None, :]
        backs.append(back)
    i, j = np.unravel_index(int(score.argmax()), score.shape)
    path = [int(cands[T - 1][j]), int(cands[T - 2][i])]
    for t in range(T - 1, 1, -1):
        i, j = int(backs[t - 2][i, j]), i
        path.append(int(cands[t - 2][i]))
    return np.array(path[::-1], np.int64)


def drawn_path(emit: np.ndarray, trans: np.ndarray, start: np.ndarray, rng: np.random.Generator, *,
               return_cost: float = 0.0, top: int = 12) -> np.ndarray:  # fmt: skip
    """(units,) one label path drawn with probability proportional to exp of `best_path`'s score
    (forward filtering over the (label before, label now) pairs, backward sampling), over each
    unit's `top` best labels by `emit`. A stay cost, like a temperature, goes in the arguments."""
    from scipy.special import logsumexp

    T = len(emit)
    cands, first = _candidates(emit, start, top)
    if T <= 1:
        return np.array([cands[0][draw(first, rng)]] if T else [], np.int64)
    alphas = [first[:, None] + trans[np.ix_(cands[0], cands[1])] + emit[1, cands[1]][None, :]]  # (i, j)
    for t in range(2, T):
        a, b, c = cands[t - 2], cands[t - 1], cands[t]
        alphas.append(logsumexp(alphas[-1][:, :, None] - return_cost * _returns(a, b, c), axis=0)
                      + trans[np.ix_(b, c)] + emit[t, c][None, :])  # fmt: skip
    flat = draw(alphas[-1].ravel(), rng)
    i, j = divmod(flat, alphas[-1].shape[1])
    path = [int(cands[T - 1][j]), int(cands[T - 2][i])]
    for t in range(T - 1, 1, -1):
        a, b, c = cands[t - 2], cands[t - 1], cands[t]
        weights = alphas[t - 2][:, i] - return_cost * ((a == c[j]) & (a != b[i]))
        i, j = draw(weights, rng), i
        path.append(int(cands[t - 2][i]))
    return np.array(path[::-1], np.int64)


def _candidates(emit: np.ndarray, start: np.ndarray, top: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Each unit's `top` best labels by `emit` (sorted), and the first unit's scores for them."""
    cands = [np.sort(np.argsort(-row, kind="stable")[: min(top, len(row))]) for row in emit]
    return cands, (start[cands[0]] + emit[0, cands[0]] if cands else np.zeros(0))


def _returns(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """(i, j, k): whether label c[k] after b[j] returns to a[i] (a[i] == c[k] != b[j])."""
    return (a[:, None, None] == c[None, None, :]) & (a[:, None, None] != b[None, :, None])


def draw(logits: np.ndarray, rng: np.random.Generator) -> int:
    """One index drawn with probability proportional to exp(`logits`)."""
    p = np.exp(logits - logits.max())
    p /= p.sum()
    return int(rng.choice(len(p), p=p))
