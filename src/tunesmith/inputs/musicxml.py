"""MusicXML reader (.musicxml, .xml, .mxl) through music21 (~0.1 s a lead sheet).

music21 parses XML with xml.etree (no external entities or DTD fetching) and never opens a
URL for a local path; we hand it the bytes of a checked local file. `<harmony>` elements
become ChordSymbols with canonical figures ("Dm7", "G7", "Cmaj7", "Bb7", "C/E"); repeats are
not expanded; the first part is the melody unless part names say otherwise.
"""

from __future__ import annotations

import io
import os
import warnings
import zipfile

from ..convert import from_music21
from ..score import Piece
from . import InputError, check_local_file, piece_stem


def _xml_bytes(p) -> bytes:
    data = p.read_bytes()
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = [n for n in z.namelist() if not n.startswith("META-INF") and n.lower().endswith((".xml", ".musicxml"))]
                container = z.read("META-INF/container.xml").decode("utf-8", "replace") if "META-INF/container.xml" in z.namelist() else ""
                import re

                m = re.search(r'full-path="([^"]+)"', container)
                name = m.group(1) if m and m.group(1) in z.namelist() else (names[0] if names else None)
                if name is None:
                    raise InputError(f"{p}: .mxl archive holds no MusicXML file")
                return z.read(name)
        except zipfile.BadZipFile as e:
            raise InputError(f"{p}: corrupt .mxl archive ({e})") from e
    return data


def _check_xml(p, data: bytes) -> None:
    import defusedxml.ElementTree as DET

    head = data[:2048].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if not head.startswith("<"):
        raise InputError(f"{p}: not a MusicXML file (does not start with '<')")
    try:
        root = DET.fromstring(data)  # safe parse: refuses entity expansion / external DTDs
    except DET.ParseError as e:
        raise InputError(f"{p}: malformed XML ({e})") from e
    except Exception as e:  # noqa: BLE001 - defusedxml's DTD/entity refusals
        raise InputError(f"{p}: unsafe or invalid XML ({type(e).__name__}: {e})") from e
    if root.tag not in ("score-partwise", "score-timewise"):
        raise InputError(f"{p}: XML root is <{root.tag}>, not a MusicXML score")


def read_musicxml(path: str | os.PathLike, *, source: str = "", style: str = "", license: str = "unknown") -> list[Piece]:
    """One Piece for a MusicXML / compressed MusicXML file."""
    from music21 import converter

    p = check_local_file(path)
    data = _xml_bytes(p)
    _check_xml(p, data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = converter.parseData(data.decode("utf-8", "replace") if data[:3] != b"\xef\xbb\xbf" else data[3:].decode("utf-8", "replace"), format="musicxml")
    except Exception as e:  # noqa: BLE001
        raise InputError(f"{p}: music21 could not read the MusicXML ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})") from e
    stem = piece_stem(p, source)
    piece = from_music21(
        s, piece_id=stem, work_id=stem, path=str(p), source=source, style=style, license=license, meta={"file": p.name}
    )
    if not piece.title or piece.title.lower() in ("", "title", "untitled", "music21"):
        piece.title = p.stem
    if not piece.tracks and not piece.chords:
        raise InputError(f"{p}: MusicXML score has no notes")
    return [piece]
