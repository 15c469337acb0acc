"""Provenance written into the media files themselves, and what a take's user may do with it.

- AI disclosure: every file says "AI-generated" and names the IPTC digital source type
  `trainedAlgorithmicMedia` (http://cv.iptc.org/newscodes/digitalsourcetype/, the vocabulary
  C2PA and IPTC photo metadata use for media a trained model produced).
- WAV: a RIFF LIST/INFO chunk (ISFT software, ICMT comment with the disclosure, model, seed,
  where the chords came from and the request as compact JSON,
  IART "tunesmith (AI)", ICRD creation date, INAM title), which `read_wav_info` (or any RIFF
  reader: ffprobe, exiftool, Python's `chunk`-style parsing) reads back.
- MIDI and MusicXML: `tunesmith.outputs.bundle` embeds the same fields (text meta event JSON,
  <miscellaneous-field>s) from `disclosure()`.

- WAV also: C2PA Content Credentials (`tunesmith.rights.content_credentials`), a signed manifest
  with the same disclosure and provenance and a hash of the audio, signed offline by a local
  identity made on first use. `wav_with_provenance` writes both.

Weights and takes: the code is MIT; the shipped weights are not simply MIT, because they derive
from training data under GPL-3.0 (Nottingham) and CC-BY-4.0 (the Irish MIDI set) besides public
domain: `WEIGHTS_LICENSE` says so, and `usage_note` tells the user of a take what that means.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

AI_GENERATED = "AI-generated"
DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
DIGITAL_SOURCE_TYPE_NAME = "trainedAlgorithmicMedia"
WEIGHTS_LICENSE = (
    "The default model's weights are distributed under GPL-3.0 with CC-BY-4.0 attribution (they derive from "
    "GPL-3.0 Nottingham tunes and CC-BY-4.0 Irish tunes, and public-domain chorales and songs); the tunesmith "
    "code is MIT."
)


def disclosure() -> dict[str, Any]:
    """The machine-readable AI disclosure every output carries."""
    return {"ai_generated": True, "label": AI_GENERATED, "digital_source_type": DIGITAL_SOURCE_TYPE}


def usage_note(training_licenses: Iterable[str] | None, verdict: str | None) -> str:
    """What the user of a take may do with it, in one paragraph."""
    lic = sorted(set(training_licenses or ()))
    note = (
        f"{AI_GENERATED} ({DIGITAL_SOURCE_TYPE_NAME}). tunesmith claims no copyright in its takes: you may use, "
        "change, publish and sell this music. Say that it is AI-generated where that matters (streaming "
        "services, competitions, the EU AI Act's disclosure duty)."
    )
    if lic:
        note += f" The model learned from data licensed {', '.join(lic)}; the weights' own license: {WEIGHTS_LICENSE}"
    if verdict == "copy":
        note += " This take was found to copy a training work (see rights.nearest): do not publish it without "
        note += "checking that work's rights."
    elif verdict == "close":
        note += " This take resembles a training work closely (see rights.nearest): check before publishing."
    return note


# ------------------------------------------------------------------------------ WAV INFO
_INFO_ORDER = ("INAM", "IART", "ISFT", "ICMT", "ICRD", "ICOP", "IGNR")


def wav_info_fields(record: Mapping[str, Any]) -> dict[str, str]:
    """INFO fields for a take's STEM.json record."""
    model = record.get("model") or {}
    piece = record.get("piece") or {}
    comment = (f"{AI_GENERATED}; IPTC digital source type {DIGITAL_SOURCE_TYPE}; model {model.get('id') or 'unknown'}"
               f"; seed {record.get('seed')}")  # fmt: skip
    from tunesmith.outputs.bundle import chords_source

    if chords_source(record):
        comment += f"; chords from {chords_source(record)}"
    if record.get("request"):
        comment += "; request " + json.dumps(record["request"], separators=(",", ":"), ensure_ascii=True, default=str)
    fields = {
        "INAM": str(piece.get("title") or "tunesmith take"),
        "IART": "tunesmith (AI)",
        "ISFT": f"tunesmith {record.get('tunesmith_version')}",
        "ICMT": comment,
        "ICRD": str(record.get("created_at") or ""),
        "IGNR": str(piece.get("style") or ""),
    }
    return {k: v for k, v in fields.items() if v}


def wav_with_info(wav: bytes, fields: Mapping[str, str]) -> bytes:
    """`wav` with a LIST/INFO chunk of `fields` appended (an existing INFO chunk is replaced)."""
    if len(wav) < 12 or wav[:4] != b"RIFF" or wav[8:12] != b"WAVE":
        raise ValueError("not a RIFF/WAVE file")
    chunks = []
    pos = 12
    while pos + 8 <= len(wav):
        cid, size = wav[pos : pos + 4], struct.unpack("<I", wav[pos + 4 : pos + 8])[0]
        end = pos + 8 + size + (size & 1)
        if not (cid == b"LIST" and wav[pos + 8 : pos + 12] == b"INFO"):
            chunks.append(wav[pos:end])
        pos = end
    body = b"INFO"
    for key in sorted(fields, key=lambda k: _INFO_ORDER.index(k) if k in _INFO_ORDER else 99):
        data = str(fields[key]).encode("ascii", "replace") + b"\0"
        body += (
            key.encode("ascii")[:4].ljust(4) + struct.pack("<I", len(data)) + data + (b"\0" if len(data) & 1 else b"")
        )
    chunks.append(b"LIST" + struct.pack("<I", len(body)) + body)
    payload = b"WAVE" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(payload)) + payload


def wav_with_provenance(wav: bytes, record: Mapping[str, Any], *, comment: str = "", software: str = "") -> bytes:
    """`wav` with the take's provenance: the LIST/INFO chunk (`comment` appended to ICMT, `software`
    in ISFT if given) and, where the C2PA bindings load, signed Content Credentials over the whole
    file, INFO chunk included (so a changed comment shows as tampering too)."""
    from tunesmith.rights import content_credentials

    fields = wav_info_fields(record)
    if comment:
        fields["ICMT"] = f"{fields['ICMT']}; {comment}"
    if software:
        fields["ISFT"] = software
    tagged = wav_with_info(wav, fields)
    if not content_credentials.available():
        return tagged
    return content_credentials.sign_wav(tagged, content_credentials.manifest_of(record))


def read_wav_info(wav: bytes) -> dict[str, str]:
    """The LIST/INFO fields of a WAV file's bytes ({} when it has none)."""
    out: dict[str, str] = {}
    pos = 12
    while pos + 8 <= len(wav):
        cid, size = wav[pos : pos + 4], struct.unpack("<I", wav[pos + 4 : pos + 8])[0]
        if cid == b"LIST" and wav[pos + 8 : pos + 12] == b"INFO":
            p, end = pos + 12, pos + 8 + size
            while p + 8 <= end:
                key, n = wav[p : p + 4].decode("ascii", "replace"), struct.unpack("<I", wav[p + 4 : p + 8])[0]
                out[key] = wav[p + 8 : p + 8 + n].rstrip(b"\0").decode("ascii", "replace")
                p += 8 + n + (n & 1)
        pos += 8 + size + (size & 1)
    return out


# ------------------------------------------------------------------------------ reading it back
PROVENANCE_KINDS = {".mid": "midi", ".midi": "midi", ".musicxml": "musicxml", ".xml": "musicxml", ".wav": "wav"}
_MAX_META_CHARS = 1_000_000  # one provenance text event or field


def read_provenance(path: str | os.PathLike) -> dict[str, Any]:
    """What a file says about how it was made, from its own metadata (`tunesmith provenance FILE`).

    {"file": name, "kind": "midi"|"musicxml"|"wav", "made_by_tunesmith": bool, "ai_generated": bool|None,
     "fields": {...}, "content_credentials": {...}|None}. `fields` holds the embedded provenance
    (model, model_sha256, seed, request, licenses, ...). `content_credentials` (WAV) holds the C2PA
    manifest's validation state, the problems found ("signingCredential.untrusted" alone: intact,
    locally signed), the signer and its provenance assertion. Size limits are checked first."""
    from tunesmith.limits import LimitError, check_file_size

    path = Path(path)
    kind = PROVENANCE_KINDS.get(path.suffix.lower())
    if kind is None:
        raise ValueError(f"{path}: not a file tunesmith writes (one of {', '.join(sorted(PROVENANCE_KINDS))})")
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    check_file_size(path, path.stat().st_size, "MAX_WAV_BYTES" if kind == "wav" else "MAX_FILE_BYTES")
    out: dict[str, Any] = {"file": path.name, "kind": kind, "content_credentials": None}
    try:
        if kind == "midi":
            fields = _midi_fields(path)
        elif kind == "musicxml":
            fields = _musicxml_fields(path)
        else:
            fields, out["content_credentials"] = _wav_fields(path)
    except (LimitError, FileNotFoundError):
        raise
    except Exception as e:  # noqa: BLE001 - any parser's failure on a damaged file is one line
        raise ValueError(f"{path}: cannot read its metadata ({type(e).__name__}: {str(e)[:200]})") from None
    out["fields"] = fields
    out["made_by_tunesmith"] = bool(fields) or out["content_credentials"] is not None
    ai = fields.get("ai_generated")
    out["ai_generated"] = ai if isinstance(ai, bool) else ({"True": True, "False": False}.get(ai) if ai else None)
    return out


def _midi_fields(path: Path) -> dict[str, Any]:
    import mido

    from tunesmith.outputs.bundle import PROVENANCE_TEXT_PREFIX

    for track in mido.MidiFile(path).tracks:
        for msg in track:
            if msg.type == "text" and msg.text.startswith(PROVENANCE_TEXT_PREFIX) and len(msg.text) < _MAX_META_CHARS:
                value = json.loads(msg.text[len(PROVENANCE_TEXT_PREFIX) :])
                return value if isinstance(value, dict) else {}
    return {}


def _musicxml_fields(path: Path) -> dict[str, Any]:
    from defusedxml.ElementTree import parse

    ident = parse(path).getroot().find("identification")
    fields: dict[str, Any] = {}
    for field in [] if ident is None else ident.iter("miscellaneous-field"):
        name = field.get("name") or ""
        if not name.startswith("tunesmith-") or len(field.text or "") > _MAX_META_CHARS:
            continue
        key, text = name[len("tunesmith-") :].replace("-", "_"), (field.text or "").strip()
        fields[key] = _json_or_text(text) if key == "request" else text
    return fields


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _wav_fields(path: Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
    from tunesmith.rights import content_credentials

    info: dict[str, str] = {}
    with open(path, "rb") as f:  # the chunk headers only: the audio is skipped, never read
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise ValueError("not a RIFF/WAVE file")
        while True:
            header = f.read(8)
            if len(header) < 8:
                break
            cid, size = header[:4], struct.unpack("<I", header[4:])[0]
            if cid == b"LIST" and size < _MAX_META_CHARS:
                body = f.read(size + (size & 1))
                info |= read_wav_info(b"RIFF\0\0\0\0WAVE" + header + body)
            else:
                f.seek(size + (size & 1), os.SEEK_CUR)
    fields: dict[str, Any] = {}
    if info:
        comment = info.get("ICMT", "")
        fields = {"software": info.get("ISFT"), "title": info.get("INAM"), "created_at": info.get("ICRD"),
                  "comment": comment, "ai_generated": AI_GENERATED in comment or None}  # fmt: skip
        if "; request " in comment:
            fields["request"] = _json_or_text(comment.split("; request ", 1)[1].split("; studio take ", 1)[0])
        fields = {k: v for k, v in fields.items() if v is not None}
    credentials = None
    if content_credentials.available():
        with open(path, "rb") as f:
            found = content_credentials.read_content_credentials(f)
        if found is not None:
            manifest = found["manifest"]
            credentials = {"standard": "C2PA", "validation_state": found["validation_state"], "problems": found["problems"],
                           "intact": not [p for p in found["problems"] if p != "signingCredential.untrusted"],
                           "signer": (manifest.get("signature_info") or {}).get("common_name"),
                           "provenance": found["provenance"]}  # fmt: skip
            if found["provenance"]:
                fields.setdefault("ai_generated", found["provenance"].get("ai_generated"))
    return fields, credentials
