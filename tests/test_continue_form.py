"""A continuation that follows a named form (`continue_piece`'s `form`): the given music is the
tune's first A; each later A restates it note for note, melody and chords, but for its last bar,
which is written anew; the other sections are new music."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tunesmith import api
from tunesmith.cocreate.continuation import continuation_form, form_plan
from tunesmith.remarks import take_remarks
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

HONEYSUCKLE = (Path(__file__).resolve().parents[2] / "shared" / "data" / "jazz" / "openewld" / "dataset"
               / "Andy_Razaf-Fats_Waller" / "Honeysuckle_Rose" / "Honeysuckle_Rose.mxl")  # fmt: skip
# a four-bar A in F: melody and one chord a bar
A_BARS = [([72, 70, 65, 69], "Gm7"), ([69, 67, 65, 62], "C7"), ([65, 69, 72, 69], "F"), ([67, 65, 64, 67], "C7")]


def _given() -> Piece:
    notes = [Note(p, 4.0 * b + i, 1.0, 80) for b, (pitches, _) in enumerate(A_BARS) for i, p in enumerate(pitches)]
    chords = [ChordSymbol(4.0 * b, figure) for b, (_, figure) in enumerate(A_BARS)]
    return Piece(piece_id="a", work_id="a", style="jazz", tracks=[Track("Melody", "melody", 0, False, notes)],
                 chords=chords, time_signatures=[TimeSignature(0.0, 4, 4)], tempos=[Tempo(0.0, 120.0)],
                 keys=[KeySignature(0.0, "F", "major")], end=16.0)  # fmt: skip


def _bar(piece: Piece, b: int) -> tuple[list, list]:
    """(melody (pitch, offset, duration), chord figures with offsets) of bar `b` (4/4, no pickup)."""
    s, e = 4.0 * b, 4.0 * (b + 1)
    notes = [(x.pitch, round(x.onset - s, 6), round(x.duration, 6)) for x in piece.melody().notes if s <= x.onset < e]
    chords = [(round(c.onset - s, 6), c.figure) for c in piece.chords if s - 1e-6 <= c.onset < e - 1e-6]
    return notes, chords


@pytest.mark.parametrize(("form", "restated", "new"), [("AABA", [4, 12], [8]), ("ABA", [8], [4]), ("AAB", [4], [8])])
def test_each_later_a_restates_the_given_one_but_its_last_bar(form, restated, new):
    given = _given()
    take = api.continue_(given, style="jazz", seed=4, form=form.lower())
    piece = take.piece
    assert len(piece.bars()) == 4 * len(form)
    resolved = take.provenance["request"]["resolved"]
    assert resolved["form"] == {"form": form, "section_bars": 4, "given_sections": 1, "restated": [[b + 1, 3] for b in restated]}
    for start in restated:
        for k in range(3):
            assert _bar(piece, start + k) == _bar(given, k), (form, start + k)
        assert _bar(piece, start + 3)[0] != _bar(given, 3)[0]  # the A's last bar is written anew
    for start in new:  # a new section is no restatement of the A
        assert [_bar(piece, start + k)[0] for k in range(3)] != [_bar(given, k)[0] for k in range(3)]
    assert piece.meta["sections"] == [[0, 4, "A"], *([4 + 4 * k, 8 + 4 * k, letter] for k, letter in enumerate(form[1:]))]
    assert any(line.startswith(f"form {form}:") for line in take_remarks(take.provenance))
    assert [(x.pitch, x.onset) for x in piece.melody().notes if x.onset < 16.0] == [(x.pitch, x.onset) for x in given.melody().notes]


def test_a_restated_a_keeps_its_chord_sounding_into_the_bar_after_it():
    """The given A's last chord before its last bar, read as lasting to the next chord, had been
    cut at the restated passage's end: the bar written after it showed N.C."""
    given = _given()
    given.chords = [ChordSymbol(c.onset, c.figure, 4.0) for c in given.chords]  # (durations, as files read)
    take = api.continue_(given, style="jazz", seed=4, form="AABA")
    sounding = [c for c in take.piece.chords if c.onset <= 28.0 + 1e-6]  # into the second A's last bar
    assert sounding[-1].duration is None or sounding[-1].onset + sounding[-1].duration > 28.0 + 1e-6


def test_a_form_is_checked_before_the_model_loads():
    assert continuation_form(" a a b a ") == "AABA"
    assert form_plan("AABA", 8) == (24, [0, 16])
    with pytest.raises(ValueError, match=r"form 'ABB': only the given music's A can come back note for note; B would be written twice"):
        continuation_form("ABB")
    with pytest.raises(ValueError, match=r"form 'BA': the given music is the tune's first section, so the form starts with A"):
        continuation_form("BA")
    with pytest.raises(ValueError, match=r"form 'A': give the tune's sections as letters"):
        continuation_form("A")
    with pytest.raises(ValueError, match=r"^form: 10000 sections; at most 32 \(each 2 bars or more, 64 bars in all\)$"):
        continuation_form("AB" * 5000)  # (said without echoing the form)
    with pytest.raises(ValueError, match=r"form 'A1B1': give the tune's sections as letters"):
        api.continue_(_given(), style="jazz", form="A1B1", model="/nonexistent")  # refused before the model is read


@pytest.mark.parametrize(("kw", "match"), [
    ({"bars": 8}, r"form AABA: the given 4 bars are its A, so its new sections take 12 bars, not 8"),
    ({"reprise": 2}, r"form AABA: its A sections restate the given music and its others are new; reprise does not go with it"),
    ({"chords": "F C7"}, r"form AABA: .* chords does not go with it"),
])  # fmt: skip
def test_a_form_refuses_what_does_not_go_with_it(kw, match):
    with pytest.raises(ValueError, match=match):
        api.continue_(_given(), style="jazz", seed=1, form="AABA", **kw)


def test_the_form_refuses_a_given_a_shorter_than_two_bars():
    short = _given()
    short.tracks[0].notes = [x for x in short.tracks[0].notes if x.onset < 4.0]
    short.chords, short.end = short.chords[:1], 4.0
    with pytest.raises(ValueError, match=r"form AABA: the given music is its first A and has 1 full bar\(s\); it needs 2 or more"):
        api.continue_(short, style="jazz", seed=1, form="AABA")


@pytest.mark.skipif(not HONEYSUCKLE.exists(), reason="the OpenEWLD lead sheets (../shared/data/jazz) are not here")
def test_a_training_tunes_a_restated_is_not_a_copy():
    """Honeysuckle Rose's 8-bar A continued AABA (a jazz pianist's request): its restated A's are
    the musician's own notes again, which the copy guard does not count; the take had been drawn
    again and labelled a copy of the tune."""
    from tunesmith.cocreate.inputs import load_piece

    tune = load_piece(HONEYSUCKLE)
    end = tune.bars()[8]
    a = copy.deepcopy(tune)
    for track in a.tracks:
        track.notes = [x for x in track.notes if x.onset < end - 1e-6]
    a.chords = [c for c in a.chords if c.onset < end - 1e-6]
    a.end, a.bar_onsets = end, tune.bars()[:8]
    take = api.continue_(a, style="jazz", seed=3, form="AABA")
    assert "resampled_from" not in take.provenance
    assert take.provenance["rights"]["verdict"] != "copy"
    # the bridge's last note ends by the restated A's bar line: an F held 4.5 beats into it had been
    # written as a second voice under the A's C5 (seed 1), a C5 doubled on its downbeat (seed 6, free)
    for seed, cadence in ((1, None), (1, "free"), (6, "free")):
        notes = sorted(api.continue_(a, style="jazz", seed=seed, form="AABA", cadence=cadence).piece.melody().notes,
                       key=lambda x: x.onset)  # fmt: skip
        assert all(x.onset + x.duration <= y.onset + 1e-6 for x, y in zip(notes, notes[1:])), (seed, cadence)


@pytest.mark.parametrize(("share", "drawn"), [(1.0, "tonic"), (0.0, "other")])
def test_a_new_section_opens_on_the_tonic_as_often_as_composed_ones(monkeypatch, share, drawn):
    """A form's new section (the bridge of AABA) draws its first chord on the tonic or off it as
    compose draws a contrasting section's (`CONTRAST_TONIC_SHARES`), where the model writes the
    chords (jazz); the draw is recorded with the take."""
    import tunesmith.sampling.request as request_module
    from tunesmith.harmony import parse_chord

    monkeypatch.setitem(request_module.CONTRAST_TONIC_SHARES, "jazz", share)
    for seed in (1, 4, 7):
        take = api.continue_(_given(), style="jazz", seed=seed, form="AABA")
        assert take.provenance["cocreate"]["contrast_chord"] == drawn
        first = [c for c in take.piece.chords if abs(c.onset - 32.0) < 1e-6]
        assert first and (parse_chord(first[0].figure)[0] == 5) == (drawn == "tonic"), first


def test_a_given_strain_played_twice_is_the_forms_a_a():
    """Given A A (the strain played twice, its second ending another), AABA writes B A: Ain't
    Misbehavin's first 8 bars with their repeat sign, read as played (16 bars), had been taken as
    one 16-bar A and made a 64-bar tune."""
    once = _given()
    twice = copy.deepcopy(once)
    twice.tracks[0].notes += [Note(x.pitch if x.onset < 12.0 else x.pitch - 2, x.onset + 16.0, x.duration, 80)
                              for x in once.tracks[0].notes]  # fmt: skip
    twice.chords += [ChordSymbol(c.onset + 16.0, c.figure) for c in once.chords]
    twice.end = 32.0
    take = api.continue_(twice, style="jazz", seed=4, form="AABA")
    piece = take.piece
    assert len(piece.bars()) == 16
    assert take.provenance["request"]["resolved"]["form"] == {"form": "AABA", "section_bars": 4, "given_sections": 2,
                                                              "restated": [[13, 3]]}  # fmt: skip
    assert piece.meta["sections"] == [[0, 4, "A"], [4, 8, "A"], [8, 12, "B"], [12, 16, "A"]]
    for k in range(3):
        assert _bar(piece, 12 + k) == _bar(once, k)
    assert any("the given 8 bars are its A A" in line for line in take_remarks(take.provenance))
    with pytest.raises(ValueError, match=r"form AABA: the given 8 bars are its A A, so its new sections take 8 bars, not 24"):
        api.continue_(twice, style="jazz", seed=4, form="AABA", bars=24)
    assert len(api.continue_(twice, style="jazz", seed=4, form="ABA").piece.bars()) == 24  # (A A is not ABA's start)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_forms_sections_end_as_composed_sections_do(seed):
    """AABA after a given A: the second A's last bar (written anew) closes on the tonic before the
    bridge, and the bridge's last bar half-closes on V before the A returns, as compose's sections
    do (`sampling.request.section_cadences`); Honeysuckle Rose's second A had ended over Dm7 into
    its bridge, and a bridge had half-closed under the chord before it."""
    from tunesmith.harmony import parse_chord

    piece = api.continue_(_given(), style="jazz", seed=seed, form="AABA").piece

    def named_on_downbeat(b: int) -> int:
        chord = next(c for c in piece.chords if abs(c.onset - 4.0 * b) < 1e-6)
        return parse_chord(chord.figure)[0]

    assert named_on_downbeat(7) == 5  # F: the second A closes
    assert named_on_downbeat(11) == 0  # C: the bridge half-closes
    a2_last = [x.pitch % 12 for x in piece.melody().notes if 28.0 <= x.onset < 32.0]
    assert a2_last[-1] in (5, 9, 0), a2_last  # on a tone of the tonic triad
