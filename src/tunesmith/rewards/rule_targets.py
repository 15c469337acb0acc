"""Rules with targets: music-theory rules as constraints on a round's takes, not as things to maximise.

`rules` rewards every rule as much as it can, so the tuner pushes hardest on whatever rule is
cheapest to move (a 0/1 rule such as "starts on the tonic" went from 17 % to 57-96 % of takes where
30 % was asked) and the music drifts from what the model learnt. Here each rule has a target rate
over a round's takes (RL Tuner's Table 1 figures by default: at most 0.1 % of notes excessively
repeated, ...) and a multiplier: the reward is sum(multiplier x rule(take)) / number of rules, and
after each round a multiplier grows while the round misses its rule's target and shrinks to zero
once the target is met with a margin (dual ascent on the Lagrangian of "stay near the reference
subject to the targets"; constrained policy optimisation as in Altman 1999, Tessler et al. 2019,
"Reward Constrained Policy Optimization"). A rule already met never pulls, and a met rule stops
pulling, so the policy moves only as far as the targets need and the KL leash keeps the rest.

Stateful in the solver's sense: `observe(pieces, round)` measures the round (the pooled RL Tuner
statistics of `metrics.rl_tuner`, per style, smoothed over rounds) and updates the multipliers
before the round's takes are scored; `state_dict` / `load_state_dict` checkpoint them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from tunesmith.score import Piece

# (pooled statistic of `metrics.rl_tuner`, direction, target, the per-take rule that moves it)
RL_TUNER_TARGETS: tuple[tuple[str, str, float, str], ...] = (
    ("notes_excessively_repeated", "<=", 0.001, "no_excessive_repeats"),
    ("notes_not_in_key", "<=", 0.005, "in_key"),
    ("leaps_resolved", ">=", 0.91, "leaps_resolved"),
    ("compositions_starting_with_tonic", ">=", 0.30, "starts_on_tonic"),
    ("notes_in_motif", ">=", 0.75, "motif"),
    ("notes_in_repeated_motif", ">=", 0.01, "repeated_motif"),
)


@dataclass(frozen=True)
class TargetConfig:
    """How the multipliers move. `lr`: a multiplier's change per round per unit of deficit (the
    deficit is measured in units of the distance between the first round and the target);
    `margin`: how far past its target (in those units) a rule is aimed, so that a fresh set of
    takes still meets it; `smoothing`: weight of the past in the running estimate of each rate
    (a round has a few dozen takes); `max_weight`: a multiplier's ceiling; `kp`: a proportional
    term (PID Lagrangian, Stooke et al. 2020): the multiplier is its accumulated part plus `kp` x
    the current deficit, so it lets go as soon as the rate passes its aim instead of pulling on
    while the accumulated part drains (the overshoot of a purely integral multiplier: starts on
    the tonic 16 % -> 51 % where 30 % was asked; with kp 1: 35 %, and five of the six targets met
    instead of four, runs/s9/rt_pid.json). 0: integral only (the former behaviour)."""

    lr: float = 0.5
    margin: float = 0.25
    smoothing: float = 0.5
    max_weight: float = 4.0
    kp: float = 1.0

    def __post_init__(self) -> None:
        for name in ("lr", "margin", "max_weight", "kp"):
            v = getattr(self, name)
            if not (isinstance(v, int | float) and math.isfinite(v) and v >= 0):
                raise ValueError(f"{name} must be a finite number >= 0, got {v!r}")
        if self.max_weight <= 0:
            raise ValueError("max_weight must be > 0")
        if not 0 <= self.smoothing < 1:
            raise ValueError(f"smoothing must be in [0, 1), got {self.smoothing!r}")


def check_targets(targets: Sequence[tuple[str, str, float, str]]) -> None:
    """ValueError naming the first target that is not (known statistic, "<=" or ">=", rate in
    [0, 1], known rule), or a statistic given twice."""
    from tunesmith.metrics.rl_tuner import STAT_NAMES
    from tunesmith.rewards.rules import RULES

    seen = set()
    for stat, op, target, rule in targets:
        if stat not in STAT_NAMES:
            raise ValueError(f"unknown statistic {stat!r}; one of {', '.join(STAT_NAMES)}")
        if stat in seen:
            raise ValueError(f"statistic {stat!r} has two targets")
        seen.add(stat)
        if op not in ("<=", ">="):
            raise ValueError(f"{stat}: direction must be '<=' or '>=', got {op!r}")
        if not (isinstance(target, int | float) and 0 <= target <= 1):
            raise ValueError(f"{stat}: target must be a rate in [0, 1], got {target!r}")
        if rule not in RULES:
            raise ValueError(f"{stat}: unknown rule {rule!r}")
    if not targets:
        raise ValueError("no targets given")


def targets_without(skip: Sequence[str], targets: Sequence[tuple[str, str, float, str]] = RL_TUNER_TARGETS):
    """`targets` less those whose statistic is named in `skip`: a target no take can reach (folk's
    excessive repeats, <= 0.1 % where real folk has 1.4 %) otherwise holds its multiplier at the
    ceiling for the whole run and spends the KL budget where it buys nothing. ValueError for a
    name that is not one of the targets, or when none would be left."""
    known = [t[0] for t in targets]
    unknown = sorted(set(skip) - set(known))
    if unknown:
        raise ValueError(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(known)}")
    kept = tuple(t for t in targets if t[0] not in set(skip))
    if not kept:
        raise ValueError("every target skipped")
    return kept


class RuleTargets:
    """reward(take) = sum over targets of multiplier[style][rule] x rule(take), / number of targets."""

    def __init__(self, targets: Sequence[tuple[str, str, float, str]] = RL_TUNER_TARGETS,
                 config: TargetConfig | None = None):  # fmt: skip
        check_targets(targets)
        self.targets = tuple(targets)
        self.config = config or TargetConfig()
        # per style: {statistic: value}; the scale is fixed at the first round a style is seen
        self.weights: dict[str, dict[str, float]] = {}
        self.integrals: dict[str, dict[str, float]] = {}  # the accumulated (integral) part of each multiplier
        self.rates: dict[str, dict[str, float]] = {}
        self.scales: dict[str, dict[str, float]] = {}

    def _deficit(self, style: str, stat: str, op: str, target: float) -> float:
        """How far the running rate misses its aim, in units of the style's scale (< 0: met with room)."""
        rate, scale = self.rates[style][stat], self.scales[style][stat]
        if op == ">=":
            return (target + self.config.margin * scale - rate) / scale
        return (rate - (target - self.config.margin * scale)) / scale

    def observe(self, pieces: Sequence[Piece], round_: int) -> dict:
        from tunesmith.metrics.rl_tuner import rl_tuner_stats

        by_style: dict[str, list[Piece]] = {}
        for p in pieces:
            by_style.setdefault(p.style or "folk", []).append(p)
        out: dict[str, dict] = {}
        for style, group in sorted(by_style.items()):
            stats = rl_tuner_stats(group, raised_6_7=True)
            rates = self.rates.setdefault(style, {})
            scales = self.scales.setdefault(style, {})
            weights = self.weights.setdefault(style, {})
            integrals = self.integrals.setdefault(style, {})
            for stat, op, target, _ in self.targets:
                now = stats.get(stat, math.nan)
                if math.isnan(now):
                    continue
                if stat not in rates:
                    rates[stat] = now
                    # the unit of progress: the distance from where the model starts to the target,
                    # at least a floor (a rule already met keeps a small unit so it can react)
                    floor = max(1e-4, min(0.02, target, 1 - target))
                    scales[stat] = max(abs(target - now), floor)
                else:
                    s = self.config.smoothing
                    rates[stat] = s * rates[stat] + (1 - s) * now
                d = self._deficit(style, stat, op, target)
                cap = self.config.max_weight
                if stat not in weights:  # the first round that measures it
                    integrals[stat] = 1.0 if d > 0 else 0.0
                else:
                    integrals[stat] = min(cap, max(0.0, integrals.get(stat, weights[stat]) + self.config.lr * d))
                weights[stat] = min(cap, max(0.0, integrals[stat] + self.config.kp * d))
            out[style] = {
                "rates": {k: round(v, 5) for k, v in rates.items()},
                "weights": {k: round(v, 4) for k, v in weights.items()},
            }
        return out

    def __call__(self, piece: Piece) -> float:
        from tunesmith.rewards.rules import RULES

        weights = self.weights.get(piece.style or "folk")
        if not weights:  # not observed yet: every rule counts once
            weights = {stat: 1.0 for stat, *_ in self.targets}
        total = 0.0
        for stat, _, _, rule in self.targets:
            w = weights.get(stat, 0.0)
            if w:
                v = RULES[rule](piece)
                total += 0.0 if math.isnan(v) else w * v
        return total / len(self.targets)

    def state_dict(self) -> dict:
        return {"weights": self.weights, "integrals": self.integrals, "rates": self.rates, "scales": self.scales}

    def load_state_dict(self, state: dict) -> None:
        for key in ("weights", "integrals", "rates", "scales"):
            setattr(self, key, {s: {k: float(v) for k, v in d.items()} for s, d in state.get(key, {}).items()})

    def describe(self) -> dict:
        return {
            "function": "rule_targets",
            "definition": "sum of multiplier x rule per target / targets; a multiplier grows while its "
            "target is missed over the rounds and falls to 0 once it is met (dual ascent)",
            "targets": [{"statistic": s, "direction": op, "target": t, "rule": r} for s, op, t, r in self.targets],
            "config": self.config.__dict__,
            "weights": self.weights,
        }
