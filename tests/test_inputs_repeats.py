"""Repeats are expanded when reading ABC and MusicXML: the piece holds the music as played."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from tunesmith.inputs.abc import _fix_body, parse_abc_tune, read_abc
from tunesmith.inputs.musicxml import read_musicxml

NOTTINGHAM = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "nottingham"

HEAD = "X:1\nT:t\nM:2/4\nL:1/4\nK:C\n"  # one letter = one beat, two beats a bar


def abc(body: str, head: str = HEAD):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return parse_abc_tune(_fix_body(head + body + "\n"), piece_id="t", work_id="t")  # as read_abc does


def pitches(piece) -> list[int]:
    return [n.pitch for n in piece.tracks[0].notes]


C, D, E, F, G, A, B, c, d, e = 60, 62, 64, 65, 67, 69, 71, 72, 74, 76


# ------------------------------------------------------------------------------ ABC
def test_abc_simple_repeat_aab():
    p = abc('|: "C"C D | E F :| "G"G A | B c |]')
    assert pitches(p) == [C, D, E, F, C, D, E, F, G, A, B, c]
    assert p.bar_onsets == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0] and p.end == 12.0
    assert p.meta["repeats_expanded"] is True
    assert p.meta["sections"] == [[0, 2, "A"], [2, 4, "A"], [4, 6, "B"]]
    # chord symbols stay with their notes on every pass
    assert [(ch.onset, ch.figure) for ch in p.chords] == [(0.0, "C"), (4.0, "C"), (8.0, "G")]


def test_abc_first_and_second_endings():
    p = abc("|: C D |1 E F :|2 G A |]")
    assert pitches(p) == [C, D, E, F, C, D, G, A]
    assert p.meta["sections"] == [[0, 2, "A"], [2, 4, "A"]]
    # two repeated parts with endings, written as `[1` / `[2` on a new line
    p = abc("|: C D | E F :|\n|: G A [1 B c :|\n[2 c B |]")
    assert pitches(p) == [C, D, E, F, C, D, E, F, G, A, B, c, G, A, c, B]
    assert p.meta["sections"] == [[0, 2, "A"], [2, 4, "A"], [4, 6, "B"], [6, 8, "B"]]


def test_abc_double_repeat():
    want = [C, D, E, F, C, D, E, F, G, A, B, c, G, A, B, c]
    sections = [[0, 2, "A"], [2, 4, "A"], [4, 6, "B"], [6, 8, "B"]]
    for body in ("|: C D | E F :: G A | B c :|", "|: C D | E F::G A | B c :|", "|: C D | E F :||: G A | B c :|"):
        p = abc(body)
        assert pitches(p) == want, body
        assert p.meta["sections"] == sections, body


def test_abc_pickup_with_repeats_and_chords():
    head = "X:1\nT:t\nM:4/4\nL:1/8\nK:G\n"
    p = abc("d | \"G\"G2 B2 d2 g2 | \"D\"f2 a2 \"G\"g3 :| e | \"C\"c2 e2 g2 c'2 | \"G\"b2 g2 g3 :|", head)
    assert p.meta["pickup"] == 0.5
    # the short last bar of each part and the pickup played after it make one bar
    assert p.bar_onsets == [0.0, 0.5, 4.5, 8.5, 12.5, 16.5, 20.5, 24.5, 28.5] and p.end == 32.0
    assert p.meta["sections"] == [[0, 3, "A"], [3, 5, "A"], [5, 7, "B"], [7, 9, "B"]]
    assert [n.onset for n in p.tracks[0].notes if n.pitch == 74] == [0.0, 2.5, 8.0, 10.5]  # the pickup d is played twice
    assert [(ch.onset, ch.figure) for ch in p.chords] == [
        (0.5, "G"), (4.5, "D"), (6.5, "G"), (8.5, "G"), (12.5, "D"), (14.5, "G"),
        (16.5, "C"), (20.5, "G"), (24.5, "C"), (28.5, "G"),
    ]
    # a pickup before the first |: is played once
    p = abc('d |: "G"G2 B2 d2 g2 :|', head)
    assert p.bar_onsets == [0.0, 0.5, 4.5] and p.end == 8.5
    assert p.meta["sections"] == [[0, 2, "A"], [2, 3, "A"]]


def test_abc_pickup_before_the_repeat_is_played_again_when_the_last_bar_wants_it():
    """`A|: ... |d3 d2 :|` (a jig): players take the pickup again at the end of the short last
    bar. Read once, the second pass had begun a bar short, mid-piece (bar 8: 2.5 beats of 6/8)."""
    head = "X:1\nT:t\nM:6/8\nL:1/8\nK:D\n"
    p = abc("A|:d2 f a2 f|g2 e c2 A|d2 f a2 f|d3 d2 :|", head)
    lengths = [b - a for a, b in zip(p.bar_onsets, [*p.bar_onsets[1:], p.end])]
    assert lengths == [0.5, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 2.5]  # the pickup, whole bars, the short end
    # the pickup A at 0 and again at 12 (bar 2 ends on an A too, at 6 and 18)
    assert [n.onset for n in p.tracks[0].notes if n.pitch == 69] == [0.0, 6.0, 12.0, 18.0]
    assert p.meta["sections"] == [[0, 5, "A"], [5, 9, "A"]] and p.meta["pickup"] == 0.5
    # with a last bar already whole, the pickup is still played once (the test above)
    p = abc("A|:d2 f a2 f|d3 d3 :|", head)
    assert [n.onset for n in p.tracks[0].notes if n.pitch == 69] == [0.0]


def test_abc_unmatched_repeats_never_crash_or_lose_notes(monkeypatch):
    # :| without |: repeats from the start, then from the end of the previous repeat
    p = abc("C D | E F :| G A | B c :| d e :|")
    assert pitches(p) == [C, D, E, F, C, D, E, F, G, A, B, c, G, A, B, c, d, e, d, e]
    assert [s[2] for s in p.meta["sections"]] == ["A", "A", "B", "B", "C", "C"]
    # a :| before any note, a |: never closed, a second ending without a first
    assert pitches(abc(":| C D | E F |")) == [C, D, E, F]
    assert pitches(abc("C D |: E F | G A |")) == [C, D, E, F, G, A]
    assert pitches(abc("C D | E F [2 G A :| B c")) == [C, D, E, F, G, A, C, D, E, F, G, A, B, c]
    odd = ("C :|:", "|1 C :|", "[2 C D :|2 E :|", ":: C :: D", "|: C D :|1 :|2 E |]", "C [1 D [2 E :| F")
    expanded = {body: abc(body) for body in odd}
    import tunesmith.inputs.abc as abc_mod

    monkeypatch.setattr(abc_mod, "expand_repeats", lambda tokens: None)  # the tune as written
    for body in odd:
        written = abc(body)
        assert written.meta["repeats_expanded"] is False
        assert set(pitches(expanded[body])) == set(pitches(written)) and written.tracks, body
        assert len(pitches(expanded[body])) >= len(pitches(written)), body


def test_abc_no_repeats_is_one_section():
    p = abc("C D | E F | G A |]")
    assert pitches(p) == [C, D, E, F, G, A]
    assert p.meta["repeats_expanded"] is True and p.meta["sections"] == [[0, 3, "A"]]


# ------------------------------------------------------------------------------ MusicXML
_ATTR = ("<attributes><divisions>1</divisions><key><fifths>0</fifths></key><time><beats>4</beats>"
         "<beat-type>4</beat-type></time><clef><sign>G</sign><line>2</line></clef></attributes>")
_FWD = '<barline location="left"><bar-style>heavy-light</bar-style><repeat direction="forward"/></barline>'
_BWD = '<barline location="right"><bar-style>light-heavy</bar-style><repeat direction="backward"/></barline>'
_E1S = '<barline location="left"><ending number="1" type="start"/></barline>'
_E1E = ('<barline location="right"><bar-style>light-heavy</bar-style><ending number="1" type="stop"/>'
        '<repeat direction="backward"/></barline>')
_E2S = '<barline location="left"><ending number="2" type="start"/></barline>'
_E2E = '<barline location="right"><ending number="2" type="discontinue"/></barline>'


def _measure(num: int, step: str, chord: str, left: str = "", right: str = "") -> str:
    harmony = f"<harmony><root><root-step>{chord}</root-step></root><kind>major</kind></harmony>"
    note = f"<note><pitch><step>{step}</step><octave>4</octave></pitch><duration>4</duration><type>whole</type></note>"
    return f'<measure number="{num}">{_ATTR if num == 1 else ""}{left}{harmony}{note}{right}</measure>'


def _write_xml(folder: Path, name: str, measures: list[str]) -> Path:
    p = folder / f"{name}.musicxml"
    p.write_text('<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list>'
                 '<score-part id="P1"><part-name>Melody</part-name></score-part></part-list><part id="P1">'
                 + "".join(measures) + "</part></score-partwise>", encoding="utf-8")
    return p


def _read(p: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_musicxml(p)[0]


def test_musicxml_repeat_barlines_and_volta_endings(tmp_path):
    # |: C |1 D :|2 E | |: F | G :|  ->  C D C E F G F G
    p = _read(_write_xml(tmp_path, "voltas", [
        _measure(1, "C", "C", _FWD), _measure(2, "D", "G", _E1S, _E1E), _measure(3, "E", "F", _E2S, _E2E),
        _measure(4, "F", "F", _FWD), _measure(5, "G", "G", "", _BWD),
    ]))
    assert [(n.pitch, n.onset) for n in p.tracks[0].notes] == [
        (C, 0.0), (D, 4.0), (C, 8.0), (E, 12.0), (F, 16.0), (G, 20.0), (F, 24.0), (G, 28.0)]
    assert [(ch.onset, ch.figure) for ch in p.chords] == [
        (0.0, "C"), (4.0, "G"), (8.0, "C"), (12.0, "F"), (16.0, "F"), (20.0, "G"), (24.0, "F"), (28.0, "G")]
    assert p.bar_onsets == [0.0, 4.0, 8.0, 12.0, 16.0, 20.0, 24.0, 28.0]
    assert p.meta["repeats_expanded"] is True
    assert p.meta["sections"] == [[0, 2, "A"], [2, 4, "A"], [4, 6, "B"], [6, 8, "B"]]


def test_musicxml_unmatched_and_malformed_repeats(tmp_path):
    # a backward repeat without a forward one repeats from the start
    p = _read(_write_xml(tmp_path, "unmatched", [
        _measure(1, "C", "C"), _measure(2, "D", "G", "", _BWD), _measure(3, "E", "F")]))
    assert [n.pitch for n in p.tracks[0].notes] == [C, D, C, D, E]
    assert p.meta["repeats_expanded"] is True and p.meta["sections"] == [[0, 2, "A"], [2, 4, "A"], [4, 5, "B"]]
    # a forward repeat never closed: read as written, flagged, no note lost
    p = _read(_write_xml(tmp_path, "open", [
        _measure(1, "C", "C"), _measure(2, "D", "G", _FWD), _measure(3, "E", "F")]))
    assert [n.pitch for n in p.tracks[0].notes] == [C, D, E]
    assert p.meta["repeats_expanded"] is False and p.meta["sections"] == [[0, 3, "A"]]


# ------------------------------------------------------------------------------ Nottingham
@pytest.mark.skipif(not NOTTINGHAM.is_dir(), reason=f"Nottingham set not present at {NOTTINGHAM}")
def test_nottingham_repeats_expanded():
    import tunesmith.inputs.abc as abc_mod

    files = sorted(NOTTINGHAM.rglob("*.abc"))
    assert len(files) == 14
    grew = total = 0
    for f in files[:4]:
        expanded = read_abc(f)
        written_reader = abc_mod.expand_repeats
        try:
            abc_mod.expand_repeats = lambda tokens: None
            written = {p.piece_id: p for p in read_abc(f)}
        finally:
            abc_mod.expand_repeats = written_reader
        for p in expanded:
            w = written[p.piece_id]
            total += 1
            grew += len(p.bar_onsets) > len(w.bar_onsets)
            assert p.meta["repeats_expanded"] is True and w.meta["repeats_expanded"] is False
            assert p.n_notes >= w.n_notes and p.end >= w.end
            assert p.meta.get("unparsed_chords", 0) == w.meta.get("unparsed_chords", 0)
            assert {c.figure for c in p.chords} == {c.figure for c in w.chords}
            secs = p.meta["sections"]
            assert secs[0][0] == 0 and secs[-1][1] == len(p.bar_onsets)
            assert all(a[1] == b[0] for a, b in zip(secs, secs[1:]))
    # most dance tunes repeat their parts (all 14 files: 819 of 1034 grew)
    assert total > 300 and grew / total > 0.6
