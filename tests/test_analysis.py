"""tunesmith.analysis and `tunesmith analyze` on tiny corpora built here, with planted effects."""

from __future__ import annotations

import json
import re
import shlex

import numpy as np
import pytest

from tunesmith.analysis import analyze, extract_features, function_token, piece_features, realize_token, render_html
from tunesmith.analysis import stats as st
from tunesmith.corpus.records import piece_to_record
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, TimeSignature, Track

MAJORS = ["C", "F", "Am", "Dm", "Em"]


def _chord_piece(i: int, year: int, figures: list[str], *, style: str = "pop", source: str = "synth",
                 melody: list[int] | None = None) -> Piece:
    chords = [ChordSymbol(4.0 * k, f, 4.0) for k, f in enumerate(figures)]
    tracks = []
    if melody:
        tracks = [Track("melody", "melody", notes=[Note(p, 1.0 * k, 1.0) for k, p in enumerate(melody)])]
    return Piece(piece_id=f"{source}:{i}", work_id=f"{source}:w{i}", title=f"t{i}", style=style, source=source,
                 license="CC0-1.0", tracks=tracks, chords=chords, keys=[KeySignature(0.0, "C", "major")],
                 time_signatures=[TimeSignature(0.0, 4, 4)], end=4.0 * len(figures),
                 meta={"year": str(year)} if year else {})


def _trend_corpus(seed: int = 0, *, step_year: int | None = None) -> list[Piece]:
    """Songs 1960-1990, 8 a year, 24 chord changes each. The dominant-seventh share rises
    linearly (or jumps at `step_year`); the minor-seventh share is flat at 15%."""
    rng = np.random.default_rng(seed)
    pieces = []
    i = 0
    for year in range(1960, 1991):
        if step_year is None:
            p_dom = 0.05 + 0.35 * (year - 1960) / 30
        else:
            p_dom = 0.05 if year < step_year else 0.45
        for _ in range(8):
            figures = []
            while len(figures) < 24:
                u = rng.random()
                f = "G7" if u < p_dom else ("Dm7" if u < p_dom + 0.15 else MAJORS[rng.integers(len(MAJORS))])
                if not figures or figures[-1] != f:
                    figures.append(f)
            pieces.append(_chord_piece(i, year, figures))
            i += 1
    return pieces


@pytest.fixture(scope="module")
def trend_table():
    return extract_features(_trend_corpus())


def test_function_tokens_round_trip():
    assert function_token(2, "m7") == "ii7"
    assert function_token(7, "7") == "V7"
    assert function_token(10, "") == "bVII"
    assert function_token(11, "m7b5") == "viiø7"
    assert [realize_token(t, 0) for t in ("ii7", "V7", "Imaj7", "bVII", "vi")] == ["Dm7", "G7", "Cmaj7", "Bb", "Am"]
    assert realize_token("V7", 7, flats=False) == "D7"


def test_piece_features_melody_and_harmony():
    piece = _chord_piece(0, 1970, ["C", "F", "G7", "C"], melody=[60, 62, 64, 65, 67, 69, 71, 72])
    record, notes = piece_to_record(piece)
    x, tokens = piece_features(record, notes)
    f = dict(zip([k for k in __import__("tunesmith.analysis").analysis.FEATURE_NAMES], x))
    assert tokens == ["I", "IV", "V7", "I"]
    assert f["stepwise_share"] == 1.0 and f["pitch_range"] == 12 and f["up_share"] == 1.0
    assert f["dom7_share"] == 0.25 and f["major_share"] == 0.75
    assert f["authentic_cadence_rate"] == pytest.approx(1 / 3) and f["ends_authentic"] == 1.0
    assert f["has_melody"] == 1.0 and f["syncopation"] == 0.0


def test_planted_trend_found_with_fdr_and_flat_feature_not_flagged(trend_table):
    report = analyze(trend_table, by="decade", n_boot=100)
    tests = {t["feature"]: t for t in report["trends"]["tests"]}
    dom = tests["dom7_share"]
    assert dom["significant"] and dom["q"] < 0.001
    # planted: +0.117 per decade per draw (a little less per chord change: repeats are merged)
    assert 0.05 < dom["ci"][0] < dom["slope_per_decade"] < dom["ci"][1] < 0.15
    assert not tests["min7_share"]["significant"]
    assert report["trends"]["logistic"]["dom7_share"]["odds_ratio_per_decade"] > 1
    series = report["trends"]["series"]["dom7_share"]
    assert series["year"][0] == 1960 and series["n"][0] == 8
    assert all(lo <= m <= hi for lo, m, hi in zip(series["ci_low"], series["mean"], series["ci_high"]))


def test_trends_count_works_not_chart_entries():
    pieces = _trend_corpus()
    again = _chord_piece(10_000, 1990, ["G7", "C"] * 6)
    again.work_id = pieces[0].work_id  # the same song charting again
    report = analyze(extract_features([*pieces, again]), n_boot=50)
    assert report["trends"]["entries_before_dedupe"] == len(pieces) + 1
    assert report["trends"]["pieces"] == len(pieces)
    # the work's earliest entry is the one kept, wherever it stands in the table
    early = _chord_piece(10_001, 1950, ["G7", "C"] * 6)
    early.work_id = pieces[1].work_id
    report = analyze(extract_features([*pieces, early]), n_boot=50)
    assert report["trends"]["year_range"][0] == 1950 and report["trends"]["pieces"] == len(pieces)


def test_planted_change_point_found_near_its_year():
    report = analyze(extract_features(_trend_corpus(1, step_year=1975)), n_boot=50)
    cp = report["trends"]["change_points"]
    assert any(abs(y - 1975) <= 1 for y in cp["per_feature"]["dom7_share"])
    assert any(abs(y - 1975) <= 1 for y in cp["joint_penalized"])
    # a flat series has none
    rng = np.random.default_rng(3)
    assert st.change_points(rng.normal(0.15, 0.01, 31), list(range(1960, 1991))) == []


def test_distinctive_progressions_and_suggestions():
    rng = np.random.default_rng(5)
    pieces = []
    for i in range(40):
        pieces.append(_chord_piece(i, 0, ["C", "F", "G7", "C", "F", "G7", "C"], style="folk", source="f",
                                   melody=list(rng.integers(60, 72, 16))))
        pieces.append(_chord_piece(100 + i, 0, ["Dm7", "G7", "Cmaj7", "A7", "Dm7", "G7", "Cmaj7"], style="jazz",
                                   source="j", melody=list(rng.integers(55, 80, 16))))
    report = analyze(extract_features(pieces), by="style", n_boot=50)
    top_jazz = [d["feature"] for d in report["distinctive"]["jazz"]]
    assert "min7_share" in top_jazz[:5] or "maj7_share" in top_jazz[:5]
    assert report["progressions"]["folk"]["4"][0]["progression"] in ("I IV V7 I", "IV V7 I IV", "V7 I IV V7")
    assert report["progressions"]["jazz"]["4"][0]["share"] == 1.0
    sugg = report["suggestions"]
    assert {(s["from_style"], s["to_style"]) for s in sugg} == {("folk", "jazz"), ("jazz", "folk")}
    from tunesmith.cli import build_parser

    for s in sugg:
        args = build_parser().parse_args(shlex.split(s["command"])[1:])
        assert args.verb == "compose" and args.style == s["to_style"] and args.chords == s["chords"]
    assert report["trends"] is None  # no years


def test_a_progression_differing_only_by_sevenths_is_not_suggested():
    """Folk plays I IV V7 I, pop I IV V I: the same progression, one with a seventh. Neither style
    lacks it, so it is no suggestion (jazz had been said to lack vi ii V I, which it plays as vi7
    ii7 V7 I); pop's progressions through ii, which folk lacks in any spelling, still are."""
    rng = np.random.default_rng(5)
    pieces = []
    for i in range(40):
        pieces.append(_chord_piece(i, 0, ["C", "F", "G7", "C", "F", "G7", "C"], style="folk", source="f",
                                   melody=list(rng.integers(60, 72, 16))))  # fmt: skip
        pieces.append(_chord_piece(100 + i, 0, ["C", "F", "G", "C", "F", "G", "C", "Dm", "G", "C", "Am", "Dm", "G", "C", "Am"],
                                   style="pop", source="p", melody=list(rng.integers(60, 72, 16))))  # fmt: skip
    sugg = analyze(extract_features(pieces), by="style", n_boot=50)["suggestions"]
    skeletons = {(s["from_style"], " ".join(t.rstrip("7") for t in s["progression"].split())) for s in sugg}
    assert not any(a == "folk" for a, _ in skeletons), skeletons  # every folk progression is pop's, sevenths aside
    assert any(s["from_style"] == "pop" and "ii" in s["progression"].split() for s in sugg), sugg
    for s in sugg:
        assert s["command"].split("--bars ")[1].split()[0] == str(len(s["progression"].split()))


def test_html_is_one_self_contained_file(trend_table):
    html = render_html(analyze(trend_table, by="decade", n_boot=50))
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "data:image/png;base64," in html
    lowered = html.lower()
    assert "<script" not in lowered and "<link" not in lowered and "<iframe" not in lowered
    assert not re.search(r"""(src|href)\s*=\s*["'](?!data:)""", lowered)
    assert "http://" not in lowered and "https://" not in lowered


def test_cli_json_html_and_feature_cache(tmp_path, capsys):
    from tunesmith.cli import main
    from tunesmith.corpus.build import corpus_from_pieces
    from tunesmith.corpus.store import save_corpus

    cache = tmp_path / "corpus"
    save_corpus(corpus_from_pieces(_trend_corpus()), cache)
    assert main(["analyze", "--cache", str(cache), "--by", "decade", "--json", "--bootstrap", "50", "--no-progress"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "tunesmith-analysis/1" and not report["corpus"]["features_from_cache"]
    assert set(report["groups"]) == {"1960s", "1970s", "1980s", "1990s"}
    assert report["trends"]["tests"][0]["feature"] in {"dom7_share", "major_share", "minor_share"}
    assert list((cache / "analysis").glob("features-*.npz"))
    out_json, out_html = tmp_path / "r.json", tmp_path / "r.html"
    status = main(["analyze", "--cache", str(cache), "--json", str(out_json), "--html", str(out_html),
                   "--bootstrap", "50", "--no-progress"])
    assert status == 0
    text = capsys.readouterr().out
    assert "features from cache" in text
    # the chord qualities are listed whether or not they changed, each said to be one or the
    # other, and the change points' reference years are named (a reader took q=0.36 as significant)
    listed = [line for line in text.splitlines() if line.strip().startswith(("dom7_share", "min7_share", "major_share"))]
    assert listed and all(line.endswith(("(significant)", "(not significant)")) for line in listed)
    assert "the years of Mauch et al. 2015" in text
    assert json.loads(out_json.read_text())["corpus"]["features_from_cache"] is True
    assert out_html.read_text().startswith("<!DOCTYPE html>")
    # a refused request is one JSON error object
    assert main(["analyze", "--cache", str(cache), "--styles", "folk", "--json"]) == 2
    err = json.loads(capsys.readouterr().out)
    assert "folk" in err["error"] and err["exit_status"] == 2
    # a folder for --html is one line, before any work (it had failed after it with IsADirectoryError)
    assert main(["analyze", "--cache", str(cache), "--html", str(tmp_path), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"--html {tmp_path}: is a folder; give a file name" in err[0], err


def test_metadata_csv_goes_into_the_corpus(tmp_path):
    from tunesmith.corpus.build import build_corpus
    from tunesmith.corpus.metadata import read_metadata_csv
    from tunesmith.corpus.registry import FolderRegistry

    folder = tmp_path / "tunes"
    folder.mkdir()
    tune = "X:1\nT:Test\nM:4/4\nL:1/8\nK:G\nGABc d2 B2 | c2 A2 G4 | GABc d2 B2 | A2 F2 G4 |]\n"
    (folder / "a.abc").write_text(tune)
    (folder / "sub").mkdir()
    (folder / "sub" / "b.abc").write_text(tune.replace("Test", "Other").replace("GABc d2 B2", "edcB A2 c2"))
    csv = tmp_path / "meta.csv"
    csv.write_text("file,year,genre,region\na.abc,1923,Reel,Ireland\nsub/b.abc,,march,\n")
    meta = read_metadata_csv(csv, folder)
    assert meta == {"a.abc": {"year": "1923", "genre": "Reel", "region": "Ireland"}, "sub/b.abc": {"genre": "march"}}
    bad = tmp_path / "bad.csv"
    bad.write_text("file,year\nmissing.abc,1900\n")
    with pytest.raises(ValueError, match="not found"):
        read_metadata_csv(bad, folder)
    bad.write_text("file,year\na.abc,19x3\n")
    with pytest.raises(ValueError, match="four-digit"):
        read_metadata_csv(bad, folder)
    bad.write_text("file,yaer\na.abc,1900\n")
    with pytest.raises(ValueError, match="year"):
        read_metadata_csv(bad, folder)

    registry = FolderRegistry(tmp_path / "t.db")
    registry.add(folder, style="folk", license="CC0-1.0", name="mine", metadata=meta)
    assert registry.metadata("mine") == meta
    result = build_corpus(["mine"], registry=registry, cache_dir=tmp_path / "cache", workers=0, progress=False)
    by_title = {p.title: p for p in result.corpus}
    assert by_title["Test"].meta["year"] == "1923" and by_title["Test"].meta["region"] == "Ireland"
    table = extract_features(result.corpus)
    assert sorted(table.labels["year"]) == [0, 1923]
    assert sorted(table.labels["genre"]) == ["march", "reel"]
    registry.remove("mine")
    assert registry.metadata("mine") == {}


def test_a_one_chord_song_has_chords():
    """The Humpty Dance is Eb throughout: it has chords (one), its shares are that chord's, and
    the chord-to-chord rates are undefined, not zero."""
    from tunesmith.analysis import FEATURE_NAMES

    record, notes = piece_to_record(_chord_piece(0, 1990, ["Eb"]))
    x, tokens = piece_features(record, notes)
    f = dict(zip(FEATURE_NAMES, x))
    assert tokens == ["bIII"] and f["has_chords"] == 1.0 and f["n_chords"] == 1.0 and f["major_share"] == 1.0
    assert np.isnan(f["authentic_cadence_rate"]) and f["ends_on_tonic"] == 0.0


def test_trends_keep_to_one_source_and_small_groups_are_marked():
    """Dated pieces of two sources are not pooled (a change of source is not a change of music):
    the larger source's trends, the other named as left out. A group under 20 pieces is marked
    few, and a share that is 0 in all 8 of its pieces gets the exact interval, not [0, 0]."""
    pieces = _trend_corpus(2)
    pieces += [_chord_piece(5000 + i, 1900 + i, ["C", "G7", "C"], source="old") for i in range(30)]
    report = analyze(extract_features(pieces), by="source", n_boot=50)
    t = report["trends"]
    assert t["source"] == "synth" and t["sources_left_out"] == {"old": 30} and t["year_range"][0] >= 1960
    assert all(c["nearest_found"] is None or isinstance(c["nearest_found"], int) for c in t["change_points"]["comparison"])
    zeros = np.zeros(8)
    mean, lo, hi, n = st.bootstrap_mean_ci(zeros, n_boot=50)
    assert (mean, lo, n) == (0.0, 0.0, 8) and hi == pytest.approx(0.369, abs=0.001)
    undated = [_chord_piece(6000 + i, 0, ["C", "G7", "C"], source="old") for i in range(30)]
    small = analyze(extract_features(pieces[:8] + undated), by="source", n_boot=50)["groups"]
    assert small["synth"]["few"] is True and small["old"]["few"] is False
    # by decade: decades against decades, the undated pieces left out and counted
    decades = analyze(extract_features(pieces[:16] + undated), by="decade", n_boot=50)
    assert set(decades["groups"]) == {"1960s"} and decades["filters"]["undated_left_out"] == 30
    with pytest.raises(ValueError, match="--by decade: none of these pieces has a year"):
        analyze(extract_features(undated), by="decade", n_boot=50)


def test_distinctive_puts_what_the_tests_support_first():
    """A feature measured on 5 of a group's 40 pieces can show a larger d than a real effect and
    still be noise (q = 0.56 here): it must not lead the list, nor be called distinctive in the
    summary (the 1990s' Billboard "beats_per_chord d=+0.61" had q = 0.92)."""
    from tunesmith.cli.analyze import _summary

    rng = np.random.default_rng(1)
    groups = np.array(["a"] * 40 + ["b"] * 200)
    X = rng.normal(0, 1, (240, 12))
    X[:40, 0] += 0.8
    X[:40, 1] += 1.2
    X[5:40, 1] = np.nan
    names = tuple(f"f{j}" for j in range(12))
    rows = st.distinctive_features(X, groups, names, top=12)["a"]
    sig = [abs(r["cohens_d"]) for r in rows if r["significant"]]
    noise = [abs(r["cohens_d"]) for r in rows if not r["significant"]]
    assert sig and noise and max(noise) > min(sig)  # the case: noise with a larger d than an effect
    flags = [r["significant"] for r in rows]
    assert flags == sorted(flags, reverse=True), flags  # every significant row before every other
    assert all(r["q"] < 0.05 for r in rows if r["significant"])
    # the summary names only significant features, or says there are none
    pieces = _trend_corpus(4)
    report = analyze(extract_features(pieces), by="decade", years=(1968, 1971), n_boot=50)
    assert not any(r["significant"] for rs in report["distinctive"].values() for r in rs)
    text = _summary(report)
    assert "most distinctive" not in text
    assert "1960s: 16 pieces (few: uncertain); no feature differs significantly from the other pieces (q < 0.05)" in text


def test_no_trends_is_said_with_its_reason(tmp_path, capsys):
    """`--years 1975-1979` of Billboard (99 songs, 5 years) had printed nothing about trends."""
    from tunesmith.cli import main
    from tunesmith.corpus.build import corpus_from_pieces
    from tunesmith.corpus.store import save_corpus

    report = analyze(extract_features(_trend_corpus()), years=(1970, 1973), n_boot=50)
    assert report["trends"] is None
    assert report["trends_note"] == ("no trends over years: 32 dated works of synth over 4 years; a trend needs"
                                     " at least 20 works over at least 6 years")
    assert "32 dated works of synth over 4 years" in render_html(report, figures=False)
    undated = analyze(extract_features([_chord_piece(i, 0, ["C", "G7", "C"]) for i in range(5)]), n_boot=50)
    assert undated["trends"] is None and "none of these pieces has a year" in undated["trends_note"]
    cache = tmp_path / "corpus"
    save_corpus(corpus_from_pieces(_trend_corpus()), cache)
    assert main(["analyze", "--cache", str(cache), "--years", "1970-1973", "--bootstrap", "50", "--no-progress"]) == 0
    assert "no trends over years: 32 dated works" in capsys.readouterr().out


def test_bad_top_and_a_genre_no_piece_has_are_refused(tmp_path, capsys, trend_table):
    """`--top -3` sliced every table from its end (9,822 progressions listed); `--by genre` over
    pieces without a genre reported one group "(none)" as if grouped by genre."""
    from tunesmith.cli import main
    from tunesmith.corpus.build import corpus_from_pieces
    from tunesmith.corpus.store import save_corpus

    with pytest.raises(ValueError, match=r"--top -3: at least 1 row per table"):
        analyze(trend_table, top=-3, n_boot=50)
    with pytest.raises(ValueError, match=r"--top 0: at least 1"):
        analyze(trend_table, top=0, n_boot=50)
    with pytest.raises(ValueError, match=r"--by genre: none of these pieces has a genre"):
        analyze(trend_table, by="genre", n_boot=50)
    assert len(analyze(trend_table, by="decade", top=1, n_boot=50)["progressions"]["1960s"]["4"]) == 1
    cache = tmp_path / "corpus"
    save_corpus(corpus_from_pieces(_trend_corpus()), cache)
    assert main(["analyze", "--cache", str(cache), "--top", "-3", "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--top -3: at least 1 row per table" in err[0], err
    assert not (cache / "analysis").exists()  # refused before the features were extracted


def test_features_in_chunks_are_the_same_and_the_bar_moves_during_them(monkeypatch):
    """The melody pass ran over the whole corpus before the bar's first step (19 s of silence in
    22, then 0-100% in 3 s); in chunks the bar moves with it, and the numbers are the same."""
    import tunesmith.progress
    from tunesmith.analysis import extract

    pieces = _trend_corpus(6)[:40]
    rng = np.random.default_rng(6)
    for p in pieces[::3]:
        p.tracks = [Track("melody", "melody", notes=[Note(int(q), 0.5 * k, 0.5) for k, q in enumerate(rng.integers(55, 80, 24))])]
    monkeypatch.setattr(extract, "CHUNK", 10**6)
    whole = extract.extract_features(pieces)
    events: list[str] = []
    real_melody = extract.melody_features

    def melody(records, *args):
        events.append(f"melody {len(records)}")
        return real_melody(records, *args)

    class Bar:
        def __init__(self, *args, **kw):
            self.n = 0

        def update(self, k):
            events.append(f"bar {k}")

        def close(self):
            events.append("close")

    monkeypatch.setattr(extract, "CHUNK", 16)
    monkeypatch.setattr(extract, "melody_features", melody)
    monkeypatch.setattr(tunesmith.progress, "progress_bar", Bar)
    chunked = extract.extract_features(pieces, progress=True)
    assert events == ["melody 16", "bar 16", "melody 16", "bar 16", "melody 8", "bar 8", "close"], events
    assert np.array_equal(whole.X, chunked.X, equal_nan=True)
    assert np.isfinite(chunked.X[0, list(chunked.feature_names).index("pitch_range")])
    assert whole.labels == chunked.labels and whole.ngrams == chunked.ngrams
    for k in ("ng_piece", "ng_id", "ng_count"):
        assert np.array_equal(getattr(whole, k), getattr(chunked, k))


def test_suggestion_says_the_counts_behind_its_shares():
    """"no folk pieces" read as none of 14,682 folk tunes, where only the 1,029 with chord symbols
    can hold a progression: the why names both counts."""
    rng = np.random.default_rng(5)
    pieces = []
    for i in range(40):
        pieces.append(_chord_piece(i, 0, ["C", "F", "G7", "C", "F", "G7", "C"], style="folk", source="f",
                                   melody=list(rng.integers(60, 72, 16))))
        pieces.append(_chord_piece(100 + i, 0, ["Dm7", "G7", "Cmaj7", "A7", "Dm7", "G7", "Cmaj7"], style="jazz",
                                   source="j"))
    for i in range(30):  # folk tunes without chord symbols: not in the denominator
        pieces.append(_chord_piece(300 + i, 0, [], style="folk", source="f", melody=list(rng.integers(60, 72, 16))))
    sugg = analyze(extract_features(pieces), by="style", n_boot=50)["suggestions"]
    jazz_in_folk = [s for s in sugg if s["from_style"] == "jazz"]
    assert jazz_in_folk
    s = jazz_in_folk[0]
    assert s["pieces_in_from"] == 40 and s["pieces_in_to"] == 0
    assert "of jazz pieces with chords (40 of 40) but in none of the folk pieces with chords (0 of 40;" in s["why"]


def test_groups_say_how_many_keys_were_estimated_not_written():
    """Every JSB chorale's key is estimated from the notes (no key in the source), yet the report
    listed "G major 13%" as the chorales' key like a written one: the share inferred is reported."""
    pieces = [_chord_piece(i, 0, ["C", "G7", "C"], style="chorale" if i < 10 else "folk", source="s") for i in range(30)]
    for p in pieces[:10]:
        p.meta["key_estimated"] = True
    pieces[10].meta["key_mode_estimated"] = True
    report = analyze(extract_features(pieces), by="style", n_boot=50)
    assert report["groups"]["chorale"]["keys_inferred_share"] == 1.0
    assert report["groups"]["folk"]["keys_inferred_share"] == pytest.approx(1 / 20)
    html = render_html(report, figures=False)
    assert "100.0% of the keys estimated or assumed, not written" in html
    assert "5.0% of the keys estimated or assumed, not written" in html
