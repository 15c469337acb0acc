"""Local alignment (Smith-Waterman) of a query's melodic intervals against candidate works', all
candidates in one vectorised pass: the second step of `SimilarityIndex.search` (see
`tunesmith.rights.index` for what each score means). Written by hand: the scores are weighted per
interval, two intervals may read as one (an inserted or deleted note), and hundreds of
candidates are aligned per query in a few milliseconds, which no alignment library on PyPI
offers together."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_NO_MATCH = 99  # a separator interval that matches nothing (the tests' reference pads with it)
_PAD = 10_000  # `align` pads the query with -_PAD and the targets with +_PAD (int16; |interval| < 5000)
_CHUNK = 8  # rows whose substitution scores are laid out at once


@dataclass(frozen=True)
class AlignScoring:
    """What the alignment adds per cell: an interval one semitone off scores `near` times its
    weight, two intervals read as one `join` times the lesser weight, a mismatch `mismatch`, a
    gap -`gap` per interval, and a note changed (two intervals against two with the same sum: the
    notes either side of it agree) `changed`, a fixed score (<= 0: a cost that the matches after it
    must make up)."""

    near: float
    join: float | None  # None: no joins (an alignment of symbols whose sums mean nothing)
    mismatch: float
    gap: float
    changed: float | None = None  # None: a changed note is two mismatches
    # a neighbour figure (two intervals x, -x with |x| a step: p q p, a mordent's or a neighbour
    # note's) on one side read as nothing on the other, joined to the interval after it at the
    # join rate (with joins only); False: two gaps
    ornament: bool = False


def neighbour_before(iv: np.ndarray) -> np.ndarray:
    """Per interval, whether the two intervals before it are a neighbour figure (x, -x, |x| 1-2)."""
    iv = np.asarray(iv, dtype=np.int64)
    out = np.zeros(iv.shape, dtype=bool)
    if iv.shape[-1] >= 3:
        a, b = iv[..., :-2], iv[..., 1:-1]
        out[..., 2:] = (a + b == 0) & (np.abs(b) >= 1) & (np.abs(b) <= 2)
    return out


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
    work it matches). `scoring`: gap >= 0 > mismatch (beyond a window, cells must decay).

    The dynamic programme runs row by row (one query interval), every target at once, each in its
    own lane. Lanes are ordered by query window, longest first, so that row i only computes the
    lanes whose window has an interval i (a prefix), and only as many columns as the longest of
    their target windows: the rows and columns beyond a window match nothing and only decay, so a
    lane's scores, best cell and passage are those of its own window. A row is a handful of numpy
    calls on flat arrays: its lanes lie one after another, each behind a column 0 that is computed
    too (a substitution score of -inf keeps it 0), so that the cell above-left of a lane's first
    cell is that 0. The cells scored otherwise than a mismatch (an exact match, an interval one
    semitone off) and the two joins (two intervals read as one) are sparse: they are found by an
    equi-join on interval values (`_cells`); the joins are added per row, the substitution scores
    written per chunk of rows over a mismatch background. The gaps along a row are a running
    maximum, taken on the values' bit patterns as integers (the same order for the non-negative
    floats it sees, and faster). Every cell of a window is computed with the same floating-point
    operations as a full rectangle per target (`tests/test_rights_alignment.py` pins this
    against that reference)."""
    if not scoring.gap >= 0 > scoring.mismatch:
        raise ValueError(f"a gap and a mismatch cost: need gap >= 0 > mismatch, not {scoring}")
    K = len(targets)
    if K == 0:
        return []
    win = np.asarray(windows, dtype=np.int64).reshape(K, 4)
    qlen = np.maximum(win[:, 1] - win[:, 0], 0) * (len(q) > 0)
    tlen = np.maximum(win[:, 3] - win[:, 2], 0)
    lanes = np.argsort(-qlen, kind="stable")  # lane l holds target lanes[l]
    lane_of = np.empty(K, dtype=np.int64)
    lane_of[lanes] = np.arange(K)
    qlen_l, tlen_l = qlen[lanes], tlen[lanes]
    mq, lt = max(1, int(qlen.max())), max(1, int(tlen.max()))
    # active lanes per row (a prefix), and their columns: the longest target window among them
    n_act = np.searchsorted(-qlen_l, -np.arange(1, mq + 1), side="right")  # lanes with qlen >= i
    L_act = np.where(n_act > 0, np.maximum.accumulate(tlen_l)[np.maximum(n_act - 1, 0)], 0)
    m = int(np.count_nonzero(L_act))  # the rows computed (L_act never grows)
    if m == 0:
        return [(0.0, (0, 0), (0, 0), 0)] * K
    # the query side (mq, K), padded with intervals that match nothing
    rows = np.arange(mq)[:, None]
    in_q = rows < qlen_l[None, :]
    src = np.minimum(win[lanes, 0][None, :] + rows, len(q) - 1)
    Q = np.where(in_q, np.asarray(q)[src], -_PAD).astype(np.int16)
    W = np.where(in_q, np.asarray(w, dtype=np.float64)[src], 0.0)
    Wm = np.where(in_q & np.asarray(given_iv, dtype=bool)[src], 0.0, W)  # an exact match: the weight, given: 0
    NW = scoring.near * W
    Qpair = np.full((mq, K), -2 * _PAD, dtype=np.int16)
    Qpair[1:] = Q[1:] + Q[:-1]
    Qnb = neighbour_before(Q.T).T & in_q if scoring.ornament and scoring.join is not None else None
    # an interval one semitone off with the same direction: the query interval's two neighbours
    up = np.where(np.sign(Q + 1) == np.sign(Q), Q + 1, -32000).astype(np.int16)
    down = np.where(np.sign(Q - 1) == np.sign(Q), Q - 1, -32000).astype(np.int16)
    # the target side (K, lt): every window's intervals in one gather
    in_t = np.arange(lt)[None, :] < tlen_l[:, None]
    at = np.flatnonzero(in_t)
    wl = win.tolist()
    parts = [(c, wl[c][2], wl[c][3]) for c in lanes.tolist() if wl[c][3] > wl[c][2]]
    T = np.full((K, lt), _PAD, dtype=np.int16)
    T.ravel()[at] = np.concatenate([targets[c][a:b] for c, a, b in parts])
    WT = np.full((K, lt), np.inf)
    if target_w is not None:
        WT.ravel()[at] = np.concatenate([target_w[c][a:b] for c, a, b in parts])
    WT2 = np.full((K, lt), np.inf)  # the lesser weight of each target interval and the one before
    WT2[:, 1:] = np.minimum(WT[:, 1:], WT[:, :-1])
    Tpair = np.full((K, lt), 2 * _PAD, dtype=np.int16)
    Tpair[:, 1:] = T[:, 1:] + T[:, :-1]
    Tnb = neighbour_before(T) & in_t if scoring.ornament and scoring.join is not None else None
    # H, stored flat: row 0, then chunks of _CHUNK rows; a row of chunk c holds one 0, then each
    # of the chunk's first row's n lanes' w = L + 1 columns (later rows of the chunk compute a
    # prefix of those lanes, every row all w columns)
    first = np.arange(0, m, _CHUNK)
    n_c, w_c = n_act[first], L_act[first] + 1
    rows_c = np.minimum(_CHUNK, m - first)
    stride = 1 + n_c * w_c
    base_c = stride[0] + np.concatenate(([0], np.cumsum(rows_c * stride)[:-1]))
    c_of = np.arange(m) // _CHUNK  # the chunk of query interval i (H row i + 1)
    base = np.concatenate(([0], base_c[c_of] + (np.arange(m) - first[c_of]) * stride[c_of]))  # per H row
    w_h = np.concatenate((w_c[:1], w_c[c_of]))  # columns per H row
    j_at, j_add, j_src, j_dst, s_at, s_pos, s_val = _cells(
        Q[:m], Qpair[:m], up[:m], down[:m], in_q[:m], W[:m], Wm[:m], NW[:m], T, Tpair, in_t, WT, WT2,
        base, w_h, (np.arange(m) - first[c_of]) * (n_c * w_c)[c_of], first, scoring.join, scoring.changed,
        None if Qnb is None else Qnb[:m], Tnb,
    )  # fmt: skip
    store = np.zeros(int(base_c[-1] + rows_c[-1] * stride[-1]))
    offset = scoring.gap * np.arange(lt + 1, dtype=np.float64)  # column j: gap * j
    background = np.full(lt + 1, scoring.mismatch)
    background[0] = -np.inf
    gap = scoring.gap
    n_list, j_at_list, s_at_list = n_act.tolist(), j_at.tolist(), s_at.tolist()
    size = K * (lt + 1)
    S_buf, ZERO = np.empty(_CHUNK * size), np.zeros(size)
    BEST, TMP, OFF = np.empty(size), np.empty(size), np.empty(size)
    lane_max = np.zeros(K)
    prev, w_prev = store[: stride[0]], int(w_c[0])
    for c, r0 in enumerate(first.tolist()):
        rows, n, w1 = int(rows_c[c]), int(n_c[c]), int(w_c[c])
        # the chunk's substitution scores: a mismatch, but for the cells found
        S = S_buf[: rows * n * w1]
        S.reshape(rows * n, w1)[:] = background[:w1]
        a, b = s_at_list[c], s_at_list[c + 1]
        S[s_pos[a:b]] = s_val[a:b]
        S = S.reshape(rows, n * w1)
        if w_prev != w1:  # the row before, in this chunk's columns
            conv = np.zeros(1 + n * w1)
            conv[1:].reshape(n, w1)[:] = prev[1:].reshape(-1, w_prev)[:n, :w1]
            prev = conv
        OFF[: n * w1].reshape(n, w1)[:] = offset[:w1]
        hc = store[int(base_c[c]) : int(base_c[c]) + rows * int(stride[c])].reshape(rows, -1)
        views = {}
        for r in range(rows):
            i = r0 + r  # query interval i: H row i + 1
            n_i = n_list[i]
            N = n_i * w1
            v_i = views.get(n_i)
            if v_i is None:
                v_i = views[n_i] = (BEST[:N], TMP[:N], ZERO[:N], OFF[:N], BEST[:N].view(np.int64).reshape(n_i, w1))
            best, tmp, zero, off, best_bits = v_i
            np.add(prev[:N], S[r, :N], out=best)  # from the cell above-left
            np.subtract(prev[1 : N + 1], gap, out=tmp)  # from the cell above
            np.maximum(best, tmp, out=best)
            a, b = j_at_list[i], j_at_list[i + 1]
            if b > a:  # the joins
                v = store[j_src[a:b]]
                v += j_add[a:b]
                np.maximum.at(BEST, j_dst[a:b], v)
            np.maximum(best, zero, out=best)
            best += off
            np.maximum.accumulate(best_bits, axis=1, out=best_bits)  # gaps along the row: >= 0, as bits
            prev = hc[r]
            np.subtract(best, off, out=prev[1 : N + 1])
        w_prev = w1
        # the lanes' best so far: lanes a row did not compute hold 0
        np.maximum(lane_max[:n], hc[:, 1:].max(axis=0).reshape(n, w1).max(axis=1), out=lane_max[:n])
    scores = lane_max[lane_of]
    ranked = set(np.argsort(-scores, kind="stable")[:top].tolist())
    results = []
    for c, (qa, _, ta, _) in enumerate(windows):
        score = float(scores[c])
        if score <= 0 or c not in ranked:
            results.append((score if score > 0 else 0.0, (0, 0), (0, 0), 0))
            continue
        lane = int(lane_of[c])
        ql, tl = int(qlen_l[lane]), int(tlen_l[lane])
        h = np.arange(1, ql + 1)
        Hc = np.zeros((ql + 1, tl + 1))  # its window's cells
        Hc[1:] = store[(base[h] + 1 + lane * w_h[h])[:, None] + np.arange(tl + 1)]
        i, j = divmod(int(np.argmax(Hc.ravel() == scores[c])), tl + 1)  # the first best cell
        # the path stays above and left of (i, j): its substitution scores
        qi, tj = Q[:i, lane, None], T[lane, None, :j]
        near = (tj == up[:i, lane, None]) | (tj == down[:i, lane, None])
        S = np.where(qi == tj, Wm[:i, lane, None], np.where(near, NW[:i, lane, None], scoring.mismatch))
        (i0, j0), matched = _traceback(
            Hc, S, Q[:, lane], T[lane], Qpair[:, lane], Tpair[lane], W[:, lane], WT[lane], WT2[lane], i, j, scoring,
            None if Qnb is None else Qnb[:, lane], None if Tnb is None else Tnb[lane],
        )
        # H rows i0+1..i cover query intervals i0..i-1, i.e. notes i0..i (columns likewise)
        results.append((score, (qa + i0, qa + i), (ta + j0, ta + j), matched))
    return results


def _cells(Q, Qpair, up, down, in_q, W, Wm, NW, T, Tpair, in_t, WT, WT2, base, w_h, s_row, first, join: float | None,
           changed: float | None, Qnb=None, Tnb=None):  # fmt: skip
    """The sparse cells, by an equi-join on (lane, interval value): the targets' cells (kind 0:
    one target interval, kind 1: a pair) are counting-sorted by key, then each query cell (in row
    order) takes the run of target cells with its key, so that the cells come out in row order.

    Joins, per row (`j_at`: where each query interval's cells start): the value added, the source
    in H's flat index (`base`, `w_h`: H's rows), the destination in that row's `best`; a pair of
    query intervals against one target interval reads H[i - 1, j], one query interval against a
    pair H[i, j - 1], a pair against a pair (a changed note) H[i - 1, j - 1]. Substitution scores, per chunk (`s_at`; `s_row`: each row's place in its
    chunk; `first`: the chunks' first rows): the place and the score of every exact match (the
    weight `Wm`) and every interval one semitone off in the same direction (`NW`)."""
    m, K = Q.shape
    lt = T.shape[1]
    # target cells (kind 0: one interval, 1: a pair, 2 with the ornament move: an interval after a
    # neighbour figure); without it the tables hold kinds 0 and 1 only, as before the move
    t_kinds = 2 if Tnb is None else 3
    t_ok = np.stack((in_t, in_t, Tnb)[:t_kinds])
    t_ok[1, :, 0] = False
    pt = np.flatnonzero(t_ok)  # (kind, lane, column)
    tv = np.stack((T, Tpair, T)[:t_kinds]).ravel()[pt].astype(np.int64)
    # query cells (row, kind, lane): joins (a pair against one, one against a pair), and
    # substitutions (the interval, and its neighbours above and below, against one)
    # (kind 0: a query pair against one target interval, 1: one against a pair, 2: a pair against a
    # pair, 3: a query interval after a neighbour figure against one, 4: one against a target
    # interval after a neighbour figure)
    q_kinds = 3 if Qnb is None and Tnb is None else 5
    j_ok = np.stack((in_q, in_q, in_q, in_q if Qnb is None else Qnb, in_q)[:q_kinds], axis=1)
    j_ok[0, 0] = j_ok[0, 2] = False
    if changed is None:
        j_ok[:, 2] = False
    if q_kinds == 5 and Qnb is None:
        j_ok[:, 3] = False
    if q_kinds == 5 and Tnb is None:
        j_ok[:, 4] = False
    if join is None:
        j_ok[:] = False
    pj = np.flatnonzero(j_ok)
    jv = np.stack((Qpair, Q, Qpair, Q, Q)[:q_kinds], axis=1).ravel()[pj].astype(np.int64)
    s_ok = np.stack((in_q, in_q & (up != -32000), in_q & (down != -32000)), axis=1)
    ps = np.flatnonzero(s_ok)
    sv = np.stack((Q, up, down), axis=1).ravel()[ps].astype(np.int64)
    values = [x for x in (tv, jv, sv) if len(x)]
    lo = min(int(x.min()) for x in values)
    span = max(int(x.max()) for x in values) - lo + 1
    tkey = (pt // lt) * span + (tv - lo)
    order = np.argsort(tkey.astype(np.int16) if t_kinds * K * span < 1 << 15 else tkey, kind="stable")  # int16: radix
    count = np.bincount(tkey, minlength=t_kinds * K * span)
    start = np.cumsum(count) - count
    t_sorted = pt[order]
    j_sorted = t_sorted % lt  # target interval
    wt_sorted = np.stack((WT, WT2, WT)[:t_kinds]).ravel()[t_sorted]

    def probe(p, t_kind, values):
        """Per query cell its number of target cells, where its cells start, and each cell's
        target cell (its place in key order)"""
        key = (t_kind * K + p % K) * span + (values - lo)
        cnt = count[key]
        ends = np.cumsum(cnt)
        pos = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(start[key] - ends + cnt, cnt)
        return cnt, np.concatenate(([0], ends)), pos

    # joins
    i_q, kind, k = pj // (q_kinds * K), (pj // K) % q_kinds, pj % K
    t_kind = np.array([0, 1, 1, 0, 2])[kind]  # kind 2 probes the target pairs, 4 the intervals after a figure
    cnt, ends, pos = probe(pj, t_kind, jv)
    j = j_sorted[pos]
    kinds = np.repeat(kind, cnt)
    j_add = np.where(kinds == 2, changed or 0.0, (join or 0.0) * np.minimum(np.repeat(W.ravel()[i_q * K + k], cnt), wt_sorted[pos]))
    h = i_q + np.array([-1, 0, -1, -2, 0])[kind]  # the source's H row
    j_src = np.repeat(base[h] + 1 + k * w_h[h] - np.array([0, 1, 1, 0, 2])[kind], cnt) + j
    j_dst = np.repeat(k * w_h[i_q + 1] + 1, cnt) + j  # H column j + 1
    j_at = ends[np.searchsorted(i_q, np.arange(m + 1))]
    # substitutions
    i_q, kind, k = ps // (3 * K), (ps // K) % 3, ps % K
    cnt, ends, pos = probe(ps, 0, sv)
    s_pos = np.repeat(s_row[i_q] + k * w_h[i_q + 1] + 1, cnt) + j_sorted[pos]
    at_q = i_q * K + k
    s_val = np.repeat(np.where(kind == 0, Wm.ravel()[at_q], NW.ravel()[at_q]), cnt)
    s_at = ends[np.searchsorted(i_q, np.append(first, m))]
    return j_at, j_add, j_src, j_dst, s_at, s_pos, s_val


def _traceback(H, S, q, T, qpair, Tpair, w, wt, wt2, i: int, j: int, scoring: AlignScoring, qnb=None,
               tnb=None) -> tuple[tuple[int, int], int]:  # fmt: skip
    """From the best cell (i, j) of one lane back to where its local alignment starts: ((first
    query interval, first target interval), exact interval matches on the way). `qnb`, `tnb`:
    per interval, a neighbour figure just before it (`neighbour_before`), with `scoring.ornament`."""
    tol = 1e-6
    join, gap = scoring.join, scoring.gap
    matched = 0
    while i > 0 and j > 0 and H[i, j] > tol:
        v = H[i, j]
        if abs(v - (H[i - 1, j - 1] + S[i - 1, j - 1])) < tol:
            matched += int(q[i - 1] == T[j - 1])
            i, j = i - 1, j - 1
        elif (
            join is not None and i >= 2 and qpair[i - 1] == T[j - 1]
            and abs(v - (H[i - 2, j - 1] + join * min(w[i - 1], wt[j - 1]))) < tol
        ):  # fmt: skip
            i, j = i - 2, j - 1
        elif (
            join is not None and j >= 2 and q[i - 1] == Tpair[j - 1]
            and abs(v - (H[i - 1, j - 2] + join * min(w[i - 1], wt2[j - 1]))) < tol
        ):  # fmt: skip
            i, j = i - 1, j - 2
        elif (
            scoring.changed is not None and i >= 2 and j >= 2 and qpair[i - 1] == Tpair[j - 1]
            and abs(v - (H[i - 2, j - 2] + scoring.changed)) < tol
        ):  # fmt: skip
            i, j = i - 2, j - 2
        elif (
            qnb is not None and i >= 3 and qnb[i - 1] and q[i - 1] == T[j - 1]
            and abs(v - (H[i - 3, j - 1] + join * min(w[i - 1], wt[j - 1]))) < tol
        ):  # fmt: skip
            i, j = i - 3, j - 1  # the query's neighbour figure read as nothing
        elif (
            tnb is not None and j >= 3 and tnb[j - 1] and q[i - 1] == T[j - 1]
            and abs(v - (H[i - 1, j - 3] + join * min(w[i - 1], wt[j - 1]))) < tol
        ):  # fmt: skip
            i, j = i - 1, j - 3  # the work's
        elif abs(v - (H[i - 1, j] - gap)) < tol:
            i -= 1
        else:
            j -= 1
    return (i, j), matched
