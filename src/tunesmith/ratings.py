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
import io
import itertools
import json
import os
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
    from tunesmith.inputs import refuse_url

    p = Path(refuse_url(path))  # as given: Path had made "http://x/a.json" "http:/x/a.json", and "" the folder "."
    if p.is_dir():  # it had read "out: no take JSON (looked for out.json beside it)"
        raise ValueError(f"{p}: a folder; name the STEM.json of a take in it")
    sidecar = p if p.suffix.lower() == ".json" else p.with_suffix(".json")
    if not sidecar.is_file():
        # the file asked for named first: "in/tune.json" alone had read as a file never given
        beside = f" (looked for {sidecar.name} beside it)" if sidecar != p else ""
        raise FileNotFoundError(f"{p}: no take JSON{beside}; name the STEM.json a take was written with")
    record = read_take_record(sidecar, sidecar)
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


def read_take_record(sidecar: Path, shown: str | Path) -> dict:
    """The record of a take's STEM.json, checked: its size, its JSON, its format and its fields'
    types (`_record_problem`); ValueError naming `shown` otherwise."""
    from tunesmith.limits import check_file_size

    check_file_size(sidecar, sidecar.stat().st_size)
    try:
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{shown}: not a take JSON ({exc})") from None
    except RecursionError:  # arrays nested thousands deep
        raise ValueError(f"{shown}: not a take JSON (nested too deeply)") from None
    if not isinstance(record, dict) or not str(record.get("format", "")).startswith("tunesmith-take"):
        raise ValueError(f"{shown}: not a tunesmith take JSON (no tunesmith-take format)")
    problem = _record_problem(record)
    if problem:  # before anything is stored: a seed of NaN or a model given as text had gone in
        raise ValueError(f"{shown}: not a tunesmith take JSON ({problem})")
    return record


def _record_problem(record: dict) -> str | None:
    """What is wrong with the fields of a take JSON that a rating reads and stores, or None."""
    import math

    for name in ("model", "request", "piece"):
        if record.get(name) is not None and not isinstance(record[name], dict):
            return f"{name} should be an object, not {type(record[name]).__name__}"
    model = record.get("model") or {}
    if model.get("sha256") is not None and not (isinstance(model["sha256"], str) and len(model["sha256"]) <= 128):
        return "model.sha256 should be a short text"
    for name in ("seed", "take_index"):
        value = record.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value != int(value):
            return f"{name} should be a whole number, not {value!r}"[:200]
    style = (record.get("piece") or {}).get("style")
    if style is not None and not (isinstance(style, str) and len(style) <= 64):
        return "piece.style should be a style name"
    return None


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


CSV_COLUMNS = ("preferred", "other", "rater")  # rater optional
_EXPECTED = "preferred,other (and optionally rater, in any order)"
# held-out pairs below which a fitted model's accuracy says little, and the accuracy below which it is
# hardly better than chance (0.5)
FEW_HELDOUT_PAIRS = 20
NEAR_CHANCE_ACCURACY = 0.6


def fit_warnings(report: dict) -> list[str]:
    """What a preference fit's report should make its user doubt (one line each)."""
    out = []
    n, acc = report.get("heldout_pairs"), report.get("heldout_accuracy")
    if n is not None and n < FEW_HELDOUT_PAIRS:
        out.append(f"only {n} held-out pairs: the held-out accuracy says little (at least {FEW_HELDOUT_PAIRS} "
                   f"need about {FEW_HELDOUT_PAIRS * 5} pairs); judge more takes")  # fmt: skip
    if acc is not None and acc < NEAR_CHANCE_ACCURACY:
        out.append(f"held-out accuracy {acc:.2f} is near chance (0.5): the model has not learnt the raters' taste; "
                   "a reward from it is mostly noise")  # fmt: skip
    return out


def read_pairs_csv(path: str | Path) -> list[tuple[int, Path, Path, str | None]]:
    """(row number, preferred take, other take, rater or None) of a preferences CSV; ValueError
    (one line naming the file and the row) when it is not one (`iter_pairs_csv`)."""
    out = []
    for line, a, b, who, problem in iter_pairs_csv(path):
        if problem:
            raise ValueError(f"{path}: row {line}: {problem}")
        out.append((line, a, b, who))
    return out


def iter_pairs_csv(path: str | Path):
    """The rows of `read_pairs_csv` one by one: the header is checked before the first, each row
    when it is reached (so a caller checking more of each row reports the first bad row first).

    The first row is the header: the column names preferred, other and optionally rater, in
    any order (case and spaces ignored). UTF-8, with or without a byte-order mark (Excel's
    "CSV UTF-8"), any line ends; a file of ';'- or tab-separated columns is read too. Relative
    take paths are relative to the CSV's folder. Blank rows are skipped."""
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{path}: a folder, not a CSV file")
    if not path.is_file():
        raise FileNotFoundError(f"no CSV at {path}")
    from tunesmith.limits import check_file_size

    check_file_size(path, path.stat().st_size)  # before reading: a 300 MB file had taken 3 minutes and 4.4 GB
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f'{path}: not UTF-8 text; save it as "CSV UTF-8"') from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise ValueError(f"{path}: empty; expected a header row {_EXPECTED}, then one row per pair")
    delimiter = "," if "," in first or not ({";", "\t"} & set(first)) else (";" if ";" in first else "\t")
    try:
        records = [(i, [c.strip() for c in row])
                   for i, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)]  # fmt: skip
    except csv.Error as exc:  # "field larger than field limit (131072)": no take path is that long
        raise ValueError(f"{path}: not a preferences CSV ({exc})") from None
    records = [(i, row) for i, row in records if any(row)]
    (hline, header), body = records[0], records[1:]
    names = [c.lower() for c in header]
    if not set(names) & set(CSV_COLUMNS) and any(
        c.lower().endswith((".json", ".mid", ".musicxml")) or "/" in c or "\\" in c for c in header
    ):
        raise ValueError(f"{path}: row {hline} is not a header; the first row must name the columns: {_EXPECTED}")
    import difflib
    from collections import Counter

    counts = Counter(names)  # (counted once: a header of 100,000 columns had been counted for 2 minutes)
    for k, name in enumerate(names, 1):
        if not name:
            raise ValueError(f"{path}: the header's column {k} has no name; the columns are {_EXPECTED}")
        near = difflib.get_close_matches(name, CSV_COLUMNS, n=1, cutoff=0.75) if name not in CSV_COLUMNS else []
        if near:  # "prefered", "rator": a misspelt column would be read past, its cells lost
            raise ValueError(f"{path}: unknown column {header[k - 1]!r} in the header (did you mean {near[0]!r}?); "
                             f"the columns are {_EXPECTED}")  # fmt: skip
        if counts[name] > 1 and name in CSV_COLUMNS:
            raise ValueError(f"{path}: column {name!r} given twice in the header")
    for need in CSV_COLUMNS[:2]:
        if need not in names:
            raise ValueError(f"{path}: the header has no {need!r} column; the columns are {_EXPECTED}")
    # other columns (a spreadsheet's "comment") are read past, not refused
    col = {name: k for k, name in enumerate(names) if name in CSV_COLUMNS}
    for i, row in body:
        if len(row) > len(names) and any(row[len(names) :]):
            yield i, None, None, None, f"{len(row)} cells, but the header names {len(names)} columns"
            continue
        cell = {name: (row[k] if k < len(row) else "") for name, k in col.items()}
        empty = next((need for need in CSV_COLUMNS[:2] if not cell[need]), None)
        if empty:
            yield i, None, None, None, f"empty {empty!r} cell"
            continue
        url = next((cell[n] for n in CSV_COLUMNS[:2] if "://" in cell[n] or cell[n].lower().startswith(("http:", "https:", "file:"))), None)
        if url:  # (Path would have made "http://x/a.json" "http:/x/a.json")
            yield i, None, None, None, f"{url[:80]}: URLs are not read; give a take's local JSON file"
            continue
        a, b = (Path(cell[n]) if Path(cell[n]).is_absolute() else path.parent / cell[n] for n in CSV_COLUMNS[:2])
        yield i, a, b, cell.get("rater") or None, None


def _cell(text: str | None) -> str | None:
    """A CSV cell a spreadsheet will not run as a formula: text opening with =, +, -, @ (or a tab or
    carriage return) gets a leading apostrophe (OWASP's CSV injection advice; a rater named
    '=HYPERLINK("http://...")' had been exported as it was)."""
    if isinstance(text, str) and text.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + text
    return text


class RatingsStore:
    def __init__(self, path: str | Path | None = None):
        shown = "$TUNESMITH_HOME/ratings.db" if path is None else str(path)
        if path is None:
            from tunesmith.paths import home

            path = home() / "ratings.db"
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.executescript(SCHEMA)
        except sqlite3.Error as exc:  # had been "DatabaseError: file is not a database", naming no file
            raise ValueError(f"{shown}: cannot be opened as the ratings store ({exc})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> RatingsStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- takes
    @staticmethod
    def _take_row(path: str | Path) -> tuple[str, tuple]:
        """(take id, the row of `takes` for it) of the take at `path` (read, not stored)."""
        record, piece = read_take(path)
        tid = take_id(record, piece)
        return tid, (tid, str(Path(path).resolve()), (record.get("model") or {}).get("sha256"), record.get("seed"),
                     json.dumps(record.get("request"), default=str), json.dumps(piece.to_dict(), default=str), _now())  # fmt: skip

    def add_take(self, path: str | Path) -> str:
        tid, row = self._take_row(path)
        with self.db:
            self.db.execute(
                "INSERT OR IGNORE INTO takes (id, path, model, seed, request, piece, added) VALUES (?,?,?,?,?,?,?)", row
            )
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
        """Store `rater`'s stars for the take; returns its take id. A rater's second rating of a take
        replaces the first (`rate_replacing` says which it replaced)."""
        return self.rate_replacing(path, stars, rater)[0]

    def rate_replacing(self, path: str | Path, stars: int, rater: str | None = None) -> tuple[str, int | None]:
        """`rate`, and the stars it replaced (None for the rater's first rating of the take): rating a
        take again had replaced the earlier rating without a word."""
        if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
            raise ValueError(f"stars must be a whole number 1..5, got {stars!r}")
        rater = rater or default_rater()
        tid = self.add_take(path)
        row = self.db.execute("SELECT stars FROM ratings WHERE rater = ? AND take = ?", (rater, tid)).fetchone()
        with self.db:
            self.db.execute(
                "INSERT INTO ratings (rater, take, stars, created) VALUES (?,?,?,?) "
                "ON CONFLICT (rater, take) DO UPDATE SET stars = excluded.stars, created = excluded.created",
                (rater, tid, stars, _now()),
            )
        return tid, (int(row[0]) if row is not None else None)

    def prefer(self, preferred: str | Path, other: str | Path, rater: str | None = None) -> tuple[str, str]:
        a, b = self.add_take(preferred), self.add_take(other)
        if a == b:
            raise ValueError(f"{preferred} and {other} are the same take; a preference needs two different takes")
        with self.db:
            self.db.execute("INSERT INTO pairs (rater, preferred, other, created) VALUES (?,?,?,?)",
                            (rater or default_rater(), a, b, _now()))  # fmt: skip
        return a, b

    def times_preferred(self, preferred: str, other: str, rater: str | None = None) -> int:
        """How often `rater` (default: the default rater) has preferred take id `preferred` to
        `other` (explicit pairs): a judgement the other way round shows as a count above 0."""
        row = self.db.execute("SELECT COUNT(*) FROM pairs WHERE rater = ? AND preferred = ? AND other = ?",
                              (rater or default_rater(), preferred, other)).fetchone()  # fmt: skip
        return int(row[0])

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
        """`import_csv_report`'s number of pairs added."""
        return self.import_csv_report(path, rater)["imported"]

    def import_csv_report(self, path: str | Path, rater: str | None = None) -> dict:
        """Pairs from a CSV whose header names the columns preferred, other and optionally rater
        (any order; `read_pairs_csv`); the takes are paths to take JSON files, relative to the
        CSV's folder when not absolute. All or nothing: every row is checked (its two takes read)
        before any is stored, and the pairs are stored in one transaction. A pair this store
        already holds for the same rater (or given twice in the file) is skipped, so importing
        a file twice adds nothing. {"imported", "skipped_duplicates", "rows"}."""
        path = Path(path)
        rows = []
        fallback = rater or default_rater()
        takes: dict[str, tuple] = {}
        by_path: dict[Path, str] = {}
        pairs: list[tuple[str, str, str]] = []
        bad: list[str] = []  # every bad row is said at once (one at a time had taken three edits)
        for line, a, b, who, problem in iter_pairs_csv(path):
            rows.append(line)
            if problem:
                bad.append(f"row {line}: {problem}")
                continue
            ids = []
            for p in (a, b):
                if p not in by_path:
                    try:
                        tid, row = self._take_row(p)
                    except (ValueError, FileNotFoundError) as exc:
                        by_path[p] = None
                        bad.append(f"row {line}: {exc}")
                        continue
                    by_path[p] = tid
                    takes.setdefault(tid, row)
                ids.append(by_path[p])
            if len(ids) < 2 or None in ids:
                continue
            if ids[0] == ids[1]:
                bad.append(f"row {line}: {a.name} and {b.name} are the same take; a preference needs two different takes")
                continue
            pairs.append((who or fallback, ids[0], ids[1]))
        if bad:
            more = f"; and {len(bad) - 5} more" if len(bad) > 5 else ""
            rows_bad = len({problem.split(":", 1)[0] for problem in bad})  # a row with two missing takes is one row
            raise ValueError(f"{path}: {rows_bad} bad row(s), nothing imported: {'; '.join(bad[:5])}{more}")
        added = skipped = 0
        with self.db:  # one transaction: every pair or none
            self.db.executemany(
                "INSERT OR IGNORE INTO takes (id, path, model, seed, request, piece, added) VALUES (?,?,?,?,?,?,?)",
                list(takes.values()),
            )
            held = set(self.db.execute("SELECT rater, preferred, other FROM pairs"))
            for pair in pairs:
                if pair in held:
                    skipped += 1
                    continue
                self.db.execute(
                    "INSERT INTO pairs (rater, preferred, other, created) VALUES (?,?,?,?)", (*pair, _now())
                )
                held.add(pair)
                added += 1
        return {"imported": added, "skipped_duplicates": skipped, "rows": len(rows)}

    def export_csv(self, path: str | Path | None, rater: str | None = None, *, stars: bool = False) -> int:
        """Write `preferred,other,rater` rows (take JSON paths, relative to the CSV's folder as
        `import_csv` reads them; to stdout: relative to the current folder); with `stars`, pairs
        made from stars too. `path` None or '-' writes to stdout. Written atomically. Returns the
        number of rows."""
        import io
        import sys

        from tunesmith.paths import atomic_write_text

        to_stdout = path in (None, "-")
        if not to_stdout:
            target = Path(path)
            if target.is_dir():
                raise ValueError(f"{target}: a folder; give the CSV file to write")
            if not target.parent.is_dir():
                raise FileNotFoundError(f"{target}: no folder {target.parent} to write it in")
        where = (Path.cwd() if to_stdout else target.parent).resolve()

        def shown(tid: str) -> str:
            p = self.take_path(tid)
            return Path(os.path.relpath(p, where)).as_posix() if os.path.isabs(p) else p

        rows = self.pairs(rater, stars=stars)
        buf = io.StringIO()
        csv.writer(buf).writerows([["preferred", "other", "rater"]]
                                  + [[_cell(shown(a)), _cell(shown(b)), _cell(r)] for r, a, b in rows])  # fmt: skip
        if to_stdout:
            sys.stdout.write(buf.getvalue())
        else:
            atomic_write_text(target, buf.getvalue())
        return len(rows)

    def fit(self, rater: str | None = None, *, seed: int = 0, out: str | Path | None = None, ensemble: int = 5):
        """Fit the Bradley-Terry reward model on the stored pairs (`ensemble`: bootstrap members
        for a conservative score, `fit_pairs`); save it; (model, report)."""
        from tunesmith.corpus.registry import slug
        from tunesmith.rewards.preference import default_path, fit_pairs

        if out is not None and Path(out).is_dir():  # before the fit: it had ended in "[Errno 21] Is a directory"
            raise ValueError(f"{out}: a folder; give the JSON file to write the preference model to")
        triples = self.pairs(rater)
        cache: dict[str, Piece] = {}

        def piece(t: str) -> Piece:
            if t not in cache:
                cache[t] = self.piece(t)
            return cache[t]

        model, report = fit_pairs([(piece(a), piece(b)) for _, a, b in triples], seed=seed, ensemble=ensemble)
        # the raters' agreement says something of a fit on several raters' pairs, not of one rater's
        report.update({"rater": rater or "all", "raters": [rater] if rater else self.raters(),
                       "agreement": self.agreement() if not rater else {"shared_pairs": 0, "agreement": None}})  # fmt: skip
        warnings = fit_warnings(report)
        if warnings:
            report["warnings"] = warnings
        model.report = report
        # one rater's model beside the default (all raters'), not over it: `tune --reward preferences`
        # reads the default unless pointed at another
        target = Path(out) if out else (default_path().with_name(f"preference_model-{slug(rater)}.json")
                                        if rater else default_path())  # fmt: skip
        model.save(target)
        # named as given, the default as its variable names it: the home folder's path is this machine's
        report["saved"] = str(out) if out else f"$TUNESMITH_HOME/{target.name}"
        return model, report


# ------------------------------------------------------------------------------ the public API
def _take_json(take: Any) -> Path:
    """A take's STEM.json: a path given, or the bundle a `Take` was last written as."""
    from tunesmith.take import Take

    if isinstance(take, Take):
        if "json" not in take.files:
            raise ValueError("a rating keeps the take's files: write the take first (take.write('out/stem'))")
        return Path(take.files["json"])
    return Path(os.fspath(take))


def rate(take: Any, stars: int, *, rater: str | None = None, store: str | os.PathLike | None = None) -> str:
    """`tunesmith rate`: give a take (its STEM.json, or a `Take` written with `Take.write`) 1-5
    stars in the ratings store (`store`, default TUNESMITH_HOME/ratings.db); returns the take's id."""
    with RatingsStore(store) as db:
        return db.rate(_take_json(take), stars, rater)


def prefer(preferred: Any, other: Any, *, rater: str | None = None,
           store: str | os.PathLike | None = None) -> tuple[str, str]:  # fmt: skip
    """`tunesmith prefer`: record that `preferred` was preferred to `other` (each a STEM.json or a
    written `Take`); returns their take ids."""
    with RatingsStore(store) as db:
        return db.prefer(_take_json(preferred), _take_json(other), rater)
