"""Hostile inputs (issue 10): each case is a tiny file written here, refused with one clear line
naming the file and the problem, before the expensive work (music21, the synthesizer, numpy
allocations for a model). Limits are made small through `$TUNESMITH_LIMIT_<NAME>` where a
real attack would need a big file."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tunesmith import limits
from tunesmith.inputs import InputError, read_file
from tunesmith.limits import LimitError

# the ABC reader also warns when it skips a tune; these tests pin the errors and problem lines
pytestmark = pytest.mark.filterwarnings("ignore:skipped ABC tune")

ABC = """X:1
T:Test reel
M:4/4
L:1/8
K:G
"G"GABc dBGB|"C"c2ec "D"dBAG|"G"GABc dBGB|"D"A2FA "G"G4|
"""

MUSICXML = """<?xml version="1.0" encoding="UTF-8"?>
<score-partwise version="3.1">
  <part-list><score-part id="P1"><part-name>Melody</part-name></score-part></part-list>
  <part id="P1">
    <measure number="1">
      <attributes><divisions>1</divisions><key><fifths>0</fifths></key>
        <time><beats>4</beats><beat-type>4</beat-type></time></attributes>
      <note><pitch><step>C</step><octave>5</octave></pitch><duration>1</duration><type>quarter</type></note>
      <note><pitch><step>D</step><octave>5</octave></pitch><duration>1</duration><type>quarter</type></note>
      <note><pitch><step>E</step><octave>5</octave></pitch><duration>1</duration><type>quarter</type></note>
      <note><pitch><step>G</step><octave>5</octave></pitch><duration>1</duration><type>quarter</type></note>
    </measure>
  </part>
</score-partwise>
"""


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def _fast(fn, *args, seconds: float = 5.0, **kw):
    t0 = time.perf_counter()
    try:
        return fn(*args, **kw)
    finally:
        assert time.perf_counter() - t0 < seconds, f"{fn.__name__} took over {seconds} s"


# ============================================================================ ABC
def test_abc_huge_meter_refused_before_music21(tmp_path):
    path = _write(tmp_path, "meter.abc", ABC.replace("M:4/4", "M:1000000/1"))
    with pytest.raises(InputError, match=r"meter\.abc.*meter 1000000/1 is too large"):
        _fast(read_file, path)


def test_abc_inline_meter_refused(tmp_path):
    path = _write(tmp_path, "inline.abc", ABC.replace("dBAG|", "dBAG|[M:99999/4] ABcd|"))
    with pytest.raises(InputError, match=r"meter 99999/4 is too large"):
        _fast(read_file, path)


def test_abc_note_of_length_65536_refused(tmp_path):
    path = _write(tmp_path, "long.abc", ABC.replace('"G"GABc dBGB|"C"', '"G"G65536 dBGB|"C"'))
    with pytest.raises(InputError, match=r"long\.abc.*a note of length 65536 \(32768 beats\) is over the limit"):
        _fast(read_file, path)


def test_abc_file_over_size_limit_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_FILE_BYTES", "100")
    path = _write(tmp_path, "big.abc", ABC * 3)
    with pytest.raises(ValueError, match=r"big\.abc: file too large \(\d+ bytes; the limit is 100\)"):
        read_file(path)


def test_abc_tune_over_size_limit_is_one_problem(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_ABC_TUNE_BYTES", "200")
    path = _write(tmp_path, "tunes.abc", ABC + "\n" + ABC.replace("X:1", "X:2") + "|GABc dBGB" * 40 + "|\n")
    with pytest.warns(UserWarning, match=r"tunes\.abc#1 \(X:2\): tune of \d+ bytes is over the limit of 200"):
        pieces = read_file(path)
    assert len(pieces) == 1
    assert "X:2" in pieces[0].meta["skipped_tunes"][0]


def test_multi_tune_abc_bad_tune_is_a_problem_line_in_the_build(tmp_path):
    from tunesmith.corpus.worker import parse_item

    bad = ABC.replace("X:1", "X:7").replace("M:4/4", "M:1000000/1")
    path = _write(tmp_path, "book.abc", ABC + "\n" + bad + "\n" + ABC.replace("X:1", "X:3"))
    task = {"source": "mine", "path": str(path), "rel": "book.abc", "key": "mine:book.abc", "reader": "file",
            "style": "folk", "license": "CC0-1.0", "size": path.stat().st_size, "mtime_ns": 0,
            "standard_split": False, "root": str(tmp_path)}
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no stderr warning: the problem is in the report
        out = _fast(parse_item, task)
    assert len(out["records"]) == 2
    assert len(out["problems"]) == 1
    assert out["problems"][0].startswith("tune 2 (X:7): meter 1000000/1 is too large")


# ============================================================================ MusicXML
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("<fifths>0</fifths>", "<fifths>99999999999</fifths>", r"key signature of 99999999999 fifths is over the limit"),
        ("<beats>4</beats>", "<beats>99999</beats>", r"meter 99999/4 is too large"),
        ("<beat-type>4</beat-type>", "<beat-type>3</beat-type>", r"meter 4/3 is not a time signature"),
        ("<divisions>1</divisions>", "<divisions>0</divisions>", r"<divisions> 0 is out of range"),
        ("<duration>1</duration>", "<duration>1e300</duration>", r"<duration> 1e300 is out of range"),
        # read as a note at -1 beats: it failed the take's writers after the work, naming an internal id
        ("<duration>1</duration>", "<duration>-1</duration>", r"a note's <duration> is -1; a note lasts a positive number"),
    ],
)
def test_musicxml_declared_extent_refused(tmp_path, old, new, message):
    path = _write(tmp_path, "hostile.musicxml", MUSICXML.replace(old, new, 1))
    with pytest.raises(ValueError, match=r"hostile\.musicxml: " + message):
        _fast(read_file, path)


def test_musicxml_deep_nesting_is_one_line_not_recursion_error(tmp_path):
    deep = "<direction><direction-type><words>" + "<a>" * 5000 + "</a>" * 5000 + "</words></direction-type></direction>"
    path = _write(tmp_path, "deep.musicxml", MUSICXML.replace("<note>", deep + "<note>", 1))
    with pytest.raises(ValueError, match=r"deep\.musicxml: XML nested \d+ elements deep, over the limit of 64"):
        _fast(read_file, path)


def _mxl(path: Path, text: str, method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as z:
        z.writestr("score.musicxml", text)
    return path


def test_mxl_zip_bomb_refused_before_unpacking(tmp_path):
    text = MUSICXML.replace("</score-partwise>", "<!--" + " " * (4 * 1024 * 1024) + "-->\n</score-partwise>")
    path = _mxl(tmp_path / "bomb.mxl", text)
    assert path.stat().st_size < 100_000
    with pytest.raises(ValueError, match=r"bomb\.mxl: \.mxl member 'score\.musicxml' unpacks .* zip bomb"):
        _fast(read_file, path)


def test_mxl_unpacked_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_MXL_UNCOMPRESSED_BYTES", "500")
    path = _mxl(tmp_path / "big.mxl", MUSICXML)
    with pytest.raises(ValueError, match=r"big\.mxl: \.mxl unpacks to \d+ bytes, over the limit of 500"):
        read_file(path)


def test_mxl_unsupported_compression_is_one_line(tmp_path):
    path = _mxl(tmp_path / "lzma.mxl", MUSICXML, zipfile.ZIP_LZMA)
    with pytest.raises(ValueError, match=r"lzma\.mxl: .*unsupported compression"):
        read_file(path)


def test_mxl_corrupt_deflate_stream_is_one_line(tmp_path):
    good = _mxl(tmp_path / "ok.mxl", MUSICXML * 3)
    data = bytearray(good.read_bytes())
    name_end = 30 + len("score.musicxml")
    for i in range(name_end + 5, name_end + 60):  # inside the compressed data, after the local header
        data[i] ^= 0x5A
    path = _write(tmp_path, "corrupt.mxl", bytes(data))
    with pytest.raises(InputError, match=r"corrupt\.mxl: corrupt"):
        read_file(path)


# ============================================================================ MIDI and audio
def _midi_bytes(ticks_per_beat: int, note_ticks: int, notes: int = 4) -> bytes:
    import mido

    mid = mido.MidiFile(ticks_per_beat=ticks_per_beat)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    for i in range(notes):
        track.append(mido.Message("note_on", note=60 + i, velocity=80, time=0))
        track.append(mido.Message("note_off", note=60 + i, velocity=0, time=note_ticks))
    out = io.BytesIO()
    mid.save(file=out)
    return out.getvalue()


def test_midi_with_tiny_division_refused_by_note_length(tmp_path):
    path = _write(tmp_path, "div2.mid", _midi_bytes(2, 960))  # each note 480 beats
    with pytest.raises(LimitError, match=r"div2\.mid: a note of 480 beats is over the limit of 256 beats"):
        _fast(read_file, path)


def test_midi_too_many_notes(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_PIECE_NOTES", "3")
    path = _write(tmp_path, "many.mid", _midi_bytes(480, 480, notes=5))
    with pytest.raises(LimitError, match=r"many\.mid: number of notes 5 is over the limit of 3"):
        read_file(path)


def test_a_wav_of_endless_empty_chunks_is_refused_not_read(tmp_path):
    """provenance on a WAV of millions of empty RIFF chunks (a sparse file, kilobytes on disk) had
    run for minutes, most of it in the C2PA SDK, which is asked only where a C2PA chunk is."""
    from tunesmith.rights.provenance import read_provenance

    path = tmp_path / "chunks.wav"
    path.write_bytes(b"RIFF\0\0\0\0WAVE" + b"junk\0\0\0\0" * 5000)
    with pytest.raises(ValueError, match=r"chunks\.wav: cannot read its metadata \(more than 1000 RIFF chunks"):
        read_provenance(path)


def test_wav_rendering_bounded_by_length_before_the_synth(monkeypatch):
    from tunesmith.outputs import audio

    data = _midi_bytes(2, 250, notes=40)  # 40 notes of 125 beats: 2,500 s at 120 qpm
    called = []
    monkeypatch.setattr(audio, "find_soundfont", lambda *a: called.append(1) or Path("/nonexistent.sf2"))
    with pytest.raises(LimitError, match=r"2,500 seconds of audio to render, over the limit of 1,200 seconds"):
        _fast(audio.render_wav_bytes, data)
    assert not called  # refused before the SoundFont is even looked for


def test_piece_limits_on_a_built_piece():
    from tunesmith.score import Note, Piece, Tempo, Track

    piece = Piece(piece_id="p", work_id="p", tracks=[Track(name="m", notes=[Note(60, 0.0, 1000.0)])])
    with pytest.raises(LimitError, match=r"^p: a note of 1000 beats is over the limit of 256 beats$"):
        limits.check_piece(piece)
    piece = Piece(piece_id="q", work_id="q", tracks=[Track(name="m", notes=[Note(60, i * 200.0, 200.0) for i in range(100)])],
                  tempos=[Tempo(0.0, 20.0)])
    with pytest.raises(LimitError, match=r"^q: piece of 60,000 seconds is over the limit of 14,400 seconds$"):
        limits.check_piece(piece, max_bars="MAX_COCREATE_BARS")


# ============================================================================ models
def _model_file(folder: Path, *, cfg_over: dict | None = None, layers: int = 2, nan: bool = False,
                drop: str | None = None, meta: dict | None = None) -> Path:
    import safetensors.numpy

    from tunesmith.tokenizer import Tokenizer

    tok = Tokenizer()
    weights_cfg = {"vocab_size": tok.vocab_size, "block_size": 16, "n_layer": layers, "n_head": 2, "n_embd": 8,
                   "dropout": 0.0, "bias": True}
    rng = np.random.default_rng(0)
    arrays = {k: rng.normal(0, 0.02, size=s).astype(np.float32) for k, s in limits.expected_shapes(weights_cfg).items()}
    if nan:
        arrays["h.0.mlp.c_fc.weight"][3, 2] = np.nan
    if drop:
        del arrays[drop]
    info = {"format": "tunesmith-model", "version": 1, "model_config": {**weights_cfg, **(cfg_over or {})},
            "tokenizer": tok.to_dict()}
    if meta is not None:
        info = meta
    folder.mkdir(parents=True, exist_ok=True)
    data = safetensors.numpy.save(arrays, metadata={"format": "tunesmith-model", "tunesmith": json.dumps(info)})
    (folder / "model.safetensors").write_bytes(data)
    return folder


def _load(folder):
    from tunesmith.inference import load_numpy_model

    return _fast(load_numpy_model, folder)


def test_model_sane_tiny_model_loads(tmp_path):
    model, tok, info = _load(_model_file(tmp_path / "ok"))
    assert model.config.n_layer == 2


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"cfg_over": {"n_layer": 1_000_000_000}}, r"model config n_layer=1,000,000,000 is over the limit of 64"),
        ({"cfg_over": {"n_embd": 10**9, "n_head": 1}}, r"model config n_embd=1,000,000,000 is over the limit"),
        ({"cfg_over": {"vocab_size": 10**8}}, r"model config vocab_size=100,000,000 is over the limit"),
        ({"cfg_over": {"block_size": 10**7}}, r"model config block_size=10,000,000 is over the limit"),
        ({"cfg_over": {"n_layer": "4"}}, r"model config n_layer must be a positive integer"),
        ({"layers": 4, "cfg_over": {"n_layer": 2}}, r"weights do not match the config \(n_layer=2.*weights beyond the config"),
        ({"cfg_over": {"n_layer": 3}}, r"weights do not match the config \(n_layer=3.*missing or misshapen \['h\.2\."),
        ({"drop": "h.1.mlp.c_proj.weight"}, r".*missing or misshapen \['h\.1\.mlp\.c_proj\.weight'\]"),
        ({"cfg_over": {"n_embd": 16}}, r"weights do not match the config"),
        ({"nan": True}, r"weight 'h\.0\.mlp\.c_fc\.weight' holds NaN or infinite values"),
        ({"meta": {"format": "tunesmith-model", "tokenizer": {}}}, r"broken tunesmith model \(its metadata has no model_config\)"),
        ({"meta": {"format": "tunesmith-model", "model_config": {"vocab_size": 5}}}, r"broken tunesmith model \(its metadata has no tokenizer\)"),
    ],
)
def test_hostile_models_refused_before_allocating(tmp_path, kw, message):
    folder = _model_file(tmp_path / "m", **kw)
    with pytest.raises(ValueError, match=r"model\.safetensors: " + message):
        _load(folder)


def test_model_file_size_capped_before_reading(tmp_path, monkeypatch):
    folder = _model_file(tmp_path / "m")
    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_MODEL_BYTES", "1000")
    with pytest.raises(LimitError, match=r"model\.safetensors: model file too large \(\d[\d,]* bytes; the limit is 1,000\)"):
        _load(folder)


def test_model_header_lies_about_its_length(tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes((10**12).to_bytes(8, "little") + b"{}")
    with pytest.raises(ValueError, match=r"not a safetensors file \(header length"):
        _load(folder)


def test_torch_loader_shares_the_checks(tmp_path):
    from tunesmith.model import load_model

    with pytest.raises(ValueError, match=r"holds NaN"):
        _fast(load_model, _model_file(tmp_path / "m", nan=True), seconds=10)


# ============================================================================ requests and the CLI
def test_takes_bounded():
    limits.check_takes(1)
    with pytest.raises(LimitError, match=r"--n 100000 is over the limit of 64 takes"):
        limits.check_takes(100000)
    with pytest.raises(LimitError, match=r"--n must be a positive integer, got 0"):
        limits.check_takes(0)


def test_output_stem_checks(tmp_path):
    with pytest.raises(LimitError, match=r"--out /tmp: is a directory"):
        limits.check_output_stem("/tmp")
    with pytest.raises(LimitError, match=r"--out /take: would write /take\.mid"):
        limits.check_output_stem("/take")
    with pytest.raises(LimitError, match=r"is a directory"):
        limits.check_output_stem(str(tmp_path) + "/")
    assert limits.check_output_stem(tmp_path / "take") == tmp_path / "take"
    with pytest.raises(LimitError, match=r"the stem's name is too long for its files' names \(at most 242 bytes\)"):
        limits.check_output_stem(tmp_path / ("L" * 250))


def test_a_file_name_with_a_newline_and_escape_codes_is_one_printable_error_line(tmp_path, capsys):
    """A name holding a newline and a terminal's colour code: the error is one line, the codes shown
    as escapes, and the reader's reason is not cut at the name's newline."""
    from tunesmith.cli import main

    path = tmp_path / "evil\nFAKE: all good\x1b[31mred.mid"
    path.write_bytes(b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x01\xe0MTrk\x00\x00\x00\xa3\x00\xff")
    assert main(["harmonize", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err
    assert "evil\\x0aFAKE: all good\\x1b[31mred.mid: " in err and err.rstrip().endswith(")")


def test_a_long_stem_within_the_limit_writes_its_take(tmp_path):
    """A 240-character stem: STEM.musicxml is a legal name, and the take's staging folder (named
    after the stem) had passed 255 and failed the write after the work."""
    from tunesmith import api

    stem = limits.check_output_stem(tmp_path / ("L" * 240))
    written = api.compose(style="folk", bars=2, seed=1, check=False).write(stem, audio=False, svg=False)
    assert written["musicxml"].name == "L" * 240 + ".musicxml" and written["musicxml"].is_file()


def test_a_folder_in_the_way_of_a_take_is_refused_before_the_work(tmp_path, capsys):
    """With --force, a folder named like one of the take's files (t1.svg/) had failed the commit
    half way: t1.mid and t1.musicxml replaced, no t1.json. And --out afile/t, afile a file, said
    "[Errno 17] File exists: 'afile'"."""
    from tunesmith.cli import main

    (tmp_path / "t1.svg").mkdir()
    assert main(["compose", "--style", "folk", "--bars", "2", "--out", str(tmp_path / "t1"), "--force",
                 "--no-audio", "--seed", "1"]) == 2  # fmt: skip
    assert capsys.readouterr().err.strip().endswith("t1.svg: is a folder; a take's file cannot replace it")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t1.svg"]
    (tmp_path / "afile").write_text("not a folder")
    assert main(["compose", "--style", "folk", "--bars", "2", "--out", str(tmp_path / "afile" / "t"),
                 "--no-audio"]) == 2  # fmt: skip
    assert capsys.readouterr().err.strip().endswith("afile: is a file, not a folder to write the takes in")
    # a format tunesmith does not write: not song3.abc.mid and the rest, silently
    assert main(["compose", "--style", "folk", "--bars", "2", "--out", str(tmp_path / "song3.ly")]) == 2
    assert "song3.ly: tunesmith writes .mid, .musicxml, .abc, .wav, .svg and .json, not .ly" in capsys.readouterr().err
    assert not list(tmp_path.glob("song3*"))


@pytest.mark.parametrize(
    ("name", "data", "argv", "said"),
    [
        ("plain.abc", b"just some text\nwith no header\n", ["harmonize", "{f}", "--out", "{out}"],
         "plain.abc: no ABC tune in it (no X: or K: line)"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, ["rate", "{f}", "--stars", "4"],
         "deep.json: not a take JSON (nested too deeply)"),
        ("model.json", b'{"format": "tunesmith-take/1", "model": "default"}', ["rate", "{f}", "--stars", "4"],
         "model.json: not a tunesmith take JSON (model should be an object, not str)"),
        ("seed.json", b'{"format": "tunesmith-take/1", "seed": NaN}', ["rate", "{f}", "--stars", "4"],
         "seed.json: not a tunesmith take JSON (seed should be a whole number, not nan)"),
        ("huge.csv", b"preferred,other\n" + b"a" * 200_000 + b".json,b.json\n", ["preferences", "import", "{f}"],
         "huge.csv: not a preferences CSV (field larger than field limit (131072))"),
        ("junk.toml", b"\x84\x00\xff junk", ["train", "--config", "{f}", "--out", "{out}"],
         "junk.toml: not a TOML config (not UTF-8 text)"),
        (None, None, ["compose", "--style", "folk", "--meter", "4/1024", "--out", "{out}"],
         "meter 4/1024 out of bounds; supported: 2/4, 3/4, 4/4, 5/4, 6/4, 7/4, 8/4, 2/2, 3/2, 4/2, 3/8, 5/8, 6/8, 7/8, 9/8, 12/8"),
        # a meter not written as N/D is told how to write it (a teacher's "3-4" had been "out of bounds")
        (None, None, ["compose", "--style", "folk", "--meter", "3-4", "--out", "{out}"],
         "meter '3-4': write it as beats/note value, such as 3/4 or 6/8; supported: 2/4, 3/4, 4/4, 5/4, 6/4, 7/4, "
         "8/4, 2/2, 3/2, 4/2, 3/8, 5/8, 6/8, 7/8, 9/8, 12/8"),
        (None, None, ["compose", "--style", "folk", "--tempo", "nan", "--out", "{out}"],
         "tempo nan out of bounds 13.3..266.7 beats per minute in 6/8"),
    ],
)
def test_a_bad_argument_or_file_is_one_line_in_words(tmp_path, monkeypatch, capsys, name, data, argv, said):
    """Each had leaked an internal message: music21's token objects, RecursionError, csv.Error
    with no file named, a UnicodeDecodeError, bounds printed as nan..nan."""
    from tunesmith.cli import main

    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    f = tmp_path / (name or "none")
    if data is not None:
        f.write_bytes(data)
    assert main([a.format(f=f, out=tmp_path / "out") for a in argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith(said) and len(err.splitlines()) == 1, err


def test_a_take_too_long_for_its_wav_is_refused_before_the_model(tmp_path, monkeypatch, capsys):
    """A slow MIDI file (1,600 seconds) had been harmonized, then refused by the WAV writer in a
    line naming neither file nor --no-audio; with --no-audio the take is written."""
    from tunesmith.cli import main
    from tunesmith.outputs.midi import write_midi
    from tunesmith.score import Note, Piece, Tempo, TimeSignature, Track

    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_RENDER_SECONDS", "60")
    notes = [Note(60 + (i % 5) * 2, float(i), 1.0, 80) for i in range(16)]  # 16 beats at 12 qpm: 80 s
    piece = Piece("slow", "slow", tracks=[Track("melody", "melody", notes=notes)], tempos=[Tempo(0.0, 12.0)],
                  time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip
    write_midi(piece, tmp_path / "slow.mid")
    out = tmp_path / "h"
    assert main(["harmonize", str(tmp_path / "slow.mid"), "--style", "folk", "--out", str(out), "--no-svg"]) == 2
    assert capsys.readouterr().err.strip().endswith(
        "slow.mid: 80 seconds of music, over the 60 seconds a take's WAV may last; --no-audio writes the take without it")
    assert not list(tmp_path.glob("h*"))
    assert main(["harmonize", str(tmp_path / "slow.mid"), "--style", "folk", "--out", str(out), "--no-svg",
                 "--no-audio"]) == 0  # fmt: skip


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"n_layer": 100}, r"config: model config n_layer=100 is over the limit of 64"),
        ({"n_layer": 48, "n_embd": 4096, "n_head": 64}, r"parameter count the config implies, 9,670,094,848 is over"),
        ({"block_size": 100_000_000}, r"block_size=100,000,000 is over the limit of 16,384"),
    ],
)
def test_a_training_config_keeps_to_the_limits_a_model_is_loaded_under(kw, message):
    """A config of n_layer 100 had trained a model that compose refused to load; n_layer 10^6 had
    tried to allocate its weights and died at 3.3 GB."""
    from tunesmith.config import TrainConfig

    with pytest.raises(LimitError, match=message):
        TrainConfig(**kw)


def test_choices_take_any_case():
    """--chord-rhythm Bar and --chords-from Table had been refused, though --style Folk is not."""
    from tunesmith.cli import build_parser

    args = build_parser().parse_args(["harmonize", "x.mid", "--chord-rhythm", "Bar", "--chords-from", "Table",
                                      "--out", "o"])  # fmt: skip
    assert (args.chord_rhythm, args.chords_from) == ("bar", "table")
    assert build_parser().parse_args(["compose", "--style", "folk", "--chords-from", "Harmonizer", "--out",
                                      "o"]).chords_from == "harmonizer"  # fmt: skip


def test_empty_key_is_one_line():
    from tunesmith.cli._common import parse_key

    with pytest.raises(ValueError, match=r"--key is empty"):
        parse_key("", None)


def _cli(argv, capsys):
    from tunesmith.cli import main

    code = _fast(main, argv, seconds=20)
    err = capsys.readouterr().err
    return code, err


@pytest.mark.parametrize(
    ("verb", "extra"),
    [("harmonize", []), ("continue", ["--bars", "4"]), ("inpaint", ["--bars", "1-1"])],
)
def test_cocreate_cli_hostile_file_is_one_line(tmp_path, capsys, verb, extra):
    path = _write(tmp_path, "meter.abc", ABC.replace("M:4/4", "M:1000000/1"))
    code, err = _cli([verb, str(path), *extra, "--out", str(tmp_path / "o"), "--no-audio", "--no-svg"], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "meter.abc" in lines[0] and "meter 1000000/1 is too large" in lines[0]
    assert "Traceback" not in err


def test_cocreate_cli_bounds_n_and_out(tmp_path, capsys):
    path = _write(tmp_path, "tune.abc", ABC)
    code, err = _cli(["harmonize", str(path), "--n", "100000", "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "--n 100000 is over the limit of 64 takes" in err
    code, err = _cli(["harmonize", str(path), "--out", "/tmp"], capsys)
    assert code == 2 and "--out /tmp: is a directory" in err


def test_cocreate_input_size_limit(tmp_path, monkeypatch):
    from tunesmith.cocreate import load_piece

    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_COCREATE_FILE_BYTES", "50")
    with pytest.raises(ValueError, match=r"tune\.abc: file too large \(\d+ bytes; the limit is 50\)"):
        load_piece(_write(tmp_path, "tune.abc", ABC))


def test_cocreate_input_bar_limit(tmp_path, monkeypatch):
    from tunesmith.cocreate import load_piece

    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_COCREATE_BARS", "2")
    with pytest.raises(LimitError, match=r"tune\.abc: number of bars 4 is over the limit of 2"):
        load_piece(_write(tmp_path, "tune.abc", ABC))


def test_kept_notes_check_reports_not_asserts():
    from tunesmith.cocreate import KeptNotesError, _assert_kept
    from tunesmith.score import Note

    with pytest.raises(KeptNotesError, match=r"co-create changed the musician's notes"):
        _assert_kept([Note(60, 0.0, 1.0)], [Note(61, 0.0, 1.0)], "the melody")
    assert issubclass(KeptNotesError, ValueError) and not issubclass(KeptNotesError, AssertionError)


# ============================================================================ the corpus build's workers
def test_suspect_verdicts_are_not_cached():
    from tunesmith.corpus.build import _suspect

    assert _suspect(["ImportError: cannot import name 'x'"])
    assert _suspect(["out of memory (worker limit 2048 MB; worker replaced)"])
    assert not _suspect(["tune 2 (X:7): meter 1000000/1 is too large"])


def _oom_or_echo(task):
    if task == "boom":
        raise MemoryError
    return task


def test_pool_retires_a_worker_after_out_of_memory():
    from tunesmith.corpus.pool import ERROR, OK, TaskPool

    pool = TaskPool(f"{__name__}:_oom_or_echo", workers=1, context="fork")
    results = list(pool.run(["a", "boom", "b", "c"], lambda t: 30.0))
    by_task = {t: (s, p) for t, s, p in results}
    assert by_task["boom"][0] == ERROR and "out of memory" in by_task["boom"][1]
    assert by_task["b"] == (OK, "b") and by_task["c"] == (OK, "c")  # the next files are not blamed
    assert pool.replaced == 1


def test_limits_env_override_and_defaults(monkeypatch):
    assert limits.limit("MAX_TAKES") == limits.DEFAULTS["MAX_TAKES"]
    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_TAKES", "3")
    assert limits.limit("MAX_TAKES") == 3
    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_TAKES", "lots")
    with pytest.raises(LimitError, match=r"TUNESMITH_LIMIT_MAX_TAKES='lots' is not a number"):
        limits.limit("MAX_TAKES")


def test_cocreate_cli_reports_a_bad_input_before_an_existing_output(tmp_path, capsys):
    path = _write(tmp_path, "meter.abc", ABC.replace("M:4/4", "M:1000000/1"))
    out = tmp_path / "o"
    (tmp_path / "o.mid").write_bytes(b"")  # a take already there: the bad input is still what is reported
    code, err = _cli(["harmonize", str(path), "--out", str(out), "--no-audio", "--no-svg"], capsys)
    assert code == 2 and "meter 1000000/1 is too large" in err and "exist" not in err
    good = _write(tmp_path, "tune.abc", ABC)
    code, err = _cli(["harmonize", str(good), "--out", str(out), "--no-audio", "--no-svg"], capsys)
    assert code == 2 and "--force" in err


def test_a_system_folder_or_a_url_is_no_folder_of_music(tmp_path, monkeypatch):
    """corpus add / had been accepted, and check --against / walked the machine for minutes; a URL
    had been "no such folder"; a folder walk stops at MAX_FOLDER_ENTRIES."""
    from tunesmith.corpus.registry import FolderRegistry
    from tunesmith.rights.check import index_of_folder

    for folder in ("/", "/etc", "/proc/self"):
        with pytest.raises(LimitError, match=r"a system folder, not a folder of music"):
            limits.check_music_folder(folder)
    with pytest.raises(LimitError, match=r"/etc: is /etc, a system folder"):
        index_of_folder("/etc")
    registry = FolderRegistry(tmp_path / "registry.sqlite")
    with pytest.raises(ValueError, match=r"/: is /, a system folder"):
        registry.add("/", style="folk", license="CC0-1.0")
    with pytest.raises(ValueError, match=r"http://example.org/tunes: URLs are not read"):
        registry.add("http://example.org/tunes", style="folk", license="CC0-1.0")
    for i in range(12):
        (tmp_path / f"t{i}.mid").write_bytes(b"")
    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_FOLDER_ENTRIES", "10")
    with pytest.raises(LimitError, match=r"more than 10 files and folders under it"):
        limits.walk_files(tmp_path, (".mid",))


def test_a_metadata_csv_with_an_endless_field_is_one_line(tmp_path):
    from tunesmith.corpus.metadata import read_metadata_csv

    path = tmp_path / "deep.csv"
    path.write_text("file,year\n" + "a" * 200_000 + ",1900\n")
    with pytest.raises(ValueError, match=r"deep\.csv: not a metadata CSV \(field larger than field limit"):
        read_metadata_csv(path, tmp_path)


def _take():
    import tunesmith as ts

    return ts.compose("folk", bars=2, seed=1, check=False)


@pytest.mark.parametrize("call, error, said", [
    # an app developer's first day with the Python API (session 49): each had crashed deep inside
    # with another object's message, or been taken silently
    (lambda ts, t, d: ts.read(d / "nope.abc"), FileNotFoundError, r"nope\.abc: no such file$"),
    (lambda ts, t, d: ts.read(b"X:1\nK:C\nCDEF|"), TypeError, r"^a music file's path is a str or os\.PathLike, not bytes"),
    (lambda ts, t, d: ts.harmonize(None), TypeError, r"^a music file's path is a str or os\.PathLike, not NoneType$"),
    (lambda ts, t, d: ts.read(d / "x.abc", tune="1"), TypeError, r"^tune must be a whole number"),
    (lambda ts, t, d: ts.compose("folk", chords=5), TypeError, r"^chords must be chord symbols: a string"),
    (lambda ts, t, d: ts.compose("folk", model=5), TypeError, r"^model must be 'default', a model folder"),
    (lambda ts, t, d: ts.compose("folk", check="no"), TypeError, r"^check must be True or False, not 'no'$"),
    (lambda ts, t, d: ts.compose("folk", in_scale="yes"), ValueError, r"^in_scale must be true or false"),
    (lambda ts, t, d: ts.compose("folk", pitch_range=(60.5, 70)), ValueError, r"^pitch_range must be 'C4:G5' or two"),
    (lambda ts, t, d: ts.harmonize(t, lookahead="x"), ValueError, r"^lookahead must be a whole number in 0\.\.32"),
    (lambda ts, t, d: ts.inpaint(t, bars="1-2", keep=5), TypeError, r"^keep must be part names"),
    (lambda ts, t, d: ts.check(t, top=-1), ValueError, r"^top must be a whole number in 1\.\.50"),
    (lambda ts, t, d: ts.check(None), TypeError, r"^check: source must be a file path, a Piece or a Take"),
    (lambda ts, t, d: t.write("/take"), ValueError, r"^path /take: would write /take\.mid \.\.\. in the filesystem root"),
    (lambda ts, t, d: t.write(d), ValueError, r": is a directory; give a file stem inside it"),
    (lambda ts, t, d: t.write(d / "one.txt"), ValueError, r"one\.txt: tunesmith writes \.mid, \.musicxml, \.abc, \.wav"),
    (lambda ts, t, d: t.write(None), TypeError, r"^path must be a path \(str or os\.PathLike\), not NoneType$"),
])  # fmt: skip
def test_the_python_api_names_a_bad_argument(tmp_path, monkeypatch, call, error, said):
    import tunesmith as ts

    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    (tmp_path / "x.abc").write_text("X:1\nT:x\nM:4/4\nL:1/4\nK:C\nCDEF|GABc|\n")
    with pytest.raises(error, match=said):
        call(ts, _take(), tmp_path)
    assert not list(tmp_path.glob("*.mid"))  # nothing half-written


def test_write_takes_takes_a_single_take(tmp_path):
    import tunesmith as ts

    files = ts.write_takes(_take(), tmp_path / "one", audio=False, svg=False)  # compose(n=1) is a Take, not a list
    assert files[0]["mid"].name == "one.mid" and files[0]["json"].is_file()


def test_check_and_read_take_any_input_files_limits_not_cocreates(tmp_path, capsys):
    """`check` (and `tunesmith.read`) read a file within any input file's limits (10,000 bars), not
    co-create's 512: a clearance officer's long medley had been refused by `check` at 512 bars,
    where the README gives 10,000 for an input file. Co-create keeps its own."""
    import tunesmith as ts
    from tunesmith.cocreate import load_piece

    path = _write(tmp_path, "medley.abc", "X:1\nT:medley\nM:4/4\nL:1/8\nK:G\n" + "|".join(["GABc dBAG"] * 600) + "|]\n")
    assert ts.read(path).n_bars >= 600
    code, _ = _cli(["check", str(path)], capsys)
    assert code == 0
    with pytest.raises(LimitError, match=r"medley\.abc: number of bars 600 is over the limit of 512"):
        load_piece(path)
    with pytest.raises(ValueError, match=r"over the limit of 512"):
        ts.continue_(path, bars=2)
