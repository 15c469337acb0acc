"""User folders registered as corpus sources, kept in SQLite at `paths.home()/tunesmith.db`.

`tunesmith corpus add DIR --style S --license L [--name N]` lands here. The table is
`corpus_folders`; other parts of tunesmith may keep their own tables in the same database.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from tunesmith import paths
from tunesmith.licenses import get_license
from tunesmith.score import STYLES

_SCHEMA = """
CREATE TABLE IF NOT EXISTS corpus_folders (
    name TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    style TEXT NOT NULL,
    license TEXT NOT NULL,
    added REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS corpus_metadata (
    name TEXT NOT NULL,
    file TEXT NOT NULL,
    meta TEXT NOT NULL,
    PRIMARY KEY (name, file)
)
"""
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class RegisteredFolder:
    name: str
    path: str
    style: str
    license: str
    added: float = 0.0


def default_db_path() -> Path:
    return paths.home() / "tunesmith.db"


def check_style(style: str) -> str:
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; known: {', '.join(STYLES)}")
    return style


def check_license(license_id: str) -> str:
    """The registered spelling of `license_id`; ValueError listing the known ones otherwise."""
    return get_license(license_id).id


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9_.-]+", "-", text.lower()).strip("-.")
    return s[:64] or "folder"


class FolderRegistry:
    """add / list / remove user folders. Every call opens and closes its own connection."""

    def __init__(self, db_path: str | Path | None = None) -> None:
        self.db_path = Path(db_path) if db_path else default_db_path()

    def _connect(self) -> sqlite3.Connection:
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = None
        try:
            conn = sqlite3.connect(self.db_path, timeout=30)
            conn.executescript(_SCHEMA)
        except sqlite3.Error as exc:  # had been "DatabaseError: file is not a database", naming no file
            if conn is not None:
                conn.close()
            raise ValueError(f"{self.db_path}: cannot be opened as the corpus registry ({exc})") from None
        return conn

    def add(self, folder: str | Path, *, style: str, license: str, name: str | None = None,
            metadata: dict[str, dict[str, str]] | None = None) -> RegisteredFolder:
        """Register `folder`; `metadata` ({relative file: {"year": ..., ...}}, see
        `tunesmith.corpus.metadata`) goes into every build's pieces of those files."""
        from tunesmith.corpus.sources import BUILTIN_SOURCES
        from tunesmith.inputs import refuse_url

        path = Path(refuse_url(folder)).expanduser()
        if not path.exists():
            raise FileNotFoundError(f"{folder}: no such folder")
        if not path.is_dir():
            raise ValueError(f"{folder}: not a folder")
        from tunesmith.limits import check_music_folder

        check_music_folder(path, "to add")
        style = check_style(style)
        license = check_license(license)
        name = name if name is not None else slug(path.resolve().name)
        if not _NAME_RE.match(name):
            raise ValueError(f"invalid name {name!r}: use lower-case letters, digits, '-', '_', '.' (at most 64)")
        if name in BUILTIN_SOURCES:
            raise ValueError(f"name {name!r} is a built-in source; pick another with --name")
        entry = RegisteredFolder(name, str(path.resolve()), style, license, time.time())
        with closing(self._connect()) as conn, conn:
            if conn.execute("SELECT 1 FROM corpus_folders WHERE name = ?", (name,)).fetchone():
                raise ValueError(f"a folder named {name!r} is already registered; remove it first or pick --name")
            conn.execute(
                "INSERT INTO corpus_folders (name, path, style, license, added) VALUES (?, ?, ?, ?, ?)",
                (entry.name, entry.path, entry.style, entry.license, entry.added),
            )
            conn.executemany(
                "INSERT INTO corpus_metadata (name, file, meta) VALUES (?, ?, ?)",
                [(name, rel, json.dumps(meta, ensure_ascii=False)) for rel, meta in (metadata or {}).items()],
            )
        return entry

    def metadata(self, name: str) -> dict[str, dict[str, str]]:
        """{relative file: metadata} given with `--metadata` for the folder `name` ({} if none)."""
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT file, meta FROM corpus_metadata WHERE name = ?", (name,)).fetchall()
        return {file: json.loads(meta) for file, meta in rows}

    def list(self) -> list[RegisteredFolder]:
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT name, path, style, license, added FROM corpus_folders ORDER BY name").fetchall()
        return [RegisteredFolder(*row) for row in rows]

    def get(self, name: str) -> RegisteredFolder | None:
        return next((f for f in self.list() if f.name == name), None)

    def remove(self, name: str) -> RegisteredFolder:
        entry = self.get(name)
        if entry is None:
            known = ", ".join(f.name for f in self.list()) or "none registered"
            raise ValueError(f"no registered folder named {name!r} (registered: {known})")
        with closing(self._connect()) as conn, conn:
            conn.execute("DELETE FROM corpus_folders WHERE name = ?", (name,))
            conn.execute("DELETE FROM corpus_metadata WHERE name = ?", (name,))
        return entry
