"""A co-created take's record of which notes were the musician's, signed by the installation that
made it, so that `check` can tell its own record from text anyone could have typed.

A take that tunesmith continued, inpainted or harmonized says in its files which of its notes were
the musician's (the request: the bars given, the bars kept, the melody), and `check` leaves those
notes out: the musician's own input is never counted as copying. But that record is text in the
file's metadata. A rights analyst's script passed a corpus tune as "clear" after writing a
"continue" request into the file by hand (session 27). So the record now carries a signature:

- `claim_of(request, given)` signs, with this installation's key (the ECDSA P-256 identity the
  WAV's Content Credentials are signed with, `content_credentials.signing_identity`), a digest of
  the request and of the musician's notes themselves, as (pitch, onset in 1/48 beats), so that a
  record moved onto other notes, or notes changed under it, no longer verifies;
- `verify_claim(piece, record)` says whether a file's record is signed here and still matches
  its notes.

A take made on another installation is signed with that installation's key. tunesmith has no
online identity to vouch for it, so it is believed only where this installation was handed that
key's certificate and trusts it (`rights.signers`, `tunesmith identity --trust`); otherwise it
reads as "signed elsewhere", and `check` counts every note and says why. `--given FILE` leaves
the musician's own notes out on any machine.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from tunesmith.rights.signers import fingerprint, public_key_of
from tunesmith.score import Piece

ALGORITHM = "ES256"  # ECDSA P-256 with SHA-256, as the Content Credentials
ONSET_GRID = 48  # onsets compared in 1/48 beats: what a MIDI or MusicXML file gives back exactly
FIELD = "musicians_claim"  # the record's (and the files' provenance) field

# what `verify_claim` says
SIGNED, UNSIGNED, OTHER_SIGNER, CHANGED = "signed here", "unsigned", "signed elsewhere", "changed"
TRUSTED = "signed by a trusted installation"  # a collaborator's, whose certificate this one trusts


def claim_digest(request: Mapping[str, Any], given: set[tuple[int, float]]) -> bytes:
    """SHA-256 of the request and the musician's notes, canonical JSON (sorted keys; notes as
    sorted (pitch, onset in 1/`ONSET_GRID` beats))."""
    notes = sorted({(int(p), round(float(o) * ONSET_GRID)) for p, o in given})
    text = json.dumps({"request": request, "notes": notes}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).digest()


def claim_of(request: Mapping[str, Any] | None, given: set[tuple[int, float]] | None, folder: Any = None) -> dict[str, Any] | None:
    """The signed claim that `given`, the (pitch, onset) pairs `musicians_notes` reads from a
    co-created take's `request`, are the musician's (None where there are none): {"alg",
    "signer", "signature"} over `claim_digest`. `folder`: the signing identity's folder (default:
    this installation's, made on first use)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from tunesmith.rights.content_credentials import signing_identity

    if not given:
        return None
    chain, key_pem = signing_identity(folder)
    key = serialization.load_pem_private_key(key_pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):  # a user's own signer.key of another kind
        return None
    signature = key.sign(claim_digest(request, given), ec.ECDSA(hashes.SHA256()))
    return {"alg": ALGORITHM, "signer": fingerprint(chain), "signature": base64.b64encode(signature).decode("ascii")}


def verify_claim(piece: Piece, record: Mapping[str, Any] | None, folder: Any = None) -> tuple[str, set | None]:
    """(SIGNED / TRUSTED / UNSIGNED / OTHER_SIGNER / CHANGED, the musician's notes by the record or
    None) for a file's provenance fields: SIGNED only where this installation signed that very
    request over these very notes, TRUSTED where an installation it trusts did
    (`rights.signers`). Never makes an identity (a machine that signed nothing trusts only those it
    was handed)."""
    from tunesmith.rights.check import musicians_notes

    given = musicians_notes(piece, (record or {}).get("request"))[0]
    return claim_status(record, given, folder), given


def claim_status(record: Mapping[str, Any] | None, given: set[tuple[int, float]] | None, folder: Any = None) -> str:
    """`verify_claim`'s status for a record whose musician's notes, read from the file's own
    notes by its request, are `given`."""
    return _claim_signer(record, given, folder)[0]


def _claim_signer(record: Mapping[str, Any] | None, given: set[tuple[int, float]] | None, folder: Any = None) -> tuple[str, str | None]:
    """(`claim_status`, the trusted signer's name where it is TRUSTED, else None)."""
    digest = claim_digest((record or {}).get("request"), given) if given else None
    return _signature_status((record or {}).get(FIELD), digest, folder)


# ------------------------------------------------------------------ a take's notes, signed
# A take's MIDI or MusicXML file is text anyone can edit: a rights officer's edited takes (notes
# moved, a bar rewritten) still read as tunesmith's takes, model and seed and all (session 46).
# Each file therefore carries a signature, with the installation's key, over the notes and chord
# symbols it holds as tunesmith reads them back, with the model, seed and request it names
# (`notes_digest`): `tunesmith provenance` says whether the file's music is still as written.
NOTES_FIELD = "notes_signature"


# What a signature covers besides the notes and chords, by the record's "covers" (absent: 1, the
# files written before session 52). A clearance officer flipped a signed MIDI's "ai_generated" to
# false and edited its licenses: `provenance` read "The musician's own music: tunesmith generated
# none of these notes" over "signed by this installation". 2 covers the AI disclosure, the
# training data's licenses and sources, a tuned model's base and the musician's part too.
SIGNED_FIELDS = {
    1: ("model_sha256", "seed", "request"),
    2: ("model_sha256", "seed", "request", "model", "tuned_from", "licenses", "sources", "ai_generated",
        "digital_source_type", "musicians_part", "input_made_how"),
}
COVERS = 2


def notes_digest(piece: Piece, fields: Mapping[str, Any], covers: int = COVERS) -> bytes | None:
    """SHA-256, canonical JSON, of every pitched note of `piece` as (pitch, onset, length in
    1/`ONSET_GRID` beats), its chord symbols as (onset, figure), and the record's fields that
    `SIGNED_FIELDS[covers]` names (as the file's JSON carries them); None for an unknown `covers`."""
    if covers not in SIGNED_FIELDS:
        return None
    notes = sorted((int(n.pitch), round(float(n.onset) * ONSET_GRID), round(float(n.duration) * ONSET_GRID))
                   for t in piece.tracks if not t.is_drum for n in t.notes)  # fmt: skip
    chords = sorted((round(float(c.onset) * ONSET_GRID), str(c.figure)) for c in piece.chords)
    # (from 2, an empty list or text, which the files write as no field at all, is the same as none)
    empty = ([], {}, "") if covers >= 2 else ()
    named = {k: json.loads(json.dumps(None if fields.get(k) in empty else fields.get(k), default=str))
             for k in SIGNED_FIELDS[covers]}  # fmt: skip
    text = json.dumps({"notes": notes, "chords": chords, **named}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).digest()


def sign_notes(piece: Piece, fields: Mapping[str, Any], folder: Any = None) -> dict[str, Any] | None:
    """{"alg", "signer", "signature", "covers"} over `notes_digest` (`COVERS`) with this
    installation's key (made on first use), or None where the key is not one this signs with."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from tunesmith.rights.content_credentials import signing_identity

    chain, key_pem = signing_identity(folder)
    key = serialization.load_pem_private_key(key_pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        return None
    signature = key.sign(notes_digest(piece, fields, COVERS), ec.ECDSA(hashes.SHA256()))
    return {"alg": ALGORITHM, "signer": fingerprint(chain), "signature": base64.b64encode(signature).decode("ascii"),
            "covers": COVERS}  # fmt: skip


def notes_status(piece: Piece, fields: Mapping[str, Any], folder: Any = None) -> tuple[str, str | None]:
    """(SIGNED / TRUSTED / UNSIGNED / OTHER_SIGNER / CHANGED, the trusted signer's name or None) of
    a file's `NOTES_FIELD` against the notes and record it holds now (and the fields its "covers"
    names: an unknown one, or one that is not a whole number, is CHANGED)."""
    covers = _covers(fields)
    digest = notes_digest(piece, fields, covers) if isinstance(covers, int) and not isinstance(covers, bool) else None
    return _signature_status(fields.get(NOTES_FIELD), digest, folder)


def _covers(fields: Mapping[str, Any]) -> Any:
    """The "covers" of a file's notes signature record: 1 where it names none (written before session 52)."""
    record = fields.get(NOTES_FIELD)
    return record.get("covers", 1) if isinstance(record, Mapping) else 1


def signed_what(fields: Mapping[str, Any]) -> str:
    """What a file's notes signature covers, said: the notes, chords, model, seed and request, and
    from session 52 the AI disclosure, licenses and musician's part too."""
    if _covers(fields) == 1:
        return "the notes, chords, model, seed and request"
    return "the notes, chords, model, seed, request, AI disclosure, training licenses and the musician's part"


def _signature_status(claim: Any, digest: bytes | None, folder: Any = None) -> tuple[str, str | None]:
    """(status, the trusted signer's name where TRUSTED) of signature record `claim` over `digest`
    (None: nothing it could be over, CHANGED where it is signed)."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    from tunesmith.rights.content_credentials import CHAIN_FILE
    from tunesmith.rights.signers import credentials_folder

    if not isinstance(claim, Mapping) or claim.get("alg") != ALGORITHM or not isinstance(claim.get("signature"), str):
        return UNSIGNED, None
    public, status, name = None, OTHER_SIGNER, None
    try:  # this installation's certificate; a missing or damaged one vouches for nothing
        chain = (credentials_folder(folder) / CHAIN_FILE).read_bytes()
        if claim.get("signer") == fingerprint(chain):
            public, status = x509.load_pem_x509_certificates(chain)[0].public_key(), SIGNED
    except (OSError, ValueError):
        pass
    if public is None:
        trusted = public_key_of(claim.get("signer"), folder)
        if trusted is None:
            return OTHER_SIGNER, None
        (public, name), status = trusted, TRUSTED
    if digest is None or not isinstance(public, ec.EllipticCurvePublicKey):
        return CHANGED, None
    try:
        public.verify(base64.b64decode(claim["signature"], validate=True), digest, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return CHANGED, None
    return status, name


_SAID = {
    UNSIGNED: "not signed",
    OTHER_SIGNER: "signed by an installation of tunesmith this one does not trust (`tunesmith identity --trust`)",
    CHANGED: "signed here, but its notes or request have changed since",
}


def trusted_musicians_notes(
    piece: Piece, fields: Mapping[str, Any] | None, *, trust_record: bool = False
) -> tuple[set | None, str | None, str | None]:
    """For `check` of a co-created file: (the musician's notes to leave out, or None; what to say
    of them; the record's `verify_claim` status, None where it names no notes). Left out only
    where this installation, or one it trusts, signed the record over these notes, or with
    `trust_record`."""
    from tunesmith.rights.check import musicians_notes

    given, part = musicians_notes(piece, (fields or {}).get("request"))
    if not part:
        return None, None, None
    status, name = _claim_signer(fields, given)
    if status == SIGNED:
        return given, f"{part} (by the file's own record, signed by this installation)", status
    if status == TRUSTED:
        return given, f"{part} (by the file's own record, signed by {name}'s installation, which this one trusts)", status
    if trust_record:
        return given, f"{part} (by the file's own record, {_SAID[status]}: taken on trust, --trust-record)", status
    return None, (f"the file says {part} are the musician's, but that record is {_SAID[status]}: every note is "
                  "counted (--given FILE leaves your own music out; --trust-record takes the file's word)"), status  # fmt: skip
