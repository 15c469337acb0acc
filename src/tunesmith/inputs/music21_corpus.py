"""Paths of the music21 corpus collections we learn from (the corpus ships in the music21
wheel; its encodings are for non-commercial use: license "non-commercial").

`list_music21_sources()` returns (collection, path) pairs; read them with `read_music21_source`
(or `tunesmith.inputs.read_file`, then `enrich_chorale_meta`). Collections:
- "bach_chorales": the 371 Riemenschneider chorales (`corpus.chorales.Iterator`), .mxl (a few
  .xml/.krn), meta bwv / riemenschneider / kalmus / baerenreiter numbers, work_id "bwv:<n>";
- "essen": Essen folk songs (essenFolksong/*.abc, many tunes a file);
- "oneills1850": O'Neill's 1850 Irish tunes (*.abc);
- "ryans_mammoth": Ryan's Mammoth Collection (*.abc, one tune a file);
- "airds_airs": Aird's Airs (*.abc).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from ..score import Piece

COLLECTIONS = {
    "bach_chorales": "bach",
    "essen": "essenFolksong",
    "oneills1850": "oneills1850",
    "ryans_mammoth": "ryansMammoth",
    "airds_airs": "airdsAirs",
}
STYLE = {"bach_chorales": "chorale", "essen": "folk", "oneills1850": "folk", "ryans_mammoth": "folk", "airds_airs": "folk"}
LICENSE = "non-commercial"


def corpus_root() -> Path:
    import music21.corpus

    return Path(music21.corpus.__file__).parent


@lru_cache(maxsize=1)
def _chorale_table() -> dict[str, dict]:
    from music21 import corpus

    table: dict[str, dict] = {}
    for info in corpus.chorales.ChoraleList().byBWV.values():
        table[str(info["bwv"])] = dict(info)
    return table


@lru_cache(maxsize=1)
def _riemenschneider_by_stem() -> dict[str, int]:
    """'bwv269' -> 1: position in music21's chorale Iterator (Riemenschneider order 1..371)."""
    from music21 import corpus

    it = corpus.chorales.Iterator(returnType="filename")
    names = list(it)
    return {name.split("/")[-1]: int(number) for number, name in zip(it.numberList, names)}


def chorale_info(path: str | os.PathLike) -> dict:
    """BWV / Riemenschneider / title of a chorale file path ('.../bwv269.mxl' -> bwv '269')."""
    m = re.match(r"bwv(\d+(?:\.\d+)?)", Path(path).stem)
    if not m:
        return {}
    bwv = m.group(1)
    table = _chorale_table()
    info = table.get(bwv) or table.get(bwv.split(".")[0]) or {}
    out: dict = {"bwv": bwv}
    riemenschneider = _riemenschneider_by_stem().get(Path(path).stem)
    if riemenschneider is not None:
        out["riemenschneider"] = riemenschneider
    for k in ("kalmus", "baerenreiter", "budapest", "title"):
        if info.get(k) not in (None, ""):
            out[k] = info[k]
    return out


def list_music21_sources(collections: list[str] | None = None) -> list[tuple[str, Path]]:
    """(collection, path) pairs, sorted, for the requested collections (default: all)."""
    root = corpus_root()
    out: list[tuple[str, Path]] = []
    for name in collections or list(COLLECTIONS):
        if name not in COLLECTIONS:
            raise ValueError(f"unknown music21 collection {name!r}; one of {', '.join(COLLECTIONS)}")
        if name == "bach_chorales":
            from music21 import corpus

            seen = set()
            for work in corpus.chorales.Iterator(returnType="filename"):
                stem = work.split("/")[-1]
                for ext in (".mxl", ".xml", ".musicxml", ".krn"):
                    p = root / "bach" / f"{stem}{ext}"
                    if p.exists() and p not in seen:
                        seen.add(p)
                        out.append((name, p))
                        break
        else:
            folder = root / COLLECTIONS[name]
            out.extend((name, p) for p in sorted(folder.glob("*.abc")))
    return out


def enrich_chorale_meta(piece: Piece, path: str | os.PathLike) -> Piece:
    info = chorale_info(path)
    if info:
        piece.meta.update({k: v for k, v in info.items() if k != "title"})
        piece.work_id = f"bwv:{info['bwv']}"
        if info.get("title") and (not piece.title or piece.title.startswith("bwv")):
            piece.title = str(info["title"])
    return piece


def read_music21_source(collection: str, path: str | os.PathLike, **kw: object) -> list[Piece]:
    """Read one corpus file with the right reader, style, license and identifiers."""
    from . import read_file

    kw.setdefault("source", f"music21:{collection}")
    kw.setdefault("style", STYLE.get(collection, ""))
    kw.setdefault("license", LICENSE)
    pieces = read_file(path, **kw)
    for piece in pieces:
        piece.meta["collection"] = collection
        if collection == "bach_chorales":
            enrich_chorale_meta(piece, path)
            _satb_roles(piece)
        elif collection == "essen":
            piece.work_id = f"essen:{Path(path).stem}:{piece.meta.get('abc_ref', '')}"
        else:
            piece.work_id = f"{collection}:{Path(path).stem}:{piece.meta.get('abc_ref', '')}"
    return pieces


def _satb_roles(piece: Piece) -> None:
    """Chorale parts named or ordered Soprano, Alto, Tenor, Bass (by mean pitch when unnamed)."""
    roles = [t.role for t in piece.tracks]
    if sorted(roles) == sorted(["soprano", "alto", "tenor", "bass"]):
        return
    pitched = [t for t in piece.tracks if t.notes and not t.is_drum]
    if len(pitched) == 4:
        ordered = sorted(pitched, key=lambda t: -sum(n.pitch for n in t.notes) / len(t.notes))
        for t, role in zip(ordered, ("soprano", "alto", "tenor", "bass")):
            t.role = role
        piece.tracks.sort(key=lambda t: ("soprano", "alto", "tenor", "bass").index(t.role) if t.role in ("soprano", "alto", "tenor", "bass") else 9)
