"""A loaded composer (`Model`: the decoder, its tokenizer and its info) and `load_model`, which
loads each model once per process and shares it between threads. Split from api.py (session 40),
which re-exports both."""

from __future__ import annotations

import dataclasses
import os
import threading
from pathlib import Path
from typing import Any


@dataclasses.dataclass
class Model:
    """A loaded composer: the decoder, its tokenizer and its info (config, training provenance)."""

    name: str
    model: Any
    tokenizer: Any
    info: dict
    # the decoder keeps its key/value cache on the model: one generation at a time per model, so
    # that threads sharing it (a bot, a web app) wait rather than corrupt each other's takes
    lock: Any = dataclasses.field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self) -> dict:
        """What a take records about this model: a name, never a machine path, and its sha256."""
        from tunesmith.paths import shown_path

        source = self.info.get("source")
        out = {"id": self.name, "path": None if source in (None, "default") else shown_path(source),
               "sha256": self.info.get("sha256")}  # fmt: skip
        tuning = self.info.get("tuning")
        if isinstance(tuning, dict):  # a tuned model: what it was tuned from, and how
            base = tuning.get("base")  # {id, sha256} (tune) or the id, with base_sha256 beside it (DPO)
            base = base if isinstance(base, dict) else {"id": base, "sha256": tuning.get("base_sha256")}
            out["tuned_from"] = {"id": base.get("id"), "sha256": base.get("sha256"), "method": tuning.get("method"),
                                 "reward": tuning.get("reward")}  # fmt: skip
        return out

    def training_record(self) -> dict:
        return self.info.get("provenance") or self.info.get("training_data") or {}

    def __repr__(self) -> str:
        return f"tunesmith.Model({self.name!r}, sha256={str(self.info.get('sha256'))[:12]})"


_MODELS: dict[tuple[str, float], Model] = {}
_MODELS_LOCK = threading.Lock()


def load_model(name: str | os.PathLike | Model | None = "default") -> Model:
    """The model `name`: "default" (shipped in the package) or a model folder. Loaded once per
    process (numpy decoder, no torch import); FileNotFoundError names what was looked for."""
    if isinstance(name, Model):
        return name
    if name is not None and not isinstance(name, str | os.PathLike):  # model=5 had been os.fspath's TypeError
        raise TypeError(f"model must be 'default', a model folder or a loaded Model, not {type(name).__name__}")
    from tunesmith import pretrained

    text = "default" if name is None else os.fspath(name)
    path = pretrained.resolve_model(text)
    weights = path / "model.safetensors" if path.is_dir() else path
    stamp = weights.stat().st_mtime if weights.exists() else 0.0
    cache_key = (str(path.resolve()), stamp)
    with _MODELS_LOCK:  # two threads asking at once load it once
        if cache_key not in _MODELS:
            model, tokenizer, info = pretrained.load(text, torch=False)
            label = info.get("name") or info.get("model_id") or ("default" if text == "default" else Path(text).name or text)
            _MODELS[cache_key] = Model(label, model, tokenizer, {**info, "source": text})
        return _MODELS[cache_key]
