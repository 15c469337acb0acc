"""C2PA Content Credentials in the WAV: read back with the C2PA SDK, tampering shows, nothing leaks."""

from __future__ import annotations

import io
import json
import os
import stat
import wave

import pytest

from tunesmith.rights import content_credentials as cc
from tunesmith.rights.provenance import DIGITAL_SOURCE_TYPE, read_wav_info, wav_with_provenance

pytestmark = pytest.mark.skipif(not cc.available(), reason="the C2PA bindings (c2pa-python) do not load here")

RECORD = {
    "tunesmith_version": "0.1.0",
    "model": {"id": "default", "sha256": "ab" * 32},
    "seed": 7,
    "request": {"style": "folk", "bars": 4},
    "training_licenses": ["GPL-3.0", "public-domain"],
    "training_sources": ["jsb", "nottingham"],
    "piece": {"title": "A Take", "style": "folk"},
    "resolved": {"chords_from": "harmonizer"},
    "rights": {"verdict": "clear", "score": 9.5},
}


def _wav(frames: int = 800) -> bytes:
    raw = io.BytesIO()
    with wave.open(raw, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000), w.writeframes(b"\1\0" * frames)
    return raw.getvalue()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_a_signed_wav_reads_back_intact_with_its_provenance(home):
    signed = wav_with_provenance(_wav(), RECORD)
    found = cc.read_content_credentials(signed)
    # intact: the only finding is that the local signer is not on a trust list
    assert found["problems"] == ["signingCredential.untrusted"]
    actions = next(a for a in found["manifest"]["assertions"] if a["label"].startswith("c2pa.actions"))["data"]
    created = actions["actions"][0]
    assert created["action"] == "c2pa.created" and created["digitalSourceType"] == DIGITAL_SOURCE_TYPE
    prov = found["provenance"]
    assert prov["model"] == RECORD["model"] and prov["seed"] == 7 and prov["request"] == RECORD["request"]
    assert prov["training_licenses"] == ["GPL-3.0", "public-domain"] and prov["chords_from"] == "harmonizer"
    assert "AI-generated" in prov["usage"]
    # the RIFF INFO chunk is still there, and the audio still reads
    assert "AI-generated" in read_wav_info(signed)["ICMT"]
    with wave.open(io.BytesIO(signed)) as w:
        assert w.getnframes() == 800
    # no machine path in the manifest (the signing identity lives under TUNESMITH_HOME)
    assert str(home) not in json.dumps(found["manifest"]) and os.sep + "tmp" not in json.dumps(found["provenance"])


@pytest.mark.parametrize("where", ["audio", "info"])
def test_a_changed_byte_shows_as_tampering(home, where):
    signed = bytearray(wav_with_provenance(_wav(), RECORD))
    if where == "audio":
        at = signed.index(b"data") + 100  # a sample
    else:
        at = signed.index(b"ICMT") + 12  # the INFO comment, signed with the rest
    signed[at] ^= 0x01
    found = cc.read_content_credentials(bytes(signed))
    assert "assertion.dataHash.mismatch" in found["problems"]


def test_an_unsigned_wav_has_no_credentials(home):
    assert cc.read_content_credentials(_wav()) is None


def test_the_signing_identity_is_made_once_private_and_anonymous(home):
    chain, key = cc.signing_identity()
    folder = home / cc.FOLDER
    assert stat.S_IMODE((folder / cc.KEY_FILE).stat().st_mode) == 0o600
    assert cc.signing_identity() == (chain, key)  # reused, not remade
    from cryptography import x509

    certs = x509.load_pem_x509_certificates(chain)
    assert len(certs) == 2 and certs[0].issuer == certs[1].subject  # issued by the local CA, not self-signed
    names = " ".join(c.subject.rfc4514_string() for c in certs)
    assert os.uname().nodename not in names and "tunesmith" in names


NEAREST = {"work_id": "nottingham:reels.abc#7", "title": "Frazer's Reel; or the Fisher", "source": "nottingham",
           "license": "GPL-3.0", "style": "folk", "score": 22.2, "bars": [8, 17], "work_bars": [1, 3],
           "matched_notes": 12, "harmony": 0.1, "verdict": "close"}


def _take_files(tmp_path):
    from tunesmith.outputs import bundle
    from tunesmith.outputs.audio import find_soundfont
    from tunesmith.score import Note, Piece, Track

    try:
        find_soundfont(None)
    except Exception as e:  # noqa: BLE001 - any missing soundfont skips
        pytest.skip(f"no SoundFont: {e}")
    piece = Piece(piece_id="t", work_id="t", style="folk", title="Read back",
                  tracks=[Track("melody", "melody", notes=[Note(62 + i, float(i), 1.0) for i in range(4)])])  # fmt: skip
    prov = {"model": {"id": "default", "sha256": "cd" * 32}, "seed": 11, "request": {"style": "folk", "bars": 1},
            "training_data": {"licenses": {"GPL-3.0": 2}}, "take_index": 1, "batch": 3,
            "rights": {"checked": True, "verdict": "close", "score": 22.2, "nearest": [NEAREST]}}  # fmt: skip
    return bundle.write_take(piece, tmp_path / "take", provenance=prov, render_audio=True, render_svg=False)


def test_a_take_written_with_audio_carries_credentials(home, tmp_path):
    files = _take_files(tmp_path)
    record = json.loads(files["wav"].with_suffix(".json").read_text())
    assert record["rendering"]["wav"]["content_credentials"].startswith("C2PA")
    found = cc.read_content_credentials(files["wav"].read_bytes())
    assert found["problems"] == ["signingCredential.untrusted"] and found["provenance"]["seed"] == 11


def test_provenance_reads_back_from_each_kind_of_file(home, tmp_path):
    import tunesmith as ts

    files = _take_files(tmp_path)
    for kind in ("mid", "musicxml", "wav"):
        found = ts.provenance(files[kind])
        assert found["made_by_tunesmith"] and found["ai_generated"] is True, kind
        assert found["fields"]["request"] == {"style": "folk", "bars": 1}, kind
    assert ts.provenance(files["mid"])["fields"]["seed"] == 11
    assert ts.provenance(files["musicxml"])["fields"]["model_sha256"] == "cd" * 32
    wav = ts.provenance(files["wav"])
    assert wav["content_credentials"]["intact"] and wav["content_credentials"]["provenance"]["seed"] == 11
    # the same names and values from all three (a WAV had said "software" and left out the sources)
    from tunesmith.rights.provenance import field_names

    # each but the file's own signature over the music it holds (the WAV's is its C2PA manifest)
    shared = [{k: ts.provenance(files[kind])["fields"][k] for k in field_names() if k != "notes_signature"}
              for kind in ("mid", "musicxml", "wav")]  # fmt: skip
    assert shared[0] == shared[1] == shared[2]
    assert [ts.provenance(files[kind])["notes_signature"] for kind in ("mid", "musicxml")] == ["signed here"] * 2
    assert shared[0]["tunesmith"] and shared[0]["take"] == 2 and shared[0]["takes"] == 3


def test_provenance_cli_says_when_a_wav_was_changed(home, tmp_path, capsys):
    from tunesmith.cli import main

    files = _take_files(tmp_path)
    data = bytearray(files["wav"].read_bytes())
    data[data.index(b"data") + 64] ^= 0x01
    changed = tmp_path / "changed.wav"
    changed.write_bytes(bytes(data))
    assert main(["provenance", str(files["wav"]), str(changed)]) == 1  # a changed file: exit 1 (a rights analyst's script saw 0)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{files['wav']}: AI-generated, model default, seed 11 (take 2 of 3: --seed 11 --n 3)")
    assert out[1].startswith("  copy check: close") and "intact" in out[3]
    # what the user may do, as the take's JSON says: a close take is checked before publishing
    assert out[2].startswith("  what you may do with it: AI-generated") and "before publishing" in out[2]
    assert "CHANGED since signing (assertion.dataHash.mismatch)" in out[7]
    assert main(["provenance", "--json", str(changed)]) == 1
    assert main(["provenance", str(files["wav"])]) == 0
    capsys.readouterr()
    assert main(["provenance", "--json", str(changed)]) == 1
    assert json.loads(capsys.readouterr().out)["content_credentials"]["intact"] is False
    # a MIDI's fields are unsigned text, and said to be (a forged one had read as trusted)
    assert main(["provenance", str(files["mid"])]) == 0
    assert "besides the signed notes and record, these fields are text in the file, which anyone can write" in capsys.readouterr().out
    assert main(["provenance", "--json", str(files["mid"]), str(files["wav"])]) == 0
    assert [json.loads(line)["signed"] for line in capsys.readouterr().out.splitlines()] == [False, True]


def test_a_bad_file_among_several_is_reported_in_its_turn(home, tmp_path, capsys):
    from tunesmith.cli import main

    files = _take_files(tmp_path)
    missing = tmp_path / "missing.wav"
    assert main(["provenance", "--json", str(files["mid"]), str(missing), str(files["musicxml"])]) == 2
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line.get("kind") for line in lines] == ["midi", None, "musicxml"]
    assert lines[1] == {"file": str(missing), "error": f"{missing}: no such file", "exit_status": 2}
    assert main(["provenance", str(missing), str(files["mid"])]) == 2
    captured = capsys.readouterr()
    assert f"{missing}: no such file" in captured.err and captured.out.startswith(f"{files['mid']}: AI-generated")


def test_the_three_files_give_the_same_fields_with_the_same_types(home, tmp_path):
    import tunesmith as ts
    from tunesmith.rights.provenance import wav_info_fields, wav_with_info

    files = _take_files(tmp_path)
    midi, xml = ts.provenance(files["mid"])["fields"], ts.provenance(files["musicxml"])["fields"]
    # a WAV without C2PA (its INFO chunk only) still says model, seed and licenses
    record = json.loads(files["wav"].with_suffix(".json").read_text())
    (tmp_path / "info.wav").write_bytes(wav_with_info(_wav(), wav_info_fields(record)))
    info = ts.provenance(tmp_path / "info.wav")
    assert info["content_credentials"] is None
    wav = info["fields"]
    for key, value in (("seed", 11), ("model", "default"), ("model_sha256", "cd" * 32), ("licenses", ["GPL-3.0"]),
                       ("ai_generated", True), ("take", 2), ("takes", 3), ("request", {"style": "folk", "bars": 1})):
        assert midi[key] == xml[key] == wav[key] == value, key  # fmt: skip


def test_a_file_not_made_by_tunesmith_says_so(home, tmp_path):
    import mido

    import tunesmith as ts

    mid = mido.MidiFile()
    mid.tracks.append(mido.MidiTrack([mido.Message("note_on", note=60, time=0), mido.Message("note_off", note=60, time=480)]))
    mid.save(tmp_path / "other.mid")
    (tmp_path / "other.wav").write_bytes(_wav())
    for name in ("other.mid", "other.wav"):
        found = ts.provenance(tmp_path / name)
        assert found["made_by_tunesmith"] is False and found["content_credentials"] is None


def test_midi_provenance_is_read_without_parsing_every_event(home, tmp_path):
    """The provenance text event is found in the file's bytes: a note event with a data byte over
    127 after it (mido refuses such a file whole; parsing every event of a 31 MB file took 53 s and
    2.9 GB) does not hide it, and a size of two bytes (a text over 127 bytes) is read right."""
    import tunesmith as ts
    from tunesmith.outputs.bundle import PROVENANCE_TEXT_PREFIX

    text = (PROVENANCE_TEXT_PREFIX + json.dumps({"seed": 7, "model": "m" * 200})).encode()
    assert 127 < len(text) < 16384
    size = bytes([0x80 | (len(text) >> 7), len(text) & 0x7F])
    events = b"\0\xff\x01" + size + text + b"\0\x90\x3c\xff" + b"\0\xff\x2f\0"
    data = b"MThd\0\0\0\x06\0\0\0\x01\x01\xe0MTrk" + len(events).to_bytes(4, "big") + events
    (tmp_path / "odd.mid").write_bytes(data)
    fields = ts.provenance(tmp_path / "odd.mid")["fields"]
    assert fields["seed"] == 7 and fields["model"] == "m" * 200


def test_provenance_refuses_bad_files_in_one_line(home, tmp_path, monkeypatch):
    import tunesmith as ts

    (tmp_path / "x.svg").write_text("<svg/>")
    with pytest.raises(ValueError, match=r"x\.svg: not a kind of file tunesmith writes \(one of \.abc, \.json, \.mid"):
        ts.provenance(tmp_path / "x.svg")
    (tmp_path / "x.wav").write_bytes(b"ID3 not a wave file at all")
    with pytest.raises(ValueError, match=r"x\.wav: cannot read its metadata \(not a RIFF/WAVE file\)$"):
        ts.provenance(tmp_path / "x.wav")
    (tmp_path / "empty.mid").write_bytes(b"")
    with pytest.raises(ValueError, match=r"empty\.mid: empty file$"):
        ts.provenance(tmp_path / "empty.mid")
    (tmp_path / "cut.mid").write_bytes(b"MThd\0\0\0\x06\0\x01\0\x01\x01\xe0MTrk\0\0\0\x40\0\xff")
    with pytest.raises(ValueError, match=r"cut\.mid: cannot read its metadata \(the file ends early"):
        ts.provenance(tmp_path / "cut.mid")
    (tmp_path / "folder.mid").mkdir()
    with pytest.raises(ValueError, match=r"folder\.mid: is a folder, not a file"):
        ts.provenance(tmp_path / "folder.mid")
    signed = wav_with_provenance(_wav(), RECORD)
    (tmp_path / "cut.wav").write_bytes(signed[: len(signed) // 2])
    with pytest.raises(ValueError, match=r"cut\.wav: cannot read its metadata \(C2PA: ") as info:
        ts.provenance(tmp_path / "cut.wav")
    assert "_C2pa" not in str(info.value)
    (tmp_path / "big.wav").write_bytes(_wav(4000))
    monkeypatch.setenv("TUNESMITH_LIMIT_MAX_WAV_BYTES", "1000")
    with pytest.raises(ValueError, match=r"big\.wav: file too large"):
        ts.provenance(tmp_path / "big.wav")
    with pytest.raises(FileNotFoundError, match=r"gone\.mid: no such file"):
        ts.provenance(tmp_path / "gone.mid")


def test_provenance_says_a_musicians_own_file_is_theirs(capsys):
    """A studio upload written out again (no note generated) had been summed up as
    "studio-export.mid: provenance": the line says whose music it is and what it came from."""
    from tunesmith.cli.provenance import print_record

    fields = {"tunesmith": "0.1.0", "request": {"command": "upload", "name": "tune.abc", "format": "abc"}}
    print_record({"file": "studio-export.mid", "kind": "midi", "content_credentials": None, "made_by_tunesmith": True,
                  "fields": fields, "ai_generated": False, "signed": False})  # fmt: skip
    first = capsys.readouterr().out.splitlines()[0]
    assert first == "studio-export.mid: The musician's own music: tunesmith generated none of these notes (upload of tune.abc)"


def test_each_file_carries_the_copy_check_and_its_nearest_works(home, tmp_path, capsys):
    """The model card says a take names the works it resembles inside its files: the MIDI and
    MusicXML had carried no copy check, the WAV's credentials the verdict alone (the rights officer,
    session 46)."""
    import tunesmith as ts
    from tunesmith.cli import main

    files = _take_files(tmp_path)
    expected = {"verdict": "close", "score": 22.2,
                "nearest": [{"title": "Frazer's Reel, or the Fisher", "work_id": "nottingham:reels.abc#7",
                             "source": "nottingham", "license": "GPL-3.0", "score": 22.2, "bars": [8, 17],
                             "work_bars": [1, 3]}]}  # fmt: skip
    for kind in ("mid", "musicxml", "wav"):
        assert ts.provenance(files[kind])["fields"]["copy_check"] == expected, kind
        assert main(["provenance", str(files[kind])]) == 0
        assert ("  copy check: close (score 22.2); nearest training works: Frazer's Reel, or the Fisher "
                "(nottingham, GPL-3.0; score 22.2)") in capsys.readouterr().out.splitlines()


def test_a_takes_json_reads_back_as_its_media_files_do(home, tmp_path, capsys):
    """`provenance STEM.json`: the take's own record, in the same fields its MIDI carries, unsigned
    (an app developer's sidecar had been refused as "not a kind of file tunesmith writes"); a JSON
    that is not a take's is refused in one line."""
    import tunesmith as ts
    from tunesmith.cli import main

    files = _take_files(tmp_path)
    from_json, from_midi = ts.provenance(files["json"]), ts.provenance(files["mid"])
    assert from_json["kind"] == "json" and from_json["signed"] is False and from_json["ai_generated"] is True
    assert {k: from_json["fields"][k] for k in ("model", "seed", "licenses", "take", "takes")} == \
        {k: from_midi["fields"][k] for k in ("model", "seed", "licenses", "take", "takes")}  # fmt: skip
    assert main(["provenance", str(files["json"])]) == 0
    assert capsys.readouterr().out.startswith(f"{files['json']}: AI-generated, model default, seed 11")
    (tmp_path / "other.json").write_text('{"format": "something else"}')
    with pytest.raises(ValueError, match=r"other\.json: not a tunesmith take JSON \(no tunesmith-take format\)$"):
        ts.provenance(tmp_path / "other.json")
