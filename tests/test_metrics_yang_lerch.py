"""Yang & Lerch features and relative measures; expected values computed by hand."""

import math

import numpy as np
import pytest
from scipy.stats import norm

from tunesmith.metrics import yang_lerch as yl
from tunesmith.score import Note, Piece, Track


def piece(notes, pid="p"):
    return Piece(
        piece_id=pid, work_id=pid, tracks=[Track("melody", "melody", notes=[Note(p, o, d) for p, o, d in notes])]
    )


CDEC = piece([(60, 0, 1), (62, 1, 1), (64, 2, 1), (60, 3, 1)])


def test_pitch_features_c_d_e_c():
    assert yl.pitch_count(CDEC) == 3
    assert yl.pitch_range(CDEC) == 4
    assert yl.note_count(CDEC) == 4
    hist = yl.pitch_class_histogram(CDEC)
    assert hist[0] == pytest.approx(0.5) and hist[2] == pytest.approx(0.25) and hist[4] == pytest.approx(0.25)
    assert hist.sum() == pytest.approx(1.0)
    pctm = yl.pitch_class_transition_matrix(CDEC)
    expected = np.zeros((12, 12))
    expected[0, 2] = expected[2, 4] = expected[4, 0] = 1
    np.testing.assert_array_equal(pctm, expected)
    assert yl.pitch_class_transition_matrix(CDEC, normalize=True)[0, 2] == pytest.approx(1 / 3)
    # |62-60|, |64-62|, |60-64| = 2, 2, 4
    assert yl.avg_pitch_interval(CDEC) == pytest.approx(8 / 3)


def test_pitch_class_histogram_is_duration_weighted():
    p = piece([(60, 0, 3), (67, 3, 1)])
    hist = yl.pitch_class_histogram(p)
    assert hist[0] == pytest.approx(0.75) and hist[7] == pytest.approx(0.25)


def test_rhythm_features():
    p = piece([(60, 0, 1.5), (62, 1.5, 0.5), (64, 2, 1 / 3), (65, 2 + 1 / 3, 1 / 3), (67, 3, 1)])
    # onsets 0, 1.5, 2, 2.333, 3 -> mean IOI = 3 / 4
    assert yl.avg_ioi(p) == pytest.approx(0.75)
    # classes: dotted quarter (6), 8th (3), 8th triplet (11) twice, quarter (2)
    nlh = yl.note_length_histogram(p)
    assert nlh[6] == pytest.approx(0.2) and nlh[3] == pytest.approx(0.2)
    assert nlh[11] == pytest.approx(0.4) and nlh[2] == pytest.approx(0.2)
    nltm = yl.note_length_transition_matrix(p)
    assert nltm[6, 3] == 1 and nltm[3, 11] == 1 and nltm[11, 11] == 1 and nltm[11, 2] == 1
    assert nltm.sum() == 4


def test_note_length_class_nearest():
    names = [name for name, _ in yl.NOTE_LENGTH_CLASSES]
    assert names[yl.note_length_class(4.0)] == "whole"
    assert names[yl.note_length_class(3.0)] == "dotted half"
    assert names[yl.note_length_class(0.3)] == "8th triplet"  # |0.3-1/3| < |0.3-0.25|
    assert names[yl.note_length_class(0.7)] == "quarter triplet"  # |0.7-2/3| = 0.033 < |0.7-0.75| = 0.05
    assert names[yl.note_length_class(0.72)] == "dotted 8th"  # 0.03 < 0.053


def test_degenerate_pieces():
    one = piece([(60, 0, 1)])
    assert yl.avg_pitch_interval(one) == 0.0 and yl.avg_ioi(one) == 0.0
    empty = piece([])
    assert yl.pitch_class_histogram(empty).sum() == 0 and yl.pitch_range(empty) == 0


def test_intra_and_inter_set_distances():
    # scalar features 0, 3, 4: ordered pairs i != j
    intra = yl.intra_set_distances([np.array(0.0), np.array(3.0), np.array(4.0)])
    np.testing.assert_allclose(intra, [3, 4, 3, 1, 4, 1])
    inter = yl.inter_set_distances([np.array(0.0), np.array(3.0)], [np.array(4.0)])
    np.testing.assert_allclose(inter, [4, 1])
    # vectors: Euclidean
    v = yl.inter_set_distances([np.array([0.0, 0.0])], [np.array([3.0, 4.0])])
    np.testing.assert_allclose(v, [5.0])


def test_overlap_and_kl_on_known_samples():
    rng = np.random.default_rng(0)
    a = rng.normal(0, 1, 2000)
    assert yl.overlapping_area(a, a) == pytest.approx(1.0, abs=1e-3)
    assert yl.kl_divergence(a, a) == pytest.approx(0.0, abs=1e-6)
    far = rng.normal(100, 1, 2000)
    assert yl.overlapping_area(a, far) < 1e-3
    # deterministic normal "samples" (quantiles) and the same shifted by 1: the KDEs are nearly
    # N(0, s2) and N(1, s2) with s2 = var + h^2 = 1 + 2000^(-2/5) = 1.047, so
    # KL = 1 / (2 s2) = 0.477 and OA = 2 Phi(-1 / (2 sqrt(s2))) = 0.625
    q = norm.ppf((np.arange(2000) + 0.5) / 2000)
    assert yl.kl_divergence(q, q + 1) == pytest.approx(0.477, abs=0.015)
    assert yl.overlapping_area(q, q + 1) == pytest.approx(0.625, abs=0.002)


def test_binned_kde_matches_exact():
    rng = np.random.default_rng(1)
    sample = rng.normal(0, 1, 5000)
    grid = np.linspace(-6, 6, 1001)
    fast = yl.gaussian_kde(sample, grid)  # 5000 x 1001 > 4e6: binned path
    h = yl._bandwidth(sample)
    exact = np.exp(-0.5 * ((grid[:, None] - sample[None, :]) / h) ** 2).sum(1) / (
        len(sample) * h * math.sqrt(2 * math.pi)
    )
    np.testing.assert_allclose(fast, exact, atol=2e-3)


def test_relative_measures_separate_sets():
    real = [piece([(60, 0, 1), (60 + r, 1, 1)], f"r{r}") for r in (2, 3, 4, 5, 6)]
    similar = [piece([(60, 0, 1), (60 + r, 1, 1)], f"s{r}") for r in (2, 4, 6)]
    wide = [piece([(40, 0, 1), (40 + r, 1, 1)], f"g{r}") for r in (30, 31, 32)]
    near = yl.relative_measures(real, similar)
    far = yl.relative_measures(real, wide)
    assert set(near) == set(yl.FEATURES)
    assert all(set(v) == {"oa", "kld"} for v in near.values())
    assert near["pitch_range"]["oa"] > 0.5
    assert far["pitch_range"]["oa"] < 0.05
    assert far["pitch_range"]["kld"] > near["pitch_range"]["kld"] + 1.0
    # rhythm is identical in all sets: inter distances are all 0 like the intra ones
    assert far["note_count"]["oa"] == pytest.approx(1.0, abs=1e-3)
    with pytest.raises(ValueError):
        yl.relative_measures(real[:1], similar)


def test_absolute_measures():
    stats = yl.absolute_measures([CDEC, piece([(60, 0, 1), (72, 1, 1)])])
    assert stats["pitch_range"]["mean"] == pytest.approx(8.0)
    assert stats["pitch_range"]["std"] == pytest.approx(4.0)
    assert stats["pitch_class_histogram"]["mean"].shape == (12,)
