"""The corpus layer: sources, parallel build, deduplication, splits, cache, stats.

    from tunesmith.corpus import build_corpus, load_corpus, corpus_stats
    result = build_corpus()                  # every built-in source + registered folders
    corpus = load_corpus()                   # the cached corpus, a list-like of Piece
    chorales = corpus.filter(style="chorale", split="train")
"""

from __future__ import annotations

from tunesmith.corpus.build import BuildResult, SourceReport, build_corpus, corpus_from_pieces, resolve_sources
from tunesmith.corpus.registry import FolderRegistry, RegisteredFolder
from tunesmith.corpus.sources import BUILTIN_SOURCES, SourceSpec
from tunesmith.corpus.splits import SplitLeakError, assign_splits, check_splits, split_of
from tunesmith.corpus.stats import corpus_stats, format_stats
from tunesmith.corpus.store import Corpus, default_cache_dir, load_corpus, pieces_digest, save_corpus

__all__ = [
    "BUILTIN_SOURCES",
    "BuildResult",
    "Corpus",
    "FolderRegistry",
    "RegisteredFolder",
    "SourceReport",
    "SourceSpec",
    "SplitLeakError",
    "assign_splits",
    "build_corpus",
    "check_splits",
    "corpus_from_pieces",
    "corpus_stats",
    "default_cache_dir",
    "format_stats",
    "load_corpus",
    "pieces_digest",
    "resolve_sources",
    "save_corpus",
    "split_of",
]
