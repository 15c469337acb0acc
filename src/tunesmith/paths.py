"""Where tunesmith keeps its state: the corpus cache, the SQLite registry, trained models."""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """$TUNESMITH_HOME, else ~/.tunesmith. Created on first use."""
    path = Path(os.environ.get("TUNESMITH_HOME") or Path.home() / ".tunesmith")
    path.mkdir(parents=True, exist_ok=True)
    return path


def shared_data() -> Path:
    """The shared corpora folder: $TUNESMITH_DATA, else ../shared/data next to the checkout or cwd."""
    if os.environ.get("TUNESMITH_DATA"):
        return Path(os.environ["TUNESMITH_DATA"])
    for base in (Path.cwd(), Path(__file__).resolve().parents[3]):
        candidate = base.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "data"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that no reader ever sees half a file (temp file + os.replace)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
