"""Local alignment (Smith-Waterman) of a query's melodic intervals against candidate works', all
candidates in one vectorised pass: the second step of `SimilarityIndex.search` (see
`tunesmith.rights.index` for what each score means). Written by hand: the scores are weighted per
interval, two intervals may read as one (an inserted or deleted note), and hundreds of
candidates are aligned per query in a few milliseconds, which no alignment library on PyPI
offers together."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_NO_MATCH = 99  # a separator interval that matches nothing


@dataclass(frozen=True)
class AlignScoring:
    """What the alignment adds per cell: an interval one semitone off scores `near` times its
    weight, two intervals read as one `join` times the lesser weight, a mismatch `mismatch`, a
    gap -`gap` per interval."""

    near: float
    join: float
    mismatch: float
    gap: float


def align(
    q: np.ndarray,
    w: np.ndarray,
    given_iv: np.ndarray,
    targets: list[np.ndarray],
    windows: list[tuple[int, int, int, int]],
    top: int,
    target_w: list[np.ndarray] | None = None,
    *,
    scoring: AlignScoring,
) -> list[tuple[float, tuple[int, int], tuple[int, int], int]]:
    """Local alignment of each target's window against the query's window, all targets in one
    vectorised pass. Per target: (score, (first, last) query note, (first, last) target note,
    exact interval matches); passage details only for the `top` best, others get (0, 0).
    `target_w`: each target's interval weights; two intervals read as one (a note inserted or
    deleted) then weigh the lesser of the query's and the target's weight: the information of the
    figure both share (a query interval made rare by the note inserted into it is no rarer in the
    work it matches).

    The dynamic programme runs row by row (one query interval), every target at once, each in its
    own lane: H[i, j, lane]. Lanes are ordered by query window, longest first, so that row i only
    computes the lanes whose window has an interval i (a prefix), and only as many columns as the
    longest of their target windows: the rows and columns beyond a window match nothing and only
    decay, so a lane's scores, best cell and passage are those of its own window. The two joins
    (two intervals read as one) are sparse: their cells are found by an equi-join on interval
    values and added per row. Every cell is computed with the same floating-point operations as
    a full rectangle per target (`tests/test_rights_alignment.py` pins this against that reference)."""
    K = len(targets)
    if K == 0:
        return []
    qlen = np.array([max(0, b - a) for a, b, _, _ in windows], dtype=np.int64)
    tlen = np.array([max(0, d - c) for _, _, c, d in windows], dtype=np.int64)
    lanes = np.argsort(-qlen, kind="stable")  # lane l holds target lanes[l]
    lane_of = np.empty(K, dtype=np.int64)
    lane_of[lanes] = np.arange(K)
    qlen_l, tlen_l = qlen[lanes], tlen[lanes]
    mq, lt = max(1, int(qlen.max())), max(1, int(tlen.max()))
    # the query side (mq, K) and the target side (lt, K), padded with intervals that match nothing
    rows = np.arange(mq)[:, None]
    in_q = rows < qlen_l[None, :]
    Q = np.full((mq, K), -_NO_MATCH, dtype=np.int64)
    W = np.zeros((mq, K))
    G = np.zeros((mq, K), dtype=bool)
    if len(q):
        src = np.minimum(np.array([windows[c][0] for c in lanes.tolist()])[None, :] + rows, len(q) - 1)
        Q = np.where(in_q, np.asarray(q, dtype=np.int64)[src], -_NO_MATCH)
        W = np.where(in_q, np.asarray(w, dtype=np.float64)[src], 0.0)
        G = in_q & np.asarray(given_iv, dtype=bool)[src]
    T = np.full((lt, K), _NO_MATCH, dtype=np.int64)
    WT = np.full((lt, K), np.inf)
    for lane, c in enumerate(lanes.tolist()):
        _, _, ta, tb = windows[c]
        T[: tb - ta, lane] = targets[c][ta:tb]
        if target_w is not None:
            WT[: tb - ta, lane] = target_w[c][ta:tb]
    WT2 = np.full((lt, K), np.inf)  # the lesser weight of each target interval and the one before
    WT2[1:] = np.minimum(WT[1:], WT[:-1])
    Qpair = np.full((mq, K), -10 * _NO_MATCH, dtype=np.int64)
    Qpair[1:] = Q[1:] + Q[:-1]
    Tpair = np.full((lt, K), 10 * _NO_MATCH, dtype=np.int64)
    Tpair[1:] = T[1:] + T[:-1]
    Wm = np.where(G, 0.0, W)  # an exact match scores the query interval's weight, a given one 0
    NW = scoring.near * W
    # an interval one semitone off with the same direction: the query interval's two neighbours
    Q16, T16 = Q.astype(np.int16), T.astype(np.int16)
    up = np.where(np.sign(Q16 + 1) == np.sign(Q16), Q16 + 1, -32000).astype(np.int16)
    down = np.where(np.sign(Q16 - 1) == np.sign(Q16), Q16 - 1, -32000).astype(np.int16)
    # active lanes per row, and their columns
    n_act = np.searchsorted(-qlen_l, -np.arange(1, mq + 1), side="right")  # lanes with qlen >= i
    cols = np.maximum.accumulate(tlen_l)  # the longest target window among lanes 0..l
    # joins: cells where two query intervals make one target interval (Qpair[i] == T[j], from
    # H[i - 1, j]) or one query interval two target intervals (Q[i] == Tpair[j], from H[i, j - 1])
    qi_in, qk_in = np.nonzero(in_q)
    tj_in, tk_in = np.nonzero(np.arange(lt)[:, None] < tlen_l[None, :])
    i1, j1, k1 = _equal_cells(Qpair, qi_in >= 1, qi_in, qk_in, T, np.ones(len(tj_in), bool), tj_in, tk_in)
    i2, j2, k2 = _equal_cells(Q, np.ones(len(qi_in), bool), qi_in, qk_in, Tpair, tj_in >= 1, tj_in, tk_in)
    j_row = np.concatenate((i1, i2))
    join = scoring.join
    j_add = np.concatenate((join * np.minimum(W[i1, k1], WT[j1, k1]), join * np.minimum(W[i2, k2], WT2[j2, k2])))
    j_src = np.concatenate(((i1 - 1) * (lt + 1) + j1, i2 * (lt + 1) + j2 - 1)) * K + np.concatenate((k1, k2))
    j_dst = np.concatenate((j1, j2)) * n_act[j_row] + np.concatenate((k1, k2))  # in that row's `best`
    o = np.argsort(j_row.astype(np.int16) if mq < 1 << 15 else j_row, kind="stable")  # int16: a radix sort
    j_row, j_add, j_src, j_dst = j_row[o], j_add[o], j_src[o], j_dst[o]
    j_at = np.searchsorted(j_row, np.arange(mq + 1))
    H = np.zeros((mq + 1, lt + 1, K))
    H_flat = H.reshape(-1)
    offset = scoring.gap * np.arange(1, lt + 1, dtype=np.float64)[:, None]
    chunk = 8  # rows whose substitution scores are made at once
    for r0 in range(0, mq, chunk):
        r1 = min(mq, r0 + chunk)
        n = int(n_act[r0])
        if n == 0:
            break
        L = int(cols[n - 1])
        Tc = T16[None, :L, :n]
        match = Q16[r0:r1, None, :n] == Tc
        near = (Tc == up[r0:r1, None, :n]) | (Tc == down[r0:r1, None, :n])
        S = np.where(match, Wm[r0:r1, None, :n], np.where(near, NW[r0:r1, None, :n], scoring.mismatch))
        for i in range(r0 + 1, r1 + 1):
            n_i = int(n_act[i - 1])
            L_i = int(cols[n_i - 1])
            if L_i == 0:
                continue
            prev = H[i - 1, : L_i + 1, :n_i]
            best = prev[:-1] + S[i - 1 - r0, :L_i, :n_i]
            np.maximum(best, prev[1:] - scoring.gap, out=best)
            a, b = j_at[i - 1], j_at[i]
            if b > a:
                v = H_flat[j_src[a:b]]
                v += j_add[a:b]
                np.maximum.at(best.reshape(-1), j_dst[a:b], v)
            np.maximum(best, 0.0, out=best)
            best += offset[:L_i]
            np.subtract(np.maximum.accumulate(best, axis=0), offset[:L_i], out=H[i, 1 : L_i + 1, :n_i])  # gaps
    scores = H.reshape(-1, K).max(axis=0)[lane_of]
    ranked = set(np.argsort(-scores, kind="stable")[:top].tolist())
    results = []
    for c, (qa, _, ta, _) in enumerate(windows):
        score = float(scores[c])
        if score <= 0 or c not in ranked:
            results.append((score if score > 0 else 0.0, (0, 0), (0, 0), 0))
            continue
        lane = int(lane_of[c])
        Hc = H[:, :, lane]
        near = (T16[None, :, lane] == up[:, lane, None]) | (T16[None, :, lane] == down[:, lane, None])
        S = np.where(
            Q[:, lane, None] == T[None, :, lane], Wm[:, lane, None], np.where(near, NW[:, lane, None], scoring.mismatch)
        )
        i, j = divmod(int(np.argmax(Hc.ravel() == scores[c])), lt + 1)  # the first best cell
        (i0, j0), matched = _traceback(
            Hc, S, Q[:, lane], T[:, lane], Qpair[:, lane], Tpair[:, lane], W[:, lane], WT[:, lane], WT2[:, lane], i, j,
            scoring,
        )
        # H rows i0+1..i cover query intervals i0..i-1, i.e. notes i0..i (columns likewise)
        results.append((score, (qa + i0, qa + i), (ta + j0, ta + j), matched))
    return results


def _equal_cells(qv, qsel, qi, qk, tv, tsel, tj, tk) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, lane) of every cell whose query value `qv[i, lane]` equals the target value
    `tv[j, lane]`, over the query cells (qi, qk)[qsel] and the target cells (tj, tk)[tsel]: an
    equi-join by sorting, instead of comparing every cell."""
    qi, qk, tj, tk = qi[qsel], qk[qsel], tj[tsel], tk[tsel]
    lo_v = min(int(qv.min()), int(tv.min()))
    span = max(int(qv.max()), int(tv.max())) - lo_v + 1
    qkey = qk * span + (qv[qi, qk] - lo_v)
    tkey = tk * span + (tv[tj, tk] - lo_v)
    order = np.argsort(qkey, kind="stable")
    sorted_keys = qkey[order]
    lo = np.searchsorted(sorted_keys, tkey, "left")
    cnt = np.searchsorted(sorted_keys, tkey, "right") - lo
    ends = np.cumsum(cnt)
    t_of = np.repeat(np.arange(len(tkey)), cnt)
    q_of = order[np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - cnt, cnt) + np.repeat(lo, cnt)]
    return qi[q_of], tj[t_of], qk[q_of]


def _traceback(H, S, q, T, qpair, Tpair, w, wt, wt2, i: int, j: int, scoring: AlignScoring) -> tuple[tuple[int, int], int]:
    """From the best cell (i, j) of one lane back to where its local alignment starts: ((first
    query interval, first target interval), exact interval matches on the way)."""
    tol = 1e-6
    join, gap = scoring.join, scoring.gap
    matched = 0
    while i > 0 and j > 0 and H[i, j] > tol:
        v = H[i, j]
        if abs(v - (H[i - 1, j - 1] + S[i - 1, j - 1])) < tol:
            matched += int(q[i - 1] == T[j - 1])
            i, j = i - 1, j - 1
        elif i >= 2 and qpair[i - 1] == T[j - 1] and abs(v - (H[i - 2, j - 1] + join * min(w[i - 1], wt[j - 1]))) < tol:
            i, j = i - 2, j - 1
        elif (
            j >= 2 and q[i - 1] == Tpair[j - 1] and abs(v - (H[i - 1, j - 2] + join * min(w[i - 1], wt2[j - 1]))) < tol
        ):
            i, j = i - 1, j - 2
        elif abs(v - (H[i - 1, j] - gap)) < tol:
            i -= 1
        else:
            j -= 1
    return (i, j), matched
