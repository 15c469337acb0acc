"""C2PA Content Credentials inside every WAV tunesmith renders, signed offline.

A C2PA manifest (https://c2pa.org, the standard behind "Content Credentials") is embedded in the
WAV by the maintained C2PA SDK's Python bindings (`c2pa-python`). It holds:

- `c2pa.actions`: one `c2pa.created` action whose `digitalSourceType` is the IPTC term
  `trainedAlgorithmicMedia` (the same disclosure the files' own metadata carries), with
  tunesmith as the software agent;
- `org.tunesmith.provenance`: how the take was made (model id and hash, request, seed, the
  training data's licenses and sources, where its chords came from, what the user may do with it);
- a hash of the audio, so that any later change to the file is detectable (`c2pa.hash.data`).

Signing needs a certificate. tunesmith ships no signing identity and never goes online, so each
installation makes its own on first use: a small certificate authority and a signing certificate
(ECDSA P-256, ES256) under `$TUNESMITH_HOME/content_credentials/`, the private keys readable by
the user only. They carry no personal data (no user or host name). A C2PA reader therefore
reports the manifest's signature and the audio hash as valid and the signer as *untrusted*
(`signingCredential.untrusted`): the credentials say what the file is and detect tampering,
they do not vouch for who made it. A user with a certificate from a trust list can put its
chain and key in that folder (`signer.pem`, `signer.key`) and it is used instead.

Timestamps: none (a timestamp authority is a URL; tunesmith makes no network requests). MIDI and
MusicXML are not formats C2PA embeds into; they carry the same provenance in their own
metadata (`tunesmith.outputs.bundle`).
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

from tunesmith.paths import atomic_write_bytes, home

ASSERTION = "org.tunesmith.provenance"
FOLDER = "content_credentials"
CHAIN_FILE, KEY_FILE = "signer.pem", "signer.key"
_ORGANIZATION = "tunesmith (unverified local signing identity)"
_VALID_DAYS = 3650


def available() -> bool:
    """Whether the C2PA bindings can be imported on this machine (their wheels are native code)."""
    try:
        import c2pa  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def signing_identity(folder: str | os.PathLike | None = None) -> tuple[bytes, bytes]:
    """(certificate chain PEM, private key PEM) of this installation, made on first use.

    The chain is a signing certificate issued by a local CA: C2PA validators refuse a self-signed
    signing certificate, and an issued one is what a real identity would look like too."""
    folder = Path(folder) if folder is not None else home() / FOLDER
    chain_path, key_path = folder / CHAIN_FILE, folder / KEY_FILE
    if chain_path.is_file() and key_path.is_file():
        return chain_path.read_bytes(), key_path.read_bytes()
    folder.mkdir(parents=True, exist_ok=True)
    # Made under a lock: two processes on a new installation (two takes written at once, the test
    # suite's workers) could each write a key and a chain, and leave one's key beside the other's
    # chain. The one that waited reads what the first made.
    with _creation_lock(folder):
        if chain_path.is_file() and key_path.is_file():
            return chain_path.read_bytes(), key_path.read_bytes()
        chain, key = _new_identity()
        # The key first and private: a chain without its key is never left behind as the identity.
        atomic_write_bytes(key_path, key)
        os.chmod(key_path, 0o600)
        atomic_write_bytes(chain_path, chain)
    return chain, key


@contextlib.contextmanager
def _creation_lock(folder: Path):
    """An exclusive lock on `folder`/.lock while the identity is made (none where the platform has
    no fcntl: there two first uses at once remain possible)."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def check_signing_identity(folder: str | os.PathLike | None = None) -> None:
    """ValueError naming the file where this installation's signing identity is there but cannot
    be read (nothing is made where there is none): asked before a take is made, since a take is
    signed only when it is written. A damaged signer.key had let `compose` make its takes, then
    fail with "_C2paSignature: Signature: invalid signing credentials (...)", and `continue` with
    "Unable to load PEM file. See https://cryptography.io/...", neither naming the file."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    base = Path(folder) if folder is not None else home() / FOLDER
    shown = base if folder is not None else Path("$TUNESMITH_HOME") / FOLDER
    chain_path, key_path = base / CHAIN_FILE, base / KEY_FILE
    if not (chain_path.is_file() and key_path.is_file()):
        return
    for name, path, load, what in (
        (KEY_FILE, key_path, lambda data: serialization.load_pem_private_key(data, password=None), "a PEM private key"),
        (CHAIN_FILE, chain_path, x509.load_pem_x509_certificates, "PEM certificates"),
    ):
        try:
            load(path.read_bytes())
        except (ValueError, TypeError, OSError):
            raise ValueError(f"{shown / name}: this installation's signing identity is damaged (not {what}); "
                             f"restore it, or remove {shown} to make a new one") from None


def _new_identity() -> tuple[bytes, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORGANIZATION)])  # fmt: skip

    def certificate(subject, issuer, public_key, signing_key, *, ca: bool):
        usage = dict.fromkeys(("content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
                               "encipher_only", "decipher_only"), False)  # fmt: skip
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=_VALID_DAYS))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=not ca, key_cert_sign=ca, crl_sign=ca, **usage), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        )
        if not ca:
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()), critical=False)
        return builder.sign(signing_key, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = name("tunesmith local certificate authority")
    ca = certificate(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = certificate(name("tunesmith local signer"), ca_name, key.public_key(), ca_key, ca=False)
    pem = serialization.Encoding.PEM
    chain = leaf.public_bytes(pem) + ca.public_bytes(pem)
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return chain, key_pem


UNKNOWN_SOURCE_TYPE = "http://c2pa.org/digitalsourcetype/empty"


def manifest_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """The C2PA manifest definition for a take's STEM.json record (no machine paths in it)."""
    from tunesmith.outputs.bundle import chords_source, copy_check_record, take_number
    from tunesmith.rights.provenance import usage_note

    model = record.get("model") or {}
    piece = record.get("piece") or {}
    version = str(record.get("tunesmith_version") or "")
    rights = record.get("rights") or {}
    from tunesmith.rights.provenance import MUSICIANS_OWN, disclosure, made_how

    told = disclosure(record)
    how = made_how(record)
    provenance = {
        "ai_generated": told["ai_generated"],
        "musicians_part": record.get("musicians_part"),
        "model": {"id": model.get("id"), "sha256": model.get("sha256")},
        "seed": record.get("seed"),
        "take": take_number(record),
        "takes": record.get("batch") or record.get("takes"),
        # as JSON text: the C2PA SDK stores a list of small integers (a pitch range) as CBOR bytes
        "request": json.dumps(record.get("request"), separators=(",", ":"), default=str),
        "training_licenses": record.get("training_licenses"),
        "training_sources": record.get("training_sources"),
        "chords_from": chords_source(record),
        "copy_check": {"verdict": rights.get("verdict"), "score": rights.get("score")} if rights else None,
        # which works (title, source, license, score, bars), as JSON text like the request
        "copy_check_nearest": json.dumps((copy_check_record(record) or {}).get("nearest"), separators=(",", ":"),
                                         default=str) if rights.get("checked") else None,
        "usage": rights.get("usage") or (MUSICIANS_OWN + ": its rights are the musician's." if how == "musician" else
                                         usage_note(record.get("training_licenses"), rights.get("verdict"),
                                                    model_id=model.get("id"), how=how)),
    }  # fmt: skip
    description = {
        "generated": f"composed by tunesmith model {model.get('id') or 'unknown'}, seed {record.get('seed')}",
        "co-created": f"co-created with tunesmith model {model.get('id') or 'unknown'}, seed {record.get('seed')}"
                      + (f"; the musician's: {record['musicians_part']}" if record.get("musicians_part") else ""),
        "musician": "the musician's own music, written out by tunesmith; no notes generated",
    }[how]  # fmt: skip
    action = {"action": "c2pa.created", "softwareAgent": {"name": "tunesmith", "version": version},
              "parameters": {"description": description}}  # fmt: skip
    # C2PA's c2pa.created must name a source type; for the musician's own file tunesmith does not
    # know how it was made, and says so with C2PA's own "empty" type rather than guess one
    action["digitalSourceType"] = told["digital_source_type"] or UNKNOWN_SOURCE_TYPE
    return {
        "claim_generator_info": [{"name": "tunesmith", "version": version}],
        "title": str(piece.get("title") or "tunesmith take"),
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": [action]}},
            {"label": ASSERTION, "data": json.loads(json.dumps(provenance, default=str))},
        ],
    }  # fmt: skip


def sign_wav(wav: bytes, manifest: Mapping[str, Any], *, folder: str | os.PathLike | None = None) -> bytes:
    """`wav` with `manifest` embedded as signed C2PA Content Credentials."""
    import c2pa

    chain, key = signing_identity(folder)
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain, key, None))
    builder = c2pa.Builder(json.dumps(manifest))
    out = io.BytesIO()
    try:
        builder.sign(signer, "audio/wav", io.BytesIO(wav), out)
    finally:
        signer.close()
    return out.getvalue()


def read_content_credentials(data: bytes | BinaryIO, mime: str = "audio/wav") -> dict[str, Any] | None:
    """The active manifest of a file's bytes (or an open binary file) with its validation, or None when it has none:
    {"manifest": {...}, "provenance": {...}, "validation_state": ..., "problems": [codes]}.
    "signingCredential.untrusted" alone among the problems means: intact, signed by a local identity."""
    import c2pa

    try:
        reader = c2pa.Reader(mime, io.BytesIO(data) if isinstance(data, bytes | bytearray) else data)
    except c2pa.C2paError as e:
        if "ManifestNotFound" in type(e).__name__ or "no JUMBF" in str(e) or "not found" in str(e).lower():
            return None
        # the SDK's messages read "Other: asset could not be parsed: ..."; its class names are private
        raise ValueError(f"C2PA: {str(e).split(': ', 1)[-1]}") from None
    store = json.loads(reader.json())
    active = store["manifests"][store["active_manifest"]]
    provenance = next((a["data"] for a in active.get("assertions", []) if a.get("label") == ASSERTION), None)
    if isinstance(provenance, dict) and isinstance(provenance.get("request"), str):
        with contextlib.suppress(json.JSONDecodeError):
            provenance["request"] = json.loads(provenance["request"])
    return {
        "manifest": active,
        "provenance": provenance,
        "validation_state": store.get("validation_state"),
        "problems": [s["code"] for s in store.get("validation_status", [])],
    }


__all__ = ["ASSERTION", "available", "manifest_of", "read_content_credentials", "sign_wav", "signing_identity"]
