"""Per-piece rights where a source's metadata can decide them.

OpenEWLD ships a SQLite database with each work's first-performance date and its genres.
The set as a whole is research-only (its scores are only "intended" to be public domain),
but a work first performed before 1931 is in the public domain in the United States as of
2026 (works published in 1930 entered it on 1 January 2026), so those lead sheets may train
a model that ships. The genres also say which lead sheets are popular songs rather than jazz.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path
from typing import Any

from tunesmith.score import Piece

US_PUBLIC_DOMAIN_BEFORE = 1931  # first publication year strictly before this: public domain in the US (2026)
POP_GENRES = {"Pop", "Rock", "Stage & Screen", "Funk / Soul", "Folk, World, & Country"}


@functools.lru_cache(maxsize=4)
def _openewld_table(db_path: str) -> dict[str, dict[str, Any]]:
    """{path_leadsheet: {"year": int|None, "genres": [..]}} read once per process (read-only)."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        works = {
            wid: {"path": path, "year": int(date[:4]) if date and date[:4].isdigit() else None, "genres": []}
            for wid, path, date in con.execute("SELECT id, path_leadsheet, first_performance_date FROM works")
        }
        for wid, genre, _ in con.execute("SELECT id, genre, occurrences FROM work_genres ORDER BY occurrences DESC"):
            if wid in works:
                works[wid]["genres"].append(genre)
    finally:
        con.close()
    return {w["path"]: w for w in works.values()}


def refine_openewld(piece: Piece, path: str, root: Path) -> None:
    """Set license (public domain if first performed before 1931), style (pop or jazz) and meta."""
    db = root / "OpenEWLD.db"
    if not db.is_file():
        return
    try:
        rel = Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return
    work = _openewld_table(str(db)).get(rel)
    if work is None:
        return
    year, genres = work["year"], work["genres"]
    piece.meta["first_performance_year"] = year
    piece.meta["genres"] = genres
    if year is not None and year < US_PUBLIC_DOMAIN_BEFORE:
        piece.license = "public-domain"
        piece.meta["rights_basis"] = f"first performed {year}: public domain in the US"
    if genres and "Jazz" not in genres and genres[0] in POP_GENRES:
        piece.style = "pop"


def refine_rights(source: str, default_license: str, piece: Piece, path: str, root: Path | None) -> None:
    """Apply what a source's own metadata says about one piece; only when the user kept the default license."""
    if source == "openewld" and default_license == "research-only" and root is not None:
        refine_openewld(piece, path, root)
