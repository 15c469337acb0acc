"""Rewards for fine-tuning: a reward is just a function of a piece, `reward(piece) -> float`.

Families, one module each:

- `rules`: music-theory rules per style (RL Tuner's rules, cadence and tonic, chord tones on
  strong beats, voice leading for chorales);
- `rule_targets`: the same rules as targets on a round's takes ("rule-targets": RL Tuner's
  Table 1 figures), each weighed by a multiplier that pulls only while its target is missed;
- `criteria`: a user's criteria from a TOML file (any metric tunesmith computes, by name, with a
  target or a direction and a weight);
- `discriminator`: a small network trained to tell real pieces from the generator's takes
  (the adversarial reward; it learns between rounds through `observe`);
- `preference`: a Bradley-Terry reward model fitted on pairwise preferences;
- `diversity`: "novelty", how unlike the round's other takes a take is (a counterweight to the
  collapse that a narrow learned reward invites).

The registry is explicit: `REWARDS` maps a name to the function (no registration by import side
effect). `resolve(spec)` turns what the CLI's `--reward` takes into functions: a registry name
("rules", "ends_on_tonic", ...), a criteria TOML file, "preferences" (the fitted reward model), or
"discriminator"; "NAME:WEIGHT" weights it. `combine` makes one reward of several weighted ones.

Stateful rewards (the discriminator) are callables with extra methods the solver looks for:
`observe(pieces, round) -> dict` (learn from the round's takes, return what to log),
`state_dict()` / `load_state_dict(d)` (tensors, for checkpoints), `describe() -> dict`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tunesmith.score import Piece

Reward = Callable[[Piece], float]


def _rules_registry() -> dict[str, Reward]:
    from tunesmith.rewards import rules

    return dict(rules.RULES)


def registry() -> dict[str, Reward]:
    """{name: reward function} of every named reward (the rules; `rules` picks per style)."""
    return _rules_registry()


class Weighted:
    """Several rewards as one: the weighted sum of each one's value (NaN counts as 0).
    `last` keeps the latest per-part values (the solver logs them), `last_nan` the parts that gave
    NaN for the latest piece (the solver refuses a part that scores no take of its first round)."""

    def __init__(self, parts: dict[str, tuple[Reward, float]]):
        if not parts:
            raise ValueError("no reward given")
        for name, (fn, w) in parts.items():
            if not callable(fn):
                raise TypeError(f"reward {name!r} is not a function")
            if not (isinstance(w, int | float) and math.isfinite(w)):
                raise ValueError(f"reward {name!r}: weight must be a finite number, got {w!r}")
        self.parts = parts
        self.last: dict[str, float] = {}
        self.last_nan: set[str] = set()

    def values(self, piece: Piece) -> dict[str, float]:
        out = {}
        self.last_nan = set()
        for name, (fn, _) in self.parts.items():
            v = float(fn(piece))
            if math.isnan(v):
                self.last_nan.add(name)
            out[name] = 0.0 if math.isnan(v) else v
        return out

    def __call__(self, piece: Piece) -> float:
        vals = self.values(piece)
        self.last = vals
        return sum(self.parts[n][1] * v for n, v in vals.items())

    # stateful parts (the discriminator) are reached through these
    def stateful(self) -> dict[str, Any]:
        return {n: fn for n, (fn, _) in self.parts.items() if hasattr(fn, "observe") or hasattr(fn, "state_dict")}

    def signature(self) -> dict[str, dict]:
        """What makes this reward this reward: each part's weight and, for a file (criteria, a
        preference model), its content hash. A resumed tune must have the same."""
        return {n: {"weight": float(w), **({"sha256": fn.sha256} if getattr(fn, "sha256", None) else {})}
                for n, (fn, w) in self.parts.items()}  # fmt: skip

    def describe(self) -> dict:
        return {
            n: {
                "weight": w,
                **(fn.describe() if hasattr(fn, "describe") else {"function": getattr(fn, "__name__", str(fn))}),
            }
            for n, (fn, w) in self.parts.items()
        }


def combine(parts: dict[str, tuple[Reward, float]] | list[tuple[str, Reward, float]]) -> Weighted:
    if isinstance(parts, list):
        parts = {name: (fn, w) for name, fn, w in parts}
    return Weighted(parts)


def parse_spec(spec: str) -> tuple[str, float]:
    """A `--reward` spec -> (name, weight): `rules` -> ("rules", 1.0), `crit.toml:0.5` ->
    ("crit.toml", 0.5). A path with ':' keeps its colon unless what follows the last one is a number."""
    name, weight = spec, 1.0
    if ":" in spec:
        head, tail = spec.rsplit(":", 1)
        try:
            weight = float(tail)
            name = head
        except ValueError:
            known = head in registry() or head in SPECIAL or head.endswith(".toml")
            if known and not Path(spec).is_file():  # crit.toml:abc, not a file named so
                raise ValueError(f"--reward {spec!r}: the weight after ':' must be a number, got {tail!r}") from None
    if not name:
        raise ValueError(f"--reward {spec!r}: give a reward name or file")
    if not math.isfinite(weight):
        raise ValueError(f"--reward {spec!r}: the weight must be a finite number")
    if weight <= 0:
        raise ValueError(
            f"--reward {spec!r}: the weight must be positive, got {weight:g} (leave the reward out instead)"
        )
    from tunesmith.rewards.criteria import MAX_WEIGHT

    if weight > MAX_WEIGHT:  # `rules:1e308` had failed the first round, after the setup: "the loss is not finite"
        raise ValueError(f"--reward {spec!r}: the weight {weight:g} is over the limit of {MAX_WEIGHT:g}")
    return name, weight


def signature(reward: Reward) -> dict[str, dict]:
    """`Weighted.signature` of any reward (a bare function: its name, weight 1)."""
    if hasattr(reward, "signature"):
        return reward.signature()
    name = getattr(reward, "__name__", type(reward).__name__)
    return {name: {"weight": 1.0, **({"sha256": reward.sha256} if getattr(reward, "sha256", None) else {})}}


def signature_changes(saved: dict[str, dict], now: dict[str, dict]) -> list[str]:
    """How reward signature `now` differs from `saved`, one phrase per difference ([]: none)."""
    out = []
    gone, new = [n for n in saved if n not in now], [n for n in now if n not in saved]
    if gone:
        out.append(f"{', '.join(gone)} dropped")
    if new:
        out.append(f"{', '.join(new)} added")
    for n in saved:
        if n in now:
            a, b = saved[n], now[n]
            if a.get("weight") != b.get("weight"):
                out.append(f"{n} weight {a.get('weight'):g} -> {b.get('weight'):g}")
            if a.get("sha256") != b.get("sha256"):
                out.append(f"{n} has changed since (sha256 {str(a.get('sha256'))[:12]} -> {str(b.get('sha256'))[:12]})")
    return out


SPECIAL = ("preferences", "rule-targets", "novelty", "discriminator")  # named rewards outside the registry


def resolve(specs: list[str], *, preference_model: str | Path | None = None, discriminator=None) -> Weighted:
    """One `Weighted` reward from CLI specs (see the module docstring)."""
    reg = registry()
    parts: dict[str, tuple[Reward, float]] = {}
    for spec in specs:
        name, weight = parse_spec(spec)
        if name in parts:
            raise ValueError(f"--reward {name!r} given twice")
        is_file = name not in reg and name not in SPECIAL and (name.endswith(".toml") or Path(name).is_file())
        if is_file:
            # a criteria file is known by its name (and, in the tuned model, its sha256): where it
            # lay on this machine goes into no tuned model
            key = Path(name).name
            if key in parts:
                raise ValueError(
                    f"--reward {spec!r}: a reward named {key!r} is given already (rename one of the files)"
                )
            from tunesmith.rewards.criteria import load_criteria

            parts[key] = (load_criteria(name), weight)
        elif name in reg:
            parts[name] = (reg[name], weight)
        elif name == "preferences":
            from tunesmith.rewards.preference import PreferenceModel, WinProbability, default_path

            model = PreferenceModel.load(preference_model or default_path())
            # bounded: the chance of beating a typical rated take (a model fitted before the mean
            # score was stored falls back to its raw score)
            parts[name] = (WinProbability(model) if model.offset is not None else model, weight)
        elif name == "rule-targets":
            from tunesmith.rewards.rule_targets import RuleTargets

            parts[name] = (RuleTargets(), weight)
        elif name == "novelty":
            from tunesmith.rewards.diversity import RoundNovelty

            parts[name] = (RoundNovelty(), weight)
        elif name == "discriminator":
            if discriminator is None:
                raise ValueError("the discriminator reward needs real pieces: use `tunesmith adversarial`")
            parts[name] = (discriminator, weight)
        else:
            known = ", ".join(sorted([*reg, "preferences", "novelty", "rule-targets", "FILE.toml"]))
            raise ValueError(f"unknown reward {name!r}; one of {known}")
    return Weighted(parts)
