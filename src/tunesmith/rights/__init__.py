"""Respecting rights: a similarity index of training works, `check`, the copy guard on every
take, attribution to the nearest works, and provenance written into the files themselves.

    from tunesmith.rights import check_piece, resolve_index, guard_takes
    result = check_piece(piece, resolve_index("model"))     # verdict clear / close / copy
"""

from __future__ import annotations

from tunesmith.rights.check import CheckResult, check_piece, resolve_index, verdict_of
from tunesmith.rights.index import Match, SimilarityIndex, load_index

__all__ = ["CheckResult", "Match", "SimilarityIndex", "check_piece", "load_index", "resolve_index", "verdict_of"]
