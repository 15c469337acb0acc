"""Rules as targets (`rewards.rule_targets`): a rule pulls only while a round misses its target."""

from __future__ import annotations

import math

import pytest

from tunesmith.rewards import resolve
from tunesmith.rewards.rule_targets import (
    RL_TUNER_TARGETS,
    RuleTargets,
    TargetConfig,
    check_targets,
    targets_without,
)
from tunesmith.score import KeySignature, Note, Piece, TimeSignature, Track


def melody(pitches, key="C") -> Piece:
    notes = [Note(p, float(i), 1.0) for i, p in enumerate(pitches)]
    return Piece("p", "p", style="folk", tracks=[Track("M", "melody", notes=notes)],
                 keys=[KeySignature(0.0, key, "major")], time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip


TONIC_START = melody([60, 62, 64, 65, 67, 65, 64, 62])  # starts on the tonic
OTHER_START = melody([64, 62, 60, 62, 64, 65, 67, 65])  # starts on the third

STARTS = [("compositions_starting_with_tonic", ">=", 0.30, "starts_on_tonic")]


def test_a_met_target_stops_pulling_and_a_missed_one_grows():
    reward = RuleTargets(STARTS, TargetConfig(lr=0.5, margin=0.25, smoothing=0.0, kp=0.0))
    # a round where 1 take in 4 starts on the tonic: 25 % < 30 %, so the rule pulls
    reward.observe([TONIC_START, OTHER_START, OTHER_START, OTHER_START], 1)
    w1 = reward.weights["folk"]["compositions_starting_with_tonic"]
    assert w1 == 1.0
    assert reward(TONIC_START) > reward(OTHER_START)
    reward.observe([TONIC_START, OTHER_START, OTHER_START, OTHER_START], 2)
    w2 = reward.weights["folk"]["compositions_starting_with_tonic"]
    assert w2 > w1  # still missed: it pulls harder
    # rounds where every take starts on the tonic: met with room, the multiplier falls to zero
    for r in range(3, 12):
        reward.observe([TONIC_START] * 4, r)
    assert reward.weights["folk"]["compositions_starting_with_tonic"] == 0.0
    assert reward(TONIC_START) == reward(OTHER_START) == 0.0


def test_multipliers_are_capped_and_checkpointed():
    reward = RuleTargets(STARTS, TargetConfig(lr=5.0, max_weight=3.0, smoothing=0.0, kp=0.0))
    for r in range(1, 6):
        reward.observe([OTHER_START] * 4, r)
    assert reward.weights["folk"]["compositions_starting_with_tonic"] == 3.0
    again = RuleTargets(STARTS)
    again.load_state_dict(reward.state_dict())
    assert again(TONIC_START) == reward(TONIC_START) == pytest.approx(3.0)
    assert again.describe()["targets"][0]["target"] == 0.30


def test_a_proportional_term_lets_go_as_soon_as_the_target_is_passed():
    """PID Lagrangian: with kp the multiplier drops the round the rate passes its aim; the purely
    integral one keeps pulling until its accumulated part drains (the overshoot)."""
    integral = RuleTargets(STARTS, TargetConfig(lr=0.5, smoothing=0.0, kp=0.0))
    pid = RuleTargets(STARTS, TargetConfig(lr=0.5, smoothing=0.0, kp=1.0))
    missed = [TONIC_START, OTHER_START, OTHER_START, OTHER_START]  # 25 % < 30 %
    for r in range(1, 5):
        integral.observe(missed, r)
        pid.observe(missed, r)
    key = "compositions_starting_with_tonic"
    assert pid.weights["folk"][key] > integral.weights["folk"][key] > 1.0  # missing: it pulls harder
    passed = [TONIC_START] * 3 + [OTHER_START] * 5  # 37.5 %: past the aim (30 % and a margin)
    integral.observe(passed, 5)
    pid.observe(passed, 5)
    assert integral.weights["folk"][key] > 1.0  # still pulling
    assert pid.weights["folk"][key] < integral.weights["folk"][key] - 1.0
    # the checkpoint keeps both parts: a resumed run goes on exactly
    again = RuleTargets(STARTS, TargetConfig(lr=0.5, smoothing=0.0, kp=1.0))
    again.load_state_dict(pid.state_dict())
    again.observe(passed, 6)
    pid.observe(passed, 6)
    assert again.weights == pid.weights and again.integrals == pid.integrals


def test_a_target_already_met_never_pulls():
    reward = RuleTargets(STARTS, TargetConfig(smoothing=0.0))
    reward.observe([TONIC_START] * 4, 1)
    assert reward.weights["folk"]["compositions_starting_with_tonic"] == 0.0


@pytest.mark.parametrize(
    "targets, message",
    [
        ([("notes_in_motiff", ">=", 0.75, "motif")], "unknown statistic 'notes_in_motiff'"),
        ([("notes_in_motif", ">", 0.75, "motif")], "direction must be"),
        ([("notes_in_motif", ">=", 75, "motif")], "target must be a rate in"),
        ([("notes_in_motif", ">=", 0.75, "motiff")], "unknown rule 'motiff'"),
        ([("notes_in_motif", ">=", 0.75, "motif"), ("notes_in_motif", "<=", 0.9, "motif")], "two targets"),
        ([], "no targets"),
    ],
)
def test_bad_targets_are_refused(targets, message):
    with pytest.raises(ValueError, match=message):
        check_targets(targets)


def test_rule_targets_by_name():
    w = resolve(["rule-targets"])
    (fn, weight), = w.parts.values()
    assert isinstance(fn, RuleTargets) and weight == 1.0
    assert [t[0] for t in fn.targets] == [t[0] for t in RL_TUNER_TARGETS]
    assert "rule-targets" in w.stateful()  # the solver calls its observe and checkpoints it
    assert not math.isnan(w(TONIC_START))


def test_a_skipped_target_never_pulls_and_the_rest_keep_their_order():
    """`--target-skip`: folk's excessive repeats (<= 0.1 %, real folk 1.4 %) left out of the reward."""
    kept = targets_without(["notes_excessively_repeated"])
    assert [t[0] for t in kept] == [t[0] for t in RL_TUNER_TARGETS[1:]]
    reward = RuleTargets(kept, TargetConfig(smoothing=0.0))
    reward.observe([OTHER_START] * 4, 1)
    assert "notes_excessively_repeated" not in reward.weights["folk"]
    assert targets_without([]) == RL_TUNER_TARGETS
    with pytest.raises(ValueError, match="unknown target.*notes_in_motiff"):
        targets_without(["notes_in_motiff"])
    with pytest.raises(ValueError, match="every target skipped"):
        targets_without([t[0] for t in RL_TUNER_TARGETS])
