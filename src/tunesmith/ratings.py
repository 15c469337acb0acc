"""The ratings store: people's stars and pairwise preferences of takes, in SQLite under
TUNESMITH_HOME (`ratings.db`), one rater's judgements kept apart from another's.

A take is identified by its JSON sidecar (STEM.json: model, request, seed) and its notes (read
from the STEM.mid / STEM.musicxml beside it): `take_id` is a hash of the model's sha256, the
request, the seed, the take index and the notes, so the same take rated from two copies is one
take. The store keeps each take's piece, so a reward model can be fitted after the files moved.

    store = RatingsStore()                  # $TUNESMITH_HOME/ratings.db
    store.rate("out/jig.json", 4, rater="ann")
    store.prefer("out/a.json", "out/b.json", rater="ann")
    store.pairs()                           # explicit pairs + pairs from stars, per rater
    store.import_csv("prefs.csv"); store.export_csv("all.csv")

The web studio (a separate issue) writes to the same tables.
"""

from __future__ import annotations

import csv
import getpass
import hashlib
import itertools
import json
import os
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from tunesmith.score import Piece

SCHEMA = """
CREATE TABLE IF NOT EXISTS takes (
    id TEXT PRIMARY KEY, path TEXT, model TEXT, seed INTEGER, request TEXT, piece TEXT NOT NULL, added TEXT
);
CREATE TABLE IF NOT EXISTS ratings (
    id INTEGER PRIMARY KEY, rater TEXT NOT NULL, take TEXT NOT NULL REFERENCES takes(id),
    stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5), created TEXT, UNIQUE (rater, take)
);
CREATE TABLE IF NOT EXISTS pairs (
    id INTEGER PRIMARY KEY, rater TEXT NOT NULL, preferred TEXT NOT NULL REFERENCES takes(id),
    other TEXT NOT NULL REFERENCES takes(id), created TEXT
);
"""


def default_rater() -> str:
    return os.environ.get("TUNESMITH_RATER") or getpass.getuser() or "anonymous"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def read_take(path: str | Path) -> tuple[dict, Piece]:
    """(sidecar record, piece) of a take given by its STEM.json (or any file of its bundle)."""
    p = Path(path)
    sidecar = p if p.suffix.lower() == ".json" else p.with_suffix(".json")
    if not sidecar.is_file():
        raise FileNotFoundError(f"{sidecar}: no take JSON (rate the STEM.json a take was written with)")
    try:
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{sidecar}: not a take JSON ({exc})") from None
    if not isinstance(record, dict) or not str(record.get("format", "")).startswith("tunesmith-take"):
        raise ValueError(f"{sidecar}: not a tunesmith take JSON (no tunesmith-take format)")
    from tunesmith.api import read

    for ext in (".mid", ".musicxml"):
        media = sidecar.with_suffix(ext)
        if media.is_file():
            piece = read(media)
            break
    else:
        raise FileNotFoundError(f"{sidecar}: neither {sidecar.with_suffix('.mid').name} nor .musicxml beside it")
    summary = record.get("piece") or {}
    if summary.get("style") and not piece.style:
        piece.style = summary["style"]
    return record, piece


def take_id(record: dict, piece: Piece) -> str:
    notes = sorted((n.pitch, round(n.onset, 4), round(n.duration, 4)) for t in piece.tracks for n in t.notes)
    key = {
        "model": (record.get("model") or {}).get("sha256"),
        "request": record.get("request"),
        "seed": record.get("seed"),
        "take": record.get("take_index"),
        "notes": notes,
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()[:20]


class RatingsStore:
    def __init__(self, path: str | Path | None = None):
        if path is None:
            from tunesmith.paths import home

            path = home() / "ratings.db"
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> RatingsStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- takes
    def add_take(self, path: str | Path) -> str:
        record, piece = read_take(path)
        tid = take_id(record, piece)
        with self.db:
            self.db.execute(
                "INSERT OR IGNORE INTO takes (id, path, model, seed, request, piece, added) VALUES (?,?,?,?,?,?,?)",
                (tid, str(Path(path).resolve()), (record.get("model") or {}).get("sha256"), record.get("seed"),
                 json.dumps(record.get("request"), default=str), json.dumps(piece.to_dict(), default=str), _now()),
            )  # fmt: skip
        return tid

    def piece(self, tid: str) -> Piece:
        row = self.db.execute("SELECT piece FROM takes WHERE id = ?", (tid,)).fetchone()
        if row is None:
            raise ValueError(f"unknown take {tid}")
        return Piece.from_dict(json.loads(row[0]))

    def take_path(self, tid: str) -> str:
        row = self.db.execute("SELECT path FROM takes WHERE id = ?", (tid,)).fetchone()
        return row[0] if row else tid

    # ---- judgements
    def rate(self, path: str | Path, stars: int, rater: str | None = None) -> str:
        if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
            raise ValueError(f"stars must be a whole number 1..5, got {stars!r}")
        rater = rater or default_rater()
        tid = self.add_take(path)
        with self.db:
            self.db.execute(
                "INSERT INTO ratings (rater, take, stars, created) VALUES (?,?,?,?) "
                "ON CONFLICT (rater, take) DO UPDATE SET stars = excluded.stars, created = excluded.created",
                (rater, tid, stars, _now()),
            )
        return tid

    def prefer(self, preferred: str | Path, other: str | Path, rater: str | None = None) -> tuple[str, str]:
        a, b = self.add_take(preferred), self.add_take(other)
        if a == b:
            raise ValueError(f"{preferred} and {other} are the same take; a preference needs two different takes")
        with self.db:
            self.db.execute("INSERT INTO pairs (rater, preferred, other, created) VALUES (?,?,?,?)",
                            (rater or default_rater(), a, b, _now()))  # fmt: skip
        return a, b

    def raters(self) -> list[str]:
        rows = self.db.execute("SELECT rater FROM ratings UNION SELECT rater FROM pairs ORDER BY 1").fetchall()
        return [r[0] for r in rows]

    def pairs(self, rater: str | None = None, *, stars: bool = True) -> list[tuple[str, str, str]]:
        """(rater, preferred take id, other take id): explicit pairs, then pairs made from stars
        (two takes one rater starred differently; more stars preferred)."""
        q = "SELECT rater, preferred, other FROM pairs" + (" WHERE rater = ?" if rater else "") + " ORDER BY id"
        out = [tuple(r) for r in self.db.execute(q, (rater,) if rater else ())]
        if stars:
            q = "SELECT rater, take, stars FROM ratings" + (" WHERE rater = ?" if rater else "") + " ORDER BY id"
            by_rater: dict[str, list[tuple[str, int]]] = defaultdict(list)
            for r, t, s in self.db.execute(q, (rater,) if rater else ()):
                by_rater[r].append((t, s))
            for r, items in by_rater.items():
                for (t1, s1), (t2, s2) in itertools.combinations(items, 2):
                    if s1 != s2:
                        out.append((r, t1, t2) if s1 > s2 else (r, t2, t1))
        return out

    def counts(self) -> dict:
        n = {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("takes", "ratings", "pairs")}
        return {**n, "raters": self.raters()}

    def agreement(self) -> dict:
        """How often two raters who judged the same two takes agree (majority verdict per rater)."""
        verdict: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for r, a, b in self.pairs():
            key = (min(a, b), max(a, b))
            verdict[key][r] += 1 if a == key[0] else -1
        per: dict[str, list[int]] = defaultdict(list)
        for votes in verdict.values():
            decided = {r: v > 0 for r, v in votes.items() if v != 0}
            for r1, r2 in itertools.combinations(sorted(decided), 2):
                per[f"{r1}~{r2}"].append(int(decided[r1] == decided[r2]))
        allv = [x for v in per.values() for x in v]
        return {"shared_pairs": len(allv), "agreement": (sum(allv) / len(allv)) if allv else None,
                "by_rater_pair": {k: {"pairs": len(v), "agreement": sum(v) / len(v)} for k, v in per.items()}}  # fmt: skip

    # ---- CSV
    def import_csv(self, path: str | Path, rater: str | None = None) -> int:
        """Rows `preferred,other[,rater]` (paths to take JSON files, relative to the CSV's folder
        when not absolute); a header row is optional. Returns the number of pairs added."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"no CSV at {path}")
        n = 0
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        for i, row in enumerate(rows, 1):
            row = [c.strip() for c in row]
            if not row or not any(row) or (i == 1 and row[:2] == ["preferred", "other"]):
                continue
            if len(row) < 2:
                raise ValueError(f"{path}:{i}: need columns preferred,other[,rater], got {len(row)} column(s)")
            a, b = (Path(c) if Path(c).is_absolute() else path.parent / c for c in row[:2])
            who = (row[2] if len(row) > 2 and row[2] else None) or rater
            try:
                self.prefer(a, b, who)
            except (ValueError, FileNotFoundError) as exc:
                raise ValueError(f"{path}:{i}: {exc}") from None
            n += 1
        return n

    def export_csv(self, path: str | Path | None, rater: str | None = None, *, stars: bool = False) -> int:
        """Write `preferred,other,rater` rows (take JSON paths); with `stars`, pairs made from stars
        too. `path` None or '-' writes to stdout. Returns the number of rows."""
        import sys

        rows = self.pairs(rater, stars=stars)
        table = [["preferred", "other", "rater"]] + [[self.take_path(a), self.take_path(b), r] for r, a, b in rows]
        if path in (None, "-"):
            csv.writer(sys.stdout).writerows(table)
        else:
            with open(path, "w", newline="", encoding="utf-8") as f:
                csv.writer(f).writerows(table)
        return len(rows)

    def fit(self, rater: str | None = None, *, seed: int = 0, out: str | Path | None = None, ensemble: int = 5):
        """Fit the Bradley-Terry reward model on the stored pairs (`ensemble`: bootstrap members
        for a conservative score, `fit_pairs`); save it; (model, report)."""
        from tunesmith.rewards.preference import default_path, fit_pairs

        triples = self.pairs(rater)
        cache: dict[str, Piece] = {}

        def piece(t: str) -> Piece:
            if t not in cache:
                cache[t] = self.piece(t)
            return cache[t]

        model, report = fit_pairs([(piece(a), piece(b)) for _, a, b in triples], seed=seed, ensemble=ensemble)
        report.update({"rater": rater or "all", "raters": self.raters(), "agreement": self.agreement()})
        model.report = report
        target = Path(out) if out else default_path()
        model.save(target)
        report["saved"] = str(target)
        return model, report
