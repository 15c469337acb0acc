"""Build the corpus: enumerate every source, parse in parallel, deduplicate, split, cache.

    result = build_corpus()                       # built-ins + registered folders
    result = build_corpus(["jsb", "nottingham"], workers=2)
    print(result.summary())

The parent only walks folders and hands paths to worker processes; each worker reads one
file (or POP909 song folder) with the reader of its source and sends back compact records
(metadata + a numpy array of notes), so raw files are never all in memory at once. A file
that is empty, over `max_file_bytes`, fails to parse, runs past its timeout, or kills its
worker becomes one line of the problem report ("path: problem") and the build goes on.
Nothing is ever fetched from a URL: sources are local folders and the music21 package.

Incremental: unless `force`, files whose size, mtime, reader, style and license are the
same as in the previous cache (built by the same reader code) are not parsed again;
deduplication and splitting always run over everything.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tunesmith.corpus import dedupe as dedupe_mod
from tunesmith.corpus.fingerprint import fingerprints
from tunesmith.corpus.pool import ERROR, TaskPool
from tunesmith.corpus.records import NOTE_DTYPE, piece_to_record
from tunesmith.corpus.registry import FolderRegistry
from tunesmith.corpus.sources import BUILTIN_SOURCES, READERS, Item, SourceSpec, folder_spec, reader_ref
from tunesmith.corpus.splits import DEFAULT_SEED, assign_splits, check_splits
from tunesmith.corpus.store import Corpus, default_cache_dir, load_corpus, save_corpus
from tunesmith.corpus.worker import bach_work_id
from tunesmith.licenses import may_ship
from tunesmith.limits import limit
from tunesmith.score import Piece

DEFAULT_FILE_TIMEOUT = 60.0  # seconds per file, per TIMEOUT_UNIT_BYTES of it (multi-tune files get more)
TIMEOUT_UNIT_BYTES = 100_000
DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_TASKS_PER_WORKER = 2000  # then the worker is replaced (bounds slow leaks in the readers)
DEFAULT_MEMORY_LIMIT_MB = 2048  # address space of one worker: a pathological file fails, the machine does not
# Reader cost per byte, relative: the largest jobs go first so that two workers finish together.
_COST = {".abc": 8.0, ".mxl": 12.0, ".mid": 2.0, ".midi": 2.0, ".krn": 4.0, ".xml": 1.0, ".musicxml": 1.0}


# Problems that say more about the worker than the file (a worker left half-broken by an
# earlier out-of-memory task): never cached as the file's verdict, so the next build reads it again.
_SUSPECT = ("ImportError", "ModuleNotFoundError", "MemoryError", "out of memory", "worker crashed")


def _suspect(problems: Iterable[str]) -> bool:
    return any(marker in str(message) for message in problems for marker in _SUSPECT)


# ------------------------------------------------------------------ results
@dataclass
class SourceReport:
    name: str
    style: str
    license: str
    files: int = 0
    parsed: int = 0
    reused: int = 0
    pieces: int = 0  # pieces read (before deduplication)
    kept: int = 0  # pieces in the corpus (after deduplication)
    problems: int = 0
    seconds: float = 0.0  # wall time spent in the reader, summed over files (in the workers)
    cpu_seconds: float = 0.0  # CPU time of the same (what a busy machine does not inflate)
    relabelled_from: str | None = None  # the source's own license, when --override changed it


@dataclass
class BuildResult:
    corpus: Corpus
    problems: list[tuple[str, str]]
    sources: dict[str, SourceReport]
    duplicates: dict[str, int]
    dropped: int
    seconds: float
    cache_dir: Path | None
    parsed_files: int
    reused_files: int
    workers_replaced: int = 0
    settings: dict[str, Any] = field(default_factory=dict)
    families: int = 0  # tune families of two or more works (each kept in one split)

    def to_dict(self) -> dict[str, Any]:
        from tunesmith.corpus.stats import corpus_stats

        return {
            "pieces": len(self.corpus),
            "seconds": round(self.seconds, 2),
            "cache_dir": str(self.cache_dir) if self.cache_dir else None,
            "parsed_files": self.parsed_files,
            "reused_files": self.reused_files,
            "workers_replaced": self.workers_replaced,
            "duplicates_dropped": self.dropped,
            "duplicates_by_match": self.duplicates,
            "tune_families": self.families,
            "sources": {k: asdict(v) for k, v in self.sources.items()},
            "problems": [f"{p}: {m}" for p, m in self.problems],
            "stats": corpus_stats(self.corpus),
            "settings": self.settings,
        }

    def summary(self, max_problems: int = 20) -> str:
        from tunesmith.corpus.stats import corpus_stats

        stats = corpus_stats(self.corpus)
        styles = ", ".join(f"{k} {v:,}" for k, v in stats["by_style"].items())
        lines = [
            f"corpus: {len(self.corpus):,} pieces ({styles}), {stats['notes']:,} notes, in {self.seconds:.1f} s",
            f"  files: {self.parsed_files:,} parsed, {self.reused_files:,} unchanged (reused)"
            + (f", {self.workers_replaced} worker(s) replaced" if self.workers_replaced else ""),
        ]
        if self.dropped:
            how = ", ".join(f"{k} {v}" for k, v in sorted(self.duplicates.items()))
            lines.append(f"  duplicates: {self.dropped} piece(s) dropped ({how})")
        if self.families:
            lines.append(f"  tune families: {self.families} (versions of one tune, each family in one split)")
        lines.append("  source            files  pieces    kept  problems  reader s  reader cpu s")
        for rep in self.sources.values():
            lines.append(
                f"  {rep.name:<16} {rep.files:>6} {rep.pieces:>7} {rep.kept:>7} {rep.problems:>9} {rep.seconds:>9.1f}"
                f" {rep.cpu_seconds:>13.1f}"
            )
        if self.problems:
            where = f" (all in {self.cache_dir / 'problems.txt'})" if self.cache_dir else ""
            lines.append(f"  problems: {len(self.problems)}{where}")
            for path, problem in self.problems[:max_problems]:
                lines.append(f"    {path}: {problem}")
            if len(self.problems) > max_problems:
                lines.append(f"    ... and {len(self.problems) - max_problems} more")
        else:
            lines.append("  problems: none")
        return "\n".join(lines)


# ------------------------------------------------------------------ sources
def resolve_sources(
    sources: Iterable[str | SourceSpec] | None = None,
    *,
    shared: bool = True,
    music21: bool = True,
    folders: bool = True,
    overrides: dict[str, dict[str, str]] | None = None,
    registry: FolderRegistry | None = None,
    allow_relabel: bool = False,
) -> list[SourceSpec]:
    """The SourceSpecs a build reads: `sources` by name (built-in or registered folder) or as
    specs; None: every built-in and every registered folder. `shared`/`music21`/`folders`
    False leave out that kind. `overrides`: {name: {"style": ..., "license": ...}}. An override
    that gives music whose license may not ship one that may (so that it could train a shipped
    model) is refused unless `allow_relabel`: a deliberate act by someone who checked the rights."""
    registered = {}
    if folders or sources is not None:
        try:
            registered = {f.name: folder_spec(f.name, f.path, f.style, f.license) for f in (registry or FolderRegistry()).list()}
        except Exception as exc:  # an unreadable registry must not stop a build of the built-ins
            print(f"warning: cannot read the folder registry: {exc}", file=sys.stderr)
    known = {**BUILTIN_SOURCES, **registered}
    if sources is None:
        specs = list(BUILTIN_SOURCES.values()) + (list(registered.values()) if folders else [])
    else:
        specs = []
        for s in sources:
            if isinstance(s, SourceSpec):
                specs.append(s)
            elif s in known:
                specs.append(known[s])
            else:
                raise ValueError(f"unknown source {s!r}; known: {', '.join(known)}")
    kinds_off = {k for k, on in (("shared", shared), ("music21", music21), ("folder", folders)) if not on}
    specs = [s for s in specs if s.kind not in kinds_off]
    if not specs:
        raise ValueError("no sources left to build (check --sources and --no-shared / --no-music21 / --no-folders)")
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ValueError(f"a source is named twice: {names}")
    for name, change in (overrides or {}).items():
        if name not in names:
            raise ValueError(f"override for {name!r}, which is not among the sources of this build: {', '.join(names)}")
        unknown = set(change) - {"style", "license"}
        if unknown:
            raise ValueError(f"override {name}: only style and license can be overridden, not {sorted(unknown)}")
        i = names.index(name)
        before = specs[i].license
        specs[i] = specs[i].with_overrides(style=change.get("style"), license=change.get("license"))
        if not may_ship(before) and may_ship(specs[i].license):
            if not allow_relabel:
                raise ValueError(
                    f"override {name}:license={specs[i].license} would let {before} music train a shipped model; "
                    "if you have checked its rights, pass --allow-relabel (API: allow_relabel=True)"
                )
            print(f"warning: source {name} relabelled {before} -> {specs[i].license} (--allow-relabel)", file=sys.stderr)
    return specs


def corpus_from_pieces(
    pieces: Iterable[Piece], *, priorities: dict[str, int] | None = None, seed: int = DEFAULT_SEED
) -> Corpus:
    """Deduplicate, split and check Pieces already in memory, as a build does with what it reads.

    A piece's `work_id` and `split` are taken as given by its reader (a piece that comes with a
    split keeps it, like JSB); chorales with meta bwv / riemenschneider get "bach:" work ids.
    `priorities`: {source: priority} (default: the built-in sources' priorities)."""
    if priorities is None:
        priorities = {name: spec.priority for name, spec in BUILTIN_SOURCES.items()}
    records: list[dict[str, Any]] = []
    arrays: list[np.ndarray] = []
    start = 0
    seen: set[str] = set()
    for piece in pieces:
        if piece.piece_id in seen:
            raise ValueError(f"piece id {piece.piece_id!r} appears twice")
        seen.add(piece.piece_id)
        piece.validate()
        record, notes = piece_to_record(piece)
        raw_work_id = (bach_work_id(piece.meta) if piece.style == "chorale" else None) or piece.work_id
        record["_"].update(
            file=piece.path, index=0, raw_work_id=raw_work_id, raw_split=piece.split,
            fp=fingerprints(record, notes), note_start=start,
        )
        start += len(notes)
        records.append(record)
        arrays.append(notes)
    dedupe_mod.dedupe(records, priorities)
    dedupe_mod.link_families(records)
    assign_splits(records, seed=seed)
    corpus = Corpus(records, np.concatenate(arrays) if arrays else np.empty(0, dtype=NOTE_DTYPE))
    check_splits(corpus, require_split=True)
    return corpus


# ------------------------------------------------------------------ the parent side
def code_stamp() -> str:
    """Changes whenever the code that turns files into records changes (readers, records,
    fingerprints, the Piece type) or music21 does: a cache from other code is not reused."""
    import tunesmith

    pkg = Path(tunesmith.__file__).parent
    files = sorted(
        [*pkg.glob("inputs/**/*.py"), *pkg.glob("harmony*.py"), *pkg.glob("harmony/**/*.py"), pkg / "score.py", *pkg.glob("convert/*.py"),
         pkg / "corpus" / "records.py", pkg / "corpus" / "fingerprint.py", pkg / "corpus" / "worker.py",
         pkg / "corpus" / "rights.py", pkg / "corpus" / "sources.py"]
    )
    h = hashlib.sha256()
    for f in files:
        if f.is_file():
            st = f.stat()
            h.update(f"{f.relative_to(pkg)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    try:
        from importlib.metadata import version

        h.update(f"music21 {version('music21')}".encode())
    except Exception:  # noqa: BLE001
        pass
    return h.hexdigest()[:16]


def _task(item: Item, spec: SourceSpec) -> dict[str, Any]:
    return {
        "source": item.source,
        "path": item.path,
        "rel": item.rel,
        "key": item.key,
        "reader": item.reader,
        "style": item.style,
        "license": item.license,
        "size": item.size,
        "mtime_ns": item.mtime_ns,
        "standard_split": spec.standard_split,
        "modes_assumed": spec.modes_assumed,
        "keys_by_signature": spec.keys_by_signature,
        "performed": spec.performed,
        "root": str(spec.root()),
    }


def _stamp(task: dict[str, Any]) -> dict[str, Any]:
    # what the reader is told changes the records too: a file read as performed or as written
    return {k: task[k] for k in (
        "size", "mtime_ns", "reader", "style", "license", "modes_assumed", "keys_by_signature", "performed")}


def _cost(task: dict[str, Any]) -> float:
    return task["size"] * _COST.get(Path(task["path"]).suffix.lower(), 1.0)


def _previous(cache_dir: Path, stamp: str) -> tuple[dict[str, Any], Corpus | None]:
    """Per-file stamps and the stored corpus of the previous build, if it can be reused."""
    try:
        old = load_corpus(cache_dir, include_dropped=True)
    except (FileNotFoundError, ValueError, OSError, json.JSONDecodeError):
        return {}, None
    if old.manifest.get("code_stamp") != stamp:
        return {}, None
    return old.manifest.get("files", {}), old


def _reader_available(reader: str) -> str | None:
    module_name, func_name = reader_ref(reader)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001
        return f"reader {module_name}.{func_name} is not available ({type(exc).__name__}: {exc})"
    if not hasattr(module, func_name):
        return f"reader {module_name}.{func_name} is not available (no such function)"
    return None


def _folder_metadata(specs: list[SourceSpec], registry: FolderRegistry | None) -> dict[str, dict[str, str]]:
    """{item key: metadata} of the registered folders among `specs` that were added with --metadata."""
    folders = [s for s in specs if s.kind == "folder"]
    if not folders:
        return {}
    out: dict[str, dict[str, str]] = {}
    try:
        reg = registry or FolderRegistry()
        for spec in folders:
            for rel, meta in reg.metadata(spec.name).items():
                out[f"{spec.name}:{rel}"] = meta
    except Exception as exc:  # noqa: BLE001 - an unreadable registry must not stop a build
        print(f"warning: cannot read the folder metadata: {exc}", file=sys.stderr)
    return out


def build_corpus(
    sources: Iterable[str | SourceSpec] | None = None,
    *,
    shared: bool = True,
    music21: bool = True,
    folders: bool = True,
    overrides: dict[str, dict[str, str]] | None = None,
    workers: int = 2,
    file_timeout: float = DEFAULT_FILE_TIMEOUT,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB,
    limit_per_source: int | None = None,
    cache_dir: str | Path | None = None,
    save: bool = True,
    force: bool = False,
    seed: int = DEFAULT_SEED,
    progress: bool = True,
    registry: FolderRegistry | None = None,
    allow_relabel: bool = False,
) -> BuildResult:
    """Build (or incrementally rebuild) the corpus and save it to `cache_dir`
    (default `paths.home()/corpus`). See the module docstring."""
    t_start = time.perf_counter()
    specs = resolve_sources(
        sources, shared=shared, music21=music21, folders=folders, overrides=overrides, registry=registry,
        allow_relabel=allow_relabel,
    )
    cache_path = Path(cache_dir) if cache_dir else default_cache_dir()
    stamp = code_stamp()
    old_files, old = ({}, None) if force else _previous(cache_path, stamp)
    old_by_file: dict[str, list[int]] = {}
    if old is not None:
        for j, r in enumerate(old._all):
            old_by_file.setdefault(r["_"].get("file", ""), []).append(j)

    problems: list[tuple[str, str]] = []
    reports = {s.name: SourceReport(s.name, s.style, s.license, relabelled_from=s.relabelled_from) for s in specs}
    priorities = {s.name: s.priority for s in specs}
    results: dict[str, list[tuple[dict[str, Any], np.ndarray]]] = {}
    order: list[str] = []  # item keys in enumeration order: the corpus order
    files_manifest: dict[str, Any] = {}
    to_parse: list[dict[str, Any]] = []
    reused = 0

    for spec in specs:
        rep = reports[spec.name]
        missing_reader = _reader_available(spec.reader)
        try:
            items = list(spec.iter_items())
        except (FileNotFoundError, OSError) as exc:
            problems.append((str(spec.root()) if spec.kind != "music21" else spec.name, f"source {spec.name}: {exc}"))
            rep.problems += 1
            continue
        taken = 0
        skipped_for_reader = 0
        for item in items:
            if isinstance(item, tuple):  # a file that is not music, in a user folder
                problems.append(item)
                rep.problems += 1
                continue
            if limit_per_source is not None and taken >= limit_per_source:
                break
            taken += 1
            rep.files += 1
            task = _task(item, spec)
            key = task["key"]
            order.append(key)
            if missing_reader:
                skipped_for_reader += 1
                continue
            if item.size == 0:
                problems.append((item.path, "empty file (0 bytes)"))
                rep.problems += 1
                continue
            if item.size > max_file_bytes:
                problems.append((item.path, f"too large: {item.size:,} bytes, over the limit of {max_file_bytes:,}"))
                rep.problems += 1
                continue
            prev = old_files.get(key)
            if prev is not None and prev.get("stamp") == _stamp(task) and not _suspect(prev.get("problems", [])):
                assert old is not None
                recs = []
                for j in old_by_file.get(key, []):
                    r = old._all[j]
                    recs.append((r, np.array(old._notes_at(j))))
                results[key] = recs
                for message in prev.get("problems", []):
                    problems.append((item.path, message))
                    rep.problems += 1
                files_manifest[key] = prev
                rep.reused += 1
                rep.pieces += len(recs)
                rep.seconds += prev.get("seconds", 0.0)
                rep.cpu_seconds += prev.get("cpu", 0.0)
                reused += 1
                continue
            to_parse.append(task)
        if skipped_for_reader:  # one line for the source, not one per file
            problems.append((str(spec.root()), f"source {spec.name}: {skipped_for_reader} file(s) not read: {missing_reader}"))
            rep.problems += 1

    to_parse.sort(key=_cost, reverse=True)
    replaced = 0
    if to_parse:
        from tunesmith.progress import progress_bar

        bar = progress_bar(total=len(to_parse), unit="file", desc="corpus build", disable=not progress, file=sys.stderr,
                   dynamic_ncols=True)
        preload = sorted({reader_ref(t["reader"])[0] for t in to_parse})
        if any(t["reader"] in READERS for t in to_parse):
            preload.append("tunesmith.corpus.warm")  # music21 and the readers' tables, once for all workers
        pool = TaskPool(
            "tunesmith.corpus.worker:parse_item",
            workers=workers,
            memory_limit_mb=memory_limit_mb,
            max_tasks_per_worker=MAX_TASKS_PER_WORKER,
            preload=["tunesmith.corpus.worker", *preload],
        )
        n_problems = len(problems)
        try:
            for task, status, payload in pool.run(
                to_parse,
                lambda t: min(file_timeout * max(1.0, t["size"] / TIMEOUT_UNIT_BYTES), limit("MAX_FILE_SECONDS")),
            ):
                rep = reports[task["source"]]
                rep.parsed += 1
                if status == ERROR:
                    file_problems, recs, seconds, cpu = [payload], [], 0.0, 0.0
                else:
                    file_problems, recs = payload["problems"], payload["records"]
                    seconds, cpu = payload["seconds"], payload.get("cpu", 0.0)
                results[task["key"]] = recs
                rep.pieces += len(recs)
                rep.seconds += seconds
                rep.cpu_seconds += cpu
                for message in file_problems:
                    problems.append((task["path"], message))
                    rep.problems += 1
                # timeouts and crashes are retried next time; parse errors of an unchanged file are not,
                # unless they look like the worker's fault rather than the file's (see _suspect)
                if status != ERROR and not _suspect(file_problems):
                    files_manifest[task["key"]] = {"stamp": _stamp(task), "problems": file_problems,
                                                   "seconds": round(seconds, 3), "cpu": round(cpu, 3)}
                bar.update(1)
                if len(problems) != n_problems:
                    n_problems = len(problems)
                    bar.set_postfix(problems=n_problems)
        finally:
            bar.close()
            replaced = pool.replaced

    # ---- assemble in enumeration order, then deduplicate, split, check
    user_meta = _folder_metadata(specs, registry)
    records: list[dict[str, Any]] = []
    arrays: list[np.ndarray] = []
    start = 0
    for key in order:
        for record, notes in results.get(key, ()):
            record["_"]["note_start"] = start
            if key in user_meta:  # `corpus add --metadata`: year, title, composer, genre, region
                record["meta"] = {**record["meta"], **user_meta[key]}
            start += len(notes)
            records.append(record)
            arrays.append(notes)
    notes_all = np.concatenate(arrays) if arrays else np.empty(0, dtype=NOTE_DTYPE)
    del arrays, results
    duplicates = dedupe_mod.dedupe(records, priorities)
    families = dedupe_mod.link_families(records)
    assign_splits(records, seed=seed)
    corpus = Corpus(records, notes_all)
    check_splits(corpus, require_split=True)
    for source in corpus.column("source"):
        reports[source].kept += 1
    problems.sort(key=lambda p: p[0])
    settings = {
        "sources": [s.name for s in specs],
        "workers": workers,
        "file_timeout": file_timeout,
        "max_file_bytes": max_file_bytes,
        "limit_per_source": limit_per_source,
        "seed": seed,
    }
    saved_to = None
    if save:
        manifest = {
            "code_stamp": stamp,
            "build": settings,
            "sources": {k: asdict(v) for k, v in reports.items()},
            "files": files_manifest,
        }
        version = save_corpus(corpus, cache_path, problems=problems, manifest=manifest)
        corpus.path = version
        corpus.manifest = manifest
        saved_to = cache_path
    return BuildResult(
        corpus=corpus,
        problems=problems,
        sources=reports,
        duplicates=duplicates,
        dropped=sum(1 for r in records if r["_"].get("dropped")),
        seconds=time.perf_counter() - t_start,
        cache_dir=saved_to,
        parsed_files=len(to_parse),
        reused_files=reused,
        workers_replaced=replaced,
        settings=settings,
        families=families,
    )
