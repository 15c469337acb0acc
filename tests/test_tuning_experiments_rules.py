"""`scripts/tuning_experiments.py rules`: what its options hand the tuner (the tuning and the
measuring are stubbed; the real runs take minutes)."""

from __future__ import annotations

import json

import pytest

from script_loader import load_script
from tunesmith.score import KeySignature, Note, Piece, TimeSignature, Track


def melody(pitches) -> Piece:
    notes = [Note(p, float(i), 1.0) for i, p in enumerate(pitches)]
    return Piece("p", "p", style="folk", tracks=[Track("M", "melody", notes=notes)],
                 keys=[KeySignature(0.0, "C", "major")], time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip


@pytest.fixture
def rules_run(monkeypatch, tmp_path):
    """Run `rules ARGS` with tuning and measuring stubbed; returns (reward, tune config)."""
    te = load_script("scripts/tuning_experiments.py")
    from tunesmith.solvers import policy_gradient

    seen = {}

    def fake_tune(base, reward, out, cfg, **kw):
        seen["reward"], seen["cfg"] = reward, cfg
        return {"rounds": cfg.rounds, "history": []}

    monkeypatch.setattr(te, "load", lambda path: (None, None, {}))
    monkeypatch.setattr(te, "real_split", lambda *a, **k: ([], [], []))
    monkeypatch.setattr(te, "measure", lambda *a, **k: {"n": 0})
    monkeypatch.setattr(policy_gradient, "tune", fake_tune)

    def run(*args):
        out = tmp_path / "r.json"
        assert te.main(["rules", "--json", str(out), "--out", str(tmp_path / "m"), *args]) == 0
        assert json.loads(out.read_text())["scale"]["top_p"] == seen["cfg"].top_p
        return seen["reward"], seen["cfg"]

    return run


def test_targets_can_leave_out_a_statistic_and_the_tuner_samples_at_the_given_nucleus(rules_run):
    reward, cfg = rules_run("--targets", "--target-skip", "notes_excessively_repeated", "--top-p", "0.95")
    assert "notes_excessively_repeated" not in [t[0] for t in reward.targets] and len(reward.targets) == 5
    assert cfg.top_p == 0.95
    reward, cfg = rules_run("--targets")
    assert len(reward.targets) == 6 and cfg.top_p == 1.0  # the defaults: every target, on-policy
    with pytest.raises(SystemExit, match="unknown target"):
        rules_run("--targets", "--target-skip", "notes_in_motiff")
    with pytest.raises(SystemExit, match="only with --targets"):
        rules_run("--target-skip", "notes_excessively_repeated")


def test_a_criteria_file_is_rewarded_beside_the_rules(rules_run, tmp_path):
    crit = tmp_path / "dense.toml"
    crit.write_text("[note_density]\nat_most = 1.0\nweight = 0.5\n")
    reward, _ = rules_run("--targets", "--criteria", str(crit))
    assert set(reward.parts) == {"rules", "criteria"}
    # four notes on four beats: density 1, at the ceiling; eight notes in the same bar: 2, one unit (0.5) over
    sparse = melody([60, 62, 64, 65])
    dense = melody([60, 62, 64, 65, 67, 65, 64, 62])
    for p in dense.tracks[0].notes:
        p.onset, p.duration = p.onset / 2, 0.5
    assert reward.parts["criteria"][0](sparse) == 0.0
    assert reward.parts["criteria"][0](dense) == pytest.approx(-0.5 * 1.0 / 0.5)


def test_realism_takes_can_follow_the_held_out_headers():
    """`--headers real`: each take is composed under a held-out excerpt's key, mode and meter in turn
    (the tuner's own sampling writes every folk take in 6/8, most held-out folk is in 4/4)."""
    te = load_script("scripts/tuning_experiments.py")
    from tunesmith import pretrained

    model, tok, _ = pretrained.load("default")
    four = melody([67, 69, 71, 72, 74, 72, 71, 69])
    three = melody([62, 64, 65, 67, 69, 67])
    three.time_signatures = [TimeSignature(0.0, 3, 4)]
    three.keys = [KeySignature(0.0, "D", "minor")]
    chorale = melody([60, 62, 64])
    chorale.style = "chorale"
    pieces, requests, _ = te.takes_like(model, tok, "folk", 4, 2, 0, [four, chorale, three])
    assert [(r.meter, r.key, r.mode) for r in requests] == [("4/4", "C", "major"), ("3/4", "D", "minor")] * 2
    assert [(p.time_signature.numerator, p.time_signature.denominator) for p in pieces] == [(4, 4), (3, 4)] * 2
    assert te.controls_ok(pieces, requests) == 1.0
    with pytest.raises(SystemExit, match="no held-out jazz excerpt"):
        te.takes_like(model, tok, "jazz", 1, 2, 0, [four])
