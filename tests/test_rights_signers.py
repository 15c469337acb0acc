"""A collaborator's co-created take: its record of the musician's notes is believed once this
installation trusts the certificate that collaborator exported (`tunesmith.rights.signers`,
`tunesmith identity`), and only then; the certificate file is untrusted input, refused in one line
naming it when it is anything but a P-256 certificate without a key."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import pytest

import tunesmith as ts
from tunesmith.outputs.musicxml import write_musicxml
from tunesmith.rights.claims import CHANGED, OTHER_SIGNER, SIGNED, TRUSTED, verify_claim
from tunesmith.rights.provenance import read_provenance
from tunesmith.rights.signers import MAX_CERTIFICATE_BYTES, TRUST_FILE, export_identity, trust_signer, trusted_signers

sys.path.insert(0, str(Path(__file__).parent))
from own_music import own_tune  # noqa: E402


@pytest.fixture()
def ana(tmp_path, monkeypatch):
    """Ana's installation continues her tune and exports her certificate; then the test moves to
    another installation (Ben's)."""
    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "ana"))
    write_musicxml(own_tune(), tmp_path / "mine.musicxml")
    take = ts.continue_(str(tmp_path / "mine.musicxml"), bars=4, seed=1)
    path = next(iter(take.write(tmp_path / "cont.mid").values()))
    cert = tmp_path / "ana.pem"
    fp = export_identity(cert)
    assert verify_claim(ts.read(path), read_provenance(path)["fields"])[0] == SIGNED
    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "ben"))
    return {"take": path, "cert": cert, "fingerprint": fp}


def status(path) -> str:
    return verify_claim(ts.read(path), read_provenance(path)["fields"])[0]


def test_a_collaborators_record_holds_once_her_certificate_is_trusted(ana):
    assert b"PRIVATE KEY" not in ana["cert"].read_bytes()
    assert status(ana["take"]) == OTHER_SIGNER
    added = trust_signer(ana["cert"], "Ana")
    assert added["fingerprint"] == ana["fingerprint"] and not added["already"]
    assert status(ana["take"]) == TRUSTED
    result = ts.check(ana["take"]).to_dict()
    assert result == {**ts.check(ana["take"], trust_record=True).to_dict(), "seconds": result["seconds"]}
    ts.untrust_signer(ana["fingerprint"][:8])
    assert status(ana["take"]) == OTHER_SIGNER and trusted_signers() == {}


def test_a_trusted_signers_record_over_changed_notes_does_not_hold(ana, tmp_path):
    trust_signer(ana["cert"], "Ana")
    piece = ts.read(ana["take"])
    first = min(piece.melody().notes, key=lambda n: n.onset)
    first.pitch += 2
    assert verify_claim(piece, read_provenance(ana["take"])["fields"])[0] == CHANGED


def test_an_edited_trust_entry_vouches_for_nothing(ana, tmp_path):
    """A certificate swapped in under the trusted fingerprint (the trust file is text) is not
    believed: the entry's certificate must have that fingerprint."""
    from tunesmith.rights.signers import credentials_folder

    trust_signer(ana["cert"], "Ana")
    other = tmp_path / "other.pem"
    export_identity(other)  # Ben's own
    path = credentials_folder() / TRUST_FILE
    data = json.loads(path.read_text())
    data["signers"][ana["fingerprint"]]["certificate"] = other.read_text()
    path.write_text(json.dumps(data))
    assert status(ana["take"]) == OTHER_SIGNER


def test_check_names_the_trusted_collaborator(ana, capsys):
    from tunesmith.cli import main

    assert main(["identity", "--trust", str(ana["cert"]), "--name", "Ana", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["fingerprint"] == ana["fingerprint"]
    assert main(["check", str(ana["take"]), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["musicians_record"] == TRUSTED
    assert out["not_counted"].endswith("signed by Ana's installation, which this one trusts)")
    assert main(["identity"]) == 0
    said = capsys.readouterr().out
    assert "this installation signs as" in said and f"trusts Ana ({ana['fingerprint']}, since" in said
    assert main(["identity", "--untrust", ana["fingerprint"][:8]]) == 0
    assert "no longer trusting Ana" in capsys.readouterr().out


def _rsa_certificate() -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rsa")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))  # fmt: skip
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n", r"bad\.pem: holds a private key"),
        (b"hello", r"bad\.pem: not a PEM certificate"),
        (b"x" * (MAX_CERTIFICATE_BYTES + 1), r"bad\.pem: \d+ bytes, more than a certificate's"),
        ("rsa", r"bad\.pem: its key is not ECDSA P-256"),
    ],
)
def test_a_bad_certificate_file_is_refused_in_one_line(tmp_path, monkeypatch, content, message):
    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    bad = tmp_path / "bad.pem"
    bad.write_bytes(_rsa_certificate() if content == "rsa" else content)
    with pytest.raises(ValueError, match=message):
        trust_signer(bad, "Someone")
    assert trusted_signers() == {}  # nothing written


def test_own_certificate_names_and_fingerprints_are_refused(tmp_path, monkeypatch, capsys):
    from tunesmith.cli import main

    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    mine = tmp_path / "me.pem"
    export_identity(mine)
    with pytest.raises(ValueError, match=r"me\.pem: this installation's own certificate"):
        trust_signer(mine, "Me")
    with pytest.raises(ValueError, match=r"--name: give who this is"):
        trust_signer(mine, "  ")
    with pytest.raises(ValueError, match=r"give 8 hex digits"):
        ts.untrust_signer("3f2a")
    with pytest.raises(ValueError, match=r"deadbeef: no trusted signer"):
        ts.untrust_signer("deadbeef")
    assert main(["identity", "--trust", str(mine)]) == 2
    assert "--trust FILE needs --name NAME" in capsys.readouterr().err


def test_a_damaged_trust_file_trusts_no_one_and_is_named(ana, capsys):
    from tunesmith.cli import main
    from tunesmith.rights.signers import credentials_folder

    trust_signer(ana["cert"], "Ana")
    (credentials_folder() / TRUST_FILE).write_text("{not json")
    assert status(ana["take"]) == OTHER_SIGNER
    assert main(["identity"]) == 2
    assert f"{TRUST_FILE}: not a trusted-signers file" in capsys.readouterr().err


def test_export_keeps_an_existing_file_unless_forced_and_untrust_names_a_command_that_exists(tmp_path, monkeypatch,
                                                                                              capsys):
    """`identity --export FILE` had overwritten any file without asking, where every other writer
    says "exists; pass --force to overwrite it"; `--untrust` pointed at `identity --list`, which
    does not exist (plain `tunesmith identity` lists the trusted signers)."""
    from tunesmith.cli import main

    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    precious = tmp_path / "precious.pem"
    precious.write_text("a collaborator's certificate\n")
    assert main(["identity", "--export", str(precious)]) == 2
    assert capsys.readouterr().err.strip() == f"tunesmith identity: error: {precious}: exists; pass --force to overwrite it"
    assert precious.read_text() == "a collaborator's certificate\n"
    assert main(["identity", "--export", str(precious), "--force"]) == 0
    assert "wrote this installation's certificate" in capsys.readouterr().out
    assert precious.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    assert main(["identity", "--force"]) == 2
    assert "--force goes with --export FILE" in capsys.readouterr().err
    assert main(["identity", "--untrust", "deadbeef"]) == 2
    err = capsys.readouterr().err
    assert "(`tunesmith identity` lists them)" in err and "--list" not in err
    assert main(["identity"]) == 0  # the command it names exists
