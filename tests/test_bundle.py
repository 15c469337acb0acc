"""A take's five files: MIDI, MusicXML, WAV, SVG and the JSON that says how it was made."""

from __future__ import annotations

import importlib
import io
import json
import os
import sys
import types
import wave
from pathlib import Path

import mido
import pytest
from defusedxml.ElementTree import parse

from tunesmith import __version__
from tunesmith.outputs import audio, bundle
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

PROVENANCE = {
    "request": {"style": "folk", "bars": 4, "key": "G", "temperature": 0.9},
    "seed": 1234,
    "training_data": {"licenses": {"public-domain": 345, "CC-BY-4.0": 12}, "sources": {"jsb": 345, "folk": 12}},
    "timings": {"generate": 0.25},
}


def lead_sheet(bars: int = 4, title: str = "Take Test") -> Piece:
    melody = [Note(67 + (0, 2, 4, 2)[i % 4], float(i), 1.0) for i in range(bars * 4)]
    figures = ("G", "Em7", "C", "D7")
    return Piece(
        piece_id="take-test",
        work_id="take-test",
        title=title,
        style="folk",
        tracks=[Track("Melody", "melody", program=73, notes=melody)],
        chords=[ChordSymbol(4.0 * b, figures[b % 4], 4.0) for b in range(bars)],
        keys=[KeySignature(0.0, "G")],
        time_signatures=[TimeSignature(0.0, 4, 4)],
        tempos=[Tempo(0.0, 120.0)],
    )


# ---------------------------------------------------------------- stand-in writers
# The real writers live in tunesmith.outputs.midi / .musicxml (another contributor's files).
# Until they exist, these stand-ins (quarter-note lead sheets only) let the bundle be tested.
def _fake_write_midi(piece: Piece, path: Path) -> None:
    mid = mido.MidiFile(ticks_per_beat=480, type=1)
    mid.tracks.append(mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(piece.tempo))]))
    for ch, track in enumerate(piece.tracks):
        t = mido.MidiTrack([mido.MetaMessage("track_name", name=track.name)])
        t.append(mido.Message("program_change", program=track.program, channel=ch))
        for n in track.notes:
            t.append(mido.Message("note_on", note=n.pitch, velocity=n.velocity, channel=ch, time=0))
            t.append(mido.Message("note_off", note=n.pitch, channel=ch, time=round(n.duration * 480)))
        mid.tracks.append(t)
    out = io.BytesIO()
    mid.save(file=out)
    Path(path).write_bytes(out.getvalue())


def _fake_write_musicxml(piece: Piece, path: Path) -> None:
    steps = {0: ("C", 0), 2: ("D", 0), 4: ("E", 0), 5: ("F", 0), 7: ("G", 0), 9: ("A", 0), 11: ("B", 0), 6: ("F", 1)}
    measures = []
    notes = piece.melody().notes
    for b in range(piece.n_bars):
        chord = next(c for c in piece.chords if c.onset == 4.0 * b)
        harmony = f"<harmony><root><root-step>{chord.figure[0]}</root-step></root><kind>major</kind></harmony>"
        body = ""
        for n in notes[4 * b : 4 * b + 4]:
            step, alter = steps[n.pitch % 12]
            body += (
                f"<note><pitch><step>{step}</step><alter>{alter}</alter><octave>{n.pitch // 12 - 1}</octave></pitch>"
                "<duration>1</duration><type>quarter</type></note>"
            )
        attrs = "<attributes><divisions>1</divisions><time><beats>4</beats><beat-type>4</beat-type></time></attributes>"
        measures.append(f'<measure number="{b + 1}">{attrs if b == 0 else ""}{harmony}{body}</measure>')
    Path(path).write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 '
        'Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">\n<score-partwise version="4.0">'
        f"<movement-title>{piece.title}</movement-title>"
        '<identification><creator type="composer">tunesmith</creator><encoding><encoding-date>2025-01-01'
        "</encoding-date></encoding></identification>"
        '<part-list><score-part id="P1"><part-name>Melody</part-name></score-part></part-list>'
        f'<part id="P1">{"".join(measures)}</part></score-partwise>\n'
    )


@pytest.fixture(autouse=True)
def writers(monkeypatch):
    """Use the real MIDI/MusicXML writers when they exist, else the stand-ins above."""
    for name, func_name, fake in (
        ("tunesmith.outputs.midi", "write_midi", _fake_write_midi),
        ("tunesmith.outputs.musicxml", "write_musicxml", _fake_write_musicxml),
    ):
        try:
            importlib.import_module(name)
        except ImportError:
            module = types.ModuleType(name)
            setattr(module, func_name, fake)
            monkeypatch.setitem(sys.modules, name, module)


@pytest.fixture
def soundfont(monkeypatch):
    """The small bundled SoundFont keeps the tests fast wherever FluidR3 is installed."""
    path = audio.pretty_midi_soundfont()
    monkeypatch.setenv(audio.SOUNDFONT_ENV, str(path))
    return path


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------- one take
def test_write_take_writes_five_files_with_provenance(tmp_path, soundfont):
    model = tmp_path / "models" / "folk-small.safetensors"
    model.parent.mkdir()
    model.write_bytes(b"weights")
    provenance = {**PROVENANCE, "model": {"id": "folk-small", "path": str(model)}, "note": "kept as given"}
    out = tmp_path / "takes"
    files = bundle.write_take(lead_sheet(), out / "tune", provenance=provenance)

    assert set(files) == set(bundle.KINDS)
    assert {k: p.name for k, p in files.items()} == {k: f"tune.{k}" for k in bundle.KINDS}
    assert listing(out) == sorted(f"tune.{k}" for k in bundle.KINDS)  # no staging folder left

    record = json.loads(files["json"].read_text())
    assert set(bundle.JSON_KEYS) <= set(record)
    assert record["format"] == bundle.FORMAT
    assert record["tunesmith_version"] == __version__
    assert record["created_at"].endswith("Z")
    assert record["request"] == PROVENANCE["request"]
    assert record["seed"] == 1234
    assert record["model"]["id"] == "folk-small"
    assert record["model"]["sha256"] == bundle.path_sha256(model) and len(record["model"]["sha256"]) == 64
    assert record["training_data"] == PROVENANCE["training_data"]
    assert record["training_licenses"] == ["CC-BY-4.0", "public-domain"]
    assert record["training_sources"] == ["folk", "jsb"]
    assert record["note"] == "kept as given"
    assert record["piece"]["n_bars"] == 4 and record["piece"]["key"] == "G major"
    timings = record["timings"]
    assert timings["generate"] == 0.25
    for stage in ("midi", "musicxml", "abc", "wav", "svg"):
        assert isinstance(timings[stage], float) and timings[stage] >= 0, stage
    assert record["files"] == {k: f"tune.{k}" for k in bundle.KINDS}
    assert record["rendering"]["wav"]["soundfont"] == os.path.basename(soundfont)  # no machine path

    # MIDI: re-reads with mido and carries the provenance
    mid = mido.MidiFile(files["mid"])
    metas = {m.type: m.text for m in mid.tracks[0] if m.type in ("copyright", "text")}
    assert "tunesmith" in metas["copyright"] and "folk-small" in metas["copyright"]
    assert "seed 1234" in metas["copyright"] and "public-domain" in metas["copyright"]
    embedded = json.loads(metas["text"].removeprefix(bundle.PROVENANCE_TEXT_PREFIX))
    assert embedded["seed"] == 1234 and embedded["model_sha256"] == record["model"]["sha256"]
    assert embedded["licenses"] == ["CC-BY-4.0", "public-domain"]
    # 16 melody notes (the real writer adds a block-chord track playing the chord symbols)
    assert sum(1 for t in mid.tracks for m in t if m.type == "note_on" and m.velocity > 0) >= 16

    # MusicXML: provenance in <identification>
    root = parse(files["musicxml"]).getroot()
    ident = root.find("identification")
    fields = {f.get("name"): f.text for f in ident.iter("miscellaneous-field")}
    assert fields["tunesmith-seed"] == "1234"
    assert fields["tunesmith-model"] == "folk-small"
    assert fields["tunesmith-licenses"] == "CC-BY-4.0, public-domain"
    assert any((s.text or "").startswith("tunesmith") for s in ident.iter("software"))
    assert "seed 1234" in fields["tunesmith-provenance"]
    assert ident.find("rights") is None  # notation programs print <rights> as a copyright footer
    order = [child.tag for child in ident]
    assert order == sorted(order, key=("creator", "rights", "encoding", "source", "relation", "miscellaneous").index)

    # WAV and SVG
    with wave.open(str(files["wav"])) as f:
        assert f.getnchannels() == 2 and f.getframerate() == 48000 and f.getnframes() > 48000 * 8
    svg_root = parse(files["svg"]).getroot()
    assert any(g.get("class") == "note" for g in svg_root.iter("{http://www.w3.org/2000/svg}g"))


def test_write_take_without_audio_and_svg_removes_stale_outputs(tmp_path, soundfont):
    stem = tmp_path / "tune"
    bundle.write_take(lead_sheet(), stem, provenance=PROVENANCE)
    files = bundle.write_take(lead_sheet(), stem, provenance=PROVENANCE, render_audio=False, render_svg=False)
    assert set(files) == {"mid", "musicxml", "abc", "json"}
    assert listing(tmp_path) == ["tune.abc", "tune.json", "tune.mid", "tune.musicxml"]
    record = json.loads(files["json"].read_text())
    assert record["timings"]["wav"] is None and record["timings"]["svg"] is None
    assert set(record["files"]) == {"mid", "musicxml", "abc", "json"}


def test_write_take_with_minimal_provenance_still_has_every_key(tmp_path, soundfont):
    files = bundle.write_take(lead_sheet(), tmp_path / "t", provenance={}, render_audio=False, render_svg=False)
    record = json.loads(files["json"].read_text())
    assert set(bundle.JSON_KEYS) <= set(record)
    assert record["seed"] is None and record["model"] == {"id": None, "path": None, "sha256": None}
    copyright = [m.text for m in mido.MidiFile(files["mid"]).tracks[0] if m.type == "copyright"]
    assert copyright == [f"Generated by tunesmith {__version__}, which claims no copyright in it; model unknown; "
                         "seed None; the model learned from data licensed unknown"]


@pytest.mark.parametrize("stage", ["musicxml", "wav", "svg"])
def test_failing_stage_leaves_no_half_take(tmp_path, soundfont, monkeypatch, stage):
    stem = tmp_path / "tune"
    bundle.write_take(lead_sheet(title="First"), stem, provenance=PROVENANCE)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def boom(*args, **kwargs):
        # write part of the file first, as a crashing writer would
        Path(args[1]).write_bytes(b"half a file")
        raise RuntimeError(f"{stage} exploded")

    if stage == "musicxml":

        def boom_xml(*args, **kwargs):
            raise RuntimeError("musicxml exploded")

        monkeypatch.setattr(sys.modules["tunesmith.outputs.musicxml"], "musicxml_and_repeats", boom_xml)
    elif stage == "wav":

        def boom_wav(*args, **kwargs):
            raise RuntimeError("wav exploded")

        monkeypatch.setattr(bundle, "performance_wav", boom_wav)
    else:
        from tunesmith.outputs import svg

        monkeypatch.setattr(svg, "write_svg", boom)
    with pytest.raises(RuntimeError, match="exploded"):
        bundle.write_take(lead_sheet(title="Second"), stem, provenance={**PROVENANCE, "seed": 99})
    # the earlier take is untouched, nothing new or temporary is left behind
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before

    fresh = tmp_path / "fresh"
    with pytest.raises(RuntimeError, match="exploded"):
        bundle.write_take(lead_sheet(), fresh / "tune", provenance=PROVENANCE)
    assert listing(fresh) == []


def test_invalid_piece_is_rejected_before_writing(tmp_path):
    piece = lead_sheet()
    piece.tracks[0].notes.append(Note(200, 0.0, 1.0))
    with pytest.raises(ValueError, match="pitch 200"):
        bundle.write_take(piece, tmp_path / "bad", provenance=PROVENANCE)
    assert listing(tmp_path) == []


# ---------------------------------------------------------------- several takes
def test_write_takes_numbers_stems_and_times_lazy_generation(tmp_path, soundfont):
    import time

    def generate():
        for _ in range(3):
            time.sleep(0.02)
            yield lead_sheet()

    provenance = {k: v for k, v in PROVENANCE.items() if k != "timings"}
    results = bundle.write_takes(
        generate(), tmp_path / "tune", 3, provenance=provenance, render_audio=False, render_svg=False
    )
    assert [r["json"].name for r in results] == ["tune-1.json", "tune-2.json", "tune-3.json"]
    for i, r in enumerate(results, start=1):
        record = json.loads(r["json"].read_text())
        assert record["take"] == i and record["takes"] == 3
        assert record["timings"]["generate"] >= 0.015
    assert len(listing(tmp_path)) == 12  # mid, musicxml, abc and json each


def test_write_takes_single_and_per_take_provenance(tmp_path, soundfont):
    results = bundle.write_takes(
        [lead_sheet()], tmp_path / "one", provenance=PROVENANCE, render_audio=False, render_svg=False
    )
    assert [r["mid"].name for r in results] == ["one.mid"]
    seeds = [{**PROVENANCE, "seed": s} for s in (7, 8)]
    results = bundle.write_takes(
        [lead_sheet(), lead_sheet()], tmp_path / "two", provenance=seeds, render_audio=False, render_svg=False
    )
    assert [json.loads(r["json"].read_text())["seed"] for r in results] == [7, 8]
    with pytest.raises(ValueError, match="2 provenance records for 3 takes"):
        bundle.write_takes([lead_sheet()] * 3, tmp_path / "three", provenance=seeds)
    with pytest.raises(ValueError, match="pass n"):
        bundle.write_takes(iter([lead_sheet()]), tmp_path / "it", provenance=PROVENANCE)


def test_a_killed_writers_staging_folder_is_removed_by_the_next_write(tmp_path):
    """SIGKILL runs no `finally`: its hidden staging folder stayed forever. The next write of the
    stem removes one whose process is gone and that is over a minute old, and no other."""
    import subprocess
    import time

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id that no longer runs
    old = time.time() - 3600
    dead = tmp_path / f".tune.partial-{gone.pid}-abc"
    alive = tmp_path / f".tune.partial-{os.getpid()}-def"  # this process: still writing
    fresh = tmp_path / f".tune.partial-{gone.pid}-ghi"  # just made: perhaps another machine's
    other = tmp_path / f".other.partial-{gone.pid}-jkl"  # another stem's
    for d in (dead, alive, fresh, other):
        d.mkdir()
        (d / "take.mid").write_bytes(b"half")
    for d in (dead, alive, other):
        os.utime(d, (old, old))
    bundle.write_take(lead_sheet(), tmp_path / "tune", provenance=PROVENANCE, render_audio=False, render_svg=False)
    assert not dead.exists()
    assert alive.exists() and fresh.exists() and other.exists()


def test_an_interrupt_keeps_the_whole_takes_and_says_which(tmp_path, monkeypatch, capsys):
    """Ctrl-C (or SIGTERM) while the third take is written: takes 1 and 2 are whole and kept, the
    third leaves nothing, and the CLI names what it kept."""
    import signal

    from tunesmith import cli

    real = bundle.write_take
    calls = []

    def third_is_interrupted(piece, stem, **kw):
        calls.append(stem)
        if len(calls) == 3:
            os.kill(os.getpid(), signal.SIGTERM)  # as `timeout` or `kill` sends it
            import time

            time.sleep(5)  # the handler raises here
        return real(piece, stem, **kw)

    monkeypatch.setattr(bundle, "write_take", third_is_interrupted)
    before = signal.getsignal(signal.SIGTERM)
    out = tmp_path / "song"
    status = cli.main(["compose", "--style", "folk", "--bars", "4", "--n", "3", "--seed", "1", "--no-audio",
                       "--no-svg", "--out", str(out)])  # fmt: skip
    assert status == 130
    err = capsys.readouterr().err
    assert "interrupted; 2 whole take(s) written before it are kept:" in err
    assert str(tmp_path / "song-1.*") in err and str(tmp_path / "song-2.*") in err
    assert (tmp_path / "song-2.json").is_file() and not (tmp_path / "song-3.json").exists()
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]
    assert signal.getsignal(signal.SIGTERM) == before  # the CLI's handler is its own
