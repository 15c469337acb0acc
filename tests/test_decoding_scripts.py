"""The decoding-fit scripts merge what they choose into a model's decoding.json: a style's other
entries and the other styles stay (tune_decoding.py --write once replaced the whole file)."""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from script_loader import load_script  # noqa: E402
from tunesmith.inference import read_decoding  # noqa: E402


def test_tune_decoding_write_merges_into_the_file(tmp_path):
    tune = load_script("scripts/tune_decoding.py")
    (tmp_path / "decoding.json").write_text(json.dumps({
        "folk": {"temperature": 0.9, "top_p": 1.0, "pickups": {"6/8": {"0": 0.6, "0.5": 0.4}}},
        "chorale": {"temperature": 0.6, "top_p": 0.95, "rhythm_feedback": 1.5},
        "note": "kept",
    }))  # fmt: skip
    out = {"chosen": {"chorale": {"temperature": 0.5, "top_p": 0.95, "rhythm_temperature": 0.8}}}
    tune._finish(out, Namespace(json=None, write=True, model=str(tmp_path)))
    data = json.loads((tmp_path / "decoding.json").read_text())
    assert data["note"] == "kept" and "sampling_chosen_on" in data
    d = read_decoding(tmp_path)
    assert d["chorale"] == {"temperature": 0.5, "top_p": 0.95, "rhythm_temperature": 0.8, "rhythm_feedback": 1.5}
    assert d["folk"]["temperature"] == 0.9 and d["folk"]["pickups"] == {"6/8": {"0": 0.6, "0.5": 0.4}}


def test_fit_pickups_reads_the_header_as_the_tokenizer_writes_it():
    from tunesmith.tokenizer import Tokenizer

    fit = load_script("scripts/fit_pickups.py")
    tok = Tokenizer()
    with_pickup = tok.header_ids("folk", "D", "major", "6/8", 120.0, 9, "lead", 30) + [tok.bar_id]
    without = tok.header_ids("folk", "D", "major", "6/8", 120.0, 8, "lead") + [tok.bar_id]
    assert fit.header_pickup(tok, with_pickup) == 30 and fit.header_pickup(tok, without) == 0


def test_fit_interval_feedback_pools_the_tunes_and_keeps_the_nearest_round():
    import numpy as np
    import torch

    from tunesmith.model import GPT, ModelConfig
    from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track
    from tunesmith.tokenizer import Tokenizer

    fit = load_script("scripts/fit_interval_feedback.py")

    def tune(i: int) -> Piece:  # steps up and down a D-major scale, one leap of a fifth
        pitches = [62, 64, 66, 67, 69, 67, 66, 64, 62, 69, 67, 66][i % 3 :] + [62]
        notes = [Note(p, float(k), 1.0) for k, p in enumerate(pitches)]
        return Piece(piece_id=f"t{i}", work_id=f"t{i}", style="folk", tracks=[Track("M", "melody", notes=notes)],
                     keys=[KeySignature(0.0, "D", "major")], time_signatures=[TimeSignature(0.0, 4, 4)],
                     tempos=[Tempo(0.0, 120.0)], bar_onsets=[0.0, 4.0, 8.0], end=float(len(notes)))  # fmt: skip

    tunes = [tune(i) for i in range(9)]
    shares = fit.pooled_shares(tunes[:1])  # 12 intervals: ten steps, a fifth, a major third
    assert shares[2] + shares[1] == 10 / 12 and shares[7] == 1 / 12 and shares[4] == 1 / 12 and shares.sum() == 1
    tok = Tokenizer()
    torch.manual_seed(0)
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=16)).eval()
    model.decoding = {"folk": {"temperature": 1.0, "top_p": 1.0}}
    out = fit.fit_style(model, tok, "folk", tunes, rounds=2, damping=0.8, n=4, seed=1)
    assert out["profile"] == [round(float(v), 4) for v in fit.pooled_shares(tunes)]
    rounds = out["rounds"]
    assert [r["round"] for r in rounds] == [0, 1, 2] and not any(rounds[0]["offsets"])
    # an untrained model leaps anywhere: the offsets favour the tunes' steps
    assert rounds[1]["offsets"][2] > 0 > rounds[1]["offsets"][13]
    assert out["chosen_round"] == min(rounds, key=lambda r: r["distance"])["round"]
    assert "interval_offsets" not in model.decoding["folk"]  # the fit leaves the model as it found it
    assert np.isfinite([v for r in rounds for v in r["offsets"]]).all()


def test_fit_interval_feedback_counts_returns_and_rocks_and_fits_their_offsets():
    import torch

    from tunesmith.model import GPT, ModelConfig
    from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track
    from tunesmith.tokenizer import Tokenizer

    fit = load_script("scripts/fit_interval_feedback.py")

    def tune(pitches: list[int], i: int = 0) -> Piece:
        notes = [Note(p, float(k), 1.0) for k, p in enumerate(pitches)]
        return Piece(piece_id=f"t{i}", work_id=f"t{i}", style="folk", tracks=[Track("M", "melody", notes=notes)],
                     keys=[KeySignature(0.0, "D", "major")], time_signatures=[TimeSignature(0.0, 4, 4)],
                     tempos=[Tempo(0.0, 120.0)], bar_onsets=[0.0, 4.0, 8.0], end=float(len(notes)))  # fmt: skip

    # D-E-D-E-F#-F#-E: windows x-y-z with x != y: DED (back) EDE (back) DEF# EF#F#; F#F#E has x == y
    # four-note x-y-x-w: D-E-D-E (rock), E-D-E-F# (no rock)
    rates = fit.return_rates([tune([62, 64, 62, 64, 66, 66, 64])])
    assert list(rates) == [2 / 4, 1 / 2]
    assert list(fit.return_rates([tune([62, 62, 62])])) == [0.0, 0.0]  # nothing moved: no rate, not a division by 0
    two = tune([62, 64, 66, 67])
    two.tracks.append(Track("A", "alto", notes=[Note(p, float(k), 1.0) for k, p in enumerate([55, 57, 55, 57])]))
    assert list(fit.return_rates([two], 1)) == [1.0, 1.0] and list(fit.return_rates([two], 3)) == [0.0, 0.0]

    tunes = [tune([62, 64, 66, 67, 69, 67, 66, 64, 62, 64, 66, 64, 62], i) for i in range(9)]
    tok = Tokenizer()
    torch.manual_seed(0)
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=16)).eval()
    model.decoding = {"folk": {"temperature": 1.0, "top_p": 1.0}}
    out = fit.fit_style(model, tok, "folk", tunes, rounds=1, damping=0.8, n=4, seed=1, returns=True)
    first, second = out["rounds"]
    assert first["return_offsets"] == {"return": 0.0, "rock": 0.0} and "return_rate" in first
    target = fit.return_rates(tunes)
    # each offset moved by damping * log(target / the takes' rate), smoothed
    want = 0.8 * np.log((target[0] + fit.EPS) / (first["return_rate"] + fit.EPS))
    assert second["return_offsets"]["return"] == pytest.approx(float(np.clip(want, -fit.CLIP, fit.CLIP)), abs=1e-3)
    assert "return_offsets" not in model.decoding["folk"]


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--lifts", "1,2"], "--lifts must include 0"), (["--lifts", "0,9"], "--lifts must include 0 and lie in"),
     (["--lifts", "0,x"], "--lifts: whole semitones"), (["--takes", "1"], "--takes must be in 2..200")],
)
def test_fit_header_keys_refuses_a_bad_grid_before_any_work(capsys, args, message):
    fit = load_script("scripts/fit_header_keys.py")
    with pytest.raises(SystemExit):
        fit.main(["--model", "no-such-folder", *args])
    assert message in capsys.readouterr().err


def test_a_full_refit_of_a_trained_folder_starts_from_the_package_defaults(tmp_path, monkeypatch, capsys):
    """A folder `tunesmith train` wrote has no decoding.json: a refit of every step copies the
    package's and refits it (a chained train-then-refit had stopped there); a partial refit (--only,
    --from) refuses, as it would refit defaults never fitted to these weights."""
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    refit = load_script("scripts/refit_decoding.py")
    for name in ("model.safetensors", "model.json"):
        (tmp_path / name).write_bytes(b"{}")
    with pytest.raises(SystemExit):
        refit.main([str(tmp_path), "--only", "chord-table"])
    assert "no decoding.json to refit" in capsys.readouterr().err
    assert not (tmp_path / "decoding.json").exists()
    monkeypatch.setattr(refit, "steps", lambda folder, reports: [])  # no fit runs: the copy alone
    assert refit.main([str(tmp_path)]) == 0
    assert (tmp_path / "decoding.json").read_text() == (Path(DEFAULT_MODEL_DIR) / "decoding.json").read_text()


def test_fit_chorale_plan_chooses_the_costs_whose_plans_move_as_bachs_do():
    """`fit` decodes every chorale at each pair of costs and keeps the pair whose shares of beats
    kept on the chord before and of chord changes returning to the chord before last lie nearest
    Bach's (his labels; -1 beats left out), the cheaper on a tie, with each pair's agreement."""
    from tunesmith.harmonizer import N_LABELS, Harmonizer, HarmonizerConfig

    fit = load_script("scripts/fit_chorale_plan.py")
    net = Harmonizer(HarmonizerConfig(unit="beat"), [{}], np.zeros((4, N_LABELS, N_LABELS)), np.zeros((4, N_LABELS)), {})
    # two labels heard alike on every beat, the first a little better: at no cost the plan keeps
    # label 0 throughout (kept 1.0, no change returns); a stay cost above the gap alternates (kept
    # 0.0, every change after the second returns); a return cost besides holds each label two beats
    logp = np.full((9, N_LABELS), -9.0)
    logp[:, 0], logp[:, 1] = -0.6, -0.8
    bach = np.array([0, 0, 1, 0, 0, 1, 0, -1, 1])  # kept on 2 of 6 beats; changes 0 1 0 1 0 1: 4 of 6 return
    assert fit.return_share([bach]) == 4 / 6
    result = fit.fit(net, [(logp, bach)], [0.0, 0.05, 0.5], [0.0])
    assert result["bach"] == {"kept": round(2 / 6, 4), "returns": round(4 / 6, 4)}
    assert [(r["kept"], r["returns"]) for r in result["rows"]] == [(1.0, 0.0), (1.0, 0.0), (0.0, round(7 / 9, 4))]
    assert result["rows"][0]["agreement"] == round(5 / 8, 4)
    assert result["chosen"] == [0.5, 0.0]  # |1/3| + |1/9| beats |2/3| + |2/3|
    held = fit.fit(net, [(logp, bach)], [0.5], [0.0, 2.0])["rows"][1]
    assert held["returns"] < 7 / 9 and held["kept"] > 0.0


@pytest.mark.parametrize(("args", "message"), [(["--stays", "0,x"], "give comma-separated numbers"),
                                               (["--returns", "0,5"], "must be in [0, 4]")])  # fmt: skip
def test_fit_chorale_plan_refuses_a_bad_grid_before_any_work(capsys, args, message):
    fit = load_script("scripts/fit_chorale_plan.py")
    with pytest.raises(SystemExit):
        fit.main(["--model", "no-such-folder", *args])
    assert message in capsys.readouterr().err
