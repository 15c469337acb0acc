"""MIDI files as DAWs and keyboards export them, read and co-created: a type-0 file's channels, tracks
named "Inst 1" / "Inst 2", a melody on channel 10, a note never released, SMPTE timing, a keys
track's sustain pedal, a keyboard take's last chord let go after the bar line, a ritardando at the
end. Each fixture is a tiny file written with mido."""

from __future__ import annotations

import mido
import pytest

import tunesmith as ts
from tunesmith.inputs import InputError, read_file

TPQ = 480
# 4 bars of 4/4 in C: quarter notes, the last a whole note
TUNE = [64, 67, 72, 71, 69, 72, 76, 74, 77, 76, 74, 72, 72]
CHORDS = [[48, 52, 55], [45, 48, 52], [41, 45, 48], [43, 47, 50]]


def _track(events: list[tuple[int, mido.Message]], name: str | None = None) -> mido.MidiTrack:
    """A track from (absolute tick, message) pairs, note-offs first at one tick."""
    track = mido.MidiTrack()
    if name is not None:
        track.append(mido.MetaMessage("track_name", name=name, time=0))
    last = 0
    ends_first = sorted(events, key=lambda e: (e[0], 0 if e[1].is_meta else 1 if e[1].type == "note_off" else 2))
    for tick, msg in ends_first:
        track.append(msg.copy(time=tick - last))
        last = tick
    track.append(mido.MetaMessage("end_of_track", time=0))
    return track


def _tune(channel: int = 0, *, jitter: list[int] | None = None, last_release: int = 0) -> list[tuple[int, mido.Message]]:
    """TUNE as note events: quarters, then a whole note (released `last_release` ticks late);
    `jitter`: ticks each onset is played early or late (a keyboard take)."""
    events = []
    for i, pitch in enumerate(TUNE):
        on = i * TPQ + (jitter[i % len(jitter)] if jitter and i else 0)
        off = (i + 1) * TPQ - 10 if i < len(TUNE) - 1 else 16 * TPQ + last_release
        events += [(on, mido.Message("note_on", channel=channel, note=pitch, velocity=90)),
                   (off, mido.Message("note_off", channel=channel, note=pitch))]  # fmt: skip
    return events


def _chords(channel: int) -> list[tuple[int, mido.Message]]:
    events = []
    for bar, chord in enumerate(CHORDS):
        for pitch in chord:
            events += [(bar * 4 * TPQ, mido.Message("note_on", channel=channel, note=pitch, velocity=70)),
                       ((bar + 1) * 4 * TPQ - 20, mido.Message("note_off", channel=channel, note=pitch))]  # fmt: skip
    return events


def _meta(qpm: float = 100) -> list[tuple[int, mido.MetaMessage]]:
    return [(0, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(qpm))),
            (0, mido.MetaMessage("time_signature", numerator=4, denominator=4))]  # fmt: skip


def _save(path, *tracks: mido.MidiTrack, kind: int = 1):
    mf = mido.MidiFile(type=kind, ticks_per_beat=TPQ)
    mf.tracks.extend(tracks)
    mf.save(path)
    return path


# ------------------------------------------------------------------------------ reading
def test_a_type_0_files_channels_are_named_by_their_instruments(tmp_path):
    """A type-0 file holds every channel in one track named for the song: its parts had all been
    called "Song" in the score and the take's MIDI."""
    events = [*_meta(), (0, mido.Message("program_change", channel=0, program=73)),
              (0, mido.Message("program_change", channel=1, program=33)), *_tune(0), *_chords(2)]  # fmt: skip
    events += [(b * TPQ, mido.Message("note_on", channel=1, note=36, velocity=90)) for b in range(0, 16, 4)]
    events += [(b * TPQ + 900, mido.Message("note_off", channel=1, note=36)) for b in range(0, 16, 4)]
    events += [(b * TPQ, mido.Message("note_on", channel=9, note=36, velocity=100)) for b in range(16)]
    events += [(b * TPQ + 60, mido.Message("note_off", channel=9, note=36)) for b in range(16)]
    piece = read_file(_save(tmp_path / "song.mid", _track(events, "Song"), kind=0))[0]
    assert [(t.name, t.role) for t in piece.tracks] == [("Flute", "melody"), ("Bass", "bass"),
                                                        ("Piano", "accompaniment"), ("Drums", "other")]  # fmt: skip


def test_tracks_named_inst_1_and_2_take_the_single_line_as_the_melody(tmp_path):
    """Chords recorded first ("Inst 1"), the melody second ("Inst 2"): the chords had been read as
    the melody (continued as one) and the melody as chord symbols."""
    path = _save(tmp_path / "song.mid", _track(_meta()), _track(_chords(0), "Inst 1"), _track(_tune(1), "Inst 2"))
    piece = read_file(path)[0]
    assert piece.melody().name == "Inst 2"
    assert piece.track("accompaniment").name == "Inst 1"
    take = ts.continue_(path, bars=2, seed=1)
    assert [n.pitch for n in take.piece.track("melody").notes][: len(TUNE)] == TUNE
    assert ("no track is named as the melody: it is read from 'Inst 2', the highest single line ('Inst 1', the first "
            "track, plays chords); name a track Melody or Lead to choose") in take.provenance["notes"]  # fmt: skip
    # a first track that is itself a line stays the melody
    path = _save(tmp_path / "lines.mid", _track(_meta()), _track(_tune(0), "Inst 1"), _track(_chords(1), "Inst 2"))
    assert read_file(path)[0].melody().name == "Inst 1"


def test_a_file_timed_in_smpte_frames_is_one_line_that_says_so(tmp_path):
    path = _save(tmp_path / "film.mid", _track([*_meta(), *_tune()], "Melody"))
    data = bytearray(path.read_bytes())
    data[12:14] = bytes([0xE7, 0x28])  # -25 frames a second, 40 ticks a frame
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"film\.mid: its times are in SMPTE frames \(25 a second\), not beats"):
        read_file(path)


def test_sustain_pedal_and_pitch_bends_are_said_to_be_left_out(tmp_path):
    """The take's MIDI has no controllers: a keys track's pedal and a lead's bends had gone
    without a word."""
    keys = _chords(1) + [(b * 4 * TPQ + 5, mido.Message("control_change", channel=1, control=64, value=127))
                         for b in range(4)] + [((b + 1) * 4 * TPQ - 30, mido.Message("control_change", channel=1,
                                                                                      control=64, value=0))
                                               for b in range(4)]  # fmt: skip
    lead = _tune(0) + [(TPQ + 10 * k, mido.Message("pitchwheel", channel=0, pitch=400 * k)) for k in range(1, 4)]
    lead += [(2 * TPQ, mido.Message("pitchwheel", channel=0, pitch=0))]
    path = _save(tmp_path / "band.mid", _track(_meta()), _track(lead, "Lead"), _track(keys, "Keys"))
    assert read_file(path)[0].meta["left_out"] == {"sustain pedal press(es)": 4, "pitch-bend event(s)": 3}
    take = ts.continue_(path, bars=2, seed=1)
    assert ("not in the take (tunesmith does not read them): the input's 4 sustain pedal press(es), "
            "3 pitch-bend event(s)") in take.provenance["notes"]  # fmt: skip


# ------------------------------------------------------------------------------ co-creating
def test_a_melody_on_channel_10_is_named_not_called_empty(tmp_path):
    path = _save(tmp_path / "oops.mid", _track(_meta()), _track(_tune(9), "Melody"))
    with pytest.raises(ValueError, match=r"oops\.mid: no melody: its only notes \(13, track 'Melody'\) are on MIDI "
                                         r"channel 10, which General MIDI keeps for drums"):  # fmt: skip
        ts.harmonize(path, seed=1)


def test_a_note_never_released_is_said_with_its_bar(tmp_path):
    """The reader leaves out a note-on that no note-off ends: the tune's last note had vanished."""
    events = [e for e in _tune() if not (e[1].type == "note_off" and e[1].note == 72 and e[0] >= 16 * TPQ)]
    path = _save(tmp_path / "stuck.mid", _track([*_meta(), *events], "Melody"))
    with pytest.raises(ValueError, match=r"stuck\.mid: a note is never released \(C5 in bar 4\): a note-on with no "
                                         r"note-off"):  # fmt: skip
        ts.continue_(path, bars=2, seed=1)


def test_a_last_chord_let_go_after_the_bar_line_adds_no_bar(tmp_path):
    """A keyboard take of 4 bars whose last note sounds 40 ticks past the bar line had read as 5
    bars: continue began its new music in the 5th after a rest, harmonize added a bar."""
    jitter = [12, -9, 15, -14, 6, -11]
    path = _save(tmp_path / "take.mid", _track([*_meta(), *_tune(jitter=jitter, last_release=40)], "Piano"))
    assert ts.harmonize(path, seed=1).piece.n_bars == 4
    for seed in (2, 3):
        take = ts.continue_(path, bars=2, seed=seed)
        assert take.piece.n_bars == 6
        new = [n for n in take.piece.melody().notes if n.onset >= 16.0]
        assert new and new[0].onset == pytest.approx(16.0)  # the first new bar starts on its downbeat


def test_continue_after_a_ritardando_goes_on_a_tempo(tmp_path):
    """A rit written as tempo events to 50 bpm had set the tempo of every new bar."""
    meta = _meta(120) + [(12 * TPQ + k * TPQ // 2, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(110 - 10 * k)))
                         for k in range(7)]  # fmt: skip
    path = _save(tmp_path / "rit.mid", _track(meta), _track(_tune(), "Melody"))
    take = ts.continue_(path, bars=2, seed=1)
    assert take.piece.tempos[-1].onset == 16.0 and take.piece.tempos[-1].qpm == pytest.approx(120.0)
    assert "the given music ends at 50 bpm (a ritardando): the new bars go on a tempo at 120 bpm from bar 5" in \
        take.provenance["notes"]  # fmt: skip


def test_a_bands_other_tracks_and_drums_are_said(tmp_path):
    """Bass, keys and drums stop where the given music ends, and the drums have no staff: said."""
    drums = [(b * TPQ, mido.Message("note_on", channel=9, note=36, velocity=100)) for b in range(16)]
    drums += [(b * TPQ + 60, mido.Message("note_off", channel=9, note=36)) for b in range(16)]
    path = _save(tmp_path / "band.mid", _track(_meta()), _track(_tune(0), "Lead"), _track(_chords(1), "Keys"),
                 _track(drums, "Drums"))  # fmt: skip
    notes = ts.continue_(path, bars=2, seed=1).provenance["notes"]
    assert ("the Keys, Drums track(s) stop where the given music ends: continue writes the melody and chord "
            "symbols (the chord track plays them)") in notes  # fmt: skip
    assert "the Drums track (MIDI channel 10) plays in the MIDI and audio but has no staff in the score" in notes


def test_a_daws_default_c_major_signature_over_a_d_minor_melody_is_not_believed(tmp_path):
    """GarageBand and Logic write their project's key (C major unless set): a D-minor melody under it
    had been harmonized in C major (F, Bbm, C7 for Dm, Gm, A7)."""
    d_minor = [62, 65, 69, 67, 65, 64, 62, 62, 70, 69, 67, 65, 61, 64, 69, 70, 69, 65, 62]
    events = []
    for i, pitch in enumerate(d_minor):
        events += [(i * TPQ, mido.Message("note_on", note=pitch, velocity=80)),
                   ((i + 1) * TPQ, mido.Message("note_off", note=pitch))]  # fmt: skip
    key_c = [(0, mido.MetaMessage("key_signature", key="C"))]
    path = _save(tmp_path / "dm.mid", _track([*_meta(), *key_c]), _track(events, "Melody"))
    take = ts.harmonize(path, seed=1)
    assert (take.piece.key.tonic, take.piece.key.mode) == ("D", "minor")
    assert ("the file's key signature says C major (a DAW's default?), but 16% of the melody lies outside that "
            "scale: read in D minor (--key C keeps C major)") in take.provenance["notes"]  # fmt: skip
    assert ts.harmonize(path, key="C", seed=1).piece.key.tonic == "C"  # the musician's word wins
    # a C-major tune under its C-major signature is read in C major, and nothing is said
    tune = _save(tmp_path / "c.mid", _track([*_meta(), *key_c]), _track(_tune(), "Melody"))
    take = ts.harmonize(tune, seed=1)
    assert take.piece.key.tonic == "C" and not any("key signature" in n for n in take.provenance.get("notes", []))


def test_a_piano_part_co_created_stays_a_piano(tmp_path):
    """A keyboard take (program 0, the General MIDI piano) continued, harmonized or inpainted plays
    on the piano: 0 had been read as "no program", and the musician's piano part came back played
    on a violin (folk's melody instrument). A chorale setting is sung, its soprano too."""
    path = tmp_path / "piano.mid"
    _save(path, _track(_meta(), "tempo"),
          _track([(0, mido.Message("program_change", channel=0, program=0)), *_tune(0)], "Grand Piano"))  # fmt: skip
    for take in (ts.continue_(path, bars=4, style="folk", seed=1), ts.harmonize(path, style="folk", seed=1),
                 ts.inpaint(path, bars="2-3", style="folk", seed=1)):  # fmt: skip
        assert [(t.name, t.program) for t in take.piece.tracks if t.notes] == [("Grand Piano", 0)]
    # a chorale setting is sung: its soprano, the given melody, with the voices tunesmith writes
    voices = ts.harmonize(path, style="chorale", seed=1)
    assert {t.role: t.program for t in voices.piece.tracks if t.notes} == dict.fromkeys(("soprano", "alto", "tenor", "bass"), 52)


def _comp_onsets(path) -> list[int]:
    """The comping's note onsets (ticks): the chord track's and its bass track's."""
    from tunesmith.convert.common import COMP_TRACK_NAMES

    onsets = []
    for comp in mido.MidiFile(path).tracks:
        if not any(m.type == "track_name" and m.name in COMP_TRACK_NAMES for m in comp):
            continue
        ticks = 0
        for m in comp:
            ticks += m.time
            if m.type == "note_on" and m.velocity:
                onsets.append(ticks)
    return onsets


def test_the_chord_track_comps_only_the_new_bars_over_the_musicians_own_keys(tmp_path):
    """A lead over the musician's keys, continued: the chord symbols of the given bars were read from
    the keys, and the comping chord track had played them again, doubling the keys. It now comps
    the new bars only; a lead sheet without accompaniment is comped throughout."""
    from tunesmith.outputs.midi import write_midi

    band = _save(tmp_path / "band.mid", _track(_meta(), "tempo"), _track(_tune(0), "Lead"), _track(_chords(1), "Keys"))
    take = ts.continue_(band, bars=4, style="folk", seed=1)
    assert min(c.onset for c in take.piece.chords) == 0.0  # read from the keys
    write_midi(take.piece, tmp_path / "band_take.mid")
    assert min(_comp_onsets(tmp_path / "band_take.mid")) == 16 * TPQ
    sheet = ts.compose("folk", bars=8, seed=2, check=False)  # a lead sheet: chord symbols, no accompaniment
    write_midi(sheet.piece, tmp_path / "sheet.mid")
    write_midi(ts.continue_(tmp_path / "sheet.mid", bars=4, seed=1).piece, tmp_path / "sheet_take.mid")
    assert min(_comp_onsets(tmp_path / "sheet_take.mid")) < 4 * TPQ


def test_a_keyboard_takes_left_hand_is_said_to_stop(tmp_path):
    """One piano track, the tune over left-hand chords, continued: the new bars are one line (over
    chord symbols where there are any). That is said; it had been said only of a band's other
    tracks."""
    piano = _save(tmp_path / "piano.mid", _track(_meta(), "tempo"), _track([*_tune(0), *_chords(0)], "Piano"))
    take = ts.continue_(piano, bars=4, style="folk", seed=1)
    assert "the chords played in the Piano track stop where the given music ends: the new bars are one line" in take.remarks
    take = ts.continue_(piano, bars=4, style="folk", seed=1, chords="C F G C")
    assert ("the chords played in the Piano track stop where the given music ends: the new bars are one line over "
            "chord symbols (the chord track plays them)") in take.remarks  # fmt: skip


def test_a_melody_doubled_in_octaves_keeps_the_new_bars_to_its_top_line(tmp_path):
    """A lead doubled an octave above (two notes at every onset): the new bars' range is the top
    line's, as the tokenizer reads the melody, widened by a minor third; it had spanned both
    octaves, and the new bars wandered from E4 to D6."""
    from tunesmith.cocreate.verbs import _lead_range

    doubled = _save(tmp_path / "octaves.mid", _track(_meta(), "tempo"),
                    _track([*_tune(0), *((t, m.copy(note=m.note + 12)) for t, m in _tune(0))], "Lead"))  # fmt: skip
    melody = read_file(doubled)[0].melody()
    assert _lead_range(melody.notes, None) == (min(TUNE) + 12 - 3, max(TUNE) + 12 + 3)
    take = ts.continue_(doubled, bars=4, style="folk", seed=1)
    new = [n.pitch for n in take.piece.tracks[0].notes if n.onset >= 16]
    assert min(TUNE) + 12 - 3 <= min(new) and max(new) <= max(TUNE) + 12 + 3
    assert not any("chords played" in r for r in take.remarks)  # octaves are no chords


def test_the_model_is_told_the_tempo_that_holds_longest(tmp_path):
    """A slow first bar (60 bpm) before the song goes on at 132: the model had been told 60."""
    from tunesmith.cocreate.verbs import held_tempo

    meta = _meta(60) + [(4 * TPQ, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(132)))]
    path = _save(tmp_path / "intro.mid", _track(meta), _track(_tune(), "Melody"))
    piece = read_file(path)[0]
    assert piece.tempo == pytest.approx(60.0) and held_tempo(piece) == pytest.approx(132.0, rel=1e-3)
    take = ts.continue_(path, bars=2, seed=1)
    # told the folk tempo nearest 132, not the one nearest 60
    from tunesmith.sampling.decode import header_tempo, style_decoding

    decoding = style_decoding(ts.load_model("default").model, "folk")
    assert take.provenance["request"]["resolved"]["header_tempo"] == header_tempo(132.0, decoding) != header_tempo(60.0, decoding)
    assert [round(t.qpm) for t in take.piece.tempos][:2] == [60, 132]  # the take keeps the piece's own


def test_harmonize_over_the_musicians_own_accompaniment(tmp_path):
    """A lead over a Keys part playing C Am F G: the harmonizer's chords had been written and comped
    over it without a word. Now the take's MIDI has no chord track against the Keys, a note says how
    often the symbols name the Keys' roots, and --chords-from accompaniment names the Keys' chords."""
    import symusic

    path = _save(tmp_path / "band.mid", _track(_meta()), _track(_tune(0), "Lead"), _track(_chords(1), "Keys"))
    take = ts.harmonize(path, seed=1)
    note = next(n for n in take.provenance["notes"] if n.startswith("your Keys track plays chords of its own"))
    assert " beats, and the take's audio plays your Keys, not the symbols" in note
    assert [t.name for t in symusic.Score.from_midi(take.midi_bytes()).tracks if t.notes] == ["Lead", "Keys"]
    named = ts.harmonize(path, seed=1, chords_from="accompaniment")
    assert [c.figure for c in named.piece.chords] == ["C", "Am", "F", "G"]
    assert "the chord symbols name the chords your Keys track plays" in named.provenance["notes"]
    alone = _save(tmp_path / "lead.mid", _track(_meta()), _track(_tune(0), "Lead"))
    with pytest.raises(ValueError, match=r"lead\.mid: no track besides the melody plays chords to read them from"):
        ts.harmonize(alone, chords_from="accompaniment")
    assert not any(n.startswith("your") for n in ts.harmonize(alone, seed=1).provenance.get("notes", []))


def test_a_bass_line_is_no_accompaniment_that_plays_chords(tmp_path):
    # a lead over a bass line alone: the chord track still plays the symbols, and nothing says otherwise
    import symusic

    bass = []
    for bar, root in enumerate([36, 33, 29, 31]):
        bass += [(bar * 4 * TPQ, mido.Message("note_on", channel=1, note=root, velocity=70)),
                 ((bar + 1) * 4 * TPQ - 20, mido.Message("note_off", channel=1, note=root))]  # fmt: skip
    path = _save(tmp_path / "bass.mid", _track(_meta()), _track(_tune(0), "Lead"), _track(bass, "Bass"))
    take = ts.harmonize(path, seed=1)
    assert not any(n.startswith("your Bass") for n in take.provenance.get("notes", []))
    # with a chord track and its bass
    assert [t.name for t in symusic.Score.from_midi(take.midi_bytes()).tracks if t.notes] == [
        "Lead", "Bass", "tunesmith chord symbols", "tunesmith bass"]


def test_a_played_part_ending_just_before_its_bar_line_is_written_to_it(tmp_path):
    """A keyboard take whose last note is let go 15 ticks before the bar line (the file ending
    there) had its harmonized score's last bar written 3 31/32 beats long, the note a half tied to a
    quarter tied to a quadruple-dotted eighth (a songwriter's vocal idea). Its score's last bar is
    whole now, the MIDI as played."""
    import music21

    jitter = [12, -9, 15, -14, 6, -11]
    path = _save(tmp_path / "take.mid", _track([*_meta(), *_tune(jitter=jitter, last_release=-15)], "Piano"))
    take = ts.harmonize(path, seed=1)
    take.write(tmp_path / "h", audio=False, svg=False)
    score = music21.converter.parse(tmp_path / "h.musicxml")
    last = score.parts[0].getElementsByClass("Measure")[-1]
    lengths = [float(n.quarterLength) for n in last.recurse().notesAndRests if n.quarterLength]
    assert sum(lengths) == pytest.approx(4.0) and all(x * 4 == int(x * 4) for x in lengths), lengths
