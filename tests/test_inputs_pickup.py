"""A pickup given by the musician (`--pickup`), and the note when a MIDI file's notes sit off the bar
lines it implies (`tunesmith.inputs.pickup`)."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import mido
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_cocreate import jig_with_pickup, lead_sheet  # noqa: E402
from tunesmith.inputs.pickup import pickup_hint, with_pickup  # noqa: E402
from tunesmith.score import Note, TimeSignature  # noqa: E402


def air_with_pickup(bars: int = 8):
    """A 6/8 air in G with an eighth-note pickup: each bar a dotted quarter on the downbeat and
    three eighths; the last bar, short by the pickup, a dotted quarter and a quarter."""
    piece = jig_with_pickup(bars)
    notes, t = [Note(62, 0.0, 0.5)], 0.5
    for b in range(bars - 1):
        for p, d in ((67 + 2 * (b % 3), 1.5), (69, 0.5), (71, 0.5), (69, 0.5)):
            notes.append(Note(p, t, d))
            t += d
    for p, d in ((71, 1.5), (67, 1.0)):
        notes.append(Note(p, t, d))
        t += d
    piece.tracks[0].notes = notes
    return piece


def bare(piece):
    """The piece as a MIDI file without bar lines of its own reads: no `bar_onsets`."""
    out = copy.copy(piece)
    out.bar_onsets = []
    return out


def test_with_pickup_sets_the_bar_lines_and_refuses_what_is_no_pickup():
    jig = bare(jig_with_pickup(6))
    assert jig.pickup_beats() == 0.0
    fixed = with_pickup(jig, 0.5)
    assert fixed.pickup_beats() == 0.5 and fixed.bars()[:3] == [0.0, 0.5, 3.5]
    assert jig.bar_onsets == []  # a copy: the piece read stays as it was
    assert with_pickup(fixed, 0).pickup_beats() == 0.0  # 0: the bars start on the first note
    with pytest.raises(ValueError, match=r"jig.musicxml: pickup 3 beats must be at least 0 and shorter than one bar of 6/8 \(3 quarter-note beats\)"):
        with_pickup(jig, 3.0)
    with pytest.raises(ValueError, match="pickup -1 beats must be at least 0"):
        with_pickup(jig, -1)
    changing = bare(jig_with_pickup(6))
    changing.time_signatures = [TimeSignature(0.0, 6, 8), TimeSignature(6.0, 9, 8)]
    with pytest.raises(ValueError, match="only for a piece in one meter"):
        with_pickup(changing, 0.5)


def test_pickup_hint_speaks_for_shifted_notes_only():
    assert pickup_hint(bare(air_with_pickup(8))) == 0.5  # an eighth-note pickup, bars read an eighth early
    assert pickup_hint(air_with_pickup(8)) is None  # the file says where its bars are
    assert pickup_hint(bare(lead_sheet(12))) is None  # starts on the downbeat
    assert pickup_hint(bare(lead_sheet(12, (6, 8)))) is None


def test_pickup_hint_speaks_for_a_waltz_whose_bars_read_a_beat_early():
    """A 3/4 waltz with a one-beat pickup, written without padding: read from tick 0, its half notes
    all stand on beat 2 and its last note too, on a beat but not the downbeat. The hint had kept
    silent (a first-day user's waltz): a tune's last note stands on the downbeat (or a bar's
    middle), and the shift puts it there. On the valid split's folk tunes with a known pickup the
    hint now names it for 399 of 759 (220 before), false hints 10 of 337 (8)
    (scripts/pickup_hint_report.py)."""
    waltz = air_with_pickup(8)
    notes, t = [Note(62, 0.0, 1.0)], 1.0
    for b in range(7):
        for p, d in ((67 + 2 * (b % 3), 2.0), (71, 1.0)):
            notes.append(Note(p, t, d))
            t += d
    notes.append(Note(67, t, 2.0))
    waltz.tracks[0].notes = notes
    waltz.time_signatures = [TimeSignature(0.0, 3, 4)]
    waltz.end = t + 2.0
    assert pickup_hint(bare(waltz)) == 1.0


def old_hundredth(bars: int = 8):
    """Old Hundredth as a hymnal writes it in quarter notes: a one-beat pickup, every bar four
    quarters (a fermata note among them), the last bar full with its half-note close, so the tune
    ends a beat past a bar line when read from its first note."""
    piece = air_with_pickup(8)
    tune = "G | G F E D | G A B B | B B A G | c B A G | A B A G | E F G d | B G A c | B A G2"
    steps = {"G": 67, "A": 69, "B": 71, "c": 72, "d": 74, "D": 62, "E": 64, "F": 66}
    notes, t = [], 0.0
    for word in tune.replace("|", " ").split():
        d = 2.0 if word.endswith("2") else 1.0
        notes.append(Note(steps[word[0]], t, d))
        t += d
    piece.tracks[0].notes = notes
    piece.time_signatures = [TimeSignature(0.0, 4, 4)]
    piece.chords = []
    piece.end = t
    return piece


def test_pickup_hint_speaks_for_a_hymn_tune_that_ends_a_beat_past_a_bar_line():
    """A hymn tune in even quarters gives `metric_fit` nothing to find: read a beat early, its notes
    still stand on beats. Its end does: read from the first note it ends a beat past a bar line, and
    its last note (the half-note tonic) on beat 4, not on a strong beat. A choir director's Old
    Hundredth, from a MIDI file, had been harmonized a beat late without a word (session 53)."""
    import tunesmith.inputs.pickup as pickup

    tune = bare(old_hundredth())
    assert pickup_hint(tune) == 1.0
    assert pickup_hint(with_pickup(tune, 1.0)) is None  # the bars as the hymnal has them
    pickup.PICKUP_FROM_THE_END = False
    try:
        assert pickup_hint(tune) is None  # the notes alone said nothing
    finally:
        pickup.PICKUP_FROM_THE_END = True
    shortened = bare(old_hundredth())
    shortened.tracks[0].notes[-1].duration = 1.0  # a last bar short by the pickup: no cue in the length
    shortened.end = 32.0
    assert pickup_hint(shortened) is None
    from_the_downbeat = bare(old_hundredth())
    from_the_downbeat.tracks[0].notes = from_the_downbeat.tracks[0].notes[1:]  # no pickup at all
    for n in from_the_downbeat.tracks[0].notes:
        n.onset -= 1.0
    from_the_downbeat.end = 32.0
    assert pickup_hint(from_the_downbeat) is None


def _raw_midi(piece, path: Path, velocity=None) -> Path:
    """A MIDI file as a program that does not pad a pickup writes it: the time signature and the
    notes from tick 0, no markers; `velocity(note)` each note's velocity (default 80)."""
    ticks = 480
    track = mido.MidiTrack()
    ts = piece.time_signature
    track.append(mido.MetaMessage("time_signature", numerator=ts.numerator, denominator=ts.denominator, time=0))
    events = []
    for n in piece.tracks[0].notes:
        events.append((round(n.onset * ticks), 1, n.pitch, velocity(n) if velocity else 80))
        events.append((round((n.onset + n.duration) * ticks), 0, n.pitch, 0))
    now = 0
    for t, on, pitch, vel in sorted(events):
        track.append(mido.Message("note_on" if on else "note_off", note=pitch, velocity=vel, time=t - now))
        now = t
    mid = mido.MidiFile(ticks_per_beat=ticks)
    mid.tracks.append(track)
    mid.save(path)
    return path


def test_harmonize_says_when_a_midi_file_looks_shifted_and_takes_the_pickup_given(tmp_path, capsys):
    from tunesmith.cli import cocreate as cli
    from tunesmith.inputs import read_file

    src = _raw_midi(air_with_pickup(8), tmp_path / "jig.mid")
    assert read_file(src)[0].pickup_beats() == 0.0  # the file alone: bars from the first note
    common = ["--style", "folk", "--chords-from", "table", "--seed", "1", "--no-audio", "--no-svg"]
    assert cli.main("harmonize", [str(src), "--out", str(tmp_path / "as_read"), *common]) == 0
    err = capsys.readouterr().err
    assert "jig.mid: its notes sit off the bar lines the file implies" in err and "--pickup" in err
    assert cli.main("harmonize", [str(src), "--pickup", "0.5", "--out", str(tmp_path / "fixed"), *common]) == 0
    assert "sit off the bar lines" not in capsys.readouterr().err
    out = read_file(tmp_path / "fixed.musicxml")[0]
    assert out.pickup_beats() == 0.5
    assert all(abs((c.onset - 0.5) % 1.5) < 1e-9 for c in out.chords)  # chords on the dotted-quarter beats
    assert cli.main("harmonize", [str(src), "--pickup", "4", "--out", str(tmp_path / "bad"), *common]) == 2
    assert "pickup 4 beats must be at least 0 and shorter than one bar of 6/8" in capsys.readouterr().err


def abc2midi_velocity(pickup: float, bar: float, beat: float):
    """abc2midi's default stress: the first note of each bar 105 (the pickup's first note too),
    other beats 95, the rest 80."""

    def velocity(n) -> int:
        if n.onset < 1e-9 or abs((n.onset - pickup) % bar) < 1e-9:
            return 105
        return 95 if abs((n.onset - pickup) % beat) < 1e-9 else 80

    return velocity


def test_a_midi_file_whose_accents_mark_the_bars_reads_with_its_pickup(tmp_path):
    """abc2midi strikes each bar's first note loudest and marks no pickup (the irish/ tunes): the
    bars are read where the accents fall. Accents on the bar lines as read, velocities that do not
    mark bars, or a file that says where its bars are change nothing."""
    from tunesmith.inputs import read_file

    air = air_with_pickup(8)
    accented = read_file(_raw_midi(air, tmp_path / "air.mid", abc2midi_velocity(0.5, 3.0, 1.5)))[0]
    assert accented.pickup_beats() == 0.5 and accented.meta["pickup_from"] == "accents"
    assert accented.bars()[:3] == [0.0, 0.5, 3.5]
    plain = read_file(_raw_midi(air, tmp_path / "plain.mid"))[0]  # one velocity: nothing to read
    assert plain.pickup_beats() == 0.0
    every_beat = read_file(_raw_midi(air, tmp_path / "beats.mid", lambda n: 105 if abs((n.onset - 0.5) % 1.5) < 1e-9 else 80))[0]
    assert every_beat.pickup_beats() == 0.0  # accents on every beat mark beats, not bars
    reel = lead_sheet(12)
    on_the_bar = read_file(_raw_midi(reel, tmp_path / "reel.mid", abc2midi_velocity(0.0, 4.0, 1.0)))[0]
    assert on_the_bar.pickup_beats() == 0.0 and "pickup_from" not in on_the_bar.meta
