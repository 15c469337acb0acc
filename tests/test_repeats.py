"""Repeat signs: a strain sounded twice is written once between repeat barlines (first and second
endings where it ends another way), and read back it is the same music (`convert.repeats`)."""

from __future__ import annotations

import json
import re

import pytest

from tunesmith.inputs.musicxml import read_musicxml
from tunesmith.outputs.musicxml import musicxml_and_repeats, write_musicxml
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track


def _lead(bars: list[list[tuple[int, float, float]]], chords: list[str], *, bar_len: float = 4.0, pickup=None,
          meter=(4, 4)) -> Piece:  # fmt: skip
    """A melody from bars of (pitch, onset in bar, length) and one chord per bar; `pickup`: the
    pickup bar's notes (pitch, onset in it, length) and its length."""
    notes, chord_syms, onsets = [], [], []
    t = 0.0
    if pickup is not None:
        p_notes, p_len = pickup
        notes += [Note(p, t + o, d, 80) for p, o, d in p_notes]
        onsets.append(0.0)
        t = p_len
    for bar, figure in zip(bars, chords):
        onsets.append(t)
        notes += [Note(p, t + o, d, 80) for p, o, d in bar]
        chord_syms.append(ChordSymbol(t, figure))
        t += bar_len
    return Piece(piece_id="r", work_id="r", style="folk", source="test", license="public-domain",
                 tracks=[Track("Melody", "melody", 0, False, notes)], chords=chord_syms,
                 time_signatures=[TimeSignature(0.0, *meter)], tempos=[Tempo(0.0, 100.0)],
                 keys=[KeySignature(0.0, "D", "major")], bar_onsets=onsets, end=t)  # fmt: skip


def _bar(*pitches: int) -> list[tuple[int, float, float]]:
    return [(p, float(i), 1.0) for i, p in enumerate(pitches)]


A = [_bar(62, 64, 66, 67), _bar(69, 71, 69, 67), _bar(66, 64, 62, 64), _bar(66, 67, 69, 71)]
A2_END = _bar(69, 66, 62, 62)  # the second time through ends on the tonic
B = [_bar(74, 73, 71, 69), _bar(71, 73, 74, 76), _bar(78, 76, 74, 73), _bar(71, 69, 67, 66)]
B2_END = _bar(64, 66, 62, 62)
CH_A, CH_B = ["D", "G", "D", "A"], ["G", "D", "Em", "A"]


def _aabb() -> Piece:
    """|: A (1. ending :| 2. ending) |: B (1. :| 2.) : 16 bars as played, 10 written."""
    return _lead([*A, *A[:3], A2_END, *B, *B[:3], B2_END], [*CH_A, *CH_A[:3], "D", *CH_B, *CH_B[:3], "D"])


def _exact_with_pickup() -> Piece:
    """A pickup, then A sounded twice exactly (its last bar leads back in), then B once."""
    return _lead([*A, *A, *B], [*CH_A, *CH_A, *CH_B], pickup=([(57, 0.0, 1.0)], 1.0))


def _chorale_stollen() -> Piece:
    """Four voices whose first 4 bars are sung twice (a chorale's Stollen), then 4 more."""
    tracks = []
    for name, role, base in (
        ("Soprano", "soprano", 67),
        ("Alto", "alto", 62),
        ("Tenor", "tenor", 55),
        ("Bass", "bass", 43),
    ):
        stollen = [Note(base + (b % 3), float(b), 1.0, 80) for b in range(16)]
        again = [Note(n.pitch, n.onset + 16.0, 1.0, 80) for n in stollen]
        abgesang = [Note(base + 2 - (b % 2), 32.0 + b, 1.0, 80) for b in range(16)]
        tracks.append(Track(name, role, 52, False, stollen + again + abgesang))
    return Piece(piece_id="c", work_id="c", style="chorale", source="test", license="public-domain", tracks=tracks,
                 time_signatures=[TimeSignature(0.0, 4, 4)], tempos=[Tempo(0.0, 80.0)],
                 keys=[KeySignature(0.0, "G", "major")], end=48.0)  # fmt: skip


def _through_composed() -> Piece:
    return _lead([*A, *B], [*CH_A, *CH_B])


def _played(piece: Piece) -> tuple:
    return (tuple((i, n.pitch, round(n.onset, 6), round(n.duration, 6)) for i, t in enumerate(piece.tracks)
                  for n in sorted(t.notes, key=lambda n: (n.onset, n.pitch))),
            tuple((c.figure, round(c.onset, 6)) for c in piece.chords))  # fmt: skip


@pytest.mark.parametrize(
    "make, measures, spans",
    [
        (_aabb, 10, [(0, 4, 1), (8, 4, 1)]),
        (_exact_with_pickup, 9, [(1, 4, 0)]),
        (_chorale_stollen, 8, [(0, 4, 0)]),
        (_through_composed, 8, []),
    ],  # fmt: skip
    ids=["aabb-endings", "pickup-exact", "chorale-stollen", "through-composed"],
)
def test_written_with_repeats_it_reads_back_as_the_same_music(tmp_path, make, measures, spans):
    """The round trip: a piece written with repeat signs and read back (repeats expanded) is the
    piece, note for note and chord for chord; the score has fewer measures."""
    piece = make()
    data, found = musicxml_and_repeats(piece, repeats=True)
    assert [(s.start, s.bars, s.endings) for s in found] == spans
    assert len(re.findall(rb"<measure ", data.split(b"</part>")[0])) == measures  # the first part's
    path = tmp_path / "r.musicxml"
    path.write_bytes(data)
    back = read_musicxml(path)[0]
    assert _played(back) == _played(piece)
    assert back.n_bars == piece.n_bars


def test_endings_are_bracketed_and_the_strains_fenced(tmp_path):
    data, _ = musicxml_and_repeats(_aabb(), repeats=True)
    text = data.decode()
    assert text.count('<ending number="1" type="start"') == 2 and text.count('<ending number="2" type="start"') == 2
    assert text.count('<repeat direction="backward"') == 2
    assert text.count('<repeat direction="forward"') == 1  # B's; none at the very start


def test_a_pickup_tune_repeats_from_after_the_pickup():
    """With no forward repeat, a reader goes back to the start and plays the pickup again."""
    data, _ = musicxml_and_repeats(_exact_with_pickup(), repeats=True)
    measures = re.findall(rb'<measure implicit="(yes|no)" number="(\d+)">(.*?)</measure>', data, re.S)
    forward = [int(num) for _, num, body in measures if b'<repeat direction="forward"' in body]
    assert forward == [1]


def test_no_repeats_unless_asked_and_none_over_a_tie_or_a_short_figure(tmp_path):
    assert b"<repeat" not in musicxml_and_repeats(_aabb(), repeats=False)[0]
    assert b"<repeat" not in write_musicxml(_aabb(), tmp_path / "plain.musicxml").read_bytes()
    tied = _lead([*A, *A, *B], [*CH_A, *CH_A, *CH_B])
    last = max(tied.tracks[0].notes, key=lambda n: n.onset if n.onset < 16 else -1)
    last.duration = 2.0  # held over the bar line where the repeat would jump back
    assert musicxml_and_repeats(tied, repeats=True)[1] == []
    short = _lead([A[0], A[0], A[1], A[1], *B], ["D", "D", "G", "G", *CH_B])  # bars sounded twice, not strains
    assert musicxml_and_repeats(short, repeats=True)[1] == []


def test_a_written_take_says_its_repeats_and_keeps_midi_as_played(tmp_path):
    from tunesmith.inputs.midi import read_midi
    from tunesmith.outputs.bundle import write_take

    piece = _aabb()
    files = write_take(piece, tmp_path / "take", provenance={"seed": 1}, render_audio=False, render_svg=False)
    record = json.loads(files["json"].read_text())
    assert record["rendering"]["musicxml"]["repeats"] == [
        {"bars": [1, 4], "endings": 1},
        {"bars": [9, 12], "endings": 1},
    ]
    assert b'<repeat direction="backward"' in files["musicxml"].read_bytes()
    assert len(read_midi(files["mid"])[0].tracks[0].notes) == len(piece.tracks[0].notes)
    # a co-created take stays as played: its bar numbers are the musician's (inpaint --bars)
    piece.meta["cocreate"] = {"operation": "continue"}
    files = write_take(piece, tmp_path / "co", provenance={"seed": 1}, render_audio=False, render_svg=False)
    assert b"<repeat" not in files["musicxml"].read_bytes()
    assert "musicxml" not in json.loads(files["json"].read_text())["rendering"]
    # a composed take with no strain sounded twice says so too
    files = write_take(_through_composed(), tmp_path / "tc", provenance={"seed": 1}, render_audio=False, render_svg=False)
    assert json.loads(files["json"].read_text())["rendering"]["musicxml"] == {"repeats": []}


def _tied_into_the_endings() -> Piece:
    """A strain whose third bar's last note is held into both endings (a pop hook's held note)."""
    held = [(62, 0.0, 1.0), (64, 1.0, 1.0), (66, 2.0, 1.0), (67, 3.0, 2.0)]  # the last into the next bar
    first = [(69, 1.0, 1.0), (71, 2.0, 1.0), (72, 3.0, 1.0)]
    second = [(66, 1.0, 1.0), (64, 2.0, 1.0), (62, 3.0, 1.0)]
    return _lead([A[0], A[1], held, first, A[0], A[1], held, second, *B], [*CH_A, *CH_A, *CH_B])


def _four_bar_strain_two_endings() -> Piece:
    return _lead([A[0], A[1], A[2], A[3], A[0], A[1], B[2], A2_END, *B], [*CH_A, "D", "G", "Em", "D", *CH_B])


def _silence() -> Piece:
    piece = _lead([[] for _ in range(8)], ["D"] * 8)
    piece.chords = []
    return piece


@pytest.mark.parametrize(
    "make, spans",
    [(_tied_into_the_endings, [(0, 4, 1)]), (_four_bar_strain_two_endings, [(0, 4, 2)]), (_silence, [])],
    ids=["tie-into-the-endings", "two-endings-of-four", "silence"],
)
def test_endings_that_begin_with_a_held_note_or_take_two_bars(tmp_path, make, spans):
    piece = make()
    data, found = musicxml_and_repeats(piece, repeats=True)
    assert [(s.start, s.bars, s.endings) for s in found] == spans
    if piece.n_notes:  # (a score of rests is no input tunesmith reads)
        path = tmp_path / "r.musicxml"
        path.write_bytes(data)
        assert _played(read_musicxml(path)[0]) == _played(piece)


def test_every_barline_says_its_style():
    """MuseScore 3 said "empty bar type" for each repeat barline written without a <bar-style>: a
    forward repeat is heavy-light, a backward one light-heavy, an ending's own barline regular (or
    the double bar music21 wrote there)."""
    text = musicxml_and_repeats(_aabb(), repeats=True)[0].decode()
    barlines = re.findall(r"<barline[^>]*>(.*?)</barline>", text, re.S)
    assert barlines and all("<bar-style>" in b for b in barlines)
    for b in barlines:
        style = re.search(r"<bar-style>(.*?)</bar-style>", b).group(1)
        if 'direction="forward"' in b:
            assert style == "heavy-light" and b.strip().startswith("<bar-style>")
        elif 'direction="backward"' in b:
            assert style == "light-heavy"
        elif "<ending" in b:
            assert style in ("regular", "light-light", "light-heavy"), b  # (a double or final bar music21 wrote stays)


def test_endings_read_1_and_2_and_the_last_stays_open():
    text = musicxml_and_repeats(_aabb(), repeats=True)[0].decode()
    assert '<ending number="1" type="start">1.</ending>' in text and '<ending number="2" type="start">2.</ending>' in text
    assert '<ending number="2" type="discontinue"' in text and '<ending number="2" type="stop"' not in text


def test_a_folded_tune_with_a_pickup_reads_back_as_its_strains(tmp_path):
    """The pickup belongs to the first strain: A A B B, not A B B C C."""
    piece = _lead([*A, *A[:3], A2_END, *B, *B[:3], B2_END], [*CH_A, *CH_A[:3], "D", *CH_B, *CH_B[:3], "D"],
                  pickup=([(57, 0.0, 1.0)], 1.0))  # fmt: skip
    path = tmp_path / "p.musicxml"
    path.write_bytes(musicxml_and_repeats(piece, repeats=True)[0])
    back = read_musicxml(path)[0]
    assert [s[2] for s in back.meta["sections"]] == ["A", "A", "B", "B"]
    assert _played(back) == _played(piece)


def test_check_of_a_score_with_repeats_says_its_bars_are_as_played(tmp_path, capsys):
    import tunesmith as ts
    from tunesmith.cli import main

    take = ts.compose("folk", bars=32, seed=5, pickup=0.5)
    files = take.write(tmp_path / "reel", audio=False, svg=False)
    assert b'<repeat direction="backward"' in files["musicxml"].read_bytes()
    assert main(["check", str(files["musicxml"])]) == 0
    out = capsys.readouterr().out
    assert "(bars as played, its repeats written out: A A B B; the pickup is bar 0)" in out
    # and compose says which bars its score writes under repeat signs
    assert main(["compose", "--style", "folk", "--bars", "32", "--seed", "5", "--pickup", "0.5", "--no-audio",
                 "--no-svg", "--out", str(tmp_path / "cli")]) == 0  # fmt: skip
    assert "  score: bars 1-8 (1. and 2. endings)" in capsys.readouterr().out


def test_sections_begin_after_a_double_bar():
    """A piece's sections (`meta["sections"]`, bars as played) are marked as lead sheets mark
    them: a double bar before each, where no repeat sign stands."""
    piece = _through_composed()
    piece.meta["sections"] = [[0, 4, "A"], [4, 8, "B"]]
    text = musicxml_and_repeats(piece, repeats=False)[0].decode()
    measures = re.findall(r'<measure implicit="(?:yes|no)" number="(\d+)">(.*?)</measure>', text, re.S)
    assert [int(n) for n, body in measures if "light-light" in body] == [4]
    assert "light-light" not in musicxml_and_repeats(_through_composed(), repeats=False)[0].decode()


def test_a_composed_take_records_its_sections_and_a_contrasting_strain_its_own():
    import tunesmith as ts

    take = ts.compose("pop", bars=16, seed=3, pickup=0)
    assert take.piece.meta["sections"] == [[0, 4, "A"], [4, 8, "A"], [8, 12, "B"], [12, 16, "A"]]
    picked = ts.compose("folk", bars=16, seed=3, pickup=0.5)
    assert picked.piece.meta["sections"] == [[0, 5, "A"], [5, 9, "A"], [9, 13, "B"], [13, 17, "B"]]
    given = _lead([*A, *A], [*CH_A, *CH_A])
    given.meta["sections"] = [[0, 4, "A"], [4, 8, "A"]]
    more = ts.continue_(given, bars=8, style="folk", seed=1, contrast=True)
    # a 4-bar strain played twice, 8 new bars: the contrasting strain is played twice too (A A B B)
    assert more.piece.meta["sections"] == [[0, 4, "A"], [4, 8, "A"], [8, 12, "B"], [12, 16, "B"]]
    once = ts.continue_(given, bars=4, style="folk", seed=1, contrast=True)
    assert once.piece.meta["sections"] == [[0, 4, "A"], [4, 8, "A"], [8, 12, "B"]]


def test_a_bar_range_outside_a_score_with_repeats_is_said_as_played(tmp_path):
    import tunesmith as ts

    take = ts.compose("folk", bars=32, seed=5, pickup=0.5)
    path = take.write(tmp_path / "reel.musicxml")["musicxml"]
    with pytest.raises(ValueError, match=r"bar 34 of 34-35 is outside the piece, which has bars 0-32 as played "
                                         r"\(its repeats written out: A A B B\)"):  # fmt: skip
        ts.inpaint(path, bars=(34, 35))


def test_a_harmonized_strain_sounded_again_gets_the_chords_of_its_first_time():
    """Lead-sheet harmonize: a strain the melody sounds again at once gets the chords of its first
    time, its endings their own, and the bar after a copied one still hears the chord it had (a
    fiddler's written-out reel had A7 in one pass where the other had A A7)."""
    from tunesmith.cocreate.chords import alike_on_repeats

    piece = _aabb()
    melody = piece.tracks[0]
    drawn = list(piece.chords)
    drawn[5] = ChordSymbol(20.0, "Em")  # the second A's second bar: another chord than the first's G
    drawn.insert(6, ChordSymbol(22.0, "A7"))  # and a second chord in it
    drawn[8] = ChordSymbol(28.0, "G")  # the second A's ending (bar 8 as played) keeps its own
    out = alike_on_repeats(piece, melody, drawn)
    figures = {round(c.onset, 3): c.figure for c in out}
    assert figures[20.0] == "G" and 22.0 not in figures  # bar 6 as bar 2 has it
    assert figures[28.0] == "G"  # the ending's own
    assert [c.figure for c in out if 16.0 <= c.onset < 28.0] == ["D", "G", "D"]
    assert figures[48.0] == "G" and figures[52.0] == "D"  # the second B as the first
    # a melody sounded once keeps every chord it was given
    once = _lead([*A, *B], [*CH_A, *CH_B])
    assert alike_on_repeats(once, once.tracks[0], list(once.chords)) == sorted(once.chords, key=lambda c: c.onset)
