"""Classifier two-sample test: separable sets give accuracy near 1, one distribution near 1/2."""

import numpy as np
import pytest

from tunesmith.metrics import c2st as c2
from tunesmith.score import Note, Piece, Track

C_MAJOR = [60, 62, 64, 65, 67, 69, 71, 72]


def melody(rng, pitches, dur, n=16, pid="p"):
    notes = [Note(int(rng.choice(pitches)), i * dur, dur) for i in range(n)]
    return Piece(pid, pid, tracks=[Track("melody", "melody", notes=notes)])


def test_feature_vector_layout():
    p = Piece("p", "p", tracks=[Track("melody", "melody", notes=[Note(60, 0, 1), Note(62, 1, 1)])])
    v = c2.feature_vector(p)
    assert v.shape == (317,)
    assert v[0] == 2  # pitch count
    assert v[1 + 0] == pytest.approx(0.5)  # PCH of C
    assert v[13 + 0 * 12 + 2] == pytest.approx(1.0)  # PCTM C -> D, normalized


def test_logistic_regression_separates_a_line():
    x = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0, 0, 1, 1])
    w, b = c2.fit_logistic(x, y, l2=1e-3)
    assert w[0] > 0 and ((x @ w + b) > 0).tolist() == [False, False, True, True]


def test_separable_sets_are_detected():
    rng = np.random.default_rng(0)
    real = [melody(rng, C_MAJOR, 1.0, pid=f"r{i}") for i in range(20)]
    generated = [melody(rng, list(range(60, 72)), 0.25, pid=f"g{i}") for i in range(20)]
    result = c2.c2st(real, generated)
    assert result["accuracy"] >= 0.95
    assert result["p_value"] < 1e-6


def test_same_distribution_is_near_chance():
    rng = np.random.default_rng(1)
    pool = [melody(rng, C_MAJOR, rng.choice([0.5, 1.0]), pid=f"x{i}") for i in range(60)]
    acc = c2.c2st_accuracy(pool[:30], pool[30:], seed=3)
    assert 0.25 <= acc <= 0.75


def test_balancing_and_minimum_size():
    rng = np.random.default_rng(2)
    real = [melody(rng, C_MAJOR, 1.0, pid=f"r{i}") for i in range(12)]
    generated = [melody(rng, C_MAJOR, 1.0, pid=f"g{i}") for i in range(6)]
    assert c2.c2st(real, generated)["n_real"] == 6
    with pytest.raises(ValueError):
        c2.c2st(real[:3], generated[:3])


def lengths_apart(seed: int = 4):
    """Real melodies in quarters and eighths, generated ones the same pitches in eighths only."""
    rng = np.random.default_rng(seed)
    real, generated = [], []
    for i in range(24):
        pitches = [int(rng.choice(C_MAJOR)) for _ in range(16)]
        lengths = [float(rng.choice([0.5, 1.0])) for _ in range(16)]
        onsets = np.concatenate(([0.0], np.cumsum(lengths)[:-1]))
        real.append(Piece(f"r{i}", f"r{i}", tracks=[Track("melody", "melody", notes=[
            Note(p, float(t), d) for p, t, d in zip(pitches, onsets, lengths)])]))  # fmt: skip
        generated.append(Piece(f"g{i}", f"g{i}", tracks=[Track("melody", "melody", notes=[
            Note(p, k * 0.5, 0.5) for k, p in enumerate(pitches)])]))  # fmt: skip
    return real, generated


def test_explain_names_the_note_lengths_when_only_the_lengths_differ():
    real, generated = lengths_apart()
    out = c2.explain(real, generated)
    groups = out["groups"]
    assert groups["note lengths (NLH)"]["alone"] >= 0.9
    assert groups["pitch classes (PCH)"]["alone"] <= 0.75  # the same pitches
    top = out["differences"][0]
    assert top["feature"].startswith(("NLH", "NLTM")) or top["feature"] == "mean IOI"
    nlh_8th = next(d for d in out["differences"] if d["feature"] == "NLH 8th")
    assert nlh_8th["generated"] == pytest.approx(1.0) and nlh_8th["real"] < 0.7 and nlh_8th["d"] > 0


def test_explain_names_the_pitches_when_only_the_pitches_differ():
    rng = np.random.default_rng(5)
    real = [melody(rng, C_MAJOR, 0.5, pid=f"r{i}") for i in range(24)]
    generated = [melody(rng, [61, 63, 66, 68, 70], 0.5, pid=f"g{i}") for i in range(24)]  # the black keys
    out = c2.explain(real, generated)
    assert out["groups"]["pitch classes (PCH)"]["alone"] >= 0.95
    assert out["groups"]["note lengths (NLH)"]["alone"] <= 0.75  # all eighths on both sides
    assert out["differences"][0]["feature"].startswith(("PCH", "PCTM"))


def test_explain_on_every_feature_is_the_c2st_itself():
    real, generated = lengths_apart(6)
    for seed in (2, 3):  # unequal sets: the same balancing draw and the same folds as c2st
        out = c2.explain(real[:20], generated, seed=seed)
        assert out["accuracy"] == c2.c2st(real[:20], generated, seed=seed)["accuracy"]
    names = [d["feature"] for d in out["differences"]]
    assert len(names) == len(set(names)) and set(names) <= set(c2.FEATURE_NAMES)


def test_explain_needs_enough_pieces():
    rng = np.random.default_rng(7)
    few = [melody(rng, C_MAJOR, 1.0, pid=f"x{i}") for i in range(3)]
    with pytest.raises(ValueError, match="explain needs at least 5 pieces in each set"):
        c2.explain(few, few)


def test_feature_names_and_groups_cover_the_vector():
    assert len(c2.FEATURE_NAMES) == 317 and len(set(c2.FEATURE_NAMES)) == 317
    covered = sorted(i for r in c2.FEATURE_GROUPS.values() for i in r)
    assert covered == list(range(317))
    assert c2.FEATURE_NAMES[13 + 0 * 12 + 2] == "PCTM C->D"  # the layout test's entry
