"""WAV rendering (midirenderer + a GM SoundFont) and SVG engraving (verovio)."""

from __future__ import annotations

import io
import re
import time
import wave
from pathlib import Path

import mido
import numpy as np
import pytest
from defusedxml.ElementTree import parse

from tunesmith.outputs import audio, svg

SVG = "{http://www.w3.org/2000/svg}"


def midi_bytes(bars: int = 4, qpm: float = 120.0) -> bytes:
    """A melody (piano) over block chords (strings), 4/4, `bars` bars."""
    mid = mido.MidiFile(ticks_per_beat=480, type=1)
    conductor = mido.MidiTrack(
        [
            mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(qpm)),
            mido.MetaMessage("time_signature", numerator=4, denominator=4),
        ]
    )
    melody = mido.MidiTrack([mido.Message("program_change", program=0, channel=0)])
    for i in range(bars * 4):
        pitch = (60, 62, 64, 67, 69, 67, 64, 62)[i % 8]
        melody.append(mido.Message("note_on", note=pitch, velocity=90, time=0))
        melody.append(mido.Message("note_off", note=pitch, velocity=0, time=480))
    chords = mido.MidiTrack([mido.Message("program_change", program=48, channel=1)])
    for b in range(bars):
        chord = ((48, 52, 55), (45, 48, 52), (41, 45, 48), (43, 47, 50))[b % 4]
        for p in chord:
            chords.append(mido.Message("note_on", note=p, velocity=70, channel=1, time=0))
        for j, p in enumerate(chord):
            chords.append(mido.Message("note_off", note=p, velocity=0, channel=1, time=1920 if j == 0 else 0))
    mid.tracks.extend([conductor, melody, chords])
    out = io.BytesIO()
    mid.save(file=out)
    return out.getvalue()


def musicxml_text(bars: int = 4, chords=("C", "Am7", "Dm7", "G7")) -> str:
    """A minimal one-part lead sheet: quarter notes with a chord symbol per bar."""
    kinds = {"": "major", "m7": "minor-seventh", "7": "dominant", "maj7": "major-seventh", "m": "minor"}
    measures = []
    for b in range(bars):
        figure = chords[b % len(chords)]
        root, kind = figure[0], kinds[figure[1:]]
        attrs = (
            "<attributes><divisions>1</divisions><key><fifths>0</fifths></key>"
            "<time><beats>4</beats><beat-type>4</beat-type></time><clef><sign>G</sign><line>2</line></clef></attributes>"
            if b == 0
            else ""
        )
        notes = "".join(
            f"<note><pitch><step>{step}</step><octave>4</octave></pitch><duration>1</duration><type>quarter</type></note>"
            for step in "CEGE"
        )
        harmony = f"<harmony><root><root-step>{root}</root-step></root><kind>{kind}</kind></harmony>"
        measures.append(f'<measure number="{b + 1}">{attrs}{harmony}{notes}</measure>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<score-partwise version="4.0"><work><work-title>Test Tune</work-title></work>'
        '<part-list><score-part id="P1"><part-name>Melody</part-name></score-part></part-list>'
        f'<part id="P1">{"".join(measures)}</part></score-partwise>\n'
    )


# ------------------------------------------------------------------------------ SoundFont
def test_find_soundfont_default_exists():
    path = audio.find_soundfont()
    assert path.is_file() and path.suffix.lower() == ".sf2"


def test_find_soundfont_env_and_argument_name_missing_file(tmp_path, monkeypatch):
    missing = tmp_path / "nope.sf2"
    monkeypatch.setenv(audio.SOUNDFONT_ENV, str(missing))
    with pytest.raises(audio.SoundFontNotFoundError, match="nope.sf2"):
        audio.find_soundfont()
    with pytest.raises(FileNotFoundError, match="other.sf2"):
        audio.find_soundfont(tmp_path / "other.sf2")


def test_find_soundfont_none_installed(tmp_path, monkeypatch):
    monkeypatch.delenv(audio.SOUNDFONT_ENV, raising=False)
    monkeypatch.setattr(audio, "DEBIAN_SOUNDFONT", tmp_path / "FluidR3_GM.sf2")
    monkeypatch.setattr(audio, "pretty_midi_soundfont", lambda: tmp_path / "TimGM6mb.sf2")
    with pytest.raises(audio.SoundFontNotFoundError, match=r"FluidR3_GM\.sf2.*TimGM6mb\.sf2"):
        audio.find_soundfont()


def test_env_soundfont_wins(tmp_path, monkeypatch):
    bundled = audio.pretty_midi_soundfont()
    monkeypatch.setenv(audio.SOUNDFONT_ENV, str(bundled))
    assert audio.find_soundfont() == bundled


# ------------------------------------------------------------------------------ WAV
def read_wav(path: Path) -> tuple[wave._wave_params, np.ndarray]:
    with wave.open(str(path)) as f:
        params = f.getparams()
        samples = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").reshape(-1, f.getnchannels())
    return params, samples.astype(np.float64)


@pytest.mark.parametrize("rate", [44100, 48000])
def test_write_wav_is_pcm_and_not_silent(tmp_path, rate):
    mid = tmp_path / "t.mid"
    mid.write_bytes(midi_bytes(bars=2))
    out = audio.write_wav(mid, tmp_path / "t.wav", soundfont=audio.pretty_midi_soundfont(), sample_rate=rate)
    assert out == tmp_path / "t.wav"
    params, x = read_wav(out)
    assert (params.nchannels, params.sampwidth, params.framerate, params.comptype) == (2, 2, rate, "NONE")
    seconds = params.nframes / rate
    assert 4.0 + audio.TAIL_SECONDS - 0.1 < seconds < 4.0 + audio.TAIL_SECONDS + 0.1  # 2 bars at 120 qpm + tail
    rms_dbfs = 20 * np.log10(np.sqrt((x**2).mean()) / 32768)
    peak_dbfs = 20 * np.log10(np.abs(x).max() / 32768)
    assert rms_dbfs > -35, rms_dbfs
    assert -1.5 < peak_dbfs <= -0.9, peak_dbfs  # normalized to -1 dBFS
    # the tail lets the last chord ring out and then fall (nearly) silent
    assert np.sqrt((x[-rate // 20 :] ** 2).mean()) < np.sqrt((x**2).mean()) / 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.mid", "t.wav"]  # no temp files left


def test_write_wav_bad_midi_names_file_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.mid"
    bad.write_bytes(b"this is not a MIDI file")
    with pytest.raises(ValueError, match="bad.mid"):
        audio.write_wav(bad, tmp_path / "bad.wav", soundfont=audio.pretty_midi_soundfont())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.mid"]


def test_write_wav_missing_soundfont_names_it(tmp_path):
    mid = tmp_path / "t.mid"
    mid.write_bytes(midi_bytes(bars=1))
    with pytest.raises(FileNotFoundError, match="missing.sf2"):
        audio.write_wav(mid, tmp_path / "t.wav", soundfont=tmp_path / "missing.sf2")
    assert not (tmp_path / "t.wav").exists()


# ------------------------------------------------------------------------------ SVG
def test_write_svg_engraves_notes_and_chord_symbols(tmp_path):
    xml = tmp_path / "t.musicxml"
    xml.write_text(musicxml_text(bars=8))
    t0 = time.perf_counter()
    out = svg.write_svg(xml, tmp_path / "t.svg")
    elapsed = time.perf_counter() - t0
    assert elapsed < 5.0
    root = parse(out).getroot()  # well-formed (and no entities: defusedxml)
    assert root.tag == f"{SVG}svg" and root.get("viewBox")
    notes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "note"]
    assert len(notes) == 32
    text = out.read_text()
    assert re.search(r"<use[^>]+href=\"#E0A4", text)  # a filled notehead glyph (SMuFL E0A4)
    harm = ["".join(g.itertext()).strip() for g in root.iter(f"{SVG}g") if g.get("class") == "harm"]
    assert harm[:4] == ["C", "Am7", "Dm7", "G7"]
    assert "Test Tune" in "".join(root.itertext())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.musicxml", "t.svg"]
    again = svg.write_svg(xml, tmp_path / "again.svg")
    assert again.read_bytes() == out.read_bytes()  # the same score engraves to the same bytes (ids included)


def test_write_svg_stacks_pages_into_one_file(tmp_path):
    xml = tmp_path / "long.musicxml"
    xml.write_text(musicxml_text(bars=48))
    pages = svg.render_svg_pages(xml, page_height=800)
    assert len(pages) > 1
    out = svg.write_svg(xml, tmp_path / "long.svg", page_height=800)
    root = parse(out).getroot()
    nested = root.findall(f"{SVG}svg")
    assert len(nested) == len(pages)
    assert len(root.findall(f"{SVG}defs")) == 1
    ys = [float(p.get("y")) for p in nested]
    assert ys == sorted(ys) and ys[0] == 0
    assert sum(1 for g in root.iter(f"{SVG}g") if g.get("class") == "note") == 48 * 4
    assert float(root.get("viewBox").split()[3]) >= sum(float(p.get("height")) for p in nested)


def test_write_svg_rejects_non_musicxml(tmp_path):
    bad = tmp_path / "bad.musicxml"
    bad.write_text("<html><body>not music</body></html>")
    with pytest.raises(ValueError, match="bad.musicxml"):
        svg.write_svg(bad, tmp_path / "bad.svg")
    assert not (tmp_path / "bad.svg").exists()
    with pytest.raises(FileNotFoundError, match="absent.musicxml"):
        svg.write_svg(tmp_path / "absent.musicxml", tmp_path / "x.svg")
