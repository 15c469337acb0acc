"""Per-piece rights from a source's own metadata (OpenEWLD's database)."""

import sqlite3

from tunesmith.corpus.rights import refine_rights
from tunesmith.score import Piece


def _openewld(tmp_path, rows, authors=None):
    """A database of `rows` (path, date, genres); `authors`: {row index: [(name, death date)]}."""
    root = tmp_path / "openewld"
    root.mkdir()
    con = sqlite3.connect(root / "OpenEWLD.db")
    if authors is not None:  # the authors tables, as OpenEWLD's
        con.execute("CREATE TABLE authors (common_name STRING PRIMARY KEY, birth DATE, death DATE, nationality STRING)")
        con.execute("CREATE TABLE work_author (id INTEGER, author STRING, PRIMARY KEY(id, author))")
        for i, names in authors.items():
            for name, death in names:
                con.execute("INSERT OR IGNORE INTO authors VALUES (?, NULL, ?, NULL)", (name, death))
                con.execute("INSERT INTO work_author VALUES (?, ?)", (i, name))
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


def test_an_undated_work_whose_authors_all_died_by_1930_is_public_domain(tmp_path):
    """Oh! Susanna (Foster, d. 1864) has no date in OpenEWLD and had been called research-only;
    a work with one living-into-1931 author, with an author of unknown death, or credited to
    "[Traditional]" (the database's credit for Vavilov's 1970 "Ave Maria") stays research-only."""
    root = _openewld(tmp_path, [
        ("dataset/A/susanna.mxl", None, ["Folk, World, & Country"]),
        ("dataset/B/two.mxl", None, []),
        ("dataset/C/trad.mxl", None, []),
        ("dataset/D/unknown.mxl", None, []),
        ("dataset/E/none.mxl", None, []),
    ], authors={
        0: [("Stephen Foster", "1864-01-13")],
        1: [("Stephen Foster", "1864-01-13"), ("George M. Cohan", "1942-11-05")],
        2: [("[Traditional]", None)],
        3: [("Someone", None)],
    })
    got = {}
    for rel in ("A/susanna", "B/two", "C/trad", "D/unknown", "E/none"):
        piece, path = _piece(root, f"dataset/{rel}.mxl")
        refine_rights("openewld", "research-only", piece, path, root)
        got[rel] = piece
    assert got["A/susanna"].license == "public-domain"
    assert "Stephen Foster 1864" in got["A/susanna"].meta["rights_basis"]
    assert got["A/susanna"].meta["composers"] == ["Stephen Foster"]
    assert [got[k].license for k in ("B/two", "C/trad", "D/unknown", "E/none")] == ["research-only"] * 4
    assert "rights_basis" not in got["B/two"].meta


def _nottingham_tune(source: str, title: str = "A Tune") -> Piece:
    piece = Piece(piece_id="nottingham:x.abc#1", work_id="w", title=title, source="nottingham", license="GPL-3.0")
    if source:
        piece.meta["abc_source"] = source
    refine_rights("nottingham", "GPL-3.0", piece, "x.abc", None)
    return piece


def test_a_nottingham_tune_its_source_field_dates_or_credits_to_a_modern_composer_is_research_only():
    """The transcriptions' GPL does not license a composition in copyright: a rights analyst found
    Lloyd Webber's "Close Every Door" (S:Joseph) in the shipped model's training tunes."""
    for source in ("Joseph", "Bob McQuillen March 1977, via PR", "Chris Dewhurst (1983), via PR", "13.2.91, via Phil Rowe",
                   "David Bradley (Feb 89), via PR", "Wolfstone Arr Hamish, via EF",
                   # a clearance officer's (session 52): Lord of the Dance, and the composers beside it
                   "Sydney Carter, arr Eric", "By Hugh Barwell, via PR", "Billy Pigg, via EF", "Bob McQuillan, via Phil Rowe",
                   "I. MacPhail, via PR", "Adatpted by Fi Maurice-Smith, via PR", "Philip Rowe"):  # fmt: skip
        piece = _nottingham_tune(source)
        assert piece.license == "research-only", source
        assert "may be in copyright" in piece.meta["rights_basis"]
    assert _nottingham_tune("", title="Great is Thy Faithfulness").license == "research-only"


def test_a_traditional_nottingham_tune_stays_gpl():
    for source in ("", "Trad, arr Phil Rowe", "Kevin Briggs, via EF", "Playford", "O'Neill, via EF", "Josephine's Fancy"):
        piece = _nottingham_tune(source)
        assert piece.license == "GPL-3.0" and "rights_basis" not in piece.meta, source


def test_a_jsb_chorale_is_named_as_bachs_chorales_are_known():
    """A JSB chorale matched to a music21 chorale ("bach:R<n>") takes its title and BWV number from
    music21's chorale list: a clearance officer's Bach soprano had been named "JSB chorale train
    133". A chorale the list does not know, or another work, keeps its title."""
    from tunesmith.corpus.dedupe import chorale_title

    assert chorale_title("bach:R350", "JSB chorale train 0") == "Jesu, meiner Freuden Freude (BWV 360; JSB chorale train 0)"
    assert chorale_title("bach:R99999", "JSB chorale train 0") == "JSB chorale train 0"
    assert chorale_title("bach:R273", "JSB chorale train 133", "80.8") == "Chorale BWV 80.8 (JSB chorale train 133)"
    assert chorale_title("nottingham:x.abc#1", "JSB chorale train 0") == "JSB chorale train 0"
    assert chorale_title("bach:R350", "Jesu, meiner Freuden Freude") == "Jesu, meiner Freuden Freude"
