"""Playback by style (issue 11): a lead sheet's melody plays on the style's instrument and its
chord track comps in the style's pattern (folk boom-chick, jazz shells on 2 and 4, pop broken
chords), every comping note a tone of the chord sounding; chorales sing; a musician's own
program is kept; the MusicXML keeps chord symbols only."""

from __future__ import annotations

import io

import mido
import pytest

from tunesmith.convert import BASS_TRACK_NAME, CHORD_TRACK_NAME
from tunesmith.harmony import chord_pitch_classes, parse_chord
from tunesmith.outputs.midi import midi_bytes
from tunesmith.performance import BASS_PROGRAMS, STYLE_PROGRAMS, orchestrate
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

FIGURES = ("Dm7", "G7", "Cmaj7", "Am/E", "F6", "Bb", "E7sus4", "C")


def lead_sheet(style: str, meter: tuple[int, int] = (4, 4), program: int = 0, bars: int = 8,
               half_bar_chords: bool = False) -> Piece:
    ts = TimeSignature(0.0, *meter)
    bar = ts.bar_length
    melody = [Note(67 + (0, 2, 4, 2)[i % 4], i * 0.5, 0.5) for i in range(int(bars * bar / 0.5))]
    chords = []
    for b in range(bars):
        if half_bar_chords:
            chords += [ChordSymbol(b * bar, FIGURES[(2 * b) % 8], bar / 2),
                       ChordSymbol(b * bar + bar / 2, FIGURES[(2 * b + 1) % 8], bar / 2)]
        else:
            chords.append(ChordSymbol(b * bar, FIGURES[b % 8], bar))
    piece = Piece(piece_id="t", work_id="t", title="T", style=style,
                  tracks=[Track("Melody", "melody", program=program, notes=melody)], chords=chords,
                  keys=[KeySignature(0.0, "C")], time_signatures=[ts], tempos=[Tempo(0.0, 120.0)])
    return orchestrate(piece)  # as compose and co-create do to a take


def _tracks(piece: Piece) -> dict[str, tuple[set[int], list[tuple[float, int, float]]]]:
    """{track name: (programs, [(onset in quarters, pitch, duration in quarters)])} of the MIDI."""
    mid = mido.MidiFile(file=io.BytesIO(midi_bytes(piece)))
    tpq = mid.ticks_per_beat
    out = {}
    for tr in mid.tracks:
        now, on, notes = 0, {}, []
        for m in tr:
            now += m.time
            if m.type == "note_on" and m.velocity > 0:
                on[m.note] = now
            elif m.type in ("note_off", "note_on") and m.note in on:
                start = on.pop(m.note)
                notes.append((start / tpq, m.note, (now - start) / tpq))
        out[tr.name] = ({m.program for m in tr if m.type == "program_change"}, sorted(notes))
    return out


def _comping(piece: Piece) -> list[tuple[float, int, float]]:
    """The comping's notes: the chord track's and its bass track's together."""
    tracks = _tracks(piece)
    return sorted(tracks[CHORD_TRACK_NAME][1] + tracks.get(BASS_TRACK_NAME, (set(), []))[1])


def _chord_at(piece: Piece, t: float) -> ChordSymbol:
    return [c for c in piece.chords if c.onset <= t + 1e-6][-1]


def _check_chord_tones(piece: Piece, notes) -> None:
    for onset, pitch, dur in notes:
        c = _chord_at(piece, onset)
        allowed = set(chord_pitch_classes(c.figure))
        _, _, slash = parse_chord(c.figure)
        if slash is not None:
            allowed.add(slash)
        assert pitch % 12 in allowed, f"{pitch} at {onset} is not a tone of {c.figure}"
        assert onset + dur <= c.onset + c.duration + 1e-6, f"{pitch} at {onset} outlasts {c.figure}"


@pytest.mark.parametrize("style", ["folk", "jazz", "pop"])
@pytest.mark.parametrize("meter", [(4, 4), (3, 4), (6, 8), (2, 2)])
def test_lead_sheet_programs_and_comping_are_chord_tones(style, meter):
    piece = lead_sheet(style, meter)
    tracks = _tracks(piece)
    melody_program, chord_program = STYLE_PROGRAMS[style]
    assert tracks["Melody"][0] == {melody_program}
    programs, chord_notes = tracks[CHORD_TRACK_NAME]
    assert programs == {chord_program}
    # the bass on a track of its own (a DAW gives it a bass), on the style's bass program, below the chords
    bass_programs, bass = tracks[BASS_TRACK_NAME]
    assert bass_programs == {BASS_PROGRAMS[style]}
    assert bass and max(p for _, p, _ in bass) < min(p for _, p, _ in chord_notes)
    assert all(len({p for o2, p, _ in bass if o2 == o}) == 1 for o, _, _ in bass)  # one bass note at a time
    comp = _comping(piece)
    _check_chord_tones(piece, comp)
    # every chord is heard, its first note at its onset
    onsets = {round(o, 6) for o, _, _ in comp}
    assert all(round(c.onset, 6) in onsets for c in piece.chords)
    # not block chords on one beat: more onsets than chords
    assert len(onsets) > len(piece.chords)


def test_folk_boom_chick_in_4_4():
    piece = lead_sheet("folk", (4, 4))
    comp = _comping(piece)
    bar = [(o, p) for o, p, _ in comp if o < 4.0]  # Dm7
    assert [p for o, p in bar if o == 0.0] == [38]  # the root alone in the bass on beat 1
    assert [p for o, p in bar if o == 2.0] == [45]  # the fifth on beat 3
    assert len([p for o, p in bar if o == 1.0]) >= 3 and len([p for o, p in bar if o == 3.0]) >= 3  # strums


def test_folk_jig_bass_then_chord_on_the_off_eighth():
    piece = lead_sheet("folk", (6, 8))
    comp = _comping(piece)
    bar = sorted({o for o, _, _ in comp if o < 3.0})
    assert bar == [0.0, 1.0, 1.5, 2.5]  # boom . chick boom . chick (dotted-quarter beats)
    assert [p for o, p, _ in comp if o == 0.0] == [38]
    # the second beat's boom is the bass's fifth, alone (a fiddler had heard a chord struck there
    # with no bass under it)
    assert [p for o, p, _ in comp if o == 1.5] == [45]
    assert len([p for o, p, _ in comp if o in (1.0, 2.5)]) >= 6  # the chicks: chords


def test_jazz_shells_on_2_and_4():
    piece = lead_sheet("jazz", (4, 4))
    comp = _comping(piece)
    g7 = [(o, p) for o, p, _ in comp if 4.0 <= o < 8.0]
    assert sorted({o for o, _ in g7}) == [4.0, 5.0, 6.0, 7.0]
    assert sorted(p % 12 for o, p in g7 if o == 5.0) == [5, 11]  # G7's third (B) and seventh (F)
    assert [p for o, p in g7 if o == 4.0] == [43]  # G in the bass on 1


def test_chords_changing_mid_bar_are_each_struck():
    for style in ("folk", "jazz", "pop"):
        piece = lead_sheet(style, (4, 4), half_bar_chords=True)
        comp = _comping(piece)
        _check_chord_tones(piece, comp)
        onsets = {round(o, 6) for o, _, _ in comp}
        assert all(round(c.onset, 6) in onsets for c in piece.chords)


def test_musicians_program_is_kept_and_chorales_sing():
    assert _tracks(lead_sheet("folk", program=73))["Melody"][0] == {73}
    voices = [Track(name, role, notes=[Note(p, 0.0, 4.0)]) for name, role, p in
              (("Soprano", "soprano", 72), ("Alto", "alto", 67), ("Tenor", "tenor", 64), ("Bass", "bass", 48))]
    chorale = orchestrate(Piece(piece_id="c", work_id="c", style="chorale", tracks=voices,
                                keys=[KeySignature(0.0, "C")], time_signatures=[TimeSignature(0.0, 4, 4)],
                                tempos=[Tempo(0.0, 72.0)]))
    assert all(progs == {52} for progs, _ in _tracks(chorale).values())


def test_musicxml_keeps_chord_symbols_only(tmp_path):
    from tunesmith.outputs.musicxml import musicxml_bytes

    data = musicxml_bytes(lead_sheet("jazz"))
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    assert text.count("<score-part ") == 1  # the melody; no comping part
    assert text.count("<harmony") == 8


def test_a_composed_take_plays_on_its_styles_instruments(tmp_path):
    import tunesmith as ts

    take = ts.compose(style="jazz", chords="Dm7 G7 Cmaj7 Cmaj7", bars=4, seed=1, check=False)
    tracks = _tracks(take.piece)
    assert tracks["Melody"][0] == {STYLE_PROGRAMS["jazz"][0]}
    assert tracks[CHORD_TRACK_NAME][0] == {STYLE_PROGRAMS["jazz"][1]}
    _check_chord_tones(take.piece, tracks[CHORD_TRACK_NAME][1])
    # the MIDI file read back keeps the melody's instrument; the comping track is not read
    take.write(tmp_path / "t.mid")
    back = ts.read(tmp_path / "t.mid")
    assert [t.program for t in back.tracks] == [STYLE_PROGRAMS["jazz"][0]]


def test_a_piece_read_and_written_keeps_its_programs():
    piece = lead_sheet("pop")
    piece.tracks[0].program = 0  # as read from an ABC or MusicXML file: not orchestrated
    assert _tracks(piece)["Melody"][0] == {0}


@pytest.mark.parametrize("style", ["folk", "jazz", "pop"])
def test_every_chord_change_has_its_bass(style):
    """A chord that changes inside the bar, on a hit of the chords, is struck with its bass (a slash
    chord's named bass): a songwriter's "C F" bar had no F in the bass, and G/B none of its B, the
    bass playing only on beat 1."""
    ts_ = TimeSignature(0.0, 4, 4)
    melody = [Note(67, i * 1.0, 1.0) for i in range(8)]
    chords = [ChordSymbol(0.0, "C", 1.0), ChordSymbol(1.0, "G/B", 1.0), ChordSymbol(2.0, "Am7", 1.0),
              ChordSymbol(3.0, "Fmaj7", 1.0), ChordSymbol(4.0, "C", 2.0), ChordSymbol(6.0, "F", 2.0)]  # fmt: skip
    piece = orchestrate(Piece(piece_id="t", work_id="t", title="T", style=style,
                              tracks=[Track("Melody", "melody", notes=melody)], chords=chords,
                              keys=[KeySignature(0.0, "C")], time_signatures=[ts_], tempos=[Tempo(0.0, 120.0)]))  # fmt: skip
    bass = _tracks(piece)[BASS_TRACK_NAME][1]
    for c in chords:
        under = [p for o, p, _ in bass if abs(o - c.onset) < 1e-6]
        root, _, slash = parse_chord(c.figure)
        assert under and under[0] % 12 == (slash if slash is not None else root), (c.figure, under)
