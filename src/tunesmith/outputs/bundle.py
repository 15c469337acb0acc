"""A take: one composed piece written as STEM.mid, STEM.musicxml, STEM.abc, STEM.wav, STEM.svg and
STEM.json.

`write_take(piece, stem, provenance=...)` writes the six files and returns their paths by kind
("mid", "musicxml", "abc", "wav", "svg", "json"); `write_takes(pieces, stem, n)` writes STEM-1 ... STEM-n
(just STEM when n == 1).

`provenance` is how the caller made the piece. Every key is optional; these are understood:

    {
        "request": {...},        # what was asked for (CLI arguments / API keyword arguments), as given
        "model": {"id": "...", "path": "...", "sha256": "..."},  # sha256 computed from path if absent
        "seed": 1234,
        "training_data": ...,    # the model's own provenance: the licenses and sources of its corpus,
                                 # e.g. {"licenses": {"public-domain": 345}, "sources": {"jsb": 345}}
                                 # or [{"source": "jsb", "license": "public-domain", "pieces": 345}, ...]
        "timings": {"generate": 0.42},  # seconds; the bundle adds midi, musicxml, abc, wav, svg
    }

Other keys are copied into STEM.json unchanged. STEM.json always has the keys in `JSON_KEYS`.
The provenance is also embedded in the media files themselves:

- MIDI: a copyright meta event (one readable line: tunesmith version, model, seed, training-data
  licenses) and a text meta event "tunesmith-provenance: {compact JSON}" (the same and the
  request, where the chords came from, sources, disclosure), both at tick 0 of the
  first track (added with mido after `write_midi`);
- MusicXML: the same line as <miscellaneous-field name="tunesmith-provenance"> (not <rights>, which
  notation programs print as a copyright footer), tunesmith in <encoding><software>, and
  <miscellaneous-field name="tunesmith-..."> entries (model id/sha256, seed, the request as
  compact JSON, where the chords came from, licenses, sources, created-at, ai-generated,
  digital-source-type), added after `write_musicxml`;
- ABC: the same line as an N: field and "% tunesmith-provenance: {compact JSON}" (the MIDI's) as
  a comment line (`outputs.abc`; the notes signed as read back from the ABC);
- WAV: a RIFF LIST/INFO chunk (software, "AI-generated" with the IPTC digital source type
  trainedAlgorithmicMedia, model, seed: `tunesmith.rights.provenance`) and C2PA Content
  Credentials over the whole file (`tunesmith.rights.content_credentials`; STEM.json says
  `rendering.wav.content_credentials`, null where the C2PA bindings do not load).

Notation: the MusicXML (and the SVG engraved from it) of a composed take writes a strain sounded
twice once, between repeat barlines, with first and second endings where the second time ends
another way, and so does the ABC (`convert.repeats`; `rendering.musicxml.repeats` in STEM.json gives the bars, as
played). The MIDI and WAV hold the music as played. A co-created take (`piece.meta["cocreate"]`)
stays written out as played, as its input was read, so that bar numbers (inpaint's --bars)
name the same bars in every file.

Atomicity: every stage writes into a hidden staging folder next to the stem; only when all of them
have succeeded are the files moved into place (each with os.replace, the JSON last, so a STEM.json
always describes complete media beside it). If a stage raises, the staging folder is removed and any
earlier take at the same stem is left as it was. Outputs of an earlier take at the same stem that this
take does not produce (STEM.wav with render_audio=False) are removed, so the files never mix takes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tunesmith.paths import atomic_write_bytes, atomic_write_text
from tunesmith.score import Piece

KINDS = ("mid", "musicxml", "abc", "wav", "svg", "json")
STAGES = ("generate", "midi", "musicxml", "abc", "wav", "svg")
FORMAT = "tunesmith-take/1"
JSON_KEYS = (
    "format",
    "tunesmith_version",
    "created_at",
    "request",
    "model",
    "seed",
    "training_data",
    "training_licenses",
    "training_sources",
    "piece",
    "timings",
    "rendering",
    "files",
)
PROVENANCE_TEXT_PREFIX = "tunesmith-provenance: "


# ------------------------------------------------------------------------------ provenance
def path_sha256(path: str | os.PathLike[str]) -> str:
    """sha256 of a file, or of a folder (its files' relative paths and contents, in sorted order)."""
    path = Path(path)
    h = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        if path.is_dir():
            h.update(f.relative_to(path).as_posix().encode() + b"\0")
        with open(f, "rb") as fh:
            for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def _names(value: Any, key: str) -> list[str]:
    """License ids (key="license") or source names (key="source") from a model's training-data record."""
    plural = key + "s"
    if isinstance(value, Mapping):
        if plural in value:
            inner = value[plural]
            if isinstance(inner, Mapping):
                return sorted(str(k) for k in inner)
            return _names(inner, key)
        if key in value:
            return [str(value[key])]
        return _names(list(value.values()), key)  # nested, e.g. {"corpus": {"licenses": ...}}
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, bytes):
        out: list[str] = []
        for item in value:
            for name in _names(item, key) if not isinstance(item, str) else [item]:
                if name not in out:
                    out.append(name)
        return out
    return []


def _model(model: Any) -> dict[str, Any]:
    if model is None:
        return {"id": None, "path": None, "sha256": None}
    if isinstance(model, str | os.PathLike):
        model = {"path": str(model)} if Path(model).exists() else {"id": str(model)}
    out = {"id": None, "path": None, "sha256": None, **dict(model)}
    if out["path"] is not None:
        out["path"] = str(out["path"])
        if not out.get("sha256") and Path(out["path"]).exists():
            out["sha256"] = path_sha256(out["path"])
    if out["id"] is None and out["path"]:
        out["id"] = Path(out["path"]).stem
    return out


def _piece_summary(piece: Piece) -> dict[str, Any]:
    key = piece.key
    beats = piece.duration()
    pickup = piece.pickup_beats()
    return {
        "piece_id": piece.piece_id,
        "work_id": piece.work_id,
        "title": piece.title,
        "style": piece.style,
        "key": f"{key.tonic} {key.mode}" if key else None,
        "time_signature": str(piece.time_signature),
        "tempo_qpm": piece.tempo,
        # the bars a musician counts: a pickup (a short first bar) is bar 0, not one of them
        "n_bars": piece.n_bars - (1 if pickup else 0),
        "pickup_beats": round(pickup, 6),
        "n_notes": piece.n_notes,
        "n_chords": len(piece.chords),
        "duration_beats": beats,
        "duration_seconds": round(beats * 60.0 / piece.tempo, 3) if piece.tempo > 0 else None,
        "tracks": [
            {"name": t.name, "role": t.role, "program": t.program, "is_drum": t.is_drum, "n_notes": len(t.notes)}
            for t in piece.tracks
        ],
    }


def take_record(piece: Piece, provenance: Mapping[str, Any]) -> dict[str, Any]:
    """The STEM.json record before the files are written (timings and files filled in later)."""
    from tunesmith import __version__

    provenance = dict(provenance or {})
    training = provenance.get("training_data")
    timings = {stage: None for stage in STAGES}
    timings.update(provenance.get("timings") or {})
    record: dict[str, Any] = {
        "format": FORMAT,
        "tunesmith_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "request": provenance.get("request"),
        "model": _model(provenance.get("model")),
        "seed": provenance.get("seed"),
        "training_data": training,
        "training_licenses": _names(training, "license"),
        "training_sources": _names(training, "source"),
        "piece": _piece_summary(piece),
        "timings": timings,
        "rendering": {},
        "files": {},
    }
    for k, v in provenance.items():
        record.setdefault(k, v)
    from tunesmith.remarks import take_remarks

    remarks = take_remarks(provenance)
    if remarks:  # the lines the CLI prints, kept in the take's JSON too (a modulation said only on screen)
        record["remarks"] = remarks
    helper = chords_training_data(record, is_four_part(piece)) if record["training_licenses"] else None
    if helper:
        # the chords came from a network trained on its own data (the shipped harmonizer: GPL-3.0
        # Nottingham tunes), which a model trained on other data had left out of the take's licenses
        record["chords_training_data"] = helper
        record["training_licenses"] = sorted(set(record["training_licenses"]) | set(helper.get("licenses") or {}))
        record["training_sources"] = sorted(set(record["training_sources"]) | set(helper.get("sources") or {}))
    from tunesmith.rights.provenance import made_how

    if made_how(record) == "co-created" and "musicians_part" not in record:
        from tunesmith.rights.check import musicians_notes

        # which notes are the musician's, said in the files (the copy check leaves them out too)
        given, record["musicians_part"] = musicians_notes(piece, record.get("request"))
        if record.get("input_made_how") == "co-created" and record["musicians_part"]:
            # the input was a co-created take: part of what it holds was generated
            record["musicians_part"] += " (itself co-created with tunesmith: part of it was generated)"
        if record["musicians_part"] and "musicians_claim" not in record:
            from tunesmith.rights.claims import claim_of

            # signed, so that `check` can tell this record from one typed into a file by hand
            record["musicians_claim"] = claim_of(record.get("request"), given)
    return record


def is_four_part(piece: Piece) -> bool:
    """Whether a take is four-part music (a chorale), whose chords the chorale harmonizer plans."""
    return piece.style == "chorale" or len(piece.tracks) >= 4


def chords_training_data(record: Mapping[str, Any], four_part: bool) -> dict[str, Any] | None:
    """The training data of the shipped harmonizer that chose a take's chords, if one did (a
    lead sheet's chords "from the harmonizer"; a chorale's plan), from the take's record or
    provenance: {"harmonizer", "licenses", "sources"}. The chord table is counted from the same
    tunes as the lead harmonizer. The one place the take's files and its usage text ask."""
    if chords_source(record) not in ("harmonizer", "table"):
        return None
    from tunesmith.harmonizer import harmonizer_provenance

    return harmonizer_provenance("chorale" if four_part else "lead")


def provenance_line(record: Mapping[str, Any]) -> str:
    """One readable ASCII line: the MIDI copyright event and the MusicXML <rights>."""
    from tunesmith.rights.provenance import made_how

    model = record.get("model") or {}
    version = record.get("tunesmith_version")
    how = made_how(record)
    if how == "musician":  # nothing generated: say so, and nothing of a model
        return f"The musician's own music, written out by tunesmith {version}; no notes generated"
    # players show this line as the file's "Copyright": it says first that tunesmith claims none (a
    # teacher read "training data: ... GPL-3.0" there as the song's own license)
    parts = [f"Generated by tunesmith {version}, which claims no copyright in it" if how == "generated"
             else f"Co-created with tunesmith {version}, which claims no copyright in its notes"]  # fmt: skip
    if record.get("musicians_part"):
        parts.append(f"the musician's: {record['musicians_part']}")
    parts.append(f"model {model.get('id') or 'unknown'}")
    if model.get("sha256"):
        parts.append(f"sha256 {str(model['sha256'])[:12]}")
    tuned = model.get("tuned_from") or {}
    if tuned.get("id"):  # a tuned model: which base, so that a file alone says the model was tuned
        parts.append(f"tuned from {tuned['id']}")
    parts.append(f"seed {record.get('seed')}")
    licenses = record.get("training_licenses") or ["unknown"]
    parts.append("the model learned from data licensed " + ", ".join(licenses))
    return "; ".join(parts).encode("ascii", "replace").decode("ascii")


def take_number(record: Mapping[str, Any]) -> int | None:
    """Which of the takes drawn together from one seed this is (1-based)."""
    if isinstance(record.get("take_index"), int):
        return record["take_index"] + 1
    return record.get("take")


def chords_source(record: Mapping[str, Any]) -> str | None:
    """Where a take's chord symbols came from ("model", "harmonizer", "table"), if recorded."""
    for key in ("resolved", "cocreate"):
        value = record.get(key)
        if isinstance(value, Mapping) and value.get("chords_from"):
            return str(value["chords_from"])
    return None


def _provenance_json(record: Mapping[str, Any]) -> dict[str, Any]:
    from tunesmith.rights.provenance import disclosure

    told = disclosure(record)
    model = record.get("model") or {}
    return {
        "tunesmith": record.get("tunesmith_version"),
        "created_at": record.get("created_at"),
        "model": model.get("id"),
        "model_sha256": model.get("sha256"),
        # a tuned model's base and method ({id, sha256, method}): the take's JSON is not the only record
        "tuned_from": {k: (model.get("tuned_from") or {}).get(k) for k in ("id", "sha256", "method")}
        if model.get("tuned_from") else None,
        "seed": record.get("seed"),
        # take k of n: the seed, the request and n (--n) make the n takes again, of which this is the k-th
        "take": take_number(record),
        "takes": record.get("batch") or record.get("takes"),
        "request": record.get("request"),  # what was asked (controls as given), so the take can be made again
        "chords_from": chords_source(record),
        "licenses": record.get("training_licenses"),
        "sources": record.get("training_sources"),
        # the AI disclosure and IPTC digital source type (tunesmith.rights.provenance.disclosure)
        "ai_generated": told["ai_generated"],
        "digital_source_type": told["digital_source_type"],
        "musicians_part": record.get("musicians_part"),  # a co-created take: which notes are the musician's
        "musicians_claim": record.get("musicians_claim"),  # that part, signed here (rights.claims)
        # the file's own notes and chords with the model, seed and request above, signed here
        # (`with_notes_signature`): an edited file no longer verifies
        "notes_signature": record.get("notes_signature"),
        # a co-create verb applied to a take tunesmith made: read back, the file is not the musician's
        "input_made_how": record.get("input_made_how"),
        # the copy guard's verdict and the nearest training works (attribution), in the file itself
        "copy_check": copy_check_record(record),
    }


def copy_check_record(record: Mapping[str, Any]) -> dict[str, Any] | None:
    """The copy guard's verdict, score and nearest works (title, source, license, score, the bars
    on each side) from a take's record, compactly, as the files carry it; None if unchecked."""
    rights = record.get("rights") or {}
    if not rights.get("checked") or rights.get("verdict") is None:
        return None
    keys = ("title", "work_id", "source", "license", "score", "bars", "work_bars")
    nearest = [{k: str(w[k]).replace("; ", ", ") if k == "title" else w[k] for k in keys if w.get(k) is not None}
               for w in rights.get("nearest") or []]  # fmt: skip
    out = {"verdict": rights["verdict"], "score": rights.get("score"), "nearest": nearest}
    # the musician's input, never counted, where it is itself close to or a copy of a training work
    # (`input_notes.note_input_resembles`): a continued carol had named the carol in its JSON alone
    if isinstance(rights.get("input_resembles"), dict):
        out["input_resembles"] = {k: v for k, v in rights["input_resembles"].items() if v is not None}
    return out


def with_notes_signature(record: Mapping[str, Any], path: Path) -> Mapping[str, Any]:
    """`record` with the signature over the notes and chords of the file just written at `path`, as
    tunesmith reads them back, and the model, seed and request it will name (`rights.claims.sign_notes`),
    for that file's provenance; `record` itself where the file cannot be read back or signed."""
    from tunesmith.inputs import read_file
    from tunesmith.rights.claims import NOTES_FIELD, sign_notes

    try:
        pieces = read_file(path)
        signature = sign_notes(pieces[0], _provenance_json(record)) if pieces else None
    except Exception:  # noqa: BLE001 - an unsigned file says so when read; the take is still written
        return record
    return {**record, NOTES_FIELD: signature} if signature else record


# ------------------------------------------------------------------------------ embedding
def embed_midi_provenance(path: Path, record: Mapping[str, Any]) -> None:
    """Add a copyright and a text meta event at tick 0 of the first track (rewrites `path` atomically)."""
    import mido

    mid = mido.MidiFile(path)
    if not mid.tracks:
        mid.tracks.append(mido.MidiTrack())
    track = mid.tracks[0]
    text = PROVENANCE_TEXT_PREFIX + json.dumps(_provenance_json(record), separators=(",", ":"), ensure_ascii=True,
                                               default=str)  # fmt: skip
    events = [
        mido.MetaMessage("copyright", text=provenance_line(record), time=0),
        mido.MetaMessage("text", text=text, time=0),
    ]
    at = 1 if track and track[0].type == "track_name" and track[0].time == 0 else 0
    track[at:at] = events
    out = io.BytesIO()
    mid.save(file=out)
    atomic_write_bytes(path, out.getvalue())


_ROOT = re.compile(r"<score-(partwise|timewise)\b")
_IDENTIFICATION_ORDER = ("creator", "rights", "encoding", "source", "relation", "miscellaneous")


def _insert_in_order(parent: ET.Element, child: ET.Element, order: Sequence[str]) -> None:
    """Insert `child` after every sibling whose tag comes no later than its own in `order`."""
    rank = order.index(child.tag)
    at = 0
    for i, sibling in enumerate(parent):
        if sibling.tag in order and order.index(sibling.tag) <= rank:
            at = i + 1
    parent.insert(at, child)


def embed_musicxml_provenance(path: Path, record: Mapping[str, Any]) -> None:
    """Add <rights>, <software> and tunesmith <miscellaneous-field>s to <identification> (atomically)."""
    from defusedxml.ElementTree import fromstring

    text = path.read_text(encoding="utf-8")
    m = _ROOT.search(text)
    if not m:
        raise ValueError(f"{path}: not a MusicXML score (no <score-partwise> or <score-timewise>)")
    prolog = text[: m.start()]
    root = fromstring(text)
    ident = root.find("identification")
    if ident is None:
        ident = ET.Element("identification")
        header = ("work", "movement-number", "movement-title")
        at = max((i + 1 for i, el in enumerate(root) if el.tag in header), default=0)
        root.insert(at, ident)
    # not <rights>: notation programs print it as a copyright footer on every page
    encoding = ident.find("encoding")
    if encoding is None:
        encoding = ET.Element("encoding")
        _insert_in_order(ident, encoding, _IDENTIFICATION_ORDER)
    software = ET.Element("software")
    software.text = f"tunesmith {record.get('tunesmith_version')}"
    encoding.insert(0, software)
    misc = ident.find("miscellaneous")
    if misc is None:
        misc = ET.Element("miscellaneous")
        _insert_in_order(ident, misc, _IDENTIFICATION_ORDER)
    line = ET.SubElement(misc, "miscellaneous-field", {"name": "tunesmith-provenance"})
    line.text = provenance_line(record)
    for name, value in _provenance_json(record).items():
        if name == "tunesmith" or value in (None, [], ""):
            continue
        field = ET.SubElement(misc, "miscellaneous-field", {"name": f"tunesmith-{name.replace('_', '-')}"})
        if isinstance(value, Mapping):
            field.text = json.dumps(value, separators=(",", ":"), ensure_ascii=True, default=str)
        else:
            field.text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    if not prolog.strip():
        prolog = '<?xml version="1.0" encoding="UTF-8"?>\n'
    atomic_write_text(path, prolog + body + "\n")


# ------------------------------------------------------------------------------ takes
def _path(stem: Path, kind: str) -> Path:
    return stem.with_name(f"{stem.name}.{kind}")


def write_take(
    piece: Piece,
    stem: str | os.PathLike[str],
    *,
    provenance: Mapping[str, Any],
    render_audio: bool = True,
    render_svg: bool = True,
    soundfont: str | os.PathLike[str] | None = None,
    sample_rate: int = 48000,  # the synth's own rate: no resampling (and no scipy import, ~0.8 s)
    repeat_signs: bool = True,
) -> dict[str, Path]:
    """Write one take of `piece` at `stem` (see the module docstring); returns {kind: path} for what
    was written. `repeat_signs` False: the score written out as played, a composed take's too."""
    from tunesmith.outputs.abc import abc_folds_repeats, abc_repeat_spans, abc_text, with_fields
    from tunesmith.outputs.midi import write_midi
    from tunesmith.outputs.musicxml import folds_repeats, musicxml_and_repeats

    stem = Path(stem)
    piece.validate()
    record = take_record(piece, provenance)
    timings = record["timings"]
    kinds = ["mid", "musicxml", "abc"] + (["wav"] if render_audio else []) + (["svg"] if render_svg else [])
    for kind in (*kinds, "json"):  # every file replaceable, before any is written or replaced
        if _path(stem, kind).is_dir():
            raise IsADirectoryError(f"{_path(stem, kind)}: is a folder; a take's file cannot replace it")
    stem.parent.mkdir(parents=True, exist_ok=True)
    # the staging folder's name stays short: a 240-character stem is a legal name for STEM.musicxml,
    # but ".STEM.partial-XXXXXXXX" had passed the file system's 255 and failed the take
    _remove_stale_staging(stem)
    staging = Path(tempfile.mkdtemp(prefix=f".{stem.name[:64]}.partial-{os.getpid()}-", dir=stem.parent))
    try:
        staged = {kind: staging / f"take.{kind}" for kind in (*kinds, "json")}
        t_all = time.perf_counter()

        t0 = time.perf_counter()
        write_midi(piece, staged["mid"])
        embed_midi_provenance(staged["mid"], with_notes_signature(record, staged["mid"]))
        timings["midi"] = round(time.perf_counter() - t0, 4)

        t0 = time.perf_counter()
        folded = repeat_signs and folds_repeats(piece)
        data, spans = musicxml_and_repeats(piece, folded)
        atomic_write_bytes(staged["musicxml"], data)
        if folded:  # the bars under repeat signs, as played ([] when no strain is sounded twice)
            from tunesmith.convert.repeats import played_bars

            record["rendering"]["musicxml"] = {"repeats": played_bars(spans, piece.pickup_beats() > 0)}
        embed_musicxml_provenance(staged["musicxml"], with_notes_signature(record, staged["musicxml"]))
        timings["musicxml"] = round(time.perf_counter() - t0, 4)

        t0 = time.perf_counter()  # repeat signs as a tune book's, the provenance in N: and % lines (`outputs.abc`)
        folded_abc = repeat_signs and abc_folds_repeats(piece)
        if folded_abc and not folded:  # a co-created take: its ABC alone folds, and the record says which bars
            from tunesmith.convert.repeats import played_bars

            record["rendering"]["abc"] = {"repeats": played_bars(abc_repeat_spans(piece), piece.pickup_beats() > 0)}
        tune = abc_text(piece, repeats=folded_abc)
        atomic_write_text(staged["abc"], tune)
        signed = with_notes_signature(record, staged["abc"])
        atomic_write_text(staged["abc"], with_fields(tune, notes=[provenance_line(signed)], comments=[
            PROVENANCE_TEXT_PREFIX + json.dumps(_provenance_json(signed), separators=(",", ":"), ensure_ascii=True,
                                                default=str)]))  # fmt: skip
        timings["abc"] = round(time.perf_counter() - t0, 4)

        if render_audio:
            from tunesmith.outputs.audio import find_soundfont
            from tunesmith.performance import played_swung

            sf = find_soundfont(soundfont)
            t0 = time.perf_counter()
            swung = played_swung(piece)
            from tunesmith.rights import content_credentials
            from tunesmith.rights.provenance import wav_with_provenance

            wav = performance_wav(piece, soundfont=sf, sample_rate=sample_rate)
            atomic_write_bytes(staged["wav"], wav_with_provenance(wav, record))  # RIFF INFO + C2PA
            timings["wav"] = round(time.perf_counter() - t0, 4)
            record["rendering"]["wav"] = {"synth": "midirenderer", "soundfont": sf.name, "sample_rate": sample_rate,
                                          "loudness_lufs": TARGET_LUFS, "swing": SWING_RATIO if swung else None,
                                          "content_credentials": CONTENT_CREDENTIALS if content_credentials.available() else None}

        if render_svg:
            from tunesmith.outputs.svg import write_svg

            t0 = time.perf_counter()
            write_svg(staged["musicxml"], staged["svg"])
            timings["svg"] = round(time.perf_counter() - t0, 4)
            record["rendering"]["svg"] = {"engraver": "verovio", "version": _verovio_version()}

        timings["write_total"] = round(time.perf_counter() - t_all, 4)
        final = {kind: _path(stem, kind) for kind in (*kinds, "json")}
        record["files"] = {kind: final[kind].name for kind in final}
        atomic_write_text(staged["json"], json.dumps(record, indent=2, default=str) + "\n")

        # Commit: drop the old description first, then media, then the new JSON.
        for kind in ("json", *(k for k in KINDS if k not in final)):
            _path(stem, kind).unlink(missing_ok=True)
        for kind in (*kinds, "json"):
            os.replace(staged[kind], final[kind])
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_stale_staging(stem: Path) -> None:
    """Remove the staging folders an earlier write of `stem` left when its process was killed
    outright (SIGKILL, a power cut: no `finally` ran): those named by a process id no longer
    running on this machine and untouched for `STALE_STAGING_SECONDS` (a folder on a shared
    disk written from another machine is left to its own writer)."""
    pattern = re.compile(re.escape(f".{stem.name[:64]}.partial-") + r"(\d+)-")
    try:
        siblings = list(os.scandir(stem.parent))
    except OSError:
        return
    now = time.time()
    for entry in siblings:
        m = pattern.match(entry.name)
        if not m or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < STALE_STAGING_SECONDS:
                continue
            os.kill(int(m.group(1)), 0)
            continue  # its writer is still running
        except ProcessLookupError:
            shutil.rmtree(entry.path, ignore_errors=True)
        except (OSError, ValueError, OverflowError):
            continue  # another user's process (PermissionError), or no such number: leave it


STALE_STAGING_SECONDS = 60.0
CONTENT_CREDENTIALS = "C2PA, signed by this installation's local identity (intact-and-unchanged is checkable; the signer is not a trusted certificate)"
TARGET_LUFS = -16.0  # integrated loudness of every WAV (ITU-R BS.1770, pyloudnorm)
TRUE_PEAK_DBFS = -1.0
SWING_RATIO = 2 / 3  # jazz audio: swung eighths (the MIDI and the score keep them straight)


def normalize_loudness(wav: bytes, target_lufs: float = TARGET_LUFS) -> bytes:
    """The WAV at `target_lufs` integrated loudness (pyloudnorm), its peak kept under -1 dBFS:
    takes sound equally loud, whatever their instruments and density."""
    import wave

    import numpy as np
    import pyloudnorm

    with wave.open(io.BytesIO(wav)) as f:
        rate, channels = f.getframerate(), f.getnchannels()
        x = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").reshape(-1, channels).astype(np.float64) / 32768
    if x.shape[0] < rate // 2 or not np.any(x):
        return wav  # too short to measure (BS.1770 gates on 400 ms blocks), or silent
    loudness = pyloudnorm.Meter(rate).integrated_loudness(x)
    if not np.isfinite(loudness):
        return wav
    gain = 10 ** ((target_lufs - loudness) / 20)
    peak = float(np.abs(x).max()) * gain
    ceiling = 10 ** (TRUE_PEAK_DBFS / 20)
    if peak > ceiling:
        gain *= ceiling / peak  # a limiter would keep the loudness; a lower gain keeps it simple
    y = np.clip(np.rint(x * gain * 32768), -32768, 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as f:
        f.setnchannels(channels)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(y.tobytes())
    return out.getvalue()


def performance_wav(
    piece: Piece, *, soundfont: str | os.PathLike[str] | None = None, sample_rate: int = 48000
) -> bytes:
    """The take as the listener hears it: jazz and hornpipes swung (`SWING_RATIO`), loudness at
    `TARGET_LUFS`; a loop (`meta["loop"]`) exactly its length, its own tail at its start and its
    loop points in a `smpl` chunk (`outputs.loop`)."""
    from tunesmith.outputs.audio import render_wav_bytes
    from tunesmith.outputs.midi import midi_bytes
    from tunesmith.performance import played_swung, swing

    played = swing(piece, SWING_RATIO) if played_swung(piece) else piece

    def render(p: Piece) -> bytes:
        return render_wav_bytes(midi_bytes(p), soundfont=soundfont, sample_rate=sample_rate)

    if piece.meta.get("loop"):
        from tunesmith.outputs.loop import loop_wav, wav_with_loop_points

        return wav_with_loop_points(normalize_loudness(loop_wav(played, render)))
    return normalize_loudness(render(played))


def _verovio_version() -> str | None:
    try:
        import verovio

        return verovio.toolkit().getVersion()
    except Exception:  # the version is informational only
        return None


def write_takes(
    pieces: Iterable[Piece],
    stem: str | os.PathLike[str],
    n: int | None = None,
    *,
    provenance: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    render_audio: bool = True,
    render_svg: bool = True,
    soundfont: str | os.PathLike[str] | None = None,
    sample_rate: int = 48000,  # the synth's own rate: no resampling (and no scipy import, ~0.8 s)
) -> list[dict[str, Path]]:
    """Write up to `n` takes (default: len(pieces)) at STEM-1 ... STEM-n, or at STEM when n == 1.

    `provenance` is one mapping for all takes (each JSON also gets "take": i and "takes": n) or a
    sequence with one mapping per take (e.g. different seeds). `pieces` may be a lazy iterator that
    generates as it goes: then the time each piece took to arrive is recorded as the "generate"
    timing of its take, unless its provenance already gives one.
    """
    stem = Path(stem)
    if n is None:
        if not isinstance(pieces, Sequence):
            raise ValueError("write_takes: pass n when pieces is an iterator")
        n = len(pieces)
    if n < 1:
        raise ValueError(f"write_takes: n must be at least 1, got {n}")
    per_take = not isinstance(provenance, Mapping)
    if per_take and len(provenance) < n:
        raise ValueError(f"write_takes: {len(provenance)} provenance records for {n} takes")
    lazy = not isinstance(pieces, Sequence)
    results: list[dict[str, Path]] = []
    try:
        _write_each(pieces, stem, n, provenance, per_take, lazy, results, render_audio=render_audio,
                    render_svg=render_svg, soundfont=soundfont, sample_rate=sample_rate)  # fmt: skip
    except KeyboardInterrupt as exc:
        # the takes already written are whole and kept: the CLI names them (`kept_takes`)
        exc.kept_takes = list(results)  # type: ignore[attr-defined]
        raise
    return results


def _write_each(pieces, stem: Path, n: int, provenance, per_take: bool, lazy: bool, results: list, **options) -> None:
    """`write_takes`' loop: each take written whole (`write_take`) and appended to `results`."""
    iterator = iter(pieces)
    for i in range(1, n + 1):
        t0 = time.perf_counter()
        try:
            piece = next(iterator)
        except StopIteration:
            break
        waited = time.perf_counter() - t0
        prov = dict(provenance[i - 1] if per_take else provenance)
        prov.setdefault("take", i)
        prov.setdefault("takes", n)
        timings = dict(prov.get("timings") or {})
        if lazy and timings.get("generate") is None:
            timings["generate"] = round(waited, 4)
        prov["timings"] = timings
        take_stem = stem if n == 1 else stem.with_name(f"{stem.name}-{i}")
        results.append(write_take(piece, take_stem, provenance=prov, **options))
