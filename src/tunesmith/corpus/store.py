"""The corpus cache on disk, and `Corpus`, the list-like view over it.

Layout of a cache folder (default `paths.home()/corpus`):

    CURRENT            name of the version folder in use (written last, atomically)
    problems.txt       the last build's report: one "path: problem" line per bad file
    v<time>/notes.npy  every note of every piece: a structured array (NOTE_DTYPE), loaded
                       with allow_pickle=False (memory-mapped: nothing is read until used)
    v<time>/pieces.jsonl   one JSON object per piece: metadata, chords, keys, meters, and
                       where its notes start in notes.npy (parsed one by one, when used)
    v<time>/index.json the per-piece columns filters and stats need (style, split, counts)
    v<time>/manifest.json  counts, build settings, and per-file stamps for incremental builds

A save writes a whole new version folder, then switches CURRENT (os.replace), then deletes
older versions: a reader never sees half a cache. Nothing is pickled.

`Corpus` keeps records (dicts, parsed lazily), columns and the notes array; a Piece is made
when it is asked for (`corpus[i]`, iteration), so loading is fast and memory stays small.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np

from tunesmith import paths
from tunesmith.corpus.records import NOTE_DTYPE, piece_to_record, record_to_piece
from tunesmith.licenses import may_ship
from tunesmith.score import Piece

FORMAT = "tunesmith-corpus"
FORMAT_VERSION = 2  # 2: the family column (tune families, session 32)


def default_cache_dir() -> Path:
    return paths.home() / "corpus"


def _as_set(value: str | Iterable[str] | None) -> set[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return {value}
    return set(value)


# Per-piece values kept as columns (index.json): enough to filter, count and split without
# parsing a single record.
RECORD_COLUMNS = ("piece_id", "work_id", "title", "style", "source", "license", "split")  # a record's own fields
STR_COLUMNS = (*RECORD_COLUMNS, "family", "dropped")
INT_COLUMNS = ("n_notes", "n_bars", "n_chords", "n_duplicates", "note_start")


def columns_of(records: Sequence[dict[str, Any]]) -> dict[str, list]:
    cols: dict[str, list] = {name: [] for name in (*STR_COLUMNS, *INT_COLUMNS)}
    for r in records:
        for name in RECORD_COLUMNS:
            cols[name].append(r[name])
        cols["family"].append(r["_"].get("family") or "")  # a tune family of several works, else ""
        cols["dropped"].append(r["_"].get("dropped") or "")
        cols["n_notes"].append(r["_"]["n_notes"])
        cols["n_bars"].append(r["_"]["n_bars"])
        cols["n_chords"].append(len(r["chords"]))
        cols["n_duplicates"].append(len(r["meta"].get("duplicates", ())))
        cols["note_start"].append(r["_"].get("note_start", 0))
    return cols


class _LazyRecords(Sequence[dict[str, Any]]):
    """Records as JSON lines, each parsed the first time it is asked for."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self._parsed: list[dict[str, Any] | None] = [None] * len(lines)

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, j):  # type: ignore[override]
        r = self._parsed[j]
        if r is None:
            r = self._parsed[j] = json.loads(self._lines[j])
        return r


class Corpus(Sequence[Piece]):
    """A list of Pieces backed by records + one notes array. Indexing and iteration give
    Pieces (made on demand); `records` gives the metadata dicts, `column(name)` one value per
    piece without parsing records (names in STR_COLUMNS and INT_COLUMNS).

    The records of a Corpus are read-only: build a new Corpus to change them."""

    def __init__(
        self,
        records: Sequence[dict[str, Any]],
        notes: np.ndarray,
        index: Sequence[int] | None = None,
        *,
        columns: dict[str, list] | None = None,
        path: Path | None = None,
        manifest: dict[str, Any] | None = None,
    ) -> None:
        self._all = records
        self._notes = notes
        self._cols = columns if columns is not None else columns_of(records)
        if index is None:
            index = [i for i, d in enumerate(self._cols["dropped"]) if not d]
        self._index = list(index)
        self.path = path
        self.manifest = manifest or {}

    # ---------------------------------------------------------------- construction
    @classmethod
    def from_pieces(cls, pieces: Iterable[Piece]) -> Corpus:
        records = []
        arrays = []
        start = 0
        for piece in pieces:
            record, notes = piece_to_record(piece)
            record["_"].update(raw_work_id=piece.work_id, raw_split=piece.split, note_start=start)
            start += len(notes)
            records.append(record)
            arrays.append(notes)
        notes = np.concatenate(arrays) if arrays else np.empty(0, dtype=NOTE_DTYPE)
        return cls(records, notes)

    # ---------------------------------------------------------------- list-like
    def __len__(self) -> int:
        return len(self._index)

    @overload
    def __getitem__(self, i: int) -> Piece: ...

    @overload
    def __getitem__(self, i: slice) -> Corpus: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self._view(self._index[i])
        return self.piece(self._index[i])

    def __iter__(self) -> Iterator[Piece]:
        for j in self._index:
            yield self.piece(j)

    def __repr__(self) -> str:
        where = f" from {self.path}" if self.path else ""
        return f"<Corpus of {len(self)} pieces{where}>"

    def piece(self, j: int) -> Piece:
        """The Piece of record j of the underlying store (not of this view)."""
        return record_to_piece(self._all[j], self._notes_at(j))

    def _notes_at(self, j: int) -> np.ndarray:
        start = self._cols["note_start"][j]
        return self._notes[start : start + self._cols["n_notes"][j]]

    def notes_of(self, i: int) -> np.ndarray:
        """The notes of the i-th piece as a structured array (onset, duration, pitch, velocity, track)."""
        return self._notes_at(self._index[i])

    def column(self, name: str) -> list:
        """One value per piece of this view: a Piece field (piece_id, work_id, title, style,
        source, license, split), "family" (its tune family, "" if none), "dropped", or a count
        (n_notes, n_bars, n_chords, n_duplicates)."""
        col = self._cols[name]
        return [col[j] for j in self._index]

    @property
    def records(self) -> list[dict[str, Any]]:
        """Metadata of the pieces in this view (dicts; "_" holds counts and build details)."""
        return [self._all[j] for j in self._index]

    @property
    def notes_array(self) -> np.ndarray:
        """All notes of the underlying store (including pieces outside this view)."""
        return self._notes

    def pieces(self) -> list[Piece]:
        return list(self)

    # ---------------------------------------------------------------- filters
    def _view(self, index: Sequence[int]) -> Corpus:
        return Corpus(self._all, self._notes, index, columns=self._cols, path=self.path, manifest=self.manifest)

    def filter(
        self,
        *,
        style: str | Iterable[str] | None = None,
        split: str | Iterable[str] | None = None,
        source: str | Iterable[str] | None = None,
        license: str | Iterable[str] | None = None,
        shippable: bool | None = None,
        where: Callable[[dict[str, Any]], bool] | None = None,
    ) -> Corpus:
        """A view of the pieces matching every given condition (a value or a set of values).
        `shippable`: license may (True) / may not (False) go into a shipped model.
        `where`: a test on the record dict (parses the records it sees)."""
        conds = [("style", _as_set(style)), ("split", _as_set(split)), ("source", _as_set(source)),
                 ("license", _as_set(license))]
        conds = [(self._cols[k], v) for k, v in conds if v is not None]
        licenses = self._cols["license"]
        out = []
        for j in self._index:
            if any(col[j] not in v for col, v in conds):
                continue
            if shippable is not None and may_ship(licenses[j]) != shippable:
                continue
            if where is not None and not where(self._all[j]):
                continue
            out.append(j)
        return self._view(out)

    def split(self, name: str) -> Corpus:
        return self.filter(split=name)

    def with_dropped(self) -> Corpus:
        """Every record, the dropped duplicates included."""
        return self._view(range(len(self._all)))

    @property
    def n_notes(self) -> int:
        return sum(self.column("n_notes"))


# ------------------------------------------------------------------ save / load
def pieces_digest(pieces: Iterable[Piece]) -> str:
    """A short hash of what a set of pieces holds (ids, notes, chords), in order: an evaluation
    records it beside its figures, so a figure can be pinned to the data it was measured on (a
    corpus rebuilt by newer readers changes a split's pieces, and with them a sampled figure)."""
    import hashlib

    h = hashlib.sha256()
    for p in pieces:
        h.update(p.piece_id.encode())
        for t in p.tracks:
            h.update(b"|" + ",".join(f"{n.pitch}:{n.onset:.4f}:{n.duration:.4f}" for n in t.notes).encode())
        h.update(b"#" + ",".join(f"{c.onset:.4f}:{c.figure}" for c in p.chords).encode())
    return h.hexdigest()[:12]


def save_corpus(
    corpus: Corpus | Iterable[Piece],
    directory: str | Path | None = None,
    *,
    problems: Sequence[tuple[str, str]] | None = None,
    manifest: dict[str, Any] | None = None,
    include_dropped: bool = True,
) -> Path:
    """Write `corpus` (a Corpus or Pieces) as a new version of the cache at `directory`;
    returns the version folder. Dropped duplicates are kept (marked) unless include_dropped
    is False."""
    if not isinstance(corpus, Corpus):
        corpus = Corpus.from_pieces(corpus)
    directory = Path(directory) if directory else default_cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    version = f"v{time.time_ns()}"
    tmp = directory / f".tmp-{version}-{os.getpid()}"
    index = range(len(corpus._all)) if include_dropped else corpus._index
    try:
        tmp.mkdir()
        cols = {name: [corpus._cols[name][j] for j in index] for name in corpus._cols}
        total = int(sum(cols["n_notes"]))
        notes = np.empty(total, dtype=NOTE_DTYPE)
        start = 0
        starts = []
        with open(tmp / "pieces.jsonl", "w", encoding="utf-8") as f:
            for j in index:
                r = corpus._all[j]
                k = r["_"]["n_notes"]
                notes[start : start + k] = corpus._notes_at(j)
                out = dict(r)
                out["_"] = {**r["_"], "note_start": start}
                f.write(json.dumps(out, ensure_ascii=False, separators=(",", ":")))
                f.write("\n")
                starts.append(start)
                start += k
        cols["note_start"] = starts
        with open(tmp / "notes.npy", "wb") as f:
            np.save(f, notes, allow_pickle=False)
        with open(tmp / "index.json", "w", encoding="utf-8") as f:
            json.dump(cols, f, ensure_ascii=False, separators=(",", ":"))
        kept = sum(1 for d in cols["dropped"] if not d)
        info = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "pieces": kept,
            "records": len(index),
            "notes": total,
            **(manifest or {}),
        }
        (tmp / "manifest.json").write_text(json.dumps(info, indent=1, ensure_ascii=False), encoding="utf-8")
        report = "".join(f"{path}: {problem}\n" for path, problem in (problems or ()))
        (tmp / "problems.txt").write_text(report, encoding="utf-8")
        for name in ("pieces.jsonl", "notes.npy", "index.json", "manifest.json", "problems.txt"):
            with open(tmp / name, "rb") as f:
                os.fsync(f.fileno())
        os.rename(tmp, directory / version)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    paths.atomic_write_text(directory / "problems.txt", report)
    paths.atomic_write_text(directory / "CURRENT", version + "\n")
    for old in directory.iterdir():
        if old.is_dir() and old.name.startswith("v") and old.name != version:
            shutil.rmtree(old, ignore_errors=True)
    return directory / version


def resolve_cache(directory: str | Path | None = None) -> Path:
    """The version folder a cache folder points to (or the folder itself if it is one)."""
    # the default folder named by its variable in messages: the home folder's path is this machine's
    shown = str(directory) if directory else "$TUNESMITH_HOME/corpus"
    directory = Path(directory) if directory else default_cache_dir()
    if (directory / "manifest.json").is_file():
        return directory
    current = directory / "CURRENT"
    if not current.is_file():
        raise FileNotFoundError(f"{shown}: no corpus cache here; run `tunesmith corpus build`")
    version = directory / current.read_text(encoding="utf-8").strip()
    if not (version / "manifest.json").is_file():
        raise FileNotFoundError(f"{version}: corpus cache is incomplete; run `tunesmith corpus build --force`")
    return version


def load_manifest(directory: str | Path | None = None) -> dict[str, Any]:
    return json.loads((resolve_cache(directory) / "manifest.json").read_text(encoding="utf-8"))


def load_corpus(directory: str | Path | None = None, *, include_dropped: bool = False, mmap: bool = True) -> Corpus:
    """The cached corpus (default `paths.home()/corpus`). Pieces are built when accessed."""
    folder = resolve_cache(directory)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{folder}: a tunesmith corpus cache of format {manifest.get('format_version')!r}, not "
                         f"{FORMAT_VERSION}; rebuild it: tunesmith corpus build")
    use_mmap = mmap and manifest.get("notes", 0) > 0  # numpy cannot map an empty array
    notes = np.load(folder / "notes.npy", allow_pickle=False, mmap_mode="r" if use_mmap else None)
    if notes.dtype != NOTE_DTYPE:
        raise ValueError(f"{folder}/notes.npy: unexpected dtype {notes.dtype}")
    with open(folder / "pieces.jsonl", encoding="utf-8") as f:
        lines = f.read().splitlines()
    with open(folder / "index.json", encoding="utf-8") as f:
        columns = json.load(f)
    if len(lines) != manifest.get("records") or any(len(c) != len(lines) for c in columns.values()):
        raise ValueError(f"{folder}: pieces.jsonl, index.json and manifest.json disagree; rebuild the cache")
    corpus = Corpus(_LazyRecords(lines), notes, columns=columns, path=folder, manifest=manifest)
    return corpus.with_dropped() if include_dropped else corpus
