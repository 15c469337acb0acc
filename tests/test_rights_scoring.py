"""The copy guard's scoring: figures weighted by how rare they are in the style (the background
model), retrieval that a short copy is not lost in a long host, and the evaluation's notion of a
version of a training tune."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from tunesmith.rights import features as F
from tunesmith.rights import index as IX
from tunesmith.rights.check import check_piece
from tunesmith.rights.index import SimilarityIndex
from tunesmith.score import Note, Piece, TimeSignature, Track

MAJOR = np.array([0, 2, 4, 5, 7, 9, 11])
# a rare passage: leaps the scale works never make (16 notes, 4 bars of crotchets)
RARE = [62, 69, 66, 74, 73, 71, 64, 67, 76, 74, 69, 61, 64, 72, 71, 67]


def tune(pitches, durations=None, *, work_id="w") -> Piece:
    durations = durations or [1.0] * len(pitches)
    notes, t = [], 0.0
    for p, d in zip(pitches, durations):
        notes.append(Note(int(p), t, float(d)))
        t += d
    return Piece(piece_id=work_id, work_id=work_id, title=work_id, style="folk", source="test", license="public-domain",
                 tracks=[Track("melody", "melody", notes=notes)], time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip


def scale_run(rng, n: int, tonic: int = 60) -> list[int]:
    """Straight runs up and down a major scale, 5-8 notes each: the commonest figures of a style."""
    degree, step, left, out = 7, 1, int(rng.integers(5, 9)), []
    for _ in range(n):
        if left == 0 or not 0 <= degree + step <= 20:
            step, left = -step, int(rng.integers(5, 9))
        degree += step
        left -= 1
        out.append(tonic + 12 * (degree // 7) + int(MAJOR[degree % 7]) - 12)
    return out


def random_walk(rng, n: int, start: int = 67) -> list[int]:
    steps = rng.choice([-2, -1, 1, 2, -3, 3, -4, 4, 5, -5, 7, -7], size=n - 1, p=[.2, .12, .12, .2, .07, .07, .04, .04, .05, .05, .02, .02])  # fmt: skip
    return list(np.clip(start + np.concatenate(([0], np.cumsum(steps))), 50, 90))


@pytest.fixture(scope="module")
def corpus() -> list[Piece]:
    """A style of varied tunes (random walks) where straight scale runs are common (half of the
    works are made of them), and one source tune with a rare passage."""
    rng = np.random.default_rng(11)
    pieces = [tune(random_walk(rng, 96), work_id=f"walk-{i}") for i in range(30)]
    pieces += [tune(scale_run(rng, 96, 60 + int(rng.integers(-5, 6))), work_id=f"scales-{i}") for i in range(30)]
    pieces.append(tune(random_walk(rng, 24, 60) + RARE + random_walk(rng, 24, 70), work_id="source-tune"))
    return pieces


@pytest.fixture(scope="module")
def index(corpus) -> SimilarityIndex:
    return SimilarityIndex.build(corpus, info={"name": "scoring-test"})


def test_rare_figures_weigh_more_than_common_ones(index):
    scale = F.intervals_of(np.array(scale_run(np.random.default_rng(5), 40)))
    rare = F.intervals_of(np.array(RARE))
    w_scale, w_rare = index.info_weights(scale), index.info_weights(rare)
    # a style of scale runs: its figures are worth about the corpus median, the leaps many times that
    assert np.median(w_scale) < 2.5 and np.median(w_rare[3:]) > 2 * np.median(w_scale)
    assert index.info_weights(rare).max() <= 6.0 and index.info_weights(scale).min() >= 0.05


def test_background_model_leaves_one_occurrence_out(index, monkeypatch):
    """A figure found in one work only (the source a copy came from) counts nearly as rare as one
    the corpus lacks: the source's own occurrence is no evidence that the figure is common."""
    bg = index._background()
    rare = F.intervals_of(np.array(RARE))
    seen_once = bg.bits(rare)[3:].mean()
    unseen = bg.bits(F.intervals_of(np.array([p + (3 if i % 2 else 0) for i, p in enumerate(RARE)])))[3:].mean()
    common = bg.bits(F.intervals_of(np.array(scale_run(np.random.default_rng(6), 16))))[3:].mean()
    monkeypatch.setattr(IX, "LEAVE_ONE_OUT", 0)
    counted = bg.bits(rare)[3:].mean()
    assert seen_once > 0.6 * unseen and seen_once > counted + 2.0 and common < 0.25 * seen_once
    assert bg.ref_bits > 0


def test_exact_transposed_four_bar_copy_of_a_rare_passage_outranks_the_hosts_likenesses(index, corpus):
    rng = np.random.default_rng(8)
    # a host made of the style's common figures, with an 8-bar near-copy of a training work in it
    likeness = [p for p in F.melody_of(corpus[33]).pitches[10:42]]  # a scale work
    likeness = [int(p) + (1 if i % 9 == 8 else 0) for i, p in enumerate(likeness)]
    host_a, host_b = scale_run(rng, 24, 62), scale_run(rng, 24, 62)
    plant = [p - 5 for p in RARE]  # transposed, exact otherwise
    query = tune(likeness + host_a + plant + host_b, work_id="query")
    result = check_piece(query, index, top=3)
    best = result.matches[0]
    assert best.work["work_id"] == "source-tune"
    # the plant's bars: after 56 crotchets (14 bars), 4 bars long; the source's bars 7-10
    assert best.query_bars[0] <= 15 <= 18 <= best.query_bars[1] and best.query_bars[1] - best.query_bars[0] <= 6
    assert best.work_bars[0] <= 7 <= 10 <= best.work_bars[1]
    others = [m.score for m in result.matches[1:]]
    assert not others or best.score > 2 * max(others)


def test_a_long_run_of_common_scale_figures_scores_below_a_short_rare_copy(index, corpus):
    scale_copy = [int(p) for p in F.melody_of(corpus[37]).pitches[20:52]]  # 8 bars of a scale work, exactly
    rare_copy = [p + 2 for p in RARE]  # 4 bars copied exactly
    s_scale = check_piece(tune(scale_copy, work_id="q1"), index).score
    s_rare = check_piece(tune(rare_copy, work_id="q2"), index).score
    assert s_scale < 0.5 * s_rare


def test_retrieval_finds_a_short_copy_inside_a_long_host(index):
    rng = np.random.default_rng(9)
    host = scale_run(rng, 200, 62)
    q = F.melody_of(tune(host[:100] + [p + 3 for p in RARE] + host[100:], work_id="q")).intervals
    docs = [d for d, _, _ in index.candidates(q, k=1)]
    assert index.docs[docs[0]]["work_id"] == "source-tune"


# ------------------------------------------------------------------------------ the evaluation's versions
@pytest.fixture(scope="module")
def ecg():
    path = Path(__file__).resolve().parents[1] / "scripts" / "evaluate_copy_guard.py"
    spec = importlib.util.spec_from_file_location("evaluate_copy_guard", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("CrossesofAnnagh2reelThe", "Crosses of Annagh", True),
        ("Flop Ear'd Mule", "Flop-eared Mule", True),
        ("St Anne's (L)", "St Anne's (V)", True),
        ("OldTipperary", "OldTipperaryJigThe", True),
        ("Daisy Daisy", "Bicycle Built for Two", False),
        ("JSB chorale valid 52", "JSB chorale train 101", False),
        ("Dinah", "Diana", False),
    ],
)
def test_same_tune_titles(ecg, a, b, same):
    assert ecg.same_tune(a, b) is same


def test_threshold_at_a_false_alarm_rate(ecg):
    scores = np.arange(100, dtype=float)
    t = ecg.threshold_at(scores, 0.02)
    assert np.mean(scores >= t) <= 0.02 and np.mean(scores >= t - 1) > 0.02


def test_versions_are_found_by_a_fixed_reference_scorer(ecg):
    before = {k: getattr(IX, k) for k in ecg.REFERENCE_SCORER}
    with ecg.reference_scorer():
        assert {k: getattr(IX, k) for k in ecg.REFERENCE_SCORER} == ecg.REFERENCE_SCORER
    assert {k: getattr(IX, k) for k in ecg.REFERENCE_SCORER} == before


def test_reference_scorer_ignores_a_set_of_retrieval_constants(ecg, monkeypatch):
    """`--set CANDIDATES=64` (or another run-time constant) changes the score evaluated, not which
    held-out pieces the reference scorer calls versions (and so not the hosts and plants)."""
    monkeypatch.setattr(IX, "CANDIDATES", 64)
    monkeypatch.setattr(IX, "HARMONY_WEIGHT", 0.0)
    with ecg.reference_scorer():
        assert IX.CANDIDATES == 16 and IX.HARMONY_WEIGHT == 0.15
    assert IX.CANDIDATES == 64 and IX.HARMONY_WEIGHT == 0.0


def test_notes_inserted_into_common_figures_do_not_make_them_rare(index, corpus, monkeypatch):
    """Notes inserted into a common figure make the query's intervals look rare (their contexts
    are new), but two intervals read as one weigh only what the query and the work share."""
    base = [int(p) for p in F.melody_of(corpus[37]).pitches[20:52]]
    ornamented = []
    for i, p in enumerate(base):
        ornamented.append(p)
        if i % 3 == 2 and i + 1 < len(base):
            ornamented.append(p + 5 if base[i + 1] < p else p - 5)  # an odd note between two steps
    s_rare = check_piece(tune([p + 2 for p in RARE], work_id="q2"), index).score
    s_shared = check_piece(tune(ornamented, work_id="q3"), index).score
    monkeypatch.setattr(IX, "SHARED_WEIGHT", 0)
    s_query_only = check_piece(tune(ornamented, work_id="q4"), index).score
    assert s_shared < 0.6 * s_query_only and s_shared < 0.7 * s_rare


def test_rhythm_classes_are_ratios_of_note_spans():
    spans = np.array([1.0, 1.0, 2.0, 0.5, 1.5, 0.5, 8.0])
    assert F.rhythm_classes(spans).tolist() == [0, 2, -4, 3, -3, 4]  # 1, 2, 1/4, 3, 1/3, 16 (clipped)
    # a ratio: the same in 3/4 written as 6/8 (every span halved) or at another tempo
    assert np.array_equal(F.rhythm_classes(spans / 2), F.rhythm_classes(spans))
    iv = np.array([2, -2, 2, -12, 24])
    r = np.array([0, 0, 1, -4, 4])
    joint = F.joint_symbols(iv, r)
    assert len(set(joint.tolist())) == 5 and np.array_equal(np.sign(joint), np.sign(iv))
    # each interval size has its own run of symbols, with a gap either side: a rhythm one class off is
    # the symbol next to it, never another interval's
    every = {(i, c): int(F.joint_symbols(np.array([i]), np.array([c]))[0]) for i in range(1, 25) for c in range(-4, 5)}
    for (i, c), v in every.items():
        assert every.get((i, c + 1), v + 1) == v + 1 and (v + 1 not in every.values() or (i, c + 1) in every)


def test_rare_rhythms_weigh_more_than_common_ones(index):
    rhythm_of_crotchets = np.zeros(20, dtype=np.int64)  # every work of the corpus: crotchets
    dotted = np.array([1, -1] * 10)
    assert index.rhythm_info(dotted)[1:].min() > 4 * index.rhythm_info(rhythm_of_crotchets)[1:].max()


def test_a_copy_that_keeps_its_rhythm_scores_more_than_one_re_rhythmed(index, monkeypatch):
    """The rhythm is a second witness: a passage kept as it stands (pitches and note lengths)
    scores more than the same pitches re-rhythmed, which score what the pitches alone do."""
    as_written = tune(RARE)
    re_rhythmed = tune(RARE, [1.5, 0.5] * 8)
    alone = check_piece(as_written, index).score  # the shipped scorer: pitches alone
    monkeypatch.setattr(IX, "RHYTHM_GAIN", 1.0)
    score = {name: check_piece(p, index).score for name, p in (("as", as_written), ("re", re_rhythmed))}
    assert score["as"] > score["re"] == pytest.approx(alone)
    found = check_piece(as_written, index).matches[0]  # the rhythm's pass found the passage, end to end
    assert found.work["work_id"] == "source-tune" and found.query_notes == (0, len(RARE) - 1)
