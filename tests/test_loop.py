"""A loop (`compose(..., cadence="loop")`, `--cadence loop`): music played round and round, as a
game's level music is. Its last bar is a half close on V that leads back to bar 1, it has no
pickup, and its files carry the loop: repeat signs round the score, loopStart/loopEnd markers in
the MIDI, and a WAV exactly the piece's length, the sound that rings past its last bar already at
its start, with its loop points in a RIFF `smpl` chunk (`outputs.loop`). A game composer had found
no way to ask for one: every take stopped on a held tonic and its WAV ran 1.5 s past the music."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

import tunesmith as ts
from tunesmith.harmony import parse_chord
from tunesmith.outputs.loop import played_times, seconds_at, wav_loop_points, wav_with_loop_points
from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track


@pytest.mark.parametrize("style", ["pop", "folk", "jazz"])
def test_a_loop_ends_on_the_dominant_without_a_pickup(style):
    model = ts.load_model("default")
    for seed in range(4):
        take = ts.compose(style, key="F", bars=8, seed=seed, cadence="loop", model=model, check=False)
        piece = take.piece
        assert piece.meta.get("loop") is True and piece.pickup_beats() == 0
        last = sorted(piece.chords, key=lambda c: c.onset)[-1]
        assert (parse_chord(last.figure)[0] - piece.key.tonic_pc) % 12 == 7, (style, seed, last.figure)
        # the melody's last note is a tone of V (C E G in F), not the tonic a close would sing
        assert (piece.melody().notes[-1].pitch - piece.key.tonic_pc) % 12 in (7, 11, 2), (style, seed)
        assert any(line.startswith("a loop: its last bar closes half way (on V)") for line in take.remarks)
    closed = ts.compose("pop", key="F", bars=8, seed=0, model=model, check=False).piece
    assert "loop" not in closed.meta


def test_a_chorale_loop_ends_on_the_dominant_chord():
    piece = ts.compose("chorale", key="G", bars=8, seed=3, cadence="loop", check=False).piece
    last = {t.notes[-1].pitch % 12 for t in piece.tracks}
    assert last <= {2, 6, 9} and piece.tracks[-1].notes[-1].pitch % 12 == 2  # D major (D F# A), D in the bass


def test_a_loop_refuses_a_pickup_and_co_create_refuses_a_loop(tmp_path):
    with pytest.raises(ValueError, match=r"^pickup 1 beats: a loop starts on its first downbeat \(the last bar leads back "
                                         r"to it\); leave the pickup out$"):  # fmt: skip
        ts.compose("pop", bars=4, pickup=1, cadence="loop", check=False)
    take = ts.compose("folk", bars=4, seed=1, check=False)
    with pytest.raises(ValueError, match=r"^cadence 'loop' is for compose"):
        ts.continue_(take, 4, cadence="loop")


def test_the_cli_and_the_studio_take_a_loop():
    import argparse

    from tunesmith.cli.compose import add_arguments
    from tunesmith.studio.app import ComposeControls, Continue

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--style", "pop", "--cadence", "Loop", "--out", "x"])
    assert args.cadence == "loop"
    assert ComposeControls(cadence="loop").cadence == "loop"
    with pytest.raises(ValueError):
        Continue(cadence="loop")


def test_a_loops_files_carry_it(tmp_path):
    take = ts.compose("pop", key="C", bars=4, tempo=120, seed=5, cadence="loop", check=False)
    files = take.write(tmp_path / "level")
    # the MIDI: loopStart at the start, loopEnd at the end (4 bars of 4/4: 3840 ticks), read back as a loop
    import mido

    midi = mido.MidiFile(files["mid"])
    marks = {}
    for track in midi.tracks:
        now = 0
        for msg in track:
            now += msg.time
            if msg.type == "marker" and msg.text.startswith("loop"):
                marks[msg.text] = now
    assert marks == {"loopStart": 0, "loopEnd": 16 * midi.ticks_per_beat}
    assert ts.read(files["mid"]).meta.get("loop") is True
    # the score: one pair of repeat signs, round the whole
    xml = files["musicxml"].read_text()
    assert xml.count('<repeat direction="forward"') == 1 and xml.count('<repeat direction="backward"') == 1
    assert xml.index('<repeat direction="forward"') < xml.index('<measure implicit="no" number="2"')
    assert xml.index('<repeat direction="backward"') > xml.index('<measure implicit="no" number="4"')
    # the WAV: exactly 8 s (4 bars at 120), looping over all of it
    data = files["wav"].read_bytes()
    with wave.open(io.BytesIO(data)) as f:
        frames, rate = f.getnframes(), f.getframerate()
    assert frames == 8 * rate
    assert wav_loop_points(data) == (0, frames - 1)


def _bell(held_to_the_end: bool) -> Piece:
    """Two bars of 4/4 at 120: a rest on beat 1, then notes; the last held to the end or not."""
    last = 4.0 if held_to_the_end else 1.0
    notes = [Note(72, 1.0, 1.0), Note(76, 2.0, 1.0), Note(79, 3.0, 1.0), Note(72, 4.0, last)]
    return Piece("b", "b", tracks=[Track("M", "melody", program=14, notes=notes)], keys=[KeySignature(0.0, "C", "major")],
                 time_signatures=[TimeSignature(0.0, 4, 4)], tempos=[Tempo(0.0, 120.0)], end=8.0)  # fmt: skip


def test_the_sound_that_rings_past_the_end_is_at_the_loops_start():
    """A bell held to the end: the loop's first beat (a rest in the score) carries the ring that the
    plain rendering has after its last bar, where the plain rendering starts in silence."""
    from tunesmith.outputs.audio import render_wav_bytes
    from tunesmith.outputs.loop import loop_wav
    from tunesmith.outputs.midi import midi_bytes

    def render(p):
        return render_wav_bytes(midi_bytes(p, chord_track=False), normalize=False)

    def rms(wav: bytes, start: float, seconds: float) -> float:
        with wave.open(io.BytesIO(wav)) as f:
            rate = f.getframerate()
            f.setpos(int(start * rate))
            x = np.frombuffer(f.readframes(int(seconds * rate)), dtype="<i2").astype(float)
        return float(np.sqrt((x**2).mean()))

    plain = render(_bell(True))
    wrapped = loop_wav(_bell(True), render)
    with wave.open(io.BytesIO(wrapped)) as f:
        assert f.getnframes() == 4 * f.getframerate()  # 8 beats at 120
    ring = rms(plain, 4.0, 0.25)  # the plain rendering's first quarter second after the last bar
    assert rms(plain, 0.0, 0.25) < 1.0 < ring  # its first beat is the score's rest: silence
    assert rms(wrapped, 0.0, 0.25) == pytest.approx(ring, rel=0.2)


def test_played_times_and_seconds_at():
    piece = _bell(True)
    piece.tempos = [Tempo(0.0, 120.0), Tempo(4.0, 60.0)]
    twice = played_times(piece, 2)
    assert [n.onset for n in twice.tracks[0].notes] == [1.0, 2.0, 3.0, 4.0, 9.0, 10.0, 11.0, 12.0]
    assert [t.onset for t in twice.tempos] == [0.0, 4.0, 8.0, 12.0] and twice.duration() == 16.0
    assert played_times(piece, 3).duration() == 24.0 and len(played_times(piece, 3).tracks[0].notes) == 12
    assert piece.tracks[0].notes[-1].onset == 4.0 and len(piece.tempos) == 2  # the piece itself unchanged
    assert seconds_at(piece, 4.0) == pytest.approx(2.0) and seconds_at(piece, 8.0) == pytest.approx(6.0)


@pytest.mark.parametrize(("style", "kw"), [("folk", {"chords": "Am | G | Am | E7 Am", "meter": "6/8", "bars": 8, "tempo": 100, "seed": 9}),
                                           ("folk", {"key": "D", "meter": "6/8", "bars": 16, "tempo": 110, "seed": 2}),
                                           ("jazz", {"chords": "Dm7 G7 Cmaj7 A7", "bars": 8, "tempo": 140, "seed": 3})])  # fmt: skip
def test_a_loops_seam_is_no_rougher_than_its_bar_lines(style, kw):
    """A game composer measured the step from a loop's last sample to its first: up to 15 times the
    largest step at any of its bar lines (the synthesizer's chorus runs on its own clock, so a bar
    never sounds quite the same twice). Now the loop's start fades in from what followed its end."""
    from tunesmith.outputs.bundle import performance_wav

    piece = ts.compose(style, cadence="loop", check=False, **kw).piece
    with wave.open(io.BytesIO(performance_wav(piece))) as f:
        rate = f.getframerate()
        x = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").reshape(-1, f.getnchannels()).astype(float)
    seam = float(np.abs(x[0] - x[-1]).max())
    bar_lines = [round(seconds_at(piece, b) * rate) for b in piece.bars()[1:]]
    worst_bar_line = max(float(np.abs(x[i] - x[i - 1]).max()) for i in bar_lines if 0 < i < len(x))
    # ... nor than the sound on either side of it (20 ms): the seam is the rendering's own step from the
    # second time through to the third, and where the music is louder there than at any bar line it
    # is larger than theirs (a jazz take of session 56's weights: 801 against the bar lines' 671)
    near = round(0.02 * rate)
    around = max(float(np.abs(np.diff(x[-near:], axis=0)).max()), float(np.abs(np.diff(x[:near], axis=0)).max()))
    assert seam <= max(worst_bar_line, around, 200.0), (seam, worst_bar_line, around)


def test_loop_points_replace_any_before_them():
    out = io.BytesIO()
    with wave.open(out, "wb") as f:
        f.setnchannels(2)
        f.setsampwidth(2)
        f.setframerate(8000)
        f.writeframes(np.zeros((800, 2), dtype="<i2").tobytes())
    once = wav_with_loop_points(out.getvalue())
    assert wav_loop_points(once) == (0, 799) and wav_loop_points(out.getvalue()) is None
    twice = wav_with_loop_points(once)
    assert twice.count(b"smpl") == 1 and len(twice) == len(once)
    with wave.open(io.BytesIO(twice)) as f:  # still a WAVE file a reader opens
        assert f.getnframes() == 800
    with pytest.raises(ValueError, match="not a RIFF/WAVE file"):
        wav_with_loop_points(b"nope")


@pytest.mark.parametrize(("chords", "said"), [
    ("Am | G | Am | E7 Am", "its last bar keeps your chart's last chord, Am (the tonic, so each time round it comes home"),
    ("Am F C G", "its last bar keeps your chart's last chord, G (not V; a chart ending on V leads back to bar 1)"),
    ("Am F E7 E7", "its last bar closes half way (on V) and leads back to bar 1"),
])  # fmt: skip
def test_a_loop_over_the_musicians_chart_says_how_the_chart_ends(chords, said):
    # the chart is a control and is kept; a chart ending on the tonic had been said to close on V
    take = ts.compose("folk", bars=8, seed=9, chords=chords, cadence="loop", check=False)
    assert any(line.startswith("a loop: " + said) for line in take.remarks), take.remarks
