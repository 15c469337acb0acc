"""The folders `tunesmith tune` and `tunesmith preferences dpo` write: a resume must keep the run's
rewards (and says what changed), a new run never silently overwrites an old one (--force replaces
it whole), and every model folder written (the tuned model, its round-NNNN snapshots, a DPO model)
is a normal model folder: decoding defaults, the copy guard's similarity index, a model card, and
no machine paths."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tunesmith.rewards import combine, parse_spec, resolve, rules
from tunesmith.rewards.diversity import RoundNovelty
from tunesmith.solvers.policy_gradient import TuneConfig, TuningInterrupted, tune
from tunesmith.solvers.train import synthetic_pieces

pytestmark = pytest.mark.usefixtures("one_torch_thread")

FOLK = {"temperature": 0.9, "top_p": 1.0, "tonal_feedback": 0.5}


@pytest.fixture(scope="module")
def pieces():
    ps = [p for p in synthetic_pieces(30, seed=1) if p.style == "folk"]
    return [p for p in ps if p.split == "train"], [p for p in ps if p.split != "train"]


@pytest.fixture(scope="module")
def base(tiny_model_folder, pieces, tmp_path_factory) -> Path:
    """The tiny model with what a shipped model folder has beside its weights: decoding defaults,
    a similarity index (the copy guard's) and a model card."""
    from tunesmith.rights.index import SimilarityIndex

    folder = tmp_path_factory.mktemp("base") / "model"
    shutil.copytree(tiny_model_folder, folder)
    (folder / "decoding.json").write_text(json.dumps({"chosen_on": "a test", "folk": FOLK}))
    SimilarityIndex.build(pieces[0], info={"name": "tiny"}).save(folder / "similarity_index")
    (folder / "MODEL_CARD.md").write_text("# Tiny\n\nThe base's own card.\n")
    return folder


def small(**kw) -> TuneConfig:
    d = dict(styles=["folk"], bars=4, cadence="free", prompts_per_round=1, takes_per_prompt=2, rounds=3,
             lr=1e-2, kl_coef=0.0, eval_every=0, seed=1)  # fmt: skip
    d.update(kw)
    return TuneConfig(**d)


def cli_args(base: Path) -> list[str]:
    return ["--base", str(base), "--styles", "folk", "--bars", "4", "--prompts", "1", "--takes", "2",
            "--synthetic", "30", "--quiet", "--json"]  # fmt: skip


def assert_normal_model_folder(folder: Path, base: Path) -> None:
    """What `compose --model FOLDER` reads: weights, the base's decoding defaults and its
    similarity index (so takes are checked for copies), and a card that carries the base's."""
    from tunesmith import pretrained
    from tunesmith.inference import read_decoding
    from tunesmith.rights.guard import model_index

    for name in ("model.safetensors", "model.json", "decoding.json", "MODEL_CARD.md", "similarity_index.npz",
                 "similarity_index.json"):  # fmt: skip
        assert (folder / name).is_file(), f"{folder.name} lacks {name}"
    for name in ("similarity_index.npz", "similarity_index.json"):
        assert (folder / name).read_bytes() == (base / name).read_bytes()
    decoding = read_decoding(folder)["folk"]
    assert {k: v for k, v in decoding.items() if k != "closing_degrees"} == FOLK
    assert "The base's own card" in (folder / "MODEL_CARD.md").read_text()
    assert model_index(str(folder)) is not None
    pretrained.load(str(folder))  # loads as a model


# ------------------------------------------------------------------ resume keeps the rewards
def test_resume_refuses_another_reward_set_and_names_what_changed(base, pieces, tmp_path):
    out = tmp_path / "mix"
    with pytest.raises(TuningInterrupted):
        tune(base, combine({"rules": (rules.rules, 1.0)}), out, small(), pieces=pieces, progress=False, interrupt_at=1)
    before = (out / "checkpoint.safetensors").read_bytes()
    with pytest.raises(ValueError, match=r"other rewards \(rules dropped; ends_on_tonic, novelty added\); resume "
                       r"with the same --reward set: rules:1"):  # fmt: skip
        tune(base, combine({"ends_on_tonic": (rules.ends_on_tonic, 1.0), "novelty": (RoundNovelty(), 1.0)}), out,
             small(), pieces=pieces, progress=False, resume=True)  # fmt: skip
    with pytest.raises(ValueError, match=r"other rewards \(rules weight 1 -> 0.5\)"):
        tune(base, combine({"rules": (rules.rules, 0.5)}), out, small(), pieces=pieces, progress=False, resume=True)
    # the existing config check names the field that differs (rounds may grow: that extends the run)
    with pytest.raises(ValueError, match=r"another tune config \(lr 0.01 in the checkpoint, 0.02 now\); resume with "
                       r"the same one \(only rounds, eval_every, eval_examples, snapshot_every, threads may change\)"):
        tune(base, combine({"rules": (rules.rules, 1.0)}), out, small(lr=2e-2, rounds=5), pieces=pieces,
             progress=False, resume=True)  # fmt: skip
    assert (out / "checkpoint.safetensors").read_bytes() == before  # a refused resume writes nothing
    done = tune(base, combine({"rules": (rules.rules, 1.0)}), out, small(), pieces=pieces, progress=False, resume=True)
    assert done["rounds"] == 3
    assert list(json.loads((out / "model.json").read_text())["tuning"]["reward"]) == ["rules"]


def test_resuming_a_checkpoint_without_a_reward_record_says_so(base, pieces, tmp_path, capsys):
    """A checkpoint written before its rewards were recorded resumes, with a warning that the
    rewards cannot be checked (naming the ones given now)."""
    from tunesmith.model import read_safetensors, write_safetensors

    out = tmp_path / "old"
    with pytest.raises(TuningInterrupted):
        tune(base, combine({"rules": (rules.rules, 1.0)}), out, small(), pieces=pieces, progress=False, interrupt_at=1)
    file = out / "checkpoint.safetensors"
    tensors, meta = read_safetensors(file)
    info = json.loads(meta["tunesmith"])
    del info["reward_signature"]  # as checkpoints of session 12 and before
    write_safetensors(file, tensors, info)
    capsys.readouterr()
    done = tune(base, combine({"rules": (rules.rules, 1.0)}), out, small(), pieces=pieces, progress=False, resume=True)
    assert done["rounds"] == 3
    assert "predates the record of its rewards, so they cannot be checked; resuming with the rewards given now: " \
           "rules:1" in capsys.readouterr().err


def test_resume_refuses_an_edited_criteria_file(base, tmp_path, capsys):
    from tunesmith.cli import main

    crit = tmp_path / "good.toml"
    crit.write_text("[stepwise_share]\nat_least = 0.6\n")
    args = ["tune", "--reward", f"{crit}:0.5", "--out", str(tmp_path / "run"), "--rounds", "1", *cli_args(base)]
    assert main(args) == 0
    capsys.readouterr()
    crit.write_text("[stepwise_share]\nat_least = 0.9\n")
    assert main([*args, "--resume"]) == 2
    assert "other rewards (good.toml has changed since (sha256" in json.loads(capsys.readouterr().out)["error"]


def test_cli_resume_with_another_reward_is_one_clear_line(base, tmp_path, capsys):
    from tunesmith.cli import main

    out = str(tmp_path / "mix")
    assert main(["tune", "--reward", "rules", "--out", out, "--rounds", "1", *cli_args(base)]) == 0
    capsys.readouterr()
    assert main(["tune", "--reward", "rules", "--reward", "novelty", "--out", out, "--rounds", "1", "--resume",
                 *cli_args(base)]) == 2  # fmt: skip
    err = json.loads(capsys.readouterr().out)["error"]
    assert "checkpoint was made with other rewards (novelty added)" in err and "rules:1" in err


def test_a_finished_run_extended_equals_the_longer_run(base, pieces, tmp_path):
    """Resuming a finished run with more rounds goes on from its last round, and gives the very
    weights and history of a run that was asked for the longer count from the start."""
    from tunesmith.model import read_safetensors

    longer = tune(base, rules.rules, tmp_path / "long", small(rounds=4), pieces=pieces, progress=False)
    tune(base, rules.rules, tmp_path / "ext", small(rounds=2), pieces=pieces, progress=False)
    with pytest.raises(ValueError, match=r"ext: the run has done 2 rounds; to extend it, --rounds must be at least "
                       r"that \(the checkpoint's config says 2\)"):  # fmt: skip
        tune(base, rules.rules, tmp_path / "ext", small(rounds=1), pieces=pieces, progress=False, resume=True)
    extended = tune(base, rules.rules, tmp_path / "ext", small(rounds=4), pieces=pieces, progress=False, resume=True)
    wa = read_safetensors(tmp_path / "long" / "model.safetensors")[0]
    wb = read_safetensors(tmp_path / "ext" / "model.safetensors")[0]
    assert wa.keys() == wb.keys() and all(wa[k].equal(wb[k]) for k in wa)
    def strip(h):
        return [{k: v for k, v in e.items() if not k.endswith("seconds")} for e in h]
    assert extended["rounds"] == 4 and strip(extended["history"]) == strip(longer["history"])
    tuning = json.loads((tmp_path / "ext" / "model.json").read_text())["tuning"]
    assert tuning["rounds_done"] == 4 and tuning["config"]["rounds"] == 4


def test_tunesmith_tune_takes_reward_specs_and_a_config_dict(base, pieces, tmp_path):
    """The public `tunesmith.tune` takes what the CLI takes: reward specs (one or several, with
    weights) and the config's fields as a dict; a wrong field is refused by name."""
    import tunesmith as ts

    out = tmp_path / "py"
    done = ts.tune(base, ["rules", "novelty:0.5"], out, {**small().to_dict(), "rounds": 1}, pieces=pieces,
                   progress=False)  # fmt: skip
    assert done["rounds"] == 1
    reward = json.loads((out / "model.json").read_text())["tuning"]["reward"]
    assert list(reward) == ["rules", "novelty"]
    assert_normal_model_folder(out, base)
    with pytest.raises(ValueError, match="tune config: unknown key\\(s\\) round;"):
        ts.tune(base, "rules", tmp_path / "bad", {"round": 1}, pieces=pieces, progress=False)
    with pytest.raises(ValueError, match="unknown reward 'rule'"):
        ts.tune(base, "rule", tmp_path / "bad", {"rounds": 1}, pieces=pieces, progress=False)


def test_cli_resume_takes_the_checkpoints_settings_so_rounds_alone_extend_a_run(base, tmp_path, capsys):
    """`tune --resume --rounds N` extends a run without its other flags typed again (they come
    from the checkpoint); a flag given again that disagrees is still refused by name."""
    from tunesmith.cli import main

    out = str(tmp_path / "ext")
    assert main(["tune", "--reward", "rules", "--out", out, "--rounds", "1", *cli_args(base)]) == 0
    capsys.readouterr()
    bare = ["tune", "--reward", "rules", "--out", out, "--base", str(base), "--synthetic", "30", "--quiet", "--json"]
    assert main([*bare, "--rounds", "2", "--resume"]) == 0
    assert json.loads(capsys.readouterr().out)["rounds"] == 2
    assert main([*bare, "--rounds", "3", "--bars", "8", "--resume"]) == 2
    assert "(bars 4 in the checkpoint, 8 now)" in json.loads(capsys.readouterr().out)["error"]


# ------------------------------------------------------------------ no silent overwrite
def test_a_new_tune_into_a_finished_folder_is_refused_unless_forced(base, pieces, tmp_path):
    out = tmp_path / "run"
    tune(base, rules.ends_on_tonic, out, small(rounds=2, snapshot_every=1), pieces=pieces, progress=False)
    (out / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match=r"run: already holds a model or a run \(model.safetensors, "
                       r"checkpoint.safetensors, tune_log.json, round-0001..round-0002\); continue it with --resume "
                       r"or replace it with --force"):  # fmt: skip
        tune(base, rules.ends_on_tonic, out, small(rounds=1), pieces=pieces, progress=False)
    with pytest.raises(ValueError, match="give one of them"):
        tune(base, rules.ends_on_tonic, out, small(rounds=1), pieces=pieces, progress=False, resume=True, force=True)
    with pytest.raises(ValueError, match="is the base model's folder"):
        tune(base, rules.ends_on_tonic, base, small(rounds=1), pieces=pieces, progress=False, force=True)
    tune(base, rules.ends_on_tonic, out, small(rounds=1), pieces=pieces, progress=False, force=True)
    assert not list(out.glob("round-*"))  # the old run's snapshots are gone: the folder holds one run
    assert len(json.loads((out / "tune_log.json").read_text())["history"]) == 1
    assert (out / "notes.txt").read_text() == "mine"  # what the run did not write stays


def test_cli_tune_and_adversarial_refuse_an_existing_run(base, tmp_path, capsys):
    from tunesmith.cli import main

    out = str(tmp_path / "t")
    args = ["--out", out, "--rounds", "1", *cli_args(base)]
    assert main(["tune", "--reward", "rules", *args]) == 0
    capsys.readouterr()
    assert main(["tune", "--reward", "rules", *args]) == 2
    assert "already holds a model or a run" in json.loads(capsys.readouterr().out)["error"]
    assert main(["adversarial", "--disc-steps", "1", *args]) == 2
    assert "replace it with --force" in json.loads(capsys.readouterr().out)["error"]
    assert main(["tune", "--reward", "rules", "--force", *args]) == 0


# ------------------------------------------------------------------ every folder a normal model folder
def test_tuned_model_and_snapshots_are_normal_model_folders(base, pieces, tmp_path):
    import tunesmith as ts

    out = tmp_path / "tuned"
    tune(base, rules.ends_on_tonic, out, small(rounds=2, snapshot_every=1), pieces=pieces, progress=False)
    for folder in (out, out / "round-0001", out / "round-0002"):
        assert_normal_model_folder(folder, base)
    assert json.loads((out / "round-0001" / "model.json").read_text())["tuning"]["rounds_done"] == 1
    assert "rounds: 1 of 2" in (out / "round-0001" / "MODEL_CARD.md").read_text()
    take = ts.compose(style="folk", bars=4, seed=1, model=str(out / "round-0001"))
    assert take.provenance["rights"]["checked"] is True
    # a take of a tuned model says what the model was tuned from, and how
    tuned_from = take.provenance["model"]["tuned_from"]
    assert tuned_from["method"] == "policy-gradient" and tuned_from["sha256"] and tuned_from["reward"]
    assert "tuned_from" not in ts.compose(style="folk", bars=4, seed=1, model=str(base)).provenance["model"]
    # and so do its files, each read back alone (the take's JSON had been the only record)
    files = take.write(tmp_path / "t", svg=False)
    for kind in ("mid", "musicxml", "wav"):
        told = ts.provenance(files[kind])["fields"]["tuned_from"]
        assert told["id"] == tuned_from["id"], (kind, told)


def test_preferences_dpo_writes_a_normal_model_folder_and_never_overwrites(base, tmp_path, monkeypatch, capsys):
    from tunesmith.api import compose
    from tunesmith.cli import main
    from tunesmith.ratings import RatingsStore

    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    takes = compose("folk", bars=4, n=2, seed=5, model=str(base), check=False)
    paths = [t.write(tmp_path / f"k{i}", audio=False, svg=False)["json"] for i, t in enumerate(takes)]
    with RatingsStore() as store:
        store.prefer(paths[0], paths[1], rater="ann")
    out = tmp_path / "d"
    args = ["preferences", "dpo", "--base", str(base), "--out", str(out), "--epochs", "1", "--json"]
    assert main(args) == 0
    capsys.readouterr()
    assert_normal_model_folder(out, base)
    assert "offline DPO" in (out / "MODEL_CARD.md").read_text()
    before = (out / "model.safetensors").read_bytes()
    assert main([*args, "--lr", "1e-2"]) == 2
    assert (
        "d: already holds a model or a run (model.safetensors); replace it with --force"
        in json.loads(capsys.readouterr().out)["error"]
    )
    assert (out / "model.safetensors").read_bytes() == before
    (out / "round-0003").mkdir()  # as if a tune had written here before
    assert main([*args, "--lr", "1e-2", "--force"]) == 0
    assert (out / "model.safetensors").read_bytes() != before and not (out / "round-0003").exists()


# ------------------------------------------------------------------ no machine paths; reward weights
def test_a_criteria_file_is_recorded_by_name_and_sha256_not_its_path(base, pieces, tmp_path):
    crit = tmp_path / "elsewhere" / "crit.toml"
    crit.parent.mkdir()
    crit.write_text("[stepwise_share]\nat_least = 0.6\n")
    reward = resolve([f"{crit.resolve()}:0.5"])
    described = reward.describe()
    assert list(described) == ["crit.toml"]
    assert described["crit.toml"]["criteria"] == "crit.toml"
    assert described["crit.toml"]["sha256"] == hashlib.sha256(crit.read_bytes()).hexdigest()
    out = tmp_path / "t"
    tune(base, reward, out, small(rounds=1), pieces=pieces, progress=False)
    machine = str(tmp_path.parent)
    for name in ("model.json", "MODEL_CARD.md", "tune_log.json", "decoding.json"):
        assert machine not in (out / name).read_text(), name
    with pytest.raises(ValueError, match="a reward named 'crit.toml' is given already"):
        resolve([str(crit), str(crit.parent / ".." / "elsewhere" / "crit.toml")])


@pytest.mark.parametrize(("spec", "got"), [("x.toml:0", "0"), ("rules:-1", "-1"), ("novelty:-0.5", "-0.5")])
def test_a_reward_weight_must_be_positive(spec, got):
    with pytest.raises(ValueError, match=rf"--reward '{spec}': the weight must be positive, got {got} "):
        parse_spec(spec)
