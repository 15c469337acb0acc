"""The best chord path when a chord's return costs: a second-order Viterbi over chord labels.

A harmonizer's best path (`Harmonizer.decode`) scores each unit's label and each move from one
label to the next. Its plans rocked: in the chorale plans of the JSB validation sopranos a chord
came back to the chord before the last change (X-Y-X) 1.7 times as often as in Bach's settings,
and 0.42 of those went on to Y again, his 0.21 (docs/notes/2026-12-07-session-67/plan_rock.py).
A first-order path cannot see where its chord was before the last change, so the state here is
the pair (the chord before the last change, the chord now), and a change back to the chord before
the last change costs `return_cost` however long the chord between lasted. (Session 67 first
charged a return only after one unit of another. Its plans still went on rocking 0.32 of the time,
over chords held two beats; counted at the change they rock 0.25, Bach 0.21: session 68.)

Each unit's candidates are its `top` best labels: the labels a path under these costs takes are
among each unit's few best (costs of a log-unit or two move a path only onto labels scored within
that of the unit's best). The chord before the last change can be any label, or none yet.
Why by hand: no library we use decodes a second-order chain with per-unit candidate sets.
"""

from __future__ import annotations

import numpy as np


def best_path(emit: np.ndarray, trans: np.ndarray, start: np.ndarray, *, stay_cost: float = 0.0,
              return_cost: float = 0.0, top: int = 12) -> np.ndarray:  # fmt: skip
    """(units,) the label path maximising start[l0] + sum emit[t, lt] + sum trans[l(t-1), lt]
    - stay_cost * [lt == l(t-1)] - return_cost * (the changes to the label before the last
    change), over each unit's `top` best labels by `emit`. `emit` (units, labels); `trans`
    (labels, labels); `start` (labels,)."""
    T, L = emit.shape
    cands, first = _candidates(emit, start, top)
    if T <= 1:
        return np.array([cands[0][int(first.argmax())]] if T else [], np.int64)
    trans = trans - stay_cost * np.eye(L)
    # score[a, k]: the best path ending on cands[t][k] whose chord before its last change is a (L: none)
    score = np.full((L + 1, len(first)), -np.inf)
    score[L] = first
    backs = []  # per unit t >= 1: (the state's chord before the last change at t - 1, its candidate there)
    for t in range(1, T):
        b, c = cands[t - 1], cands[t]
        stay, j_stay, change = _moves(score, b, c, trans, return_cost)
        came_a = np.argmax(change, axis=0)  # (j, k): the best chord before the last change
        best_change = np.take_along_axis(change, came_a[None], 0)[0]  # (j, k)
        new = stay  # (L + 1, k): staying keeps the chord before the last change
        back_a = np.broadcast_to(np.arange(L + 1)[:, None], new.shape).copy()
        back_j = np.broadcast_to(j_stay[None, :], new.shape).copy()
        rows = new[b]  # a change from b[j] makes b[j] the chord before the last change
        wins = best_change > rows
        new[b] = np.where(wins, best_change, rows)
        back_a[b] = np.where(wins, came_a, back_a[b])
        back_j[b] = np.where(wins, np.arange(len(b))[:, None], back_j[b])
        score = new + emit[t, c][None, :]
        backs.append((back_a, back_j))
    a, k = np.unravel_index(int(np.argmax(score)), score.shape)
    path = [int(cands[T - 1][k])]
    for t in range(T - 1, 0, -1):
        back_a, back_j = backs[t - 1]
        a, k = int(back_a[a, k]), int(back_j[a, k])
        path.append(int(cands[t - 1][k]))
    return np.array(path[::-1], np.int64)


def drawn_path(emit: np.ndarray, trans: np.ndarray, start: np.ndarray, rng: np.random.Generator, *,
               return_cost: float = 0.0, top: int = 12) -> np.ndarray:  # fmt: skip
    """(units,) one label path drawn with probability proportional to exp of `best_path`'s score
    (forward filtering over the (chord before the last change, chord now) states, backward
    sampling), over each unit's `top` best labels by `emit`. A stay cost, like a temperature, goes
    in the arguments."""
    from scipy.special import logsumexp

    T, L = emit.shape
    cands, first = _candidates(emit, start, top)
    if T <= 1:
        return np.array([cands[0][draw(first, rng)]] if T else [], np.int64)
    alpha = np.full((L + 1, len(first)), -np.inf)
    alpha[L] = first
    alphas = [alpha]
    for t in range(1, T):
        b, c = cands[t - 1], cands[t]
        stay, _, change = _moves(alphas[-1], b, c, trans, return_cost)
        with np.errstate(divide="ignore"):  # (a state no path reaches stays at -inf)
            new = stay
            new[b] = np.logaddexp(new[b], logsumexp(change, axis=0))
        alphas.append(new + emit[t, c][None, :])
    flat = draw(alphas[-1].ravel(), rng)
    a, k = divmod(flat, alphas[-1].shape[1])
    path = [int(cands[T - 1][k])]
    for t in range(T - 1, 0, -1):
        b, c, before = cands[t - 1], cands[t], alphas[t - 1]
        # the states at t - 1 that reach (a, k): staying on c[k] with a kept, or a change from b[j] == a
        weights, came = [], []
        j = int(np.searchsorted(b, c[k]))
        if j < len(b) and b[j] == c[k]:
            weights.append(before[a, j] + trans[c[k], c[k]])
            came.append((a, j))
        j = int(np.searchsorted(b, a)) if a < L else len(b)
        if j < len(b) and b[j] == a and a != c[k]:
            weights.extend(before[:, j] + trans[a, c[k]] - return_cost * (np.arange(L + 1) == c[k]))
            came.extend((i, j) for i in range(L + 1))
        a, k = came[draw(np.asarray(weights), rng)]
        path.append(int(b[k]))
    return np.array(path[::-1], np.int64)


def _moves(score: np.ndarray, b: np.ndarray, c: np.ndarray, trans: np.ndarray,
           return_cost: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """From `score` (chord before the last change: labels and none, previous unit's candidate
    `b`) to this unit's candidates `c`: (the score of staying, (labels + 1, k), -inf where c[k]
    was no candidate before; the candidate j stayed on, (k,); the score of changing from b[j] with
    the chord before the last change a, (a, j, k), -inf where b[j] == c[k])."""
    n = score.shape[0]
    j_stay = np.minimum(np.searchsorted(b, c), len(b) - 1)
    can_stay = b[j_stay] == c
    stay = np.where(can_stay[None, :], score[:, j_stay] + trans[c, c][None, :], -np.inf)
    change = score[:, :, None] + trans[np.ix_(b, c)][None] - return_cost * (np.arange(n)[:, None, None] == c[None, None, :])
    change = np.where((b[:, None] == c[None, :])[None], -np.inf, change)
    return stay, j_stay, change


def _candidates(emit: np.ndarray, start: np.ndarray, top: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Each unit's `top` best labels by `emit` (sorted), and the first unit's scores for them."""
    cands = [np.sort(np.argsort(-row, kind="stable")[: min(top, len(row))]) for row in emit]
    return cands, (start[cands[0]] + emit[0, cands[0]] if cands else np.zeros(0))


def draw(logits: np.ndarray, rng: np.random.Generator) -> int:
    """One index drawn with probability proportional to exp(`logits`)."""
    p = np.exp(logits - logits.max())
    p /= p.sum()
    return int(rng.choice(len(p), p=p))
