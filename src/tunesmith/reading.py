"""Reading music for the API: `read` (a file as a Piece, its style found again), `provenance`
(how a file says it was made) and the music a co-create verb is given (a Take, a Piece or a file),
with what that file records of itself: its style, how it was made and which notes were the
musician's. Split from api.py (session 40), which re-exports `read` and `provenance`."""

from __future__ import annotations

import copy
import functools
import os
from pathlib import Path
from typing import Any

from tunesmith.score import STYLES, Piece
from tunesmith.take import Take


def read(path: str | os.PathLike, *, tune: int = 1) -> Piece:
    """Tune number `tune` (1-based) of a MIDI, ABC, MusicXML, kern ... file, within the limits of
    any input file (`limits`: 32 MiB, 10,000 bars; co-create's verbs keep their own, tighter, when
    given the piece). tunesmith's own files come back with their style (a MIDI "style:" marker,
    else the take's STEM.json beside it)."""
    from tunesmith.cocreate import load_piece

    return style_from_sidecar(load_piece(path, tune=tune, scope="file"), path)


def provenance(path: str | os.PathLike) -> dict[str, Any]:
    """How a .mid, .musicxml or .wav file says it was made, read from the file itself: the
    embedded fields (model, seed, request, training-data licenses, AI disclosure) and, for a WAV,
    its C2PA Content Credentials and whether the file is unchanged since they were signed."""
    from tunesmith.rights.provenance import read_provenance

    return read_provenance(path)



def _source_piece(source: Take | Piece | str | os.PathLike, tune: int) -> tuple[Piece, dict | None]:
    from tunesmith.cocreate import load_piece
    from tunesmith.cocreate.inputs import check_given_piece
    from tunesmith.rights.provenance import made_how

    if isinstance(source, (Take, Piece)):
        # first, before anything reads its bars: the limits a file given here keeps (a Piece with a
        # note of 1e9 beats had held continue_ for minutes and 19 GB while its bar lines were listed)
        check_given_piece(source.piece if isinstance(source, Take) else source)
    if isinstance(source, Take):
        return copy.deepcopy(source.piece), {"take_of": source.provenance.get("request"),
                                             "made_how": made_how(source.provenance)}  # fmt: skip
    # (a file's own request, where it is a take, is read again by `_input_musicians_notes`)
    if isinstance(source, Piece):
        from tunesmith.limits import clip_names

        piece = copy.copy(source)  # its text as a file's is read (no control characters), the caller's left as it was
        piece.tracks = [copy.copy(t) for t in source.tracks]
        piece.meta = dict(source.meta)
        clip_names(piece)
        return piece, None
    from tunesmith.inputs import name_text, refuse_url
    from tunesmith.outputs.bundle import path_sha256

    p = Path(refuse_url(source))
    # the file's name only: a path, even relative to the working folder, names the machine's
    # folders (run from /, "tmp/trial22/mine/mytune.mid" went into every file of the take)
    record = {"path": name_text(p.name), "name": name_text(p.name), "tune": tune, "sha256": path_sha256(p) if p.is_file() else None}
    piece = style_from_sidecar(load_piece(p, tune=tune), p)
    record["made_how"] = _file_made_how(p)
    return piece, record


def _input_musicians_notes(source: Any, piece: Piece, source_record: dict | None) -> set | None:
    """The (pitch, onset) pairs of the musician's own notes in an input that tunesmith co-created
    (its melody, where it was harmonized; its given bars, where it was continued), by the request
    it records; None where it records none. A fiddler's melody, harmonized and then given new
    chords (inpaint --keep melody), had been checked whole and called close to a training tune."""
    from tunesmith.rights.check import musicians_notes

    if isinstance(source, Take):
        request = source.provenance.get("request")
    elif isinstance(source, (str, os.PathLike)):
        request = _file_fields(source).get("request")
    else:  # a Piece records no request
        return None
    return musicians_notes(piece, request)[0]


def _file_fields(path: str | os.PathLike) -> dict:
    """The provenance fields a file records in itself (`read_provenance`), {} where it records none,
    is not a kind that can (`PROVENANCE_KINDS`) or cannot be read. One read per file version:
    co-create asks three times of one input (its style, how it was made, the musician's notes)."""
    from tunesmith.rights.provenance import PROVENANCE_KINDS

    p = Path(os.fspath(path))
    if p.suffix.lower() not in PROVENANCE_KINDS:
        return {}
    try:
        st = p.stat()
    except OSError:
        return {}
    return _file_fields_of(str(p.resolve()), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=8)
def _file_fields_of(path: str, mtime_ns: int, size: int) -> dict:
    from tunesmith.rights.provenance import read_provenance

    try:
        return read_provenance(path).get("fields") or {}
    except (ValueError, OSError):
        return {}


def _file_made_how(path: Path) -> str:
    """How an input file was made, by its own metadata: a tunesmith take says "generated" or
    "co-created" (its notes are not the musician's), any other file is the musician's."""
    from tunesmith.rights.provenance import made_how

    fields = _file_fields(path)
    return made_how(fields) if fields else "musician"


def style_from_sidecar(piece: Piece, path: str | os.PathLike | None) -> Piece:
    """A piece read from one of tunesmith's takes gets the take's style back from STEM.json
    beside it when the file itself does not say (MusicXML, ABC; MIDI carries a "style:" marker),
    else from the request the file records in itself (a MusicXML's <identification>): a jazz
    take's MusicXML copied without its JSON had been continued as folk."""
    if piece.style or not path:
        return piece
    import json
    import stat

    from tunesmith.limits import limit

    sidecar = Path(os.fspath(path)).with_suffix(".json")
    try:
        # only a regular file within the file limit, and nesting refused as any unreadable JSON is: a
        # pipe named tune.json beside tune.musicxml had hung `check`, a link to /dev/zero had filled
        # the memory, and brackets nested 100,000 deep had failed co-create as "RecursionError"
        st = os.stat(sidecar)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit("MAX_FILE_BYTES"):
            raise ValueError(f"{sidecar}: not a take's JSON")
        record = json.loads(sidecar.read_text(encoding="utf-8"))
        style = (record.get("piece") or {}).get("style") or (record.get("request") or {}).get("style")
    except (OSError, ValueError, AttributeError, RecursionError):
        request = _file_fields(path).get("request")
        style = request.get("style") if isinstance(request, dict) else None
    if isinstance(style, str) and style.lower() in STYLES:
        piece.style = style.lower()
    return piece
