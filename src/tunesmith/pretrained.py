"""Where models are found: `default` is the model shipped inside the package."""

from __future__ import annotations

import hashlib
from pathlib import Path

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models" / "default"


def resolve_model(name_or_path: str | Path | None) -> Path:
    """A model folder for `name_or_path`: None or "default" -> the shipped model; else the path.

    FileNotFoundError names what was looked for; whether the folder holds a real tunesmith
    model is checked by `tunesmith.model.load_model`, which reads only safetensors and JSON.
    """
    if name_or_path is None or str(name_or_path) == "default":
        path = DEFAULT_MODEL_DIR
        if not (path / "model.safetensors").is_file():
            raise FileNotFoundError(f"the default model is missing from the package ({path}); reinstall tunesmith")
        return path
    from tunesmith.inputs import refuse_url

    path = Path(refuse_url(name_or_path))  # a model is a local folder, never a URL
    if not path.exists():
        raise FileNotFoundError(f"no model at {path}")
    return path


def load(name_or_path: str | Path | None = None, *, torch: bool = True):
    """(model, tokenizer, info) for a model name or folder; info gains `path` and `sha256`.

    `torch=False` gives a `tunesmith.inference.NumpyModel`: enough to compose and co-create,
    without importing torch (about a second saved per command); training needs the torch GPT."""
    path = resolve_model(name_or_path)
    if torch:
        from tunesmith.model import load_model

        model, tokenizer, info = load_model(path)
    else:
        from tunesmith.inference import load_numpy_model

        model, tokenizer, info = load_numpy_model(path)
    file = path / "model.safetensors" if path.is_dir() else path
    info = {**info, "path": str(path), "sha256": file_sha256(file)}
    return model, tokenizer, info


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
