"""The systems an evaluation compares, behind one interface: compose pieces, score pieces.

- `TunesmithSystem`: a tunesmith model folder (or "default", the model shipped in the package,
  or "random": a random-init model of the shipped size, `configs/default.toml`'s [model]
  table: 4 layers, 4 heads, 192 wide, 1024-token block; for timings and smoke runs).
- `Gpt2RemiSystem`: a GPT-2 + REMI baseline folder saved by `scripts/train_gpt2_baseline.py`
  (`config.json`, `model.safetensors`, `tokenizer.json`).

`load_system(spec)` tells them apart by the files in the folder. `System.compose(request, n,
seed)` returns `n` Pieces for a `sampling.ComposeRequest`; the baseline is UNCONDITIONAL (REMI
has no way to ask for a key, chords or a range): it is asked only for `request.bars` bars, its
REMI output decoded to Pieces (`convert.from_symusic`, key estimated when absent). It has no
controls (`System.takes_controls` is False): the evaluation does not score it on constraint
satisfaction (its constraint rows read "n/a (no controls)"; how often its output happens to
satisfy a request it never saw is kept in the JSON as information only).

A baseline folder written by `scripts/train_gpt2_baseline.py` also holds `report.json` and
`train_log.json`; what they say about its training (steps, minutes, pieces, parameter count)
is shown in the report's header.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tunesmith.paths import shown_path
from tunesmith.score import Piece


@contextlib.contextmanager
def torch_threads(n: int | None) -> Iterator[None]:
    """Run torch on `n` intra-op threads inside the block (None: leave as is). Token-by-token
    decoding of a small model is a chain of tiny ops; on a busy 2-core machine torch's thread
    pool turns each into milliseconds of waiting, so decoding runs on one thread, like
    tunesmith's numpy decoder (`sampling.single_thread_blas`)."""
    import torch

    if not n:
        yield
        return
    old = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def _sha256(path: Path) -> str:
    from tunesmith.pretrained import file_sha256

    return file_sha256(path) if path.is_file() else ""


@dataclass
class System:
    label: str
    kind: str  # "tunesmith" | "gpt2-remi"
    path: str
    sha256: str
    n_params: int
    note: str = ""
    info: dict[str, Any] = field(default_factory=dict)
    compose_seconds: float = 0.0  # wall time spent in compose(), summed
    composed: int = 0
    takes_controls: bool = True  # can it be asked for a style, key, meter, range, chords?

    def describe(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "kind": self.kind,
            "path": shown_path(self.path),
            "sha256": self.sha256,
            "n_params": self.n_params,
            "note": self.note,
            "takes_controls": self.takes_controls,
            "training": dict(self.info.get("training") or {}),
        }

    def compose(self, request: Any, n: int, seed: int) -> list[Piece]:  # pragma: no cover - abstract
        raise NotImplementedError

    def nll(self, pieces: list[Piece], *, per_piece: bool = False) -> dict[str, Any]:  # pragma: no cover
        raise NotImplementedError


class TunesmithSystem(System):
    def __init__(self, model: Any, tokenizer: Any, info: dict[str, Any], label: str = "tunesmith", note: str = ""):
        super().__init__(
            label=label,
            kind="tunesmith",
            path=str(info.get("path", "")),
            sha256=str(info.get("sha256", "")),
            n_params=int(model.num_params()),
            note=note,
            info={k: v for k, v in info.items() if k != "tokenizer"},
        )
        self.model = model
        self.tokenizer = tokenizer
        self.info.setdefault("training", _tunesmith_training(info))

    def compose(self, request: Any, n: int, seed: int) -> list[Piece]:
        from tunesmith.sampling import generate
        from tunesmith.sampling.decode import finish_composed_takes

        t0 = time.perf_counter()
        takes = generate(self.model, self.tokenizer, request, n=n, seed=seed)
        finish_composed_takes(takes, request, self.model)  # the takes a user of `compose` gets
        self.compose_seconds += time.perf_counter() - t0
        self.composed += len(takes)
        return [t.piece for t in takes]

    def nll(self, pieces: list[Piece], *, per_piece: bool = False, progress: bool = False) -> dict[str, Any]:
        from tunesmith.evaluation.likelihood import tunesmith_nll

        return tunesmith_nll(self.model, self.tokenizer, pieces, per_piece=per_piece, progress=progress)


class Gpt2RemiSystem(System):
    def __init__(self, model: Any, tokenizer: Any, path: str = "", label: str = "gpt2-remi", note: str = ""):
        from tunesmith.baselines.gpt2_remi import count_params

        folder = Path(path) if path else None
        super().__init__(
            label=label,
            kind="gpt2-remi",
            path=str(path),
            sha256=_sha256(folder / "model.safetensors") if folder else "",
            n_params=int(count_params(model)),
            note=note,
            info={
                "n_positions": int(model.config.n_positions),
                "vocab_size": len(tokenizer),
                "training": _baseline_training(folder) if folder else {},
            },
        )
        self.model = model
        self.tokenizer = tokenizer
        self.takes_controls = False

    def compose(self, request: Any, n: int, seed: int) -> list[Piece]:
        from tunesmith.baselines.gpt2_remi import generate_baseline
        from tunesmith.convert import from_symusic

        t0 = time.perf_counter()
        with torch_threads(1):
            sample = generate_baseline(self.model, self.tokenizer, n_bars=request.bars, batch_size=n, seed=seed)
        pieces = []
        for i, score in enumerate(sample.scores):
            try:
                piece = from_symusic(score, piece_id=f"gpt2-{seed}-{i}", work_id=f"gpt2-{seed}-{i}")
            except Exception:  # an empty or odd score still counts as a (silent) take
                piece = Piece(piece_id=f"gpt2-{seed}-{i}", work_id=f"gpt2-{seed}-{i}")
            piece.style = request.style
            piece.source = "gpt2-remi"
            piece.meta["baseline"] = {"bars": sample.n_bars[i], "hit_max_length": sample.hit_max_length[i]}
            pieces.append(piece)
        self.compose_seconds += time.perf_counter() - t0
        self.composed += len(pieces)
        return pieces

    def nll(self, pieces: list[Piece], *, per_piece: bool = False, progress: bool = False) -> dict[str, Any]:
        from tunesmith.evaluation.likelihood import baseline_nll

        return baseline_nll(self.model, self.tokenizer, pieces, per_piece=per_piece)


def _tunesmith_training(info: dict[str, Any]) -> dict[str, Any]:
    """What a tunesmith model.json says about its training (a few headline fields)."""
    train = info.get("train_config") or {}
    prov = info.get("provenance") or {}
    out = {
        "model_config": info.get("model_config"),
        "step": info.get("step"),
        "val_loss": info.get("val_loss"),
        "shippable_only": train.get("shippable_only"),
        "train_split": train.get("train_split"),
        "pieces": prov.get("pieces"),
        "corpus": prov.get("corpus"),
    }
    return {k: v for k, v in out.items() if v is not None}


def _baseline_training(folder: Path) -> dict[str, Any]:
    """Headline fields of `train_log.json` / `report.json` in a baseline folder (empty if absent)."""
    import json

    out: dict[str, Any] = {}
    for name in ("train_log.json", "report.json"):
        try:
            data = json.loads((folder / name).read_text())
        except (OSError, ValueError):
            continue
        for key in (
            "n_params", "shape", "steps", "train_seconds", "train_pieces", "valid_pieces", "tokens_seen",
            "n_positions", "final_train_loss", "seed",
        ):  # fmt: skip
            if key in data and key not in out:
                out[key] = data[key]
        if name == "report.json" and isinstance(data.get("test_nll"), dict):
            out["own_test_nll_per_note"] = data["test_nll"].get("per_note")
    if out:
        out["data_source"] = "not recorded by train_gpt2_baseline.py (see its command line)"
    return out


# ------------------------------------------------------------------ loading
DEFAULT_CONFIG_TOML = Path(__file__).resolve().parents[1] / "configs" / "default.toml"  # shipped in the package


def default_model_config(vocab_size: int) -> Any:
    """The shipped model's size, as `configs/default.toml` sets it ([model]: 4 layers, 4 heads,
    192 wide, 1024-token block): read from that file in a source checkout, else
    `config.TrainConfig()`'s defaults (the same numbers). Dropout 0: for inference."""
    from tunesmith.config import TrainConfig, load_config

    try:
        train = load_config(DEFAULT_CONFIG_TOML) if DEFAULT_CONFIG_TOML.is_file() else TrainConfig()
    except (OSError, ValueError):
        train = TrainConfig()
    cfg = train.model_config(vocab_size)
    cfg.dropout = 0.0
    return cfg


def random_tunesmith(config: Any | None = None, seed: int = 0) -> TunesmithSystem:
    """A random-init tunesmith model of `config` (default: `default_model_config`, the shipped
    size of configs/default.toml). For timings and smoke tests only: it composes noise under
    the constraints."""
    import torch

    from tunesmith.model import GPT
    from tunesmith.tokenizer import Tokenizer

    tok = Tokenizer()
    cfg = config or default_model_config(tok.vocab_size)
    torch.manual_seed(seed)
    model = GPT(cfg).eval()
    info = {"path": "random-init", "sha256": "", "model_config": cfg.to_dict()}
    return TunesmithSystem(model, tok, info, label="tunesmith (random init)", note="random-init weights, not trained")


def is_baseline_dir(path: Path) -> bool:
    return path.is_dir() and (path / "config.json").is_file() and (path / "tokenizer.json").is_file()


def load_system(spec: str | Path, *, label: str | None = None) -> System:
    """A System for "default" (the shipped model), "random" (random-init, shipped size), a
    tunesmith model folder, or a GPT-2 baseline folder. FileNotFoundError names what is missing."""
    text = str(spec)
    if text == "random":
        return random_tunesmith()
    path = Path(text)
    if text != "default" and is_baseline_dir(path):
        from tunesmith.baselines.gpt2_remi import load_baseline

        model, tok = load_baseline(path, device="cpu")
        return Gpt2RemiSystem(model, tok, str(path), label=label or f"gpt2-remi ({path.name})")
    from tunesmith import pretrained

    model, tok, info = pretrained.load(text)
    name = "default" if text == "default" else path.name
    return TunesmithSystem(model, tok, info, label=label or f"tunesmith ({name})")


def default_model_available() -> bool:
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    return (DEFAULT_MODEL_DIR / "model.safetensors").is_file()


def seconds_per_piece(system: System) -> float:
    return system.compose_seconds / system.composed if system.composed else math.nan
