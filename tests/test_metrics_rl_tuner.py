"""RL Tuner / Sequence Tutor statistics on hand-built melodies; expected values by hand."""

import math

import pytest

from tunesmith.metrics import rl_tuner as rt
from tunesmith.score import KeySignature, Note, Piece, Track

OFF, NO = rt.NOTE_OFF, rt.NO_EVENT


def piece(notes, *, key="C", mode="major", end=0.0):
    return Piece(
        piece_id="p",
        work_id="w",
        tracks=[Track("melody", "melody", notes=[Note(p, o, d) for p, o, d in notes])],
        keys=[KeySignature(0.0, key, mode)],
        end=end,
    )


def quarters(pitches):
    return piece([(p, i, 1) for i, p in enumerate(pitches)])


def sixteenths(pitches):
    return piece([(p, i * 0.25, 0.25) for i, p in enumerate(pitches)])


def test_event_grid():
    # C4 quarter, quarter rest, E4 eighth, eighth rest, piece ends at beat 3 (12 steps)
    p = piece([(60, 0, 1), (64, 2, 0.5)], end=3.0)
    assert rt.melody_events(p) == [62, NO, NO, NO, OFF, NO, NO, NO, 66, NO, OFF, NO]
    # legato: no NOTE_OFF between notes, none after the last one at the piece end
    assert rt.melody_events(quarters([60, 62])) == [62, NO, NO, NO, 64, NO, NO, NO]
    # chords in the melody: highest note; overlapping notes are cut
    chordal = piece([(60, 0, 2), (67, 0, 1), (65, 1, 1)])
    assert rt.melody_events(chordal) == [69, NO, NO, NO, 67, NO, NO, NO]


def test_notes_not_in_key_is_per_step():
    stats = rt.rl_tuner_stats(quarters([60, 61, 62]))  # C# of three quarters = 12 steps
    assert stats["notes_not_in_key"] == pytest.approx(1 / 12)
    minor = piece([(57, 0, 1), (68, 1, 1), (69, 2, 1)], key="A", mode="minor")  # G# in A minor
    assert rt.rl_tuner_stats(minor)["notes_not_in_key"] == pytest.approx(1 / 12)
    assert rt.rl_tuner_stats(minor, raised_6_7=True)["notes_not_in_key"] == 0.0


def test_excessively_repeated_notes():
    # six C 16ths: the 6th has 5 equal notes before it (> 4)
    assert rt.rl_tuner_stats(sixteenths([60] * 6))["notes_excessively_repeated"] == pytest.approx(1 / 6)
    assert rt.rl_tuner_stats(sixteenths([60] * 5))["notes_excessively_repeated"] == 0.0
    # magenta quirk: a whole note is 1 note-on + 15 NO_EVENTs, and a NO_EVENT preceded by more
    # than 4 NO_EVENTs is flagged: steps 6..15 -> 10 of 16
    whole = piece([(60, 0, 4)])
    assert rt.rl_tuner_stats(whole)["notes_excessively_repeated"] == pytest.approx(10 / 16)
    # with held notes between the repeats, up to 6 repeats are allowed
    assert not rt.detect_repeating_notes([62, NO, 62, NO, 62, NO, 62, NO, 62, NO, 62], 62)
    assert rt.detect_repeating_notes([62, NO, 62, NO, 62, NO, 62, NO, 62, NO, 62, NO, 62], 62)
    assert rt.detect_repeating_notes([62, OFF, OFF], OFF)


def test_autocorrelation():
    # x = 1 2 1 2: deviations -+-+ of 0.5, variance 0.25
    assert rt.autocorrelation([1, 2, 1, 2], 1) == pytest.approx(-0.75)
    assert rt.autocorrelation([1, 2, 1, 2], 2) == pytest.approx(0.5)
    assert math.isnan(rt.autocorrelation([3, 3, 3], 1))


def test_encoding_for_autocorrelation():
    # D major: D4 (62, event 64) goes to C4 = MIDI 60 = index 14 (magenta's C_MAJOR_TONIC)
    assert rt.encode_for_autocorrelation([64, NO, OFF], tonic_pc=2) == [14, NO, OFF]
    # G major shifts up 5: G4 (67) -> C5 (72) -> index 26
    assert rt.encode_for_autocorrelation([69], tonic_pc=7) == [26]
    # folded into 48..83 by octaves: F#6 (90) in C -> 78 -> index 32
    assert rt.encode_for_autocorrelation([92], tonic_pc=0) == [32]


def test_tonic_start_and_unique_extremes():
    stats = rt.rl_tuner_stats(quarters([60, 64, 67, 64, 60]))
    assert stats["compositions_starting_with_tonic"] == 1.0
    assert stats["compositions_unique_max_note"] == 1.0  # G once
    assert stats["compositions_unique_min_note"] == 0.0  # C twice
    g_major = piece([(55, 0, 1), (59, 1, 1)], key="G")
    assert rt.rl_tuner_stats(g_major)["compositions_starting_with_tonic"] == 1.0
    assert rt.rl_tuner_stats(quarters([62, 60]))["compositions_starting_with_tonic"] == 0.0


def test_leaps():
    # C4 A4 (leap up) G4, then down a fifth to C4 after 7 steps: resolved
    assert rt.rl_tuner_stats(quarters([60, 69, 67, 60]))["leaps_resolved"] == 1.0
    # C4 G4 D5: two leaps up: doubled
    assert rt.rl_tuner_stats(quarters([60, 67, 74]))["leaps_resolved"] == 0.0
    # C4 A4 then stepwise down to C4: gradually resolved
    assert rt.rl_tuner_stats(quarters([60, 69, 67, 65, 64, 62, 60]))["leaps_resolved"] == 1.0
    # leaping straight back (after 0 steps) neither resolves nor doubles: no leap outcome at all
    quick = piece([(60, 0, 1), (69, 1, 0.25), (62, 1.25, 1)])
    assert math.isnan(rt.rl_tuner_stats(quick)["leaps_resolved"])


def test_motifs():
    scale = [60, 62, 64, 65, 67, 69, 71, 72]
    once = rt.rl_tuner_stats(sixteenths(scale))
    assert once["notes_in_motif"] == pytest.approx(1 / 8)  # only the 8th step closes an 8-step window
    assert once["notes_in_repeated_motif"] == 0.0
    twice = rt.rl_tuner_stats(sixteenths(scale + scale))
    assert twice["notes_in_motif"] == pytest.approx(9 / 16)
    assert twice["notes_in_repeated_motif"] == pytest.approx(1 / 16)  # the last window repeats the first
    # a window needs 3 distinct pitches
    assert rt.rl_tuner_stats(sixteenths([60, 62] * 4))["notes_in_motif"] == 0.0


def test_fast_repeated_motif_count_equals_magenta_rule():
    events = [62, 64, NO, 66, OFF, 62, 64, NO, 66, OFF, 62, 64, NO, 66, OFF, 62, 64, NO, 66, 67, 62, 64, NO, 66, OFF]
    slow = sum(rt.detect_repeated_motif(events[: t + 1]) for t in range(len(events)))
    counts = rt.composition_counts(events, 0, frozenset({0, 2, 4, 5, 7, 9, 11}))
    assert counts.notes_in_repeated_motif == slow > 0


def test_segments_and_pooling():
    p = sixteenths([60, 62, 64, 65] * 16)  # 64 steps
    assert rt.rl_tuner_counts(p, segment_steps=32).n_compositions == 2
    assert rt.rl_tuner_counts(p).n_compositions == 1
    pooled = rt.rl_tuner_stats([quarters([60, 61]), quarters([60, 62])])
    assert pooled["notes_not_in_key"] == pytest.approx(1 / 16)
    assert set(pooled) == set(rt.STAT_NAMES)


def test_paper_constant_has_every_statistic():
    assert set(rt.RL_TUNER_PAPER_NOTE_RNN) == set(rt.STAT_NAMES)
    with pytest.raises(ValueError):
        rt.rl_tuner_stats(Piece("p", "w", tracks=[Track("m", notes=[Note(60, 0, 1)])]))


def test_paper_constant_is_the_verified_table():
    """The Note RNN column of Table 1, arXiv:1611.02796v3 (checked against a full-text copy)."""
    want = {
        "notes_excessively_repeated": 0.633, "notes_not_in_key": 0.001, "autocorrelation_lag1": -0.16,
        "autocorrelation_lag2": 0.14, "autocorrelation_lag3": -0.13, "leaps_resolved": 0.772,
        "compositions_starting_with_tonic": 0.009, "compositions_unique_max_note": 0.647,
        "compositions_unique_min_note": 0.494, "notes_in_motif": 0.059, "notes_in_repeated_motif": 0.00007,
    }  # fmt: skip
    got = dict(rt.RL_TUNER_PAPER_NOTE_RNN)
    assert got.keys() == want.keys()
    assert all(got[k] == pytest.approx(v) for k, v in want.items())
    src = rt.RL_TUNER_PAPER_SOURCE
    assert src["verified"] is True and src["url"] == "https://arxiv.org/abs/1611.02796v3"
