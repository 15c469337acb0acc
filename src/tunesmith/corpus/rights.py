"""Per-piece rights where a source's metadata can decide them.

OpenEWLD ships a SQLite database with each work's first-performance date and its genres.
The set as a whole is research-only (its scores are only "intended" to be public domain),
but a work first performed before 1931 is in the public domain in the United States as of
2026 (works published in 1930 entered it on 1 January 2026), so those lead sheets may train
a model that ships. A work with no date whose named authors all died in 1930 or before was
written before 1931 too, by authors dead for more than 70 years (Stephen Foster's "Oh!
Susanna", 1848, has no date in the database and had been called research-only): public domain
as well. A work credited to "[Traditional]" is not: the database credits Vavilov's "Ave Maria"
(1970) to Caccini and tradition. The genres also say which lead sheets are popular songs rather
than jazz.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from pathlib import Path
from typing import Any

from tunesmith.score import Piece

US_PUBLIC_DOMAIN_BEFORE = 1931  # first publication year strictly before this: public domain in the US (2026)
AUTHORS_DIED_BY = 1930  # an undated work whose authors all died by then: written before 1931
POP_GENRES = {"Pop", "Rock", "Stage & Screen", "Funk / Soul", "Folk, World, & Country"}


@functools.lru_cache(maxsize=4)
def _openewld_table(db_path: str) -> dict[str, dict[str, Any]]:
    """{path_leadsheet: {"year": int|None, "genres": [..], "authors": [(name, death year|None), ..]}}
    read once per process (read-only)."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        works = {
            wid: {"path": path, "year": _year(date), "genres": [], "authors": []}
            for wid, path, date in con.execute("SELECT id, path_leadsheet, first_performance_date FROM works")
        }
        for wid, genre, _ in con.execute("SELECT id, genre, occurrences FROM work_genres ORDER BY occurrences DESC"):
            if wid in works:
                works[wid]["genres"].append(genre)
        tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if {"work_author", "authors"} <= tables:
            rows = con.execute("SELECT wa.id, wa.author, a.death FROM work_author wa "
                               "LEFT JOIN authors a ON a.common_name = wa.author ORDER BY wa.id, wa.author")  # fmt: skip
            for wid, name, death in rows:
                if wid in works:
                    works[wid]["authors"].append((str(name), _year(death)))
    finally:
        con.close()
    return {w["path"]: w for w in works.values()}


def _year(date: Any) -> int | None:
    """The year of a database date ("1848-00-00", "1864-01-13"), or None."""
    text = str(date or "")[:4]
    return int(text) if text.isdigit() and int(text) > 0 else None


def authors_died_by(authors: list[tuple[str, int | None]], year: int = AUTHORS_DIED_BY) -> bool:
    """Whether a work has named authors and every one of them died in `year` or before (an author
    without a death year, or credited as "[Traditional]", keeps the work out)."""
    return bool(authors) and all(not name.startswith("[") and died is not None and died <= year for name, died in authors)


def refine_openewld(piece: Piece, path: str, root: Path) -> None:
    """Set license (public domain if first performed before 1931, or undated by authors who all
    died by 1930), style (pop or jazz) and meta (the year, genres, authors)."""
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
    year, genres, authors = work["year"], work["genres"], work.get("authors", [])
    piece.meta["first_performance_year"] = year
    piece.meta["genres"] = genres
    if authors:
        piece.meta["composers"] = [name for name, _ in authors]
    if year is not None and year < US_PUBLIC_DOMAIN_BEFORE:
        piece.license = "public-domain"
        piece.meta["rights_basis"] = f"first performed {year}: public domain in the US"
    elif year is None and authors_died_by(authors):
        died = ", ".join(f"{name} {d}" for name, d in authors)
        piece.meta["rights_basis"] = f"undated; its authors died by {AUTHORS_DIED_BY} ({died}): public domain"
        piece.license = "public-domain"
    if genres and "Jazz" not in genres and genres[0] in POP_GENRES:
        piece.style = "pop"


# The Nottingham database is GPL-3.0 as a set of transcriptions, and most of its tunes are
# traditional; but the transcriptions' license does not license a composition still in copyright.
# Its `S:` (source) field dates some tunes to when they were written (Bob McQuillen's of 1973-78,
# Chris Dewhurst's of 1978-89, ...), or names a twentieth-century composer, show, film or band;
# a few titles are such works whatever the field says. A rights analyst found Lloyd Webber's
# "Close Every Door" (S:Joseph) among the shipped model's training tunes. These tunes are
# research-only: the composition may be in copyright. The names err on the side of leaving a tune
# out (a band's recording of a traditional tune is left out too).
_DATED_SOURCE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}\.\d{1,2}\.\d{2}\b|\b(?:Jan|Feb|March|April|June|July|Aug|Sept|Oct|Nov|Dec)\w* '?\d{2}\b")
NOTTINGHAM_MODERN_SOURCES = (
    "Joseph", "Mark Knopfler", "Sharon Shannon", "Phil Cunningham", "Wolfstone", "Alistair Anderson", "John Kirkpatrick",
    "Jimmy Shand", "T. Shand", "Ralph Page", "Pat Shuldam-Shaw", "Nan Fleming", "Tom Anderson", "Tommy Anderson",
    "T Anderson", "Andrew Rankine", "Dennis Salter", "Bob McQuillen", "Chris Dewhurst", "John Goodacre", "Mike Richardson",
    "Bryon Bonnett", "Ken Hillyer", "Gordon Tyrall", "Taize",
    # named by a clearance officer (session 52), and the composers beside them in the source fields:
    # Sydney Carter's "Lord of the Dance" (1963), Hugh Barwell's ("By Hugh Barwell"), Billy Pigg's
    # (d. 1968), Micheal Gorman's (d. 1970), the source fields' own misspelling of Bob McQuillen, and
    # twentieth-century fiddlers', pipers' and dance composers' tunes and adaptations
    "Sydney Carter", "Hugh Barwell", "Billy Pigg", "Micheal Gorman", "Bob McQuillan", "Jim Johnstone", "Ian MacPhail",
    "I. MacPhail", "Jerry Robichaud", "Judi Morningstar", "Rosemary Redpath", "Philip Rowe", "Maurice-Smith",
    "Heather Bexon",
)  # fmt: skip
NOTTINGHAM_MODERN_TITLES = ("Close Every Door", "Great is Thy Faithfulness", "CAL 1", "CAL 2")


def refine_nottingham(piece: Piece) -> None:
    """Research-only where the tune's source field or title says the composition may be in
    copyright (`NOTTINGHAM_MODERN_SOURCES`, a date in the field, `NOTTINGHAM_MODERN_TITLES`)."""
    source = str(piece.meta.get("abc_source") or "")
    named = next((name for name in NOTTINGHAM_MODERN_SOURCES if re.search(rf"\b{re.escape(name)}\b", source)), None)
    dated = _DATED_SOURCE.search(source)
    if named is None and dated is None and piece.title not in NOTTINGHAM_MODERN_TITLES:
        return
    why = (f"its source field names {named!r}" if named else f"its source field dates it ({dated.group(0)})" if dated
           else f"{piece.title!r} is a twentieth-century composition")  # fmt: skip
    piece.license = "research-only"
    piece.meta["rights_basis"] = (f"{why}: the composition may be in copyright, which the transcription's GPL-3.0 "
                                  "does not license")  # fmt: skip


def refine_rights(source: str, default_license: str, piece: Piece, path: str, root: Path | None) -> None:
    """Apply what a source's own metadata says about one piece; only when the user kept the default license."""
    if source == "openewld" and default_license == "research-only" and root is not None:
        refine_openewld(piece, path, root)
    if source == "nottingham" and default_license == "GPL-3.0":
        refine_nottingham(piece)
