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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tunesmith.score import Piece

AI_GENERATED = "AI-generated"
DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
DIGITAL_SOURCE_TYPE_NAME = "trainedAlgorithmicMedia"
WEIGHTS_LICENSE = (
    "The default model's weights are distributed under GPL-3.0 with CC-BY-4.0 attribution (they derive from "
    "GPL-3.0 Nottingham tunes and CC-BY-4.0 Irish tunes, and public-domain chorales and songs); the tunesmith "
    "code is MIT. That license covers copying, changing and passing on the weights; tunesmith does not read it as "
    "reaching the music they make, so a take carries no GPL or CC-BY terms of its own."
)


# A take co-created from a musician's music: part theirs, part the model's (IPTC: "a composite
# of elements, at least one of which is trainedAlgorithmicMedia").
COMPOSITE_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
COMPOSITE_SOURCE_TYPE_NAME = "compositeWithTrainedAlgorithmicMedia"
CO_CREATED = "AI-generated in part, co-created with a musician"
# A musician's own file written out again (the studio's export of an upload): no note generated.
# (Worded without the phrase "AI-generated", which readers take as the disclosure.)
MUSICIANS_OWN = "The musician's own music: tunesmith generated none of these notes"
CO_CREATE_COMMANDS = ("continue", "inpaint", "harmonize")


def made_how(record: Mapping[str, Any] | None) -> str:
    """"generated" (a model composed it), "co-created" (a model wrote into a musician's music:
    continue, inpaint, harmonize) or "musician" (the musician's own file written out again, no
    model and no seed: an upload the studio exports unchanged, whose request says "upload").
    Anything not recorded otherwise counts as generated: a file is never said to be free of AI
    notes unless it is known to be."""
    record = record or {}
    request = record.get("request")
    command = request.get("command") if isinstance(request, Mapping) else None
    model = record.get("model")
    no_model = not (model.get("id") or model.get("sha256")) if isinstance(model, Mapping) else not model
    if command == "upload" and no_model and record.get("seed") is None:
        return "musician"
    if command in CO_CREATE_COMMANDS:
        # co-creating a take tunesmith composed is no musician's work: a studio melody composed,
        # then harmonized, had been credited to "the musician" in every file
        return "generated" if record.get("input_made_how") == "generated" else "co-created"
    return "generated"


def disclosure(record: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The machine-readable AI disclosure an output carries, by how it was made (`made_how`):
    a take says AI-generated (`trainedAlgorithmicMedia`); a co-created one says so in part
    (`compositeWithTrainedAlgorithmicMedia`); a musician's own music says it is theirs and
    claims no digital source type. Without a record: a take's."""
    how = made_how(record) if record is not None else "generated"
    if how == "musician":
        return {"ai_generated": False, "label": MUSICIANS_OWN, "digital_source_type": None}
    if how == "co-created":
        return {"ai_generated": True, "label": CO_CREATED, "digital_source_type": COMPOSITE_SOURCE_TYPE}
    return {"ai_generated": True, "label": AI_GENERATED, "digital_source_type": DIGITAL_SOURCE_TYPE}


# where a take names the training works it resembles (its JSON, and every file it is written as)
NEAREST_WHERE = "see its nearest training works: rights.nearest in the take's JSON, copy_check in its files"


# What every usage text is: a rights analyst asked whether "free to use ... there" was advice
LEGAL_READING = "tunesmith's reading of the licenses and public-domain terms, not legal advice"


def usage_note(training_licenses: Iterable[str] | None, verdict: str | None, *, model_id: str | None = "default",
               how: str = "generated", nearest_license: str | None = None) -> str:  # fmt: skip
    """What the user of a take may do with it, in one paragraph: it depends on the licenses of the
    music the model learned from (a model trained on research-only or non-commercial music makes
    takes for study, not for sale), for the weights' license on which model it is, and on how the
    take was made (`made_how`): in a co-created take the musician's own notes stay theirs, and
    only the notes the model wrote are tunesmith's to give."""
    from tunesmith.licenses import may_ship

    lic = sorted(set(training_licenses or ()))
    barred = [name for name in lic if not may_ship(name)]
    if how == "co-created":
        said = f"{CO_CREATED} ({COMPOSITE_SOURCE_TYPE_NAME}): the musician's own notes remain the musician's."
        if barred:
            said += (f" The model that wrote the other notes learned from music licensed {', '.join(barred)}, which "
                     "may not be shipped or sold in derived works: use its notes for study and research only unless "
                     "you hold those rights.")  # fmt: skip
        else:
            said += (" tunesmith claims no copyright in the notes its model wrote: you may use, change, publish and "
                     "sell them with your music.")  # fmt: skip
        note = said + " Say that it is partly AI-generated where that matters."
    elif barred:
        note = (
            f"{AI_GENERATED} ({DIGITAL_SOURCE_TYPE_NAME}). The model that made this take learned from music licensed "
            f"{', '.join(barred)}, which may not be shipped or sold in derived works: use the take for study and "
            "research only unless you hold those rights. Say that it is AI-generated where that matters."
        )
    else:
        note = (
            f"{AI_GENERATED} ({DIGITAL_SOURCE_TYPE_NAME}). tunesmith claims no copyright in its takes: you may use, "
            "change, publish and sell this music. Say that it is AI-generated where that matters (streaming "
            "services, competitions, the EU AI Act's disclosure duty)."
        )
    if lic:
        note += f" The model learned from data licensed {', '.join(lic)}; "
        note += (f"the weights' own license: {WEIGHTS_LICENSE}" if model_id == "default"
                 else "the weights' own license follows from that data's (the model folder's MODEL_CARD.md "
                 "says what that means; its model.json lists the data).")  # fmt: skip
    elif model_id != "default":
        note += " The licenses of the data this model learned from are not recorded: check them before publishing."
    near = f"; its license: {nearest_license}" if nearest_license else ""
    if verdict == "clear":
        # a teacher asked whether the CC-BY tunes named nearest needed a credit on her handout
        note += (" The training works named nearest are listed for information: the copy check found no passage "
                 "of this take near enough to any of them to matter, so it owes them no credit.")  # fmt: skip
    elif verdict == "copy":
        note = note.replace("you may use, change, publish and sell this music", "you may use and change this music")
        note += (f" But this take was found to copy a training work ({NEAREST_WHERE}{near}): do not publish or "
                 "sell it unless that work's license lets you (public domain, CC0: yes; CC-BY: with credit to its "
                 "source; GPL: under the GPL's terms) or you hold its rights.")  # fmt: skip
    elif verdict == "close":
        # the usage opened with "you may ... publish and sell this music" and took it back after
        note = note.replace("you may use, change, publish and sell this music",
                            "you may use and change this music, and publish or sell it once you have done the check "
                            "below")  # fmt: skip
        note += (f" But this take resembles a training work closely ({NEAREST_WHERE}{near}): before publishing, "
                 "compare the bars named there and, if you keep them, follow that work's license (CC-BY: credit "
                 "its source; GPL: its terms).")  # fmt: skip
    return note + f" (This is {LEGAL_READING}.)"


# ------------------------------------------------------------------------------ WAV INFO
_INFO_ORDER = ("INAM", "IART", "ISFT", "ICMT", "ICRD", "ICOP", "IGNR")


def wav_info_fields(record: Mapping[str, Any], extra: str = "") -> dict[str, str]:
    """INFO fields for a take's STEM.json record. ICMT: "; "-separated facts (`extra` among them),
    the request last as compact JSON (`read_provenance` parses them back)."""
    from tunesmith.outputs.bundle import chords_source, copy_check_record, take_number

    model = record.get("model") or {}
    piece = record.get("piece") or {}
    told = disclosure(record)
    parts = [told["label"]]
    if told["digital_source_type"]:
        parts.append(f"IPTC digital source type {told['digital_source_type']}")
    if record.get("musicians_part"):
        parts.append(f"the musician's {record['musicians_part']}")
    parts.append(f"model {model.get('id') or 'unknown'}")
    if model.get("sha256"):
        parts.append(f"model sha256 {model['sha256']}")
    tuned = model.get("tuned_from") or {}
    if tuned.get("id"):
        parts.append(f"tuned from {tuned['id']}")
    parts.append(f"seed {record.get('seed')}")
    batch = record.get("batch") or record.get("takes")
    if take_number(record) and batch:
        parts.append(f"take {take_number(record)} of {batch}")
    parts.append(f"training data {', '.join(record.get('training_licenses') or ['unknown'])}")
    if record.get("training_sources"):
        parts.append(f"training sources {', '.join(record['training_sources'])}")
    if record.get("input_made_how"):
        parts.append(f"input made {record['input_made_how']}")
    if chords_source(record):
        parts.append(f"chords from {chords_source(record)}")
    checked = copy_check_record(record)
    if checked:
        parts.append("copy check " + json.dumps(checked, separators=(",", ":"), ensure_ascii=True, default=str))
    if extra:
        parts.append(extra)
    comment = "; ".join(parts)
    if record.get("request"):
        comment += "; request " + json.dumps(record["request"], separators=(",", ":"), ensure_ascii=True, default=str)
    fields = {
        "INAM": str(piece.get("title") or "tunesmith take"),
        "IART": {"generated": "tunesmith (AI)", "co-created": "a musician with tunesmith (AI)"}.get(
            made_how(record), "a musician"),
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
    """`wav` with the take's provenance: the LIST/INFO chunk (`comment` one more fact in ICMT,
    `software` in ISFT if given) and, where the C2PA bindings load, signed Content Credentials over
    the whole file, INFO chunk included (so a changed comment shows as tampering too)."""
    from tunesmith.rights import content_credentials

    fields = wav_info_fields(record, extra=comment)
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
PROVENANCE_KINDS = {".mid": "midi", ".midi": "midi", ".musicxml": "musicxml", ".xml": "musicxml", ".mxl": "musicxml",
                    ".abc": "abc", ".wav": "wav"}  # fmt: skip
_MAX_META_CHARS = 1_000_000  # one provenance text event or field


def read_provenance(path: str | os.PathLike) -> dict[str, Any]:
    """What a file says about how it was made, from its own metadata (`tunesmith provenance FILE`).

    {"file": name, "kind": "midi"|"musicxml"|"abc"|"wav", "made_by_tunesmith": bool, "ai_generated": bool|None,
     "fields": {...}, "content_credentials": {...}|None, "signed": bool}. `fields` holds the embedded provenance
    (model, model_sha256, seed, request, licenses, ...). `content_credentials` (WAV) holds the C2PA
    manifest's validation state, the problems found ("signingCredential.untrusted" alone: intact,
    locally signed), the signer and its provenance assertion. Size limits are checked first."""
    from tunesmith.inputs import check_local_file, refuse_url
    from tunesmith.limits import LimitError

    shown = refuse_url(path)
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{shown}: is a folder, not a file")
    if path.suffix.lower() == ".json":  # a take's own record (an app developer's was refused as "not a kind ...")
        return _sidecar_provenance(path, shown)
    kind = PROVENANCE_KINDS.get(path.suffix.lower())
    if kind is None:
        kinds = ", ".join(sorted([*PROVENANCE_KINDS, ".json"]))
        raise ValueError(f"{shown}: not a kind of file tunesmith writes (one of {kinds})")
    if not os.path.lexists(path):
        raise FileNotFoundError(f"{shown}: no such file")
    # a pipe (which would block the read), a link that loops, a file over the size limit
    check_local_file(path, min_bytes=0, max_bytes="MAX_WAV_BYTES" if kind == "wav" else "MAX_FILE_BYTES")
    size = path.stat().st_size
    if size == 0:
        raise ValueError(f"{shown}: empty file")
    out: dict[str, Any] = {"file": shown, "kind": kind, "content_credentials": None}
    try:
        if kind == "midi":
            fields = _midi_fields(path)
        elif kind == "musicxml":
            fields = _musicxml_fields(path)
        elif kind == "abc":
            fields = _abc_fields(path)
        else:
            fields, out["content_credentials"] = _wav_fields(path)
    except (LimitError, FileNotFoundError):
        raise
    except EOFError:
        raise ValueError(f"{shown}: cannot read its metadata (the file ends early: cut short?)") from None
    except Exception as e:  # noqa: BLE001 - any parser's failure on a damaged file is one line
        reason = str(e).strip() or type(e).__name__
        raise ValueError(f"{shown}: cannot read its metadata ({reason[:200]})") from None
    out["made_by_tunesmith"] = bool(fields) or out["content_credentials"] is not None
    if out["made_by_tunesmith"]:
        # the same names from every kind of file (`field_names`, None where a file does not say):
        # a WAV had said "software" where the MIDI says "tunesmith", and left out the sources
        # (an empty list or text is None too: the MusicXML writes no field for it where the MIDI writes [])
        fields = _named_fields(fields)
    out["fields"] = fields
    ai = fields.get("ai_generated")  # a bool from every reader (MusicXML's text is parsed)
    out["ai_generated"] = ai if isinstance(ai, bool) else None
    # only C2PA credentials are signed; the fields are text anyone can write (a forged MIDI had
    # read as made by tunesmith, and not AI-generated)
    out["signed"] = out["content_credentials"] is not None
    if kind != "wav" and (isinstance(fields.get("musicians_claim"), dict) or isinstance(fields.get("notes_signature"), dict)):
        piece = _file_piece(path)
        if isinstance(fields.get("musicians_claim"), dict):
            out["musicians_claim"] = _claim_state(piece, fields)
        if isinstance(fields.get("notes_signature"), dict):
            out["notes_signature"] = _notes_state(piece, fields)
    return out


def _named_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """`fields` under every name of `field_names` (None where absent, empty or []), then the rest."""
    names = field_names()
    return ({name: fields.get(name) if fields.get(name) not in ([], "") else None for name in names}
            | {k: v for k, v in fields.items() if k not in names})  # fmt: skip


def _sidecar_provenance(path: Path, shown: str) -> dict[str, Any]:
    """`read_provenance` of a take's STEM.json: its record, in the fields every media file carries
    (`outputs.bundle._provenance_json`). Unsigned: the record is text anyone can write."""
    from tunesmith.inputs import check_local_file
    from tunesmith.outputs.bundle import _provenance_json
    from tunesmith.ratings import read_take_record

    if not os.path.lexists(path):
        raise FileNotFoundError(f"{shown}: no such file")
    check_local_file(path, min_bytes=1, max_bytes="MAX_FILE_BYTES")
    fields = _named_fields(_provenance_json(read_take_record(path, shown)))
    ai = fields.get("ai_generated")
    return {"file": shown, "kind": "json", "content_credentials": None, "made_by_tunesmith": True, "fields": fields,
            "ai_generated": ai if isinstance(ai, bool) else None, "signed": False}  # fmt: skip


def _file_piece(path: Path) -> Piece | None:
    """The music a MIDI or MusicXML file holds, as tunesmith reads it; None where it cannot be read
    (the metadata was read: notes that cannot be read leave its signatures unchecked)."""
    from tunesmith.inputs import read_file

    try:
        pieces = read_file(path)
    except Exception:  # noqa: BLE001
        return None
    return pieces[0] if pieces else None


def _claim_state(piece: Piece | None, fields: Mapping[str, Any]) -> str | None:
    """A co-created MIDI or MusicXML file's signed claim to the musician's part, checked against the
    notes the file holds now (`rights.claims.verify_claim`: "signed here", "changed", ...), as `check`
    checks it; None where the notes cannot be read. `provenance` had called such a file unsigned and
    unchanged after its notes were edited, where `check` said they had changed."""
    from tunesmith.rights.claims import verify_claim

    return None if piece is None else verify_claim(piece, fields)[0]


def _notes_state(piece: Piece | None, fields: Mapping[str, Any]) -> str | None:
    """A take's MIDI or MusicXML signature over its notes, chords, model, seed and request, checked
    against what the file holds now (`rights.claims.notes_status`); None where the notes cannot be
    read. Without it an edited take had read as tunesmith's, model and seed and all."""
    from tunesmith.rights.claims import notes_status

    return None if piece is None else notes_status(piece, fields)[0]


def _midi_fields(path: Path) -> dict[str, Any]:
    """The provenance text event of a MIDI file, found in its bytes: a meta event FF 01, its
    variable-length size, then text starting with `PROVENANCE_TEXT_PREFIX`. Parsing every event
    first (mido) took 53 s and 2.9 GB on a 31 MB file of notes; this reads the file once."""
    from tunesmith.outputs.bundle import PROVENANCE_TEXT_PREFIX

    data = path.read_bytes()
    if not data.startswith(b"MThd"):
        raise ValueError("not a MIDI file (no MThd header)")
    pos = 0
    while pos < len(data):  # the chunks (MThd, MTrk, ...) by their sizes: a cut file ends inside one
        size = int.from_bytes(data[pos + 4 : pos + 8], "big")
        pos += 8 + size
        if pos > len(data):
            raise EOFError
    prefix = PROVENANCE_TEXT_PREFIX.encode()
    at = data.find(prefix)
    while at >= 0:
        for n in range(1, 5):  # the size before the text: 1 to 4 bytes, the last one under 0x80
            start = at - n
            if start < 2 or data[start - 2 : start] != b"\xff\x01":
                continue
            size = 0
            for i, byte in enumerate(data[start:at]):
                if (byte < 0x80) != (i == n - 1):  # every byte but the last has its high bit set
                    break
                size = (size << 7) | (byte & 0x7F)
            else:
                if size <= min(len(data) - at, _MAX_META_CHARS):
                    value = json.loads(data[at : at + size][len(prefix) :].decode("utf-8"))
                    return value if isinstance(value, dict) else {}
        at = data.find(prefix, at + 1)
    return {}


def field_names() -> tuple[str, ...]:
    """What `tunesmith provenance` reads from every kind of file tunesmith writes (the MIDI's JSON,
    the MusicXML's fields, the WAV's INFO): the keys the writer embeds
    (`outputs.bundle._provenance_json`), in its order. A kind may add its own (the WAV's title, the
    MusicXML's one-line summary)."""
    from tunesmith.outputs.bundle import _provenance_json

    return tuple(_provenance_json({}))


def _musicxml_fields(path: Path) -> dict[str, Any]:
    import io

    from defusedxml.ElementTree import parse

    from tunesmith.inputs.musicxml import _xml_bytes

    # a compressed .mxl is unpacked under the readers' archive limits first
    ident = parse(io.BytesIO(_xml_bytes(path))).getroot().find("identification")
    fields: dict[str, Any] = {}
    for field in [] if ident is None else ident.iter("miscellaneous-field"):
        name = field.get("name") or ""
        if not name.startswith("tunesmith-") or len(field.text or "") > _MAX_META_CHARS:
            continue
        key, text = name[len("tunesmith-") :].replace("-", "_"), (field.text or "").strip()
        fields[key] = _XML_PARSE.get(key, str)(text)
    software = "" if ident is None else (ident.findtext("encoding/software") or "")
    if fields and software.startswith("tunesmith "):  # the version, as the MIDI's "tunesmith" field
        fields.setdefault("tunesmith", software[len("tunesmith ") :])
    return fields


def _abc_fields(path: Path) -> dict[str, Any]:
    """The provenance comment of an ABC file (`% tunesmith-provenance: {json}`, `outputs.abc`)."""
    from tunesmith.inputs import read_text
    from tunesmith.outputs.bundle import PROVENANCE_TEXT_PREFIX

    for line in read_text(path).splitlines():
        if line.startswith("% " + PROVENANCE_TEXT_PREFIX) and len(line) <= _MAX_META_CHARS:
            value = json.loads(line[len("% " + PROVENANCE_TEXT_PREFIX) :])
            return value if isinstance(value, dict) else {}
    return {}


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _int_or_text(text: str) -> Any:
    return int(text) if text.lstrip("-").isdigit() else text


_COMMENT_FACTS = (  # (prefix in the ICMT comment, field, parse)
    ("IPTC digital source type ", "digital_source_type", str),
    ("the musician's ", "musicians_part", str),
    ("model sha256 ", "model_sha256", str),
    ("tuned from ", "tuned_from", lambda v: {"id": v}),
    ("model ", "model", str),
    ("seed ", "seed", _int_or_text),
    ("training data ", "licenses", lambda v: v.split(", ")),
    ("training sources ", "sources", lambda v: v.split(", ")),
    ("input made ", "input_made_how", str),
    ("chords from ", "chords_from", str),
    ("copy check ", "copy_check", _json_or_text),
)


def _info_comment_fields(comment: str) -> dict[str, Any]:
    """The facts `wav_info_fields` wrote into ICMT, as the fields MIDI and MusicXML give."""
    head, _, request = comment.partition("; request ")
    fields: dict[str, Any] = {"ai_generated": True} if AI_GENERATED in head else {}
    if MUSICIANS_OWN in head:
        fields["ai_generated"] = False
    for part in head.split("; "):
        if part.startswith("take ") and " of " in part:
            k, _, n = part[len("take ") :].partition(" of ")
            if k.isdigit() and n.isdigit():
                fields["take"], fields["takes"] = int(k), int(n)
            continue
        for prefix, name, parse in _COMMENT_FACTS:
            if part.startswith(prefix) and name not in fields:
                fields[name] = parse(part[len(prefix) :])
                break
    if request:
        fields["request"] = _json_or_text(request)
    return fields


# MusicXML fields are text: the same types as the MIDI's JSON
_XML_PARSE = {
    "request": _json_or_text,
    "tuned_from": _json_or_text,
    "musicians_claim": _json_or_text,
    "notes_signature": _json_or_text,
    "copy_check": _json_or_text,
    "seed": _int_or_text,
    "take": _int_or_text,
    "takes": _int_or_text,
    "ai_generated": lambda t: {"True": True, "False": False}.get(t, t),
    "licenses": lambda t: t.split(", "),
    "sources": lambda t: t.split(", "),
}


# RIFF chunks read at most: tunesmith's WAVs have four (fmt, data, LIST, C2PA); a file of millions of
# empty chunks had kept `provenance` busy for minutes (most of it in the C2PA SDK)
_MAX_WAV_CHUNKS = 1000


def _wav_fields(path: Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
    from tunesmith.rights import content_credentials

    info: dict[str, str] = {}
    has_c2pa = False
    with open(path, "rb") as f:  # the chunk headers only: the audio is skipped, never read
        head = f.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise ValueError("not a RIFF/WAVE file")
        for _ in range(_MAX_WAV_CHUNKS + 1):
            header = f.read(8)
            if len(header) < 8:
                break
            cid, size = header[:4], struct.unpack("<I", header[4:])[0]
            has_c2pa |= cid == b"C2PA"
            if cid == b"LIST" and size < _MAX_META_CHARS:
                body = f.read(size + (size & 1))
                info |= read_wav_info(b"RIFF\0\0\0\0WAVE" + header + body)
            else:
                f.seek(size + (size & 1), os.SEEK_CUR)
        else:
            raise ValueError(f"more than {_MAX_WAV_CHUNKS} RIFF chunks (a WAV has a handful)")
    fields = _info_comment_fields(info.get("ICMT", "")) if info else {}
    if info:
        fields |= {k: v for k, v in (("software", info.get("ISFT")), ("title", info.get("INAM")),
                                     ("created_at", info.get("ICRD"))) if v}  # fmt: skip
        if fields and str(info.get("ISFT") or "").startswith("tunesmith "):  # the version, as the MIDI's
            fields["tunesmith"] = info["ISFT"][len("tunesmith ") :]
    credentials = None
    if has_c2pa and content_credentials.available():  # no C2PA chunk, nothing for the SDK to read
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
