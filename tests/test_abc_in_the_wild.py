"""ABC as people post it (thesession.org, abcnotation.com, the ABC 2.1 standard): features the
reader had read wrongly without a word (session 39). Each fixture is a tiny tune written here."""

from __future__ import annotations

import pytest

from tunesmith.inputs import InputError
from tunesmith.inputs.abc import read_abc

NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def _read(tmp_path, text: str, name: str = "tune.abc"):
    path = tmp_path / name
    path.write_text(text)
    return read_abc(path, on_error="raise")


def _names(track) -> list[str]:
    return [NAMES[n.pitch % 12] for n in track.notes]


def _labels(piece) -> list[str]:
    return [str(s[2]) for s in piece.meta["sections"]]


# ------------------------------------------------------------------ P: play order
def test_header_play_order_plays_the_parts_in_order(tmp_path):
    (piece,) = _read(tmp_path, "X:1\nT:Parts\nM:4/4\nL:1/4\nP:AABB\nK:C\nP:A\nC D E F|\nP:B\nG A B c|]\n")
    assert _names(piece.melody()) == list("CDEF" * 2 + "GABC" * 2)
    assert piece.n_bars == 4
    assert _labels(piece) == ["A", "A", "B", "B"]
    assert piece.meta["repeats_expanded"] is True


def test_play_order_with_groups_and_counts(tmp_path):
    (piece,) = _read(tmp_path, "X:1\nT:P\nM:2/4\nL:1/4\nP:(AB)2.C\nK:C\nP:A\nC D|\nP:B\nE F|\nP:C\nG2|]\n")
    assert _names(piece.melody()) == list("CDEFCDEFG")


def test_play_order_over_written_repeats_is_not_doubled(tmp_path):
    # the Nottingham tunes' P:AABB over |: A :| |: B :| describes the written repeats
    (piece,) = _read(tmp_path, "X:1\nT:P\nM:2/4\nL:1/4\nP:AABB\nK:C\nP:A\n|:C D:|\nP:B\n|:E F:|\n")
    assert _names(piece.melody()) == list("CDCDEFEF")


def test_play_order_part_without_start_repeat_goes_back_to_its_own_start(tmp_path):
    (piece,) = _read(tmp_path, "X:1\nT:P\nM:2/4\nL:1/4\nP:ABA\nK:C\nP:A\nC D:|\nP:B\nE F||\n")
    assert _names(piece.melody()) == list("CDCDEFCDCD")


def test_play_order_naming_a_missing_part_is_read_as_written_and_said(tmp_path):
    # the tune as written, once through, with why; refusing it had lost tune-book tunes read before
    (piece,) = _read(tmp_path, "X:1\nT:P\nM:2/4\nL:1/4\nP:ABC\nK:C\nP:A\nC D|\nP:B\nE F|]\n")
    assert _names(piece.melody()) == list("CDEF")
    assert piece.meta["navigation_not_followed"] == "its play order P:ABC names part C, which the tune does not have"


# ------------------------------------------------------------------ D.C. / D.S. / Fine / Coda
def test_da_capo_al_fine_decorations(tmp_path):
    text = "X:1\nT:DC\nM:3/4\nL:1/4\nK:C\nC D E|F3 !fine!|G A B|c3 !D.C.!|]\n"
    (piece,) = _read(tmp_path, text)
    assert _names(piece.melody()) == list("CDEFGABCCDEF")
    assert piece.n_bars == 6
    assert _labels(piece) == ["A", "B", "A"]


def test_da_capo_al_fine_as_text_annotations(tmp_path):
    text = 'X:1\nT:DC\nM:3/4\nL:1/4\nK:C\nC D E|"^Fine"F3|G A B|"^D.C. al Fine"c3|]\n'
    (piece,) = _read(tmp_path, text)
    assert _names(piece.melody()) == list("CDEFGABCCDEF")
    assert not piece.chords and "unparsed_chords" not in piece.meta  # the words are not chords


def test_dal_segno_al_coda(tmp_path):
    text = ("X:1\nT:DS\nM:2/4\nL:1/4\nK:C\nC D|!segno!E F|G A !coda!|B c !D.S.alcoda!|!coda!d e|]\n")
    (piece,) = _read(tmp_path, text)
    # played: C D | E F | G A | B c, back to the segno: E F | G A, then the coda: d e
    assert _names(piece.melody()) == list("CDEFGABCEFGADE")


def test_da_capo_repeats_not_taken_the_second_time(tmp_path):
    text = "X:1\nT:DC\nM:2/4\nL:1/4\nK:C\n|:C D:|E F !fine!|G A !D.C.!|]\n"
    (piece,) = _read(tmp_path, text)
    assert _names(piece.melody()) == list("CDCDEFGACDEF")


def test_dal_segno_without_a_segno_is_read_as_written_and_said(tmp_path):
    (piece,) = _read(tmp_path, "X:1\nT:DS\nM:2/4\nL:1/4\nK:C\nC D|E F !D.S.!|]\n")
    assert _names(piece.melody()) == list("CDEF")
    assert piece.meta["navigation_not_followed"].startswith("a D.S. with no segno")


def test_a_segno_written_as_text_and_the_sign_beside_the_ds(tmp_path):
    # Ryan's Mammoth: `"Segno"` where the D.S. goes back to, and again beside the `"_D.S."` at the end
    # of the strain (the sign printed there, not a place to go back to)
    text = 'X:1\nT:Reel\nM:2/4\nL:1/4\nK:C\nC "Segno"|D E|F G|]A B|c "Segno" "_D.S."c|]\n'
    (piece,) = _read(tmp_path, text)
    assert "navigation_not_followed" not in piece.meta
    assert _names(piece.melody()) == list("CDEFGABCC") + list("DEFG")  # back to the sign, to the strain's end


def test_a_da_capo_with_no_fine_ends_at_a_fermata_or_the_first_strain(tmp_path):
    # O'Neill's: "H" over the A part's last note and "D.C." at the end: A B A, not A B A B
    held = 'X:1\nT:Reel\nM:2/4\nL:1/4\nK:C\nC D|"H"E2||F G|"D.C."A2|]\n'
    assert _names(_read(tmp_path, held)[0].melody()) == list("CDEFGA") + list("CDE")
    # Ryan's: `"_D.C.":|` after the B part, no Fine: A A B B A (it had been A A B B A B)
    strains = 'X:1\nT:Reel\nM:2/4\nL:1/4\nK:C\n|:C D|E2:||:F G|"_D.C."A2:|\n'
    assert _names(_read(tmp_path, strains, "strains.abc")[0].melody()) == list("CDECDEFGAFGA") + list("CDE")
    # endings: the strain's last ending is played again
    endings = 'X:1\nT:Jig\nM:2/4\nL:1/4\nK:C\n|:C D|1E2:|2G2||F G|"D.C."A2|]\n'
    assert _names(_read(tmp_path, endings, "endings.abc")[0].melody()) == list("CDECDGFGA") + list("CDG")


def test_cocreate_says_a_jump_it_did_not_follow(tmp_path):
    from types import SimpleNamespace

    from tunesmith.input_notes import note_repeats_written_out

    (piece,) = _read(tmp_path, "X:1\nT:DS\nM:2/4\nL:1/4\nK:C\nC D|E F !D.S.!|]\n")
    take = SimpleNamespace(provenance={})
    note_repeats_written_out([take], piece)  # type: ignore[list-item]
    assert take.provenance["notes"][0].startswith("the input's jumps or play order were not followed (a D.S. with no "
                                                  "segno")  # fmt: skip


# ------------------------------------------------------------------ voices
_SCORE = """X:1
T:Two voices
M:4/4
L:1/4
%%score (1 2)
V:1 clef=treble name="Melody"
V:2 clef=bass name="Bass"
K:G
"""


def test_voices_declared_in_the_header(tmp_path):
    (piece,) = _read(tmp_path, _SCORE + "V:1\nG A B c|d4|]\nV:2\nG,,2 D,2|G,,4|]\n")
    assert [t.name for t in piece.tracks] == ["Melody", "Bass"]
    assert _names(piece.melody()) == list("GABCD")
    assert piece.bar_onsets == [0.0, 4.0]


def test_inline_voice_fields(tmp_path):
    (piece,) = _read(tmp_path, _SCORE + "[V:1] G A B c|d4|]\n[V:2] G,,2 D,2|G,,4|]\n")
    assert len(piece.tracks) == 2 and _names(piece.melody()) == list("GABCD")
    assert piece.end == 8.0


def test_voices_in_turns_with_names_not_digits(tmp_path):
    text = "X:1\nT:SATB\nM:2/4\nL:1/4\nK:C\nV:S\nC D|\nV:B\nC,2|\nV:S\nE F|\nV:B\nF,2|]\n"
    (piece,) = _read(tmp_path, text)
    assert [len(t.notes) for t in piece.tracks] == [4, 2]
    assert _names(piece.melody()) == list("CDEF")
    assert piece.end == 4.0


# ------------------------------------------------------------------ rests
def test_multi_bar_rest_takes_its_bars(tmp_path):
    (piece,) = _read(tmp_path, "X:1\nT:Z\nM:3/4\nL:1/8\nK:C\nZ2|C2 D2 E2|]\n")
    assert piece.melody().notes[0].onset == 6.0
    assert piece.end == 9.0


def test_invisible_rest_takes_its_time(tmp_path):
    (piece,) = _read(tmp_path, "X:1\nT:x\nM:2/4\nL:1/4\nK:C\nC D|x2|E F|]\n")
    assert [n.onset for n in piece.melody().notes] == [0.0, 1.0, 4.0, 5.0]


def test_huge_multi_bar_rest_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"tune\.abc.*multi-bar rest Z100000 is longer than 512 bars"):
        _read(tmp_path, "X:1\nT:Z\nM:4/4\nL:1/8\nK:C\nZ100000|C8|]\n")


# ------------------------------------------------------------------ what is not read is said
def test_lyrics_are_counted_as_left_out(tmp_path):
    (piece,) = _read(tmp_path, "X:1\nT:Song\nM:4/4\nL:1/4\nK:F\nC F F G|A4|]\nw: Hush a-by my ba-by\n")
    assert piece.meta["left_out"] == {"lyric syllable(s)": 6}  # Hush a by my ba by


def test_cocreate_says_which_tune_of_a_book_it_took(tmp_path):
    from types import SimpleNamespace

    from tunesmith.input_notes import note_tune_of_book

    path = tmp_path / "book.abc"
    path.write_text("X:1\nT:First\nM:2/4\nL:1/4\nK:C\nC D|]\n\nX:2\nT:Second\nM:2/4\nL:1/4\nK:C\nE F|]\n")
    (piece,) = read_abc(path, only=1)
    take = SimpleNamespace(provenance={})
    note_tune_of_book([take], piece)  # type: ignore[list-item]
    assert take.provenance["notes"] == ["the file holds 2 tunes: this is tune 2, Second (--tune N takes another)"]


def test_voices_named_in_their_fields_are_tracks_of_those_names(tmp_path):
    # `V:1 name="Melody"` / `V:2 nm=Bass`: the take's staves had been "melody" and "voice 2 [accompaniment]"
    text = ('X:1\nT:Named\nM:4/4\nL:1/4\nK:G\nV:1 clef=treble name="Melody"\nV:2 clef=bass nm=Bass\n'
            "[V:1] G A B c|d4|]\n[V:2] G,,2 D,2|G,,4|]\n")  # fmt: skip
    (piece,) = _read(tmp_path, text)
    assert [(t.name, t.role) for t in piece.tracks] == [("Melody", "melody"), ("Bass", "bass")]


def test_the_highland_pipes_key_sharpens_f_and_c(tmp_path):
    # K:HP: the pipe scale, F# and C# with G natural; its C sharps had been read as C naturals
    (piece,) = _read(tmp_path, "X:1\nT:Pipes\nM:2/4\nL:1/8\nK:HP\nAc Bc|dB cA|e2 f2|g2 A2|]\n")
    assert [n.pitch % 12 for n in piece.melody().notes][:4] == [9, 1, 11, 1]
    assert [n.pitch % 12 for n in piece.melody().notes][-4:-1] == [4, 6, 7]


# ------------------------------------------------------------------ accidentals through the bar
def test_an_accidental_holds_to_the_end_of_its_bar(tmp_path):
    # ABC 2.1 (4.2), abc2midi, abcjs: `^G>^FG` is G#, F#, G#, and the bar line cancels it. music21's
    # tokenizer follows that rule only for a file that says `%abc-2.x`; without it Greensleeves'
    # cadence `c>BA ^G>^FG | A` was read with a G natural before the final A (session 40)
    (piece,) = _read(tmp_path, "X:1\nT:Greensleeves\nM:6/8\nL:1/8\nK:Am\nc>BA ^G>^FG | G6 |]\n")
    assert _names(piece.melody()) == ["C", "B", "A", "Ab", "F#", "Ab", "G"]
    # every octave of the letter (abc2midi's reading, the standard's default), and a natural too
    (piece,) = _read(tmp_path, "X:1\nT:t\nM:4/4\nL:1/8\nK:F\n_B b =B B b2 B2 | B8 |]\n")
    assert [n.pitch for n in piece.melody().notes] == [70, 82, 71, 71, 83, 71, 70]


def test_a_file_in_abc_1_x_keeps_its_accidentals_to_the_note(tmp_path):
    # a tune that says it is written to an older standard is read by that standard
    (piece,) = _read(tmp_path, "%abc-1.6\nX:1\nT:t\nM:4/4\nL:1/4\nK:C\n^G G A2 |]\n")
    assert _names(piece.melody()) == ["Ab", "G", "A"]


# ------------------------------------------------------------------ dynamics in quotes
def test_dynamics_in_quotes_are_not_chords(tmp_path):
    # John Chambers' O'Neill transcriptions write dynamics as quoted strings ("f"A>F, "pp"F2): they
    # had been read as F major chords (8 tunes); a capital "F" is still a chord
    (piece,) = _read(tmp_path, 'X:1\nT:Slow and mournful\nM:4/4\nL:1/8\nK:D\n"f"A>F "F"A2 "pp"F2 D2 |]\n')
    assert [c.figure for c in piece.chords] == ["F"]
    assert piece.meta["left_out"]["dynamic marking(s)"] == 2


def test_a_lower_case_quoted_mark_is_not_a_chord(tmp_path):
    # Ryan's Mammoth Collection writes string and fingering marks as quoted strings ("e"a in My
    # Lady's Goon Has Gairs On't): "e" had been read as an E major chord. A chord symbol starts
    # with a capital A-G (ABC 2.1, 4.18); a digit is still counted as an unparsed chord
    (piece,) = _read(tmp_path, 'X:1\nT:Marks\nM:4/4\nL:1/8\nK:C\n"e"CDEF "G"GABc|"4"cBAG FEDC|]\n')
    assert [c.figure for c in piece.chords] == ["G"]
    assert piece.meta["unparsed_chords"] == 1


# ------------------------------------------------------------------ no K: line
def test_a_tune_without_a_key_line_has_no_written_key(tmp_path):
    # ABC needs K:, and music21 reads a tune without one in C: a tune in G (its F sharps written
    # as accidentals) had been harmonized in C major; its key is now estimated from the notes
    text = ("X:1\nT:No key\nM:4/4\nL:1/8\nG2 B2 d2 B2 | c2 A2 ^F2 A2 | G2 B2 d2 g2 | ^f2 a2 g4 |\n"
            "G2 B2 d2 B2 | c2 A2 ^F2 A2 | B2 A2 ^F2 D2 | G8 |]\n")  # fmt: skip
    (piece,) = _read(tmp_path, text)
    assert piece.keys == [] and piece.meta["key_not_written"] is True
    assert _names(piece.melody())[:8] == ["G", "B", "D", "B", "C", "A", "F#", "A"]
    from tunesmith import api

    take = api.harmonize(piece, style="folk", seed=1)
    assert (take.piece.keys[0].tonic, take.piece.keys[0].mode) == ("G", "major")


# ------------------------------------------------------------------ the lowest octaves
def test_notes_in_octave_minus_one_are_read_at_their_pitch(tmp_path):
    """music21 names octave -1 "C-1", which had been read back as C-flat in octave 1: C,,,,, (MIDI 0)
    came in as 23, C,,,,,, (-12) as 35. The octave is counted from the note as written."""
    (piece,) = _read(tmp_path, "X:1\nT:Low\nM:4/4\nL:1/4\nK:C\nC,,,,, ^C,,,,, _D,,,,, B,,,,, | [C,,,,,E] _C,,,, =B,,,,, z | c4 |]\n")
    notes = piece.melody().notes
    assert [n.pitch for n in notes] == [0, 1, 1, 11, 64, 0, 11, 11, 72]  # (a chord: highest first)
    assert [n.spelling for n in notes][:4] == ["C", "C#", "Db", "B"]
    assert "notes_out_of_range" not in piece.meta


def test_notes_below_midi_are_left_out_counted_once_as_written_with_the_first_place(tmp_path):
    # C,,,,,, (-12) and a note 9 octaves up, inside a repeat played twice: two notes, not four
    (piece,) = _read(tmp_path, "X:1\nT:Low\nM:4/4\nL:1/4\nK:C\nE F G A |: C,,,,,, D E c''''''''' :|]\n")
    assert [n.pitch for n in piece.melody().notes] == [64, 65, 67, 69, 62, 64, 62, 64]
    assert piece.meta["notes_out_of_range"] == 2 and piece.meta["note_out_of_range_first"] == [4.0, -12]
