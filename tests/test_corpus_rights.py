"""Per-piece rights from a source's own metadata (OpenEWLD's database)."""

import sqlite3

from tunesmith.corpus.rights import refine_rights
from tunesmith.score import Piece


def _openewld(tmp_path, rows):
    root = tmp_path / "openewld"
    root.mkdir()
    con = sqlite3.connect(root / "OpenEWLD.db")
    con.execute("CREATE TABLE works (id INTEGER PRIMARY KEY, title STRING, first_performance_date DATE, "
                "language STRING, path_lyrics STRING, path_leadsheet STRING)")
    con.execute("CREATE TABLE work_genres (id INTEGER, genre STRING, occurrences INTEGER)")
    for i, (path, date, genres) in enumerate(rows):
        con.execute("INSERT INTO works VALUES (?, ?, ?, 'English', '', ?)", (i, path, date, path))
        for n, g in enumerate(genres):
            con.execute("INSERT INTO work_genres VALUES (?, ?, ?)", (i, g, 10 - n))
    con.commit()
    con.close()
    return root


def _piece(root, rel):
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_bytes(b"")
    return Piece(piece_id=rel, work_id=rel, style="jazz", source="openewld", license="research-only"), str(root / rel)


def test_openewld_before_1931_is_public_domain_and_pop_genre_is_pop(tmp_path):
    root = _openewld(tmp_path, [
        ("dataset/A/old.mxl", "1910-00-00", ["Pop", "Stage & Screen"]),
        ("dataset/B/new.mxl", "1945-03-01", ["Jazz", "Pop"]),
        ("dataset/C/undated.mxl", None, []),
    ])
    old, old_path = _piece(root, "dataset/A/old.mxl")
    new, new_path = _piece(root, "dataset/B/new.mxl")
    undated, undated_path = _piece(root, "dataset/C/undated.mxl")
    for piece, path in ((old, old_path), (new, new_path), (undated, undated_path)):
        refine_rights("openewld", "research-only", piece, path, root)
    assert (old.license, old.style, old.meta["first_performance_year"]) == ("public-domain", "pop", 1910)
    assert (new.license, new.style) == ("research-only", "jazz")
    assert (undated.license, undated.style) == ("research-only", "jazz")


def test_a_user_override_is_never_loosened(tmp_path):
    root = _openewld(tmp_path, [("dataset/A/old.mxl", "1910-00-00", ["Pop"])])
    piece, path = _piece(root, "dataset/A/old.mxl")
    piece.license = "non-commercial"
    refine_rights("openewld", "non-commercial", piece, path, root)
    assert piece.license == "non-commercial"
