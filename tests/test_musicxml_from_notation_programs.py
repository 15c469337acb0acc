"""MusicXML as notation programs export it (MuseScore, Finale, Sibelius, Dorico): chord symbols
whose alterations are `<degree>`s, a guitar's TAB staff beside its notation staff, a drum set's
`<unpitched>` notes. Session 39 tried such files (docs/notes/2026-12-04-session-39/mxl_files)."""

from __future__ import annotations

import pytest

from tunesmith.inputs import InputError, read_file
from tunesmith.inputs.musicxml import harmony_figure

HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" '
        '"http://www.musicxml.org/dtds/partwise.dtd">\n<score-partwise version="4.0">'
        "<identification><encoding><software>MuseScore 4.2.1</software></encoding></identification>")  # fmt: skip
ATTRS = "<divisions>1</divisions><key><fifths>0</fifths></key><time><beats>4</beats><beat-type>4</beat-type></time>"


def _note(step: str, octave: int, extra: str = "", staff: int = 0) -> str:
    st = f"<staff>{staff}</staff>" if staff else ""
    return (f"<note><pitch><step>{step}</step><octave>{octave}</octave></pitch><duration>1</duration><voice>1</voice>"
            f"<type>quarter</type>{st}{extra}</note>")  # fmt: skip


def _write(tmp_path, part_list: str, parts: str, name: str = "s.musicxml"):
    path = tmp_path / name
    path.write_text(f"{HEAD}<part-list>{part_list}</part-list>{parts}</score-partwise>")
    return path


def _harmony(xml: str):
    from xml.etree.ElementTree import fromstring

    return harmony_figure(fromstring(xml))


@pytest.mark.parametrize(
    ("degrees", "figure"),
    [
        ("<degree><degree-value>9</degree-value><degree-alter>-1</degree-alter><degree-type>add</degree-type></degree>", "G7b9"),
        ("<degree><degree-value>5</degree-value><degree-alter>1</degree-alter><degree-type>alter</degree-type></degree>", "G7#5"),
    ],
)
def test_a_chords_degrees_are_read_when_the_kind_text_names_the_kind_only(degrees, figure):
    # Finale and MuseScore write G7(b9) as <kind text="7">dominant</kind> and a <degree>: the
    # text alone had read it as G7
    xml = f'<harmony><root><root-step>G</root-step></root><kind text="7">dominant</kind>{degrees}</harmony>'
    assert _harmony(xml) == figure


def test_a_kind_text_that_spells_its_degrees_is_not_read_twice():
    degree = "<degree><degree-value>9</degree-value><degree-alter>-1</degree-alter><degree-type>add</degree-type></degree>"
    xml = f'<harmony><root><root-step>G</root-step></root><kind text="7(b9)">dominant</kind>{degree}</harmony>'
    assert _harmony(xml) == "G7b9"
    add9 = "<degree><degree-value>9</degree-value><degree-alter>0</degree-alter><degree-type>add</degree-type></degree>"
    assert _harmony(f'<harmony><root><root-step>F</root-step></root><kind text="add9">major</kind>{add9}</harmony>') == "Fadd9"


def test_a_guitars_tab_staff_is_not_read_as_a_second_guitar(tmp_path):
    attrs = (f"<attributes>{ATTRS}<staves>2</staves><clef number=\"1\"><sign>G</sign><line>2</line></clef>"
             '<clef number="2"><sign>TAB</sign><line>5</line></clef>'
             '<staff-details number="2"><staff-lines>6</staff-lines></staff-details></attributes>')  # fmt: skip
    fret = "<notations><technical><string>3</string><fret>0</fret></technical></notations>"
    notes = "".join(_note(s, 4, fret, 1) for s in "GABC")
    tab = "".join(_note(s, 4, fret, 2) for s in "GABC")
    parts = f'<part id="P1"><measure number="1">{attrs}{notes}<backup><duration>4</duration></backup>{tab}</measure></part>'
    piece = read_file(_write(tmp_path, '<score-part id="P1"><part-name>Guitar</part-name></score-part>', parts))[0]
    assert len(piece.tracks) == 1
    assert [n.pitch for n in piece.tracks[0].notes] == [67, 69, 71, 60]
    assert piece.tracks[0].role == "melody"


def test_a_tab_staff_alone_is_read(tmp_path):
    attrs = f'<attributes>{ATTRS}<clef><sign>TAB</sign><line>5</line></clef></attributes>'
    parts = f'<part id="P1"><measure number="1">{attrs}{"".join(_note(s, 4) for s in "GABC")}</measure></part>'
    piece = read_file(_write(tmp_path, '<score-part id="P1"><part-name>Guitar</part-name></score-part>', parts))[0]
    assert [n.pitch for n in piece.tracks[0].notes] == [67, 69, 71, 60]


def _drum_score(tmp_path, with_keys: bool = True):
    kit = [("P2-I36", 37), ("P2-I39", 39)]  # midi-unpitched is 1-based: bass drum 36, snare 38
    instruments = "".join(f'<score-instrument id="{i}"><instrument-name>{i}</instrument-name></score-instrument>' for i, _ in kit)
    midi = "".join(f'<midi-instrument id="{i}"><midi-channel>10</midi-channel><midi-unpitched>{u}</midi-unpitched></midi-instrument>'
                   for i, u in kit) if with_keys else ""  # fmt: skip

    def hit(step: str, octave: int, inst: str, chord: bool = False) -> str:
        return (f"<note>{'<chord/>' if chord else ''}<unpitched><display-step>{step}</display-step><display-octave>{octave}"
                f'</display-octave></unpitched><duration>1</duration><instrument id="{inst}"/><voice>1</voice>'
                "<type>quarter</type></note>")  # fmt: skip

    groove = hit("F", 4, "P2-I36") + hit("C", 5, "P2-I39") + hit("F", 4, "P2-I36") + hit("C", 5, "P2-I39") + hit("F", 4, "P2-I36", True)
    part_list = ('<score-part id="P1"><part-name>Flute</part-name></score-part>'
                 f'<score-part id="P2"><part-name>Drumset</part-name>{instruments}{midi}</score-part>')  # fmt: skip
    parts = (f'<part id="P1"><measure number="1"><attributes>{ATTRS}</attributes>{"".join(_note(s, 5) for s in "CDEF")}</measure></part>'
             f'<part id="P2"><measure number="1"><attributes>{ATTRS}<clef><sign>percussion</sign></clef></attributes>{groove}'
             "</measure></part>")  # fmt: skip
    return _write(tmp_path, part_list, parts)


def test_a_drum_set_is_read_as_a_drum_track_beside_the_melody(tmp_path):
    # music21's Unpitched notes had failed the file: "'Unpitched' object has no attribute 'pitch'"
    piece = read_file(_drum_score(tmp_path))[0]
    melody, drums = piece.tracks
    assert (melody.name, melody.role, melody.is_drum) == ("Flute", "melody", False)
    assert (drums.name, drums.role, drums.is_drum) == ("Drumset", "other", True)
    assert [(n.pitch, n.onset) for n in drums.notes] == [(36, 0.0), (38, 1.0), (36, 2.0), (38, 3.0), (36, 3.0)]
    assert piece.melody() is melody


def test_a_drum_without_a_midi_key_is_read_at_its_staff_position(tmp_path):
    piece = read_file(_drum_score(tmp_path, with_keys=False))[0]
    assert [n.pitch for n in piece.tracks[1].notes][:2] == [65, 72]  # F4, C5: a sound, and a drum track still
    assert piece.tracks[1].is_drum


def test_a_timewise_score_is_read_as_its_parts(tmp_path):
    # MusicXML's other layout (measures holding parts) had been refused in music21's words
    part_list = '<score-part id="P1"><part-name>Flute</part-name></score-part><score-part id="P2"><part-name>Cello</part-name></score-part>'
    measures = "".join(
        f'<measure number="{j + 1}"><part id="P1">{f"<attributes>{ATTRS}</attributes>" if j == 0 else ""}'
        f'{"".join(_note(x, 5) for x in flute)}</part><part id="P2">{f"<attributes>{ATTRS}</attributes>" if j == 0 else ""}'
        f'{"".join(_note(x, 3) for x in cello)}</part></measure>'
        for j, (flute, cello) in enumerate([("CDEF", "CGCG"), ("GABC", "FGAB")]))  # fmt: skip
    path = tmp_path / "t.musicxml"
    path.write_text(f'<?xml version="1.0"?><score-timewise version="4.0"><part-list>{part_list}</part-list>{measures}</score-timewise>')
    piece = read_file(path)[0]
    assert [(t.name, len(t.notes)) for t in piece.tracks] == [("Flute", 8), ("Cello", 8)]
    assert [n.onset for n in piece.tracks[1].notes][4:] == [4.0, 5.0, 6.0, 7.0]
    empty = tmp_path / "e.musicxml"
    empty.write_text('<?xml version="1.0"?><score-timewise version="4.0"><part-list/></score-timewise>')
    with pytest.raises(InputError, match=r"e\.musicxml: .*no notes"):
        read_file(empty)


def _two_parts(tmp_path, flute: list[str], cello: list[str], implicit_first: bool = False):
    def measures(bodies: list[str], clef: str) -> str:
        out = ""
        for j, body in enumerate(bodies):
            attrs = f"<attributes>{ATTRS}<clef><sign>{clef}</sign><line>{2 if clef == 'G' else 4}</line></clef></attributes>" if j == 0 else ""
            implicit = ' implicit="yes"' if implicit_first and j == 0 else ""
            out += f'<measure number="{j + int(not implicit_first)}"{implicit}>{attrs}{body}</measure>'
        return out

    part_list = '<score-part id="P1"><part-name>Flute</part-name></score-part><score-part id="P2"><part-name>Cello</part-name></score-part>'
    return _write(tmp_path, part_list, f'<part id="P1">{measures(flute, "G")}</part><part id="P2">{measures(cello, "F")}</part>')


def test_a_part_with_a_short_measure_stays_in_step_with_the_others(tmp_path):
    # the cello's first measure holds three beats in 4/4: music21 had started its second measure
    # on beat 4 of the flute's first, a beat ahead of the flute for the rest of the piece
    flute = ["".join(_note(s, 5) for s in "CDEF"), "".join(_note(s, 5) for s in "GABC")]
    cello = ["".join(_note(s, 3) for s in "CGC"), "".join(_note(s, 3) for s in "FGAB")]
    piece = read_file(_two_parts(tmp_path, flute, cello))[0]
    cello_track = next(t for t in piece.tracks if t.name == "Cello")
    assert [n.onset for n in cello_track.notes] == [0.0, 1.0, 2.0, 4.0, 5.0, 6.0, 7.0]
    assert piece.meta["measures_aligned"] == ["measure 1 (Flute 4 beats, Cello 3 beats)"]


def test_a_pickup_against_a_whole_bar_rest_stays_a_pickup(tmp_path):
    # the flute's pickup is one beat; the cello's pickup measure holds a whole bar's rest (as some
    # programs write a part that does not play in it): the cello had come in three beats late
    rest = '<note><rest measure="yes"/><duration>4</duration><voice>1</voice></note>'
    flute = [_note("G", 4), "".join(_note(s, 5) for s in "CDEF")]
    cello = [rest, "".join(_note(s, 3) for s in "CGCG")]
    piece = read_file(_two_parts(tmp_path, flute, cello, implicit_first=True))[0]
    cello_track = next(t for t in piece.tracks if t.name == "Cello")
    assert [n.onset for n in cello_track.notes] == [1.0, 2.0, 3.0, 4.0]
    assert piece.pickup_beats() == 1.0
    assert "measures_aligned" not in piece.meta


def test_cocreate_says_where_the_parts_measures_were_laid_out_together(tmp_path):
    # the take's score has a measure longer than its meter where a part's was short: said
    from types import SimpleNamespace

    from tunesmith.input_notes import note_measures_aligned

    flute = ["".join(_note(s, 5) for s in "CDEF"), "".join(_note(s, 5) for s in "GABC")]
    cello = ["".join(_note(s, 3) for s in "CGC"), "".join(_note(s, 3) for s in "FGAB")]
    piece = read_file(_two_parts(tmp_path, flute, cello))[0]
    take = SimpleNamespace(provenance={})
    note_measures_aligned([take], piece)  # type: ignore[list-item]
    assert take.provenance["notes"] == ["the parts' measures differ in length: laid out together, the short ones "
                                        "filled with a rest: measure 1 (Flute 4 beats, Cello 3 beats)"]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "role"),
    [("Clarinet in B♭", "accompaniment"), ("Horn in F", "accompaniment"), ("Trumpet in A", "accompaniment"),
     ("Alto Saxophone", "accompaniment"), ("Tenor Trombone", "accompaniment"), ("Bass Clarinet", "bass"),
     ("Bass Guitar", "bass"), ("Alto", "alto"), ("Tenor", "tenor"), ("Violin", "melody"), ("Alto Flute", "melody"),
     # a chorale's voices doubled by instruments stay voices; a possessive's "s" is no soprano
     ("Soprano Oboe 1 Violin1", "soprano"), ("Tenor Viola", "tenor"), ("Byrne's Hornpipe", "accompaniment")],
)  # fmt: skip
def test_a_band_instruments_name_is_not_read_as_a_choir_voice(name, role):
    # a concert score's "Clarinet in B♭" had been read as the bass ("B"), an alto saxophone as the
    # alto of a chorale, and an Irish MIDI file's one track "Byrne's Hornpipe" as a soprano
    from tunesmith.convert.common import guess_role

    assert guess_role(name, 2, 6) == role
