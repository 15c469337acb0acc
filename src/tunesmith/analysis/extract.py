"""Features of every piece of a corpus, streamed with a progress bar and cached on disk.

The cache sits beside the corpus cache (`<corpus cache>/analysis/features-<key>.npz` and
`.json`), keyed by the corpus manifest and the feature code: a new corpus build or a change
to `features.py` makes a new key, and older feature files are removed. A second `analyze`
with other groupings reads the cache and never opens the corpus.

`FeatureTable` holds, for the n pieces of the corpus (dropped duplicates left out):
    X        float array n x len(FEATURE_NAMES), NaN where a feature is undefined
    labels   {column: list of n values}: piece_id, work_id, title, style, source, year (0: none),
             genre, region, key, key_inferred (1: estimated or assumed, not written), meter
    ngrams   vocabulary of chord-function n-grams (n = 2, 3, 4; tokens joined by " ")
    ng_piece, ng_id, ng_count   the sparse piece x n-gram count matrix (int32 arrays)
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tunesmith.analysis.features import FEATURE_NAMES, fill_features, melody_features, piece_labels

NGRAM_LENGTHS = (2, 3, 4)
# pieces per step of the melody pass: the bar moves while it works (one pass over all 20,139
# pieces had kept the terminal silent for 19 s of 22, the bar then running 0-100% in 3 s)
CHUNK = 1024
LABEL_COLUMNS = ("piece_id", "work_id", "title", "style", "source", "year", "genre", "region", "key", "key_inferred",
                 "meter")


@dataclass
class FeatureTable:
    X: np.ndarray
    labels: dict[str, list]
    ngrams: list[str]
    ng_piece: np.ndarray
    ng_id: np.ndarray
    ng_count: np.ndarray
    feature_names: tuple[str, ...] = FEATURE_NAMES
    key: str = ""
    from_cache: bool = False
    seconds: float = 0.0
    info: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.X.shape[0]

    def column(self, name: str) -> np.ndarray:
        return np.asarray(self.labels[name])

    def subset(self, mask: np.ndarray) -> FeatureTable:
        """The pieces where `mask` is True (n-gram rows renumbered)."""
        mask = np.asarray(mask, dtype=bool)
        new_index = np.cumsum(mask) - 1
        keep = mask[self.ng_piece]
        return FeatureTable(
            X=self.X[mask],
            labels={k: [v for v, m in zip(vals, mask) if m] for k, vals in self.labels.items()},
            ngrams=self.ngrams,
            ng_piece=new_index[self.ng_piece[keep]].astype(np.int32),
            ng_id=self.ng_id[keep],
            ng_count=self.ng_count[keep],
            feature_names=self.feature_names,
            key=self.key,
            from_cache=self.from_cache,
            seconds=self.seconds,
            info=self.info,
        )


def _code_stamp() -> str:
    from tunesmith.analysis import features

    h = hashlib.sha256(Path(features.__file__).read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:16]


def extract_features(corpus, *, progress: bool = False) -> FeatureTable:
    """Features of every piece of `corpus` (a `tunesmith.corpus.Corpus` or a list of Pieces)."""
    import time

    from tunesmith.corpus.store import Corpus
    from tunesmith.progress import progress_bar

    t0 = time.perf_counter()
    if not isinstance(corpus, Corpus):
        corpus = Corpus.from_pieces(corpus)
    records = corpus.records
    n = len(records)
    starts, n_notes = np.asarray(corpus.column("note_start")), np.asarray(corpus.column("n_notes"))
    X = np.empty((n, len(FEATURE_NAMES)))
    labels: dict[str, list] = {c: [] for c in LABEL_COLUMNS}
    vocab: dict[str, int] = {}
    rows: list[int] = []
    ids: list[int] = []
    counts: list[int] = []
    bar = progress_bar(total=n, unit="piece", desc="analyze: features", disable=not progress, file=sys.stderr,
               dynamic_ncols=True, mininterval=0.5)
    for a in range(0, n, CHUNK):
        b = min(n, a + CHUNK)  # every melody feature is one piece's own: chunks give the same numbers
        X[a:b] = melody_features([records[i] for i in range(a, b)], corpus.notes_array, starts[a:b], n_notes[a:b])
        for i in range(a, b):
            _piece_rest(i, records[i], X, labels, vocab, rows, ids, counts)
        bar.update(b - a)
    bar.close()
    return FeatureTable(
        X=X,
        labels=labels,
        ngrams=list(vocab),
        ng_piece=np.asarray(rows, dtype=np.int32),
        ng_id=np.asarray(ids, dtype=np.int32),
        ng_count=np.asarray(counts, dtype=np.int32),
        seconds=time.perf_counter() - t0,
    )


def _piece_rest(i: int, record: dict, X: np.ndarray, labels: dict[str, list], vocab: dict[str, int],
                rows: list[int], ids: list[int], counts: list[int]) -> None:
    """Piece i's harmony and general features, labels and chord n-grams (after its melody features)."""
    tokens = fill_features(X[i], record)
    for col, value in piece_labels(record).items():
        labels[col].append(value)
    if tokens:
        local: dict[str, int] = {}
        for k in NGRAM_LENGTHS:
            for s in range(len(tokens) - k + 1):
                gram = " ".join(tokens[s : s + k])
                local[gram] = local.get(gram, 0) + 1
        for gram, c in local.items():
            j = vocab.get(gram)
            if j is None:
                j = vocab[gram] = len(vocab)
            rows.append(i)
            ids.append(j)
            counts.append(c)


def feature_dir(cache_dir: str | Path | None = None) -> Path:
    from tunesmith.corpus.store import default_cache_dir, resolve_cache

    version = resolve_cache(cache_dir)
    root = Path(cache_dir) if cache_dir else default_cache_dir()
    base = root if version != root else version.parent
    return base / "analysis"


def cache_key(cache_dir: str | Path | None = None) -> str:
    from tunesmith.corpus.store import resolve_cache

    manifest = (resolve_cache(cache_dir) / "manifest.json").read_bytes()
    h = hashlib.sha256(manifest)
    h.update(_code_stamp().encode())
    return h.hexdigest()[:20]


def save_features(table: FeatureTable, folder: Path, key: str) -> None:
    from tunesmith.paths import atomic_write_bytes, atomic_write_text

    folder.mkdir(parents=True, exist_ok=True)
    import io

    buf = io.BytesIO()
    np.savez(buf, X=table.X, ng_piece=table.ng_piece, ng_id=table.ng_id, ng_count=table.ng_count)
    atomic_write_bytes(folder / f"features-{key}.npz", buf.getvalue())
    meta = {"key": key, "feature_names": list(table.feature_names), "labels": table.labels, "ngrams": table.ngrams,
            "extract_seconds": round(table.seconds, 3)}
    atomic_write_text(folder / f"features-{key}.json", json.dumps(meta, ensure_ascii=False, separators=(",", ":")))
    for old in folder.glob("features-*"):
        if not old.name.startswith(f"features-{key}."):
            old.unlink(missing_ok=True)


def load_cached(folder: Path, key: str) -> FeatureTable | None:
    npz, meta_path = folder / f"features-{key}.npz", folder / f"features-{key}.json"
    if not (npz.is_file() and meta_path.is_file()):
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with np.load(npz, allow_pickle=False) as z:
            arrays = {k: z[k] for k in ("X", "ng_piece", "ng_id", "ng_count")}
    except (OSError, ValueError, KeyError, json.JSONDecodeError):
        return None
    if tuple(meta.get("feature_names", ())) != FEATURE_NAMES:
        return None
    return FeatureTable(labels=meta["labels"], ngrams=meta["ngrams"], key=key, from_cache=True,
                        info={"extract_seconds": meta.get("extract_seconds")}, **arrays)


def corpus_features(cache_dir: str | Path | None = None, *, progress: bool = False, use_cache: bool = True) -> FeatureTable:
    """Features of the cached corpus at `cache_dir` (default `$TUNESMITH_HOME/corpus`), from the
    feature cache when it matches the corpus, else extracted (and cached)."""
    import time

    t0 = time.perf_counter()
    key = cache_key(cache_dir)
    folder = feature_dir(cache_dir)
    if use_cache:
        table = load_cached(folder, key)
        if table is not None:
            table.seconds = time.perf_counter() - t0
            return table
    from tunesmith.corpus.store import load_corpus

    table = extract_features(load_corpus(cache_dir), progress=progress)
    table.key = key
    try:
        save_features(table, folder, key)
    except OSError as exc:  # a read-only cache still gets its analysis
        print(f"warning: could not cache the features in {folder}: {exc}", file=sys.stderr)
    table.seconds = time.perf_counter() - t0
    return table
