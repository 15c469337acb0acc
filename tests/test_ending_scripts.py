"""The measures behind the drawn endings and the register feedback (scripts/endings_report.py,
scripts/fit_register_lift.py): what they count on small pieces whose answer is known."""

from __future__ import annotations

import pytest

from script_loader import load_script
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, TimeSignature, Track


def lead_sheet(pitches, chords=(), key="D", bar=4.0, durations=None) -> Piece:
    durations = durations or [1.0] * len(pitches)
    onsets = [sum(durations[:i]) for i in range(len(pitches))]
    notes = [Note(p, o, d) for p, o, d in zip(pitches, onsets, durations)]
    return Piece("p", "p", style="folk", tracks=[Track("M", "melody", notes=notes)],
                 keys=[KeySignature(0.0, key, "major")], time_signatures=[TimeSignature(0.0, int(bar), 4)],
                 chords=[ChordSymbol(o, f) for o, f in chords])  # fmt: skip


@pytest.fixture(scope="module")
def report():
    return load_script("scripts/endings_report.py")


def test_the_approach_into_the_last_note_is_classed_by_its_interval(report):
    assert [report.approach_class(i) for i in (0, -1, 2, -3, 4, 5, -7, 8, -12, 19)] == [
        "repeat", "step", "step", "third", "third", "leap", "leap", "wide", "wide", "wide"]  # fmt: skip


@pytest.mark.parametrize(("last", "chord", "want"), [
    (67, "G", ("other", True, "IV")),  # G over G in D major: the 4th over IV
    (69, "A7", ("fifth", True, "V")),  # A over A7: a half cadence
    (64, "D", ("other", False, "I")),  # E over D: a non-chord tone over the tonic chord
    (62, "D", ("root", True, "I")),
    (72, "C", ("other", True, "bVII")),  # C over C: the flat seventh's chord
])  # fmt: skip
def test_the_last_note_and_the_chord_under_it(report, last, chord, want):
    piece = lead_sheet([62, 66, 69, last], chords=[(0.0, "D"), (3.0, chord)])
    assert report._last_chord(piece) == want


def test_final_chord_shares_count_only_endings_on_a_chord_tone(report):
    pieces = [lead_sheet([62, 64, 67], chords=[(0.0, "D"), (2.0, "G")]),  # other over IV
              lead_sheet([62, 64, 67], chords=[(0.0, "D"), (2.0, "G")]),
              lead_sheet([62, 64, 71], chords=[(0.0, "D"), (2.0, "Em")]),  # other over ii
              lead_sheet([62, 64, 64], chords=[(0.0, "D")]),  # other over I: not a chord tone
              lead_sheet([62, 64, 69], chords=[(0.0, "D"), (2.0, "A")])]  # fifth over V  # fmt: skip
    shares = report.final_chord_shares(pieces)
    assert shares["other"] == {"pieces": 4, "last_note_a_chord_tone": 3,
                               "chord_shares": {"IV": pytest.approx(0.667, abs=1e-3), "ii": pytest.approx(0.333, abs=1e-3)}}  # fmt: skip
    assert shares["fifth"]["chord_shares"] == {"V": 1.0}


def test_the_b_strain_lift_is_its_mean_pitch_over_the_a_strains():
    fit = load_script("scripts/fit_register_lift.py")
    # 32 bars of 4/4, a whole note each: the A strain (bars 1-16) on 60 and 62, the B strain on 64 and 66
    pitches = [60, 62] * 8 + [64, 66] * 8
    piece = lead_sheet(pitches, durations=[4.0] * 32)
    assert fit.section_lift(piece, 32, "AABB") == pytest.approx(4.0)
    # AABA: the bridge (bars 17-24) against the three A sections
    assert fit.section_lift(piece, 32, "AABA") == pytest.approx(65.0 - (61.0 * 16 + 65.0 * 8) / 24)
    assert fit.section_lift(lead_sheet(pitches[:20], durations=[4.0] * 20), 32, "AABB") is None  # too short


def test_a_chorales_voice_profile_is_mean_pitch_interval_and_range_per_voice():
    fit = load_script("scripts/fit_voice_registers.py")
    voices = [[72, 74, 72, 76], [67, 67, 65, 67], [60, 64, 62, 60], [48, 55, 50, 48]]
    tracks = [Track(r, r, notes=[Note(p, float(i), 2.0 if i == 0 else 1.0) for i, p in enumerate(ps)])
              for r, ps in zip(("soprano", "alto", "tenor", "bass"), voices)]  # fmt: skip
    piece = Piece("c", "c", style="chorale", tracks=tracks)
    profile = fit.voice_profile(piece, 4)
    # the soprano's first note lasts two beats: (72 * 2 + 74 + 72 + 76) / 5
    assert profile[0] == pytest.approx(73.2)
    assert profile[4:8] == pytest.approx([(2 + 2 + 4) / 3, (0 + 2 + 2) / 3, (4 + 2 + 2) / 3, (7 + 5 + 2) / 3])
    assert profile[8:] == [4.0, 2.0, 4.0, 7.0]
    assert fit.voice_profile(piece, 3) is None  # another number of voices


def test_the_chosen_gain_is_the_nearest_and_the_report_says_so(tmp_path):
    import json

    from tunesmith.evaluation.feedback_fit import chosen_gain

    report = {"gains": {"0.0": {"distance": 3.0}, "1.0": {"distance": 0.5}, "2.0": {"distance": 0.9}}}
    assert chosen_gain(report, 0.0, str(tmp_path / "r.json")) == "1.0"
    written = json.loads((tmp_path / "r.json").read_text())
    assert written["chosen_gain"] == 1.0 and written["minutes"] > 0
    assert chosen_gain({"gains": {"4.0": {"distance": 0.0}}}, 0.0, None) == "4.0"
