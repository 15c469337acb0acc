"""The evaluation suite end to end on a tiny untrained model and tiny synthetic real sets:
JSON keys, the table, the HTML report (well-formed, table + SVG), the constraint re-checks,
and the CLI verb."""

from __future__ import annotations

import argparse
import json
from html.parser import HTMLParser

import pytest
import torch

from tunesmith.evaluation.suite import EvalConfig, run_evaluation, synthetic_eval_data
from tunesmith.evaluation.systems import TunesmithSystem, load_system
from tunesmith.model import GPT, ModelConfig
from tunesmith.tokenizer import Tokenizer

STYLES = ["folk", "chorale", "pop", "jazz"]


def tiny_system(seed: int, label: str) -> TunesmithSystem:
    tok = Tokenizer()
    torch.manual_seed(seed)
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=32)).eval()
    return TunesmithSystem(model, tok, {"path": f"memory:{label}", "sha256": ""}, label=label)


def tiny_jsb(path) -> str:
    """Two 'test' chorales on the 16th grid (4 pitches per step), one 'train' chorale."""
    a = [[72, 67, 64, 48]] * 8 + [[74, 67, 62, 43]] * 8 + [[72, 67, 64, 48]] * 16
    b = [[67, 62, 59, 43]] * 4 + [[69, 64, 60, 45]] * 4 + [[67, 62, 59, 43]] * 8
    path.write_text(json.dumps({"train": [a], "valid": [], "test": [a, b]}))
    return str(path)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("eval")
    config = EvalConfig(
        samples=4,
        styles=STYLES,
        seed=0,
        per_request=2,
        real_max=12,
        likelihood_max=6,
        xml_max=2,
        workers=0,
        jsb=True,
        jsb_path=tiny_jsb(folder / "jsb.json"),
        yl_max=12,
        progress=False,
    )
    data = synthetic_eval_data(120, seed=1)
    return run_evaluation(tiny_system(1, "tiny"), data, config, compare=tiny_system(2, "tiny-2"))


def test_json_has_the_expected_keys(result):
    from tunesmith.evaluation.report import REPORT_KEYS

    assert set(REPORT_KEYS) <= set(result)
    json.dumps(result, allow_nan=False)  # plain JSON, NaN written as null
    header = result["header"]
    for key in ("model", "compare", "data", "seed", "samples_per_style", "timings", "started"):
        assert key in header
    assert header["model"]["label"] == "tiny" and header["compare"]["label"] == "tiny-2"
    assert header["timings"]["total"] > 0
    for style in STYLES:
        s = result["styles"][style]
        for key in (
            "n",
            "statistics",
            "distributions",
            "overlap_with_real",
            "yang_lerch",
            "rl_tuner",
            "c2st",
            "memorization",
            "constraints",
            "likelihood",
        ):
            assert key in s, (style, key)
        assert s["n"]["model"] == 4 and s["n"]["compare"] == 4 and s["n"]["real"] > 0
        assert set(s["c2st"]) == {"model", "compare", "real"}
        assert s["rl_tuner"]["paper_note_rnn"]["leaps_resolved"] == pytest.approx(0.772)
        assert s["likelihood"]["model"]["per_note"] > 0 and s["likelihood"]["compare"]["n_pieces"] > 0


def test_constraints_are_checked_from_both_written_formats(result):
    for style in STYLES:
        cons = result["styles"][style]["constraints"]["model"]
        assert cons["midi"]["n"] == 4
        assert cons["musicxml"]["n"] == 2  # xml_max
        assert 0.0 <= cons["midi"]["all_satisfied"] <= 1.0
        assert "write_or_read" not in cons["musicxml"]["failed_share"], cons["musicxml"]["examples"]


def test_table_rows_and_verdicts(result):
    rows = result["table"]
    assert rows
    metrics = {r["metric"] for r in rows}
    for wanted in (
        "NLL per note",
        "NLL per bar",
        "C2ST accuracy (0.5 = indistinguishable)",
        "all satisfied (midi)",
        "share with a run >= 16 notes",
        "notes_in_repeated_motif",
        "OA pitch_class_histogram",
        "pitch_class_entropy",
    ):
        assert wanted in metrics
    assert {r["style"] for r in rows} == set(STYLES)
    assert all(r["vs_compare"] in (None, "ahead", "behind", "tie") for r in rows)
    assert any(r["vs_compare"] is not None for r in rows)
    rl = [r for r in rows if r["metric"] == "leaps_resolved"]
    assert rl and all(r["reference"] == pytest.approx(0.772) for r in rl)


def test_jsb_frame_figures(result):
    jsb = result["jsb"]["model"]
    a = jsb["all"]
    assert a["n_chorales"] == 2 and a["n_frames"] == 32 + 16
    assert a["nats_per_frame_voice"] == pytest.approx(a["nats_per_frame"] / 4)
    assert jsb["n_exact_encoding"] == 2  # whole quarters and halves: our tokens keep the grid exactly
    assert jsb["reference"] and not any(x["verified"] for x in jsb["reference"])
    assert all(x["status"].startswith("unverified") for x in jsb["reference"])
    # whole-piece figures add tunesmith's header cost: never below the header-given ones
    assert a["nats_per_frame_joint"] > a["nats_per_frame"]


def test_reference_sources_are_in_the_json_and_the_html(result):
    from tunesmith.evaluation.html import render_html

    refs = result["references"]
    assert refs["rl_tuner_note_rnn"]["verified"] and "1611.02796v3" in refs["rl_tuner_note_rnn"]["url"]
    assert refs["jsb"] and all(not x["verified"] for x in refs["jsb"])
    rl = [r for r in result["table"] if r["metric"] == "leaps_resolved"]
    assert all(r["reference_status"].startswith("verified") for r in rl)
    text = render_html(result)
    assert "arxiv.org/abs/1611.02796v3" in text  # as text, not a link
    assert text.count("unverified: recalled from memory") >= 3  # each JSB figure, in both tables


def test_likelihood_rows_score_whole_pieces(result):
    """The scored NLL rows add tunesmith's header cost (uniform prior); header-given rows are info."""
    for style in STYLES:
        lik = result["styles"][style]["likelihood"]["model"]
        assert lik["per_note_joint"] == pytest.approx((lik["total"] + lik["header_total"]) / lik["n_notes"])
        # about 18.7 nats a piece, 4.6 more with a pickup (its position, 1 of 96)
        assert 18.6 * lik["n_pieces"] <= lik["header_total"] <= 23.3 * lik["n_pieces"]
    rows = {(r["style"], r["metric"]): r for r in result["table"]}
    assert rows[("folk", "NLL per note")]["direction"] == "lower"
    assert rows[("folk", "NLL per note")]["model"] == pytest.approx(
        result["styles"]["folk"]["likelihood"]["model"]["per_note_joint"]
    )
    assert rows[("folk", "NLL per note, header given (reference only)")]["direction"] == "info"


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.ids.update(v for k, v in attrs if k == "id")


def test_html_is_well_formed_and_self_contained(result):
    from defusedxml import ElementTree

    from tunesmith.evaluation.html import render_html

    text = render_html(result)
    parser = _Collect()
    parser.feed(text)
    assert "table" in parser.tags and "svg" in parser.tags and "metrics" in parser.ids
    root = ElementTree.fromstring(text.split("\n", 1)[1])  # well-formed XML after the doctype line
    assert root.tag == "html"
    # nothing is loaded: no script, stylesheet link, font, image or frame, no url() or @import
    lowered = text.lower()
    for bad in ("<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url(", "@font-face"):
        assert bad not in lowered, bad
    import re

    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", lowered)
    assert "tiny-2" in text and "memory:tiny" in text  # which models, in the header


def test_c2st_of_real_against_real_is_chance():
    """Two random halves of one population: accuracy near 0.5 (and a shifted set is caught)."""
    from tunesmith.evaluation.suite import _c2st, _halves
    from tunesmith.score import Note
    from tunesmith.solvers.train import synthetic_pieces

    pieces = [p for p in synthetic_pieces(480, seed=3) if p.style != "chorale"]
    a, b = _halves(pieces, seed=0)
    same = _c2st(a, b, folds=5, seed=0)
    assert len(a) >= 150
    assert 0.40 <= same["accuracy"] <= 0.60, same
    for p in b:  # twice as slow: inter-onset intervals and note lengths no longer match
        for t in p.tracks:
            t.notes = [Note(n.pitch, 2 * n.onset, 2 * n.duration) for n in t.notes]
    other = _c2st(a, b, folds=5, seed=0)
    assert other["accuracy"] >= 0.75, other


@pytest.mark.shared_data
def test_c2st_real_vs_real_on_jsb_chorales():
    from tunesmith.evaluation.likelihood import load_jsb_split
    from tunesmith.evaluation.suite import _c2st, _halves

    try:
        pieces = load_jsb_split(split="train")
    except Exception as exc:  # noqa: BLE001 - absent shared data
        pytest.skip(f"JSB chorales not available: {exc}")
    a, b = _halves(pieces, seed=1)
    acc = _c2st(a, b, folds=5, seed=0)["accuracy"]
    assert 0.35 <= acc <= 0.65


def test_check_written_flags_a_wrong_piece(tmp_path):
    from tunesmith.evaluation.suite import check_written
    from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track

    piece = Piece(
        "x",
        "x",
        tracks=[Track("Melody", "melody", notes=[Note(60 + i % 5, float(i), 1.0) for i in range(8)])],
        keys=[KeySignature(0.0, "C", "major")],
        time_signatures=[TimeSignature(0.0, 4, 4)],
        tempos=[Tempo(0.0, 100.0)],
    )
    ok = {"key": "C", "mode": "major", "meter": "4/4", "bars": 2, "tempo": 100.0, "range": [55, 80]}
    bad = {**ok, "meter": "3/4", "range": [62, 80]}
    good = check_written(piece, ok, str(tmp_path / "a"), ("midi",))
    assert good["midi"]["ok"], good
    wrong = check_written(piece, bad, str(tmp_path / "b"), ("midi",))
    assert not wrong["midi"]["ok"] and {"meter", "range"} <= set(wrong["midi"]["failed"])
    assert (tmp_path / "a.mid").is_file()


def test_load_system_default_resolves_to_the_package_folder():
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    assert DEFAULT_MODEL_DIR.parts[-2:] == ("models", "default")
    if (DEFAULT_MODEL_DIR / "model.safetensors").is_file():
        system = load_system("default")
        assert system.kind == "tunesmith" and system.path == str(DEFAULT_MODEL_DIR)
    else:
        with pytest.raises(FileNotFoundError, match="default"):
            load_system("default")


def test_cli_evaluate_writes_json_and_html(tmp_path):
    from tunesmith.cli import evaluate
    from tunesmith.model import save_model

    system = tiny_system(4, "cli")
    save_model(tmp_path / "m", system.model, system.tokenizer)
    parser = argparse.ArgumentParser()
    evaluate.add_arguments(parser)
    args = parser.parse_args(
        [
            "--model", str(tmp_path / "m"), "--synthetic", "--samples", "2", "--styles", "folk,pop",
            "--per-request", "2", "--real-max", "6", "--nll-max", "3", "--xml-max", "1", "--workers", "0",
            "--no-jsb", "--no-progress", "--json", str(tmp_path / "e.json"), "--html", str(tmp_path / "e.html"),
        ]
    )  # fmt: skip
    assert evaluate.run(args) == 0
    data = json.loads((tmp_path / "e.json").read_text())
    assert data["header"]["styles"] == ["folk", "pop"]
    assert data["header"]["model"]["sha256"]  # the model file's hash
    assert "<svg" in (tmp_path / "e.html").read_text()


def test_evaluate_rejects_bad_arguments_before_work():
    with pytest.raises(ValueError, match="style"):
        EvalConfig(styles=["polka"])
    with pytest.raises(ValueError, match="samples"):
        EvalConfig(samples=0)


def test_compare_with_a_saved_gpt2_baseline(tmp_path):
    """--compare accepts a GPT-2 + REMI folder: its samples are decoded from REMI to pieces,
    checked and scored like ours."""
    pytest.importorskip("transformers")
    from tunesmith.baselines.gpt2_remi import build_remi_tokenizer, make_gpt2_for, save_baseline

    remi = build_remi_tokenizer()
    save_baseline(make_gpt2_for(remi, 60_000, 128), remi, tmp_path / "gpt2")
    compare = load_system(str(tmp_path / "gpt2"))
    assert compare.kind == "gpt2-remi" and compare.sha256
    config = EvalConfig(
        samples=2,
        styles=["folk"],
        per_request=2,
        real_max=6,
        likelihood_max=2,
        xml_max=1,
        workers=0,
        jsb=True,
        jsb_path=tiny_jsb(tmp_path / "jsb.json"),
        progress=False,
    )
    result = run_evaluation(tiny_system(5, "tiny"), synthetic_eval_data(80, seed=2), config, compare=compare)
    folk = result["styles"]["folk"]
    assert folk["n"]["compare"] == 2
    assert folk["constraints"]["compare"]["midi"]["n"] == 2
    # no controls: its constraint checks are kept as information but not scored
    assert folk["constraints"]["compare"]["midi"]["scored"] is False
    assert folk["constraints"]["model"]["midi"]["scored"] is True
    rows = [r for r in result["table"] if r["group"].startswith("constraints")]
    assert rows and all(r["compare_text"] == "n/a (no controls)" and r["compare"] is None for r in rows)
    assert all(r["vs_compare"] is None for r in rows)
    assert result["header"]["compare"]["takes_controls"] is False
    assert any("no controls" in n for n in result["header"]["fairness"])
    from tunesmith.evaluation.html import render_html

    assert "n/a (no controls)" in render_html(result)
    lik = folk["likelihood"]
    assert lik["compare"]["n_notes"] == lik["model"]["n_notes"] > 0  # the same canonical pieces
    assert lik["compare"]["per_note_joint"] == lik["compare"]["per_note"]  # unconditioned: already whole-piece
    assert result["jsb"]["compare"]["all"]["n_chorales"] == 2
    assert result["header"]["compare"]["kind"] == "gpt2-remi"


def test_random_init_system_has_the_default_toml_size():
    """'random' mirrors configs/default.toml's [model] table, not ModelConfig()'s defaults."""
    import tomllib
    from pathlib import Path

    from tunesmith.evaluation.systems import DEFAULT_CONFIG_TOML, default_model_config, random_tunesmith

    assert DEFAULT_CONFIG_TOML.samefile(Path(__file__).resolve().parents[1] / "configs" / "default.toml")
    want = tomllib.loads(DEFAULT_CONFIG_TOML.read_text())["model"]
    cfg = default_model_config(100)
    for key in ("n_layer", "n_head", "n_embd", "block_size"):
        assert getattr(cfg, key) == want[key], key
    assert (cfg.n_layer, cfg.n_head, cfg.n_embd, cfg.block_size) == (4, 4, 192, 1024)
    system = load_system("random")
    assert system.model.config.n_embd == 192 and system.takes_controls
    assert random_tunesmith().n_params == system.n_params


def test_a_corpus_without_test_pieces_is_said_before_the_empty_table(monkeypatch, capsys):
    """A 40-piece corpus split into train and valid only: the table had shown dashes, the reason
    only in the JSON (test_pieces_per_style 0)."""
    from tunesmith.cli import main
    from tunesmith.evaluation import suite

    empty = suite.EvalData(test={"folk": []}, train=[], source={"kind": "corpus"})
    monkeypatch.setattr(suite, "load_eval_data", lambda corpus, styles: empty)

    def stop(*args, **kwargs):
        raise ValueError("stopped after the note")

    monkeypatch.setattr(suite, "run_evaluation", stop)
    assert main(["evaluate", "--model", "default", "--styles", "folk", "--samples", "2"]) == 2
    err = capsys.readouterr().err
    assert "note: the corpus's test split holds no folk pieces: those rows stay empty" in err
