"""Training configuration: a validated dataclass, loaded from TOML.

A config file has tables that group the fields (the grouping is for readers; every key is a
field of `TrainConfig`)::

    [model]
    n_layer = 4
    n_embd = 192
    [optim]
    lr = 2e-3
    [data]
    styles = ["folk", "chorale"]
    [run]
    max_steps = 4000

Unknown keys, unknown tables (`[optimizer]` for `[optim]`), wrong types and out-of-range values
are errors that name the key or table.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from tunesmith.score import STYLES

SPLITS = ("train", "valid", "test")
CONFIG_TABLES = ("model", "optim", "data", "run")  # the tables a config file may group its keys in


def check_field_types(obj: Any, label: str) -> Callable[[bool, str, str], None]:
    """Check every field of dataclass `obj` against its declared type (int, float, bool, str,
    list[str], possibly empty; ints given for floats become floats) and return the `need(cond, name, what)`
    the caller uses for its own range checks. Errors read "LABEL: name = value: what"."""

    def need(cond: bool, name: str, what: str) -> None:
        if not cond:
            raise ValueError(f"{label}: {name} = {getattr(obj, name)!r}: {what}")

    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.type == "int":
            need(isinstance(value, int) and not isinstance(value, bool), f.name, "must be an integer")
        elif f.type == "float":
            if isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
                setattr(obj, f.name, value)
            need(isinstance(value, float) and math.isfinite(value), f.name, "must be a number")
        elif f.type == "bool":
            need(isinstance(value, bool), f.name, "must be true or false")
        elif f.type == "str":
            need(isinstance(value, str), f.name, "must be a string")
        elif f.type == "list[str]":
            need(isinstance(value, list) and all(isinstance(v, str) for v in value), f.name, "must be a list of strings")
    return need



def known_fields(cls: type, d: dict[str, Any], what: str) -> dict[str, Any]:
    """`d` when every key is a field of dataclass `cls`, else ValueError naming the unknown ones
    (`what`: how the message names the config)."""
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(d) - known)
    if unknown:
        raise ValueError(f"{what}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return d

@dataclass
class TrainConfig:
    # model (see tunesmith.model.ModelConfig)
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 192
    block_size: int = 1024
    dropout: float = 0.1
    metric: bool = True  # metrical embeddings (beat, bars left, phrase; tunesmith.token_meter)
    # optimisation
    batch_size: int = 16
    lr: float = 2e-3
    min_lr: float = 2e-4
    warmup_steps: int = 100
    weight_decay: float = 0.1
    beta1: float = 0.9
    beta2: float = 0.95
    grad_clip: float = 1.0
    # data
    corpus: str = ""  # corpus cache folder; "" = the default cache (tunesmith corpus build)
    styles: list[str] = field(default_factory=list)  # [] = every style
    shippable_only: bool = False  # only data whose license lets the model ship (licenses.may_ship)
    train_split: str = "train"
    valid_split: str = "valid"
    fim_rate: float = 0.3  # fraction of examples in fill-in-the-middle order
    transpose: int = 5  # random transposition by -transpose..+transpose semitones (0: off)
    # styles never transposed: four voices with fixed ranges sit at one height whatever the key (Bach's
    # sopranos average 69.9-72.1 in each of his 14 commonest keys), and a G-major chorale moved down
    # to E-flat taught the model to sing E-flat chorales four semitones low (session 29)
    fixed_register_styles: list[str] = field(default_factory=list)
    synthetic: int = 0  # > 0: train on that many synthetic pieces instead of a corpus (smoke tests)
    # run
    max_steps: int = 2000
    eval_every: int = 100  # steps between validation (and checkpoints)
    eval_examples: int = 64  # validation windows per evaluation
    patience: int = 5  # evaluations without improvement before stopping early (0: never)
    max_minutes: float = 0.0  # wall-clock limit (0: none); the run stops cleanly with a checkpoint
    seed: int = 1337
    threads: int = 0  # torch threads (0: torch's default)
    # a model folder whose weights start the run ("default": the shipped model; "": random), to
    # fine-tune it on a corrected or larger corpus; its shape must be this config's
    init_from: str = ""

    def __post_init__(self) -> None:
        need = check_field_types(self, "config")
        for name in ("n_layer", "n_head", "n_embd", "block_size", "batch_size", "max_steps", "eval_every"):
            need(getattr(self, name) > 0, name, "must be positive")
        for name in ("warmup_steps", "eval_examples", "patience", "synthetic", "threads", "transpose", "seed"):
            need(getattr(self, name) >= 0, name, "must be >= 0")
        need(self.n_embd % self.n_head == 0, "n_embd", f"must be divisible by n_head ({self.n_head})")
        need(self.block_size >= 64, "block_size", "must be at least 64 tokens")
        need(0.0 <= self.dropout < 1.0, "dropout", "must be in [0, 1)")
        need(0.0 < self.lr <= 1.0, "lr", "must be in (0, 1]")
        need(0.0 <= self.min_lr <= self.lr, "min_lr", "must be in [0, lr]")
        need(self.weight_decay >= 0.0, "weight_decay", "must be >= 0")
        need(0.0 <= self.beta1 < 1.0 and 0.0 <= self.beta2 < 1.0, "beta1", "beta1 and beta2 must be in [0, 1)")
        need(self.grad_clip >= 0.0, "grad_clip", "must be >= 0 (0: no clipping)")
        need(0.0 <= self.fim_rate <= 1.0, "fim_rate", "must be in [0, 1]")
        need(self.transpose <= 11, "transpose", "must be at most 11 semitones")
        need(self.max_minutes >= 0.0, "max_minutes", "must be >= 0")
        need(self.train_split in SPLITS and self.valid_split in SPLITS, "train_split", f"splits are {SPLITS}")
        need(isinstance(self.styles, list) and all(s in STYLES for s in self.styles), "styles", f"each one of {STYLES}")
        need(all(s in STYLES for s in self.fixed_register_styles), "fixed_register_styles", f"each one of {STYLES}")
        # the limits every model must keep to be loaded (compose refuses a bigger one): checked here,
        # before the corpus is read or a weight allocated (n_layer 10^6 had tried to allocate 392 MB a
        # layer and died at 3.3 GB; n_layer 100 trained a model no verb would load)
        from tunesmith.limits import check_train_config
        from tunesmith.tokenizer import Tokenizer

        check_train_config("config", {"n_layer": self.n_layer, "n_head": self.n_head, "n_embd": self.n_embd,
                                      "block_size": self.block_size, "vocab_size": Tokenizer().vocab_size})  # fmt: skip

    # ------------------------------------------------------------------ conversions
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        return cls(**known_fields(cls, d, "config"))

    def model_config(self, vocab_size: int):
        from tunesmith.model import ModelConfig

        return ModelConfig(
            vocab_size=vocab_size,
            block_size=self.block_size,
            n_layer=self.n_layer,
            n_head=self.n_head,
            n_embd=self.n_embd,
            dropout=self.dropout,
            metric=self.metric,
        )


PACKAGED_CONFIGS = Path(__file__).resolve().parent / "configs"


def config_path(name: str | Path) -> Path:
    """A config file for `name`: an existing file as given; else a config shipped in the package
    ("small", "default.toml", or "configs/small.toml" run outside the checkout); else `name`."""
    path = Path(name)
    if path.is_file():
        return path
    stem = path.name[: -len(".toml")] if path.name.endswith(".toml") else path.name
    shipped = PACKAGED_CONFIGS / f"{stem}.toml"
    if shipped.is_file() and (path.parent in (Path("."), Path("configs")) or len(path.parts) == 1):
        return shipped
    return path


def load_config(path: str | Path, **overrides: Any) -> TrainConfig:
    """A TrainConfig from a TOML file (tables are flattened), with `overrides` applied.
    `path` may name a config shipped in the package: "default", "small", "test" (see `config_path`)."""
    path = config_path(path)
    if not Path(path).exists():
        raise FileNotFoundError(f"config file not found: {path}")
    from tunesmith.inputs import check_local_file

    # a pipe, a device, a folder or a file over the file limit is refused before it is read (as
    # `tune --config`: a pipe had hung `train`, a link to /dev/zero had filled the memory)
    check_local_file(path, min_bytes=0)
    try:
        with open(path, "rb") as f:
            raw = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a TOML config (not UTF-8 text)") from None
    except (RecursionError, ValueError) as exc:  # arrays nested 100,000 deep, a number of 100,000 digits
        detail = (str(exc).splitlines() or [""])[0][:120]
        raise ValueError(f"{path}: not valid TOML ({type(exc).__name__}: {detail})") from None
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, dict) and key not in CONFIG_TABLES:
            # a misspelt table would otherwise be read past with its keys flattened (or, for a
            # sub-table, refused only as an odd "unknown key"): say which tables there are
            near = difflib.get_close_matches(key, CONFIG_TABLES, n=1)
            hint = f" (did you mean [{near[0]}]?)" if near else ""
            raise ValueError(f"{path}: unknown table [{key}]{hint}; the tables are "
                             + ", ".join(f"[{t}]" for t in CONFIG_TABLES))
        items = value.items() if isinstance(value, dict) else [(key, value)]
        for k, v in items:
            if k in flat:
                raise ValueError(f"{path}: key {k!r} given twice")
            flat[k] = v
    flat.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return TrainConfig.from_dict(flat)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
