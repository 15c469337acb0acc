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
