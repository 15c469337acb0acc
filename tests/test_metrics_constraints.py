"""Request checks on re-read pieces: each check passes on a conforming piece and names violations."""

from types import SimpleNamespace

from tunesmith.metrics import constraints as cs
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track


def make_piece(*, pitches=(62, 64, 66, 67, 69, 71, 73, 74), meter=(4, 4), qpm=96.0, key=("D", "major"), chords=None):
    notes = [Note(p, i * 1.0, 1.0) for i, p in enumerate(pitches)]
    return Piece(
        piece_id="p",
        work_id="w",
        style="folk",
        tracks=[Track("melody", "melody", notes=notes), Track("bass", "bass", notes=[Note(26, 0, 8)])],
        keys=[KeySignature(0.0, *key)],
        time_signatures=[TimeSignature(0.0, *meter)],
        tempos=[Tempo(0.0, qpm)],
        chords=chords if chords is not None else [ChordSymbol(0.0, "D"), ChordSymbol(4.0, "A7")],
    )


REQUEST = {
    "style": "folk",
    "key": "D",
    "mode": "major",
    "meter": "4/4",
    "bars": 2,
    "tempo": 96,
    "range": (60, 76),
    "chords": ["D", "A7"],
    "in_scale": True,
}


def test_conforming_piece_has_no_violations():
    assert cs.check_all(make_piece(), REQUEST) == []
    assert cs.check_all(make_piece(), SimpleNamespace(**REQUEST)) == []  # object with attributes


def test_missing_fields_are_not_checked():
    assert cs.check_all(make_piece(pitches=(10, 11)), {}) == []


def test_range():
    out = cs.check_range(make_piece(pitches=(59, 64, 77)), REQUEST)
    assert len(out) == 2 and "59" in out[0] and "77" in out[1]
    # the bass (MIDI 26) is outside the melody range but only the melody is checked by default
    assert cs.check_range(make_piece(), REQUEST) == []
    assert len(cs.check_range(make_piece(), REQUEST, all_tracks=True)) == 1


def test_in_scale_major_and_minor():
    assert len(cs.check_in_scale(make_piece(pitches=(62, 65, 66)), REQUEST)) == 1  # F natural in D major
    minor = {"key": "A", "mode": "minor", "in_scale": True}
    # A minor: F# and G# (raised 6 and 7) allowed, C# and D# are not
    assert cs.check_in_scale(make_piece(pitches=(69, 66, 68, 69, 72)), minor) == []
    assert len(cs.check_in_scale(make_piece(pitches=(61, 63)), minor)) == 2
    assert cs.check_in_scale(make_piece(pitches=(61,)), {**REQUEST, "in_scale": False}) == []
    assert cs.check_in_scale(make_piece(pitches=(69, 72)), {"key": "Am", "in_scale": True}) == []


def test_bars_meter_tempo():
    assert cs.check_bars(make_piece(), {"bars": 3}) == ["2 bars, requested 3"]
    assert len(cs.check_meter(make_piece(meter=(3, 4)), REQUEST)) == 1
    assert cs.check_meter(make_piece(meter=(3, 4)), {"meter": (3, 4)}) == []
    assert cs.check_tempo(make_piece(qpm=96.3), REQUEST) == []  # MIDI round trip tolerance
    assert len(cs.check_tempo(make_piece(qpm=100), REQUEST)) == 1


def test_key_and_style():
    assert cs.check_key(make_piece(key=("B", "minor")), REQUEST) != []
    assert cs.check_key(make_piece(key=("B", "minor")), {"key": "B minor"}) == []
    assert cs.check_style(make_piece(), {"style": "jazz"}) == ["style is 'folk', requested 'jazz'"]


def test_chords_one_per_bar_cycling():
    four_bars = make_piece(pitches=tuple([62] * 16))
    four_bars.chords = [ChordSymbol(0, "D"), ChordSymbol(4, "A7"), ChordSymbol(8, "D"), ChordSymbol(12, "A7")]
    assert cs.check_chords(four_bars, {"chords": "D | A7"}) == []
    # wrong figure in bar 3 (exact spelling: "D" is not "Dmaj")
    four_bars.chords[2] = ChordSymbol(8, "Dmaj")
    assert cs.check_chords(four_bars, REQUEST) == ["bar 3: chord Dmaj, requested D"]
    # two chords in one bar, a chord off the bar line, and a bar without chord
    p = make_piece(chords=[ChordSymbol(0, "D"), ChordSymbol(2, "G"), ChordSymbol(5, "A7")])
    out = cs.check_chords(p, REQUEST)
    assert out[0].startswith("bar 1: 2 chord symbols")
    assert out[1] == "bar 2: chord A7 at beat 5, not on the bar line 4"
    assert len(cs.check_chords(make_piece(chords=[ChordSymbol(0, "D")]), REQUEST)) == 1


def test_chords_a_bar_of_two_each_at_its_place():
    """'D A7 | G' in 4/4: D on beat 1 and A7 on beat 3 of bars 1 and 3, G through bars 2 and 4."""
    four_bars = make_piece(pitches=tuple([62] * 16))
    four_bars.chords = [ChordSymbol(0, "D"), ChordSymbol(2, "A7"), ChordSymbol(4, "G"),
                        ChordSymbol(8, "D"), ChordSymbol(10, "A7"), ChordSymbol(12, "G")]  # fmt: skip
    assert cs.check_chords(four_bars, {"chords": "D A7 | G", "meter": "4/4"}) == []
    assert cs.check_chords(four_bars, {"chords": ["D A7", "G"]}) == []  # the meter read from the piece
    four_bars.chords[4] = ChordSymbol(9, "A7")  # bar 3's A7 on beat 2
    assert cs.check_chords(four_bars, {"chords": "D A7 | G"}) == ["bar 3: chord A7 at beat 9, not at beat 10"]
    four_bars.chords = [c for c in four_bars.chords if c.onset != 9]
    assert cs.check_chords(four_bars, {"chords": "D A7 | G"}) == ["bar 3: 1 chord symbols (D), requested 2: D A7"]
