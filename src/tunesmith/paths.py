"""Where tunesmith keeps its state: the corpus cache, the SQLite registry, trained models."""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """$TUNESMITH_HOME, else ~/.tunesmith. Created on first use."""
    path = Path(os.environ.get("TUNESMITH_HOME") or Path.home() / ".tunesmith")
    path.mkdir(parents=True, exist_ok=True)
    return path


def shown_path(path: str | os.PathLike | None) -> str:
    """How a report names a model or data folder without giving away the machine's layout:
    "default" for the model shipped in the package, a path relative to the current directory
    when the folder lies under it (not when that directory is the file system's root), else the
    folder's own name."""
    if not path:
        return ""
    p = Path(path)
    try:
        resolved = p.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link that loops (Python < 3.13)
        return p.name
    package_model = Path(__file__).resolve().parent / "models" / "default"
    if resolved == package_model or (resolved.parent == package_model and resolved.suffix):
        return "default"
    if not p.is_absolute():
        return str(p)
    cwd = Path.cwd().resolve()
    if cwd == Path(cwd.anchor):  # run from /, a "relative" path is the absolute one less its first slash
        return p.name
    try:
        return str(resolved.relative_to(cwd))
    except ValueError:
        return p.name


def shared_data() -> Path:
    """The shared corpora folder: $TUNESMITH_DATA, else ../shared/data next to the checkout or cwd."""
    if os.environ.get("TUNESMITH_DATA"):
        return Path(os.environ["TUNESMITH_DATA"])
    checkout = Path(__file__).resolve().parents[2]  # src/tunesmith/paths.py -> the checkout
    for base in (Path.cwd(), checkout):
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


def remove_stale_temps(folder: Path) -> list[str]:
    """Remove the temporary files (".NAME.tmp-PID") that a writer killed before its `os.replace`
    left in `folder`, those of processes no longer running; returns their names. A run resumed
    after a kill had left a 20 MB ".checkpoint.safetensors.tmp-15011" there for good."""
    gone = []
    for tmp in Path(folder).glob(".*.tmp-*"):
        pid = tmp.name.rsplit(".tmp-", 1)[-1]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # its writer is still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue  # another user's process: running
        if tmp.is_file():
            tmp.unlink(missing_ok=True)
            gone.append(tmp.name)
    return gone


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
