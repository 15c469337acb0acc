"""Chord-symbol parsing / normalisation and the Krumhansl key estimate."""

from __future__ import annotations

import time

import pytest

from tunesmith.harmony import (
    chord_pitches,
    estimate_key,
    estimate_key_from_close,
    key_from_sharps,
    normalize_figure,
    parse_chord,
    sharps_of,
    written_quality,
)
from tunesmith.score import KeySignature, Note, Piece, Track


@pytest.mark.parametrize(
    "figure,expected",
    [
        ("C", (0, "", None)),
        ("Dm7", (2, "m7", None)),
        ("G7", (7, "7", None)),
        ("Cmaj7", (0, "maj7", None)),
        ("Bb7", (10, "7", None)),
        ("B-7", (10, "7", None)),  # music21 flat spelling
        ("F#m7b5", (6, "m7b5", None)),
        ("C/E", (0, "", 4)),
        ("Bbm7/Ab", (10, "m7", 8)),
        ("Ebdim7", (3, "dim7", None)),
        ("Aaug", (9, "aug", None)),
        ("Gsus", (7, "sus4", None)),
        ("D7(b9)", (2, "7b9", None)),
        ("CM7", (0, "maj7", None)),
        ("Co7", (0, "dim7", None)),
        ("Cø7", (0, "m7b5", None)),
        ("Cmin", (0, "m", None)),
        ("C6/9", (0, "69", None)),
        ("C7b9#11", (0, "7b9", None)),  # unknown combination: trailing alteration dropped
        ("C7#9b13", (0, "7#9#5", None)),  # the same tones (7alt would have a flat 9th)
    ],
)
def test_parse_chord(figure, expected):
    assert parse_chord(figure) == expected


@pytest.mark.parametrize(
    "figure,canonical",
    [("Bb-7", "Bbm7"), ("B-m7", "Bbm7"), ("Gmaj", "G"), ("CM7", "Cmaj7"), ("C/E", "C/E"), ("C/C", "C"), ("f#m", "F#m"), ("Dmin7", "Dm7")],
)
def test_normalize_figure(figure, canonical):
    assert normalize_figure(figure) == canonical


@pytest.mark.parametrize(
    "figure,written",
    [("Bb13sus/Ab", "13sus"), ("C7alt", "7alt"), ("Cmin7", "min7"), ("C", ""), ("C6/9", "6/9"), ("D7(b9)", "7(b9)")],
)
def test_written_quality_is_the_figure_own_text(figure, written):
    assert written_quality(figure) == written


def test_written_quality_refuses_what_does_not_parse():
    with pytest.raises(ValueError, match="not a chord figure"):
        written_quality("N.C.")


@pytest.mark.parametrize("bad", ["", "N.C.", "NC", "H7", "Cxyz", "7"])
def test_parse_chord_rejects(bad):
    with pytest.raises(ValueError, match="not a chord figure"):
        parse_chord(bad)


@pytest.mark.parametrize(("bad", "quality"), [("Fmaj8", "maj8"), ("C8", "8"), ("Cm12", "m12"), ("Cadd8", "add8"), ("Cmaj10", "maj10")])
def test_a_number_that_names_no_chord_tone_is_refused(bad, quality):
    # "Fmaj8", a typo for Fmaj7 or Fmaj9, had been read as F: any trailing number was dropped
    with pytest.raises(ValueError, match=rf"^not a chord figure: '{bad}' \(unknown quality '{quality}'\)$"):
        parse_chord(bad)


@pytest.mark.parametrize(("figure", "parsed"), [("C7b9#11", (0, "7b9", None)), ("Cm7(b5)", (0, "m7b5", None)),
                                                ("C7(13)", (0, "7", None)), ("Cm(add9)", (0, "madd9", None))])  # fmt: skip
def test_tensions_and_alterations_still_read(figure, parsed):
    assert parse_chord(figure) == parsed


def test_chord_pitches():
    assert chord_pitches("C") == [48, 52, 55]
    assert chord_pitches("G7") == [55, 59, 62, 65]
    assert chord_pitches("C/E") == [40, 48, 55]  # bass below, the doubled E dropped from the top


def test_parse_is_fast():
    figures = ["Dm7", "G7", "Cmaj7", "Bb7", "F#m7b5", "C/E"] * 2000
    start = time.perf_counter()
    for f in figures:
        normalize_figure(f)
        chord_pitches(f)
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("sharps", range(-7, 8))
@pytest.mark.parametrize("mode", ["major", "minor", "dorian", "mixolydian"])
def test_key_signature_roundtrip(sharps, mode):
    assert sharps_of(key_from_sharps(sharps, mode)) == sharps


def test_key_from_sharps_spelling():
    assert key_from_sharps(-3, "minor").tonic == "C"
    assert key_from_sharps(3, "minor").tonic == "F#"
    assert key_from_sharps(-2, "dorian").tonic == "C"
    assert key_from_sharps(6).tonic == "F#" and key_from_sharps(-6).tonic == "Gb"


def _scale_piece(tonic_pc: int, steps: tuple[int, ...]) -> Piece:
    notes = [Note(60 + tonic_pc + s, i * 1.0, 1.0) for i, s in enumerate(steps * 4)]
    notes += [Note(48 + tonic_pc, 0.0, 8.0)]  # tonic weight
    return Piece(piece_id="k", work_id="k", tracks=[Track("m", notes=notes)])


@pytest.mark.parametrize("tonic_pc,name", [(0, "C"), (7, "G"), (2, "D"), (5, "F"), (10, "Bb")])
def test_estimate_key_major(tonic_pc, name):
    key = estimate_key(_scale_piece(tonic_pc, (0, 2, 4, 5, 7, 9, 11, 7, 4, 0)))
    assert (key.tonic, key.mode) == (name, "major")


def test_estimate_key_minor():
    key = estimate_key(_scale_piece(9, (0, 2, 3, 5, 7, 8, 11, 7, 3, 0)))
    assert (key.tonic, key.mode) == ("A", "minor")


def test_estimate_key_from_chords_only():
    from tunesmith.score import ChordSymbol

    piece = Piece(piece_id="c", work_id="c", chords=[ChordSymbol(0, "Dm7", 2), ChordSymbol(2, "G7", 2), ChordSymbol(4, "C", 4)])
    assert estimate_key(piece).tonic_pc == 0


def _four_parts(chords: list[tuple[int, ...]]) -> Piece:
    """A four-part piece, a chord a beat (the last held two), each chord's pitches high to low."""
    voices: list[list[Note]] = [[], [], [], []]
    for i, chord in enumerate(chords):
        for v, p in enumerate(sorted(chord, reverse=True)):
            voices[v].append(Note(p, float(i), 2.0 if i == len(chords) - 1 else 1.0))
    roles = ("soprano", "alto", "tenor", "bass")
    return Piece(piece_id="c", work_id="c", tracks=[Track(r, role=r, notes=n) for r, n in zip(roles, voices)])


F, C, G, G7, Dm, C7 = (53, 57, 60, 65), (48, 55, 64, 72), (43, 55, 62, 71), (43, 59, 62, 65), (50, 57, 62, 65), (48, 58, 64, 72)
Am, Dm_a, E, E7, A = (45, 57, 64, 72), (50, 57, 65, 69), (40, 56, 64, 71), (40, 56, 62, 71), (45, 57, 64, 73)


def test_a_chorale_that_dwells_on_its_dominant_is_in_the_key_it_closes_in():
    # F major whose middle is in C: over the whole piece Krumhansl-Schmuckler hears C, the close says F
    piece = _four_parts([F, C, G, C, Dm, G7, C, G, C, G7, C, C7, F])
    assert estimate_key(piece).tonic == "C"
    assert (estimate_key_from_close(piece).tonic, estimate_key_from_close(piece).mode) == ("F", "major")


def test_a_phrygian_close_on_the_dominant_keeps_the_minor_key():
    # A minor ending on E major (Bach's settings of Phrygian melodies): the tonic is A, not the final E
    key = estimate_key_from_close(_four_parts([Am, Dm_a, E, Am, Dm_a, Am, E7, Am, Dm_a, E]))
    assert (key.tonic, key.mode) == ("A", "minor")


def test_a_picardy_third_leaves_a_minor_piece_minor():
    key = estimate_key_from_close(_four_parts([Am, Dm_a, E, Am, Dm_a, Am, E7, A]))
    assert (key.tonic, key.mode) == ("A", "minor")


def test_estimate_key_from_close_without_notes_is_estimate_key():
    assert estimate_key_from_close(Piece(piece_id="e", work_id="e")) == KeySignature(0.0, "C", "major")


def test_estimate_key_empty_is_c_major():
    assert estimate_key(Piece(piece_id="e", work_id="e")) == KeySignature(0.0, "C", "major")


@pytest.mark.parametrize(
    "chords,key",
    [
        ("Dm7 G7 Cmaj7 Cmaj7", ("C", "major")),
        ("Bm7 E7 Am7 D7", ("G", "major")),  # a turnaround ending on V7 names the key a fourth above
        ("Em7 A7 Dm7 G7", ("C", "major")),
        ("Am E7", ("A", "minor")),  # V7 of a minor key: the chord tones decide the mode
        ("Am Dm E7 Am", ("A", "minor")),
        ("F C Dm Bb", ("F", "major")),
        ("Cm7 F7 Bbmaj7 Gm7", ("Bb", "major")),  # ii-V-I-vi: the V7-I names the key, not the last chord
        ("Dm7 G7 Cmaj7 Am7", ("C", "major")),
        # a short progression, cycled by compose, is a loop: its first chord is home (these had
        # read in the relative major, A, C, G)
        ("F#m D A E", ("F#", "minor")),
        ("Am F C G", ("A", "minor")),
        ("Em C G D", ("E", "minor")),
        ("C G Am F", ("C", "major")),
        ("G D Em C", ("G", "major")),
        # a ii-V-I of plain triads, and a loop whose last dominant leads back to its opening ii (these
        # had read in D minor)
        ("Dm G C A7", ("C", "major")),
        ("Dm7 G7 Cmaj7 A7", ("C", "major")),
        ("Dm G Dm G", ("D", "minor")),  # no I: a minor loop
        ("Am D Am D", ("A", "minor")),
    ],
)
def test_key_from_a_chord_progression(chords, key):
    from tunesmith.harmony import estimate_key_from_chords

    k = estimate_key_from_chords(chords.split())
    assert (k.tonic, k.mode) == key


def test_a_chromatic_note_is_spelled_by_where_it_goes():
    from tunesmith.harmony import spell_pitch, spell_pitch_class

    f_major = KeySignature(0.0, "F", "major")
    assert spell_pitch_class(1, f_major) == "Db"  # alone: the lowered 6th of F's relative degrees
    assert spell_pitch_class(1, f_major, leads_to=2) == "C#"  # a lower neighbour of D
    assert spell_pitch_class(3, f_major, leads_to=2) == "Eb"  # an upper neighbour of D
    assert spell_pitch_class(6, KeySignature(0.0, "C", "major"), leads_to=7) == "F#"
    assert spell_pitch_class(8, KeySignature(0.0, "C", "major"), leads_to=7) == "Ab"
    assert spell_pitch_class(4, f_major, leads_to=5) == "E"  # a scale tone keeps its name
    assert spell_pitch(61, f_major, leads_to=62) == "C#4" and spell_pitch(61, f_major, leads_to=60) == "D-4"


@pytest.mark.parametrize(
    ("pc", "chord", "name"),
    [
        (8, "Fm7", "Ab"),  # the chord's third, not a minor's raised 7th
        (8, "Bb7", "Ab"),  # its seventh
        (8, "E7", "G#"),  # the raised 7th that is the chord's third
        (8, "Dm", "G#"),  # not the chord's: the raised 7th
        (6, "D7", "F#"),  # the raised 6th and the chord agree
        (8, None, "G#"),
    ],
)
def test_a_chord_tone_is_named_as_its_chord_names_it_before_a_minor_keys_raised_degrees(pc, chord, name):
    """In A minor a G-sharp/A-flat over Fm7 is the chord's third, A-flat; the raised 7th had named it
    G-sharp (the jazz helper's G-sharp over a chord that holds A-flat)."""
    from tunesmith.harmony import spell_pitch_class

    assert spell_pitch_class(pc, KeySignature(0.0, "A", "minor"), chord) == name


def test_chords_that_contradict_the_key_asked_for_are_named():
    from tunesmith.harmony import key_against_chords

    line = key_against_chords(["C", "Am", "F", "G"], "Ab", "major")
    assert line is not None and line.startswith("the chords C Am F G fit C major (100% of their tones in its scale) better than Ab major (50%)")
    assert key_against_chords(["C", "Am", "F", "G"], "C", "major") is None
    assert key_against_chords(["Cm7", "F7", "Bbmaj7", "Gm7"], "Bb", "major") is None
    assert key_against_chords(["Am", "Dm", "E7", "Am"], "C", "major") is None  # the relative minor's chords: a near key
    # Giant Steps in B: chromatic, but no other key holds its chords much better
    steps = ["B", "D7", "G", "Bb7", "Eb", "Am7", "D7", "G", "Bb7", "Eb", "F#7", "B", "Fm7", "Bb7", "Eb", "Am7", "D7", "G", "C#m7", "F#7", "B", "Fm7", "Bb7", "Eb", "C#m7", "F#7"]
    assert key_against_chords(steps, "B", "major") is None
    assert key_against_chords(["N.C."], "C", "major") is None


def test_chords_are_read_from_an_accompaniments_notes():
    """Block chords of a piano part, two to a 4/4 bar: each half bar's chord, written where it
    changes, its root spelled in the key (Db in A-flat, not C#); a seventh only where it sounds;
    a bar of silence keeps the chord before."""
    from tunesmith.harmony import chords_from_notes
    from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, TimeSignature, Track

    def block(pitches, onset, dur=2.0):
        return [Note(p, onset, dur) for p in pitches]

    notes = (block([44, 48, 51], 0.0) + block([44, 48, 51], 2.0)  # Ab Ab: one symbol
             + block([41, 44, 48], 4.0) + block([37, 41, 44], 6.0)  # Fm, Db (a C# by its pitch class)
             + block([39, 43, 46, 49], 8.0, 4.0)  # Eb7 for the whole bar
             + block([44, 48, 51], 16.0, 4.0))  # bar 4 silent: Eb7 holds; Ab in bar 5  # fmt: skip
    piece = Piece(piece_id="p", work_id="p", tracks=[Track("Piano", "accompaniment", notes=notes)],
                  keys=[KeySignature(0.0, "Ab", "major")], time_signatures=[TimeSignature(0.0, 4, 4)], end=20.0)  # fmt: skip
    got = chords_from_notes(notes, piece)
    assert [(c.onset, c.figure) for c in got] == [(0.0, "Ab"), (4.0, "Fm"), (6.0, "Db"), (8.0, "Eb7"), (16.0, "Ab")]
    assert all(isinstance(c, ChordSymbol) for c in got)
    assert chords_from_notes([], piece) == []


def test_a_chord_on_a_scale_degree_is_spelled_as_the_scale_spells_it():
    from tunesmith.harmony import spell_chord_in_key
    from tunesmith.score import KeySignature

    gb, cb = KeySignature(0.0, "Gb", "major"), KeySignature(0.0, "Cb", "major")
    assert [spell_chord_in_key(f, gb) for f in ("B", "Db7", "B/D#", "Ebm7")] == ["Cb", "Db7", "Cb/Eb", "Ebm7"]
    assert [spell_chord_in_key(f, cb) for f in ("B", "E", "Gb7")] == ["Cb", "Fb", "Gb7"]
    c = KeySignature(0.0, "C", "major")
    assert [spell_chord_in_key(f, c) for f in ("D7", "Bb", "F#m7b5", "N.C.")] == ["D7", "Bb", "F#m7b5", "N.C."]  # chromatic: as named
    assert spell_chord_in_key("B", None) == "B"


def _tune(pitches, chords, key="C"):
    from tunesmith.score import ChordSymbol, TimeSignature

    notes = [Note(p, float(i), 1.0) for i, p in enumerate(pitches)]
    return Piece(piece_id="t", work_id="t", tracks=[Track("M", "melody", notes=notes)],
                 keys=[KeySignature(0.0, key, "major")], time_signatures=[TimeSignature(0.0, 4, 4)],
                 chords=[ChordSymbol(float(4 * i), f) for i, f in enumerate(chords)], end=float(len(notes)))  # fmt: skip


def test_settle_relative_mode_hears_a_minor_tune_written_as_its_relative_major():
    """A source that writes every key as major (OpenEWLD, Essen): Yesterdays, one flat, is d
    minor by its last chord, last note and notes; a tune that closes on its tonic stays major."""
    from tunesmith.harmony import settle_relative_mode

    yesterdays = _tune([69, 70, 69, 67, 65, 64, 62, 61, 62, 65, 69, 62], ["Dm", "E7", "A7", "Dm"], key="F")
    assert settle_relative_mode(yesterdays) is True
    assert (yesterdays.key.tonic, yesterdays.key.mode) == ("D", "minor") and yesterdays.meta["key_mode_estimated"]
    major = _tune([60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 62, 60], ["C", "Am", "G7", "C"])
    assert settle_relative_mode(major) is False and (major.key.tonic, major.key.mode) == ("C", "major")
    chords_only = _tune([], ["Am", "Dm", "E7", "Am"])  # no notes: the chords decide
    chords_only.tracks = []
    assert settle_relative_mode(chords_only) is True and chords_only.key.tonic == "A"


# (the label a source wrote, the melody, the chords, the key it is given) for `settle_modal_final`
E_DORIAN = [64, 66, 67, 69, 71, 69, 67, 66, 64, 62, 64, 71, 73, 71, 69, 64]  # under D major's signature
A_MIXOLYDIAN = [69, 71, 73, 74, 76, 74, 73, 71, 69, 67, 69, 76, 69, 67, 71, 69]  # the same signature
D_MAJOR_ENDING_ON_A = [62, 64, 66, 67, 69, 66, 62, 64, 62, 66, 69, 62, 66, 62, 67, 69]  # A among its 3 longest, D longer


@pytest.mark.parametrize(
    ("label", "pitches", "chords", "key"),
    [
        (("D", "major"), E_DORIAN, ["Em", "D", "Em"], ("E", "dorian")),
        (("D", "major"), E_DORIAN, [], ("E", "dorian")),
        (("D", "major"), A_MIXOLYDIAN, ["A", "G", "A"], ("A", "mixolydian")),
        # a minor tune that closes on its relative major's tonic, which it dwells on
        (("B", "minor"), [71, 73, 74, 76, 78, 76, 74, 73, 71, 74, 78, 74, 76, 74, 73, 74], ["Bm", "A", "D"], ("D", "major")),
        # a D major tune whose strain ends on its fifth: it dwells on D, so it stays in D
        (("D", "major"), D_MAJOR_ENDING_ON_A, ["D", "G", "A"], ("D", "major")),
        # its last chord is E major, not the dorian tonic's E minor
        (("D", "major"), E_DORIAN, ["Em", "D", "E7"], ("D", "major")),
        # G-sharps held for 2 of its 16 beats: E dorian's scale has none
        (("D", "major"), [68 if p == 67 else p for p in E_DORIAN], [], ("D", "major")),
    ],
)
def test_a_tune_written_as_its_signature_is_keyed_by_its_final(label, pitches, chords, key):
    """The Irish MIDI files and Nottingham's ABC name a signature, not a mode: a tune in E dorian
    is labelled D major and ends on E. Where the final is another mode's tonic of the same
    signature, held longer than the label's, under that mode's tonic triad and in its scale, the
    key moves to it; the label it had is kept in meta."""
    from tunesmith.harmony import settle_modal_final

    tune = _tune(pitches, chords, key=label[0])
    tune.keys = [KeySignature(0.0, *label)]
    assert settle_modal_final(tune) is (key != label)
    assert (tune.key.tonic, tune.key.mode) == key
    assert tune.meta.get("key_from_final") == (f"{label[0]} {label[1]}" if key != label else None)


def test_a_tune_with_two_keys_keeps_them():
    from tunesmith.harmony import settle_modal_final

    tune = _tune(E_DORIAN, [], key="D")
    tune.keys = [KeySignature(0.0, "D", "major"), KeySignature(8.0, "A", "major")]
    assert settle_modal_final(tune) is False and [k.tonic for k in tune.keys] == ["D", "A"]


def test_the_modes_by_their_final_agree_with_the_editors_who_named_them(tmp_path):
    """O'Neill's, Ryan's and Aird's editors (music21's corpus, ABC) name dorian or mixolydian in
    some K: fields. Given the label the Irish MIDI files would give such a tune (its signature's
    major key), `settle_modal_final` names the editor's mode for 111 of 187 (session 61) and
    another mode for 6; of 918 tunes in Ryan's collection that its editor calls major, it moves
    29 (some of them modal tunes written by their signature)."""
    import re
    from pathlib import Path

    import music21

    from tunesmith.harmony import settle_modal_final
    from tunesmith.inputs.abc import read_abc, split_tunes

    corpus = Path(music21.__file__).parent / "corpus"
    named = re.compile(r"^K: *[A-G][b#]? *(dor|mix)", re.I | re.M)
    modal = []
    for folder in ("oneills1850", "ryansMammoth", "airdsAirs"):
        for path in sorted((corpus / folder).glob("*.abc")):
            text = path.read_text(encoding="utf-8", errors="replace")
            if named.search(text):
                header, tunes = split_tunes(text)
                modal += [(path, header, tune) for tune in tunes if named.search(tune)]
    assert len(modal) >= 180
    found = other = kept = 0
    for i, (path, header, tune) in enumerate(modal):
        one = tmp_path / f"{path.stem}-{i}.abc"
        one.write_text(header + tune, encoding="utf-8")
        for p in read_abc(one):
            if not p.keys or len({(k.tonic_pc, k.mode) for k in p.keys}) != 1 or p.key.mode not in ("dorian", "mixolydian"):
                continue
            editor = (p.key.tonic_pc, p.key.mode)
            p.keys = [key_from_sharps(sharps_of(p.key), "major")]
            if not settle_modal_final(p):
                kept += 1
            elif (p.key.tonic_pc, p.key.mode) == editor:
                found += 1
            else:
                other += 1
    total = found + other + kept
    assert total >= 170
    assert found >= 0.55 * total and other <= 0.05 * total, (found, other, kept)
    majors = moved = 0
    for path in sorted((corpus / "ryansMammoth").glob("*.abc")):
        for p in read_abc(path):
            if p.keys and len({(k.tonic_pc, k.mode) for k in p.keys}) == 1 and p.key.mode == "major":
                majors += 1
                moved += settle_modal_final(p)
    assert majors >= 900 and moved <= 0.05 * majors, (moved, majors)


def test_chords_that_name_no_key_are_said_in_words():
    from tunesmith.harmony import estimate_key_from_chords

    with pytest.raises(ValueError, match=r"none of the chords 'xyz qq blorp' is a chord symbol tunesmith reads"):
        estimate_key_from_chords(["xyz", "qq", "blorp"])
    with pytest.raises(ValueError, match=r"'G-D-Em-C' is a chord symbol .*; write chords apart with spaces"):
        estimate_key_from_chords(["G-D-Em-C"])  # as typed: the request keeps an unread word so


@pytest.mark.parametrize("pc,quality,key,root", [
    (10, "m7b5", ("A", "major"), "A#"),  # Dichterliebe bar 11: A# C# E G#, read as "Bbm7b5" in A major
    (10, "", ("C", "major"), "Bb"), (8, "7", ("C", "major"), "Ab"), (6, "dim7", ("C", "major"), "F#"),
    (4, "7", ("G", "minor"), "E"), (9, "", ("A", "major"), "A"),
])  # fmt: skip
def test_a_chord_root_outside_the_key_is_spelled_so_its_tones_read_in_the_key(pc, quality, key, root):
    """Of a chromatic root's two names, the one whose chord spells more of its tones as the key's
    scale does (A# C# E G#, not Bb Db Fb Ab); a root in the scale keeps the scale's name."""
    from tunesmith.harmony import spell_chord_root
    from tunesmith.score import KeySignature

    assert spell_chord_root(pc, quality, KeySignature(0.0, *key)) == root


def test_a_chromatic_chords_tone_is_spelled_as_the_chord_spells_it_in_a_flat_key():
    """In D-flat a jazz pianist's chart had F-sharp over D7 written G-flat (11 times), G-sharp over E7
    as A-flat and C-sharp over A7 as D-flat: the key's scale had named them first. And a chromatic A
    had been written B-double-flat beside an A natural in the same bar."""
    from tunesmith.harmony import spell_pitch_class
    from tunesmith.score import KeySignature

    db = KeySignature(0.0, "Db", "major")
    assert [spell_pitch_class(pc, db, chord) for pc, chord in ((6, "D7"), (8, "E7"), (1, "A7"), (6, "Gb"), (6, None))] == [
        "F#", "G#", "C#", "Gb", "Gb"]
    assert spell_pitch_class(9, db, "Ebm7") == "A" and spell_pitch_class(9, db) == "A"  # not B-double-flat
    assert spell_pitch_class(2, KeySignature(0.0, "Gb", "major")) == "D"
    assert spell_pitch_class(8, KeySignature(0.0, "C", "major"), "E7") == "G#"  # (as before)
