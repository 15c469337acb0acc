"""Hostile inputs left from session 41's trial (docs/notes/2026-12-04-session-41/hostile/report.md,
"not fixed"), each now one line in the file's terms, before the work: MusicXML values music21 had
refused in its own words or read as no notes, numbers Python refused in its words, a decoding file
that is a pipe, and a chord list longer than any take."""

from __future__ import annotations

import os
import re

import pytest

from tunesmith.limits import LimitError

NOTE = "<note><pitch><step>C</step><octave>5</octave></pitch><duration>1</duration><type>quarter</type></note>"


def _musicxml(measure_start: str = "", note: str = NOTE, divisions: str = "1", attributes: str = "") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise version="3.1">'
            '<part-list><score-part id="P1"><part-name>Melody</part-name></score-part></part-list>'
            f'<part id="P1"><measure number="1"><attributes><divisions>{divisions}</divisions><key><fifths>0</fifths></key>'
            f'<time><beats>4</beats><beat-type>4</beat-type></time>{attributes}</attributes>{measure_start}{note * 4}</measure>'
            "</part></score-partwise>\n")  # fmt: skip


CASES = {
    "a note of no length": (dict(note=NOTE.replace("<duration>1<", "<duration>0<")),
                            r"a note's <duration> is 0; a note lasts a positive number of divisions"),
    "a note of negative length": (dict(note=NOTE.replace("<duration>1<", "<duration>-1<")), r"a note's <duration> is -1"),
    "a backup of negative length": (dict(measure_start="<backup><duration>-4</duration></backup>"),
                                    r"a <backup> of -4 divisions; it moves by a length, which is not negative"),
    "octave 99": (dict(note=NOTE.replace("<octave>5<", "<octave>99<")), r"<octave> 99 is out of range \(0\.\.9\)"),
    "the note H": (dict(note=NOTE.replace("<step>C<", "<step>H<")), r"<step> 'H' is not a note name \(A to G\)"),
    "a tempo of nan": (dict(measure_start='<direction><sound tempo="nan"/></direction>'), r"<sound tempo> nan is not a number"),
    "a tempo of 1e300": (dict(measure_start='<direction><sound tempo="1e300"/></direction>'),
                         r"tempo of 1e\+300 quarter notes a minute is out of range \(1\.\.2,000\)"),
    "a tenth of a millionth of a division": (dict(divisions="0.0000001"),
                                             r"<divisions> 0\.0000001 is out of range \(1\.\.1,441,440\)"),
    "a transposition of 99999999 semitones": (dict(attributes="<transpose><chromatic>99999999</chromatic></transpose>"),
                                              r"<transpose> <chromatic> 99999999 is out of range \(-24\.\.24\)"),
    "an octave change of 9999999": (dict(attributes="<transpose><chromatic>0</chromatic><octave-change>9999999"
                                                    "</octave-change></transpose>"),
                                    r"<transpose> <octave-change> 9999999 is out of range \(-4\.\.4\)"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_musicxml_value_music21_cannot_read_is_one_line_in_words(tmp_path, case):
    """Each had been "music21 could not read the MusicXML (ZeroDivisionError: float division by
    zero)", "(PitchException: Cannot make a step out of 'H')", "(ValueError: cannot convert float
    NaN to integer)", or (octave 99) "MusicXML score has no notes"."""
    from tunesmith.inputs import read_file

    parts, message = CASES[case]
    f = tmp_path / "hostile.musicxml"
    f.write_text(_musicxml(**parts))
    with pytest.raises(LimitError, match=rf"hostile\.musicxml: {message}"):
        read_file(f)


def test_the_values_kept_by_real_files_are_read(tmp_path):
    """A grace note has no <duration>, a tempo of 0 is no tempo, a transposing instrument's part
    moves by a few semitones: read as before."""
    from tunesmith.inputs import read_file

    grace = "<note><grace/><pitch><step>D</step><octave>5</octave></pitch><type>eighth</type></note>"
    f = tmp_path / "fine.musicxml"
    f.write_text(_musicxml(measure_start='<direction><sound tempo="0"/></direction>' + grace, divisions="480",
                           attributes="<transpose><diatonic>-1</diatonic><chromatic>-2</chromatic></transpose>",
                           note=NOTE.replace("<duration>1<", "<duration>480<")))
    assert len(read_file(f)[0].melody().notes) == 4


@pytest.mark.parametrize(("name", "text", "message"), [
    ("long.krn", "**kern\n*M4/4\n=1\n" + "9" * 5000 + "d\n*-\n", r"malformed \*\*kern \(a number in it is thousands of digits long\)"),
    ("long.json", '{"train": [[[' + "9" * 5000 + "]]]}", r"cannot be read as jsb \(a number in it is thousands of digits long\)"),
    ("infinite.json", '{"train": [[[Infinity, 60], [60]]]}', r"cannot be read as jsb \(a number in it is infinite or not a number\)"),
])  # fmt: skip
def test_a_number_python_refuses_is_said_in_the_files_terms(tmp_path, name, text, message):
    """These had ended "(Exceeds the limit (4300 digits) for integer string conversion: value has
    5001 digits; use sys.set_int_max_str_digits() to increase the limit)" and "(OverflowError:
    cannot convert float infinity to integer)"."""
    from tunesmith.inputs import InputError, read_file

    f = tmp_path / name
    f.write_text(text)
    with pytest.raises(InputError, match=rf"{re.escape(name)}: {message}$"):
        read_file(f)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_decoding_file_that_is_a_pipe_is_refused_not_taken_as_absent(tmp_path):
    """A FIFO named decoding.json had been read as no file: the model composed without its decoding
    defaults, and nothing said so."""
    from tunesmith.inference import read_decoding

    os.mkfifo(tmp_path / "decoding.json")
    with pytest.raises(ValueError, match=r"decoding\.json: not a regular file \(a folder, pipe, device or socket\)"):
        read_decoding(tmp_path)
    assert read_decoding(tmp_path / "elsewhere") == {}  # absent: the model's own defaults, as before


def test_more_chords_than_any_take_has_bars_are_refused_before_they_are_parsed():
    """A megabyte of chords had taken 7 s to parse, and the chords past the last bar were never heard."""
    from tunesmith.sampling import ComposeRequest

    with pytest.raises(ValueError, match=r"^100,000 bars of chords, more than the 64 bars a take may have$"):
        ComposeRequest(style="pop", chords="C! " * 100_000, bars=8)  # refused before "C!" is parsed


def test_chords_past_the_last_bar_are_said_to_be_unused():
    import tunesmith

    take = tunesmith.compose("pop", key="C", chords="C G Am F Dm E7 A7 D7", bars=4, seed=0, check=False)
    said = "8 chords for 4 bars: the last 4 (Dm E7 A7 D7) are not used; ask for 8 bars to hear them all"
    assert said in take.provenance["notes"]
    fits = tunesmith.compose("pop", key="C", chords="C G", bars=4, seed=0, check=False)
    assert not any("not used" in n for n in fits.provenance.get("notes", []))
