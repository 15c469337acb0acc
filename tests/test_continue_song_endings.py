"""A continued song's chords and ending, as a songwriter heard them: the new bars' chords come from
the harmonizer as a composed take's do (the composer's own had held notes outside their chord),
and a song whose given music ends on a downbeat ends on one again; a folk waltz ends on the
downbeat as the style's waltzes do."""

from __future__ import annotations

import pytest

from tunesmith import api
from tunesmith.cocreate.chords import harmonized_span
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

# a song in G, 3/4, eight bars: phrase, answer, its close a dotted half on bar 8's downbeat
SONG = [[(67, 2.0), (71, 1.0)], [(74, 2.0), (71, 1.0)], [(69, 2.0), (67, 1.0)], [(64, 3.0)],
        [(67, 2.0), (71, 1.0)], [(74, 2.0), (72, 1.0)], [(71, 1.0), (69, 1.0), (66, 1.0)], [(67, 3.0)]]  # fmt: skip
CHORDS = ["G", "G", "D", "Em", "G", "C", "D", "G"]


def _song(chords: bool = True, style: str = "folk") -> Piece:
    notes = []
    for b, bar in enumerate(SONG):
        t = 3.0 * b
        for pitch, length in bar:
            notes.append(Note(pitch, t, length, 80))
            t += length
    return Piece(piece_id="s", work_id="s", style=style, tracks=[Track("Melody", "melody", 0, False, notes)],
                 chords=[ChordSymbol(3.0 * b, f) for b, f in enumerate(CHORDS)] if chords else [],
                 time_signatures=[TimeSignature(0.0, 3, 4)], tempos=[Tempo(0.0, 90.0)],
                 keys=[KeySignature(0.0, "G", "major")], end=24.0)  # fmt: skip


def _last_onset_on_a_bar_line(piece: Piece) -> bool:
    last = max(x.onset for x in piece.melody().notes)
    return any(abs(b - last) < 1e-6 for b in piece.bars())


@pytest.mark.parametrize("style", ["folk", "pop"])
def test_the_new_bars_chords_are_the_harmonizers_as_in_compose(style):
    take = api.continue_(_song(style=style), bars=8, style=style, seed=4)
    made = take.piece.meta["cocreate"]
    assert made["chords_from"] == "harmonizer"
    # the composer's own chords stay from the bar that ends on its drawn approach to the final tonic
    # chord (`approach_chord`, `tonic_bars` before the end): it wrote its close over them
    close_at = 48.0 - 3.0 * (1 + int(made.get("tonic_bars") or 1)) if made.get("approach_chord") else 45.0
    new = [(c.onset, c.figure) for c in take.piece.chords if 24.0 - 1e-6 <= c.onset < close_at - 1e-6]
    expected = harmonized_span(take.piece, 24.0, close_at, style, "G", "major", api.load_model("default").model, 4, 0)
    assert new and new == [(c.onset, c.figure) for c in expected]
    assert [(c.onset, c.figure) for c in take.piece.chords if c.onset < 24.0] == [(3.0 * b, f) for b, f in enumerate(CHORDS)]
    assert any(abs(c.onset - 45.0) < 1e-6 for c in take.piece.chords)  # the closing bar names its chord


def test_jazz_keeps_the_composers_own_chords():
    take = api.continue_(_song(style="jazz"), bars=4, style="jazz", seed=4)
    assert take.piece.meta["cocreate"]["chords_from"] == "model"


def test_a_song_ending_on_a_downbeat_is_continued_to_end_on_one():
    """The songwriter's continued songs had ended on a quarter on the last beat in 31 of 60 takes."""
    for seed in range(6):
        take = api.continue_(_song(), bars=8, style="folk", seed=seed, contrast=False)
        assert _last_onset_on_a_bar_line(take.piece), seed


def test_a_folk_waltz_ends_on_the_downbeat():
    for seed in range(6):
        take = api.compose("folk", meter="3/4", bars=16, seed=seed, check=False)
        assert _last_onset_on_a_bar_line(take.piece), seed


def test_inpainted_bars_take_the_harmonizers_chords_and_the_kept_bars_keep_theirs():
    """Inpaint's new bars (melody and chords) are chorded as a continuation's are; the kept bar
    after them still opens under the musician's chord, named there."""
    song = _song()
    song.chords = [c for c in song.chords if c.onset != 15.0]  # bar 6 has no symbol: bar 5's G sounds on
    take = api.inpaint(song, bars="3-5", style="folk", seed=2)
    assert take.piece.meta["cocreate"]["chords_from"] == "harmonizer"
    new = [(c.onset, c.figure) for c in take.piece.chords if 6.0 - 1e-6 <= c.onset < 15.0 - 1e-6]
    expected = harmonized_span(take.piece, 6.0, 15.0, "folk", "G", "major", api.load_model("default").model, 2, 0)
    assert new == [(c.onset, c.figure) for c in expected]
    kept = [(c.onset, c.figure) for c in take.piece.chords if c.onset < 6.0 or c.onset >= 15.0 - 1e-6]
    assert kept == [(0.0, "G"), (3.0, "G"), (15.0, "G"), (18.0, "D"), (21.0, "G")]


TWINKLE = """X:1
T:Twinkle Twinkle
M:4/4
L:1/4
K:C
"C"C C G G|"F"A A "C"G2|"F"F F "C"E E|"G"D D "C"C2|
"C"G G "F"F F|"C"E E "G"D2|"C"G G "F"F F|"C"E E "G"D2|
"C"C C G G|"F"A A "C"G2|"F"F F "C"E E|"G"D D "C"C2|]
"""


def test_a_jazz_continuation_names_no_chord_twice_in_a_bar(tmp_path):
    """The composer's own chords had named the same chord again inside a bar ("C ... C": a
    songwriter's Twinkle, continued in jazz, seeds 2 and 7)."""
    tune = tmp_path / "twinkle.abc"
    tune.write_text(TWINKLE, encoding="utf-8")
    for seed in range(8):
        take = api.continue_(tune, bars=8, style="jazz", seed=seed)
        chords = sorted(take.piece.chords, key=lambda c: c.onset)
        bar_lines = {round(b, 6) for b in take.piece.bars()}
        assert not [c for a, c in zip(chords, chords[1:]) if a.figure == c.figure and round(c.onset, 6) not in bar_lines]
