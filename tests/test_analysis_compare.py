"""`tunesmith.analysis.compare` and `tunesmith analyze --compare`: songs against a style of a tiny
corpus built here, with planted differences."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tunesmith.analysis import compare, extract_features, render_compare_html
from tunesmith.analysis.compare import MIN_STYLE_PIECES, place
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

# a 4-bar tune in C: steps, a leap, quarters and eighths (every melody feature defined)
TEMPLATE = [(60, 1.0), (62, 1.0), (64, 0.5), (65, 0.5), (67, 1.0), (65, 1.0), (64, 1.0), (62, 0.5), (64, 0.5),
            (69, 1.0), (67, 1.0), (65, 0.5), (64, 0.5), (62, 1.0), (64, 1.0), (60, 2.0)]


def _piece(i: int, *, style: str = "folk", shift: int = 0, qpm: float = 100.0, chords: list[str] | None = None,
           melody: list[tuple[int, float]] | None = None, split: str = "train") -> Piece:
    notes, t = [], 0.0
    for p, d in melody or TEMPLATE:
        notes.append(Note(p + shift, t, d))
        t += d
    symbols = [ChordSymbol(4.0 * k, f, 4.0) for k, f in enumerate(chords or [])]
    return Piece(piece_id=f"{style}:{i}", work_id=f"{style}:w{i}", title=f"{style} {i}", style=style, source=style,
                 license="CC0-1.0", tracks=[Track("melody", "melody", notes=notes)], chords=symbols,
                 keys=[KeySignature(0.0, "C", "major")], time_signatures=[TimeSignature(0.0, 4, 4)],
                 tempos=[Tempo(0.0, qpm)], end=t, split=split)


def _template_corpus(n: int = 60) -> list[Piece]:
    """n folk pieces, all the template (so every feature but two is the same in each), an octave
    lower, as written or an octave higher, at a tempo 90-110."""
    rng = np.random.default_rng(0)
    return [_piece(i, shift=int(rng.choice([-12, 0, 12])), qpm=float(rng.uniform(90, 110)),
                   chords=["C", "F", "G7", "C"]) for i in range(n)]


def _flagged(report: dict, k: int = 0) -> set[str]:
    return {f["name"] for f in report["songs"][k]["features"] if f["flag"]}


def test_a_song_planted_far_out_on_one_feature_is_flagged_there_only():
    table = extract_features(_template_corpus())
    typical = compare([_piece(900, qpm=100.0, chords=["C", "F", "G7", "C"])], style="folk", table=table)
    assert _flagged(typical) == set() and typical["songs"][0]["suggestions"] == []
    high = compare([_piece(901, shift=36, qpm=100.0, chords=["C", "F", "G7", "C"])], style="folk", table=table)
    song = high["songs"][0]
    assert _flagged(high) == {"mean_pitch"}
    row = next(f for f in song["features"] if f["name"] == "mean_pitch")
    assert row["flag"] == "above" and row["share_as_far"] == 0.0 and row["n"] == 60 and row["percentile"] == 100.0
    # the sentence carries the figures behind it: the song's pitch, the style's median and middle half
    (s,) = song["suggestions"]
    assert s["feature"] == "mean_pitch"
    assert s["text"].startswith("your melody's average pitch is E7;")
    assert "folk tunes of the corpus: E4 (middle half E3-E5, 60 pieces; yours is above all 60)" in s["text"]
    assert s["text"].endswith("a lower register or key would sound more like folk")
    fast = compare([_piece(902, qpm=300.0, chords=["C", "F", "G7", "C"])], style="folk", table=table)
    assert _flagged(fast) == {"tempo_qpm"}
    assert fast["songs"][0]["outside"] == ["tempo_qpm"]


def test_features_the_style_rarely_has_are_counted_not_flagged():
    """Harmony features exist only where a piece has chord symbols: compared with those pieces,
    counted, and not flagged where fewer than MIN_STYLE_PIECES have them."""
    pieces = [_piece(i, qpm=100.0, chords=["C", "G7", "C", "G7"] if i < 10 else None) for i in range(60)]
    table = extract_features(pieces)
    jazzy = _piece(900, qpm=100.0, chords=["Dm7", "G7", "Cmaj7", "A7"])
    song = compare([jazzy], style="folk", table=table)["songs"][0]
    rows = {f["name"]: f for f in song["features"]}
    assert rows["min7_share"]["n"] == 10 < MIN_STYLE_PIECES and rows["min7_share"]["value"] == 0.25
    assert rows["min7_share"]["flag"] is None and rows["min7_share"]["note"] == "only 10 folk pieces have it: not flagged"
    assert rows["mean_abs_interval"]["n"] == 60
    assert rows["has_chords"]["flag"] is None  # what the file holds is never flagged
    # a song without chords: its harmony features are not compared
    plain = compare([_piece(901, qpm=100.0)], style="folk", table=table)["songs"][0]
    rows = {f["name"]: f for f in plain["features"]}
    assert rows["dom7_share"]["value"] is None and rows["dom7_share"]["note"] == "your song has no chord symbols"
    assert plain["has_chords"] is False and plain["has_melody"] is True


def test_place_percentiles_and_binary_features():
    ref = np.arange(100, dtype=float)  # 0 .. 99
    r = place(50.0, ref)
    assert r["median"] == 49.5 and r["percentile"] == pytest.approx(50.5) and r["flag"] is None
    assert place(97.5, ref)["flag"] == "above" and place(2.0, ref)["flag"] == "below"
    assert place(-1.0, ref)["share_as_far"] == 0.0
    assert place(3.0, np.r_[ref, np.nan, np.nan])["n"] == 100
    minor = np.r_[np.zeros(97), np.ones(3)]  # 3 % of the style in minor
    r = place(1.0, minor, binary=True)
    assert r["flag"] == "above" and r["share_same"] == pytest.approx(0.03)
    assert place(1.0, np.r_[np.zeros(90), np.ones(10)], binary=True)["flag"] is None
    assert place(0.0, minor, binary=True)["flag"] is None
    assert place(1.0, np.zeros(5), binary=True)["flag"] is None  # too few pieces to flag


def _two_styles(identical: bool = False) -> tuple[list[Piece], list[str]]:
    """folk: stepwise quarter-note walks; jazz: leaping eighth-note lines (or the same walks when
    `identical`). Every fourth piece is held out (valid)."""
    rng = np.random.default_rng(7)
    pieces, splits = [], []
    for i in range(160):
        style = "folk" if i % 2 else "jazz"
        leaps = style == "jazz" and not identical
        steps = rng.choice([-7, -5, 5, 7, 9, -9], 24) if leaps else rng.choice([-2, -1, 1, 2], 24)
        pitches = np.clip(67 + np.cumsum(steps), 50, 90)
        length = 0.5 if leaps else 1.0
        melody = [(int(p), length) for p in pitches]
        split = "valid" if i % 4 in (0, 1) and i >= 80 else "train"
        pieces.append(_piece(i, style=style, melody=melody, split=split))
        splits.append(split)
    return pieces, splits


def test_the_style_is_guessed_where_held_out_pieces_bear_it_out_and_refused_where_not():
    pieces, splits = _two_styles()
    table = extract_features(pieces)
    rng = np.random.default_rng(99)
    walk = [(int(p), 1.0) for p in 67 + np.cumsum(rng.choice([-2, -1, 1, 2], 24))]
    report = compare([_piece(900, melody=walk)], table=table, splits=splits)
    song = report["songs"][0]
    g = song["guess"]
    assert song["style"] == "folk" and song["style_chosen"] == "guessed" and song["refused"] is None
    assert g["reliable"] and g["valid_precision"] == 1.0 and g["valid_guessed_as"] >= 20 and g["valid_accuracy"] == 1.0
    assert g["view"] == "melody" and g["votes"]["folk"] == 1.0
    assert song["features"]  # compared, against the guessed style
    # the same walks in both styles: a guess no better than chance is not used
    pieces, splits = _two_styles(identical=True)
    table = extract_features(pieces)
    song = compare([_piece(900, melody=walk)], table=table, splits=splits)["songs"][0]
    assert song["style"] is None and song["features"] == [] and not song["guess"]["reliable"]
    assert "no --style given and the guess" in song["refused"] and "give --style folk|jazz" in song["refused"]
    # no split to check a guess on: --style is asked for
    with pytest.raises(ValueError, match=r"no --style given, and the corpus has no train and valid split"):
        compare([_piece(900, melody=walk)], table=table, splits=["train"] * len(pieces))


def test_bad_songs_styles_and_corpus_are_one_line_naming_them(tmp_path):
    table = extract_features(_template_corpus(30))
    empty = tmp_path / "empty.mid"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match=r"empty\.mid: file is empty"):
        compare([empty], style="folk", table=table)
    text = tmp_path / "letter.txt"
    text.write_text("Dear songwriter, this is not music.\n")
    with pytest.raises(ValueError, match=r"letter\.txt: .*a melody is read from MusicXML, MIDI or ABC"):
        compare([text], style="folk", table=table)
    fake = tmp_path / "fake.mid"
    fake.write_text("hello")
    with pytest.raises(ValueError, match=r"fake\.mid: not a MIDI file"):
        compare([fake], style="folk", table=table)
    with pytest.raises(ValueError, match=r"missing\.abc: no such file"):
        compare([tmp_path / "missing.abc"], style="folk", table=table)
    with pytest.raises(ValueError, match=r"--style rock: no pieces of that style in the corpus \(found: folk\)"):
        compare([_piece(1)], style="rock", table=table)
    with pytest.raises(ValueError, match=r"at least one song"):
        compare([], style="folk", table=table)
    with pytest.raises(FileNotFoundError, match=r"nothing-here: no corpus cache here; run `tunesmith corpus build`"):
        compare([_piece(1)], style="folk", cache_dir=tmp_path / "nothing-here")


REEL = """X:1
T:Leaping Reel
M:4/4
L:1/8
K:C
c'2 C2 c'2 C2 | g2 G,2 g2 G,2 | c'2 C2 c'2 C2 | g2 G,2 c4 |]
"""


def test_cli_compares_four_songs_with_json_html_and_refusals(tmp_path, capsys):
    """The trial's case: four songs (a group under the analysis' minimum of five) against a style,
    in a corpus cache built here; a wildly leaping song is flagged on its intervals."""
    from tunesmith.cli import main
    from tunesmith.corpus.build import corpus_from_pieces
    from tunesmith.corpus.store import save_corpus

    pieces, _ = _two_styles()
    for p in pieces:
        p.split = ""  # the build assigns the splits
    cache = tmp_path / "corpus"
    save_corpus(corpus_from_pieces(pieces), cache)
    songs = []
    for k in range(4):
        path = tmp_path / f"song{k}.abc"
        path.write_text(REEL.replace("Leaping Reel", f"Leaping Reel {k}"))
        songs.append(str(path))
    out_json, out_html = tmp_path / "c.json", tmp_path / "c.html"
    status = main(["analyze", "--compare", *songs, "--style", "folk", "--cache", str(cache), "--json", str(out_json),
                   "--html", str(out_html)])
    assert status == 0
    text = capsys.readouterr().out
    assert text.count('against folk (80 pieces; given)') == 4
    assert ("100% of your melody's intervals leap more than a fourth; folk tunes of the corpus: 0% (middle half"
            " 0%-0%, 80 pieces; yours is above all 80); fewer large leaps would sound more like folk.") in text
    report = json.loads(out_json.read_text())
    assert report["schema"] == "tunesmith-compare/1" and len(report["songs"]) == 4
    assert {"leap_share", "mean_abs_interval", "stepwise_share"} <= set(report["songs"][0]["outside"])
    assert "is_minor" not in report["songs"][0]["outside"]
    html = out_html.read_text()
    assert html.startswith("<!DOCTYPE html>") and "data:image/png;base64," in html and "Leaping Reel 3" in html
    assert "<script" not in html.lower()
    # --json alone: the report on stdout
    assert main(["analyze", "--compare", songs[0], "--style", "FOLK", "--cache", str(cache), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["songs"][0]["style"] == "folk"
    # refused: one line each, naming the file or the problem
    empty = tmp_path / "empty.mid"
    empty.write_bytes(b"")
    for argv, message in (
        (["--compare", str(empty), "--style", "folk"], f"{empty}: file is empty"),
        (["--compare", songs[0], "--style", "rock"], "--style rock: no pieces of that style in the corpus"),
        (["--style", "folk"], "--style folk: used with --compare SONG"),
        (["--compare", songs[0], "--by", "decade"], "--by: not used with --compare"),
    ):
        assert main(["analyze", *argv, "--cache", str(cache)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and message in err[0], err
    assert main(["analyze", "--compare", songs[0], "--style", "folk", "--cache", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no corpus cache here; run `tunesmith corpus build`" in err[0], err


def test_compare_html_without_figures_names_refused_songs():
    pieces, splits = _two_styles(identical=True)
    table = extract_features(pieces)
    report = compare([_piece(900)], table=table, splits=splits)
    html = render_compare_html(report, figures=False)
    assert "no --style given and the guess" in html and html.rstrip().endswith("</html>")


def test_sources_narrow_the_style_pieces_in_any_case():
    """Folk is Essen's sung songs and the fiddle tunes together: --sources compares with some."""
    pieces = _template_corpus(40)
    for p in pieces[:10]:
        p.source = "ryansMammoth"
    table = extract_features(pieces)
    song = _piece(900, qpm=100.0, chords=["C", "F", "G7", "C"])
    report = compare([song], style="folk", table=table, sources=["ryansmammoth"])
    assert report["sources"] == ["ryansMammoth"] and report["songs"][0]["style_pieces"] == 10
    assert compare([song], style="folk", table=table)["songs"][0]["style_pieces"] == 40
    with pytest.raises(ValueError, match=r"--sources: no pieces from essen \(found: folk, ryansMammoth\)"):
        compare([song], style="folk", table=table, sources=["essen"])
