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


def test_a_take_written_with_audio_carries_credentials(home, tmp_path):
    from tunesmith.outputs import bundle
    from tunesmith.outputs.audio import find_soundfont

    try:
        find_soundfont(None)
    except Exception as e:  # noqa: BLE001 - any missing soundfont skips
        pytest.skip(f"no SoundFont: {e}")
    from tunesmith.score import Note, Piece, Track

    piece = Piece(piece_id="t", work_id="t", style="folk", title="Credentials",
                  tracks=[Track("melody", "melody", notes=[Note(60 + i, float(i), 1.0) for i in range(4)])])  # fmt: skip
    files = bundle.write_take(piece, tmp_path / "take", provenance={"model": {"id": "default"}, "seed": 3},
                              render_audio=True, render_svg=False)  # fmt: skip
    record = json.loads(files["wav"].with_suffix(".json").read_text())
    assert record["rendering"]["wav"]["content_credentials"].startswith("C2PA")
    found = cc.read_content_credentials(files["wav"].read_bytes())
    assert found["problems"] == ["signingCredential.untrusted"] and found["provenance"]["seed"] == 3
