"""`tunesmith preferences import|export|fit` and the ratings store's CSV: an import is all or
nothing and skips pairs already stored, the header is read by column names (a BOM, CRLF, any
order), every bad file or row is one line naming it, an export writes paths relative to the CSV
(atomically), and a fit reports its own raters and warns when its accuracy says little."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tunesmith.ratings import RatingsStore


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# ------------------------------------------------------------------ all or nothing, no doubles
def test_an_import_with_a_bad_row_stores_nothing(takes, tmp_path):
    csv = write(takes[0].parent / "bad.csv",
                "preferred,other,rater\nt-1.json,t-2.json,ann\nmissing.json,t-2.json,ann\nt-3.json,t-4.json,ann\n")  # fmt: skip
    with RatingsStore(tmp_path / "r.db") as store:
        with pytest.raises(ValueError, match=r"bad.csv: 1 bad row\(s\), nothing imported: row 3: .*missing.json: no take JSON"):
            store.import_csv(csv)
        assert store.counts() == {"takes": 0, "ratings": 0, "pairs": 0, "raters": []}
        same = write(takes[0].parent / "same.csv", "preferred,other\nt-1.json,t-2.json\nt-3.json,t-3.json\n")
        with pytest.raises(ValueError, match=r"same.csv: 1 bad row\(s\), nothing imported: row 3: t-3.json and t-3.json are the same take"):
            store.import_csv(same)
        assert store.counts()["pairs"] == 0


def test_importing_a_csv_twice_adds_its_pairs_once(takes, tmp_path):
    csv = write(takes[0].parent / "twice.csv",
                "preferred,other,rater\nt-1.json,t-2.json,ann\nt-3.json,t-4.json,ann\nt-3.json,t-4.json,bob\n")  # fmt: skip
    with RatingsStore(tmp_path / "r.db") as store:
        assert store.import_csv_report(csv) == {"imported": 3, "skipped_duplicates": 0, "rows": 3}
        assert store.import_csv_report(csv) == {"imported": 0, "skipped_duplicates": 3, "rows": 3}
        assert store.counts()["pairs"] == 3
        store.prefer(takes[4], takes[5], rater="ann")  # not in the file: unaffected
        assert store.import_csv(csv) == 0 and store.counts()["pairs"] == 4


def test_cli_import_reports_skipped_pairs(takes, tmp_path, monkeypatch, capsys):
    from tunesmith.cli import main

    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    csv = write(takes[0].parent / "cli.csv", "preferred,other\nt-1.json,t-2.json\n")
    assert main(["preferences", "import", str(csv), "--rater", "ann", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported_pairs"] == 1
    assert main(["preferences", "import", str(csv), "--rater", "ann"]) == 0
    assert "imported 0 pairs, 1 already stored skipped" in capsys.readouterr().out
    bad = write(takes[0].parent / "cli-bad.csv", "preferred,other\nt-3.json,t-4.json\n,t-1.json\n")
    assert main(["preferences", "import", str(bad)]) == 2
    assert "cli-bad.csv: 1 bad row(s), nothing imported: row 3: empty 'preferred' cell" in capsys.readouterr().err
    with RatingsStore() as store:
        assert store.counts()["pairs"] == 1


# ------------------------------------------------------------------ the header
def test_the_header_is_read_by_name_in_any_order_with_a_bom_and_crlf(takes, tmp_path):
    folder = takes[0].parent
    with RatingsStore(tmp_path / "r.db") as store:
        ids = [store.add_take(t) for t in takes]
        assert store.import_csv(write(folder / "swapped.csv", "other,preferred\nt-1.json,t-2.json\n")) == 1
        assert store.pairs(stars=False)[-1][1:] == (ids[1], ids[0])  # t-2 preferred, as its column says
        excel = write(folder / "excel.csv", "\ufeffRater,Preferred,Other\r\nann,t-3.json,t-4.json\r\n\r\n")
        assert store.import_csv(excel) == 1
        assert store.pairs(stars=False)[-1] == ("ann", ids[2], ids[3])
        semi = write(folder / "semi.csv", "preferred;other\nt-5.json;t-6.json\n")
        assert store.import_csv(semi, rater="bob") == 1
        assert store.pairs(stars=False)[-1] == ("bob", ids[4], ids[5])
        # a spreadsheet's own column (a comment) is read past, not refused
        noted = write(folder / "noted.csv", "preferred,other,comment\nt-6.json,t-5.json,the second one drags\n")
        assert store.import_csv(noted, rater="cy") == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("prefered,other,rater\nt-1.json,t-2.json,ann\n",
         r"h.csv: unknown column 'prefered' in the header \(did you mean 'preferred'\?\); the columns are preferred,other"),
        ("t-1.json,t-2.json\n", r"h.csv: row 1 is not a header; the first row must name the columns: preferred,other"),
        ("preferred,rater\nt-1.json,ann\n", r"h.csv: the header has no 'other' column"),
        ("preferred,other,other\nt-1.json,t-2.json,t-3.json\n", r"h.csv: column 'other' given twice in the header"),
        ("preferred,other,rater\n,t-2.json,ann\n", r"h.csv: 1 bad row\(s\), nothing imported: row 2: empty 'preferred' cell"),
        ("preferred,other,rater\nt-1.json\n", r"h.csv: 1 bad row\(s\), nothing imported: row 2: empty 'other' cell"),
        ("preferred,other,rater\nt-1.json,t-2.json,ann,extra\n", r"h.csv: 1 bad row\(s\), nothing imported: row 2: 4 cells, but the header names 3"),
        # every bad row at once (one a run had taken three edits)
        ("preferred,other\n,t-2.json\nt-1.json,t-2.json\nt-3.json,t-3.json\nmissing.json,t-1.json\n",
         r"h.csv: 3 bad row\(s\), nothing imported: row 2: empty 'preferred' cell; row 4: t-3.json and t-3.json are the "
         r"same take.*; row 5: .*missing.json: no take JSON; name the STEM.json"),
        # a row whose two takes are both missing is one bad row, its two problems both said
        ("preferred,other\nnope1.json,nope2.json\n",
         r"h.csv: 1 bad row\(s\), nothing imported: row 2: .*nope1.json: no take JSON.*; row 2: .*nope2.json: no take JSON"),
        ("", r"h.csv: empty; expected a header row preferred,other"),
        ("preferred,other\nhttp://127.0.0.1/a.json,t-2.json\n",
         r"h.csv: 1 bad row\(s\), nothing imported: row 2: http://127.0.0.1/a.json: URLs are not read"),
    ],
)  # fmt: skip
def test_a_bad_header_or_cell_is_one_line_naming_it(takes, tmp_path, text, message):
    csv = write(takes[0].parent / "h.csv", text)
    with RatingsStore(tmp_path / "r.db") as store:
        with pytest.raises(ValueError, match=message):
            store.import_csv(csv)
        assert store.counts()["pairs"] == 0


def test_a_csv_that_is_not_utf8_says_so(takes, tmp_path):
    csv = write(takes[0].parent / "latin.csv", "preferred,other,rater\nt-1.json,t-2.json,Jos\u00e9\n", "latin-1")
    with RatingsStore(tmp_path / "r.db") as store, pytest.raises(ValueError, match=r"latin.csv: not UTF-8 text"):
        store.import_csv(csv)


# ------------------------------------------------------------------ export
def test_export_writes_paths_relative_to_the_csv_and_round_trips(takes, tmp_path, monkeypatch):
    import tunesmith.paths

    with RatingsStore(tmp_path / "a.db") as store:
        store.prefer(takes[0], takes[1], rater="ann")
        store.prefer(takes[2], takes[3], rater="bob")
        original = sorted(store.pairs(stars=False))
        written = []
        real = tunesmith.paths.atomic_write_text
        monkeypatch.setattr(tunesmith.paths, "atomic_write_text", lambda p, t: (written.append(p), real(p, t)))
        out = tmp_path / "export" / "prefs.csv"
        out.parent.mkdir()
        assert store.export_csv(out) == 2
        assert written == [out]  # atomically
        text = out.read_text()
        assert str(tmp_path) not in text and "../" in text
        first = text.splitlines()[1].split(",")[0]
        assert not Path(first).is_absolute() and (out.parent / first).resolve() == takes[0].resolve()
        with pytest.raises(FileNotFoundError, match=r"prefs.csv: no folder .*nowhere to write it in"):
            store.export_csv(tmp_path / "nowhere" / "prefs.csv")
        with pytest.raises(ValueError, match=r"export: a folder; give the CSV file to write"):
            store.export_csv(tmp_path / "export")
    monkeypatch.chdir(takes[0].parent)  # resolved from the CSV's folder, not from where it is imported
    with RatingsStore(tmp_path / "b.db") as other:
        assert other.import_csv(out) == 2
        assert sorted(other.pairs(stars=False)) == original


def test_cli_export_to_a_missing_folder_is_one_clear_line(tmp_path, monkeypatch, capsys):
    from tunesmith.cli import main

    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    assert main(["preferences", "export", str(tmp_path / "no" / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "x.csv: no folder" in err and "Errno" not in err


def test_cli_export_takes_its_file_after_a_flag_too(takes, tmp_path, monkeypatch, capsys):
    """`preferences export --stars out.csv` had printed the usage and 'unrecognized arguments'."""
    from tunesmith.cli import main

    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    with RatingsStore() as store:
        store.prefer(takes[0], takes[1])
    assert main(["preferences", "export", "--stars", str(tmp_path / "a.csv")]) == 0
    assert main(["preferences", "export", str(tmp_path / "b.csv"), "--stars"]) == 0
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()
    with pytest.raises(SystemExit):
        main(["preferences", "export", "--stars", str(tmp_path / "c.csv"), "extra.csv"])
    err = capsys.readouterr().err
    assert "unrecognized arguments:" in err and "extra.csv" in err
    assert err.startswith("tunesmith preferences: error:") and "(see tunesmith preferences --help)" in err  # the verb's


# ------------------------------------------------------------------ fit
def test_fit_reports_its_own_rater_and_warns_on_few_heldout_pairs(takes, tmp_path, monkeypatch, capsys):
    from tunesmith.cli import main

    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    with RatingsStore() as store:
        for i in range(6):
            for j in range(i + 1, 6):
                store.prefer(takes[i], takes[j], rater="ann")
        store.prefer(takes[5], takes[0], rater="bob")
    assert main(["preferences", "fit", "--rater", "ann", "--ensemble", "0", "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["raters"] == ["ann"] and report["pairs"] == 15
    assert any(w.startswith("only 3 held-out pairs") for w in report["warnings"])
    assert "tunesmith preferences: warning: only 3 held-out pairs" in captured.err
    assert main(["preferences", "fit", "--ensemble", "0"]) == 0
    assert "(ann, bob)" in capsys.readouterr().out


def test_fit_warns_when_the_accuracy_is_near_chance():
    from tunesmith.ratings import fit_warnings

    assert fit_warnings({"heldout_pairs": 40, "heldout_accuracy": 0.9}) == []
    (w,) = fit_warnings({"heldout_pairs": 40, "heldout_accuracy": 0.55})
    assert w.startswith("held-out accuracy 0.55 is near chance (0.5)")


def test_export_never_writes_a_cell_a_spreadsheet_would_run(takes, tmp_path):
    """A rater named '=HYPERLINK(...)' is exported with a leading apostrophe (CSV injection)."""
    with RatingsStore(tmp_path / "a.db") as store:
        store.prefer(takes[0], takes[1], rater='=HYPERLINK("http://evil")')
        out = tmp_path / "prefs.csv"
        store.export_csv(out)
    row = out.read_text().splitlines()[1]
    assert row.endswith('\'=HYPERLINK(""http://evil"")"') and ",=" not in row


def test_tune_says_what_the_preference_models_fit_warned_of(capsys):
    """A student tuned on a model fitted on 10 pairs: the warning was only in the card's JSON."""
    from tunesmith.cli.tune import preference_warnings
    from tunesmith.rewards import Weighted

    class Fitted:  # a preference reward as `rewards.resolve` makes it: the model and its fit report
        def __init__(self, report):
            self.model = type("Model", (), {"report": report})()

        def __call__(self, piece):
            return 0.0

    preference_warnings(Weighted({"preferences": (Fitted({"heldout_pairs": 40, "heldout_accuracy": 0.8}), 1.0)}))
    assert capsys.readouterr().err == ""
    preference_warnings(Weighted({"preferences": (Fitted({"heldout_pairs": 2, "heldout_accuracy": 0.5}), 1.0)}))
    err = capsys.readouterr().err
    assert "warning: the preference model: only 2 held-out pairs" in err and "near chance" in err
