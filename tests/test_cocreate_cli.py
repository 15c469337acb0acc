"""`tunesmith continue | harmonize | inpaint` end to end: the WRITTEN files, read back with
`tunesmith.inputs.read_file`, still hold the musician's notes (MIDI and MusicXML), on an
untrained model saved to disk."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).parent))

from test_cocreate import chorale, lead_sheet, melody_only  # noqa: E402
from tunesmith.cli import cocreate as cli  # noqa: E402
from tunesmith.inputs import read_file  # noqa: E402
from tunesmith.metrics import harmony_rules  # noqa: E402
from tunesmith.model import GPT, ModelConfig, save_model  # noqa: E402
from tunesmith.outputs.midi import write_midi  # noqa: E402
from tunesmith.outputs.musicxml import write_musicxml  # noqa: E402
from tunesmith.tokenizer import Tokenizer  # noqa: E402

FAST = ["--no-audio", "--no-svg"]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    tok = Tokenizer()
    torch.manual_seed(3)
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=512, n_layer=2, n_head=2, n_embd=32)).eval()
    folder = tmp_path_factory.mktemp("model")
    save_model(folder, model, tok, {"name": "tiny-random"})
    return folder


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("inputs")
    files = {
        "lead.mid": lead_sheet(16),
        "lead.musicxml": lead_sheet(16),
        "jig.mid": lead_sheet(8, (6, 8), pickup=0.5),
        "melody.musicxml": melody_only(chorale(8)),
        "tune.musicxml": melody_only(lead_sheet(8)),
        "melody.mid": melody_only(chorale(8), "soprano"),
        "chorale.mid": chorale(8),
        "chorale.musicxml": chorale(8),
    }
    out = {}
    for name, piece in files.items():
        path = d / name
        (write_midi if name.endswith(".mid") else write_musicxml)(piece, path)
        out[name] = path
    abc = d / "tune.abc"
    abc.write_text(
        'X:1\nT:Test reel\nM:4/4\nL:1/8\nK:G\n"G"GABc dBGB|"C"c2ec "D"dBAG|"G"GABc dBGB|"D"A2FA "G"G4|\n'
        '"Em"e2ef gfed|"C"c2ec "D"d2BG|"Em"e2ef "C"gfed|"D"cAFA "G"G4|\n'
    )
    out["tune.abc"] = abc
    bad = {  # inputs every verb must refuse before any work
        "odd-meter.abc": "X:1\nT:odd\nM:11/8\nL:1/8\nK:C\nCDEFGABcdef|gfedcBAGFED|\n",
        "meter-change.abc": "X:1\nT:change\nM:4/4\nL:1/4\nK:C\nCDEF|M:3/4\nGAB|\n",
        "rests.abc": "X:1\nT:rests\nM:4/4\nL:1/4\nK:C\nz4|z4|\n",
        "junk.musicxml": "this is not music",
    }
    for name, text in bad.items():
        (d / name).write_text(text)
        out[name] = d / name
    (d / "junk.mid").write_bytes(b"MThd not really a midi file")
    out["junk.mid"] = d / "junk.mid"
    return out


def notes(path: Path, role: str | None = None) -> list[tuple]:
    """(onset, pitch, duration) of the melody (or `role`) as read back from `path`, in time order."""
    piece = read_file(path)[0]
    track = piece.track(role) if role else piece.melody()
    return sorted((round(n.onset, 3), n.pitch, round(n.duration, 3)) for n in track.notes)


def chords(path: Path) -> list[tuple]:
    return [(round(c.onset, 3), c.figure) for c in read_file(path)[0].chords]


def first_part_notes(xml: Path) -> list[tuple]:
    """Notes of the FIRST part of a MusicXML file (the melody/soprano must come first)."""
    piece = read_file(xml)[0]
    assert piece.tracks[0].role in ("melody", "soprano")
    return sorted((round(n.onset, 3), n.pitch, round(n.duration, 3)) for n in piece.tracks[0].notes)


def run(verb: str, *argv: str) -> int:
    return cli.main(verb, [str(a) for a in argv])


def test_continue_keeps_the_prefix_in_midi_and_musicxml(model_dir, inputs, tmp_path, capsys):
    src = inputs["lead.mid"]
    stem = tmp_path / "cont"
    assert run("continue", src, "--bars", 8, "--style", "folk", "--model", model_dir, "--seed", 1, "--out", stem,
               "--json", *FAST) == 0  # fmt: skip
    summary = json.loads(capsys.readouterr().out)
    given = notes(src)
    boundary = 64.0
    for out in (stem.with_suffix(".mid"), stem.with_suffix(".musicxml")):
        written = notes(out)
        assert [n for n in written if n[0] < boundary] == given
        assert any(n[0] >= boundary for n in written), "new bars were written"
        assert read_file(out)[0].n_bars == 24
    assert first_part_notes(stem.with_suffix(".musicxml"))[: len(given)] == given
    given_chords = chords(src)
    for out in (stem.with_suffix(".mid"), stem.with_suffix(".musicxml")):
        assert [c for c in chords(out) if c[0] < boundary] == given_chords, "the given chord symbols are kept"
    record = json.loads(stem.with_suffix(".json").read_text())
    assert record["request"]["command"] == "continue" and record["request"]["bars"] == 8
    assert record["input_file"]["name"] == "lead.mid" and len(record["input_file"]["sha256"]) == 64
    assert record["model"]["id"] == "tiny-random" and record["seed"] == 1 == summary["seed"]
    assert record["files"]["mid"] == "cont.mid"
    # compose's summary has the same keys: a program reads every verb's --json alike
    from tunesmith.cli import main as tunesmith_main

    assert tunesmith_main(["compose", "--style", "folk", "--bars", "4", "--model", str(model_dir), "--seed", "1",
                           "--out", str(tmp_path / "comp"), "--json", *FAST]) == 0  # fmt: skip
    composed = json.loads(capsys.readouterr().out)
    assert composed["command"] == "compose" and summary["command"] == "continue"
    shared = {"command", "seed", "request", "model", "seconds", "takes", "copy_guard", "remarks", "write_seconds",
              "total_seconds"}  # fmt: skip
    assert shared <= set(composed) and shared <= set(summary)
    assert set(composed["seconds"]) == set(summary["seconds"]) == {"load_model", "generate", "generate_per_take"}


def test_a_co_created_take_says_what_is_the_musicians_in_its_usage_and_provenance(model_dir, inputs, tmp_path,
                                                                                  capsys):  # fmt: skip
    """A continuation's usage text had been a generated take's ("you may use ... sell this music")
    beside the label "AI-generated in part", and `tunesmith provenance` called its files plainly
    "AI-generated"."""
    from tunesmith.cli import main

    stem = tmp_path / "cont"
    assert run("continue", inputs["lead.mid"], "--bars", 4, "--style", "folk", "--model", model_dir, "--seed", 1,
               "--out", stem, "--no-svg") == 0  # fmt: skip
    usage = json.loads(stem.with_suffix(".json").read_text())["rights"]["usage"]
    assert usage.startswith("AI-generated in part, co-created with a musician (compositeWithTrainedAlgorithmicMedia)")
    assert "the musician's own notes remain the musician's" in usage and "in its takes" not in usage
    capsys.readouterr()
    assert main(["provenance", str(stem.with_suffix(".mid")), str(stem.with_suffix(".wav"))]) == 0
    lines = [x for x in capsys.readouterr().out.splitlines() if not x.startswith(" ")]
    assert len(lines) == 2 and all(": AI-generated in part, co-created with a musician (the musician's: bars up to"
                                   in x for x in lines), lines  # fmt: skip


def test_chords_from_the_shipped_harmonizer_bring_its_training_data_into_the_take(tmp_path_factory, inputs, tmp_path):
    """A model of the user's own (CC0 data here) whose takes' chords come from the shipped
    harmonizer: the take names the harmonizer's data too (GPL-3.0 Nottingham tunes); it had listed
    the model's alone."""
    tok = Tokenizer()
    torch.manual_seed(3)
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=512, n_layer=2, n_head=2, n_embd=32)).eval()
    folder = tmp_path_factory.mktemp("cc0model")
    save_model(folder, model, tok, {"name": "mine", "provenance": {"licenses": {"CC0-1.0": 30}, "sources": {"mine": 30}}})
    stem = tmp_path / "h"
    assert run("harmonize", inputs["tune.musicxml"], "--style", "folk", "--model", folder, "--seed", 1, "--out", stem,
               *FAST) == 0  # fmt: skip
    record = json.loads(stem.with_suffix(".json").read_text())
    assert record["chords_training_data"]["harmonizer"] == "harmonizer-lead"
    # every source it names has its license beside it: billboard's CC0 songs (the chord prior's) had none
    data = record["chords_training_data"]
    assert sum(data["licenses"].values()) == sum(data["sources"].values()), data
    assert "billboard" not in data["sources"] or "CC0-1.0" in data["licenses"], data
    assert {"CC0-1.0", "GPL-3.0"} <= set(record["training_licenses"]) and "nottingham" in record["training_sources"]
    assert "GPL-3.0" in record["rights"]["usage"]
    # the composer's own chords: the model's data alone
    assert run("harmonize", inputs["tune.musicxml"], "--style", "folk", "--model", folder, "--seed", 1,
               "--chords-from", "model", "--out", tmp_path / "m", *FAST) == 0  # fmt: skip
    own = json.loads((tmp_path / "m.json").read_text())
    assert own["training_licenses"] == ["CC0-1.0"] and "chords_training_data" not in own


def test_composing_a_style_the_model_never_learned_is_said(tmp_path_factory):
    """A folk-only model had written a chorale and said nothing."""
    from tunesmith import api

    tok = Tokenizer()
    torch.manual_seed(3)
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=512, n_layer=2, n_head=2, n_embd=32)).eval()
    folder = tmp_path_factory.mktemp("folkonly")
    save_model(folder, model, tok, {"name": "folky", "provenance": {"style_counts": {"folk": 35}}})
    chorale = api.compose("chorale", bars=2, seed=1, model=str(folder), check=False)
    assert "this model learned from no chorale pieces (its training pieces: folk 35): expect little of the style" \
        in chorale.remarks
    assert not any("learned from no" in r for r in api.compose("folk", bars=2, seed=1, model=str(folder),
                                                                check=False).remarks)  # fmt: skip


def test_a_file_name_that_is_not_utf8_is_read_and_its_take_written(model_dir, inputs, tmp_path):
    """A file name holding bytes that are not UTF-8 (a surrogate in Python) had failed the MIDI
    writer after the take was made: TypeError from symusic's TextMeta. Its title and the take's
    record carry U+FFFD instead."""
    odd = tmp_path / os.fsdecode(b"caf\xe9.mid")  # latin-1 bytes in the name
    odd.write_bytes(Path(inputs["lead.mid"]).read_bytes())
    stem = tmp_path / "harm"
    assert run("harmonize", odd, "--style", "folk", "--model", model_dir, "--seed", 1, "--out", stem, *FAST) == 0
    record = json.loads(stem.with_suffix(".json").read_text())
    assert record["input_file"]["name"] == "caf\ufffd.mid"
    assert read_file(stem.with_suffix(".mid"))[0].n_bars > 0


def test_the_input_is_recorded_by_its_name_without_the_folders_above_it(model_dir, inputs, tmp_path, monkeypatch, capsys):
    """Run from a folder far above the input (a musician in /), the take's files name the input as
    "lead.mid", not "tmp/.../lead.mid": a path relative to the working folder still names the
    machine's folders."""
    monkeypatch.chdir(Path(inputs["lead.mid"]).anchor)
    stem = tmp_path / "cont"
    assert run("continue", inputs["lead.mid"], "--bars", 4, "--style", "folk", "--model", model_dir, "--seed", 1,
               "--out", stem, "--no-audio", "--no-svg") == 0  # fmt: skip
    record = json.loads(stem.with_suffix(".json").read_text())
    assert record["request"]["input"] == record["input_file"]["path"] == "lead.mid"
    folders = [part for part in Path(inputs["lead.mid"]).parent.parts if part != "/"]
    for out in (stem.with_suffix(".mid"), stem.with_suffix(".musicxml"), stem.with_suffix(".json")):
        data = out.read_bytes()
        assert not any(part.encode() in data for part in folders if len(part) > 3), out


def test_continue_reads_the_chords_a_midi_lead_sheet_plays_on_its_own_track(model_dir, tmp_path, capsys):
    """A songwriter's MIDI: a melody track and a piano track of block chords, no chord symbols.
    The chords are read from the piano (the file's own bars named as played), the new bars get
    chords too, and the take's JSON and the command line say where the chords came from."""
    import copy

    from tunesmith.harmony import chord_pitches
    from tunesmith.score import Note, Track

    sheet = lead_sheet(8)
    played = [Note(p, c.onset, c.duration or 4.0) for c in sheet.chords for p in chord_pitches(c.figure, base=48)]
    song = copy.deepcopy(sheet)
    song.chords = []
    song.tracks = [song.melody(), Track("Piano", "accompaniment", 0, False, played)]
    src = tmp_path / "song.mid"
    write_midi(song, src)
    assert chords(src) == []
    stem = tmp_path / "cont"
    assert run("continue", src, "--bars", 4, "--style", "pop", "--model", model_dir, "--seed", 1, "--out", stem,
               *FAST) == 0  # fmt: skip
    said = capsys.readouterr().out
    assert "chord symbol(s) read from the input's Piano track(s)" in said
    # pop restates half the new bars by default (A A'): the line says so, and how not to; each
    # remark on its own line under the summary (a continuation's had been one line of 800 characters)
    assert "\n  the first 2 new bar(s) restate bars 1-2 (A A'; --reprise 0: all new)\n" in said
    record = json.loads(stem.with_suffix(".json").read_text())
    read = record["request"]["input_chords_read_from"]
    assert read["tracks"] == ["Piano"] and read["chords"] >= 1
    out = chords(stem.with_suffix(".musicxml"))
    # D G A7 D Bm Em7 A7 D, a bar each: read back as played
    assert [c for c in out if c[0] < 32.0] == [(round(c.onset, 3), c.figure) for c in sheet.chords]
    assert any(c[0] >= 32.0 for c in out), "the new bars have chords"
    assert notes(stem.with_suffix(".mid"), "accompaniment") == sorted((round(n.onset, 3), n.pitch, round(n.duration, 3)) for n in played)
    # inpaint keeps the piano track, so it keeps the chords read from it (new ones would sound
    # against it); keeping the melody as well leaves nothing to write: one line says why
    inp = tmp_path / "inp"
    assert run("inpaint", src, "--bars", "2-3", "--style", "pop", "--model", model_dir, "--seed", 1, "--out", inp,
               *FAST) == 0  # fmt: skip
    assert chords(inp.with_suffix(".musicxml")) == [(round(c.onset, 3), c.figure) for c in sheet.chords]
    capsys.readouterr()
    assert run("inpaint", src, "--bars", "2-3", "--keep", "melody", "--model", model_dir, "--out", tmp_path / "k",
               *FAST) == 2  # fmt: skip
    assert "its chords are played on its Piano track, which inpaint keeps" in capsys.readouterr().err
    # harmonize writes new chords for the melody and keeps the piano part as it was (it had dropped it)
    har = tmp_path / "har"
    assert run("harmonize", src, "--style", "pop", "--model", model_dir, "--seed", 1, "--out", har, *FAST) == 0
    assert notes(har.with_suffix(".mid"), "accompaniment") == sorted((round(n.onset, 3), n.pitch, round(n.duration, 3)) for n in played)
    # the file says which notes were the musician's: `check` leaves them out
    from tunesmith.rights.check import musicians_notes
    from tunesmith.rights.provenance import read_provenance

    for out_file in (stem.with_suffix(".mid"), stem.with_suffix(".musicxml")):
        given, said = musicians_notes(read_file(out_file)[0], read_provenance(out_file)["fields"]["request"])
        assert {(n.pitch, round(n.onset, 4)) for n in song.melody().notes} <= given and "(from song.mid)" in said


def test_continue_over_chords_the_musician_gives_or_the_given_ones_again(model_dir, inputs, tmp_path, capsys):
    """--chords: the new bars' symbols, one per bar and cycling, the last bar the tonic's under a
    closing cadence; 'again': the given bars' chords once more (a blues's next chorus). A
    symbol that does not parse is one line, before the model loads."""
    src = inputs["lead.mid"]  # 16 bars in D: D G A7 D Bm Em7 A7 D, twice
    given = chords(src)
    stem = tmp_path / "over"
    assert run("continue", src, "--bars", 4, "--style", "folk", "--model", model_dir, "--seed", 1, "--chords", "G C",
               "--reprise", 0, "--out", stem, *FAST) == 0  # fmt: skip
    new = [c for c in chords(stem.with_suffix(".musicxml")) if c[0] >= 64.0]
    assert new == [(64.0, "G"), (68.0, "C"), (72.0, "G"), (76.0, "D")]  # the last bar: the tonic's, as a piece ends
    # pop restates its opening by default; over new chords it does not (the opening's melody was
    # not written for them): the chords start at the first new bar
    pop = tmp_path / "pop"
    assert run("continue", src, "--bars", 4, "--style", "pop", "--model", model_dir, "--seed", 1, "--chords", "G C",
               "--out", pop, *FAST) == 0  # fmt: skip
    assert [c for c in chords(pop.with_suffix(".musicxml")) if c[0] >= 64.0] == new
    assert not (json.loads(pop.with_suffix(".json").read_text())["request"]["resolved"].get("reprise") or {}).get("bars")
    free = tmp_path / "free"
    assert run("continue", src, "--bars", 4, "--style", "folk", "--model", model_dir, "--seed", 1, "--chords", "G C",
               "--reprise", 0, "--cadence", "free", "--out", free, *FAST) == 0  # fmt: skip
    assert [c for c in chords(free.with_suffix(".musicxml")) if c[0] >= 64.0][-1] == (76.0, "C")
    again = tmp_path / "again"
    assert run("continue", src, "--bars", 16, "--style", "folk", "--model", model_dir, "--seed", 2, "--chords", "again",
               "--reprise", 0, "--out", again, *FAST) == 0  # fmt: skip
    assert [(t + 64.0, f) for t, f in given] == [c for c in chords(again.with_suffix(".musicxml")) if c[0] >= 64.0]
    record = json.loads(again.with_suffix(".json").read_text())
    assert record["request"]["chords"] == "again"
    capsys.readouterr()
    assert run("continue", src, "--bars", 4, "--chords", "G Xq7", "--out", tmp_path / "bad", *FAST) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "chords: 'Xq7' is not a chord symbol" in err[0]


def test_continue_jig_with_pickup(model_dir, inputs, tmp_path):
    src = inputs["jig.mid"]
    stem = tmp_path / "jig"
    assert run("continue", src, "--bars", 4, "--model", model_dir, "--seed", 2, "--out", stem, *FAST) == 0
    given = notes(src)
    end = 0.5 + 8 * 3.0
    written = notes(stem.with_suffix(".mid"))
    assert [n for n in written if n[0] < end] == given
    assert all(n[0] >= end for n in written[len(given) :])


@pytest.mark.parametrize("name", ["melody.musicxml", "melody.mid"])
def test_harmonize_chorale_keeps_the_soprano(model_dir, inputs, tmp_path, name):
    src = inputs[name]
    stem = tmp_path / "satb"
    assert run("harmonize", src, "--style", "chorale", "--model", model_dir, "--seed", 3, "--out", stem) == 0
    for kind in ("mid", "musicxml", "wav", "svg", "json"):
        assert stem.with_suffix("." + kind).is_file(), kind
    given = notes(src)
    assert notes(stem.with_suffix(".mid"), "soprano") == given
    assert first_part_notes(stem.with_suffix(".musicxml")) == given
    piece = read_file(stem.with_suffix(".mid"))[0]
    assert {t.role for t in piece.tracks} >= {"soprano", "alto", "tenor", "bass"}
    rates = harmony_rules.harmony_rule_rates(piece)
    assert rates["voice_crossings"] == 0 and rates["range_violations"] == 0


@pytest.mark.parametrize("name", ["tune.abc", "tune.musicxml"])
def test_harmonize_lead_sheet_keeps_the_melody(model_dir, inputs, tmp_path, name):
    src = inputs[name]
    stem = tmp_path / "chords"
    assert run("harmonize", src, "--style", "jazz", "--model", model_dir, "--seed", 4, "--out", stem, *FAST) == 0
    given = notes(src)
    assert notes(stem.with_suffix(".mid")) == given
    assert first_part_notes(stem.with_suffix(".musicxml")) == given
    onsets = {c[0] for c in chords(stem.with_suffix(".mid"))}
    assert all(float(4 * b) in onsets for b in range(8)), "a chord symbol on every bar"


def test_inpaint_keeps_everything_outside_the_bars(model_dir, inputs, tmp_path):
    src = inputs["lead.mid"]
    stem = tmp_path / "var"
    assert run("inpaint", src, "--bars", "5-8", "--n", 3, "--model", model_dir, "--seed", 5, "--out", stem, *FAST) == 0
    given, given_chords = notes(src), chords(src)
    t0, t1 = 16.0, 32.0
    variants = set()
    for i in (1, 2, 3):
        for out in (tmp_path / f"var-{i}.mid", tmp_path / f"var-{i}.musicxml"):
            written = notes(out)
            assert [n for n in written if not t0 <= n[0] < t1] == [n for n in given if not t0 <= n[0] < t1]
            variants.add(tuple(n for n in written if t0 <= n[0] < t1))
        outside = [c for c in chords(tmp_path / f"var-{i}.mid") if not t0 <= c[0] < t1]
        assert outside == [c for c in given_chords if not t0 <= c[0] < t1]
    assert len(variants) > 1, "the takes differ inside the bars"


def test_inpaint_keep_melody_rewrites_only_the_chords(model_dir, inputs, tmp_path):
    src = inputs["lead.musicxml"]
    stem = tmp_path / "rehar"
    assert run("inpaint", src, "--bars", "9-12", "--keep", "melody", "--model", model_dir, "--seed", 6,
               "--out", stem, *FAST) == 0  # fmt: skip
    given, given_chords = notes(src), chords(src)
    for out in (stem.with_suffix(".mid"), stem.with_suffix(".musicxml")):
        assert notes(out) == given, "the melody is kept inside the range too"
    assert first_part_notes(stem.with_suffix(".musicxml")) == given
    t0, t1 = 32.0, 48.0
    written = chords(stem.with_suffix(".mid"))
    assert [c for c in written if not t0 <= c[0] < t1] == [c for c in given_chords if not t0 <= c[0] < t1]
    assert {32.0, 36.0, 40.0, 44.0} <= {c[0] for c in written}


ROLES = ("soprano", "alto", "tenor", "bass")


@pytest.mark.parametrize("name", ["chorale.mid", "chorale.musicxml"])
def test_continue_chorale_keeps_all_four_voices(model_dir, inputs, tmp_path, name):
    src = inputs[name]
    stem = tmp_path / "cont"
    assert run("continue", src, "--bars", 3, "--style", "chorale", "--model", model_dir, "--seed", 7,
               "--out", stem, *FAST) == 0  # fmt: skip
    boundary = 32.0
    for out in (stem.with_suffix(".mid"), stem.with_suffix(".musicxml")):
        for role in ROLES:
            written = notes(out, role)
            assert [n for n in written if n[0] < boundary] == notes(src, role), (out.suffix, role)
        assert any(n[0] >= boundary for n in notes(out, "bass")), "new bars were written"
        assert read_file(out)[0].n_bars == 11


@pytest.mark.parametrize("name", ["chorale.mid", "chorale.musicxml"])
def test_inpaint_chorale_keeps_the_voices_outside_the_bars_and_the_kept_ones(model_dir, inputs, tmp_path, name):
    src = inputs[name]
    t0, t1 = 8.0, 20.0  # bars 3-5
    stem = tmp_path / "var"
    assert run("inpaint", src, "--bars", "3-5", "--n", 2, "--model", model_dir, "--seed", 9, "--out", stem,
               *FAST) == 0  # fmt: skip
    for i in (1, 2):
        for out in (tmp_path / f"var-{i}.mid", tmp_path / f"var-{i}.musicxml"):
            for role in ROLES:
                outside = [n for n in notes(out, role) if not t0 <= n[0] < t1]
                assert outside == [n for n in notes(src, role) if not t0 <= n[0] < t1], (out.name, role)
            assert harmony_rules.count_voice_crossings(read_file(out)[0]) == 0
    stem = tmp_path / "kept"
    assert run("inpaint", src, "--bars", "3-5", "--keep", "soprano,bass", "--model", model_dir, "--seed", 10,
               "--out", stem, *FAST) == 0  # fmt: skip
    for out in (stem.with_suffix(".mid"), stem.with_suffix(".musicxml")):
        for role in ("soprano", "bass"):
            assert notes(out, role) == notes(src, role), "a kept voice is kept inside the bars too"
        for role in ("alto", "tenor"):
            outside = [n for n in notes(out, role) if not t0 <= n[0] < t1]
            assert outside == [n for n in notes(src, role) if not t0 <= n[0] < t1]


def test_continue_and_inpaint_an_abc_tune(model_dir, inputs, tmp_path):
    src = inputs["tune.abc"]
    given, given_chords = notes(src), chords(src)
    stem = tmp_path / "cont"
    assert run("continue", src, "--bars", 4, "--model", model_dir, "--seed", 11, "--out", stem, *FAST) == 0
    for out in (stem.with_suffix(".mid"), stem.with_suffix(".musicxml")):
        assert [n for n in notes(out) if n[0] < 32.0] == given
        assert [c for c in chords(out) if c[0] < 32.0] == given_chords
    stem = tmp_path / "var"
    assert run("inpaint", src, "--bars", "3-4", "--model", model_dir, "--seed", 12, "--out", stem, *FAST) == 0
    t0, t1 = 8.0, 16.0
    for out in (stem.with_suffix(".mid"), stem.with_suffix(".musicxml")):
        assert [n for n in notes(out) if not t0 <= n[0] < t1] == [n for n in given if not t0 <= n[0] < t1]
        assert [c for c in chords(out) if not t0 <= c[0] < t1] == [c for c in given_chords if not t0 <= c[0] < t1]


BAD_INPUTS = [
    ("junk.mid", "junk.mid"),
    ("junk.musicxml", "junk.musicxml: not a MusicXML file"),
    ("odd-meter.abc", "odd-meter.abc: unsupported meter 11/8"),
    ("meter-change.abc", "meter-change.abc: the meter changes"),
    ("rests.abc", "rests.abc: .*no notes"),
]


@pytest.mark.filterwarnings("ignore:skipped ABC tune")
@pytest.mark.parametrize("verb", ["continue", "harmonize", "inpaint"])
@pytest.mark.parametrize("name,message", BAD_INPUTS)
def test_bad_input_is_refused_by_every_verb_before_the_model_loads(inputs, tmp_path, capsys, verb, name, message):
    import re

    extra = {"continue": ["--bars", "4"], "harmonize": ["--style", "chorale"], "inpaint": ["--bars", "1-2"]}[verb]
    out = tmp_path / "x"
    assert run(verb, inputs[name], *extra, "--model", tmp_path / "no-model", "--out", out) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"tunesmith {verb}: error: ") and re.search(message, err), err
    assert "no model at" not in err and not list(tmp_path.glob("x*"))


def test_cli_errors_are_one_line_before_the_model_loads(inputs, tmp_path, capsys):
    missing = tmp_path / "missing.mid"
    assert run("continue", missing, "--model", tmp_path / "no-model", "--out", tmp_path / "x") == 2
    assert "missing.mid: no such file" in capsys.readouterr().err
    assert run("inpaint", inputs["lead.mid"], "--bars", "15-20", "--model", tmp_path / "no-model",
               "--out", tmp_path / "x") == 2  # fmt: skip
    assert "bar 17 of 15-20 is outside the piece, which has bars 1-16" in capsys.readouterr().err
    assert run("inpaint", inputs["lead.mid"], "--bars", "5-8", "--out", tmp_path / "x", "--model",
               tmp_path / "no-model") == 2  # fmt: skip
    assert "no model at" in capsys.readouterr().err
    assert not list(tmp_path.glob("x*"))


def test_verb_modules_follow_the_registry_contract():
    import argparse
    import importlib

    for name in ("continue_", "harmonize", "inpaint"):
        module = importlib.import_module(f"tunesmith.cli.{name}")
        assert isinstance(module.HELP, str) and module.HELP
        parser = argparse.ArgumentParser()
        module.add_arguments(parser)
        assert callable(module.run)


def test_the_tunesmith_command_runs_the_verbs(model_dir, inputs, tmp_path):
    from tunesmith import cli as top

    missing = [v for v in ("continue", "harmonize", "inpaint") if v not in top.VERBS]
    if missing:
        pytest.skip(f"verbs not registered yet: {missing}")
    stem = tmp_path / "top"
    argv = ["inpaint", str(inputs["lead.mid"]), "--bars", "2-3", "--model", str(model_dir), "--out", str(stem)]
    assert top.main([*argv, "--seed", "8", *FAST]) == 0
    assert [n for n in notes(stem.with_suffix(".mid")) if not 4.0 <= n[0] < 12.0] == [
        n for n in notes(inputs["lead.mid"]) if not 4.0 <= n[0] < 12.0
    ]
    assert top.main(["harmonize", str(tmp_path / "nothing.abc"), "--out", str(stem)]) == 2


def test_no_absolute_machine_path_in_any_output(model_dir, inputs, tmp_path):
    src = inputs["lead.mid"].resolve()
    stem = tmp_path / "out" / "h"
    assert run("harmonize", src, "--style", "folk", "--model", model_dir.resolve(), "--seed", 2, "--out", stem) == 0
    for f in stem.parent.iterdir():
        data = f.read_bytes()
        for where in (src.parent, model_dir.resolve()):
            assert str(where).encode() not in data, f"{f.name} names {where}"


def test_the_notes_a_take_prints_are_in_its_json_too(tmp_path, capsys):
    """With --json a co-created take's notes (the key it closes in, the repeats written out) were
    printed nowhere, and the STEM.json lacked the derived ones: both carry them now."""
    import json

    from tunesmith.cli import main

    tune = tmp_path / "jig.abc"
    tune.write_text("X:1\nT:Jig\nM:6/8\nL:1/8\nK:D\nA|:d2 f a2 f|g2 e c2 A|d2 f a2 f|d3 d2 :|\n")
    assert main(["harmonize", str(tune), "--style", "folk", "--seed", "1", "--out", str(tmp_path / "h"), "--no-audio",
                 "--no-svg", "--json"]) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert any("repeats are written out" in r for r in out["remarks"][0])
    record = json.loads((tmp_path / "h.json").read_text())
    assert any("repeats are written out" in r for r in record["remarks"])
