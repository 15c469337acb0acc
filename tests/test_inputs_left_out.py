"""What an input has and a piece cannot hold (grace notes, lyrics) is counted on reading, and a
co-created take says it leaves it out: a song's words (Schumann's Dichterliebe) and a tune's
ornaments had vanished from the take without a word, beside "the musician's notes never change"."""

from __future__ import annotations

from types import SimpleNamespace

from tunesmith.input_notes import note_left_out
from tunesmith.inputs.abc import parse_abc_tune
from tunesmith.inputs.musicxml import read_musicxml


def test_musicxml_grace_notes_and_lyrics_are_counted_and_said(tmp_path):
    lyric = "<lyric><syllabic>single</syllabic><text>{}</text></lyric>"
    notes = (
        "<note><grace/><pitch><step>A</step><octave>4</octave></pitch><type>16th</type></note>"
        f"<note><pitch><step>G</step><octave>4</octave></pitch><duration>2</duration><type>half</type>{lyric.format('Aus')}</note>"
        f"<note><pitch><step>B</step><octave>4</octave></pitch><duration>2</duration><type>half</type>{lyric.format('mei')}</note>"
    )
    xml = ('<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list><score-part id="P1">'
           '<part-name>Voice</part-name></score-part></part-list><part id="P1"><measure number="1"><attributes>'
           "<divisions>1</divisions><key><fifths>1</fifths></key><time><beats>4</beats><beat-type>4</beat-type></time>"
           f"</attributes>{notes}</measure></part></score-partwise>")  # fmt: skip
    path = tmp_path / "song.musicxml"
    path.write_text(xml)
    piece = read_musicxml(path)[0]
    assert [n.pitch for n in piece.tracks[0].notes] == [67, 71]
    assert piece.meta["left_out"] == {"grace note(s)": 1, "lyric syllable(s)": 2}
    takes = [SimpleNamespace(provenance={})]
    note_left_out(takes, piece)
    assert takes[0].provenance["notes"] == [
        "not in the take (tunesmith does not read them): the input's 1 grace note(s), 2 lyric syllable(s)"
    ]


def test_abc_grace_notes_are_counted_as_written_not_as_played():
    piece = parse_abc_tune("X:1\nT:G\nM:6/8\nL:1/8\nK:G\n|:{a}GAB {c}d2B|{gf}e2d B2A:|\n", piece_id="g", work_id="g")
    assert piece.meta["left_out"] == {"grace note(s)": 4}  # the repeat plays them twice; 4 are written
    plain = parse_abc_tune("X:1\nT:G\nM:6/8\nL:1/8\nK:G\n|:GAB d2B:|\n", piece_id="g", work_id="g")
    assert "left_out" not in plain.meta
    takes = [SimpleNamespace(provenance={})]
    note_left_out(takes, plain)
    assert takes[0].provenance == {}


def test_abc_chord_symbol_before_grace_notes_is_the_chord_of_the_note_after_them():
    # '"G"{ag}G': tune books write the chord before the graces; music21 gives it to the first grace
    # note, and it had been dropped with the graces (half the chords of Flowers of Edinburgh)
    before = parse_abc_tune('X:1\nT:F\nM:4/4\nL:1/8\nK:G\n"G"{ag}G2B2 "D"{c}d4|"C"c2e2 "G"G4|]\n', piece_id="f", work_id="f")
    after = parse_abc_tune('X:1\nT:F\nM:4/4\nL:1/8\nK:G\n{ag}"G"G2B2 {c}"D"d4|"C"c2e2 "G"G4|]\n', piece_id="f", work_id="f")
    expected = [("G", 0.0), ("D", 2.0), ("C", 4.0), ("G", 6.0)]
    assert [(c.figure, c.onset) for c in before.chords] == expected
    assert [(c.figure, c.onset) for c in after.chords] == expected
    assert before.meta["left_out"] == {"grace note(s)": 3}
