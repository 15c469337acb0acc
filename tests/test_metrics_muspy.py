"""MusPy metrics on tiny hand-built pieces; expected values computed by hand."""

import math

import pytest

from tunesmith.metrics import muspy_metrics as mm
from tunesmith.score import KeySignature, Note, Piece, TimeSignature, Track


def piece(notes, *, meter=(4, 4), bar_onsets=None, tracks=None):
    tracks = tracks or [Track("melody", "melody", notes=[Note(p, o, d) for p, o, d in notes])]
    return Piece(
        piece_id="p",
        work_id="w",
        tracks=tracks,
        keys=[KeySignature(0.0, "C")],
        time_signatures=[TimeSignature(0.0, *meter)],
        bar_onsets=bar_onsets or [],
    )


CDEC = piece([(60, 0, 1), (62, 1, 1), (64, 2, 1), (60, 3, 1)])


def test_conversion_resolution_and_times():
    music = mm.piece_to_muspy(piece([(60, 0.5, 1 / 3), (62, 1.25, 0.75)]))
    assert music.resolution == 24
    n1, n2 = music.tracks[0].notes
    assert (n1.time, n1.duration, n1.pitch) == (12, 8, 60)
    assert (n2.time, n2.duration) == (30, 18)
    assert music.time_signatures[0].numerator == 4


def test_pitch_counts_and_range():
    assert mm.pitch_range(CDEC) == 4
    assert mm.n_pitches_used(CDEC) == 3
    assert mm.n_pitch_classes_used(CDEC) == 3


def test_entropies_c_d_e_c():
    # P = (1/2, 1/4, 1/4): H = 1/2*1 + 2 * 1/4*2 = 1.5 bits
    assert mm.pitch_class_entropy(CDEC) == pytest.approx(1.5)
    assert mm.pitch_entropy(CDEC) == pytest.approx(1.5)
    # C4 and C5: one pitch class, two pitches
    octave = piece([(60, 0, 1), (72, 1, 1)])
    assert mm.pitch_class_entropy(octave) == pytest.approx(0.0)
    assert mm.pitch_entropy(octave) == pytest.approx(1.0)


def test_scale_consistency():
    assert mm.scale_consistency(CDEC) == pytest.approx(1.0)
    # C C# D D# : best scale holds 3 of 4 (e.g. D#/Eb major? no: C D Eb in C minor) -> 3/4
    chromatic = piece([(60, 0, 1), (61, 1, 1), (62, 2, 1), (63, 3, 1)])
    assert mm.scale_consistency(chromatic) == pytest.approx(0.75)
    assert mm.pitch_in_scale_rate(chromatic) == pytest.approx(0.5)  # C and D in C major


def test_polyphony():
    assert mm.polyphony(CDEC) == pytest.approx(1.0)
    assert mm.polyphony_rate(CDEC) == 0.0
    # a C major triad for 1 beat, then a single note for 1 beat
    chord = piece([(60, 0, 1), (64, 0, 1), (67, 0, 1), (72, 1, 1)])
    assert mm.polyphony(chord) == pytest.approx((3 * 24 + 24) / 48)  # 2.0
    assert mm.polyphony_rate(chord) == pytest.approx(0.5)  # > 2 pitches during half the steps
    assert mm.polyphony_rate(chord, threshold=3) == 0.0


def test_empty_beat_rate():
    # notes in beats 0 and 3 only, each half a beat: end = 3.5 beats -> 4 beats, 2 empty
    sparse = piece([(60, 0, 0.5), (62, 3, 0.5)])
    assert mm.empty_beat_rate(sparse) == pytest.approx(0.5)
    # muspy quirk: a note ending on a beat line marks the next beat too, so beat 1 is not empty
    quirk = piece([(60, 0, 1), (64, 2, 1)])
    assert mm.empty_beat_rate(quirk) == pytest.approx(0.0)


def test_groove_consistency():
    assert mm.measure_resolution(piece([], meter=(6, 8))) == 72
    # bar 1 onsets at 0,1,2,3; bar 2 at 0,2 (ends at 7.5 so there are exactly 2 measures):
    # Hamming distance 2 over 96 steps -> 1 - 2/96
    p = piece([(60, 0, 1), (60, 1, 1), (60, 2, 1), (60, 3, 1), (62, 4, 2), (64, 6, 1.5)])
    assert mm.groove_consistency(p) == pytest.approx(1 - 2 / 96)
    assert math.isnan(mm.groove_consistency(piece([(60, 0, 1)])))


def test_groove_consistency_aligns_pickup():
    # one-beat pickup of two eighths, then bars starting at beats 1 and 5
    notes = [(67, 0, 0.5), (67, 0.5, 0.5), (60, 1, 1), (60, 2, 1), (60, 3, 1), (60, 4, 1), (62, 5, 2), (64, 7, 0.5)]
    p = piece(notes, bar_onsets=[0.0, 1.0, 5.0])
    # aligned: bar0 {72, 84}, bar1 {0, 24, 48, 72}, bar2 {0, 48}: distances 4 and 2 over 2 x 96
    assert mm.groove_consistency(p) == pytest.approx(1 - 6 / 192)
    # without bar lines the measures are cut from 0 and the value differs
    assert mm.groove_consistency(piece(notes)) == pytest.approx(1 - 2 / 96)


def test_drums_ignored_by_pitch_metrics():
    drums = Track("drums", "other", is_drum=True, notes=[Note(36, 0, 1), Note(42, 1, 1)])
    mel = Track("melody", "melody", notes=[Note(60, 0, 1), Note(60, 1, 1)])
    p = piece([], tracks=[mel, drums])
    assert mm.pitch_range(p) == 0
    assert mm.n_pitches_used(p) == 1


def test_all_metrics_dict_and_empty_piece():
    values = mm.muspy_metrics(CDEC)
    assert set(values) == {
        "pitch_range",
        "n_pitches_used",
        "n_pitch_classes_used",
        "pitch_entropy",
        "pitch_class_entropy",
        "scale_consistency",
        "polyphony",
        "polyphony_rate",
        "empty_beat_rate",
        "groove_consistency",
    }
    empty = mm.muspy_metrics(piece([]))
    assert empty["pitch_range"] == 0
    assert math.isnan(empty["pitch_entropy"]) and math.isnan(empty["polyphony"])
