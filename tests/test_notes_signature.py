"""Every take's MIDI and MusicXML file carries a signature, with this installation's key, over the
notes and chord symbols it holds (as tunesmith reads them back) and the model, seed and request it
names (`rights.claims.notes_digest`, `outputs.bundle.with_notes_signature`). `tunesmith provenance`
checks it against what the file holds now: a rights officer's edited takes had still read as
tunesmith's, model and seed and all (session 46)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import tunesmith as ts
from tunesmith.rights.claims import CHANGED, NOTES_FIELD, OTHER_SIGNER, SIGNED, UNSIGNED, notes_status
from tunesmith.rights.provenance import read_provenance

sys.path.insert(0, str(Path(__file__).parent))
from midi_edits import raise_first_note  # noqa: E402


@pytest.fixture()
def written(tmp_path, monkeypatch):
    """A composed jig, written as MIDI and MusicXML by a fresh installation."""
    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    take = ts.compose("folk", key="D", bars=8, seed=4)
    paths = take.write(tmp_path / "jig", audio=False, svg=False)
    return paths


@pytest.mark.parametrize("kind", ["mid", "musicxml"])
def test_a_takes_file_is_signed_over_the_music_it_holds(written, kind):
    found = read_provenance(written[kind])
    assert found["fields"][NOTES_FIELD]["alg"] == "ES256"
    assert found[NOTES_FIELD] == SIGNED


def test_an_edited_note_or_record_no_longer_verifies(written, tmp_path, capsys):
    from tunesmith.cli import main

    edited = raise_first_note(written["mid"], tmp_path / "edited.mid")
    assert read_provenance(edited)[NOTES_FIELD] == CHANGED
    xml = written["musicxml"].read_text(encoding="utf-8")
    reseeded = tmp_path / "reseeded.musicxml"
    reseeded.write_text(re.sub(r'(name="tunesmith-seed">)4<', r"\g<1>5<", xml), encoding="utf-8")
    assert read_provenance(reseeded)["fields"]["seed"] == 5 and read_provenance(reseeded)[NOTES_FIELD] == CHANGED
    step = xml.index("<step>") + len("<step>")
    renoted = tmp_path / "renoted.musicxml"
    renoted.write_text(xml[:step] + ("C" if xml[step] != "C" else "D") + xml[step + 1 :], encoding="utf-8")
    assert read_provenance(renoted)[NOTES_FIELD] == CHANGED
    assert main(["provenance", str(edited)]) == 1  # changed since signed: a script checking files sees it
    out = capsys.readouterr().out
    assert "the notes, chords, model, seed, request, AI disclosure, training licenses and the musician's part: CHANGED since tunesmith wrote them" in out
    assert "(the signature no longer matches: these fields are text in the file" in out
    assert main(["provenance", str(written["mid"])]) == 0
    assert ("the notes, chords, model, seed, request, AI disclosure, training licenses and the musician's part: as "
            "tunesmith wrote them (signed by this installation)") in capsys.readouterr().out


def test_the_ai_disclosure_and_licenses_are_signed_too(written, tmp_path, capsys):
    """A clearance officer flipped a signed MIDI's "ai_generated" to false and edited a MusicXML's
    licenses: `provenance` read "The musician's own music: tunesmith generated none of these notes"
    over "signed by this installation". The signature covers them now (`SIGNED_FIELDS[2]`); a file
    signed before, over its notes, model, seed and request alone (no "covers"), still verifies."""
    import json

    import mido

    from tunesmith.cli import main
    from tunesmith.outputs.bundle import PROVENANCE_TEXT_PREFIX
    from tunesmith.rights.claims import notes_digest, sign_notes

    mid = mido.MidiFile(written["mid"])
    for track in mid.tracks:
        for i, msg in enumerate(track):
            if msg.type == "text" and msg.text.startswith(PROVENANCE_TEXT_PREFIX):
                record = json.loads(msg.text[len(PROVENANCE_TEXT_PREFIX) :])
                assert record["ai_generated"] is True and record[NOTES_FIELD]["covers"] == 2
                record["ai_generated"] = False
                track[i] = msg.copy(text=PROVENANCE_TEXT_PREFIX + json.dumps(record, separators=(",", ":")))
    mid.save(tmp_path / "flipped.mid")
    assert read_provenance(tmp_path / "flipped.mid")[NOTES_FIELD] == CHANGED
    xml = written["musicxml"].read_text(encoding="utf-8")
    assert "GPL-3.0" in xml
    (tmp_path / "relicensed.musicxml").write_text(xml.replace("GPL-3.0", "CC0-1.0"), encoding="utf-8")
    assert read_provenance(tmp_path / "relicensed.musicxml")[NOTES_FIELD] == CHANGED
    assert main(["provenance", str(tmp_path / "flipped.mid")]) == 1
    assert "AI disclosure, training licenses and the musician's part: CHANGED since" in capsys.readouterr().out
    # a signature of the first kind: over the notes, model, seed and request alone
    piece, fields = ts.read(written["mid"]), dict(read_provenance(written["mid"])["fields"])
    first = sign_notes(piece, fields)
    assert first["covers"] == 2 and notes_digest(piece, fields, 1) != notes_digest(piece, fields, 2)
    import base64

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from tunesmith.rights.content_credentials import signing_identity

    key = serialization.load_pem_private_key(signing_identity(None)[1], password=None)
    old = {k: v for k, v in first.items() if k != "covers"}
    old["signature"] = base64.b64encode(key.sign(notes_digest(piece, fields, 1), ec.ECDSA(hashes.SHA256()))).decode()
    assert notes_status(piece, {**fields, NOTES_FIELD: old})[0] == SIGNED
    assert notes_status(piece, {**fields, "ai_generated": False, NOTES_FIELD: old})[0] == SIGNED  # (it covered no more)
    assert notes_status(piece, {**fields, NOTES_FIELD: {**first, "covers": 9}})[0] == CHANGED


def test_a_signature_made_elsewhere_or_missing_is_said_so(written, tmp_path, monkeypatch):
    piece, fields = ts.read(written["mid"]), read_provenance(written["mid"])["fields"]
    assert notes_status(piece, fields)[0] == SIGNED
    assert notes_status(piece, {k: v for k, v in fields.items() if k != NOTES_FIELD})[0] == UNSIGNED
    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "elsewhere"))
    assert notes_status(piece, fields)[0] == OTHER_SIGNER
