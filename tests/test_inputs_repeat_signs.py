"""MusicXML repeats a hostile or unusual score writes: bounded before music21 expands them, and
played in the order players take (D.C. al Fine, two backward repeats without a forward one)."""

from __future__ import annotations

import re

import pytest

from tunesmith.inputs.musicxml import read_musicxml
from tunesmith.limits import LimitError

STEPS = "CDEFGAB"


def _score(tmp_path, measures: list[str], name: str = "s.musicxml"):
    """A one-part score: measure i holds one whole note whose step says i (C3, D3, ...), plus the
    XML given for it (barlines, directions)."""
    body = []
    for i, extra in enumerate(measures):
        attrs = ("<attributes><divisions>1</divisions><key><fifths>0</fifths></key><time><beats>4</beats>"
                 "<beat-type>4</beat-type></time></attributes>") if i == 0 else ""  # fmt: skip
        note = f"<note><pitch><step>{STEPS[i % 7]}</step><octave>{3 + i // 7}</octave></pitch><duration>4</duration><type>whole</type></note>"
        body.append(f'<measure number="{i + 1}">{attrs}{note}{extra}</measure>')
    xml = ('<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list><score-part id="P1">'
           '<part-name>P</part-name></score-part></part-list><part id="P1">' + "".join(body) + "</part></score-partwise>")  # fmt: skip
    path = tmp_path / name
    path.write_text(xml)
    return path


def _played(path) -> list[int]:
    """The measures in the order the reader plays them (the index each note's pitch stands for)."""
    index = {48 + 12 * octave + semitones: 7 * octave + i for octave in range(3)
             for i, semitones in enumerate((0, 2, 4, 5, 7, 9, 11))}  # fmt: skip
    piece = read_musicxml(path)[0]
    return [index[n.pitch] for n in sorted(piece.tracks[0].notes, key=lambda n: n.onset)]


BACK = '<barline location="right"><repeat direction="backward"{}/></barline>'


def test_a_repeat_played_a_million_times_is_refused_before_it_is_expanded(tmp_path):
    """times="1000000" had kept music21 expanding for minutes and GBs of memory."""
    path = _score(tmp_path, ["", BACK.format(' times="1000000"'), ""])
    with pytest.raises(LimitError, match=r"s\.musicxml: times a repeat is played 1,000,000 is over the limit of 32"):
        read_musicxml(path)
    with pytest.raises(LimitError, match="not a whole number"):
        read_musicxml(_score(tmp_path, ["", BACK.format(' times="lots"')], "t.musicxml"))
    with pytest.raises(LimitError, match="not a whole number"):  # times="-3" had played twice
        read_musicxml(_score(tmp_path, ["", BACK.format(' times="-3"')], "v.musicxml"))
    with pytest.raises(LimitError, match="played at least once"):  # times="0" had dropped the repeat
        read_musicxml(_score(tmp_path, ["", BACK.format(' times="0"')], "w.musicxml"))
    assert _played(_score(tmp_path, ["", BACK.format(' times="3"'), ""], "u.musicxml")) == [0, 1, 0, 1, 0, 1, 2]


def test_da_capo_al_fine_is_played(tmp_path):
    fine = '<direction><direction-type><words>Fine</words></direction-type><sound fine="yes"/></direction>'
    dc = '<direction><direction-type><words>D.C. al Fine</words></direction-type><sound dacapo="yes"/></direction>'
    assert _played(_score(tmp_path, ["", "", fine, "", dc])) == [0, 1, 2, 3, 4, 0, 1, 2]


def test_two_backward_repeats_without_a_forward_one_repeat_each_strain(tmp_path):
    """A B :| C D :| E plays A B A B C D C D E (music21 alone had gone back to the start)."""
    assert _played(_score(tmp_path, ["", BACK.format(""), "", BACK.format(""), ""])) == [0, 1, 0, 1, 2, 3, 2, 3, 4]


@pytest.mark.parametrize("ending", ["[3", "|3", "[1,2", "[1-3"])
def test_an_abc_ending_the_reader_cannot_play_is_refused_in_one_line(tmp_path, ending):
    """music21 read `[3 d4 | e4 |]` as one chord token: the third pass's bars were gone, the tune
    read with exit 0 (11 bars as 6)."""
    import tunesmith as ts

    path = tmp_path / "three.abc"
    path.write_text(f'X:1\nT:Three passes\nM:4/4\nL:1/4\nK:G\n|: "G"G4 | "D"A4 |[1 "C"B4 :|[2 "G"c4 :|{ending} "D"d4 | "C"e4 |]\n')
    with pytest.raises(ValueError, match=rf"three\.abc: an ending '{re.escape(ending)}' \(a third pass, or a list of passes\) is not read"):
        ts.read(path)


def test_repeats_in_one_part_only_are_not_followed_and_said(tmp_path):
    """A melody repeating over a chord part that does not had played out of step with it: the
    score is read as written, its parts in step, and the reason kept for the verbs to say."""
    def part(pid: str, step: str, back: bool) -> str:
        measures = []
        for i in range(3):
            attrs = ("<attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time>"
                     "</attributes>") if i == 0 else ""  # fmt: skip
            bar = BACK.format("") if back and i == 1 else ""
            measures.append(f'<measure number="{i + 1}">{attrs}<note><pitch><step>{step}</step><octave>{4 - (pid == "P2")}'
                            f"</octave></pitch><duration>4</duration><type>whole</type></note>{bar}</measure>")  # fmt: skip
        return f'<part id="{pid}">' + "".join(measures) + "</part>"

    xml = ('<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list>'
           '<score-part id="P1"><part-name>Melody</part-name></score-part><score-part id="P2"><part-name>Bass</part-name>'
           "</score-part></part-list>" + part("P1", "E", True) + part("P2", "C", False) + "</score-partwise>")  # fmt: skip
    path = tmp_path / "two.musicxml"
    path.write_text(xml)
    piece = read_musicxml(path)[0]
    assert piece.meta["repeats_expanded"] is False
    assert piece.meta["repeats_not_followed"] == "part 2's repeat signs differ from part 1's"
    assert [len(t.notes) for t in piece.tracks] == [3, 3]


def test_an_abc_repeat_that_changes_meter_or_key_begins_its_second_pass_as_its_first(tmp_path):
    """`|: C4 | [M:3/4] D3 :| E3 |]`: the second C4 had been read in 3/4 (bars 4, 3, 4, 3, 3 beats
    long under signatures that said 4/4 then 3/4 for good); a key change likewise."""
    import tunesmith as ts

    meter = tmp_path / "meter.abc"
    meter.write_text("X:1\nT:t\nM:4/4\nL:1/4\nK:C\n|: C4 | [M:3/4] D3 :| E3 |]\n")
    piece = ts.read(meter)
    assert [(t.onset, t.numerator) for t in piece.time_signatures] == [(0.0, 4), (4.0, 3), (7.0, 4), (11.0, 3)]
    key = tmp_path / "key.abc"
    key.write_text("X:1\nT:t\nM:4/4\nL:1/4\nK:C\n|: F4 | [K:D] F4 :| G4 |]\n")
    piece = ts.read(key)
    assert [(k.onset, k.tonic) for k in piece.keys] == [(0.0, "C"), (4.0, "D"), (8.0, "C"), (12.0, "D")]
    assert [n.pitch for n in piece.tracks[0].notes] == [65, 66, 65, 66, 67]
