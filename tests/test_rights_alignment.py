"""The similarity index's search is fast without changing a score: retrieval (`candidates`) and
the alignment (`_align`) give exactly what the former, plainer code gave. That code is kept here
as the reference: every candidate's retrieval window and score, and every aligned score, passage
and match count, are compared with `==` (no tolerance) on a few hundred queries, under the
shipped constants and under others a comparison sets (`--set` of scripts/evaluate_copy_guard.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from tunesmith.rights import alignment as ALIGNMENT
from tunesmith.rights import features as F
from tunesmith.rights import index as IX
from tunesmith.rights.alignment import AlignScoring, _traceback
from tunesmith.rights.index import SimilarityIndex
from tunesmith.score import Note, Piece, TimeSignature, Track


# ------------------------------------------------------------------------------ the reference
def reference_candidates(index: SimilarityIndex, intervals, k, exclude=None):
    """`SimilarityIndex.candidates` as it was: a sort per band grid, then a lexsort of every cell."""
    BAND_WIDTH, SEGMENT, WINDOW = IX.BAND_WIDTH, IX.SEGMENT, IX.WINDOW
    vpos, qs, w = index.query_grams(intervals)
    if len(vpos) == 0:
        return []
    counts = index._count[vpos]
    starts = index._vstart[vpos]
    total = int(counts.sum())
    ends = np.cumsum(counts)
    idx = np.arange(total) - np.repeat(ends - counts, counts) + np.repeat(starts, counts)
    docs = index._post_docs[idx].astype(np.int64)
    tj = index._post_pos[idx].astype(np.int64)
    qi = np.repeat(qs, counts)
    wt = np.repeat(w, counts)
    if exclude is not None and len(exclude):
        keep = ~np.isin(docs, exclude)
        docs, tj, qi, wt = docs[keep], tj[keep], qi[keep], wt[keep]
    if len(docs) == 0:
        return []
    diag = tj - qi + (1 << 17)
    keys, sums, grids = [], [], []
    seg = np.minimum(qi // SEGMENT, 4095) if SEGMENT else np.zeros_like(qi)
    for g, shift in enumerate((0, BAND_WIDTH // 2)):
        key = (docs << 32) | (((diag + shift) // BAND_WIDTH) << 12) | seg
        order = np.argsort(key, kind="stable")
        ks = key[order]
        first = np.ones(len(ks), dtype=bool)
        first[1:] = ks[1:] != ks[:-1]
        at = np.nonzero(first)[0]
        keys.append(ks[at])
        sums.append(np.add.reduceat(wt[order], at))
        grids.append(np.full(len(at), g, dtype=np.int64))
    best_key, best_score, best_grid = np.concatenate(keys), np.concatenate(sums), np.concatenate(grids)
    band_doc = best_key >> 32
    order = np.lexsort((-best_score, band_doc))
    first = np.ones(len(order), dtype=bool)
    first[1:] = band_doc[order][1:] != band_doc[order][:-1]
    pick = order[first]
    k = min(k, len(pick))
    top = pick[np.argsort(-best_score[pick], kind="stable")[:k]]
    out = []
    mine = np.isin(docs, band_doc[top])
    docs, diag, qi, tj, wt = docs[mine], diag[mine], qi[mine], tj[mine], wt[mine]
    for b in top:
        d = int(band_doc[b])
        band = int((best_key[b] >> 12) & ((1 << 20) - 1))
        cell = int(best_key[b] & ((1 << 12) - 1))
        shift = (0, BAND_WIDTH // 2)[int(best_grid[b])]
        sel = (docs == d) & ((diag + shift) // BAND_WIDTH == band)
        qsel, tsel, wsel = qi[sel], tj[sel], wt[sel]
        qa, qb = int(qsel.min()), int(qsel.max()) + F.GRAM + 1
        if qb - qa > WINDOW:
            in_cell = (np.minimum(qsel // SEGMENT, 4095) == cell) if SEGMENT else np.ones(len(qsel), bool)
            o = np.argsort(qsel[in_cell])
            cw = np.cumsum(wsel[in_cell][o])
            centre = int(qsel[in_cell][o][np.searchsorted(cw, cw[-1] / 2)])
            qa = max(qa, centre - WINDOW // 2)
            qb = qa + WINDOW
            inside = (qsel >= qa) & (qsel < qb)
            tsel = tsel[inside] if inside.any() else tsel
        ta, tb = int(tsel.min()), int(tsel.max()) + F.GRAM + 1
        tb = min(tb, ta + WINDOW)
        n_t = int(index.offsets[d + 1] - index.offsets[d]) - 1
        pad = 4
        window = (max(0, qa - pad), min(len(intervals), qb + pad), max(0, ta - pad), min(n_t, tb + pad))
        out.append((d, float(best_score[b]), window))
    return out


def reference_align(q, w, given_iv, targets, windows, top, target_w=None):
    """`_align` as it was: one full (query window x target window) rectangle per target, padded to
    the largest, every cell scored with every rule."""
    JOIN, GAP, NEAR, MISMATCH, NO = IX.JOIN, IX.GAP, IX.NEAR, IX.MISMATCH, ALIGNMENT._NO_MATCH
    CHANGED, ORNAMENT = IX.CHANGED, IX.ORNAMENT
    scoring = AlignScoring(NEAR, JOIN, MISMATCH, GAP, CHANGED, ORNAMENT)
    K = len(targets)
    mq = max(1, max(b - a for a, b, _, _ in windows))
    lt = max(1, max(d - c for _, _, c, d in windows))
    Q = np.full((K, mq), -NO, dtype=np.int64)
    W = np.zeros((K, mq))
    G = np.zeros((K, mq), dtype=bool)
    T = np.full((K, lt), NO, dtype=np.int64)
    WT = np.full((K, lt), np.inf)
    for c, (qa, qb, ta, tb) in enumerate(windows):
        Q[c, : qb - qa] = q[qa:qb]
        W[c, : qb - qa] = w[qa:qb]
        G[c, : qb - qa] = given_iv[qa:qb]
        T[c, : tb - ta] = targets[c][ta:tb]
        if target_w is not None:
            WT[c, : tb - ta] = target_w[c][ta:tb]
    WT2 = np.full((K, lt), np.inf)
    WT2[:, 1:] = np.minimum(WT[:, 1:], WT[:, :-1])
    diff = Q[:, :, None] - T[:, None, :]
    near = (np.abs(diff) == 1) & (np.sign(Q)[:, :, None] == np.sign(T)[:, None, :])
    S = np.where(diff == 0, W[:, :, None], np.where(near, NEAR * W[:, :, None], MISMATCH))
    S = np.where(G[:, :, None] & (diff == 0), 0.0, S)
    Qpair = np.full((K, mq), -10 * NO, dtype=np.int64)
    Qpair[:, 1:] = Q[:, 1:] + Q[:, :-1]
    Tpair = np.full((K, lt), 10 * NO, dtype=np.int64)
    Tpair[:, 1:] = T[:, 1:] + T[:, :-1]
    # a neighbour figure (x, -x, |x| 1-2) just before an interval, on either side
    QNB = np.zeros((K, mq), dtype=bool)
    QNB[:, 2:] = (Q[:, :-2] + Q[:, 1:-1] == 0) & (np.abs(Q[:, 1:-1]) >= 1) & (np.abs(Q[:, 1:-1]) <= 2)
    TNB = np.zeros((K, lt), dtype=bool)
    TNB[:, 2:] = (T[:, :-2] + T[:, 1:-1] == 0) & (np.abs(T[:, 1:-1]) >= 1) & (np.abs(T[:, 1:-1]) <= 2)
    if not ORNAMENT:
        QNB[:], TNB[:] = False, False
    H = np.zeros((K, mq + 1, lt + 1))
    offset = GAP * np.arange(1, lt + 1, dtype=np.float64)
    neg = -1e9
    for i in range(1, mq + 1):
        prev = H[:, i - 1]
        wi = JOIN * np.minimum(W[:, i - 1, None], WT)
        wi2 = JOIN * np.minimum(W[:, i - 1, None], WT2[:, 1:])
        best = np.maximum(prev[:, :-1] + S[:, i - 1], prev[:, 1:] - GAP)
        if i >= 2:
            np.maximum(best, np.where(Qpair[:, i - 1, None] == T, H[:, i - 2, :-1] + wi, neg), out=best)
        np.maximum(best[:, 1:], np.where(Q[:, i - 1, None] == Tpair[:, 1:], prev[:, :-2] + wi2, neg), out=best[:, 1:])
        if i >= 3:  # the query's neighbour figure read as nothing, then its interval against one
            np.maximum(best, np.where(QNB[:, i - 1, None] & (Q[:, i - 1, None] == T), H[:, i - 3, :-1] + wi, neg), out=best)
        # one query interval against the work's neighbour figure and the interval after it
        np.maximum(best[:, 2:], np.where(TNB[:, 2:] & (Q[:, i - 1, None] == T[:, 2:]), prev[:, :-3] + wi[:, 2:], neg),
                   out=best[:, 2:])  # fmt: skip
        if i >= 2 and CHANGED is not None:  # a changed note: a pair against a pair with the same sum
            np.maximum(best[:, 1:], np.where(Qpair[:, i - 1, None] == Tpair[:, 1:], H[:, i - 2, :-2] + CHANGED, neg),
                       out=best[:, 1:])  # fmt: skip
        np.maximum(best, 0.0, out=best)
        H[:, i, 1:] = np.maximum.accumulate(best + offset, axis=1) - offset
    flat = H.reshape(K, -1)
    arg = np.argmax(flat, axis=1)
    scores = flat[np.arange(K), arg]
    ranked = set(np.argsort(-scores, kind="stable")[:top].tolist())
    results = []
    for c, (qa, _, ta, _) in enumerate(windows):
        score = float(scores[c])
        if score <= 0 or c not in ranked:
            results.append((score if score > 0 else 0.0, (0, 0), (0, 0), 0))
            continue
        i, j = divmod(int(arg[c]), lt + 1)
        (i0, j0), matched = _traceback(H[c], S[c], Q[c], T[c], Qpair[c], Tpair[c], W[c], WT[c], WT2[c], i, j, scoring,
                                       QNB[c] if ORNAMENT else None, TNB[c] if ORNAMENT else None)  # fmt: skip
        results.append((score, (qa + i0, qa + i), (ta + j0, ta + j), matched))
    return results


# ------------------------------------------------------------------------------ a corpus and queries
def tune(pitches, *, work_id: str) -> Piece:
    notes = [Note(int(p), 0.5 * i, 0.5) for i, p in enumerate(pitches)]
    return Piece(piece_id=work_id, work_id=work_id, title=work_id, style="folk", source="test", license="public-domain",
                 tracks=[Track("melody", "melody", notes=notes)], time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip


def walk(rng, n: int, start: int = 67) -> list[int]:
    steps = rng.choice([-2, -1, 1, 2, -3, 3, -4, 4, 5, -5, 7, -12], size=n - 1, p=[.2, .12, .12, .2, .07, .07, .04, .04, .05, .05, .02, .02])  # fmt: skip
    return [int(p) for p in np.clip(start + np.concatenate(([0], np.cumsum(steps))), 40, 96)]


def ornament(rng, pitches: list[int]) -> list[int]:
    """A note inserted, deleted, changed by a semitone or by more, transposed: what the joins, the
    near matches and the changed notes score."""
    out = [p + int(rng.integers(-5, 7)) for p in pitches]
    for _ in range(int(rng.integers(1, 4))):
        i = int(rng.integers(1, len(out) - 1))
        kind = rng.integers(4)
        if kind == 3:
            out[i] += int(rng.choice([-4, -3, 3, 4]))
            continue
        if kind == 0:
            out.insert(i, out[i - 1] + int(rng.choice([-2, -1, 1, 2])))
        elif kind == 1:
            del out[i]
        else:
            out[i] += int(rng.choice([-1, 1]))
    return out


@pytest.fixture(scope="module")
def works() -> list[list[int]]:
    rng = np.random.default_rng(3)
    works = [walk(rng, int(rng.integers(20, 160))) for _ in range(150)]
    works += [list(works[7]), list(works[7])]  # the same tune three times: ties between works
    works += [walk(rng, 40)[:20] + works[11][10:60] + walk(rng, 30)]  # a passage shared with another work
    return works


@pytest.fixture(scope="module")
def index(works) -> SimilarityIndex:
    return SimilarityIndex.build([tune(p, work_id=f"w{i}") for i, p in enumerate(works)], info={"name": "align"})


@pytest.fixture(scope="module")
def queries(works) -> list[np.ndarray]:
    """Planted excerpts (ornamented, between new bars), whole works, long and short tunes."""
    rng = np.random.default_rng(4)
    out = []
    for _ in range(160):
        src = works[int(rng.integers(len(works)))]
        a = int(rng.integers(0, max(1, len(src) - 12)))
        ex = ornament(rng, src[a : a + int(rng.integers(8, 40))])
        out.append(walk(rng, int(rng.integers(0, 60)) + 1, ex[0]) + ex + walk(rng, int(rng.integers(1, 80)), ex[-1]))
    out += [works[i] for i in range(0, len(works), 6)]
    out += [walk(rng, int(rng.integers(3, 400))) for _ in range(30)]
    return [F.intervals_of(np.array(p)) for p in out]


SETTINGS = [
    {},
    {"WEIGHTING": "idf", "SEGMENT": 0, "GAP": 4.0, "MISMATCH": -4.0, "SHARED_WEIGHT": 0, "CHANGED": None},  # the reference scorer
    {"NEAR": 0.5, "BAND_WIDTH": 6, "WINDOW": 40},
    {"SEGMENT": 8, "JOIN": 0.9, "CHANGED": -2.5},
    {"ORNAMENT": True, "CHANGED": -2.5},  # neighbour figures read as nothing, on either side
    {"DOC_BITS": 60},  # the hits' keys too wide for one integer: sorted field by field (`np.lexsort`)
]


@pytest.mark.parametrize("setting", SETTINGS, ids=["shipped", "reference-scorer", "near-narrow", "segments", "ornament",
                                                   "wide-keys"])  # fmt: skip
def test_candidates_and_alignment_equal_the_reference(index, queries, setting, monkeypatch):
    for name, value in setting.items():
        monkeypatch.setattr(IX, name, value)
    rng = np.random.default_rng(5)
    compared = aligned = 0
    for n, q in enumerate(queries):
        k = (16, 64, 200)[n % 3]
        exclude = np.sort(rng.choice(len(index.docs), 10, replace=False)) if n % 4 == 0 else None
        found = index.candidates(q, k, exclude)
        assert found == reference_candidates(index, q, k, exclude), n
        if not found:
            continue
        compared += 1
        docs = [d for d, _, _ in found]
        windows = [wnd for _, _, wnd in found]
        info = IX.WEIGHTING == "info"
        weights = index.info_weights(q) if info else index.gram_weights(q)
        given = np.zeros(len(q), bool)
        if n % 5 == 0:  # some of the musician's own intervals (score 0)
            given[rng.integers(0, len(q), size=max(1, len(q) // 4))] = True
            weights = np.where(given, 0.0, weights)
        targets = [index.doc_intervals(d) for d in docs]
        target_w = [index.doc_weights(d) for d in docs] if info and IX.SHARED_WEIGHT else None
        top = (3, 1, len(docs))[n % 3]
        got = IX._align(q, weights, given, targets, windows, top, target_w)
        want = reference_align(q, weights, given, targets, windows, top, target_w)
        assert got == want, n
        aligned += sum(s > 0 for s, *_ in want)
    assert compared >= 150 and aligned >= 1000


def test_search_ties_between_copies_of_one_work_keep_the_lowest_work_first(index, works):
    q = tune(works[7][5:60], work_id="q")
    matches = index.search(q, top=3)
    assert [m.doc for m in matches] == [7, 150, 151]
    assert matches[0].score == matches[1].score == matches[2].score > 0


def test_a_neighbour_figure_on_either_side_reads_as_nothing_with_the_ornament_move(monkeypatch):
    """A mordent in the query (p -> p p+2 p) or a neighbour note left out of it (the work's p q p
    read p) had cost two gaps and split the passage; with `ORNAMENT` the figure is passed at the
    join rate, and the alignment runs on through it."""
    rng = np.random.default_rng(1)
    works = [[int(p) for p in np.clip(67 + np.cumsum(rng.choice([-2, -1, 1, 2, -3, 3, 4, -4, 5, -5], 60)), 50, 90)]
             for _ in range(60)]  # fmt: skip
    src = works[5][10:40]
    k = next(k for k in range(2, len(src) - 2) if src[k - 1] == src[k + 1] and 1 <= abs(src[k] - src[k - 1]) <= 2)
    variants = {"mordent": src[:13] + [src[12] + 2, src[12]] + src[13:], "neighbour left out": src[:k] + src[k + 2:]}
    index = SimilarityIndex.build([tune(p, work_id=f"w{i}") for i, p in enumerate(works)], info={"name": "ornaments"})
    whole = index.search(tune(src, work_id="q"), top=1)[0].score
    for name, pitches in variants.items():
        scores = {}
        for on in (False, True):
            monkeypatch.setattr(IX, "ORNAMENT", on)
            best = index.search(tune(pitches, work_id="q"), top=1)[0]
            assert best.work["work_id"] == "w5", name
            scores[on] = best.score
        assert scores[False] < 0.8 * whole < scores[True] <= whole + 1e-9, (name, scores, whole)


def test_alignment_of_odd_windows_equals_the_reference():
    rng = np.random.default_rng(8)
    q = F.intervals_of(np.array(walk(rng, 60)))
    w = rng.uniform(0.05, 6.0, len(q))
    given = rng.random(len(q)) < 0.1
    targets = [q.copy(), F.intervals_of(np.array(walk(rng, 50))), np.zeros(0, np.int64), q[10:40].copy()]
    target_w = [rng.uniform(0.05, 6.0, len(t)) for t in targets]
    cases = [
        [(0, 59, 0, 59), (5, 30, 0, 49), (0, 0, 0, 0), (20, 50, 0, 30)],  # an empty target and window
        [(3, 3, 0, 10), (0, 59, 0, 0), (0, 1, 0, 0), (0, 59, 29, 30)],  # empty and one-interval windows
        [(0, 59, 0, 59)],  # one target
    ]
    for windows in cases:
        tg, tw = targets[: len(windows)], target_w[: len(windows)]
        for top in (0, 1, 3):
            for twx in (tw, None):
                assert IX._align(q, w, given, tg, windows, top, twx) == reference_align(
                    q, w, given, tg, windows, top, twx
                )


def test_batched_work_weights_and_intervals_equal_one_by_one(index, works):
    docs = [0, 7, 3, 150, 7, 40, 152]
    fresh = SimilarityIndex.build([tune(p, work_id=f"w{i}") for i, p in enumerate(works)], info={"name": "fresh"})
    batched = fresh.docs_weights(docs)
    for d, got in zip(docs, batched):
        assert np.array_equal(
            index.doc_intervals(d), F.intervals_of(index.pitches[index.offsets[d] : index.offsets[d + 1]])
        )
        assert np.array_equal(got, index.info_weights(index.doc_intervals(d)))
    seqs = [index.doc_intervals(d) for d in (1, 2)] + [np.zeros(0, np.int64), np.array([3, -2])]
    bg = index._background()
    for got, s in zip(bg.bits_many(seqs), seqs):
        assert np.array_equal(got, bg.bits(s))


def test_alignment_without_a_gap_cost_equals_the_reference(index, queries, monkeypatch):
    """Gaps free (every offset of the running maximum 0) and near intervals penalised."""
    monkeypatch.setattr(IX, "GAP", 0.0)
    monkeypatch.setattr(IX, "NEAR", -0.5)
    aligned = 0
    for n, q in enumerate(queries[::3]):
        found = index.candidates(q, 64)
        if not found:
            continue
        docs, windows = [d for d, _, _ in found], [wnd for _, _, wnd in found]
        weights = index.info_weights(q)
        given = np.zeros(len(q), bool)
        given[::7] = True
        targets, target_w = [index.doc_intervals(d) for d in docs], [index.doc_weights(d) for d in docs]
        got = IX._align(q, weights, given, targets, windows, 3, target_w)
        assert got == reference_align(q, weights, given, targets, windows, 3, target_w), n
        aligned += sum(s > 0 for s, *_ in got)
    assert aligned >= 300


def test_alignment_needs_scores_that_decay():
    """Beyond a window cells must only decay: a mismatch costs, a gap never pays."""
    q = F.intervals_of(np.array([60, 62, 64, 65, 67, 65, 64]))
    for near, join, mismatch, gap in ((0.0, 0.6, 0.0, 8.0), (0.0, 0.6, 1.0, 8.0), (0.0, 0.6, -8.0, -1.0)):
        with pytest.raises(ValueError):
            ALIGNMENT.align(
                q, np.ones(len(q)), np.zeros(len(q), bool), [q], [(0, len(q), 0, len(q))], 1,
                scoring=AlignScoring(near, join, mismatch, gap),
            )  # fmt: skip
