"""Four processes make this installation's signing identity at once on a new folder, eight times:
does the key on disk still match the certificate beside it?

    python docs/notes/2026-12-07-session-62/signer_race.py
"""

from __future__ import annotations

import multiprocessing as mp
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tunesmith.rights.content_credentials import signing_identity


def make(folder: str) -> None:
    signing_identity(folder)


def public(key) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def main(rounds: int = 8, processes: int = 4) -> None:
    bad = 0
    for _ in range(rounds):
        folder = Path(tempfile.mkdtemp()) / "cc"
        workers = [mp.Process(target=make, args=(str(folder),)) for _ in range(processes)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        key = serialization.load_pem_private_key((folder / "signer.key").read_bytes(), None)
        cert = x509.load_pem_x509_certificates((folder / "signer.pem").read_bytes())[0]
        bad += public(cert.public_key()) != public(key.public_key())
    print(f"mismatched key and certificate: {bad} of {rounds}")


if __name__ == "__main__":
    main()
