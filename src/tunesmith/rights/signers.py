"""Which installations' signatures this one trusts: its own, and collaborators' it was handed.

A co-created take says which notes were the musician's, and that record is signed by the
installation that made it (`rights.claims`). `check` leaves the musician's notes out only where
the signature holds, and until now only this installation's own counted: a take co-created on a
bandmate's laptop read as "signed elsewhere" and every note was counted. tunesmith goes online for
nothing and has no identity service to vouch for anyone, so trust is handed over in person, as SSH
keys are:

    tunesmith identity                                 # this installation's signer (fingerprint)
    tunesmith identity --export me.pem                 # its certificate, for a collaborator
    tunesmith identity --trust ana.pem --name "Ana"    # trust a collaborator's certificate
    tunesmith identity --untrust FINGERPRINT          # no longer (plain `tunesmith identity` lists them)

The export holds the signing certificate chain only, never a key. The trusted certificates live in
`TRUST_FILE` beside this installation's own identity (`$TUNESMITH_HOME/content_credentials/`).
A trusted signer makes the claim believed, not the notes clear: `check` still counts everything the
record does not name.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

from tunesmith.paths import atomic_write_bytes, home

TRUST_FILE = "trusted_signers.json"
TRUST_FORMAT = "tunesmith-trusted-signers"
MAX_CERTIFICATE_BYTES = 64 * 1024  # a chain of two P-256 certificates is about 1.5 KB
MAX_NAME_CHARS = 80
MAX_TRUSTED = 1000  # collaborators; checked before a new one is written


def credentials_folder(folder: str | os.PathLike | None = None) -> Path:
    """The folder of this installation's signing identity and its trusted signers."""
    from tunesmith.rights.content_credentials import FOLDER

    return Path(folder) if folder is not None else home() / FOLDER


def fingerprint(chain_pem: bytes) -> str:
    """The first certificate's SHA-256 fingerprint, shortened to 32 hex digits: the `signer` a
    claim names."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    cert = x509.load_pem_x509_certificates(chain_pem)[0]
    return cert.fingerprint(hashes.SHA256()).hex()[:32]


def own_identity(folder: str | os.PathLike | None = None, *, create: bool = True) -> dict[str, Any] | None:
    """{"fingerprint", "certificate" (PEM text)} of this installation's signer; made on first use
    where `create`, else None where there is none yet (or it is damaged)."""
    from tunesmith.rights.content_credentials import CHAIN_FILE, signing_identity

    path = credentials_folder(folder) / CHAIN_FILE
    try:
        chain = signing_identity(folder)[0] if create else path.read_bytes()
        return {"fingerprint": fingerprint(chain), "certificate": chain.decode("ascii")}
    except (OSError, ValueError, UnicodeDecodeError):
        if create:
            raise
        return None


def export_identity(out: str | os.PathLike, folder: str | os.PathLike | None = None) -> str:
    """Write this installation's signing certificate chain (public: no key) to `out`, atomically;
    returns its fingerprint. A collaborator trusts it with `trust_signer`."""
    identity = own_identity(folder)
    atomic_write_bytes(Path(out), identity["certificate"].encode("ascii"))
    return identity["fingerprint"]


def read_certificate(path: str | os.PathLike) -> tuple[str, str]:
    """(fingerprint, PEM text) of a collaborator's exported certificate; ValueError naming the file
    and the problem for anything else (too large, a private key, not a PEM certificate, a key that
    cannot have signed a claim)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path.name}: no such file")
    if path.stat().st_size > MAX_CERTIFICATE_BYTES:  # before reading it
        raise ValueError(f"{path.name}: {path.stat().st_size} bytes, more than a certificate's {MAX_CERTIFICATE_BYTES}")
    data = path.read_bytes()
    if b"PRIVATE KEY" in data:
        raise ValueError(f"{path.name}: holds a private key, which is never shared; ask for the file "
                         "`tunesmith identity --export` writes (the certificate only)")  # fmt: skip
    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise ValueError(f"{path.name}: not a PEM certificate (`tunesmith identity --export` writes one)") from None
    key = certs[0].public_key()
    if not (isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1)):
        raise ValueError(f"{path.name}: its key is not ECDSA P-256, so it cannot have signed a tunesmith claim (ES256)")
    text = b"".join(c.public_bytes(Encoding.PEM) for c in certs).decode("ascii")
    return fingerprint(data), text


def trusted_signers(folder: str | os.PathLike | None = None) -> dict[str, dict[str, Any]]:
    """{fingerprint: {"name", "added", "certificate"}} of the collaborators this installation
    trusts; {} where none is. A damaged trust file trusts no one (`check` counts the notes) and
    plain `tunesmith identity` says so (`load_trust_file`)."""
    try:
        return load_trust_file(folder)
    except ValueError:
        return {}


def load_trust_file(folder: str | os.PathLike | None = None) -> dict[str, dict[str, Any]]:
    """The trust file's signers; ValueError naming the file where it is damaged."""
    path = credentials_folder(folder) / TRUST_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ValueError(f"{path.name}: not a trusted-signers file ({type(e).__name__})") from None
    if not isinstance(data, dict) or data.get("format") != TRUST_FORMAT or not isinstance(data.get("signers"), dict):
        raise ValueError(f"{path.name}: not a trusted-signers file (format {TRUST_FORMAT!r} expected)")
    return {fp: s for fp, s in data["signers"].items()
            if isinstance(s, dict) and isinstance(s.get("certificate"), str) and isinstance(s.get("name"), str)}  # fmt: skip


def _write_trust_file(signers: dict[str, dict[str, Any]], folder: str | os.PathLike | None) -> None:
    path = credentials_folder(folder) / TRUST_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"format": TRUST_FORMAT, "version": 1, "signers": signers}
    atomic_write_bytes(path, (json.dumps(body, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def trust_signer(path: str | os.PathLike, name: str, folder: str | os.PathLike | None = None) -> dict[str, Any]:
    """Trust the installation whose exported certificate is `path`, under `name` (who it is, as
    `check` will say it): {"fingerprint", "name", "added", "already"}. Refuses this installation's
    own certificate, a bad name and a bad file, each in one line naming it."""
    name = " ".join(str(name).split())
    if not name or len(name) > MAX_NAME_CHARS or not name.isprintable():
        raise ValueError(f"--name: give who this is, 1 to {MAX_NAME_CHARS} printable characters")
    fp, certificate = read_certificate(path)
    own = own_identity(folder, create=False)
    if own is not None and own["fingerprint"] == fp:
        raise ValueError(f"{Path(path).name}: this installation's own certificate (its claims are trusted already)")
    signers = load_trust_file(folder)
    already = fp in signers
    if not already and len(signers) >= MAX_TRUSTED:
        raise ValueError(f"{TRUST_FILE}: {MAX_TRUSTED} signers trusted already; untrust one first")
    added = signers[fp]["added"] if already else datetime.date.today().isoformat()
    signers[fp] = {"name": name, "added": added, "certificate": certificate}
    _write_trust_file(signers, folder)
    return {"fingerprint": fp, "name": name, "added": added, "already": already}


def untrust_signer(prefix: str, folder: str | os.PathLike | None = None) -> dict[str, Any]:
    """Stop trusting the signer whose fingerprint starts with `prefix` (8 hex digits at least):
    {"fingerprint", "name"}; ValueError where none or several match."""
    prefix = prefix.strip().lower()
    if len(prefix) < 8:
        raise ValueError(f"{prefix!r}: give 8 hex digits of the fingerprint at least (`tunesmith identity` lists them)")
    signers = load_trust_file(folder)
    found = [fp for fp in signers if fp.startswith(prefix)]
    if len(found) != 1:
        raise ValueError(f"{prefix}: {'no trusted signer' if not found else f'{len(found)} trusted signers'} "
                         "with that fingerprint (`tunesmith identity` lists them)")  # fmt: skip
    gone = signers.pop(found[0])
    _write_trust_file(signers, folder)
    return {"fingerprint": found[0], "name": gone["name"]}


def public_key_of(signer: Any, folder: str | os.PathLike | None = None) -> tuple[Any, str] | None:
    """(public key, name) of trusted signer `signer` (a claim's fingerprint), None if untrusted."""
    from cryptography import x509

    entry = trusted_signers(folder).get(signer) if isinstance(signer, str) else None
    if entry is None:
        return None
    try:
        chain = entry["certificate"].encode("ascii")
        if fingerprint(chain) != signer:  # an entry edited under its fingerprint vouches for nothing
            return None
        return x509.load_pem_x509_certificates(chain)[0].public_key(), entry["name"]
    except (ValueError, UnicodeEncodeError):
        return None
