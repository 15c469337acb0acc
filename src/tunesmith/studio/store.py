"""The studio's state: one SQLite file (`$TUNESMITH_HOME/studio/studio.db`), WAL, every write
committed before the request that made it is answered (synchronous=FULL), so a killed server
comes back with every take it had acknowledged.

Tables:

- `pieces`: a piece is a history of kept takes; `cursor` is the position in it (undo/redo move it).
- `takes`: every take ever made (kept or not): its music (`Piece.to_dict()` JSON), the request and
  provenance that made it, its parent take, and the alternatives set it was offered in. Never
  deleted, never changed.
- `history`: (piece, seq) -> take: the undo stack. A new edit after an undo drops the redo entries
  from the stack (their takes stay in `takes`, and `events` records the drop).
- `alternatives`: N takes offered for one edit (inpaint, continue, harmonize, recompose), open
  until one is kept or the set is discarded.
- `uploads`: what a musician uploaded: the bytes, their sha256, size and the (display-only) name.
- `judgements`: stars and A-vs-B preferences given in the studio (mirrored into the ratings store).
- `guard`: the copy guard's verdict of a take, computed once.
- `events`: an append-only log of every action.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS pieces (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, created TEXT NOT NULL, forked_from TEXT,
    cursor INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS takes (
    id TEXT PRIMARY KEY, piece TEXT NOT NULL REFERENCES pieces(id), parent TEXT, action TEXT NOT NULL,
    request TEXT, provenance TEXT, music TEXT NOT NULL, alternatives TEXT, seed INTEGER, created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS takes_piece ON takes(piece);
CREATE TABLE IF NOT EXISTS history (
    piece TEXT NOT NULL REFERENCES pieces(id), seq INTEGER NOT NULL, take TEXT NOT NULL REFERENCES takes(id),
    action TEXT NOT NULL, created TEXT NOT NULL, PRIMARY KEY (piece, seq)
);
CREATE TABLE IF NOT EXISTS alternatives (
    id TEXT PRIMARY KEY, piece TEXT NOT NULL REFERENCES pieces(id), base TEXT, action TEXT NOT NULL,
    request TEXT, status TEXT NOT NULL DEFAULT 'open', kept TEXT, created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS uploads (
    id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, ext TEXT NOT NULL, name TEXT,
    data BLOB NOT NULL, created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS judgements (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, rater TEXT NOT NULL, take TEXT NOT NULL, other TEXT,
    stars INTEGER, created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS guard (take TEXT PRIMARY KEY, result TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY, piece TEXT, action TEXT NOT NULL, detail TEXT, created TEXT NOT NULL
);
"""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id(prefix: str) -> str:
    """A random id: `p-...` pieces, `t-...` takes, `a-...` alternatives, `u-...` uploads."""
    return f"{prefix}-{secrets.token_hex(8)}"


class NotFound(LookupError):
    """An id that names nothing in the store (HTTP 404)."""


class Conflict(ValueError):
    """A request that does not fit the state (HTTP 409): nothing to undo, a closed alternatives set."""


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.lock = threading.RLock()
        self.db = sqlite3.connect(self.path, check_same_thread=False, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        with self.lock:
            self.db.close()

    # ------------------------------------------------------------------ helpers
    def _tx(self):
        return _Tx(self)

    def _one(self, sql: str, args: tuple = ()) -> sqlite3.Row | None:
        with self.lock:
            return self.db.execute(sql, args).fetchone()

    def _all(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self.db.execute(sql, args).fetchall()

    def _event(self, piece: str | None, action: str, detail: Any = None) -> None:
        self.db.execute(
            "INSERT INTO events (piece, action, detail, created) VALUES (?,?,?,?)",
            (piece, action, json.dumps(detail, default=str) if detail is not None else None, now()),
        )

    # ------------------------------------------------------------------ pieces
    def create_piece(self, title: str, first: dict, action: str, forked_from: str | None = None) -> str:
        """A new piece whose history starts with the take `first` (see `_insert_take`)."""
        pid = new_id("p")
        with self._tx() as db:
            db.execute("INSERT INTO pieces (id, title, created, forked_from, cursor) VALUES (?,?,?,?,0)",
                       (pid, title, now(), forked_from))  # fmt: skip
            tid = self._insert_take(db, pid, first)
            db.execute("INSERT INTO history (piece, seq, take, action, created) VALUES (?,?,?,?,?)",
                       (pid, 0, tid, action, now()))  # fmt: skip
            self._event(pid, "create", {"take": tid, "action": action})
        return pid

    def fork_piece(self, pid: str, title: str, upto_take: str | None = None) -> str:
        """A new piece whose history is `pid`'s up to its cursor (or up to `upto_take`)."""
        piece = self.piece_row(pid)
        hist = self.history(pid)
        cut = piece["cursor"]
        if upto_take is not None:
            seqs = [h["seq"] for h in hist if h["take"] == upto_take]
            if not seqs:
                raise NotFound(f"take {upto_take} is not in the history of piece {pid}")
            cut = seqs[-1]
        new = new_id("p")
        with self._tx() as db:
            db.execute("INSERT INTO pieces (id, title, created, forked_from, cursor) VALUES (?,?,?,?,?)",
                       (new, title, now(), pid, cut))  # fmt: skip
            for h in hist[: cut + 1]:
                db.execute("INSERT INTO history (piece, seq, take, action, created) VALUES (?,?,?,?,?)",
                           (new, h["seq"], h["take"], h["action"], h["created"]))  # fmt: skip
            self._event(new, "fork", {"from": pid, "upto": hist[cut]["take"]})
        return new

    def rename_piece(self, pid: str, title: str) -> None:
        self.piece_row(pid)
        with self._tx() as db:
            db.execute("UPDATE pieces SET title = ? WHERE id = ?", (title, pid))
            self._event(pid, "rename", {"title": title})

    def piece_row(self, pid: str) -> sqlite3.Row:
        row = self._one("SELECT * FROM pieces WHERE id = ?", (pid,))
        if row is None:
            raise NotFound(f"no piece {pid}")
        return row

    def pieces(self) -> list[sqlite3.Row]:
        return self._all("SELECT * FROM pieces ORDER BY created DESC, id")

    def history(self, pid: str) -> list[sqlite3.Row]:
        return self._all("SELECT * FROM history WHERE piece = ? ORDER BY seq", (pid,))

    def current_take(self, pid: str) -> str:
        row = self._one(
            "SELECT h.take FROM history h JOIN pieces p ON p.id = h.piece AND p.cursor = h.seq WHERE p.id = ?", (pid,)
        )
        if row is None:
            raise NotFound(f"no piece {pid}")
        return row[0]

    def push(self, pid: str, take: str, action: str) -> int:
        """Make `take` the piece's current take (after the cursor; redo entries are dropped)."""
        with self._tx() as db:
            cursor = db.execute("SELECT cursor FROM pieces WHERE id = ?", (pid,)).fetchone()
            if cursor is None:
                raise NotFound(f"no piece {pid}")
            cursor = cursor[0]
            dropped = [r[0] for r in db.execute("SELECT take FROM history WHERE piece = ? AND seq > ?", (pid, cursor))]
            db.execute("DELETE FROM history WHERE piece = ? AND seq > ?", (pid, cursor))
            db.execute("INSERT INTO history (piece, seq, take, action, created) VALUES (?,?,?,?,?)",
                       (pid, cursor + 1, take, action, now()))  # fmt: skip
            db.execute("UPDATE pieces SET cursor = ? WHERE id = ?", (cursor + 1, pid))
            self._event(pid, "keep", {"take": take, "action": action, "dropped_redo": dropped})
        return cursor + 1

    def move(self, pid: str, step: int) -> int:
        """Undo (step -1) or redo (+1); Conflict when there is nothing to undo/redo."""
        with self._tx() as db:
            row = db.execute("SELECT cursor FROM pieces WHERE id = ?", (pid,)).fetchone()
            if row is None:
                raise NotFound(f"no piece {pid}")
            n = db.execute("SELECT COUNT(*) FROM history WHERE piece = ?", (pid,)).fetchone()[0]
            target = row[0] + step
            if not 0 <= target < n:
                raise Conflict("nothing to undo" if step < 0 else "nothing to redo")
            db.execute("UPDATE pieces SET cursor = ? WHERE id = ?", (target, pid))
            self._event(pid, "undo" if step < 0 else "redo", {"cursor": target})
        return target

    # ------------------------------------------------------------------ takes
    def _insert_take(self, db: sqlite3.Connection, pid: str, t: dict) -> str:
        tid = t.get("id") or new_id("t")
        db.execute(
            "INSERT INTO takes (id, piece, parent, action, request, provenance, music, alternatives, seed, created) "
            "VALUES (?,?,?,?,?,?,?,?,?,?)",
            (tid, pid, t.get("parent"), t["action"], json.dumps(t.get("request"), default=str),
             json.dumps(t.get("provenance"), default=str), json.dumps(t["music"], default=str), t.get("alternatives"),
             t.get("seed"), now()),
        )  # fmt: skip
        return tid

    def take_row(self, tid: str) -> sqlite3.Row:
        row = self._one("SELECT * FROM takes WHERE id = ?", (tid,))
        if row is None:
            raise NotFound(f"no take {tid}")
        return row

    def takes_of(self, pid: str) -> list[sqlite3.Row]:
        return self._all("SELECT id, parent, action, alternatives, seed, created FROM takes WHERE piece = ? "
                         "ORDER BY created, id", (pid,))  # fmt: skip

    def count(self, table: str) -> int:
        if table not in ("pieces", "takes", "history", "alternatives", "uploads", "judgements", "guard", "events"):
            raise ValueError(table)
        return self._one(f"SELECT COUNT(*) FROM {table}")[0]

    # ------------------------------------------------------------------ alternatives
    def add_alternatives(self, pid: str, base: str, action: str, request: dict, takes: list[dict]) -> tuple[str, list[str]]:
        aid = new_id("a")
        with self._tx() as db:
            db.execute("INSERT INTO alternatives (id, piece, base, action, request, status, created) "
                       "VALUES (?,?,?,?,?, 'open', ?)", (aid, pid, base, action, json.dumps(request, default=str), now()))  # fmt: skip
            ids = [self._insert_take(db, pid, {**t, "alternatives": aid}) for t in takes]
            self._event(pid, "alternatives", {"id": aid, "action": action, "takes": ids})
        return aid, ids

    def alternatives_row(self, aid: str) -> sqlite3.Row:
        row = self._one("SELECT * FROM alternatives WHERE id = ?", (aid,))
        if row is None:
            raise NotFound(f"no alternatives {aid}")
        return row

    def alternatives_of(self, pid: str, status: str | None = None) -> list[sqlite3.Row]:
        if status:
            return self._all("SELECT * FROM alternatives WHERE piece = ? AND status = ? ORDER BY created", (pid, status))
        return self._all("SELECT * FROM alternatives WHERE piece = ? ORDER BY created", (pid,))

    def alternative_takes(self, aid: str) -> list[str]:
        return [r[0] for r in self._all("SELECT id FROM takes WHERE alternatives = ? ORDER BY rowid", (aid,))]

    def keep_alternative(self, aid: str, tid: str, action: str) -> int:
        with self.lock:
            alt = self.alternatives_row(aid)
            if alt["status"] != "open":
                raise Conflict(f"that set of alternatives was {alt['status']} already (in another tab?); make new ones")
            if tid not in self.alternative_takes(aid):
                raise NotFound(f"take {tid} is not one of alternatives {aid}")
            with self._tx() as db:  # one transaction: the set is closed and the take kept together
                db.execute("UPDATE alternatives SET status = 'kept', kept = ? WHERE id = ?", (tid, aid))
                return self.push(alt["piece"], tid, action)

    def discard_alternatives(self, aid: str) -> None:
        with self.lock:
            alt = self.alternatives_row(aid)
            if alt["status"] != "open":
                raise Conflict(f"that set of alternatives was {alt['status']} already (in another tab?)")
            with self._tx() as db:
                db.execute("UPDATE alternatives SET status = 'discarded' WHERE id = ?", (aid,))
                self._event(alt["piece"], "discard", {"alternatives": aid})

    # ------------------------------------------------------------------ uploads
    def add_upload(self, sha256: str, ext: str, name: str, data: bytes) -> str:
        uid = new_id("u")
        with self._tx() as db:
            db.execute("INSERT INTO uploads (id, sha256, size, ext, name, data, created) VALUES (?,?,?,?,?,?,?)",
                       (uid, sha256, len(data), ext, name, data, now()))  # fmt: skip
        return uid

    # ------------------------------------------------------------------ judgements, guard
    def add_judgement(self, kind: str, rater: str, take: str, *, stars: int | None = None, other: str | None = None):
        with self._tx() as db:
            db.execute("INSERT INTO judgements (kind, rater, take, other, stars, created) VALUES (?,?,?,?,?,?)",
                       (kind, rater, take, other, stars, now()))  # fmt: skip

    def judgements_of(self, tid: str) -> dict:
        stars = self._all("SELECT rater, stars FROM judgements WHERE kind = 'stars' AND take = ? ORDER BY id", (tid,))
        latest: dict[str, int] = {}
        for r in stars:
            latest[r["rater"]] = r["stars"]
        wins = self._one("SELECT COUNT(*) FROM judgements WHERE kind = 'prefer' AND take = ?", (tid,))[0]
        losses = self._one("SELECT COUNT(*) FROM judgements WHERE kind = 'prefer' AND other = ?", (tid,))[0]
        return {"stars": latest, "preferred": wins, "not_preferred": losses}

    def guard_of(self, tid: str) -> dict | None:
        row = self._one("SELECT result FROM guard WHERE take = ?", (tid,))
        return json.loads(row[0]) if row else None

    def set_guard(self, tid: str, result: dict) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO guard (take, result, created) VALUES (?,?,?)",
                       (tid, json.dumps(result, default=str), now()))  # fmt: skip


class _Tx:
    """`with store._tx() as db:` one transaction under the store's lock (BEGIN IMMEDIATE ... COMMIT)."""

    def __init__(self, store: Store):
        self.store = store

    def __enter__(self) -> sqlite3.Connection:
        self.store.lock.acquire()
        self.nested = self.store.db.in_transaction
        if not self.nested:
            self.store.db.execute("BEGIN IMMEDIATE")
        return self.store.db

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if not self.nested:
                self.store.db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.store.lock.release()
