"""Tokenizer: round trips over lead sheet / chorale / pickup / 6/8 / triplet fixtures, exact chord figures, FIM."""

from __future__ import annotations

import pytest

from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track
from tunesmith.tokenizer import (
    QUALITIES,
    Tokenizer,
    join_figure,
    quantize_duration,
    scale_pitch_classes,
    split_figure,
    transpose_piece,
)


def _piece(pid, style, tracks, chords=(), key=("C", "major"), meter=(4, 4), qpm=120.0, bar_onsets=()):
    return Piece(
        piece_id=pid,
        work_id=pid,
        style=style,
        license="public-domain",
        tracks=tracks,
        chords=[ChordSymbol(o, f) for o, f in chords],
        keys=[KeySignature(0.0, *key)],
        time_signatures=[TimeSignature(0.0, *meter)],
        tempos=[Tempo(0.0, qpm)],
        bar_onsets=list(bar_onsets),
    )


def lead_sheet() -> Piece:
    melody = [(67, 0, 1), (69, 1, 0.5), (71, 1.5, 0.5), (72, 2, 2), (74, 4, 1.5), (72, 5.5, 0.5), (71, 6, 1),
              (69, 8, 0.75), (67, 8.75, 0.25), (65, 9, 3), (64, 13, 3)]  # fmt: skip
    chords = [(0, "C"), (2, "Am7"), (4, "Dm7"), (6, "G7"), (8, "Fmaj7"), (10, "Bbmaj7/D"), (12, "Cmaj7")]
    return _piece("lead", "pop", [Track("Melody", "melody", notes=[Note(p, o, d) for p, o, d in melody])], chords)


def chorale() -> Piece:
    voices = {
        "soprano": [(72, 0, 1), (71, 1, 1), (69, 2, 2), (67, 4, 1), (69, 5, 1), (71, 6, 1), (72, 7, 1)],
        "alto": [(64, 0, 1), (67, 1, 0.5), (65, 1.5, 0.5), (64, 2, 2), (64, 4, 2), (65, 6, 1), (64, 7, 1)],
        "tenor": [(55, 0, 2), (57, 2, 1), (60, 3, 1), (59, 4, 1), (60, 5, 1), (62, 6, 1), (60, 7, 1)],
        "bass": [(48, 0, 1), (43, 1, 1), (45, 2, 2), (52, 4, 1), (53, 5, 1), (55, 6, 1), (48, 7, 1)],
    }
    tracks = [Track(r.title(), r, notes=[Note(p, o, d) for p, o, d in ns]) for r, ns in voices.items()]
    return _piece("chorale", "chorale", tracks, key=("C", "major"), qpm=80)


def pickup() -> Piece:
    # 3/4 with a one-beat anacrusis: bars at 0 (pickup), 1, 4, 7
    melody = [(62, 0, 1), (67, 1, 2), (71, 3, 1), (69, 4, 1), (67, 5, 1), (66, 6, 1), (67, 7, 2)]
    tracks = [Track("Melody", "melody", notes=[Note(p, o, d) for p, o, d in melody])]
    return _piece("pickup", "folk", tracks, [(1, "G"), (4, "D7"), (7, "G")], key=("G", "major"), meter=(3, 4),
                  bar_onsets=[0.0, 1.0, 4.0, 7.0])  # fmt: skip


def jig() -> Piece:
    # 6/8: bar = 3 beats, eighths are 0.5 beats, dotted quarters 1.5
    notes, t = [], 0.0
    for i, d in enumerate([0.5, 0.5, 0.5, 1.0, 0.5, 0.5, 0.5, 0.5, 1.5, 1.5, 0.5, 0.5, 0.5]):
        notes.append(Note(62 + (i * 3) % 10, t, d))
        t += d
    return _piece("jig", "folk", [Track("Melody", "melody", notes=notes)], [(0, "D"), (3, "Em"), (6, "A7")],
                  key=("D", "major"), meter=(6, 8), qpm=112)  # fmt: skip


def triplets() -> Piece:
    third = 1 / 3
    notes = [Note(70 + i % 5, i * third, third) for i in range(6)] + [Note(75, 2.0, 1.0), Note(74, 3.0, 1.0)]
    notes += [Note(72, 4 + i * 2 / 3, 2 / 3) for i in range(3)] + [Note(70, 6.0, 2.0)]
    chords = [(0, "Bbmaj7"), (2, "G7b9"), (4, "Cm7"), (6, "F7sus4")]
    return _piece("triplets", "jazz", [Track("Melody", "melody", notes=notes)], chords, key=("Bb", "major"))


FIXTURES = {"lead_sheet": lead_sheet, "chorale": chorale, "pickup": pickup, "jig_6_8": jig, "triplets": triplets}


def _notes(piece: Piece) -> dict[str, list[tuple[int, float, float]]]:
    return {
        t.role: [(n.pitch, round(n.onset, 6), round(n.duration, 6)) for n in sorted(t.notes, key=lambda n: n.onset)]
        for t in piece.tracks
        if t.notes
    }


def _chords(piece: Piece) -> list[tuple[float, str]]:
    return [(round(c.onset, 6), c.figure) for c in piece.chords]


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return Tokenizer()


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_round_trip(tok, name):
    piece = FIXTURES[name]()
    ids = tok.encode(piece)
    assert ids[0] == tok.bos_id and ids[-1] == tok.eos_id
    assert all(0 <= i < tok.vocab_size for i in ids)
    back = tok.decode(ids)
    assert _notes(back) == _notes(piece)
    assert _chords(back) == _chords(piece)
    assert (back.key.tonic, back.key.mode) == (piece.key.tonic, piece.key.mode)
    assert str(back.time_signature) == str(piece.time_signature)
    assert back.bars() == piece.bars()
    assert back.style == piece.style
    # encoding the decoded piece gives the same tokens again
    assert tok.encode(back) == ids


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fim_order_decodes_to_the_same_piece(tok, name):
    piece = FIXTURES[name]()
    plain = tok.decode(tok.encode(piece))
    n = piece.n_bars
    for a, b in [(0, 1), (1, n), (0, n), (1, max(2, n - 1))]:
        if not 0 <= a < b <= n:
            continue
        ids = tok.encode(piece, fim=(a, b))
        assert ids.count(tok.fill_id) == ids.count(tok.suffix_id) == ids.count(tok.middle_id) == 1
        back = tok.decode(ids)
        assert _notes(back) == _notes(plain), (a, b)
        assert _chords(back) == _chords(plain), (a, b)


def test_header_tokens(tok):
    names = tok.describe(tok.encode(jig()))
    assert names[:8] == [
        "<bos>",
        "Style_folk",
        "Key_D",
        "Mode_major",
        "Meter_6/8",
        "Tempo_108",
        "Bars_3",
        "Layout_lead",
    ]
    names = tok.describe(tok.encode(chorale()))
    assert "Layout_satb" in names[:8]
    assert {"Voice_S", "Voice_A", "Voice_T", "Voice_B"} <= set(names)
    names = tok.describe(tok.encode(pickup()))
    assert names[8:10] == ["Pickup", "Pos_24"]  # music starts 2 beats into the first (3/4) bar


@pytest.mark.parametrize(("mode", "header"), [("dorian", "Mode_minor"), ("mixolydian", "Mode_major"),
                                               ("aeolian", "Mode_minor"), ("lydian", "Mode_major")])  # fmt: skip
def test_a_tune_in_a_church_mode_is_learned_under_its_familys_header(tok, mode, header):
    """Compose tells a model a mode's family (`score.header_mode`); a tune in the mode is learned
    under the same header, not under a Mode_dorian that no request ever writes."""
    piece = jig()
    piece.keys = [KeySignature(0.0, "E", mode)]
    names = tok.describe(tok.encode(piece))
    assert names[2:4] == ["Key_E", header]


def test_legato_notes_cost_two_tokens(tok):
    names = tok.describe(tok.encode(jig()))
    body = names[names.index("Voice_M") :]
    # version 2 writes the D-major jig in C: D4 F4 -> Pitch_60 Pitch_63; no Pos between touching notes
    assert body[1:5] == ["Pitch_60", "Dur_6", "Pitch_63", "Dur_6"]


def test_version_1_writes_absolute_pitches_and_spelled_roots():
    old = Tokenizer(1)
    names = old.describe(old.encode(jig()))
    body = names[names.index("Voice_M") :]
    assert body[1:5] == ["Pitch_62", "Dur_6", "Pitch_65", "Dur_6"]
    assert Tokenizer.from_dict(old.to_dict()).version == 1


@pytest.mark.parametrize("tonic", ["C", "D", "Eb", "F#", "Ab", "B"])
def test_version_2_is_the_same_in_every_key(tok, tonic):
    """The same tune in two keys gives the same tokens after the header (degrees, functions)."""
    from tunesmith.score import pitch_class_of
    from tunesmith.tokenizer import key_shift, transpose_piece

    base = jig()
    # moved so that its tonic sits where version 2 writes it (C in -5..+6 semitones)
    moved = transpose_piece(base, key_shift(pitch_class_of(tonic)) - key_shift(pitch_class_of("D")))
    a, b = tok.encode(base), tok.encode(moved)
    first_bar = a.index(tok.bar_id)
    assert b[first_bar:] == a[first_bar:]
    back = tok.decode(b)
    assert [n.pitch for n in back.tracks[0].notes] == [n.pitch for n in moved.tracks[0].notes]


def test_version_2_spells_chord_roots_as_degrees_of_the_key():
    from tunesmith.tokenizer import spell_degree

    assert [spell_degree("D", i) for i in (0, 1, 5, 7, 10, 11)] == ["D", "Eb", "G", "A", "C", "C#"]
    assert [spell_degree("Bb", i) for i in (0, 3, 8, 10)] == ["Bb", "Db", "Gb", "Ab"]


def test_window_encoding(tok):
    piece = lead_sheet()
    ids = tok.encode(piece, start_bar=1, end_bar=3)
    back = tok.decode(ids)
    assert back.n_bars == 2
    assert back.chords[0].figure == "Dm7"


COMMON = ["", "m", "7", "maj7", "m7", "dim", "dim7", "m7b5", "aug", "sus4", "sus2", "6", "m6", "9", "add9"]


@pytest.mark.parametrize("quality", COMMON)
@pytest.mark.parametrize("root", ["C", "F#", "Bb", "Eb", "G", "Db", "B"])
def test_common_chord_figures_come_back_exactly(tok, root, quality):
    figure = root + quality
    assert join_figure(*split_figure(figure)) == figure
    piece = _piece("c", "jazz", [Track("M", "melody", notes=[Note(60, 0, 4)])], [(0, figure), (2, figure + "/E")])
    assert _chords(tok.decode(tok.encode(piece))) == [(0.0, figure), (2.0, figure + "/E")]


def test_every_vocabulary_quality_round_trips(tok):
    for q in QUALITIES:
        figure = "A" + q
        assert join_figure(*split_figure(figure)) == figure, q


def test_rare_and_variant_spellings_map_to_the_vocabulary():
    assert split_figure("Cmin7") == ("C", "m7", None)
    assert split_figure("CM7") == ("C", "maj7", None)
    assert split_figure("Cm7b9")[1] == "m7"  # rare: nearest
    assert split_figure("B-7") == ("Bb", "7", None)
    with pytest.raises(ValueError):
        split_figure("N.C.")
    with pytest.raises(ValueError):
        split_figure("Hm7")


def test_durations_quantize_to_the_grid():
    assert quantize_duration(12) == 12
    assert quantize_duration(25) in (24, 26)
    assert quantize_duration(10_000) == 384
    assert quantize_duration(30, max_ticks=29) <= 29


def test_scale_minor_allows_raised_sixth_and_seventh():
    a_minor = scale_pitch_classes(9, "minor")
    assert {6, 8} <= a_minor and 1 not in a_minor
    assert scale_pitch_classes(0, "major") == frozenset({0, 2, 4, 5, 7, 9, 11})


def test_transpose_respells_key_and_chords(tok):
    up = transpose_piece(lead_sheet(), 3)  # C -> Eb
    assert up.key.tonic == "Eb"
    assert [c.figure for c in up.chords][:4] == ["Eb", "Cm7", "Fm7", "Bb7"]
    assert up.tracks[0].notes[0].pitch == 70
    tok.decode(tok.encode(up))


def test_unsupported_meter_is_a_clear_error(tok):
    piece = lead_sheet()
    piece.time_signatures = [TimeSignature(0.0, 11, 16)]
    with pytest.raises(ValueError, match="meter"):
        tok.encode(piece)


def test_lenient_decode_of_garbage(tok):
    piece = tok.decode([5, 900, 17, tok.bar_id, tok.pitch_id(60), tok.pitch_id(61), tok.dur_id(12), 2])
    assert piece.n_bars == 1
    assert [n.pitch for n in piece.tracks[0].notes] == [61]


def test_vocab_serialization(tok):
    assert Tokenizer.from_dict(tok.to_dict()).vocab == tok.vocab
    bad = tok.to_dict() | {"vocab": tok.vocab[:-1]}
    with pytest.raises(ValueError, match="vocabulary"):
        Tokenizer.from_dict(bad)
