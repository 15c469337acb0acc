"""Training: config checks, a tiny run that learns, determinism, kill + resume == uninterrupted,
license filtering, and model files that are safetensors + JSON only."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from tunesmith.config import TrainConfig, load_config
from tunesmith.model import load_model, read_safetensors
from tunesmith.sampling import ComposeRequest, generate
from tunesmith.solvers.train import (
    TrainingInterrupted,
    select_pieces,
    synthetic_pieces,
    train,
)

ROOT = Path(__file__).resolve().parents[1]
TEST_TOML = ROOT / "configs" / "test.toml"



pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def config() -> TrainConfig:
    return load_config(TEST_TOML)


@pytest.fixture(scope="module")
def pieces():
    ps = synthetic_pieces(60, seed=3)
    return [p for p in ps if p.split == "train"], [p for p in ps if p.split == "valid"]


def _weights(folder: Path, name: str = "model.safetensors") -> dict[str, torch.Tensor]:
    return read_safetensors(folder / name)[0]


def _same(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


# ------------------------------------------------------------------ config
def test_shipped_configs_load():
    small = load_config(ROOT / "configs" / "small.toml")
    assert small.shippable_only and small.n_embd == 192 and small.block_size == 1024
    test = load_config(TEST_TOML)
    assert test.synthetic > 0 and test.max_steps <= 50


@pytest.mark.parametrize(
    "text, message",
    [
        ("[model]\nn_layers = 4\n", "unknown key"),
        ("[model]\nn_layer = 0\n", "n_layer"),
        ("[model]\nn_layer = 'four'\n", "integer"),
        ("[model]\nn_embd = 100\nn_head = 3\n", "divisible"),
        ("[optim]\nlr = -1.0\n", "lr"),
        ("[data]\nfim_rate = 2.0\n", "fim_rate"),
        ("[data]\nstyles = ['metal']\n", "styles"),
        ("[data]\nshippable_only = 'yes'\n", "true or false"),
        ("[run]\nmax_steps = 10\n[model]\nmax_steps = 3\n", "twice"),
        ("this is = = not toml", "TOML"),
        ("[optimizer]\nlr = 1e-3\n", r"unknown table \[optimizer\] \(did you mean \[optim\]\?\)"),
        ("[training]\nmax_steps = 3\n", r"unknown table \[training\]; the tables are \[model\]"),
    ],
)
def test_bad_configs_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        load_config(path)


def test_missing_config_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_config(tmp_path / "nope.toml")


def test_overrides(config):
    cfg = load_config(TEST_TOML, max_steps=3, seed=None)
    assert cfg.max_steps == 3 and cfg.seed == config.seed


# ------------------------------------------------------------------ training
def test_a_folder_holding_a_model_is_not_trained_over_without_force(tmp_path, config, pieces):
    """A new run into a folder that holds a model had replaced it silently (its takes then named a
    sha256 that no longer existed): refused unless --resume or --force; --force starts clean."""
    cfg = replace(config, max_steps=4, eval_every=2)
    train(cfg, tmp_path / "m", pieces=pieces, progress=False)
    before = (tmp_path / "m" / "model.safetensors").read_bytes()
    with pytest.raises(FileExistsError, match=r"m: already holds a model or a run \(model.safetensors, checkpoint"):
        train(replace(cfg, seed=2), tmp_path / "m", pieces=pieces, progress=False)
    assert (tmp_path / "m" / "model.safetensors").read_bytes() == before
    again = train(replace(cfg, seed=2), tmp_path / "m", pieces=pieces, progress=False, force=True)
    assert again["steps"] == 4 and (tmp_path / "m" / "model.safetensors").read_bytes() != before
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileExistsError, match=r"file: a file, not a folder"):
        train(cfg, tmp_path / "file", pieces=pieces, progress=False)


def test_a_corpus_named_on_the_command_line_wins_over_a_synthetic_config(tmp_path, capsys):
    """`train --config test --corpus DIR` had trained on the test config's synthetic pieces without
    a word, the model's record naming DIR all the same."""
    from tunesmith.cli import main
    from tunesmith.corpus.store import save_corpus

    mine = synthetic_pieces(30, seed=5)
    for p in mine:
        p.source, p.license = "mine", "CC0-1.0"
    save_corpus(mine, tmp_path / "cache")
    out = tmp_path / "m"
    assert main(["train", "--config", "test", "--corpus", str(tmp_path / "cache"), "--out", str(out),
                 "--max-steps", "2", "--json"]) == 0  # fmt: skip
    assert "the config trains on 60 synthetic pieces; --corpus" in capsys.readouterr().err
    prov = json.loads((out / "model.json").read_text())["provenance"]
    assert prov["corpus"] != "synthetic" and set(prov["licenses"]) == {"CC0-1.0"}


def test_tiny_training_learns_and_writes_a_model(tmp_path, config, pieces):
    cfg = replace(config, max_steps=24, eval_every=6)
    result = train(cfg, tmp_path, pieces=pieces, progress=False)
    history = result["history"]
    assert [h["step"] for h in history] == [6, 12, 18, 24]
    assert history[-1]["val_loss"] < history[0]["val_loss"] - 0.3
    assert result["best_val_loss"] == pytest.approx(min(h["val_loss"] for h in history), abs=1e-4)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["MODEL_CARD.md", "checkpoint.safetensors", "model.json", "model.safetensors",
                     "similarity_index.json", "similarity_index.npz", "train_log.json"]  # fmt: skip
    model, tokenizer, info = load_model(tmp_path)
    prov = info["provenance"]
    assert prov["pieces"]["train"] == len(pieces[0]) and prov["pieces"]["valid"] == len(pieces[1])
    assert prov["sources"]["synthetic"]["licenses"] == {"public-domain": len(pieces[0]) + len(pieces[1])}
    assert prov["all_licenses_may_ship"] is True
    assert info["train_config"]["max_steps"] == 24
    readable = json.loads((tmp_path / "model.json").read_text())
    assert readable["provenance"] == prov and "vocab" not in readable["tokenizer"]
    # the trained model composes under constraints
    request = ComposeRequest(style="folk", key="G", bars=4, chords=["G", "D7"], seed=1)
    take = generate(model, tokenizer, request)[0]
    assert take.piece.n_bars == 4 and [c.figure for c in take.piece.chords] == ["G", "D7", "G", "D7"]


def _losses(result: dict) -> list[dict]:
    """The history without its wall-clock field (timings are not deterministic)."""
    return [{k: v for k, v in h.items() if k != "train_seconds"} for h in result["history"]]


def test_training_is_deterministic(tmp_path, config, pieces):
    cfg = replace(config, max_steps=8, eval_every=4)
    a = train(cfg, tmp_path / "a", pieces=pieces, progress=False)
    b = train(cfg, tmp_path / "b", pieces=pieces, progress=False)
    assert _losses(a) == _losses(b)
    assert _same(_weights(tmp_path / "a", "checkpoint.safetensors"), _weights(tmp_path / "b", "checkpoint.safetensors"))
    c = train(replace(cfg, seed=cfg.seed + 1), tmp_path / "c", pieces=pieces, progress=False)
    assert _losses(c) != _losses(a)


def test_interrupted_then_resumed_equals_uninterrupted(tmp_path, config, pieces):
    cfg = replace(config, max_steps=12, eval_every=4, dropout=0.1)
    full = train(cfg, tmp_path / "full", pieces=pieces, progress=False)
    # crash after step 6: the checkpoint is from step 4, steps 5-6 are lost and redone
    with pytest.raises(TrainingInterrupted):
        train(cfg, tmp_path / "cut", pieces=pieces, progress=False, interrupt_at=6)
    resumed = train(cfg, tmp_path / "cut", pieces=pieces, progress=False, resume=True)
    assert _losses(resumed) == _losses(full)
    for name in ("checkpoint.safetensors", "model.safetensors"):
        assert _same(_weights(tmp_path / "full", name), _weights(tmp_path / "cut", name)), name


def test_fine_tuning_starts_from_a_models_weights(tmp_path, config, pieces):
    """`init_from` starts a run from a trained model's weights: its first validation loss is the
    trained model's level, not a random one's, and the provenance names the model it came from."""
    cfg = replace(config, max_steps=24, eval_every=6)
    base = train(cfg, tmp_path / "base", pieces=pieces, progress=False)
    fresh = train(replace(cfg, max_steps=6), tmp_path / "fresh", pieces=pieces, progress=False)
    tuned = train(replace(cfg, max_steps=6, init_from=str(tmp_path / "base")), tmp_path / "tuned", pieces=pieces, progress=False)
    first = tuned["history"][0]["val_loss"]
    assert first < fresh["history"][0]["val_loss"] - 0.3
    assert first < base["best_val_loss"] + 0.1  # it goes on from where the base model stood
    _, _, info = load_model(tmp_path / "tuned")
    start = info["provenance"]["initialised_from"]
    assert start["model"] == "base" and len(start["sha256"]) == 64
    assert str(tmp_path) not in json.dumps(info["provenance"])  # no machine path in the provenance
    with pytest.raises(ValueError, match="its shape differs from the config's model"):
        train(replace(cfg, n_embd=cfg.n_embd * 2, init_from=str(tmp_path / "base")), tmp_path / "bad", pieces=pieces,
              progress=False)  # fmt: skip


def test_a_resumed_fine_tune_still_names_the_weights_it_started_from(tmp_path, config, pieces):
    """The provenance is built again on resume: fine-tunes resumed across sessions had lost
    `initialised_from`, and their cards said they were trained from scratch (session 56)."""
    cfg = replace(config, max_steps=8, eval_every=4)
    train(cfg, tmp_path / "base", pieces=pieces, progress=False)
    tuned = replace(cfg, max_steps=12, init_from=str(tmp_path / "base"))
    with pytest.raises(TrainingInterrupted):
        train(tuned, tmp_path / "tuned", pieces=pieces, progress=False, interrupt_at=6)
    train(tuned, tmp_path / "tuned", pieces=pieces, progress=False, resume=True)
    _, _, info = load_model(tmp_path / "tuned")
    start = info["provenance"]["initialised_from"]
    assert start["model"] == "base" and len(start["sha256"]) == 64 and "recorded_at_resume" not in start
    assert "fine-tuned from model `base`" in (tmp_path / "tuned" / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_a_trained_model_carries_the_copy_guard_of_its_training_works(tmp_path, config, pieces):
    """A trained folder had no similarity index: its takes went out "checked": false ("no
    similarity index beside the model") though its card says every take names the works it
    resembles, and `check --model FOLDER` refused it. Now the index of the pieces it trained on
    lies beside the weights (those works alone, never the shipped model's), and a training piece
    checked against it is a copy."""
    from tunesmith.rights.check import check_piece, resolve_index
    from tunesmith.rights.guard import model_index

    cfg = replace(config, max_steps=2, eval_every=1)
    train(cfg, tmp_path / "mine", pieces=pieces, progress=False)
    index = resolve_index("model", model=tmp_path / "mine")
    assert model_index(str(tmp_path / "mine")) is not None
    assert sorted(d["work_id"] for d in index.docs) == sorted(p.work_id for p in pieces[0])
    assert index.info["against"] == "model" and "calibration" in index.info
    result = check_piece(pieces[0][0], index)
    assert result.verdict == "copy" and result.nearest()[0]["work_id"] == pieces[0][0].work_id
    # a fine-tune also learned its base's works, which it cannot index: none rather than half of one
    train(replace(cfg, init_from=str(tmp_path / "mine")), tmp_path / "ft", pieces=pieces, progress=False)
    with pytest.raises(FileNotFoundError, match="the model has no similarity index"):
        resolve_index("model", model=tmp_path / "ft")


def test_a_model_that_learned_no_chords_writes_none(tmp_path, config, pieces):
    """A band trained tunesmith on its tunes, which have no chord symbols: the model's chord tokens
    were never trained, and its takes had D69, Daug, Ebm, Eb13b9 over a tune in D. Its record
    now counts the training pieces with chords (0), and its takes are the melody alone, with a
    note that says why and how to have chords; the harmonizer's, asked for, are written under
    a melody composed without chords."""
    import tunesmith

    bare = [[replace(p, chords=[]) for p in split] for split in pieces]
    cfg = replace(config, max_steps=2, eval_every=1)
    train(cfg, tmp_path / "bare", pieces=bare, progress=False)
    model = tunesmith.load_model(tmp_path / "bare")
    assert model.training_record()["pieces_with_chords"] == 0
    assert "None of them has chord symbols" in (tmp_path / "bare" / "MODEL_CARD.md").read_text()
    take = tunesmith.compose("folk", key="D", bars=4, seed=1, model=model, check=False)
    assert take.piece.chords == [] and take.provenance["resolved"]["chords_from"] == "none"
    assert any("learned from pieces without chord symbols" in n for n in take.provenance["notes"])
    harmonized = tunesmith.compose("folk", key="D", bars=4, seed=1, model=model, check=False, chords_from="harmonizer")
    assert harmonized.piece.chords and harmonized.provenance["resolved"]["chords_from"] == "harmonizer"
    mine = tunesmith.compose("folk", key="D", bars=4, seed=1, model=model, check=False, chords="D G A D")
    assert [c.figure for c in mine.piece.chords][:4] == ["D", "G", "A", "D"]
    # a model that learned chords writes them, as before
    train(cfg, tmp_path / "chords", pieces=pieces, progress=False)
    assert tunesmith.load_model(tmp_path / "chords").training_record()["pieces_with_chords"] > 0


def test_resuming_under_a_spent_time_budget_says_so(tmp_path, config, pieces):
    """--max-minutes counts training time across --resume: a resume under a budget the run had
    already spent took one step and stopped "by max_minutes" without a word of why."""
    cfg = replace(config, max_steps=6, eval_every=3)
    first = train(cfg, tmp_path, pieces=pieces, progress=False, max_minutes=1e-6)
    assert first["stopped"] == "max_minutes" and first["steps"] == 1
    with pytest.raises(ValueError, match=r"^--max-minutes 1e-06: the run in .* has trained 0\.0 minutes already "
                                         r"\(the budget counts across --resume\); give a larger one to go on$"):
        train(cfg, tmp_path, pieces=pieces, progress=False, resume=True, max_minutes=1e-6)
    again = train(cfg, tmp_path, pieces=pieces, progress=False, resume=True, max_minutes=10)
    assert again["steps"] == 6 and again["stopped"] == "max_steps"


def test_resume_without_checkpoint_is_an_error(tmp_path, config, pieces):
    with pytest.raises(FileNotFoundError, match="resume"):
        train(config, tmp_path, pieces=pieces, progress=False, resume=True)


def test_killed_process_resumes_to_the_same_result(tmp_path, config):
    """SIGKILL a real `train` process after its first checkpoint, resume, compare."""
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "tunesmith.cli.train", "--config", str(TEST_TOML), "--quiet", "--max-steps", "20"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([*cmd, "--out", str(out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not (out / "checkpoint.safetensors").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (out / "checkpoint.safetensors").exists(), proc.stderr.read().decode()
    killed_at = json.loads(read_safetensors(out / "checkpoint.safetensors")[1]["tunesmith"])["step"]
    done = subprocess.run([*cmd, "--out", str(out), "--resume"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    ref = subprocess.run([*cmd, "--out", str(tmp_path / "ref")], env=env, capture_output=True, text=True, timeout=300)
    assert ref.returncode == 0, ref.stderr
    assert killed_at < 20
    assert _same(_weights(out, "checkpoint.safetensors"), _weights(tmp_path / "ref", "checkpoint.safetensors"))
    assert _same(_weights(out), _weights(tmp_path / "ref"))


def test_shippable_only_filters_by_license(config):
    ps = synthetic_pieces(40, seed=1)
    for i, p in enumerate(ps):
        p.license = ("public-domain", "research-only", "non-commercial", "CC-BY-4.0")[i % 4]
    train_all, _, prov_all = select_pieces(ps, replace(config, shippable_only=False))
    train_ship, _, prov_ship = select_pieces(ps, replace(config, shippable_only=True))
    assert {p.license for p in train_all} >= {"research-only", "non-commercial"}
    assert {p.license for p in train_ship} <= {"public-domain", "CC-BY-4.0"}
    assert prov_ship["all_licenses_may_ship"] and not prov_all["all_licenses_may_ship"]
    only_folk, _, _ = select_pieces(ps, replace(config, styles=["folk"]))
    assert only_folk and {p.style for p in only_folk} == {"folk"}


def test_loading_something_else_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path)
    (tmp_path / "model.safetensors").write_bytes(b"PK\x03\x04 this is a zip, not a model")
    with pytest.raises(ValueError, match="not a safetensors"):
        load_model(tmp_path)
    save_file({"w": torch.zeros(2)}, str(tmp_path / "model.safetensors"), metadata={"format": "pt"})
    with pytest.raises(ValueError, match="not a tunesmith model"):
        load_model(tmp_path)


def test_learning_rate_anneals_by_time_budget_as_well_as_steps(config):
    from tunesmith.solvers.train import lr_at

    cfg = replace(config, max_steps=1000, warmup_steps=10, lr=1e-3, min_lr=1e-4)
    assert lr_at(5, cfg) == pytest.approx(5e-4)  # warmup ignores the clock
    assert lr_at(11, cfg, time_fraction=0.0) == pytest.approx(1e-3, rel=1e-4)
    assert lr_at(11, cfg, time_fraction=0.5) == pytest.approx(5.5e-4, rel=1e-3)  # half the budget spent
    assert lr_at(11, cfg, time_fraction=1.0) == pytest.approx(1e-4)
    assert lr_at(1000, cfg, time_fraction=0.1) == pytest.approx(1e-4)  # steps ran out first
    # a time budget ends a long warm-up by its first 5 %: 200 warm-up steps had outlasted a 103-step run
    long = replace(cfg, warmup_steps=200)
    assert lr_at(20, long, time_fraction=0.0) == pytest.approx(1e-4)  # no budget: the steps count
    assert lr_at(20, long, time_fraction=0.025) == pytest.approx(5e-4)  # half of the budget's warm-up
    assert lr_at(20, long, time_fraction=0.05) == pytest.approx(1e-3, rel=1e-2)  # warm at 5 %, then annealing
    assert lr_at(100, long, time_fraction=1.0) == pytest.approx(1e-4)


def test_a_trained_model_gets_its_own_card(tmp_path):
    """`train` writes MODEL_CARD.md for the user's model: its own title, data, licenses and what
    they mean for sharing, never the package's default-model card."""
    out = tmp_path / "my-irish-model"
    train(load_config(TEST_TOML, max_steps=2, eval_every=1), out, progress=False)
    card = (out / "MODEL_CARD.md").read_text()
    assert card.startswith("# tunesmith model: my-irish-model\n")
    assert "default model" not in card and "music21" not in card  # nothing of the package's card
    info = json.loads((out / "model.json").read_text())
    from tunesmith.pretrained import file_sha256

    assert file_sha256(out / "model.safetensors") in card
    assert f"{info['step']} steps of batch" in card and "| synthetic |" in card
    assert "## Sharing the weights and the takes" in card


def test_a_card_says_research_only_data_keeps_the_model_private(tmp_path):
    from tunesmith.solvers.model_card import sharing_lines

    barred = "\n".join(sharing_lines({"provenance": {"licenses": {"public-domain": 3, "research-only": 1}}}))
    assert "licensed research-only" in barred and "study and research" in barred
    unknown = "\n".join(sharing_lines({"provenance": {}}))
    assert "not recorded" in unknown


def test_fixed_register_styles_are_never_transposed():
    """A style in `fixed_register_styles` (chorales: four voices at one height whatever the key)
    keeps its pieces in their own key in every example; the other styles' transpositions, and
    every random draw, stay as they were without it. A style that does not exist is refused."""
    import numpy as np

    from tunesmith.config import TrainConfig
    from tunesmith.solvers.train import TokenData, synthetic_pieces
    from tunesmith.tokenizer import Tokenizer

    pieces = synthetic_pieces(24, seed=3)
    tok = Tokenizer()
    plain = TokenData(pieces, tok, 512)
    fixed = TokenData(pieces, tok, 512, fixed_register_styles=["chorale"])
    a = [plain.random_spec(np.random.default_rng(7 + i), 0.3, 5) for i in range(200)]
    b = [fixed.random_spec(np.random.default_rng(7 + i), 0.3, 5) for i in range(200)]
    chorale = [plain.items[x[0]].piece.style == "chorale" for x in a]
    assert any(chorale) and not all(chorale)
    assert any(x[2] for x, c in zip(a, chorale) if c)  # without it chorales were transposed
    assert all(y[2] == 0 for y, c in zip(b, chorale) if c)
    assert [y for y, c in zip(b, chorale) if not c] == [x for x, c in zip(a, chorale) if not c]
    assert [(y[0], y[1], y[3]) for y in b] == [(x[0], x[1], x[3]) for x in a]
    with pytest.raises(ValueError, match="fixed_register_styles"):
        TrainConfig(fixed_register_styles=["chorales"])
