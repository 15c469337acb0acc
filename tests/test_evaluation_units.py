"""Pieces of the evaluation: NLL windows and units, verdicts, JSON conversion, the SVG plotter."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from tunesmith.evaluation import likelihood as lk
from tunesmith.evaluation import report
from tunesmith.evaluation.svgplot import bars_svg, histogram_svg
from tunesmith.model import GPT, ModelConfig
from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track
from tunesmith.tokenizer import Tokenizer


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return Tokenizer()


def model_of(tok: Tokenizer, block: int) -> GPT:
    torch.manual_seed(0)
    return GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=block, n_layer=1, n_head=2, n_embd=32)).eval()


def scale_piece(n_bars: int, pid: str = "p") -> Piece:
    notes = [Note(60 + (i * 3) % 12, i * 0.5, 0.5) for i in range(8 * n_bars)]
    return Piece(
        pid,
        pid,
        style="folk",
        tracks=[Track("Melody", "melody", notes=notes)],
        keys=[KeySignature(0.0, "C", "major")],
        time_signatures=[TimeSignature(0.0, 4, 4)],
        tempos=[Tempo(0.0, 100.0)],
    )


def test_short_piece_nll_is_the_cross_entropy_after_the_header(tok):
    model = model_of(tok, 512)
    piece = scale_piece(4)
    ids = tok.encode(piece)
    first_bar = ids.index(tok.bar_id)
    x = torch.tensor([ids[:-1]])
    y = torch.tensor([ids[1:]])
    y[0, : first_bar - 1] = -1
    logits, _ = model(x, targets=y)
    want = torch.nn.functional.cross_entropy(logits[0], y[0], ignore_index=-1, reduction="sum").item()
    got = lk.tunesmith_nll(model, tok, [piece])
    assert got["total"] == pytest.approx(want, rel=1e-5)
    assert got["n_tokens"] == len(ids) - first_bar
    assert got["per_note"] == pytest.approx(want / piece.n_notes, rel=1e-5)
    assert got["per_bar"] == pytest.approx(want / 4, rel=1e-5)
    assert got["n_windows"] == 1


def test_long_piece_is_scored_in_windows_each_bar_once(tok):
    model = model_of(tok, 64)
    piece = scale_piece(12)
    full = tok.encode(piece)
    assert len(full) > 65
    windows = lk._windows_of(0, piece, tok, 64)
    assert len(windows) > 1
    assert all(len(w.ids) <= 65 and 0 <= w.first < w.stop <= len(w.ids) - 1 for w in windows)
    got = lk.tunesmith_nll(model, tok, [piece])
    header = full.index(tok.bar_id)
    # every token after the header once; a window's first bar may re-encode with one extra Pos
    assert len(full) - header <= got["n_tokens"] <= len(full) - header + len(windows)
    assert got["n_windows"] == len(windows) and math.isfinite(got["total"])


def test_unencodable_piece_is_skipped(tok):
    model = model_of(tok, 256)
    odd = scale_piece(2, "odd")
    odd.time_signatures = [TimeSignature(0.0, 11, 16)]
    got = lk.tunesmith_nll(model, tok, [scale_piece(2), odd])
    assert got["n_pieces"] == 1 and got["n_skipped"] == 1


def test_canonical_view_keeps_ids_and_counts(tok):
    piece = scale_piece(3, "abc")
    piece.split = "test"
    view = lk.canonical_view(piece, tok)
    assert (view.piece_id, view.work_id, view.split, view.style) == ("abc", "abc", "test", "folk")
    assert view.n_notes == piece.n_notes and view.n_bars == 3


def test_baseline_nll_uses_the_same_denominators(tok):
    pytest.importorskip("transformers")
    from tunesmith.baselines.gpt2_remi import build_remi_tokenizer, make_gpt2_for

    remi = build_remi_tokenizer()
    gpt = make_gpt2_for(remi, 60_000, 256).eval()
    views = [lk.canonical_view(scale_piece(2, f"p{i}"), tok) for i in range(2)]
    b = lk.baseline_nll(gpt, remi, views)
    t = lk.tunesmith_nll(model_of(tok, 256), tok, views)
    assert b["n_notes"] == t["n_notes"] == sum(v.n_notes for v in views)
    assert b["n_bars"] == t["n_bars"] == 4
    per = lk.baseline_nll(gpt, remi, views, per_piece=True)
    assert per["total"] == pytest.approx(b["total"], rel=1e-4)
    assert [r["piece_id"] for r in per["pieces"]] == ["p0", "p1"]


def test_voice_grid_reads_voices_on_the_sixteenth_grid():
    tracks = [Track(r.title(), r, notes=[Note(60 - 5 * i, 0.0, 0.5), Note(62 - 5 * i, 0.5, 0.25)])
              for i, r in enumerate(lk.JSB_VOICES)]  # fmt: skip
    grid = lk.voice_grid(Piece("g", "g", tracks=tracks), 4)
    assert grid[:, 0].tolist() == [60, 60, 62, -1]
    assert grid[:, 3].tolist() == [45, 45, 47, -1]


@pytest.mark.parametrize(
    ("direction", "ours", "other", "real", "want"),
    [
        ("higher", 0.8, 0.5, None, "ahead"),
        ("higher", 0.5, 0.8, None, "behind"),
        ("lower", 1.0, 2.0, None, "ahead"),
        ("lower", 1.0, 1.01, None, "tie"),
        ("half", 0.55, 0.9, None, "ahead"),
        ("half", 0.9, 0.45, None, "behind"),
        ("match", 3.0, 5.0, 3.2, "ahead"),
        ("match", 5.0, 3.0, 3.2, "behind"),
        ("match", 5.0, 3.0, None, None),
        ("info", 1.0, 2.0, None, None),
        ("higher", None, 0.5, None, None),
    ],
)
def test_verdicts(direction, ours, other, real, want):
    assert report.verdict(direction, ours, other, real) == want


def test_verdict_against_real_for_match_rows_is_on_par_or_off():
    assert report.verdict_vs_real("match", 3.0, 3.05) == "tie"
    assert report.verdict_vs_real("match", 4.0, 3.0) == "behind"
    assert report.verdict_vs_real("half", 0.5, 0.9) == "ahead"


def test_to_jsonable_converts_numpy_and_nan():
    out = report.to_jsonable({"a": np.float32(1.5), "b": np.array([1, 2]), "c": math.nan, "d": (np.int64(3),)})
    assert out == {"a": 1.5, "b": [1, 2], "c": None, "d": [3]}


def test_svg_plots_are_well_formed_xml():
    from defusedxml import ElementTree

    h = histogram_svg({"model": [1, 2, 2, 3], "real": [2.5, 3.5, math.nan], "empty": []}, title="a<b", xlabel="x&y")
    b = bars_svg({"s1": {"model": 0.2, "real": -0.1}, "s2": {"model": math.nan, "real": 0.4}}, title="bars")
    none = histogram_svg({"model": []}, title="none")
    for svg in (h, b, none):
        root = ElementTree.fromstring(svg)
        assert root.tag.endswith("svg")
    assert "a&lt;b" in h and "x&amp;y" in h


def test_reports_name_folders_without_machine_paths(tmp_path, monkeypatch):
    from tunesmith.paths import shown_path
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    assert shown_path(DEFAULT_MODEL_DIR) == "default"
    assert shown_path(DEFAULT_MODEL_DIR / "model.safetensors") == "default"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runs" / "m").mkdir(parents=True)
    assert shown_path(tmp_path / "runs" / "m") == "runs/m"  # under the current directory: relative
    assert shown_path("runs/m") == "runs/m"
    assert shown_path("/elsewhere/models/mine") == "mine"  # elsewhere: the folder's name only
    monkeypatch.chdir(tmp_path.anchor)  # run from /: not "tmp/.../runs/m"
    assert shown_path(tmp_path / "runs" / "m") == "m"
    assert shown_path(None) == ""
    # the evaluated corpus cache (in the JSON and the HTML): its folder's name, not where it lies
    import tunesmith.corpus as corpus_module
    from tunesmith.evaluation import load_eval_data

    class Cache:
        path, manifest = str(tmp_path / "home" / "corpus" / "v123"), {"created": "today"}

        def filter(self, **kwargs):
            return []

    monkeypatch.setattr(corpus_module, "load_corpus", lambda folder=None: Cache())
    assert load_eval_data(styles=("folk",)).source["path"] == "v123"


def test_real_pieces_are_measured_as_a_take_of_their_style_is_written():
    """A pop song with a piano part is compared with melody-only takes by its melody (and chord
    symbols); a chorale keeps its four voices; the key is estimated before anything is dropped."""
    from tunesmith.evaluation.musicality import as_a_take_has, real_pieces

    def song(pid: str, roles: tuple[str, ...], key: bool = True) -> Piece:
        tracks = [Track(r, r, notes=[Note(60 + 2 * i + 7 * j, float(i), 1.0) for i in range(8)]) for j, r in enumerate(roles)]
        return Piece(pid, pid, style="pop", tracks=tracks, keys=[KeySignature(0.0, "C", "major")] if key else [],
                     time_signatures=[TimeSignature(0.0, 4, 4)], tempos=[Tempo(0.0, 100)])  # fmt: skip

    full = song("a", ("melody", "other", "accompaniment"))
    reduced = as_a_take_has(full, "pop")
    assert [t.role for t in reduced.tracks] == ["melody"] and len(full.tracks) == 3  # the original is untouched
    chorale = song("c", ("soprano", "alto", "tenor", "bass"))
    assert as_a_take_has(chorale, "chorale") is chorale
    alone = song("m", ("melody",))
    assert as_a_take_has(alone, "pop") is alone
    got = real_pieces({"pop": [song("k", ("melody", "accompaniment"), key=False)]}, "pop", 5, 0)
    assert len(got) == 1 and got[0].key is not None and [t.role for t in got[0].tracks] == ["melody"]


def test_the_classifier_compares_a_take_with_as_many_real_bars_as_it_has():
    """A 40-bar song against 32-bar takes is cut to its first 32 bars for the classifier (its
    features count notes: whole POP909 songs had 281 notes to the takes' 100); a 16-bar tune is
    left whole."""
    from tunesmith.evaluation.musicality import length_matched

    def tune(pid: str, bars: int) -> Piece:
        notes = [Note(60 + i % 7, float(i), 1.0) for i in range(4 * bars)]
        return Piece(pid, pid, style="pop", tracks=[Track("melody", "melody", notes=notes)],
                     keys=[KeySignature(0.0, "C", "major")], time_signatures=[TimeSignature(0.0, 4, 4)],
                     tempos=[Tempo(0.0, 100)])  # fmt: skip

    long, short = tune("long", 40), tune("short", 16)
    cut, kept = length_matched([long, short], "pop", 32)
    assert len(cut.bars()) == 32 and len(cut.melody().notes) == 128 and cut.duration() == 128.0
    assert len(long.melody().notes) == 160  # the original is untouched
    assert kept is short


def test_seeds_pool_into_means_and_spreads():
    """`evaluate_musicality.py --seeds`: one figure per seed moves by points (jazz key heard 0.537 /
    0.791 at seeds 0 / 1), so several seeds are reported as mean ± standard deviation."""
    from tunesmith.evaluation.musicality import MEASURES, format_table, pooled_report

    def report(seed: int, c2st: float, key: float) -> dict:
        measures = dict.fromkeys(MEASURES, 0.5)
        return {"config": {"seed": seed, "per_style": 4},
                "styles": {"jazz": {"n_real": 4, "real": {**measures, "key_heard": 0.7}, "real_vs_real_c2st": 0.5,
                                    "new": {**measures, "key_heard": key, "c2st": c2st, "n_takes": 4}},
                           "pop": {"note": "only 2 held-out pop pieces with a melody"}}}  # fmt: skip

    pooled = pooled_report([report(0, 0.7, 0.5), report(1, 0.8, 0.8)])
    row = pooled["styles"]["jazz"]
    assert row["new"]["c2st"] == pytest.approx(0.75) and row["sd"]["new"]["c2st"] == pytest.approx(0.05)
    assert row["new"]["key_heard"] == pytest.approx(0.65) and row["sd"]["new"]["key_heard"] == pytest.approx(0.15)
    assert row["real"]["key_heard"] == pytest.approx(0.7) and row["sd"]["real"]["key_heard"] == 0
    assert pooled["config"]["seeds"] == [0, 1] and pooled["styles"]["pop"]["note"].startswith("only 2")
    table = format_table(pooled)
    assert "mean ± sd over seeds 0, 1" in table and "| key_heard | 0.650 ± 0.150 | 0.700 ± 0.000 |" in table


def test_explained_classifiers_pool_over_seeds_and_print():
    """`evaluate_musicality.py --explain`: each seed's explanation (`metrics.c2st.explain`) pools into
    mean accuracies per group and the features any seed lists, counted by how many seeds list them."""
    from tunesmith.evaluation.musicality import MEASURES, MusicalityConfig, format_table, pooled_report

    def report(seed: int, alone: float, diffs: list) -> dict:
        measures = dict.fromkeys(MEASURES, 0.5)
        groups = {"note lengths (NLH)": {"alone": alone, "without": 0.6},
                  "pitch classes (PCH)": {"alone": 0.5, "without": 0.7}}  # fmt: skip
        explained = {"accuracy": 0.7, "groups": groups,
                     "differences": [{"feature": f, "d": d, "real": 0.2, "generated": 0.1} for f, d in diffs]}  # fmt: skip
        return {"config": {"seed": seed, "per_style": 4},
                "styles": {"folk": {"n_real": 4, "real": measures, "real_vs_real_c2st": 0.5,
                                    "new": {**measures, "c2st": 0.7, "n_takes": 4, "c2st_explained": explained}}}}  # fmt: skip

    pooled = pooled_report([report(0, 0.8, [("NLH 16th", -1.0), ("PCH C", 0.9)]),
                            report(1, 0.6, [("NLH 16th", -0.5), ("NLH 8th", 2.0)])])  # fmt: skip
    e = pooled["styles"]["folk"]["new"]["c2st_explained"]
    assert e["groups"]["note lengths (NLH)"]["alone"] == pytest.approx(0.7)
    assert [d["feature"] for d in e["differences"]] == ["NLH 16th", "NLH 8th", "PCH C"]  # both seeds first
    assert e["differences"][0]["d"] == pytest.approx(-0.75) and e["differences"][0]["seeds"] == 2
    table = format_table(pooled)
    assert "- new: told apart best by (accuracy on that group alone) note lengths (NLH) 0.700" in table
    assert "NLH 16th (d -0.75: real 0.200, takes 0.100)" in table
    with pytest.raises(ValueError, match="explain must be true or false"):
        MusicalityConfig(explain="yes")
