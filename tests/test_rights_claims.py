"""A co-created take's record of the musician's notes is signed by the installation that made it
(`tunesmith.rights.claims`), and `check` leaves those notes out only where that signature holds:
over the very request and notes the file has, by this installation's key. A record typed into a
file by hand, moved onto other notes, or made elsewhere is counted, and `check` says why."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import mido
import pytest

import tunesmith as ts
from tunesmith.outputs.bundle import PROVENANCE_TEXT_PREFIX
from tunesmith.outputs.musicxml import write_musicxml
from tunesmith.rights.claims import CHANGED, FIELD, OTHER_SIGNER, SIGNED, UNSIGNED, claim_digest, verify_claim
from tunesmith.rights.provenance import read_provenance

sys.path.insert(0, str(Path(__file__).parent))
from midi_edits import raise_first_note  # noqa: E402
from own_music import own_tune  # noqa: E402


@pytest.fixture()
def home(tmp_path, monkeypatch):
    """A fresh installation: its own signing identity, made on first use."""
    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture()
def continued(home, tmp_path):
    """A continuation of the musician's MusicXML, written as MIDI and MusicXML."""
    write_musicxml(own_tune(), tmp_path / "mine.musicxml")
    take = ts.continue_(str(tmp_path / "mine.musicxml"), bars=4, seed=1)
    return {kind: next(iter(take.write(tmp_path / f"cont.{kind}").values())) for kind in ("mid", "musicxml")}


def fields_of(path):
    return read_provenance(path)["fields"]


@pytest.mark.parametrize("kind", ["mid", "musicxml"])
def test_a_co_created_file_carries_a_claim_signed_here_over_its_notes(continued, kind):
    """Written, read back (MIDI ticks, MusicXML divisions), the claim verifies: the digest reads
    onsets in 1/48 beats, which both formats give back exactly."""
    path = continued[kind]
    fields = fields_of(path)
    assert fields["musicians_part"].startswith("bars up to 4") and fields[FIELD]["alg"] == "ES256"
    piece = ts.read(path)
    status, given = verify_claim(piece, fields)
    assert status == SIGNED and len(given) == 16


def test_a_claim_no_longer_verifies_once_its_notes_or_request_change(continued):
    path = continued["mid"]
    fields = fields_of(path)
    piece = ts.read(path)
    # another request (more bars the musician's) under the same signature
    assert verify_claim(piece, fields | {"request": fields["request"] | {"bars": 2}})[0] == CHANGED
    # a given note changed under the record
    first = min(piece.melody().notes, key=lambda n: n.onset)
    first.pitch += 2
    assert verify_claim(piece, fields)[0] == CHANGED
    # the record without its signature, as a file from before, or one typed by hand
    assert verify_claim(ts.read(path), {k: v for k, v in fields.items() if k != FIELD})[0] == UNSIGNED
    # the digest reads the notes as a set: their order in the file does not matter
    given = {(60, 0.0), (62, 1.0)}
    assert claim_digest({"a": 1}, given) == claim_digest({"a": 1}, set(reversed(sorted(given))))


def test_a_claim_made_on_another_installation_is_not_trusted(continued, tmp_path, monkeypatch):
    path = continued["mid"]
    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "elsewhere"))
    assert verify_claim(ts.read(path), fields_of(path))[0] == OTHER_SIGNER  # no identity here at all
    from tunesmith.rights.content_credentials import signing_identity

    signing_identity()  # one of its own, not the one that signed
    assert verify_claim(ts.read(path), fields_of(path))[0] == OTHER_SIGNER


def _rewrite_record(path, out, change):
    """A copy of a take's MIDI whose provenance JSON went through `change` (as a script could)."""
    mid = mido.MidiFile(path)
    for msg in mid.tracks[0]:
        if msg.type == "text" and msg.text.startswith(PROVENANCE_TEXT_PREFIX):
            record = json.loads(msg.text[len(PROVENANCE_TEXT_PREFIX) :])
            msg.text = PROVENANCE_TEXT_PREFIX + json.dumps(change(record), separators=(",", ":"))
    mid.save(out)
    return out


def test_check_counts_the_notes_of_a_record_not_signed_here(continued, tmp_path, capsys):
    """A copy of a corpus tune with a "continue" record typed in: the notes are counted, and the
    check says why (it had been left out and read clear). The signed take's notes stay out."""
    from tunesmith.cli import main

    signed = continued["mid"]
    assert main(["check", str(signed), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["musicians_record"] == SIGNED and out["not_counted"].endswith("signed by this installation)")
    typed = _rewrite_record(signed, tmp_path / "typed.mid", lambda r: {k: v for k, v in r.items() if k != FIELD})
    main(["check", str(typed), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["musicians_record"] == UNSIGNED and out["not_counted"] is None
    assert "every note is counted" in out["counted"] and "--given FILE" in out["counted"]
    main(["check", str(typed)])
    assert "but that record is not signed: every note is counted" in capsys.readouterr().out
    main(["check", str(typed), "--trust-record", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["not_counted"].startswith("bars up to 4") and "taken on trust" in out["not_counted"]

    # the Python check reads the file the same way
    def result(*args, **kwargs):
        return {k: v for k, v in ts.check(*args, **kwargs).to_dict().items() if k != "seconds"}

    assert result(typed) == result(typed, given=set())
    assert result(signed) == result(typed, trust_record=True)


def test_a_damaged_certificate_here_vouches_for_nothing(continued, home):
    """A damaged signing certificate in this installation's folder: the claim reads as not
    signed here (counted), and `check` still answers."""
    from tunesmith.rights.content_credentials import CHAIN_FILE, FOLDER

    (home / FOLDER / CHAIN_FILE).write_text("not a certificate")
    path = continued["mid"]
    assert verify_claim(ts.read(path), fields_of(path))[0] == OTHER_SIGNER
    assert ts.check(path).verdict in ("clear", "close", "copy")


def test_provenance_checks_the_claim_against_the_notes_the_file_holds_now(continued, tmp_path, capsys):
    """`provenance` had called an edited co-created MIDI unsigned and unchanged where `check` said
    its notes had changed (the rights officer, session 46): it now reads the claim as `check` does."""
    from tunesmith.cli import main

    path = continued["mid"]
    assert read_provenance(path)["musicians_claim"] == SIGNED
    edited = raise_first_note(path, tmp_path / "edited.mid")
    assert read_provenance(edited)["musicians_claim"] == CHANGED
    assert main(["provenance", str(edited)]) == 1  # its notes changed since they were signed
    out = capsys.readouterr().out
    assert "the musician's part: signed, but the file's notes or request have CHANGED since" in out
    assert main(["provenance", str(path)]) == 0
    assert "the musician's part: signed by this installation, and the file's notes are as signed" in capsys.readouterr().out
