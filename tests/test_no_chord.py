"""N.C. ("no chord") among the musician's chords, as charts write a break, a stop or an unaccompanied
opening: `compose --chords "N.C. | Dm7 G7 | C7 N.C. | F"`. No symbol sounds there, the chord before
stops at it, the melody under it follows no chord, and the files write it (MusicXML's kind "none",
a MIDI "chord:N.C." marker), so that it reads back as a stop; `continue --chords` reads it too. It
had been refused."""

from __future__ import annotations

import numpy as np
import pytest

from tunesmith.tokenizer import TICKS_PER_BEAT

Q = TICKS_PER_BEAT


@pytest.mark.parametrize(
    ("chords", "bars"),
    [
        ("N.C. | C | F", ["N.C.", "C", "F"]),
        ("C NC | F", ["C N.C.", "F"]),
        ("C n.c. G7", ["C", "N.C.", "G7"]),  # a chord a bar
        ("N.C | | C", ["N.C.", "N.C.", "C"]),  # an empty bar holds it
    ],
)
def test_the_no_chord_sign_is_read_in_its_spellings(chords, bars):
    from tunesmith.sampling import ComposeRequest

    assert ComposeRequest(style="jazz", key="C", chords=chords, bars=4).chords == bars


@pytest.mark.parametrize(
    ("request_kw", "said"),
    [
        (dict(style="chorale", chords="C | N.C. | G"), r"^chords: N.C. \(no chord\) in bar 2: four voices sound a chord"),
        (dict(style="jazz", chords="N.C. | NC"), r"^chords: every bar is N.C. \(no chord\); give some chords"),
    ],
)
def test_no_chord_is_refused_where_it_cannot_hold(request_kw, said):
    from tunesmith.sampling import ComposeRequest

    with pytest.raises(ValueError, match=said):
        ComposeRequest(key="C", bars=4, **request_kw)


@pytest.mark.parametrize("cadence", ["free", "tonic"])
def test_continue_stops_the_chords_where_no_chord_is_asked(cadence):
    """`continue --chords "N.C. | C G7 N.C. | F"`: the given music's last chord stops where the new
    bars begin (a copy: the musician's piece keeps its own), G7 stops on beat 3; under a closing
    cadence the last bar is the tonic's, as for any given last chord."""
    import tunesmith
    from tunesmith.convert.common import chord_durations
    from tunesmith.score import ChordSymbol

    given = tunesmith.compose("pop", key="C", chords="C | Am | F | G7", bars=4, seed=0, pickup=0).piece
    before = [(c.onset, c.figure, c.duration) for c in given.chords]
    take = tunesmith.continue_(given, bars=3, chords="N.C. | C G7 N.C. | F", seed=1, cadence=cadence)
    assert [(c.onset, c.figure, c.duration) for c in given.chords] == before
    assert all(c.figure != "N.C." for c in take.piece.chords)
    timed = chord_durations([ChordSymbol(c.onset, c.figure, c.duration) for c in take.piece.chords], take.piece.duration())
    # the given last chord stopped at the first new bar; C and G7 share bar 6, G7 stopped on its 4th beat
    assert [(c.onset, c.figure, c.duration) for c in timed if c.onset >= 12.0] == [
        (12.0, "G7", 4.0), (20.0, "C", 2.0), (22.0, "G7", 1.0), (24.0, "F" if cadence == "free" else "C", 4.0)]  # fmt: skip


def test_continue_refuses_chords_that_are_all_no_chord():
    from tunesmith.cocreate.verbs import continuation_chords

    with pytest.raises(ValueError, match=r"^chords: give one chord symbol per new bar"):
        continuation_chords("N.C. | NC")


def _constrainer(chords: str):
    from tunesmith.sampling import ComposeRequest, Constrainer, compose_tables
    from tunesmith.tokenizer import Tokenizer

    request = ComposeRequest(style="pop", key="C", bars=4, chords=chords, pickup=0)
    return Constrainer(compose_tables(Tokenizer(), request, 512), 0)


def test_no_chord_writes_no_chord_token_and_the_melody_follows_none_under_it():
    """'C N.C. | F': C's tokens open bar 1 and nothing follows them at beat 3; bar 2 is F's. Under
    the N.C. the melody's pitches carry no chord's gains (C's had carried on past it)."""
    c = _constrainer("C N.C. | N.C. | F | G7")
    t = c.t
    tok = t.tok
    assert t.forced_chords[0] == tok.chord_ids("C", t.shift)
    assert t.forced_chords[1] == [] and t.forced_chords[2] == tok.chord_ids("F", t.shift)
    assert t.given_chord_pcs[0] == {0, 4, 7} and t.given_chord_pcs[1] is None and t.given_chord_pcs[2] is None
    c.bar, c.state = 0, 0
    c.cursor = c.note_pos = 0
    under_c = c.given_chord_bias()
    assert under_c is not None and np.any(under_c > 0)
    c.cursor = c.note_pos = 2 * Q
    assert c._under_no_chord(2 * Q) and c.given_chord_bias() is None
    c.bar = 1
    c.cursor = c.note_pos = 0
    assert c.given_chord_bias() is None


@pytest.mark.parametrize("seed", [0, 1])
def test_a_take_over_no_chord_holds_it_in_every_file(tmp_path, seed):
    """The take's chords stop where N.C. is asked: the chord before it ends there, no symbol is
    written in its place, the acceptance check finds nothing wrong, and the MusicXML and MIDI files
    read back with the same chords and stops (an opening N.C. too)."""
    import music21
    import symusic

    import tunesmith
    from tunesmith.inputs import read_file
    from tunesmith.metrics.constraints import check_chords

    chords = "N.C. | Dm7 G7 | C7 N.C. | Fmaj7"
    take = tunesmith.compose("jazz", key="F", chords=chords, bars=4, seed=seed, pickup=0)
    piece = take.piece
    assert [(c.onset, c.figure, c.duration) for c in piece.chords] == [
        (4.0, "Dm7", 2.0), (6.0, "G7", 2.0), (8.0, "C7", 2.0), (12.0, "Fmaj7", 4.0)]  # fmt: skip
    assert check_chords(piece, {"chords": chords, "meter": "4/4"}) == []
    take.write(tmp_path / "t.mid")
    take.write(tmp_path / "t.musicxml")
    xml = (tmp_path / "t.musicxml").read_text()
    assert xml.count("<kind text=\"N.C.\">none</kind>") == 2  # the opening bar's, and beat 3 of bar 3
    assert [type(h).__name__ for h in music21.converter.parse(str(tmp_path / "t.musicxml")).recurse()
            .getElementsByClass("Harmony")] == ["NoChord", "ChordSymbol", "ChordSymbol", "ChordSymbol", "NoChord", "ChordSymbol"]  # fmt: skip
    markers = [(m.time, m.text) for m in symusic.Score(str(tmp_path / "t.mid")).markers if m.text.startswith("chord:")]
    tpq = symusic.Score(str(tmp_path / "t.mid")).ticks_per_quarter
    assert markers == [(0, "chord:N.C."), (4 * tpq, "chord:Dm7"), (6 * tpq, "chord:G7"), (8 * tpq, "chord:C7"),
                       (10 * tpq, "chord:N.C."), (12 * tpq, "chord:Fmaj7")]  # fmt: skip
    for path in (tmp_path / "t.musicxml", tmp_path / "t.mid"):
        back = read_file(path)
        back = back[0] if isinstance(back, list) else back
        assert [(c.onset, c.figure, c.duration) for c in sorted(back.chords, key=lambda c: c.onset)] == [
            (4.0, "Dm7", 2.0), (6.0, "G7", 2.0), (8.0, "C7", 2.0), (12.0, "Fmaj7", 4.0)], path.name  # fmt: skip


def test_the_check_says_when_a_chord_sounds_through_no_chord():
    from tunesmith.metrics.constraints import check_chords
    from tunesmith.score import ChordSymbol, Note, Piece, TimeSignature, Track

    piece = Piece(piece_id="p", work_id="p", tracks=[Track("Melody", "melody", 0, False, [Note(60, 0.0, 8.0, 80)])],
                  time_signatures=[TimeSignature(0.0, 4, 4)], end=8.0,
                  chords=[ChordSymbol(0.0, "C", 4.0), ChordSymbol(6.0, "F", 2.0)])  # fmt: skip
    assert check_chords(piece, {"chords": "C | N.C. F", "meter": "4/4"}) == []
    piece.chords[0].duration = 6.0
    assert check_chords(piece, {"chords": "C | N.C. F", "meter": "4/4"}) == [
        "bar 2: chord C sounds at beat 4, where N.C. was requested"]


def test_an_opening_no_chord_before_a_chord_in_the_first_bar_is_written(tmp_path):
    """'N.C. C7 | F': N.C. on the first downbeat, C7 on beat 3 (the MusicXML and MIDI had shown C7
    alone, the opening N.C. only for a whole bar)."""
    import symusic

    import tunesmith

    take = tunesmith.compose("jazz", key="F", chords="N.C. C7 | F", bars=2, seed=2, pickup=0)
    take.write(tmp_path / "t.mid")
    take.write(tmp_path / "t.musicxml")
    markers = [(m.time, m.text) for m in symusic.Score(str(tmp_path / "t.mid")).markers if m.text.startswith("chord:")]
    tpq = symusic.Score(str(tmp_path / "t.mid")).ticks_per_quarter
    assert markers == [(0, "chord:N.C."), (2 * tpq, "chord:C7"), (4 * tpq, "chord:F")]
    assert (tmp_path / "t.musicxml").read_text().count("none</kind>") == 1


def test_a_stop_time_chorus_played_again_keeps_its_stops():
    """`continue --chords again` over 'F7 N.C. | N.C. | Bb7 | F7': the new chorus stops where the
    given one did (it had played F7 through the breaks)."""
    import tunesmith
    from tunesmith.convert.common import chord_durations
    from tunesmith.score import ChordSymbol

    given = tunesmith.compose("jazz", key="F", chords="F7 N.C. | N.C. | Bb7 | F7", bars=4, seed=0, pickup=0).piece
    take = tunesmith.continue_(given, bars=4, chords="again", seed=1, cadence="free")
    timed = chord_durations([ChordSymbol(c.onset, c.figure, c.duration) for c in take.piece.chords], take.piece.duration())
    assert [(c.onset, c.figure, c.duration) for c in timed] == [
        (0.0, "F7", 2.0), (8.0, "Bb7", 4.0), (12.0, "F7", 4.0),
        (16.0, "F7", 2.0), (24.0, "Bb7", 4.0), (28.0, "F7", 4.0)]  # fmt: skip


def test_continue_keeps_a_chart_that_ends_on_no_chord_and_says_what_a_longer_chart_leaves_out():
    """A closing N.C. stays under the closing cadence (compose keeps it; continue had made it the
    tonic chord), and a chart longer than the new bars is said, as compose says it."""
    import tunesmith
    from tunesmith.convert.common import chord_durations
    from tunesmith.score import ChordSymbol

    given = tunesmith.compose("pop", key="C", chords="C | Am | F | G7", bars=4, seed=0, pickup=0).piece
    take = tunesmith.continue_(given, bars=2, chords="F | G7 N.C. | C | C", seed=1)
    timed = chord_durations([ChordSymbol(c.onset, c.figure, c.duration) for c in take.piece.chords], take.piece.duration())
    assert [(c.onset, c.figure, c.duration) for c in timed if c.onset >= 16.0] == [(16.0, "F", 4.0), (20.0, "G7", 2.0)]
    assert ("4 bars of chords for 2 new bars: the last 2 bars (C | C) are not used; ask for 4 new bars to hear them all"
            in take.remarks)  # fmt: skip
    assert not any("became" in line for line in take.remarks)


def test_chords_that_are_all_no_chord_say_so_without_a_key():
    from tunesmith.controls import compose_request

    with pytest.raises(ValueError, match=r"^chords: every bar is N.C. \(no chord\); give some chords"):
        compose_request("jazz", chords="N.C. | %", bars=2)


@pytest.mark.parametrize(("chords", "bars"), [("C Am F G", 16), ("C G7 C", 18), ("F7 | Bb7 | F7 | F7 | Bb7 | Bb7 | F7 | "
                                                "D7 | Gm7 | C7 | F7 D7 | Gm7 C7", 12), (None, 16)])
def test_a_chart_without_bars_is_played_once_through_and_a_loop_to_sixteen(chords, bars):
    from tunesmith.controls import compose_request

    assert compose_request("jazz", chords=chords, key="F").bars == bars
    assert compose_request("jazz", chords=chords, key="F", bars=8).bars == 8


BARE_JIG = """X:1
T:A bare jig
M:6/8
L:1/8
K:G
D|GAB d2B|c2A B2G|AGF G2A|BAG FED|GAB d2B|c2A B2G|AGF GBd|g3 g2|]
"""


def test_inpainting_a_melody_without_chords_writes_none(tmp_path, monkeypatch):
    """A fiddler's jig without chord symbols, two bars inpainted: no chords in them either (two bars
    of chords in a bare tune, N.C. where they stopped, which MuseScore 3 printed "CN.C.")."""
    import tunesmith as ts
    from tunesmith.cocreate import verbs

    path = tmp_path / "bare.abc"
    path.write_text(BARE_JIG)
    take = ts.inpaint(path, bars="3-4", seed=5)
    assert take.piece.chords == []
    monkeypatch.setattr(verbs, "CHORDLESS_STAYS_CHORDLESS", False)
    assert ts.inpaint(path, bars="3-4", seed=5).piece.chords
