"""Hostile inputs found in session 41's trial as a hostile user
(docs/notes/2026-12-04-session-41/hostile/report.md): each case had been a traceback-free but
wrong answer (an internal error, a line naming no file, minutes of work or gigabytes before a
limit refused it, a crash after the work) and is now one line naming the file, before the work.
Limits are made small through `$TUNESMITH_LIMIT_<NAME>` where a real attack needs a big file."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tunesmith.limits import LimitError

pytestmark = pytest.mark.filterwarnings("ignore:skipped ABC tune")

NOTE = "<note><pitch><step>C</step><octave>5</octave></pitch><duration>1</duration><type>quarter</type></note>"


def _musicxml(measure_start: str = "", note: str = NOTE) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<score-partwise version="3.1">'
            '<part-list><score-part id="P1"><part-name>Melody</part-name></score-part></part-list>'
            '<part id="P1"><measure number="1"><attributes><divisions>1</divisions><key><fifths>0</fifths></key>'
            f'<time><beats>4</beats><beat-type>4</beat-type></time></attributes>{measure_start}{note * 4}</measure>'
            "</part></score-partwise>\n")  # fmt: skip


def _piece(notes, tracks: int = 1):
    from tunesmith.score import KeySignature, Note, Piece, TimeSignature, Track

    p = Piece("mine", "mine", tracks=[Track(name=f"m{i}", role="melody" if i == 0 else "accompaniment",
                                            notes=[Note(*n) for n in notes]) for i in range(tracks)],
              time_signatures=[TimeSignature(0.0, 4, 4)], keys=[KeySignature(0.0, "D", "major")])  # fmt: skip
    p.end = max(n[1] + n[2] for n in notes)
    return p


TUNE = [(62 + i % 5, float(i), 1.0) for i in range(16)]


# ============================================================================ co-create
def test_continuing_music_that_ends_inside_a_tuplet_begins_after_it():
    """Four notes of a 9-tuplet (the given music ends 4/9 of a beat in) had failed `continue` with
    "co-create wrote a note inside the given music", naming no file: the new music began at the
    tick nearest the end (5/12 of a beat), inside the last given note."""
    import tunesmith as ts

    d = 1 / 9
    take = ts.continue_(_piece([(62 + 2 * i, i * d, d) for i in range(4)]), bars=2, seed=1, style="folk")
    new = [n for n in take.piece.melody().notes if n.onset > 3 * d + 1e-6]
    assert new and min(n.onset for n in new) >= 4 * d - 1e-6


def test_a_piece_given_to_the_api_keeps_the_limits_a_file_keeps(monkeypatch):
    """A Piece had skipped every limit a file keeps: a note of 1e9 beats had held continue_ for
    minutes and 19 GB, 300,000 notes made an 18,752-bar take, a pitch of 500 was continued."""
    import tunesmith as ts

    with pytest.raises(ValueError, match=r"mine: track 'm0' has pitch 500 outside 0\.\.127"):
        ts.continue_(_piece([*TUNE, (500, 16.0, 1.0)]), bars=2, seed=1)
    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_COCREATE_NOTES", "10")
    with pytest.raises(LimitError, match=r"^mine: number of notes 16 is over the limit of 10$"):
        ts.continue_(_piece(TUNE), bars=2, seed=1)
    with pytest.raises(LimitError, match=r"^mine: number of notes 16 is over the limit of 10$"):
        ts.check(_piece(TUNE))


# ============================================================================ MusicXML, kern, ABC
@pytest.mark.parametrize("tag", ["root-alter", "bass-alter", "alter"])
def test_an_alteration_out_of_range_is_refused_before_music21(tmp_path, tag):
    """<root-alter>100000000</root-alter> had been spelled as that many sharps (a minute and 660 MB,
    then a take with the chord dropped); "inf" had failed as OverflowError."""
    from tunesmith.inputs import read_file

    if tag == "alter":
        xml = _musicxml(note=NOTE.replace("<step>C</step>", "<step>C</step><alter>1000</alter>"))
    else:
        which = "root" if tag == "root-alter" else "bass"
        chord = ("<harmony><root><root-step>C</root-step></root><kind>major</kind><bass><bass-step>E</bass-step>"
                 "</bass></harmony>").replace(f"<{which}-step>", f"<{which}-alter>1000</{which}-alter><{which}-step>")
        xml = _musicxml(measure_start=chord)
    f = tmp_path / "chords.musicxml"
    f.write_text(xml)
    with pytest.raises(LimitError, match=rf"chords\.musicxml: <{tag}> 1000 is out of range \(-3\.\.3 semitones\)$"):
        read_file(f)


def test_a_tuplet_of_no_notes_is_one_line_in_words(tmp_path):
    from tunesmith.inputs import read_file

    tm = "<time-modification><actual-notes>0</actual-notes><normal-notes>2</normal-notes></time-modification></note>"
    f = tmp_path / "tuplet.musicxml"
    f.write_text(_musicxml(note=NOTE.replace("</note>", tm)))
    with pytest.raises(LimitError, match=r"tuplet\.musicxml: <actual-notes> 0 is not a positive whole number of notes"):
        read_file(f)


def test_a_polyphonic_kern_score_is_measured_before_music21(tmp_path, monkeypatch):
    """music21's Humdrum parser had spent over 5 minutes on *M99999/1, as on 30,000 bars, before
    the piece's limits were asked; *MM0 had failed it as "ZeroDivisionError"."""
    from tunesmith.inputs import read_file

    head = "**kern\t**kern\n*M4/4\t*M4/4\n"
    f = tmp_path / "fast.krn"
    f.write_text("**kern\t**kern\n*MM0\t*MM0\n*M4/4\t*M4/4\n=1\t=1\n4c\t4e\n*-\t*-\n")
    with pytest.raises(LimitError, match=r"fast\.krn: tempo \*MM0 is out of range \(1\.\.2,000 quarter notes a minute\)"):
        read_file(f)
    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_PIECE_BARS", "8")
    f.write_text(head + "=\t=\n4c\t4e\n4d\t4f\n4e\t4g\n4f\t4a\n" * 20 + "*-\t*-\n")
    with pytest.raises(LimitError, match=r"fast\.krn: 20 bar lines written, over the limit of 8 bars"):
        read_file(f)


def test_an_abc_tune_of_too_many_notes_is_refused_before_music21(tmp_path, monkeypatch):
    """One line of 1.5 million notes (1.5 MB) had kept music21 for 30 s and 1.3 GB."""
    from tunesmith.inputs import read_file

    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_PIECE_NOTES", "50")
    f = tmp_path / "line.abc"
    f.write_text("X:1\nT:t\nM:4/4\nL:1/8\nK:D\n" + "DEFG" * 50 + "|\n")
    with pytest.raises(ValueError, match=r"line\.abc: no readable ABC tune \(.*line\.abc#0 \(X:1\): 200 notes written, "
                                         r"over the limit of 50 notes\)$"):
        read_file(f)


def test_a_json_beside_the_input_nested_deep_is_not_a_take_record(tmp_path):
    """tune.json beside tune.musicxml, nested 100,000 deep, had failed `check` and co-create with
    "RecursionError", naming no file (a pipe there had hung them, /dev/zero filled the memory)."""
    import tunesmith as ts

    (tmp_path / "tune.musicxml").write_text(_musicxml())
    (tmp_path / "tune.json").write_text("[" * 100_000 + "]" * 100_000)
    assert ts.read(tmp_path / "tune.musicxml").n_notes == 4


# ============================================================================ model folders
def _index_copy(tmp_path: Path) -> Path:
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    for name in ("similarity_index.npz", "similarity_index.json"):
        shutil.copy(DEFAULT_MODEL_DIR / name, tmp_path / name)
    return tmp_path / "similarity_index.npz"


def test_a_similarity_index_that_unpacks_too_far_is_refused_before_numpy(tmp_path, monkeypatch):
    """A model folder's 4.5 MB index unpacking 3 GB had held compose 34 s and 3.2 GB; an array
    header declaring 10**12 floats had been "MemoryError: Unable to allocate 7.28 TiB"."""
    from tunesmith.rights.index import SimilarityIndex

    npz = _index_copy(tmp_path)
    with np.load(npz, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    with zipfile.ZipFile(npz, "w", zipfile.ZIP_DEFLATED) as z:
        for k, a in arrays.items():
            with z.open(k + ".npy", "w") as f:
                if k == "pitches":
                    np.lib.format.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)})
                    f.write(bytes(100))
                else:
                    np.lib.format.write_array(f, a, allow_pickle=False)
    with pytest.raises(ValueError, match=r"^similarity_index\.npz: unreadable similarity index "
                                         r"\(ValueError: pitches\.npy declares 8,000,000,000,000 bytes"):
        SimilarityIndex.load(npz)
    _index_copy(tmp_path)
    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_MODEL_BYTES", "1000000")  # (its .json: 338,606 bytes)
    with pytest.raises(ValueError, match=r"its arrays unpack to [\d,]+ bytes, over the limit of 1,000,000"):
        SimilarityIndex.load(npz)


def test_a_decoding_file_that_is_not_an_object_is_refused(tmp_path):
    from tunesmith.inference import read_decoding

    (tmp_path / "decoding.json").write_text("[1, 2, 3]")
    with pytest.raises(ValueError, match=r"decoding\.json: not a decoding file \(a JSON object of styles, not list\)"):
        read_decoding(tmp_path)


# ============================================================================ criteria and configs
def test_a_criteria_file_is_read_only_when_it_is_a_small_regular_file(tmp_path):
    """A pipe had hung `tune`, /dev/zero filled the memory, brackets nested 100,000 deep failed as
    "RecursionError" naming no file, and a weight of 1e300 failed the first round, after the setup."""
    from tunesmith.rewards import parse_spec
    from tunesmith.rewards.criteria import load_criteria

    device = tmp_path / "device.toml"
    device.symlink_to(os.devnull)
    with pytest.raises(ValueError, match=r"device\.toml: not a regular file \(a pipe, device or socket\)"):
        load_criteria(device)
    deep = tmp_path / "deep.toml"
    deep.write_text("[note_density]\ntarget = 2\nx = " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(ValueError, match=r"deep\.toml: not valid TOML \(RecursionError"):
        load_criteria(deep)
    heavy = tmp_path / "heavy.toml"
    heavy.write_text("[note_density]\ntarget = 2\nweight = 1e300\n")
    with pytest.raises(ValueError, match=r"heavy\.toml: \[note_density\]: weight 1e\+300 is over the limit of 1000"):
        load_criteria(heavy)
    with pytest.raises(ValueError, match=r"--reward 'rules:1e308': the weight 1e\+308 is over the limit of 1000"):
        parse_spec("rules:1e308")


def test_a_tune_config_nested_deep_is_one_line_naming_it(tmp_path, monkeypatch, capsys):
    from tunesmith.cli import main

    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert main(["tune", "--reward", "rules", "--config", str(deep), "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err.strip()
    assert "deep.toml: not valid TOML (RecursionError" in err and len(err.splitlines()) == 1, err


def test_a_train_config_that_is_a_pipe_or_nested_deep_is_one_line_naming_it(tmp_path):
    """`train --config` as `tune --config`: a pipe had hung it, and brackets nested 100,000 deep had
    failed as "RecursionError" naming no file."""
    import os

    from tunesmith.config import load_config

    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(ValueError, match=r"deep\.toml: not valid TOML \(RecursionError"):
        load_config(deep)
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    with pytest.raises(ValueError, match=r"pipe\.toml"):
        load_config(pipe)
    with pytest.raises(FileNotFoundError, match=r"config file not found: .*missing\.toml"):
        load_config(tmp_path / "missing.toml")


def test_an_abc_note_of_too_many_slashes_is_one_line(tmp_path):
    from tunesmith.inputs import read_file

    path = tmp_path / "slashes.abc"
    path.write_text("X:1\nT:t\nM:4/4\nL:1/8\nK:C\n|D" + "/" * 10_000 + "|\n")
    with pytest.raises(ValueError, match=r"slashes\.abc.*a note length of 10,000 slashes"):
        read_file(path)
    path.write_text("X:1\nT:t\nM:4/4\nL:1/8\nK:C\nD//E//F//G// A4 B4|c8|\n")  # sixteenths and thirty-seconds stay
    assert read_file(path)[0].n_notes == 7


def test_an_abc_key_field_that_names_no_key_is_no_key(tmp_path):
    """K:Qx# lydianish (and German K:Es) had been read as C major without a word: the tune now has
    no written key, as a tune without K:, and co-create estimates it from the notes."""
    from tunesmith.inputs import read_file

    path = tmp_path / "key.abc"
    path.write_text("X:1\nT:t\nM:4/4\nL:1/8\nK:Qx# lydianish\nGABc dBGB|cAFA G4|]\n")
    (piece,) = read_file(path)
    assert piece.keys == [] and piece.meta["key_not_written"] and piece.meta["key_field_unread"] == "Qx# lydianish"
    path.write_text("X:1\nT:t\nM:4/4\nL:1/8\nK:G clef=treble\nGABc dBGB|cAFA G4|]\n")
    (piece,) = read_file(path)
    assert (piece.keys[0].tonic, piece.keys[0].mode) == ("G", "major") and "key_field_unread" not in piece.meta


# ============================================================================ CSV files
def test_a_preferences_csv_over_the_file_limit_is_not_read(tmp_path, monkeypatch):
    """A 300 MB file had been read whole: 3 minutes and 4.4 GB."""
    from tunesmith.ratings import RatingsStore

    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_FILE_BYTES", "1000")
    f = tmp_path / "prefs.csv"
    f.write_text("preferred,other\n" + "a.json,b.json\n" * 100)
    with RatingsStore(tmp_path / "r.db") as store, pytest.raises(LimitError, match=r"prefs\.csv: file too large"):
        store.import_csv_report(f)


def test_a_metadata_csv_names_a_few_unknown_columns(tmp_path):
    """A header of 100,000 columns had made an error line of 789 kB."""
    from tunesmith.corpus.metadata import read_metadata_csv

    f = tmp_path / "meta.csv"
    f.write_text("file,year," + ",".join(f"c{i}" for i in range(100)) + "\n")
    with pytest.raises(ValueError, match=r"meta\.csv: unknown column\(s\) c0, c1, c2, c3, c4 and 95 more; known: ") as e:
        read_metadata_csv(f, tmp_path)
    assert len(str(e.value)) < 200


# ============================================================================ stores and outputs
def test_a_damaged_store_is_named(tmp_path):
    """"DatabaseError: file is not a database" had named neither the ratings store nor the registry."""
    from tunesmith.corpus.registry import FolderRegistry
    from tunesmith.ratings import RatingsStore

    junk = tmp_path / "junk.db"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ValueError, match=rf"^{junk}: cannot be opened as the ratings store \(file is not a database\)"):
        RatingsStore(junk)
    with pytest.raises(ValueError, match=rf"^{junk}: cannot be opened as the corpus registry \(file is not a database\)"):
        FolderRegistry(junk).list()


def test_a_folder_that_cannot_be_written_is_refused_before_the_work():
    """`compose --n 32` into a read-only folder had made every take, then failed with "OSError:
    [Errno 30] Read-only file system: 'ro/.take-1.partial-27739-zxfn80v4'"."""
    from tunesmith.take import bundle_paths, check_overwrite

    with pytest.raises(PermissionError, match=r"^/proc/self: cannot write files there"):
        check_overwrite(bundle_paths("/proc/self/out/take", 2), False)


def test_a_damaged_signing_identity_is_said_before_the_takes_are_made(tmp_path, monkeypatch, capsys):
    """A damaged signer.key had let compose make its takes, then fail at writing with
    "_C2paSignature: Signature: invalid signing credentials (...)", naming no file."""
    from tunesmith.cli import main

    home = tmp_path / "home"
    (home / "content_credentials").mkdir(parents=True)
    for name in ("signer.key", "signer.pem"):
        (home / "content_credentials" / name).write_bytes(b"\x00junk" * 50)
    monkeypatch.setenv("TUNESMITH_HOME", str(home))
    assert main(["compose", "--style", "folk", "--bars", "4", "--seed", "1", "--out", str(tmp_path / "take")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("tunesmith compose: error: $TUNESMITH_HOME/content_credentials/signer.key: this installation's "
                   "signing identity is damaged (not a PEM private key); restore it, or remove "
                   "$TUNESMITH_HOME/content_credentials to make a new one"), err
    assert not list(tmp_path.glob("take*"))


def test_a_title_loses_its_bidirectional_overrides(tmp_path):
    """An ABC title with a right-to-left override (U+202E) had gone into the take's MusicXML, SVG
    and MIDI, the text after it shown reversed."""
    from tunesmith.inputs import read_file

    f = tmp_path / "rtl.abc"
    f.write_text("X:1\nT:Reel \u202eleer\u2066x\u2069\nM:4/4\nL:1/8\nK:D\n|DEFG ABcd|\n", encoding="utf-8")
    assert read_file(f)[0].title == "Reel leerx"


def test_check_of_a_model_with_a_damaged_index_names_the_model(tmp_path, monkeypatch, capsys):
    """`check --model DIR` had said "similarity_index.npz: unreadable similarity index (ValueError:
    This file contains pickled (object) data. If you trust the file you can load it unsafely ...)"
    of an index of random bytes, naming no folder and suggesting an unsafe load."""
    from tunesmith.cli import main

    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    _index_copy(tmp_path).write_bytes(bytes(range(256)) * 8)
    (tmp_path / "model.safetensors").touch()
    tune = tmp_path / "tune.abc"
    tune.write_text("X:1\nT:t\nM:4/4\nL:1/8\nK:D\n|DEFG ABcd|\n")
    assert main(["check", str(tune), "--model", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"tunesmith check: error: {tmp_path}: similarity_index.npz: unreadable similarity index "
                   "(BadZipFile: File is not a zip file)"), err
