"""A bar of the musician's chords may hold more than one ('Dm7 G7 | Cmaj7', as lead sheets write a
ii-V): the chords share the bar's beats (`sampling.request.bar_chord_beats`), each is written at
its place, and the melody (or the four voices) fit the chord sounding where each note is. Such a
bar had been refused: a bar took one chord."""

from __future__ import annotations

import numpy as np
import pytest

from tunesmith.tokenizer import TICKS_PER_BEAT

Q = TICKS_PER_BEAT  # a quarter note in ticks


def _constrainer(style: str, chords, meter: str = "4/4"):
    from tunesmith.sampling import ComposeRequest, Constrainer, compose_tables
    from tunesmith.tokenizer import Tokenizer

    request = ComposeRequest(style=style, key="C", meter=meter, bars=4, chords=chords, pickup=0)
    return Constrainer(compose_tables(Tokenizer(), request, 512), 0)


def test_chords_between_bar_lines_are_one_entry_a_bar():
    from tunesmith.cli._common import parse_chords
    from tunesmith.sampling import ComposeRequest

    assert parse_chords("| Bb G7 | Cm7 F7 |") == ["Bb G7", "Cm7 F7"]
    assert parse_chords("| Bb | G7 | Cm7 | F7 |") == ["Bb", "G7", "Cm7", "F7"]
    assert parse_chords("Bb G7 Cm7 F7") == ["Bb", "G7", "Cm7", "F7"]  # without bar lines: one a bar, as before
    assert ComposeRequest(style="jazz", chords="Dm7  G7 |Cmaj7", bars=4).chords == ["Dm7 G7", "Cmaj7"]
    assert ComposeRequest(style="jazz", chords=["Dm7 G7", "Cmaj7"], bars=4).chords == ["Dm7 G7", "Cmaj7"]


@pytest.mark.parametrize(
    ("entry", "meter", "beats"),
    [
        ("C G7", "4/4", [0, 2]),
        ("C F G7", "4/4", [0, 2, 3]),  # the first takes the longer share
        ("C F G7 C", "4/4", [0, 1, 2, 3]),
        ("C G7", "3/4", [0, 2]),  # a waltz's two chords: two beats and one
        ("C G7", "6/8", [0, 1]),  # each a dotted quarter
        ("C G7", "2/2", [0, 1]),  # each a half note
        ("C G7", "7/8", [0, 4]),
        ("C / / G7", "4/4", [0, 3]),  # a beat slash holds the chord before it
        ("C G7 / /", "4/4", [0, 1]),
        ("C", "4/4", [0]),
    ],
)
def test_a_bars_chords_share_its_beats(entry, meter, beats):
    from tunesmith.sampling.request import bar_chord_beats, bar_chord_ticks

    placed = bar_chord_beats(entry, meter)
    assert [k for k, _ in placed] == beats
    assert [f for _, f in placed] == [w for w in entry.split() if w != "/"]
    beat_ticks = {"6/8": 18, "2/2": 24, "7/8": 6}.get(meter, Q)
    assert [t for t, _ in bar_chord_ticks(entry, meter)] == [k * beat_ticks for k in beats]


@pytest.mark.parametrize(
    ("chords", "meter", "said"),
    [
        ("C F G7 Am Dm | C", "4/4", r"^chords: the bar 'C F G7 Am Dm' holds 5 chords; a 4/4 bar has 4 beats, one chord a beat at most$"),
        ("C F G7 | C", "6/8", r"^chords: the bar 'C F G7' holds 3 chords; a 6/8 bar has 2 beats"),
        ("C / G7 / / | C", "4/4", r"^chords: the bar 'C / G7 / /' holds 5 words; a 4/4 bar has 4 beats"),
        ("/ C | G7", "4/4", r"^chords: the bar '/ C' starts with a beat slash; its first beat needs a chord$"),
        ("C / G7 /", "4/4", r"^chords: a beat slash \('/'\) needs bar lines around its bar"),
        ("C | Dm7 Hx7", "4/4", r"^unparsable chord 'Hx7' \(in bar 2, 'Dm7 Hx7'\)$"),
        (["", "C"], "4/4", r"^chords: the first bar is empty \(an empty bar holds the chord before it\), but no bar comes before it$"),
        ("| | C |", "4/4", r"^chords: the first bar is empty"),
    ],
)
def test_a_bar_of_chords_that_cannot_be_placed_is_refused_in_one_line(chords, meter, said):
    from tunesmith.sampling import ComposeRequest

    with pytest.raises(ValueError, match=said):
        ComposeRequest(style="jazz", chords=chords, meter=meter, bars=4)


def test_each_chord_of_a_bar_is_forced_at_its_place():
    """The composer writes 'C G7' as C on the downbeat and G7 at beat 3 (a position token before
    it); the tables per chord (`given_chord_pcs`, ...) are one a chord, `given_bars` places them."""
    from tunesmith.tokenizer import Tokenizer

    tok = Tokenizer()
    t = _constrainer("pop", ["C G7", "F"]).t
    assert t.given_bars == [[(0, 0), (2 * Q, 1)], [(0, 2)]]
    assert t.forced_chords[0] == [*tok.chord_ids("C"), tok.pos_id(2 * Q), *tok.chord_ids("G7")]
    assert t.forced_chords[1] == tok.chord_ids("F")
    assert [sorted(p) for p in t.given_chord_pcs] == [[0, 4, 7], [2, 5, 7, 11], [0, 5, 9]]


def test_a_melody_pitch_gains_for_a_tone_of_the_chord_sounding_where_it_starts():
    from tunesmith.sampling import _NPOS
    from tunesmith.sampling.automaton import GIVEN_CHORD_TONE_GAINS

    on_beat, _ = GIVEN_CHORD_TONE_GAINS["pop"]
    auto = _constrainer("pop", ["C G7", "F"])
    pcs = auto.t.pitch_real % 12
    auto.state, auto.v, auto.bar = _NPOS, 0, 0
    for pos, tones in ((0, [0, 4, 7]), (Q, [0, 4, 7]), (2 * Q, [2, 5, 7, 11]), (3 * Q, [2, 5, 7, 11])):
        auto.note_pos = pos
        bias = auto.given_chord_bias()
        assert set(np.unique(bias[np.isin(pcs, tones)])) == {on_beat}, pos
        assert on_beat not in set(np.unique(bias[~np.isin(pcs, tones)])), pos
    auto.bar, auto.note_pos = 1, 2 * Q  # bar 2 has one chord: F all through
    assert set(np.unique(auto.given_chord_bias()[np.isin(pcs, [0, 5, 9])])) == {on_beat}


def test_a_note_held_into_the_bars_next_chord_that_lacks_it_loses_the_penalty():
    """A held into G7 at beat 3 (A is in neither C nor G7) loses `HELD_INTO_PENALTIES` for a length
    that reaches beat 3; G, in both, is held freely. The change is inside the bar, not at its end."""
    from tunesmith.sampling import _PITCH
    from tunesmith.sampling.automaton import HELD_INTO_PENALTIES, NONCHORD_LENGTH_GAINS

    held = HELD_INTO_PENALTIES["pop"]
    auto = _constrainer("pop", ["C G7", "F"])
    t = auto.t
    auto.state, auto.v, auto.bar, auto.note_pos = _PITCH, 0, 0, Q
    auto.pitch = 67  # G: in C and in G7
    assert auto.passing_length_bias() is None
    auto.pitch = 69  # A: in neither
    bias = auto.passing_length_bias()
    beyond = Q + t.dur_ticks > 2 * Q
    length = -NONCHORD_LENGTH_GAINS["pop"] * np.clip(np.log2(t.dur_ticks / (t.beat_ticks / 2)), 0.0, None)
    np.testing.assert_allclose(bias, length - held * beyond)
    auto.pitch = 65  # F: outside C, but a tone of G7: only its length counts
    np.testing.assert_allclose(auto.passing_length_bias(), length)


def test_a_lead_sheet_take_has_each_chord_where_it_was_given_and_its_melody_fits_them(tmp_path):
    """End to end: 'Dm7 G7 | Cmaj7' over 4 bars of jazz. The take's chord symbols are at beats 1
    and 3 of the bars of two and at the downbeat of the others, as spelled; the MusicXML holds them
    there; and the melody's time on the sounding chord's tones is as under one chord a bar."""
    import music21

    import tunesmith
    from tunesmith.harmony import chord_pitch_classes
    from tunesmith.inputs import read_file
    from tunesmith.metrics.constraints import check_chords
    from tunesmith.outputs import write_musicxml

    takes = tunesmith.compose("jazz", key="C", chords="Dm7 G7 | Cmaj7", bars=4, seed=3, n=3, check=False)
    for take in takes:
        chords = [(c.onset, c.figure) for c in take.piece.chords]
        assert chords == [(0.0, "Dm7"), (2.0, "G7"), (4.0, "Cmaj7"), (8.0, "Dm7"), (10.0, "G7"), (12.0, "Cmaj7")]
    fit = total = 0.0
    for take in takes:
        ch = sorted(take.piece.chords, key=lambda c: c.onset)
        for n in take.piece.melody().notes:
            sounding = [c for c in ch if c.onset <= n.onset + 1e-9][-1]
            total += n.duration
            fit += n.duration * (n.pitch % 12 in chord_pitch_classes(sounding.figure))
    assert fit / total > 0.6  # the tunes: 0.76 (jazz, one chord a bar); melodies that ignore the change: ~0.45
    path = write_musicxml(takes[0].piece, tmp_path / "two.musicxml")
    read = music21.converter.parse(str(path))
    symbols = [float(h.getOffsetInHierarchy(read)) for h in read.recurse().getElementsByClass("ChordSymbol")]
    assert symbols == [0.0, 2.0, 4.0, 8.0, 10.0, 12.0]
    # the acceptance check of the evaluation suite, on the file read back
    [again] = read_file(path)
    assert check_chords(again, {"chords": "Dm7 G7 | Cmaj7", "meter": "4/4"}) == []


def test_four_voices_take_the_second_chord_of_a_bar_on_its_beats():
    """A chorale over 'C G7 | C': every note struck on beats 3 and 4 of bar 1 is a tone of G7
    (the chords are a hard control in four parts), on beats 1 and 2 a tone of C."""
    import tunesmith

    take = tunesmith.compose("chorale", key="C", chords="C G7 | C", bars=2, seed=5, check=False, cadence="free", pickup=0)
    assert [(c.onset, c.figure) for c in take.piece.chords] == [(0.0, "C"), (2.0, "G7"), (4.0, "C")]
    g7, c = {2, 5, 7, 11}, {0, 4, 7}
    struck = [(n.onset, n.pitch) for tr in take.piece.tracks for n in tr.notes if n.onset < 4.0 and n.onset == int(n.onset)]
    assert {p % 12 for o, p in struck if o >= 2.0} <= g7
    assert {p % 12 for o, p in struck if o < 2.0} <= c
    assert any(o == 2.0 for o, _ in struck)


def test_continue_takes_bars_of_two_chords_too():
    from tunesmith import api
    from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track

    notes = [Note(p, 4.0 * b + i, 1.0, 80) for b in range(4) for i, p in enumerate((62, 66, 69, 66))]
    given = Piece(piece_id="a", work_id="a", style="folk", tracks=[Track("Melody", "melody", 40, False, notes)],
                  time_signatures=[TimeSignature(0.0, 4, 4)], tempos=[Tempo(0.0, 120.0)],
                  keys=[KeySignature(0.0, "D", "major")], end=16.0)  # fmt: skip
    take = api.continue_(given, bars=2, style="folk", seed=1, chords="Em7 A7 | D", cadence="free")
    assert [(c.onset, c.figure) for c in take.piece.chords if c.onset >= 16.0] == [(16.0, "Em7"), (18.0, "A7"), (20.0, "D")]


def test_the_remarks_count_bars_of_chords_and_read_a_bars_last_chord():
    from tunesmith.remarks import chords_left_over, cycle_ends_open
    from tunesmith.sampling import ComposeRequest

    over = ComposeRequest(style="jazz", key="C", chords="Dm7 G7 | C | Em7 A7 | Dm7 G7", bars=2)
    assert chords_left_over(over) == ("4 bars of chords for 2 bars: the last 2 bars (Em7 A7 | Dm7 G7) are not used; "
                                      "ask for 4 bars to hear them all")  # fmt: skip
    # the cycle's last bar closes on its second chord: G7, away from C
    said = cycle_ends_open(ComposeRequest(style="jazz", key="C", chords="C | Dm7 G7", bars=4))
    assert said.startswith("the 2 bars of chords cycle so that bar 4, the last, is G7: the piece ends away from C; give 4 bars")
    assert cycle_ends_open(ComposeRequest(style="jazz", key="C", chords="G7 | Dm7 C", bars=4)) is None


def test_a_bar_of_percent_repeats_the_bar_before():
    """The repeat-bar sign of lead sheets: 'C | % | F G7 | %' is C, C, F G7, F G7."""
    from tunesmith.sampling import ComposeRequest

    assert ComposeRequest(style="pop", chords="C | % | F G7 | %", bars=4).chords == ["C", "C", "F G7", "F G7"]
    assert ComposeRequest(style="pop", chords="C % F %", bars=4).chords == ["C", "C", "F", "F"]
    assert ComposeRequest(style="pop", chords=["Am", "%"], bars=4).chords == ["Am", "Am"]
    with pytest.raises(ValueError, match=r"^chords: the first bar is '%' \(repeat the bar before\), but no bar comes before it$"):
        ComposeRequest(style="pop", chords="% | C", bars=4)
    with pytest.raises(ValueError, match=r"^chords: the bar 'C %' mixes '%' \(repeat the bar before\) with chords"):
        ComposeRequest(style="pop", chords="C % | F", bars=4)


@pytest.mark.parametrize("style", ["folk", "pop", "chorale"])
def test_the_last_note_starts_with_the_last_bars_last_chord(style):
    """'... | A D' closing a jig: its last note had been struck over A and held through D."""
    import tunesmith

    meter, chords = ("6/8", "D | G A | D | A D") if style == "folk" else ("4/4", "D | G A | D | A D")
    for take in tunesmith.compose(style, key="D", meter=meter, chords=chords, bars=4, seed=1, n=4, check=False):
        last_chord = max(c.onset for c in take.piece.chords)
        assert [c.figure for c in take.piece.chords if c.onset == last_chord] == ["D"]
        for track in take.piece.tracks:
            assert max(n.onset for n in track.notes) >= last_chord - 1e-9, (style, track.name)


def test_a_pickup_never_leaves_the_last_bars_chords_after_the_end():
    """After a pickup the last bar is short by it: 'Dm7 / G7 C' after 3 beats of 4/4 would keep
    only Dm7. Asked for, such a pickup is refused; drawn by the style's defaults, it is not drawn."""
    import tunesmith
    from tunesmith.sampling import ComposeRequest

    with pytest.raises(ValueError, match=r"^pickup 3 beats: the last bar is as much shorter, and its chords G7 C would "
                                         r"start after the piece ends; give a shorter pickup, or the last bar one chord$"):
        ComposeRequest(style="pop", key="C", chords="C | Dm7 / G7 C", bars=2, pickup=3)
    request = ComposeRequest(style="pop", key="C", chords="C | Dm7 / G7 C", bars=2, pickup=0.5)  # C on beat 4 still sounds
    assert request.chords_cut_by_pickup(0.5) == [] and request.chords_cut_by_pickup(1) == ["C"]
    for take in tunesmith.compose("folk", key="D", meter="4/4", chords="D | G A7 / D", bars=2, seed=0, n=12, check=False):
        assert all(c.onset < take.piece.end for c in take.piece.chords)
        assert [c.figure for c in take.piece.chords][-1] == "D"


def test_continue_closes_on_a_tone_of_the_chord_given_for_its_end():
    """`continue --chords` (and `again`) over a blues had closed on B-flat over F7 or E-flat over
    B-flat 6: a tone of a drawn IV or bVII closing chord, while the given chord sounded. It closes
    on a tone of the chord given for its end."""
    from tunesmith import api
    from tunesmith.harmony import chord_pitch_classes
    from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

    changes = ["F7", "Bb7", "F7", "F7", "Bb7", "Bb7", "F7", "F7", "C7", "Bb7", "F7", "C7"]
    riff = (65, 68, 69, 72)
    notes = [Note(p + (5 if c.startswith("Bb") else 7 if c.startswith("C") else 0), 4.0 * b + i, 1.0, 80)
             for b, c in enumerate(changes) for i, p in enumerate(riff)]  # fmt: skip
    given = Piece(piece_id="b", work_id="b", style="jazz", tracks=[Track("Melody", "melody", 66, False, notes)],
                  time_signatures=[TimeSignature(0.0, 4, 4)], tempos=[Tempo(0.0, 120.0)],
                  keys=[KeySignature(0.0, "F", "major")], end=48.0,
                  chords=[ChordSymbol(4.0 * b, c, 4.0) for b, c in enumerate(changes)])  # fmt: skip
    for seed in range(12):
        take = api.continue_(given, bars=4, style="jazz", seed=seed, chords="Gm7 C7 | F7 / D7 / | Gm7 C7 | F6")
        last = max(take.piece.melody().notes, key=lambda n: n.onset)
        assert last.pitch % 12 in chord_pitch_classes("F6"), seed


def test_a_chart_is_read_as_a_musician_types_it():
    """The songwriter helper's chart habits: a minus for minor ('C-7' had sounded as C-flat 7), an
    empty bar holding the chord before it (it had been dropped, every later chord a bar early),
    double and final bar lines, bar lines at both ends."""
    from tunesmith.sampling import ComposeRequest

    def read(chords):
        return ComposeRequest(style="jazz", key="C", chords=chords, bars=4).chords

    assert read("C-7 | F7 | Bb-7 Eb7 | Ab-") == ["Cm7", "F7", "Bbm7 Eb7", "Abm"]
    assert read("F#-7b5 B7 | E-") == ["F#m7b5 B7", "Em"]
    assert read("C | | F | G") == ["C", "C", "F", "G"]
    assert read("Dm7 G7 | | C") == ["Dm7 G7", "G7", "C"]  # the chord sounding: the bar before's last
    assert read("| C | F || G | C |]") == ["C", "F", "G", "C"]
    assert read("C/E | Bb/D") == ["C/E", "Bb/D"]  # a slash chord's bass keeps its own accidentals
    assert read("C-maj7 | C-M7 | Cmaj7") == ["CmMaj7", "CmMaj7", "Cmaj7"]  # not "Cmmaj7"
    # a teacher's list with commas ("G," had been written on the sheet); a chord's own comma stays
    assert read("G, D, Em, C") == ["G", "D", "Em", "C"]
    assert read("G,D | Em, C7(b9,#11)") == ["G D", "Em C7(b9,#11)"]


@pytest.mark.parametrize(
    ("chords", "said"),
    [
        ("|: C | F :|", r"^unparsable chord ':' \(in bar 1, ': C'\): repeat signs \(\|: :\|\) are not read"),
        ("C - | F -", r"^unparsable chord '-' \(in bar 1, 'C -'\): to hold a chord, use a beat slash"),
        ("C F Hx7", r"^unparsable chord 'Hx7' \(chord 3 of the list\)$"),
        # quoted as typed (it had read 'GmD-Em-C', the minus rewritten as minor)
        ("G-D-Em-C", r"^unparsable chord 'G-D-Em-C' \(chord 1 of the list\): write chords apart with spaces"),
        ("Am;F", r"^unparsable chord 'Am;F' \(chord 1 of the list\): write chords apart with spaces"),
    ],
)
def test_a_sign_the_chords_do_not_read_says_what_to_write_instead(chords, said):
    from tunesmith.sampling import ComposeRequest

    with pytest.raises(ValueError, match=said):
        ComposeRequest(style="jazz", key="C", chords=chords, bars=4)


def test_a_chart_of_one_bar_of_several_chords_says_so():
    """'C Am F G |': the bar line at the end makes one bar of four chords, in every bar; a musician
    who meant a chord a bar had only "the 1 bars of chords cycle ..." to go by."""
    import tunesmith

    take = tunesmith.compose("pop", key="C", chords="C Am F G |", bars=4, seed=0, check=False)
    assert ("the chords 'C Am F G' are one bar (between bar lines), sharing its beats, played in each of the 4 bars; "
            "for a chord a bar leave out the bar lines ('C Am F G') or put one between each ('C | Am | F | G')") in take.remarks
    assert not any("1 bars" in line for line in take.remarks)
    one_a_bar = tunesmith.compose("pop", key="C", chords="C Am F G", bars=4, seed=0, check=False)
    assert not any("are one bar" in line for line in one_a_bar.remarks)


def test_a_melody_note_held_through_a_chord_change_is_written_tied_at_the_change(tmp_path):
    """'Am F' over one whole note had printed both symbols at the bar's start (the songwriter helper,
    in MuseScore and the SVG): the note is cut and tied where F starts, so F stands over a note; it
    reads back as one note, and a note held over no change stays whole."""
    import music21

    from tunesmith.inputs import read_file
    from tunesmith.outputs import write_musicxml
    from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

    notes = [Note(67, 0.0, 4.0, 80), Note(69, 4.0, 4.0, 80)]
    piece = Piece(piece_id="h", work_id="h", style="pop", tracks=[Track("Melody", "melody", 0, False, notes)],
                  time_signatures=[TimeSignature(0.0, 4, 4)], tempos=[Tempo(0.0, 100.0)],
                  keys=[KeySignature(0.0, "C", "major")], end=8.0,
                  chords=[ChordSymbol(0.0, "Am", 2.0), ChordSymbol(2.0, "F", 2.0), ChordSymbol(4.0, "G", 4.0)])  # fmt: skip
    path = write_musicxml(piece, tmp_path / "held.musicxml")
    part = music21.converter.parse(str(path)).parts[0]
    written = [(float(n.getOffsetInHierarchy(part)), float(n.quarterLength), n.tie.type if n.tie else None)
               for n in part.recurse().getElementsByClass("Note")]  # fmt: skip
    assert written == [(0.0, 2.0, "start"), (2.0, 2.0, "stop"), (4.0, 4.0, None)]
    [again] = read_file(path)
    assert [(n.onset, n.duration, n.pitch) for n in again.melody().notes] == [(0.0, 4.0, 67), (4.0, 4.0, 69)]


def test_a_bar_crowded_with_chords_among_others_is_said():
    """'Am F C G | Dm G | C': the first bar plays four chords, a beat each. A songwriter who meant a
    chord a bar had written four to a bar twice and heard them crowd: the take says which bars and
    how to write a chord a bar. A chart of a chord a beat throughout, and one of a chord a bar, say
    nothing."""
    from tunesmith.controls import compose_request
    from tunesmith.remarks import crowded_bars

    said = crowded_bars(compose_request("pop", chords="Am F C G | Am F C G | Dm G | C"))
    assert said.startswith("bars 1, 2 of your chords hold 4 or more chords, sharing the bar's beats ('Am F C G')")
    assert said.endswith("put a bar line between each ('Am | F | C | G')")
    assert crowded_bars(compose_request("jazz", chords="C A7 Dm7 G7 | E7 A7 D7 G7")) is None
    assert crowded_bars(compose_request("pop", chords="Am F C G")) is None
    assert crowded_bars(compose_request("pop", chords="Am | F | C | G")) is None
