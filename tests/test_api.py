"""The public API as a notebook user meets it (`import tunesmith as ts`), the README's Python
block run as written, and the first-day CLI conventions (issue 11), on the shipped model."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import tunesmith as ts
from tunesmith.cli import main
from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track

ROOT = Path(__file__).resolve().parents[1]
FAST = ["--no-audio", "--no-svg"]


def test_readme_python_block_runs(tmp_path, monkeypatch, capsys):
    """Run as a reader copies it (it defines its own OUT), and what it prints is what its comment
    says it prints."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The Python API", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md (Python API)", "exec"), {})  # noqa: S102
    out = tmp_path / "out"
    assert (out / "jig.mid").is_file() and (out / "jig-copy.musicxml").is_file()
    assert not (out / "jig.wav").exists()
    said = re.search(r"print\(jig\) +# (.*)", code).group(1).strip()
    assert capsys.readouterr().out.strip() == said


def test_notebook_session(tmp_path):
    take = ts.compose(style="Folk", key="D", bars=4, seed=7)  # any case
    assert isinstance(take, ts.Take) and take.piece.style == "folk" and take.seed == 7
    again = ts.compose(style="folk", key="D", bars=4, seed=7)
    assert [n.pitch for n in again.piece.melody().notes] == [n.pitch for n in take.piece.melody().notes]
    takes = ts.compose(style="pop", bars=2, n=2, seed=1)
    assert isinstance(takes, list) and len(takes) == 2
    html = take._repr_html_()
    assert "<svg" in html and "<audio" in html
    files = take.write(tmp_path / "jig.mid", audio=False, svg=False)  # a known extension: that one file
    assert set(files) == {"mid"} and (tmp_path / "jig.mid").is_file() and not (tmp_path / "jig.mid.mid").exists()
    with pytest.raises(FileExistsError, match="jig.mid"):
        take.write(tmp_path / "jig.mid")
    take.write(tmp_path / "jig.mid", force=True)
    back = ts.read(tmp_path / "jig.mid")
    assert back.style == "folk"  # the style travels in the MIDI file
    with pytest.raises(ValueError, match="unknown style"):
        ts.compose(style="polka")


def test_play_outside_a_notebook_says_what_to_do(monkeypatch):
    """Without IPython `take.play()` had raised ModuleNotFoundError: No module named 'IPython'."""
    import builtins

    real_import = builtins.__import__

    def no_ipython(name, *args, **kwargs):
        if name.startswith("IPython"):
            raise ModuleNotFoundError("No module named 'IPython'")
        return real_import(name, *args, **kwargs)

    take = ts.compose(style="folk", bars=2, seed=1, check=False)
    monkeypatch.setattr(builtins, "__import__", no_ipython)
    with pytest.raises(RuntimeError, match=r"take\.play\(\) needs IPython .*take\.write\('out/take'\)"):
        take.play()


def test_a_takes_musicxml_without_its_json_is_continued_in_its_own_style(tmp_path):
    """A jazz take's MusicXML copied alone (no JSON beside it) had been continued as folk; the
    request the file records in its <identification> says jazz."""
    take = ts.compose(style="jazz", key="F", bars=4, seed=2, check=False)
    take.write(tmp_path / "alone.musicxml")
    assert not (tmp_path / "alone.json").exists()
    more = ts.continue_(tmp_path / "alone.musicxml", bars=2, seed=1)
    assert more.provenance["request"]["style"] == "jazz"


def test_the_same_request_from_python_and_the_cli(tmp_path, capsys):
    assert main(["compose", "--style", "jazz", "--chords", "Dm7 G7", "--bars", "4", "--seed", "5", "--out",
                 str(tmp_path / "x"), "--json", *FAST]) == 0  # fmt: skip
    cli = json.loads(capsys.readouterr().out)["request"]
    take = ts.compose(style="jazz", chords="Dm7 G7", bars=4, seed=5)
    assert take.provenance["request"] == cli
    cli_piece = ts.read(tmp_path / "x.mid")
    assert [n.pitch for n in cli_piece.melody().notes] == [n.pitch for n in take.piece.melody().notes]


def test_key_comes_from_the_chords():
    from tunesmith.api import compose_request

    request = compose_request("jazz", chords="Dm7 G7 Cmaj7 Cmaj7", bars=8)
    assert (request.key, request.mode) == ("C", "major")
    assert compose_request("jazz", chords="Dm7 G7 Cmaj7", key="F").key == "F"  # an explicit key wins
    take = ts.compose(style="jazz", chords="Dm7 G7 Cmaj7 Cmaj7", bars=8, seed=3)
    xml = take.musicxml()
    assert "<fifths>0</fifths>" in xml and (take.piece.key.tonic, take.piece.key.mode) == ("C", "major")
    assert "notes" not in take.provenance


def test_a_key_the_chords_contradict_is_said_not_refused(tmp_path, capsys):
    """--key Ab with chords of C major: the take is composed (the melody in A-flat, the chords as
    given), and its JSON and the command line say the chords fit C major."""
    take = ts.compose(style="pop", key="Ab", chords="C Am F G", bars=4, seed=1, check=False)
    (note,) = take.provenance["notes"]
    assert note.startswith("the chords C Am F G fit C major") and "better than Ab major (50%)" in note
    assert [c.figure for c in take.piece.chords][:4] == ["C", "Am", "F", "G"]
    out = tmp_path / "kc"
    assert main(["compose", "--style", "pop", "--key", "Ab", "--chords", "C Am F G", "--bars", "4", "--seed", "1",
                 "--out", str(out), *FAST]) == 0  # fmt: skip
    assert "note: the chords C Am F G fit C major" in capsys.readouterr().err
    assert json.loads(out.with_suffix(".json").read_text())["notes"] == [note]


def test_chords_that_cycle_to_an_open_last_bar_are_kept_and_said():
    """Given chords are a control: "Gm7 C7 Fmaj7 D7" over 8 bars ends on D7 as asked, and the
    take's notes say the piece ends away from F and how to close there; a list that ends home,
    a free cadence or a list as long as the piece says nothing."""
    take = ts.compose(style="jazz", key="F", meter="3/4", bars=8, chords="Gm7 C7 Fmaj7 D7", seed=1, check=False)
    assert take.piece.chords[-1].figure == "D7"
    (note,) = take.provenance["notes"]
    assert note == ("the 4 chords cycle so that bar 8, the last, is D7: the piece ends away from F; give 8 chords "
                    "ending on an F chord to close there")  # fmt: skip
    minor = ts.compose(style="pop", key="A minor", bars=8, chords="Am F C G E", seed=1, check=False)
    assert minor.provenance["notes"][0].endswith("ending on an Am chord to close there")  # not "an A chord"
    for kw in (dict(chords="Gm7 C7 Fmaj7 F7"), dict(chords="Gm7 C7 Fmaj7 D7", cadence="free"),
               dict(chords="Gm7 C7 Fmaj7 D7 Gm7 C7 F D7")):  # fmt: skip
        assert "notes" not in ts.compose(style="jazz", key="F", meter="3/4", bars=8, seed=1, check=False, **kw).provenance
    # --cadence home says it cannot be met over a last chord off the tonic (it had said nothing of it)
    home = ts.compose(style="pop", key="C", bars=8, chords="C G Am F", cadence="home", seed=44, check=False)
    assert home.provenance["notes"][0].endswith("; --cadence home closes on the tonic only over a tonic chord")
    full = ts.compose(style="pop", key="C", bars=4, chords="C G Am F", cadence="home", seed=44, check=False)
    assert full.provenance["notes"] == ["the last bar's chord is F: the piece ends away from C; --cadence home "
                                        "closes on the tonic only over a tonic chord"]  # fmt: skip


def test_in_scale_with_a_chord_outside_the_scale_is_refused():
    """The chord was kept and the melody, held to the scale, clashed with it (G natural over E7)."""
    from tunesmith.api import compose_request

    with pytest.raises(ValueError, match=r"--in-scale: the chord E7 holds G#, outside the scale of C major; "
                                         r"leave out --in-scale or that chord"):  # fmt: skip
        compose_request("pop", key="C", chords="C E7 Am F", in_scale=True, bars=8)
    assert compose_request("pop", key="A", mode="minor", chords="Am E7", in_scale=True, bars=4).chords == ["Am", "E7"]


def test_an_eighth_note_meter_defaults_to_a_tempo_in_eighths():
    """7/8 counts eighths: the style's 110 had given "eighth = 110", 55 quarters a minute."""
    from tunesmith.api import compose_request

    assert compose_request("folk", meter="7/8", bars=4).tempo == pytest.approx(110.0)  # eighth = 220
    assert compose_request("folk", meter="7/8", bars=4, tempo=300).tempo == pytest.approx(150.0)  # as given
    assert compose_request("folk", meter="4/4", bars=4).tempo == pytest.approx(110.0)


def test_compound_meter_tempo_is_in_dotted_quarters():
    take = ts.compose(style="folk", meter="6/8", tempo=110, bars=2, seed=1)
    assert take.piece.tempo == pytest.approx(165.0)  # the MIDI's quarter notes per minute
    xml = take.musicxml()
    assert re.search(r"<beat-unit>quarter</beat-unit>\s*<beat-unit-dot\s*/>\s*<per-minute>110</per-minute>", xml)
    four = ts.compose(style="folk", meter="4/4", tempo=110, bars=2, seed=1)
    assert four.piece.tempo == pytest.approx(110.0)


@pytest.mark.parametrize("verb", ["harmonize", "continue_"])
def test_the_musicians_credits_stay_on_what_tunesmith_makes_of_their_melody(verb, tmp_path):
    """A melody's composer and copyright line (MusicXML <creator>, <rights>) are written on its
    harmonization and continuation, with tunesmith as arranger: a teacher's harmonized song had
    lost "Ms. Teacher" and her "(c) 2026" line. A take of tunesmith's own has no <rights>."""
    path = tmp_path / "song.musicxml"
    xml = ts.compose(style="folk", key="G", bars=4, seed=3, check=False, chords_from="none").musicxml()
    path.write_text(xml.replace('<creator type="composer">tunesmith</creator>',
                                '<creator type="composer">Ms. Teacher</creator><rights>(c) 2026 Ms. Teacher</rights>'))
    made = getattr(ts, verb)(ts.read(path), style="folk", seed=1, **({"bars": 2} if verb == "continue_" else {}))
    out = made.musicxml()
    assert '<creator type="composer">Ms. Teacher</creator>' in out and '<creator type="arranger">tunesmith</creator>' in out
    assert "<rights>(c) 2026 Ms. Teacher</rights>" in out
    assert "<rights>" not in ts.compose(style="folk", key="G", bars=4, seed=3, check=False).musicxml()


def test_score_is_what_a_copyist_expects():
    take = ts.compose(style="chorale", key="g minor", bars=8, pitch_range="C3:A5", seed=7)
    xml = take.musicxml()
    assert '<creator type="composer">tunesmith</creator>' in xml and "Music21" not in xml
    assert "light-heavy" in xml  # the final bar line
    assert not re.search(r"<step>G</step>\s*<alter>-1", xml)  # the leading tone is F#, never Gb
    velocities = {n.velocity for t in take.piece.tracks for n in t.notes}
    assert len(velocities) > 1  # a metrical accent, not one velocity for every note


def test_no_machine_path_in_the_score(tmp_path):
    take = ts.compose(style="pop", bars=2, seed=1)
    files = take.write(tmp_path / "pop", audio=False, svg=False)
    xml = files["musicxml"].read_text()
    assert "/work/" not in xml and str(ROOT) not in xml and "<rights" not in xml
    assert "tunesmith-model\">default<" in xml


def test_harmonize_keeps_the_leading_tone_sharp(tmp_path):
    from tunesmith.outputs.musicxml import write_musicxml

    pitches = [67, 69, 70, 72, 74, 72, 70, 69, 70, 69, 67, 66, 67, 70, 69, 67]  # g minor, F#4 before the end
    melody = Piece("m", "m", title="g minor", tracks=[Track("Melody", notes=[Note(p, float(i), 1.0) for i, p in enumerate(pitches)])],
                   keys=[KeySignature(0.0, "G", "minor")], time_signatures=[TimeSignature(0.0, 4, 4)],
                   tempos=[Tempo(0.0, 80.0)])  # fmt: skip
    write_musicxml(melody, tmp_path / "mel.musicxml")
    for style in ("chorale", "jazz"):
        xml = ts.harmonize(tmp_path / "mel.musicxml", style=style, seed=2).musicxml()
        assert re.search(r"<step>F</step>\s*<alter>1</alter>", xml), style
        assert not re.search(r"<step>G</step>\s*<alter>-1", xml), style


def test_continue_refuses_a_contradicting_key_and_keeps_the_style(tmp_path):
    motif = ts.compose(style="chorale", key="D", bars=2, seed=1)
    motif.write(tmp_path / "motif", audio=False, svg=False)
    with pytest.raises(ValueError, match=r"motif.mid: key Eb contradicts the piece's written key D major"):
        ts.continue_(tmp_path / "motif.mid", bars=2, key="Eb")
    for name in ("motif.mid", "motif.musicxml"):  # MIDI marker; MusicXML: the take's JSON beside it
        assert ts.continue_(tmp_path / name, bars=2, seed=1).piece.style == "chorale", name
    melody = ts.compose(style="folk", bars=2, seed=1)
    with pytest.raises(ValueError, match="harmonize it first"):
        ts.continue_(melody, bars=2, style="chorale")


def test_a_key_with_the_written_signature_is_read_in_its_own_mode(tmp_path):
    """A signature does not say the mode: a melody the reading took for A minor is harmonized in C
    when asked (a jazz pianist had been refused: "key C contradicts the piece's written key A
    minor"); a key with another signature is still refused."""
    from tunesmith.outputs.musicxml import write_musicxml

    notes = [Note(p, float(i), 1.0) for i, p in enumerate([60, 64, 67, 65, 64, 62, 60, 60])]
    tune = Piece("t", "t", style="jazz", tracks=[Track("melody", "melody", notes=notes)],
                 keys=[KeySignature(0.0, "A", "minor")], time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip
    write_musicxml(tune, tmp_path / "tune.musicxml")
    take = ts.harmonize(tmp_path / "tune.musicxml", style="jazz", key="C", seed=1)
    assert (take.piece.key.tonic, take.piece.key.mode) == ("C", "major")
    with pytest.raises(ValueError, match=r"tune.musicxml: key D contradicts the piece's written key A minor"):
        ts.harmonize(tmp_path / "tune.musicxml", style="jazz", key="D", seed=1)


DMIX_WRITTEN_IN_D = """X:1
T:Trial Jig
M:6/8
L:1/8
K:D
A|DED F2A|d2e fed|=cAG AGE|GEA GED|
DED F2A|d2e fed|=cAG EFG|AFD D2|]
"""


def test_a_mode_of_the_written_tonic_is_read_where_the_notes_sit_in_it(tmp_path):
    """A jig written with D major's signature and every C natural, as old collections write D
    mixolydian: a fiddler's harmonize --key "D mixolydian" had been refused ("key D mixolydian
    contradicts the piece's written key D major; ... transpose the input first"), and --mode
    mixolydian alone named no tonic. Both are read in D mixolydian, and said; D minor, whose F
    natural the tune never plays, is still refused, without the advice to transpose."""
    from tunesmith.remarks import take_remarks

    path = tmp_path / "dmix.abc"
    path.write_text(DMIX_WRITTEN_IN_D)
    said = "the input's key signature says D major, but its notes and chords sit in D mixolydian: read in D mixolydian, as asked"
    for key, mode in (("D", "mixolydian"), (None, "mixolydian")):
        take = ts.harmonize(path, style="folk", key=key, mode=mode, seed=1)
        assert (take.piece.key.tonic, take.piece.key.mode) == ("D", "mixolydian")
        assert said in take_remarks(take.provenance)
        assert not {c.figure for c in take.piece.chords} & {"A", "A7"}  # no C sharp under the C naturals
    with pytest.raises(ValueError, match=r"dmix.abc: key D minor contradicts the piece's written key D major: its notes "
                                         r"sit in D major's scale more than in D minor's; harmonize keeps the given "
                                         r"music as it is \(leave the mode out\)$"):  # fmt: skip
        ts.harmonize(path, style="folk", key="D", mode="minor", seed=1)


def test_a_relative_key_the_melody_does_not_bear_out_is_honoured_and_said(tmp_path):
    """Old Hundredth, written in G major, harmonized with --key "E minor" (the same signature): it
    was done without a word, over a melody that opens and closes on G. The key asked is still
    honoured (a signature does not say the mode), and said with how not to; a melody that closes on
    the asked tonic is not questioned."""
    import tunesmith.api as api
    from tunesmith.outputs.musicxml import write_musicxml
    from tunesmith.remarks import take_remarks

    def tune(pitches, name):
        notes = [Note(p, float(i), 1.0) for i, p in enumerate(pitches)]
        piece = Piece(name, name, tracks=[Track("melody", "melody", notes=notes)],
                      keys=[KeySignature(0.0, "G", "major")], time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip
        write_musicxml(piece, tmp_path / f"{name}.musicxml")
        return tmp_path / f"{name}.musicxml"

    said = "read in E minor as asked, but the melody ends on G and its notes sit at least as well in G major"
    old_100 = tune([67, 67, 66, 64, 62, 67, 69, 71, 71, 71, 71, 69, 67, 72, 71, 69, 67], "old100")
    take = ts.harmonize(old_100, style="chorale", key="E minor", seed=1)
    assert (take.piece.key.tonic, take.piece.key.mode) == ("E", "minor")
    assert any(said in remark for remark in take_remarks(take.provenance))
    closes_on_e = tune([64, 66, 67, 71, 69, 67, 66, 64, 67, 66, 64, 63, 64, 71, 67, 66, 64], "in_e")
    take = ts.harmonize(closes_on_e, style="chorale", key="E minor", seed=1)
    assert not any("as asked, but the melody ends" in remark for remark in take_remarks(take.provenance))
    api.RELATIVE_KEY_NOTED = False
    try:
        take = ts.harmonize(old_100, style="chorale", key="E minor", seed=1)
    finally:
        api.RELATIVE_KEY_NOTED = True
    assert not any(said in remark for remark in take_remarks(take.provenance))


def test_a_key_the_music_sits_in_is_read_against_a_wrong_signature(tmp_path):
    """An arranger's lead sheet in F written without its flat (the signature says C) could not be
    continued in F ("key F contradicts the piece's written key C major; ... transpose the input
    first", which would not mend the signature): where the notes and chords fit the key asked
    clearly better than the signature's, it is read as asked and said; else refused as before."""
    from tunesmith.outputs.musicxml import write_musicxml
    from tunesmith.remarks import take_remarks
    from tunesmith.score import ChordSymbol

    bars = [[65, 69, 72, 70], [69, 67, 65, 64], [70, 69, 67, 65], [67, 65, 64, 65]]
    notes = [Note(p, 4.0 * b + i, 1.0) for b, pitches in enumerate(bars) for i, p in enumerate(pitches)]
    tune = Piece("f", "f", style="jazz", tracks=[Track("melody", "melody", notes=notes)],
                 chords=[ChordSymbol(4.0 * b, f) for b, f in enumerate(["F", "C7", "Bb", "C7"])],
                 keys=[KeySignature(0.0, "C", "major")], time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip
    write_musicxml(tune, tmp_path / "in-f.musicxml")
    take = ts.continue_(tmp_path / "in-f.musicxml", bars=4, style="jazz", key="F", seed=1)
    assert (take.piece.key.tonic, take.piece.key.mode) == ("F", "major")
    assert "the input's key signature says C major, but its notes and chords sit in F major: read in F major, as asked" in \
        take_remarks(take.provenance)  # fmt: skip
    with pytest.raises(ValueError, match=r"in-f.musicxml: key D contradicts the piece's written key C major"):
        ts.continue_(tmp_path / "in-f.musicxml", bars=4, style="jazz", key="D", seed=1)


def test_midi_pickup_as_notation_programs_export_it(tmp_path):
    import symusic

    score = symusic.Score(480)
    track = symusic.Track("Flute", 73, False)
    for i, p in enumerate([69] + [74, 76, 78, 79, 81, 83] * 2):
        track.notes.append(symusic.Note(i * 240, 240, p, 80))
    score.tracks.append(track)
    score.time_signatures.append(symusic.TimeSignature(0, 1, 8))  # the pickup bar
    score.time_signatures.append(symusic.TimeSignature(240, 6, 8))
    score.dump_midi(str(tmp_path / "pickup.mid"))
    piece = ts.read(tmp_path / "pickup.mid")
    assert [str(t) for t in piece.time_signatures] == ["6/8"] and piece.bars()[:3] == [0.0, 0.5, 3.5]


def test_cli_first_day(tmp_path, capsys):
    out = tmp_path / "song.mid"
    args = ["compose", "--style", "Folk", "--bars", "2", "--seed", "1", "--out", str(out), *FAST]
    assert main(args) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["song.abc", "song.json", "song.mid", "song.musicxml"]
    capsys.readouterr()
    assert main(args) == 2  # no silent overwrite
    assert "pass --force" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    capsys.readouterr()
    assert main([*args, "--json"]) == 2  # errors as JSON under --json
    error = json.loads(capsys.readouterr().out)
    assert error["exit_status"] == 2 and "song.mid: exists" in error["error"]
    with pytest.raises(SystemExit) as exit_info:  # argparse's usage errors: JSON too
        main(["compose", "--style", "folk", "--bars", "x", "--out", "y", "--json"])
    assert exit_info.value.code == 2
    assert "invalid int" in json.loads(capsys.readouterr().out)["error"]
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0 and ts.__version__ in capsys.readouterr().out


def test_cli_broken_pipe_is_quiet(tmp_path):
    """`tunesmith corpus list --json | head`: the reader is gone before the first write."""
    code = "import sys; from tunesmith.cli import main; sys.exit(main(['corpus', 'list', '--json']))"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={"TUNESMITH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})  # fmt: skip
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 141 and "Traceback" not in err and "BrokenPipe" not in err, err


def test_train_config_resolves_outside_the_checkout(tmp_path, monkeypatch):
    from tunesmith.config import load_config

    monkeypatch.chdir(tmp_path)
    assert load_config("default").n_layer >= 1
    assert load_config("configs/small.toml").n_layer >= 1


def test_harmonize_says_it_replaced_the_inputs_chords(tmp_path, capsys):
    sheet = ts.compose(style="folk", key="D", bars=4, seed=3)  # a lead sheet with chord symbols
    given = len(sheet.piece.chords)
    assert given > 0
    take = ts.harmonize(sheet, seed=1)
    assert take.provenance["request"]["input_chords_replaced"] == given
    sheet.write(tmp_path / "sheet", audio=False, svg=False)
    assert main(["harmonize", str(tmp_path / "sheet.mid"), "--seed", "1", "--out", str(tmp_path / "h"), *FAST]) == 0
    assert f"the input's {given} chord symbol(s) were replaced" in capsys.readouterr().out
    bare = ts.compose(style="chorale", key="D", bars=2, seed=1)
    assert ts.harmonize(bare, seed=1).provenance["request"]["input_chords_replaced"] is None


def test_a_takes_json_says_how_its_ending_was_drawn(tmp_path):
    """The sidecar records what the take drew for its close (degree, last length, approach)."""
    take = ts.compose(style="folk", key="D", bars=4, seed=3, check=False)
    ending = take.provenance["resolved"]["ending"]
    assert ending["closing_degree"] in ("root", "third", "fifth", "other")
    assert ending["melody_approach"] in ("repeat", "step", "third", "leap", "wide")
    last = take.piece.melody().notes[-1]
    assert last.duration == pytest.approx(ending["last_note_quarters"])
    free = ts.compose(style="folk", key="D", bars=4, seed=3, cadence="free", check=False)
    assert "ending" not in free.provenance["resolved"]
    # the composer's drawn first chord is recorded where its chords are the take's, not where
    # the harmonizer replaced them (a pop take said "other" over a first bar on the tonic)
    own = ts.compose(style="pop", key="Ab", bars=8, seed=11, chords_from="model", check=False)
    assert own.provenance["resolved"]["opening_chord"] in ("tonic", "other")
    replaced = ts.compose(style="pop", key="Ab", bars=8, seed=11, chords_from="harmonizer", check=False)
    assert replaced.provenance["resolved"]["chords_from"] == "harmonizer"
    assert "opening_chord" not in replaced.provenance["resolved"]
    assert replaced.provenance["resolved"]["chords_prior_correction"] == 0.5  # pop's drawn chords (decoding.json)


def test_threads_sharing_a_model_get_the_takes_they_would_get_alone():
    """The decoder keeps its cache on the model: two threads composing at once had one call fail
    (shapes that do not broadcast) and the other return another seed's notes. Each call now
    waits its turn on the model's lock."""
    import threading

    def notes(take):
        return [(n.pitch, n.onset) for t in take.piece.tracks for n in t.notes]

    alone = {s: notes(ts.compose(style="folk", bars=8, seed=s, check=False)) for s in (1, 2, 3)}
    got, errors = {}, []

    def work(seed):
        try:
            got[seed] = notes(ts.compose(style="folk", bars=8, seed=seed, check=False))
        except Exception as exc:  # noqa: BLE001 - any failure is the test's finding
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(s,)) for s in (1, 2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and got == alone


@pytest.mark.parametrize(("kw", "message"), [
    ({"key": 5}, r"key must be a name such as 'D', 'Bb' or 'g minor', got 5"),
    ({"pitch_range": (60,)}, r"pitch_range must be 'C4:G5' or two MIDI numbers \(low, high\), got \(60,\)"),
    ({"meter": "6/8", "tempo": 500}, r"tempo 500 out of bounds 13\.3\.\.266\.7 beats per minute in 6/8"),
    ({"meter": "4/4", "tempo": 500}, r"tempo 500 out of bounds 20\.\.400 beats per minute in 4/4"),
    ({"n": 65}, r"n 65 is over the limit of 64 takes"),
    ({"cadence": "HOME", "n": 1}, None),  # choices take any case
])  # fmt: skip
def test_the_apis_controls_are_checked_with_one_line_naming_them(kw, message):
    """What a developer passes is checked as the command line checks it, before any work, in the
    units the developer used (a 6/8 tempo in dotted quarters, not the quarter notes it becomes)."""
    if message is None:
        assert ts.compose(style="folk", bars=2, seed=1, check=False, **kw).provenance["request"]["cadence"] == "home"
        return
    with pytest.raises(ValueError, match=message):
        ts.compose(style="folk", bars=2, check=False, **kw)


def test_an_inpainting_of_a_file_without_a_style_has_the_style_it_was_written_in(tmp_path):
    """Keeping the melody (new chords only) too: the take had no style, though its request said folk."""
    from tunesmith.outputs.musicxml import write_musicxml

    notes = [Note(67 + (i % 3), float(i), 1.0) for i in range(12)]
    piece = Piece(piece_id="w", work_id="w", title="w", style="", tracks=[Track("M", "melody", notes=notes)],
                  keys=[KeySignature(0.0, "F", "major")], time_signatures=[TimeSignature(0.0, 3, 4)],
                  tempos=[Tempo(0.0, 100.0)], end=12.0)  # fmt: skip
    path = write_musicxml(piece, tmp_path / "waltz.musicxml")
    assert not ts.read(path).style
    for keep in (None, "melody"):
        take = ts.inpaint(path, bars="2-3", keep=keep, seed=1)
        assert take.piece.style == "folk" == take.provenance["request"]["style"], keep


def test_composed_chords_in_a_flat_key_are_spelled_as_its_scale():
    """G-flat major's IV is C-flat (it had been written B, with D# and F#, in a six-flat score)."""
    for chords_from in ("model", "harmonizer"):
        take = ts.compose(style="folk", key="Gb", bars=8, seed=1, chords_from=chords_from, check=False)
        roots = {c.figure.rstrip("m7") for c in take.piece.chords}
        assert not roots & {"B", "E", "F#", "C#", "G#", "D#"}, (chords_from, roots)


def test_a_compressed_musicxml_take_carries_its_provenance(tmp_path):
    """take.write("x.mxl") packs the bundle's MusicXML, provenance included, and `provenance` reads
    it (it had said ".mxl: not a kind of file tunesmith writes")."""
    take = ts.compose(style="folk", bars=4, seed=1, check=False)
    path = take.write(tmp_path / "one.mxl")["musicxml"]
    found = ts.provenance(path)
    assert found["made_by_tunesmith"] and found["ai_generated"] is True and found["fields"]["model"] == "default"
    assert [n.pitch for n in ts.read(path).melody().notes] == [n.pitch for n in take.piece.melody().notes]


def test_reading_a_takes_json_says_what_to_read_instead(tmp_path):
    take = ts.compose(style="folk", bars=2, seed=1, check=False)
    path = take.write(tmp_path / "t.json")["json"]
    assert json.loads(path.read_text())["files"] == {"json": "t.json"}  # not the staging bundle's take.mid ...
    with pytest.raises(ValueError, match=r"t\.json: a take's JSON sidecar says how the take was made; read the take's \.mid"):
        ts.read(path)


def test_an_input_copied_from_a_training_work_is_said_not_counted(tmp_path, capsys):
    """The first bars of a Nottingham reel continued: the take is not called a copy (the input is
    the musician's, whatever it is), but the take says whose tune the input is (it had said only
    "your own music is not counted")."""
    from tunesmith.paths import shared_data

    book = shared_data() / "nottingham" / "ABC_cleaned" / "reelsm-q.abc"
    if not book.is_file():
        pytest.skip(f"shared data not found at {book}")
    text = book.read_text(encoding="latin-1")
    start = text.index("X:", text.rindex("\n", 0, text.index("T:The Maid Behind The Bar")) - 20)
    tune = text[start:].split("\n\n", 1)[0]
    (tmp_path / "maid.abc").write_text(tune, encoding="utf-8")
    take = ts.continue_(str(tmp_path / "maid.abc"), bars=4, style="folk", seed=1)
    assert take.provenance["rights"]["verdict"] != "copy"
    said = [r for r in take.remarks if r.startswith("your input is")]
    assert said and "'The Maid Behind The Bar' (nottingham, GPL-3.0" in said[0]
    assert re.search(r"; bars \d+(-\d+)? of your input ~ bars \d+(-\d+)? there; ", said[0]), said[0]  # which bars
    # the GPL is the transcription's, not the tune's: said so (it had read "that work's license holds")
    assert "the tune itself may be older and free" in said[0] and "license holds" not in said[0]
    assert take.provenance["rights"]["input_resembles"]["title"] == "The Maid Behind The Bar"
    # a melody of the musician's own: nothing said
    notes = [Note(60 + (i * 5) % 12, float(i), 1.0) for i in range(16)]
    own = Piece("mine", "mine", style="folk", tracks=[Track("melody", "melody", notes=notes)],
                keys=[KeySignature(0.0, "C", "major")], time_signatures=[TimeSignature(0.0, 4, 4)],
                tempos=[Tempo(0.0, 100.0)])  # fmt: skip
    assert not [r for r in ts.continue_(own, bars=4, seed=1).remarks if r.startswith("your input is")]
    # `check` of the written take: the continued tune is not counted, being marked the musician's
    # in the file, and check says whose it is (it had read "clear" and nothing more: an auditor)
    take.write(tmp_path / "cont.mid")
    capsys.readouterr()
    assert main(["check", str(tmp_path / "cont.mid"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] != "copy" and out["not_counted"].startswith("bars up to")
    assert out["not_counted_resembles"]["title"] == "The Maid Behind The Bar"
    assert main(["check", str(tmp_path / "cont.mid")]) == 0
    said = capsys.readouterr().out
    assert "the tune itself may be older and free" in said and "signed by this installation" in said
    # --count-all checks every note, signed or not (a rights analyst's script had passed a
    # co-created copy of a corpus tune as clear; a record not signed here is counted anyway,
    # tests/test_rights_claims.py)
    assert main(["check", str(tmp_path / "cont.mid"), "--count-all", "--json", "--fail-on", "copy"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "copy" and out["not_counted"] is None
    assert out["nearest"][0]["title"] == "The Maid Behind The Bar"
    # ... and without it: the file holds a copy of a training tune, whoever wrote its new bars, so
    # --fail-on copy fails, a folder's line says so, and the files themselves name the tune (a
    # clearance officer's continued carol had passed `check takes/ --fail-on copy`, its files silent)
    assert main(["check", str(tmp_path / "cont.mid"), "--fail-on", "copy"]) == 1
    capsys.readouterr()
    assert main(["check", str(tmp_path), "--fail-on", "copy"]) == 1
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith(str(tmp_path / "cont")))
    assert "its part not counted (bars up to" in line and "is a copy of The Maid Behind The Bar" in line
    from tunesmith.rights.provenance import read_provenance

    take.write(tmp_path / "files" / "cont", audio=False, svg=False)
    for kind in ("mid", "musicxml"):
        carried = read_provenance(tmp_path / "files" / f"cont.{kind}")["fields"]["copy_check"]["input_resembles"]
        assert carried["title"] == "The Maid Behind The Bar" and carried["verdict"] == "copy"
    assert main(["provenance", str(tmp_path / "cont.mid")]) == 0
    assert "the musician's input (not counted): a copy of The Maid Behind The Bar" in capsys.readouterr().out


def test_cocreate_says_an_inputs_repeats_are_written_out(tmp_path):
    """A jig with repeat signs is read as played and written out without them: the take says so,
    and that --bars counts the bars as played (a musician asked for bar 5 and got the second pass)."""
    tune = tmp_path / "jig.abc"
    tune.write_text("X:1\nT:Jig\nM:6/8\nL:1/8\nK:D\nA|:d2 f a2 f|g2 e c2 A|d2 f a2 f|d3 d2 :|\n")
    take = ts.inpaint(tune, bars="2-2", seed=1)
    assert take.piece.n_bars == 9  # the pickup and 8 bars as played
    assert any("repeats are written out" in r and "(A A, 8 bars)" in r for r in take.remarks)
    plain = tmp_path / "plain.abc"
    plain.write_text("X:1\nT:Air\nM:6/8\nL:1/8\nK:D\nd2 f a2 f|g2 e c2 A|d2 f a2 f|d3 d3|]\n")
    assert not any("repeats" in r for r in ts.inpaint(plain, bars="2-2", seed=1).remarks)


def test_inpaint_says_when_the_new_chords_are_the_old_ones(tmp_path):
    """Re-harmonizing bars of a melody the harmonizer chorded gave its own chords back, silently."""
    notes = [Note(p, float(i), 1.0) for i, p in enumerate([62, 66, 69, 66, 67, 71, 74, 71, 69, 66, 64, 62, 61, 64, 69, 62])]
    melody = Piece("air", "air", style="folk", tracks=[Track("melody", "melody", notes=notes)],
                   keys=[KeySignature(0.0, "D", "major")], time_signatures=[TimeSignature(0.0, 4, 4)],
                   tempos=[Tempo(0.0, 100.0)], end=16.0)  # fmt: skip
    chorded = ts.harmonize(melody, style="folk", seed=1)
    again = ts.inpaint(chorded, bars="2-3", keep="melody", seed=1)
    inside = [(c.onset, c.figure) for c in again.piece.chords if 4.0 <= c.onset < 12.0]
    before = [(c.onset, c.figure) for c in chorded.piece.chords if 4.0 <= c.onset < 12.0]
    assert (inside == before) == any("came out as they were" in r for r in again.remarks)
    assert inside == before  # the harmonizer's most likely chords, as it wrote them the first time


def test_a_txt_melody_is_told_that_txt_is_read_as_chords(tmp_path):
    """A .txt file given as a melody had been told only "no bars ('|'-separated chords)"."""
    chords = tmp_path / "notes.txt"
    chords.write_text("some words, no bars\n")
    with pytest.raises(ValueError, match=r"notes\.txt: read as a chord progression .* a melody is read from MusicXML"):
        ts.harmonize(chords, style="folk")


def test_co_creating_a_take_tunesmith_made_is_not_the_musicians_work(tmp_path):
    """harmonize(compose(...)): the melody is tunesmith's, so the take is AI-generated whole, its
    files do not credit a musician, and the copy guard checks every note; the same from the
    written file, whose own metadata says how it was made."""
    from tunesmith.rights.provenance import made_how

    composed = ts.compose(style="folk", bars=4, seed=2, check=False)
    for source in (composed, composed.write(tmp_path / "c")["mid"]):
        take = ts.harmonize(source, style="chorale", seed=1)
        assert take.provenance["input_made_how"] == "generated" and made_how(take.provenance) == "generated"
        assert not take.provenance["rights"].get("input_excluded")
    mine = Piece("m", "m", style="folk", tracks=[Track("melody", "melody", notes=[Note(60 + i % 5, float(i), 1.0)
                                                                                  for i in range(8)])],
                 keys=[KeySignature(0.0, "C", "major")], time_signatures=[TimeSignature(0.0, 4, 4)],
                 tempos=[Tempo(0.0, 90.0)])  # fmt: skip
    own = ts.harmonize(mine, style="chorale", seed=1)
    assert "input_made_how" not in own.provenance and made_how(own.provenance) == "co-created"


def test_co_creating_a_co_created_take_leaves_the_musicians_part_out_of_the_guard(tmp_path):
    """A musician's melody, harmonized, then given new chords (inpaint --keep melody): the melody is
    still the musician's, and the copy guard leaves it out (a fiddler's Kesh had been checked whole
    and called close to a training tune); from the Take and from its written file."""
    pitches = [67, 71, 74, 71, 72, 69, 66, 69, 67, 71, 74, 79, 78, 74, 72, 69] * 2
    mine = Piece("m", "m", style="folk", tracks=[Track("melody", "melody", notes=[Note(p, 0.5 * i, 0.5)
                                                                                  for i, p in enumerate(pitches)])],
                 keys=[KeySignature(0.0, "G", "major")], time_signatures=[TimeSignature(0.0, 4, 4)],
                 tempos=[Tempo(0.0, 110.0)])  # fmt: skip
    harmonized = ts.harmonize(mine, style="folk", seed=1)
    assert harmonized.provenance["rights"]["input_excluded"]
    for source in (harmonized, harmonized.write(tmp_path / "h")["musicxml"]):
        again = ts.inpaint(source, bars="3-4", keep="melody", seed=2)
        assert again.provenance["input_made_how"] == "co-created"
        assert again.provenance["rights"]["input_excluded"]


def test_check_rate_and_prefer_are_public_api(tmp_path):
    """A first-day user had to shell out to the CLI for them: ts.check gives the CLI's verdict for a
    Take, a Piece or a file; ts.rate and ts.prefer store a written Take (or its JSON) and refuse an
    unwritten one in words."""
    from tunesmith.ratings import RatingsStore

    take = ts.compose(style="folk", bars=8, seed=3)
    other = ts.compose(style="folk", bars=8, seed=4)
    files = take.write(tmp_path / "a", audio=False, svg=False)
    other.write(tmp_path / "b", audio=False, svg=False)
    by_take, by_file = ts.check(take), ts.check(files["mid"])
    assert by_take.verdict in ("clear", "close", "copy") and by_take.to_dict()["usage"]
    assert by_take.score == pytest.approx(by_file.score, abs=1e-6)
    assert ts.check(take.piece).score == pytest.approx(by_take.score)
    db = tmp_path / "r.db"
    tid = ts.rate(take, 4, rater="ann", store=db)
    assert ts.prefer(files["json"], other, rater="ann", store=db) == (tid, ts.rate(other, 2, rater="ann", store=db))
    with RatingsStore(db) as store:
        assert store.counts()["pairs"] == 1
    with pytest.raises(ValueError, match=r"write the take first"):
        ts.rate(ts.compose(style="folk", bars=2, seed=5), 3, store=db)
    assert {"check", "rate", "prefer"} <= set(ts.__all__)


def test_take_write_names_the_path_not_a_command_line_flag(tmp_path):
    """`Take.write('x.pdf')` had said "--out …/x.pdf: …", a flag the Python API has not (a first-day user)."""
    take = ts.compose("folk", bars=2, seed=1, check=False)
    with pytest.raises(ValueError, match=r"x\.pdf: tunesmith writes \.mid, \.musicxml, \.abc, \.wav, \.svg and \.json, not \.pdf") as e:
        take.write(tmp_path / "x.pdf")
    assert "--out" not in str(e.value)


def test_a_take_that_closes_off_the_tonic_chord_says_so(capsys, tmp_path):
    """The default close draws its chord as the style's songs do: a pop take over IV says so, and
    how to close on the tonic (a teacher had read --cadence tonic as "ends on C")."""
    from tunesmith.cli import main

    takes = ts.compose(style="pop", key="C", n=3, seed=10, check=False)
    said = [[line for line in t.remarks if line.startswith("it closes over")] for t in takes]
    finals = [t.provenance["resolved"]["ending"].get("final_chord") for t in takes]
    assert finals[0] == "IV" and said[0] == ["it closes over IV, not the tonic chord, as some of the style's songs do "
                                             "(--cadence home always closes on the tonic)"]
    assert all(not s for s, f in zip(said, finals) if f in (None, "I"))
    home = ts.compose(style="pop", key="C", n=3, seed=10, check=False, cadence="home")
    assert not any(line.startswith("it closes over") for t in home for line in t.remarks)
    assert main(["compose", "--style", "pop", "--key", "C", "--n", "3", "--seed", "10", "--no-audio", "--no-svg",
                 "--out", str(tmp_path / "s")]) == 0  # fmt: skip
    assert "note: take 1: it closes over IV" in capsys.readouterr().err


def test_a_continuation_of_a_melody_without_chords_says_it_has_none():
    """A teacher's melody without chord symbols came back continued without any, and nothing said
    so; with chords for the new bars (or chords in the given music) nothing is said."""
    melody = ts.compose(style="folk", key="D", bars=4, seed=2, check=False, chords_from="none").piece
    bare = ts.continue_(melody, bars=4, seed=1)
    line = "the given music has no chord symbols, so the new bars have none either"
    assert not bare.piece.chords and any(r.startswith(line) for r in bare.remarks)
    given = ts.continue_(melody, bars=4, seed=1, chords="D G A7 D")
    assert given.piece.chords and not any(r.startswith(line) for r in given.remarks)
    chorded = ts.continue_(ts.compose(style="folk", key="D", bars=4, seed=2, check=False).piece, bars=4, seed=1)
    assert not any(r.startswith(line) for r in chorded.remarks)


def test_a_melody_that_sings_a_signature_letter_only_natural_is_told(tmp_path):
    """A teacher's D-major song whose F's lacked their sharps was harmonized over Dm and Gm without
    a word: it is read as written, and said; the same song with its sharps says nothing."""
    take = ts.compose(style="folk", key="D", bars=8, seed=4, check=False, chords_from="none")
    xml = take.musicxml()
    assert "<alter>1</alter>" in xml
    path = tmp_path / "song.musicxml"
    path.write_text(xml.replace("<alter>1</alter>", ""))  # every F# and C# written without its sharp
    said = [n for n in ts.harmonize(ts.read(path), style="folk", seed=1).provenance.get("notes", [])
            if "natural" in n]  # fmt: skip
    assert said and said[0].startswith("the melody sings ") and "against its key signature (D major)" in said[0]
    (tmp_path / "fine.musicxml").write_text(xml)
    assert not [n for n in ts.harmonize(ts.read(tmp_path / "fine.musicxml"), style="folk", seed=1).provenance.get("notes", [])
                if "natural" in n]  # fmt: skip
