"""A user's criteria as a reward: any metric tunesmith computes, by name, with a target or a
direction and a weight, from a small TOML file (one table per metric)::

    [note_density]          # melody notes per beat
    target = 2.0
    [pitch_range]           # semitones
    at_most = 12
    [stepwise_share]
    at_least = 0.6
    weight = 2
    [syncopation]
    direction = "up"
    [ends_on_tonic]
    target = 1

Keys of a table: exactly one of `target`, `direction` ("up" | "down"), or `at_least` and/or
`at_most`; optional `weight` (> 0, default 1) and `scale` (the metric's units per unit of
reward; default per metric, `METRICS`). Each criterion scores a piece as minus its distance to
what is asked, in `scale` units (a direction scores the value itself, up or down); the reward is
the weighted sum. Refused with a one-line message naming the file and the metric: unknown metric
names (the message lists the known ones), unknown keys, a target outside the metric's possible
values, at_least above at_most, a target with a direction or bounds, a weight that is not positive or is
over 1000, a scale under 0.001.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tunesmith.score import Piece

_NAN = float("nan")


def _melody(piece: Piece):
    from tunesmith.metrics._common import melody_line

    return melody_line(piece)


def note_density(piece: Piece) -> float:
    """Melody notes per beat of the meter (a dotted quarter in 6/8)."""
    notes = _melody(piece)
    beats = piece.duration() / piece.time_signature.beat_length
    return len(notes) / beats if beats > 0 else _NAN


def pitch_range(piece: Piece) -> float:
    """Highest minus lowest melody pitch, semitones."""
    notes = _melody(piece)
    return float(max(n.pitch for n in notes) - min(n.pitch for n in notes)) if notes else _NAN


def syncopation(piece: Piece) -> float:
    """Share of melody notes that start off the beat and last past the next beat."""
    notes = _melody(piece)
    if not notes:
        return _NAN
    beat = piece.time_signature.beat_length
    count = 0
    for n in notes:
        pos = n.onset / beat
        if abs(pos - round(pos)) > 1e-6 and (n.onset + n.duration) / beat > math.floor(pos) + 1 + 1e-6:
            count += 1
    return count / len(notes)


def rest_share(piece: Piece) -> float:
    """Share of the piece's time with no melody note sounding."""
    notes = _melody(piece)
    total = piece.duration()
    if not notes or total <= 0:
        return _NAN
    return max(0.0, 1.0 - sum(n.duration for n in notes) / total)


def mean_pitch(piece: Piece) -> float:
    """Mean MIDI pitch of the melody."""
    notes = _melody(piece)
    return sum(n.pitch for n in notes) / len(notes) if notes else _NAN


def _musicality(name: str) -> Callable[[Piece], float]:
    def fn(piece: Piece) -> float:
        from tunesmith.metrics import musicality

        return float(getattr(musicality, name)(piece))

    fn.__name__ = name
    return fn


def _rule(name: str) -> Callable[[Piece], float]:
    def fn(piece: Piece) -> float:
        from tunesmith.rewards import rules

        return float(rules.RULES[name](piece))

    fn.__name__ = name
    return fn


def _rl(stat: str) -> Callable[[Piece], float]:
    def fn(piece: Piece) -> float:
        from tunesmith.metrics.rl_tuner import rl_tuner_stats

        return float(rl_tuner_stats(piece, raised_6_7=True)[stat])

    fn.__name__ = stat
    return fn


def _muspy(name: str) -> Callable[[Piece], float]:
    def fn(piece: Piece) -> float:
        from tunesmith.metrics import muspy_metrics

        return float(getattr(muspy_metrics, name)(piece))

    fn.__name__ = name
    return fn


@dataclass(frozen=True)
class Metric:
    fn: Callable[[Piece], float]
    low: float  # possible values
    high: float
    scale: float  # default units per unit of reward
    what: str


_SHARE = (0.0, 1.0, 0.1)
METRICS: dict[str, Metric] = {
    "note_density": Metric(note_density, 0.0, 64.0, 0.5, "melody notes per beat"),
    "pitch_range": Metric(pitch_range, 0.0, 127.0, 2.0, "melody range, semitones"),
    "syncopation": Metric(syncopation, *_SHARE, "share of off-beat notes held over the beat"),
    "rest_share": Metric(rest_share, *_SHARE, "share of time without a melody note"),
    "mean_pitch": Metric(mean_pitch, 0.0, 127.0, 2.0, "mean melody pitch (MIDI)"),
    "mean_abs_interval": Metric(_musicality("mean_abs_interval"), 0.0, 127.0, 1.0, "mean melodic interval, semitones"),
    "stepwise_share": Metric(_musicality("stepwise_share"), *_SHARE, "share of melodic steps (1-2 semitones)"),
    "leap_share": Metric(_musicality("leap_share"), *_SHARE, "share of intervals larger than a fifth"),
    "repeated_bar_share": Metric(_musicality("repeated_bar_share"), *_SHARE, "share of bars repeated exactly"),
    "chord_tone_share": Metric(_musicality("chord_tone_share"), *_SHARE, "melody time on chord tones"),
    "ends_on_tonic": Metric(_rule("ends_on_tonic"), 0.0, 1.0, 0.25, "the melody ends on the tonic (0/1)"),
    "starts_on_tonic": Metric(_rule("starts_on_tonic"), 0.0, 1.0, 0.25, "the melody starts on the tonic (0/1)"),
    "in_key": Metric(_rule("in_key"), *_SHARE, "share of melody notes in the key's scale"),
    "chord_tones_strong_beats": Metric(_rule("chord_tones_strong_beats"), *_SHARE, "on-beat notes on chord tones"),
    "cadence": Metric(_rule("cadence"), 0.0, 1.0, 0.25, "ends with a tonic cadence (0..1)"),
    "leaps_resolved": Metric(_rule("leaps_resolved"), *_SHARE, "RL Tuner: leaps resolved"),
    "notes_excessively_repeated": Metric(_rl("notes_excessively_repeated"), *_SHARE, "RL Tuner"),
    "notes_in_motif": Metric(_rl("notes_in_motif"), *_SHARE, "RL Tuner"),
    "notes_in_repeated_motif": Metric(_rl("notes_in_repeated_motif"), *_SHARE, "RL Tuner"),
    "pitch_class_entropy": Metric(_muspy("pitch_class_entropy"), 0.0, math.log2(12), 0.25, "MusPy, bits"),
    "scale_consistency": Metric(_muspy("scale_consistency"), *_SHARE, "MusPy"),
    "empty_beat_rate": Metric(_muspy("empty_beat_rate"), *_SHARE, "MusPy"),
    "n_pitch_classes_used": Metric(_muspy("n_pitch_classes_used"), 0.0, 12.0, 1.0, "MusPy"),
}

_KEYS = {"target", "direction", "at_least", "at_most", "weight", "scale"}
# bounds that keep a reward finite (a weight of 1e300 had made the loss infinite in the first round)
MAX_WEIGHT = 1000.0
MIN_SCALE = 0.001


@dataclass(frozen=True)
class Criterion:
    metric: str
    weight: float = 1.0
    target: float | None = None
    direction: str | None = None  # "up" | "down"
    at_least: float | None = None
    at_most: float | None = None
    scale: float | None = None

    def score(self, value: float) -> float:
        """Minus the distance to what is asked, in scale units (0 when it is met)."""
        if math.isnan(value):
            return -1.0  # the metric does not apply (no notes): as bad as one scale unit off
        s = self.scale or METRICS[self.metric].scale
        if self.direction is not None:
            return (value if self.direction == "up" else -value) / s
        if self.target is not None:
            return -abs(value - self.target) / s
        miss = 0.0
        if self.at_least is not None:
            miss += max(0.0, self.at_least - value)
        if self.at_most is not None:
            miss += max(0.0, value - self.at_most)
        return -miss / s

    def met(self, value: float) -> bool | None:
        if self.direction is not None or math.isnan(value):
            return None
        if self.target is not None:
            return abs(value - self.target) <= 0.05 * (self.scale or METRICS[self.metric].scale) * 2
        return (self.at_least is None or value >= self.at_least) and (self.at_most is None or value <= self.at_most)


class Criteria:
    """The reward of a criteria file: `criteria(piece) -> float` (weighted sum of the scores)."""

    def __init__(self, criteria: list[Criterion], source: str = ""):
        self.criteria = criteria
        self.source = source
        self.sha256: str | None = None  # of the file's bytes (`load_criteria`)
        self.__name__ = f"criteria({Path(source).name})" if source else "criteria"
        self.last: dict[str, float] = {}

    def values(self, piece: Piece) -> dict[str, float]:
        return {c.metric: float(METRICS[c.metric].fn(piece)) for c in self.criteria}

    def __call__(self, piece: Piece) -> float:
        vals = self.values(piece)
        self.last = vals  # the metrics of the piece scored last (the tuner logs their round means)
        return sum(c.weight * c.score(vals[c.metric]) for c in self.criteria)

    def describe(self) -> dict:
        return {
            "criteria": self.source,
            **({"sha256": self.sha256} if self.sha256 else {}),
            "items": [{k: v for k, v in c.__dict__.items() if v is not None} for c in self.criteria],
        }


def _number(where: str, key: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where}: {key} must be a number, got {value!r}")
    return float(value)


# metrics that are shares of kinds of the same melodic intervals that exclude each other (a step is
# 1-2 semitones, a leap more than 7): what is asked of them at least cannot sum past 1 (a student's
# stepwise_share at_least 0.7 with leap_share at_least 0.5 had been accepted)
DISJOINT_SHARES = (("stepwise_share", "leap_share"),)


def parse_criteria(raw: dict, source: str = "criteria") -> Criteria:
    """Criteria from a parsed TOML document; ValueError (one line, naming source and metric)."""
    if not raw:
        raise ValueError(f"{source}: no criteria; add a table per metric, e.g. [note_density] target = 2")
    out = []
    for name, table in raw.items():
        where = f"{source}: [{name}]"
        if name not in METRICS:
            raise ValueError(f"{source}: unknown metric {name!r}; known metrics: {', '.join(sorted(METRICS))}")
        if not isinstance(table, dict):
            raise ValueError(f"{where} must be a table (e.g. [{name}] target = ...), got {table!r}")
        unknown = sorted(set(table) - _KEYS)
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}; use {', '.join(sorted(_KEYS))}")
        m = METRICS[name]
        nums = {
            k: _number(where, k, table[k]) for k in ("target", "at_least", "at_most", "weight", "scale") if k in table
        }
        direction = table.get("direction")
        if direction is not None and direction not in ("up", "down"):
            raise ValueError(f'{where}: direction must be "up" or "down", got {direction!r}')
        asks = [k for k in ("target", "direction") if k in table] + (
            ["bounds"] if {"at_least", "at_most"} & set(table) else []
        )
        if len(asks) != 1:
            what = "nothing" if not asks else " and ".join(asks)
            raise ValueError(
                f"{where}: contradictory or missing goal ({what}); give exactly one of target, direction, at_least/at_most"
            )
        for k in ("target", "at_least", "at_most"):
            if k in nums and not m.low <= nums[k] <= m.high:
                raise ValueError(f"{where}: {k} = {nums[k]:g} is impossible; {name} lies in {m.low:g}..{m.high:g}")
        if "at_least" in nums and "at_most" in nums and nums["at_least"] > nums["at_most"]:
            raise ValueError(
                f"{where}: contradictory targets: at_least = {nums['at_least']:g} > at_most = {nums['at_most']:g}"
            )
        if nums.get("weight", 1.0) <= 0:
            raise ValueError(f"{where}: weight must be positive, got {nums['weight']:g}")
        if "scale" in nums and nums["scale"] <= 0:
            raise ValueError(f"{where}: scale must be positive, got {nums['scale']:g}")
        # a weight of 1e300 (or a scale of 1e-308) had passed, and `tune` then failed after its setup
        # with "the loss is not finite"
        if nums.get("weight", 1.0) > MAX_WEIGHT:
            raise ValueError(f"{where}: weight {nums['weight']:g} is over the limit of {MAX_WEIGHT:g}")
        if nums.get("scale", 1.0) < MIN_SCALE:
            raise ValueError(f"{where}: scale {nums['scale']:g} is under the limit of {MIN_SCALE:g}")
        out.append(Criterion(name, nums.get("weight", 1.0), nums.get("target"), direction,
                             nums.get("at_least"), nums.get("at_most"), nums.get("scale")))  # fmt: skip
    least = {c.metric: c.target if c.target is not None else c.at_least for c in out}
    for group in DISJOINT_SHARES:
        floors = [(name, least[name]) for name in group if least.get(name) is not None]
        if len(floors) > 1 and sum(v for _, v in floors) > 1 + 1e-9:
            asked = " + ".join(f"{name} {v:g}" for name, v in floors)
            raise ValueError(f"{source}: contradictory targets: {asked} > 1 (shares of kinds of the same melodic "
                             "intervals that exclude each other)")  # fmt: skip
    return Criteria(out, source)


def load_criteria(path: str | Path) -> Criteria:
    """Criteria from a TOML file (see the module docstring)."""
    import hashlib

    from tunesmith.inputs import check_local_file

    given, path = path, Path(path)
    if path.is_dir():
        raise ValueError(f"{path}: a folder, not a criteria file")
    if not path.exists():
        raise FileNotFoundError(f"criteria file not found: {path}")
    # a pipe, a device or a file over the file limit is refused before it is read: a pipe had hung
    # `tune`, and a link to /dev/zero had filled the memory
    check_local_file(given, min_bytes=0)
    data = path.read_bytes()
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a criteria file (not UTF-8 text)") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from None
    except (RecursionError, ValueError) as exc:  # arrays nested 100,000 deep, a number of 100,000 digits
        detail = (str(exc).splitlines() or [""])[0][:120]
        raise ValueError(f"{path}: not valid TOML ({type(exc).__name__}: {detail})") from None
    crit = parse_criteria(raw, str(path))  # errors name the path as given
    # what a tuned model records: the file's name and content hash, never where it lay on this machine
    crit.source, crit.sha256 = path.name, hashlib.sha256(data).hexdigest()
    return crit
