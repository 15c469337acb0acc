"""Engraving details a notation program shows: clefs and part abbreviations."""

from __future__ import annotations

import re
from fractions import Fraction

import music21

from tunesmith.outputs.musicxml import write_musicxml
from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track


def _satb() -> Piece:
    voices = [("Soprano", "soprano", 67), ("Alto", "alto", 62), ("Tenor", "tenor", 55), ("Bass", "bass", 43)]
    tracks = [Track(name, role, 52, False, [Note(p, float(b), 1.0, 80) for b in range(8)]) for name, role, p in voices]
    return Piece(
        piece_id="t", work_id="t", style="chorale", source="test", path="", license="public-domain",
        tracks=tracks, time_signatures=[TimeSignature(0.0, 4, 4)], tempos=[Tempo(0.0, 80.0)],
        keys=[KeySignature(0.0, "G", "major")], end=8.0,
    )


def test_satb_parts_get_their_clefs_and_abbreviations(tmp_path):
    path = write_musicxml(_satb(), tmp_path / "satb.musicxml")
    score = music21.converter.parse(str(path))
    clefs = [type(part.recurse().getElementsByClass("Clef")[0]).__name__ for part in score.parts]
    assert clefs == ["TrebleClef", "TrebleClef", "Treble8vbClef", "BassClef"]
    assert [part.partAbbreviation for part in score.parts] == ["S.", "A.", "T.", "B."]


def test_a_low_accompaniment_track_reads_in_bass_clef(tmp_path):
    piece = _satb()
    piece.tracks = [
        Track("Melody", "melody", 0, False, [Note(72, 0.0, 4.0, 80)]),
        Track("Chords", "chords", 0, False, [Note(40, 0.0, 4.0, 80), Note(47, 0.0, 4.0, 80)]),
    ]
    score = music21.converter.parse(str(write_musicxml(piece, tmp_path / "lead.musicxml")))
    clefs = [type(part.recurse().getElementsByClass("Clef")[0]).__name__ for part in score.parts]
    assert clefs == ["TrebleClef", "BassClef"]


def _accidentals(path) -> list[str | None]:
    score = music21.converter.parse(str(path))
    out = []
    for n in score.parts[0].recurse().notes:
        if isinstance(n, music21.harmony.ChordSymbol):
            continue
        acc = n.pitch.accidental
        out.append(acc.name if acc is not None and acc.displayStatus else None)
    return out


def test_accidentals_follow_the_key_signature(tmp_path):
    """Notes the key signature covers get no accidental; others get one, naturals included."""
    piece = _satb()
    piece.keys = [KeySignature(0.0, "D", "major")]
    # C#5 (in D major), C5 (needs a natural), C5 again in the bar (no repeat), F#4, then in bar 2 F4
    pitches = [73, 72, 72, 66, 65, 66]
    onsets = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    piece.tracks = [Track("Melody", "melody", 0, False, [Note(p, o, 1.0, 80) for p, o in zip(pitches, onsets)])]
    piece.end = 8.0
    accs = _accidentals(write_musicxml(piece, tmp_path / "d.musicxml"))
    assert accs == [None, "natural", None, None, "natural", "sharp"]
    piece.keys = [KeySignature(0.0, "F", "major")]
    piece.tracks = [Track("Melody", "melody", 0, False, [Note(p, float(i), 1.0, 80) for i, p in enumerate([70, 69, 71, 70])])]
    accs = _accidentals(write_musicxml(piece, tmp_path / "f.musicxml"))
    assert accs == [None, None, "natural", "flat"]  # Bb in key; B natural; Bb restored in the bar


def test_a_chromatic_neighbour_is_spelled_by_where_it_goes(tmp_path):
    """D E C# D (a lower neighbour, raised) and D C Eb D (an upper one, lowered) in F major."""
    piece = _satb()
    piece.keys = [KeySignature(0.0, "F", "major")]
    pitches = [74, 76, 73, 74, 74, 72, 75, 74]
    piece.tracks = [Track("Melody", "melody", 0, False, [Note(p, float(i), 1.0, 80) for i, p in enumerate(pitches)])]
    score = music21.converter.parse(str(write_musicxml(piece, tmp_path / "n.musicxml")))
    names = [n.pitch.name for n in score.parts[0].recurse().notes]
    assert names == ["D", "E", "C#", "D", "D", "C", "E-", "D"]


def test_a_musicians_own_spelling_survives_reading_and_writing(tmp_path):
    """A blues in F: the blue third written A-flat rising to A, where the speller alone would
    write G#-A (a chromatic note read by where it goes), a C-flat and an F##. Read from MusicXML,
    written again (as co-create writes the musician's notes), the names are the musician's;
    a note without a name of its own, or whose name no longer fits its pitch, is spelled."""
    from tunesmith.inputs.musicxml import read_musicxml

    s = music21.stream.Score()
    part = music21.stream.Part()
    part.append(music21.key.Key("F"))
    for name in ("F4", "A-4", "A4", "C5", "C-5", "F##4", "G#4", "A4"):
        part.append(music21.note.Note(name, quarterLength=1.0))
    s.append(part)
    src = tmp_path / "blues.musicxml"
    s.write("musicxml", fp=str(src))
    (piece,) = read_musicxml(src)
    assert [n.spelling for n in piece.tracks[0].notes] == ["F", "Ab", "A", "C", "Cb", "F##", "G#", "A"]
    out = music21.converter.parse(str(write_musicxml(piece, tmp_path / "again.musicxml")))
    assert [n.nameWithOctave for n in out.parts[0].recurse().notes] == ["F4", "A-4", "A4", "C5", "C-5", "F##4", "G#4", "A4"]
    # the same pitches with no names of their own (MIDI): the speller's choice
    for n in piece.tracks[0].notes:
        n.spelling = None
    spelled = music21.converter.parse(str(write_musicxml(piece, tmp_path / "spelled.musicxml")))
    assert [n.nameWithOctave for n in spelled.parts[0].recurse().notes][1] == "G#4"
    piece.tracks[0].notes[1].spelling = "Bb"  # a name that does not fit its pitch is not used
    wrong = music21.converter.parse(str(write_musicxml(piece, tmp_path / "wrong.musicxml")))
    assert [n.nameWithOctave for n in wrong.parts[0].recurse().notes][1] == "G#4"
    assert Note(68, 0.0, 1.0, spelling="Ab") == Note(68, 0.0, 1.0, spelling="G#")  # not part of a note's identity


def test_an_abc_tunes_own_spelling_survives_reading_and_writing(tmp_path):
    """An ABC tune in B-flat with ^G, _A, =B and ^^F: the names as written (the key signature's
    flats applied), kept when co-create writes the musician's notes (a jazz melody's G# had come
    back as A-flat)."""
    from tunesmith.inputs import read_file

    src = tmp_path / "mine.abc"
    src.write_text("X:1\nT:Mine\nM:4/4\nL:1/4\nK:Bb\n^G A _A =B|^^F G B E|]\n")
    (piece,) = read_file(src)
    assert [n.spelling for n in piece.tracks[0].notes] == ["G#", "A", "Ab", "B", "F##", "G", "Bb", "Eb"]
    out = music21.converter.parse(str(write_musicxml(piece, tmp_path / "again.musicxml")))
    assert [n.name for n in out.parts[0].recurse().notes][:5] == ["G#", "A", "A-", "B", "F##"]


def test_an_abc_tunes_ornaments_are_written_over_their_notes_and_read_back(tmp_path):
    """A fiddler's roll, trill, turn and mordents from ABC: each over the first piece of its note
    (a roll drawn as the turn Irish tune books draw for it, and so read back as a turn)."""
    from tunesmith.inputs import read_file
    from tunesmith.inputs.musicxml import read_musicxml

    src = tmp_path / "rolls.abc"
    src.write_text("X:1\nT:Rolls\nM:4/4\nL:1/8\nK:D\n~E3 F TB2 !turn!A2 | PB2 !mordent!A2 ~d4- | d8 |]\n")
    (piece,) = read_file(src)
    path = write_musicxml(piece, tmp_path / "rolls.musicxml")
    text = path.read_text()
    assert [re.sub(r"\s.*", "", x) for x in re.findall(r"<ornaments>\s*<([a-z-]+[^>]*)", text)] == [
        "turn", "trill-mark", "turn", "inverted-mordent", "mordent", "turn"]  # fmt: skip
    (back,) = read_musicxml(path)
    assert [(n.onset, n.pitch, n.ornament) for n in back.tracks[0].notes if n.ornament] == [
        (0.0, 64, "turn"), (2.0, 71, "trill"), (3.0, 69, "turn"), (4.0, 71, "inverted-mordent"), (5.0, 69, "mordent"),
        (6.0, 74, "turn")]  # fmt: skip


def test_every_chord_quality_reads_back_as_written_and_sounds_so_elsewhere(tmp_path):
    """Each quality tunesmith knows is written so that tunesmith reads back the same figure and
    a reader that ignores the kind's text (music21 here) gets the same pitch classes: kinds
    MusicXML lacks (7b9, 7sus4, add9, 13 without its 11th ...) carry <degree> elements (7alt the
    sharp fifth and flat ninth harmony gives it). The power chord has no third."""
    from tunesmith.harmony import QUALITIES, chord_pitch_classes
    from tunesmith.inputs.musicxml import read_musicxml
    from tunesmith.score import ChordSymbol

    qualities = [q for q in QUALITIES if q != "5"]
    chords = [ChordSymbol(4.0 * i, "Eb" + q) for i, q in enumerate(qualities)]
    piece = _satb()
    piece.keys = [KeySignature(0.0, "Eb", "major")]
    piece.tracks = [Track("Melody", "melody", 0, False, [Note(63, 4.0 * i, 4.0) for i in range(len(qualities))])]
    piece.chords, piece.end = chords, 4.0 * len(qualities)
    path = write_musicxml(piece, tmp_path / "q.musicxml")
    xml = path.read_text()
    # the kind's text names the chord; its degrees are for players, not printed again ("C7b9(b9)")
    assert '<degree print-object="no">' in xml and "<degree>" not in xml
    (back,) = read_musicxml(path)
    assert [c.figure for c in sorted(back.chords, key=lambda c: c.onset)] == [c.figure for c in chords]
    heard = [c for c in music21.converter.parse(str(path)).recurse().getElementsByClass(music21.harmony.ChordSymbol)]
    assert len(heard) == len(chords)
    for written, read in zip(chords, heard):
        assert {p.pitchClass for p in read.pitches} == set(chord_pitch_classes(written.figure)), written.figure


def test_a_chord_prints_its_quality_as_typed_and_sounds_the_quality_read(tmp_path):
    """A musician's `Bb13sus` is written over as 9sus4, but the chart prints what was typed (it had
    printed B-flat 9sus4, and C7alt a plain C7 in MuseScore): the kind's text keeps the figure's own
    quality, the kind and degrees the tones played. Read back, each is the quality it is read as."""
    from tunesmith.harmony import chord_pitch_classes
    from tunesmith.inputs.musicxml import read_musicxml
    from tunesmith.score import ChordSymbol

    typed = ["Bb13sus", "C7alt", "Cmin7", "F7b9#11/A"]
    piece = _satb()
    piece.keys = [KeySignature(0.0, "C", "major")]
    piece.tracks = [Track("Melody", "melody", 0, False, [Note(60, 4.0 * i, 4.0) for i in range(len(typed))])]
    piece.chords, piece.end = [ChordSymbol(4.0 * i, f) for i, f in enumerate(typed)], 4.0 * len(typed)
    xml = write_musicxml(piece, tmp_path / "typed.musicxml").read_text()
    texts = re.findall(r'<kind text="([^"]*)">', xml)
    assert texts == ["13sus", "7alt", "min7", "7b9#11"]
    assert '<kind text="7alt">augmented-seventh</kind>' in xml
    (back,) = read_musicxml(tmp_path / "typed.musicxml")
    assert [c.figure for c in sorted(back.chords, key=lambda c: c.onset)] == ["Bb9sus4", "C7alt", "Cm7", "F7b9/A"]
    heard = music21.converter.parse(str(tmp_path / "typed.musicxml")).recurse().getElementsByClass(music21.harmony.ChordSymbol)
    assert {p.pitchClass for p in list(heard)[1].pitches} == set(chord_pitch_classes("C7alt"))


def test_a_slash_chord_is_written_with_its_bass_and_no_inversion(tmp_path):
    """music21 wrote Dm7/G with <inversion>5</inversion> (G is none of its tones) beside the <bass>;
    the bass says it, and reads back."""
    from tunesmith.inputs.musicxml import read_musicxml
    from tunesmith.score import ChordSymbol

    piece = _satb()
    piece.keys = [KeySignature(0.0, "C", "major")]
    piece.tracks = [Track("Melody", "melody", 0, False, [Note(60, 4.0 * i, 4.0) for i in range(3)])]
    piece.chords, piece.end = [ChordSymbol(0.0, "Dm7/G"), ChordSymbol(4.0, "C/E"), ChordSymbol(8.0, "G7/F")], 12.0
    xml = write_musicxml(piece, tmp_path / "slash.musicxml").read_text()
    assert "<inversion>" not in xml and xml.count("<bass-step>") == 3
    (back,) = read_musicxml(tmp_path / "slash.musicxml")
    assert [c.figure for c in back.chords] == ["Dm7/G", "C/E", "G7/F"]


def test_a_natural_chord_root_carries_no_alter(tmp_path):
    """A C chord after an A chord in one bar: music21 spelled its root with <root-alter>0</root-alter>
    (the A chord's C# counted as if sung), which verovio draws as "C♮"; sharps and flats stay."""
    from tunesmith.score import ChordSymbol

    piece = _satb()
    piece.tracks = [Track("Melody", "melody", 0, False, [Note(p, float(b), 1.0, 80) for b, p in enumerate((69, 72, 64, 60))])]
    piece.keys = [KeySignature(0.0, "C", "major")]
    piece.chords = [ChordSymbol(0.0, "A"), ChordSymbol(2.0, "C"), ChordSymbol(3.0, "Bb/D")]
    text = write_musicxml(piece, tmp_path / "chords.musicxml").read_text()
    assert "<root-alter>0</root-alter>" not in text and "<bass-alter>0</bass-alter>" not in text
    assert text.count("<root-alter>-1</root-alter>") == 1  # the B-flat
    figures = [cs.figure for cs in music21.converter.parse(text, format="musicxml").recurse().getElementsByClass("ChordSymbol")]
    assert figures[:2] == ["A", "C"] and figures[2].startswith("B-")


def test_a_double_flat_or_sharp_chord_root_is_written_as_spelled(tmp_path):
    """In C-flat major the chord on the sixth degree's flat is B-double-flat 7, in B-sharp major
    the third's F-double-sharp 7: the MusicXML had written B-flat 7 and F-sharp 7 (one accidental
    kept), while the MIDI's markers said them right. Read back, the figures are the same."""
    from tunesmith.inputs.musicxml import read_musicxml
    from tunesmith.score import ChordSymbol

    piece = _satb()
    piece.tracks = [Track("Melody", "melody", 0, False, [Note(p, float(b), 1.0, 80) for b, p in enumerate((71, 69, 68, 66))])]
    piece.keys = [KeySignature(0.0, "Cb", "major")]
    piece.chords = [ChordSymbol(0.0, "Cbmaj7"), ChordSymbol(1.0, "Bbb7"), ChordSymbol(2.0, "F##7/A##"), ChordSymbol(3.0, "Fb")]
    path = write_musicxml(piece, tmp_path / "accidentals.musicxml")
    text = path.read_text()
    assert "<root-step>B</root-step>\n          <root-alter>-2</root-alter>" in text.replace("\r", "")
    assert "<root-alter>2</root-alter>" in text and "<bass-alter>2</bass-alter>" in text
    figures = [cs.figure for cs in music21.converter.parse(text, format="musicxml").recurse().getElementsByClass("ChordSymbol")]
    assert figures[1] == "B--7" and figures[2].startswith("F##7")
    (back,) = read_musicxml(path)
    assert [c.figure for c in sorted(back.chords, key=lambda c: c.onset)] == ["Cbmaj7", "Bbb7", "F##7/A##", "Fb"]


def _note_values(path) -> list[list[tuple[str, int, str | None]]]:
    """Per measure of the first part: (type, dots, tie) of each note."""
    score = music21.converter.parse(str(path))
    return [[(n.duration.type, n.duration.dots, n.tie.type if n.tie else None) for n in m.notes]
            for m in score.parts[0].getElementsByClass("Measure")]  # fmt: skip


def test_compound_meter_long_notes_show_the_beats(tmp_path):
    """In 6/8 a note of five eighths is a dotted quarter tied to a quarter (or a quarter tied to a
    dotted quarter from the second eighth), as copyists write it, not a half tied to an eighth;
    a jig's last bar, short by its eighth-note pickup, ends that way. A dotted half stays one note.
    Reading the file back gives the same notes."""
    import tunesmith as ts

    notes = [Note(69, 0.0, 0.5, 80),  # the pickup
             Note(74, 0.5, 2.5, 80), Note(76, 3.0, 0.5, 80),  # bar 1: five eighths from the downbeat, an eighth
             Note(74, 3.5, 0.5, 80), Note(76, 4.0, 2.5, 80),  # bar 2: an eighth, five eighths from the second
             Note(78, 6.5, 3.0, 80),  # bar 3: a dotted half
             Note(74, 9.5, 2.5, 80)]  # the last bar, short by the pickup
    piece = Piece(piece_id="j", work_id="j", style="folk", source="test", path="", license="public-domain",
                  tracks=[Track("Melody", "melody", 0, False, notes)], time_signatures=[TimeSignature(0.0, 6, 8)],
                  tempos=[Tempo(0.0, 165.0)], keys=[KeySignature(0.0, "D", "major")], end=12.0,
                  bar_onsets=[0.0, 0.5, 3.5, 6.5, 9.5])  # fmt: skip
    path = write_musicxml(piece, tmp_path / "jig.musicxml")
    assert _note_values(path) == [
        [("eighth", 0, None)],
        [("quarter", 1, "start"), ("quarter", 0, "stop"), ("eighth", 0, None)],
        [("eighth", 0, None), ("quarter", 0, "start"), ("quarter", 1, "stop")],
        [("half", 1, None)],
        [("quarter", 1, "start"), ("quarter", 0, "stop")],
    ]
    back = ts.read(path)
    assert [(n.pitch, n.onset, n.duration) for n in back.tracks[0].notes] == [(n.pitch, n.onset, n.duration) for n in notes]


def test_compound_meter_four_eighths_from_the_beat_are_a_dotted_quarter_tied_to_an_eighth(tmp_path):
    """A half note from the downbeat of 6/8 hid the bar's second beat (the songwriter helper, a folk
    take in E-flat); it is a dotted quarter tied to an eighth, as tune books write it. Whole beats
    (a dotted half) and notes within a beat stay one value. Read back, the same notes."""
    import tunesmith as ts

    notes = [Note(67, 0.0, 2.0, 80), Note(69, 2.0, 1.0, 80),  # four eighths from the downbeat, a quarter
             Note(71, 3.0, 3.0, 80),  # a dotted half
             Note(72, 6.0, 1.0, 80), Note(74, 7.0, 2.0, 80)]  # a quarter, four eighths from the third eighth
    piece = Piece(piece_id="h", work_id="h", style="folk", tracks=[Track("Melody", "melody", 0, False, notes)],
                  time_signatures=[TimeSignature(0.0, 6, 8)], tempos=[Tempo(0.0, 165.0)],
                  keys=[KeySignature(0.0, "G", "major")], end=9.0)  # fmt: skip
    path = write_musicxml(piece, tmp_path / "half.musicxml")
    assert _note_values(path) == [
        [("quarter", 1, "start"), ("eighth", 0, "stop"), ("quarter", 0, None)],
        [("half", 1, None)],
        [("quarter", 0, None), ("eighth", 0, "start"), ("quarter", 1, "stop")],
    ]
    back = ts.read(path)
    assert [(n.pitch, n.onset, n.duration) for n in back.tracks[0].notes] == [(n.pitch, n.onset, n.duration) for n in notes]


def test_chord_symbols_do_not_change_the_melodys_accidentals(tmp_path):
    """In C minor a G7 symbol over bar 1 holds a B natural the melody does not sing; the melody's
    B-flat in bar 2 needs no flat (music21 counted the symbol's pitches and wrote a cautionary
    one). A B natural the melody sings still gets its natural, and a B-flat after it in the next
    bar its courtesy flat."""
    from tunesmith.score import ChordSymbol

    piece = _satb()
    piece.keys = [KeySignature(0.0, "C", "minor")]
    piece.chords = [ChordSymbol(0.0, "G7"), ChordSymbol(4.0, "Cm")]
    for pitches, want in (([67, 74, 77, 74, 79, 70, 68, 67], [None] * 8),  # G D F D | G B-flat A-flat G
                          ([67, 71, 74, 77, 79, 70, 68, 67], [None, "natural", None, None, None, "flat", None, None])):
        piece.tracks = [Track("Melody", "melody", 0, False, [Note(p, float(i), 1.0, 80) for i, p in enumerate(pitches)])]
        assert _accidentals(write_musicxml(piece, tmp_path / "c.musicxml")) == want


def test_a_chord_symbols_sharp_puts_no_natural_on_a_melody_in_the_key(tmp_path):
    """C major, A7 over bar 2, the melody's C tied into it and sung again: no natural sign. With no
    accidental shown anywhere in the part, music21's exporter had made the accidentals again with
    the A7's C-sharp counted, and written both Cs C-natural (a pop take of "Dm G C A7")."""
    from tunesmith.score import ChordSymbol

    piece = _satb()
    piece.keys = [KeySignature(0.0, "C", "major")]
    piece.chords = [ChordSymbol(0.0, "C"), ChordSymbol(4.0, "A7")]
    notes = [Note(67, 0.0, 1.0, 80), Note(64, 1.0, 1.0, 80), Note(60, 2.0, 4.0, 80), Note(60, 6.0, 1.0, 80), Note(64, 7.0, 1.0, 80)]
    piece.tracks = [Track("Melody", "melody", 0, False, notes)]
    path = write_musicxml(piece, tmp_path / "a7.musicxml")
    assert _accidentals(path) == [None] * 6
    assert "<alter>" not in path.read_text()  # the natural that marks the accidentals made is not written


def test_a_chorales_chromatic_tone_is_spelled_from_the_chord_the_parts_sound(tmp_path):
    """No chord symbols in a chorale: the tenor's D-sharp in a B-major chord (V of vi in D) is
    spelled from that chord, and a C-sharp diminished seventh's seventh is a B-flat. The tonic's
    major scale had written the D-sharp as E-flat beside the alto's A-sharp (a songwriter's find)."""
    piece = _satb()
    piece.keys = [KeySignature(0.0, "D", "major")]
    chords = [(74, 66, 59, 47), (73, 70, 64, 55), (71, 66, 63, 47), (71, 66, 62, 50)]  # D/B, C#dim7, B, Bm
    piece.tracks = [Track(t.name, t.role, 52, False, [Note(ch[v], float(i), 1.0, 80) for i, ch in enumerate(chords)])
                    for v, t in enumerate(piece.tracks)]  # fmt: skip
    piece.end = 4.0
    score = music21.converter.parse(str(write_musicxml(piece, tmp_path / "c.musicxml")))
    names = [[n.pitch.name for n in part.recurse().notes] for part in score.parts]
    assert names[2][2] == "D#"  # the tenor in B major
    assert names[1][1] == "B-"  # the alto's seventh of C#dim7 (C# E G B-flat)


def test_a_diminished_seventh_is_named_by_the_degree_it_leads_to(tmp_path):
    """G minor's B-D-F-A-flat leads to C (iv): its B is a B-natural. Named from its lowest pitch
    class it had been C-flat's chord, and the alto's B-natural a C-flat (a helper's find)."""
    piece = _satb()
    piece.keys = [KeySignature(0.0, "G", "minor")]
    chords = [(79, 74, 70, 43), (77, 71, 62, 44), (75, 72, 67, 48), (74, 70, 67, 43)]  # Gm, B dim7, Cm, Gm
    piece.tracks = [Track(t.name, t.role, 52, False, [Note(ch[v], float(i), 1.0, 80) for i, ch in enumerate(chords)])
                    for v, t in enumerate(piece.tracks)]  # fmt: skip
    piece.end = 4.0
    score = music21.converter.parse(str(write_musicxml(piece, tmp_path / "g.musicxml")))
    names = [[n.pitch.name for n in part.recurse().notes] for part in score.parts]
    assert [names[v][1] for v in range(4)] == ["F", "B", "D", "A-"]
    # three of its tones, F-Ab-B (the demo's chorale, bar 5): not F diminished with a C-flat
    chords = [(79, 74, 70, 43), (77, 71, 65, 44), (75, 72, 67, 48), (74, 70, 67, 43)]  # Gm, B dim7 without D, Cm, Gm
    piece.tracks = [Track(t.name, t.role, 52, False, [Note(ch[v], float(i), 1.0, 80) for i, ch in enumerate(chords)])
                    for v, t in enumerate(piece.tracks)]  # fmt: skip
    score = music21.converter.parse(str(write_musicxml(piece, tmp_path / "g3.musicxml")))
    names = [[n.pitch.name for n in part.recurse().notes] for part in score.parts]
    assert [names[v][1] for v in range(4)] == ["F", "B", "F", "A-"]


def test_a_diminished_tone_that_steps_on_is_named_by_its_step(tmp_path):
    """G major, the alto's G#4 rising to A4 over B and D (a diminished seventh's three tones, which
    the key's degrees read as B-D-F-A-flat, vii7 of IV): G-sharp, as it goes. It had been written
    A-flat (a choir director's find, Hymn to Joy)."""
    from tunesmith.convert import notation

    piece = _satb()
    piece.keys = [KeySignature(0.0, "G", "major")]
    chords = [(74, 67, 59, 43), (74, 68, 59, 47), (72, 69, 62, 42), (71, 67, 62, 43)]  # G, G#dim/B, D7/F#, G
    piece.tracks = [Track(t.name, t.role, 52, False, [Note(ch[v], float(i), 1.0, 80) for i, ch in enumerate(chords)])
                    for v, t in enumerate(piece.tracks)]  # fmt: skip
    piece.end = 4.0

    def alto() -> str:
        score = music21.converter.parse(str(write_musicxml(piece, tmp_path / "joy.musicxml")))
        return [n.pitch.name for n in score.parts[1].recurse().notes][1]

    assert alto() == "G#"
    notation.DIMINISHED_TONE_BY_ITS_STEP = False
    try:
        assert alto() == "A-"
    finally:
        notation.DIMINISHED_TONE_BY_ITS_STEP = True


def test_the_same_piece_is_written_as_the_same_bytes():
    """music21 named each instrument by a random id: the same take differed in bytes run to run."""
    from tunesmith.outputs.musicxml import musicxml_bytes

    first, second = musicxml_bytes(_satb()), musicxml_bytes(_satb())
    assert first == second and b'<score-instrument id="I1">' in first


def test_compound_meter_a_note_off_the_beat_is_cut_where_it_crosses_one(tmp_path):
    """A dotted eighth from the third eighth of a 6/8 bar hid the bar's middle (a songwriter's
    find): it is an eighth tied to a sixteenth; a dotted quarter from the second eighth is a
    quarter tied to an eighth."""
    notes = [Note(67, 0.0, 1.0, 80), Note(69, 1.0, 0.75, 80), Note(71, 1.75, 1.25, 80),  # bar 1
             Note(72, 3.0, 0.5, 80), Note(74, 3.5, 1.5, 80), Note(72, 5.0, 1.0, 80)]  # bar 2  # fmt: skip
    piece = Piece(piece_id="b", work_id="b", style="pop", source="test", path="", license="public-domain",
                  tracks=[Track("Melody", "melody", 0, False, notes)], time_signatures=[TimeSignature(0.0, 6, 8)],
                  tempos=[Tempo(0.0, 90.0)], keys=[KeySignature(0.0, "G", "major")], end=6.0)  # fmt: skip
    values = _note_values(write_musicxml(piece, tmp_path / "b.musicxml"))
    assert values[0][1:3] == [("eighth", 0, "start"), ("16th", 0, "stop")]
    assert values[1][1:3] == [("quarter", 0, "start"), ("eighth", 0, "stop")]


def test_a_transposing_instrument_is_written_at_concert_pitch(tmp_path):
    """A jazz melody on tenor sax (program 66): the notes are at sounding pitch, so the part
    carries no <transpose> (MuseScore had played them a major ninth low)."""
    piece = _satb()
    piece.tracks = [Track("Melody", "melody", 66, False, [Note(65, 0.0, 1.0, 80), Note(70, 1.0, 3.0, 80)])]
    piece.end = 4.0
    path = write_musicxml(piece, tmp_path / "sax.musicxml")
    assert b"<transpose>" not in path.read_bytes()
    score = music21.converter.parse(str(path)).toSoundingPitch()
    assert [n.pitch.midi for n in score.parts[0].recurse().notes] == [65, 70]


def _tuplets_per_measure(path) -> list[list[tuple[str, str, int]]]:
    """Per measure of the first part: (offset, length, tuplet's actual notes or 0) of each note, and
    the measure's length, as a reader counts them."""
    score = music21.converter.parse(str(path))
    return [[(str(n.offset), str(n.duration.quarterLength), n.duration.tuplets[0].numberNotesActual if n.duration.tuplets else 0)
             for n in m.notes] + [("bar", str(m.duration.quarterLength), 0)]
            for m in score.parts[0].getElementsByClass("Measure")]  # fmt: skip


def test_tuplets_a_source_rounded_are_written_exact(tmp_path):
    """C.P.E. Bach's H.186 (music21's corpus) stores a quintuplet sixteenth as 205/1024 of a beat
    and a 13-note run's notes as 158/1024 or 157/1024. Rounded to 1/24 of a beat they came back as
    garbled sixteenths and thirty-seconds, and the bar overfull; now they are a quintuplet and a
    13-tuplet, and each bar holds four beats exactly. A quarter tied into the quintuplet's first
    sixteenth is a quarter tied to it, not one 6/5-beat note."""
    fifth = [205, 205, 204, 205, 205]  # 1024ths of a beat, as the source has them
    thirteenth = [158, 157, 158, 157, 158, 157, 158, 157, 158, 157, 158, 157, 158]
    notes, t = [Note(69, 0.0, 2.0, 80), Note(71, 2.0, 1.0 + fifth[0] / 1024, 80)], 3.0 + fifth[0] / 1024
    for i, ticks in enumerate(fifth[1:]):
        notes.append(Note(72 + i, t, ticks / 1024, 80))
        t += ticks / 1024
    t = 4.0
    for i, ticks in enumerate(thirteenth):
        notes.append(Note(60 + i, t, ticks / 1024, 80))
        t += ticks / 1024
    notes.append(Note(74, 6.0, 2.0, 80))
    piece = Piece(piece_id="q", work_id="q", style="folk", source="test", path="", license="public-domain",
                  tracks=[Track("Melody", "melody", 0, False, notes)], time_signatures=[TimeSignature(0.0, 4, 4)],
                  tempos=[Tempo(0.0, 60.0)], keys=[KeySignature(0.0, "A", "major")], end=8.0)  # fmt: skip
    bars = _tuplets_per_measure(write_musicxml(piece, tmp_path / "tuplets.musicxml"))
    assert bars[0] == [("0.0", "2.0", 0), ("2.0", "1.0", 0), ("3.0", "1/5", 5), ("16/5", "1/5", 5),
                       ("17/5", "1/5", 5), ("18/5", "1/5", 5), ("19/5", "1/5", 5), ("bar", "4.0", 0)]  # fmt: skip
    assert bars[1] == [(str(Fraction(2 * i, 13)) if i % 13 else "0.0", "2/13", 13) for i in range(13)] + [
        ("2.0", "2.0", 0), ("bar", "4.0", 0)]  # fmt: skip
    # and tunesmith reads its own file back (its <divisions> 131,040 had been over the reader's limit)
    from tunesmith.inputs.musicxml import read_musicxml

    (back,) = read_musicxml(tmp_path / "tuplets.musicxml")
    assert len(back.tracks[0].notes) == len(notes) and back.tracks[0].notes[6].onset == 4.0


def test_a_played_pieces_divisions_are_its_scores(tmp_path):
    """A played piece (a POP909 song, a keyboard take) is written as notated; its divisions come
    from the notated times, not the played ones, whose odd fractions had asked for 1,441,440."""
    import random

    rng = random.Random(3)
    # played a little off the eighths, some of them by 1/22 or 1/26 of a beat (an 11-, a 13-tuplet's place)
    notes = [Note(60 + i % 12, i * 0.5 + rng.choice((-1 / 22, 1 / 26, rng.uniform(-0.03, 0.03))), 0.45, 80)
             for i in range(1, 33)]  # fmt: skip
    piece = Piece(piece_id="p", work_id="p", tracks=[Track("Piano", "melody", 0, False, notes)],
                  time_signatures=[TimeSignature(0.0, 4, 4)], tempos=[Tempo(0.0, 90.0)])  # fmt: skip
    text = write_musicxml(piece, tmp_path / "played.musicxml").read_text()
    assert "<divisions>10080</divisions>" in text


def test_quarter_and_half_note_triplets_stay_whole(tmp_path):
    """A note that is one tuplet value (a quarter-note triplet, 2/3 of a beat, from the beat) is
    not cut where it crosses into the tuplet, as a quarter tied into a quintuplet is."""
    notes = [Note(67 + i, i * 2 / 3, 2 / 3, 80) for i in range(3)] + [Note(72, 2.0, 2.0, 80)]
    notes += [Note(60 + i, 4.0 + i * 4 / 3, 4 / 3, 80) for i in range(3)]
    piece = Piece(piece_id="t", work_id="t", style="pop", source="test", path="", license="public-domain",
                  tracks=[Track("Melody", "melody", 0, False, notes)], time_signatures=[TimeSignature(0.0, 4, 4)],
                  tempos=[Tempo(0.0, 90.0)], keys=[KeySignature(0.0, "C", "major")], end=8.0)  # fmt: skip
    bars = _tuplets_per_measure(write_musicxml(piece, tmp_path / "triplets.musicxml"))
    assert bars == [[("0.0", "2/3", 3), ("2/3", "2/3", 3), ("4/3", "2/3", 3), ("2.0", "2.0", 0), ("bar", "4.0", 0)],
                    [("0.0", "4/3", 3), ("4/3", "4/3", 3), ("8/3", "4/3", 3), ("bar", "4.0", 0)]]  # fmt: skip


def test_a_midi_files_grace_notes_are_written_as_grace_notes(tmp_path):
    """A DAW file's grace note, a 16th of a beat (30 ticks at 480) before the note it graces, and
    one played a little short: written as grace notes, the quarter before running to the beat.
    They had been written as 128th-note triplets and rests. A run of 64ths is no grace."""
    notes = [Note(72, 0.0, 1.0 - 1 / 16, 80), Note(74, 1.0 - 1 / 16, 1 / 16, 80), Note(72, 1.0, 1.0, 80),
             Note(71, 2.0, 1.0 - 1 / 16, 80), Note(76, 2.0 - 1 / 16 + 1.0, 28 / 480, 80), Note(74, 3.0, 1.0, 80)]  # fmt: skip
    notes += [Note(60 + i, 4.0 + i / 16, 1 / 16, 80) for i in range(16)]  # a bar of 64ths
    piece = Piece(piece_id="g", work_id="g", tracks=[Track("Melody", "melody", 0, False, notes)],
                  time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip
    score = music21.converter.parse(str(write_musicxml(piece, tmp_path / "grace.musicxml")))
    bars = score.parts[0].getElementsByClass("Measure")
    first = [(n.nameWithOctave, n.duration.isGrace, float(n.duration.quarterLength)) for n in bars[0].notes]
    assert first == [("C5", False, 1.0), ("D5", True, 0.0), ("C5", False, 1.0), ("B4", False, 1.0), ("E5", True, 0.0),
                     ("D5", False, 1.0)]  # fmt: skip
    assert not bars[0].getElementsByClass("Rest")
    assert [n.duration.isGrace for n in bars[1].notes] == [False] * 16


def _two_voices_sharing_a_pitch(tmp_path):
    """Two bars of 6/8 on one staff: dotted quarters F5 A5 over eighths C5 F5 A4 (Verdi's inner
    voice striking the held F again), written by music21 with its placeholder title and composer."""
    score = music21.stream.Score()
    part = music21.stream.Part()
    for i in range(2):
        m = music21.stream.Measure(number=i + 1)
        if i == 0:
            m.append(music21.meter.TimeSignature("6/8"))
        upper, lower = music21.stream.Voice(id="1"), music21.stream.Voice(id="2")
        for name in ("F5", "A5"):
            upper.append(music21.note.Note(name, quarterLength=1.5))
        for name in ("C5", "F5", "A4", "C5", "F5", "A4"):
            lower.append(music21.note.Note(name, quarterLength=0.5))
        m.insert(0, upper)
        m.insert(0, lower)
        part.append(m)
    score.append(part)
    src = tmp_path / "two_voices.musicxml"
    score.write("musicxml", fp=str(src))
    return src


def test_two_voices_striking_one_pitch_keep_their_lengths_in_the_score(tmp_path):
    """The held F sounds until the inner voice strikes it again (one key, one note: the MIDI and
    every measure see an eighth), and the score writes it as the dotted quarter it was, voice 1
    (the upper) over voice 2. It had come back as an eighth."""
    from tunesmith.inputs.musicxml import read_musicxml

    (piece,) = read_musicxml(_two_voices_sharing_a_pitch(tmp_path))
    held = piece.tracks[0].notes[0]
    assert (held.pitch, held.duration, held.held) == (77, 0.5, 1.5)
    out = music21.converter.parse(str(write_musicxml(piece, tmp_path / "again.musicxml")))
    voices = out.parts[0].getElementsByClass("Measure")[0].voices
    assert [[(n.nameWithOctave, float(n.quarterLength)) for n in v.notes] for v in voices] == [
        [("F5", 1.5), ("A5", 1.5)], [("C5", 0.5), ("F5", 0.5), ("A4", 0.5)] * 2]


def test_a_bar_where_one_voice_sounds_is_written_as_one(tmp_path):
    """Bars of one line after bars of two voices (a continuation's new bars): no voice of rests
    above them, as there had been."""
    from tunesmith.inputs.musicxml import read_musicxml

    (piece,) = read_musicxml(_two_voices_sharing_a_pitch(tmp_path))
    piece.tracks[0].notes += [Note(67 + i, 6.0 + 0.5 * i, 0.5) for i in range(6)]
    piece.bar_onsets, piece.end = [], 9.0
    out = music21.converter.parse(str(write_musicxml(piece, tmp_path / "again.musicxml")))
    third = out.parts[0].getElementsByClass("Measure")[2]
    assert not third.voices
    assert len(third.notes) == 6 and not third.getElementsByClass("Rest")


def test_music21s_placeholder_title_and_composer_are_not_read_as_the_musicians():
    """A score music21 wrote without a title or composer says "Music21 Fragment" and "Music21";
    a take of it had carried both. The file's name is its title."""
    import tempfile
    from pathlib import Path

    from tunesmith.inputs.musicxml import read_musicxml

    with tempfile.TemporaryDirectory() as d:
        (piece,) = read_musicxml(_two_voices_sharing_a_pitch(Path(d)))
    assert piece.title == "two_voices" and "composer" not in piece.meta


def test_a_jazz_lead_sheet_says_swing_over_its_tempo(tmp_path):
    """A jazz take's eighths are written straight and played swung (the WAV): its score says
    "Swing" over the first tempo, as a chart does; the tempo stands over the staff (MuseScore had
    set it under the first notes); a pop song says nothing; the notes and tempo read back the same."""
    from tunesmith.api import read

    lead = _satb()
    lead.tracks = [Track("Melody", "melody", 0, False, [Note(72 - b, float(b) / 2, 0.5, 80) for b in range(8)])]
    marks = {}
    for style in ("jazz", "pop"):
        lead.style = style
        path = write_musicxml(lead, tmp_path / f"{style}.musicxml")
        xml = path.read_text(encoding="utf-8")
        marks[style] = re.findall(r'<direction placement="above">\s*<direction-type>\s*<words[^>]*>([^<]*)</words>', xml)
        assert re.search(r'<direction placement="above">\s*<direction-type>\s*<metronome', xml), style
        back = read(path)
        assert [(n.pitch, n.onset, n.duration) for n in back.melody().notes] == [
            (n.pitch, n.onset, n.duration) for n in lead.tracks[0].notes]
        assert [t.qpm for t in back.tempos] == [80.0]
    assert marks == {"jazz": ["Swing"], "pop": []}


def test_sections_get_rehearsal_letters_over_their_first_bars(tmp_path):
    """A chart marks its sections (A, B, A) over their first bars, as the score's double bars
    already divide them; a piece of one section is not lettered."""
    lead = _satb()
    lead.tracks = [Track("Melody", "melody", 0, False, [Note(72, float(b), 1.0, 80) for b in range(12)])]
    lead.end = 12.0
    lead.meta["sections"] = [[0, 1, "A"], [1, 2, "B"], [2, 3, "A"]]
    xml = write_musicxml(lead, tmp_path / "abc.musicxml").read_text(encoding="utf-8")
    measures = re.findall(r"<measure[^>]*>(.*?)</measure>", xml, flags=re.S)
    letters = [re.findall(r'<direction placement="above">\s*<direction-type>\s*<rehearsal[^>]*>([^<]*)</rehearsal>', m)
               for m in measures]  # fmt: skip
    assert letters == [["A"], ["B"], ["A"]]
    lead.meta["sections"] = [[0, 3, "A"]]
    assert "<rehearsal" not in write_musicxml(lead, tmp_path / "a.musicxml").read_text(encoding="utf-8")


def test_folk_reels_beam_four_quavers_together_as_tune_books_do(tmp_path):
    """A 4/4 folk tune's running quavers are beamed by the half bar (four to a beam), as Nottingham
    and O'Neill's print reels; music21's 4/4 beamed them in pairs, a machine's notation to a
    folk-song scholar. A pop song's keep the beat's pairs."""
    import tunesmith.convert.notation as notation

    def beams(style: str) -> list[str]:
        notes = [Note(62 + (i % 5), 0.5 * i, 0.5, 80) for i in range(16)]
        piece = Piece(piece_id="r", work_id="r", style=style, source="test", path="", license="public-domain",
                      tracks=[Track("Melody", "melody", 73, False, notes)], time_signatures=[TimeSignature(0.0, 4, 4)],
                      tempos=[Tempo(0.0, 180.0)], keys=[KeySignature(0.0, "D", "major")], end=8.0)  # fmt: skip
        xml = write_musicxml(piece, tmp_path / f"{style}.musicxml").read_text()
        return re.findall(r'<beam number="1">(\w+)</beam>', xml)[:8]

    assert beams("folk") == ["begin", "continue", "continue", "end"] * 2
    assert beams("pop") == ["begin", "end"] * 4
    notation.HALF_BAR_BEAMS_STYLES = frozenset()
    try:
        assert beams("folk") == ["begin", "end"] * 4
    finally:
        notation.HALF_BAR_BEAMS_STYLES = frozenset({"folk"})
