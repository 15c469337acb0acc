"""Train / valid / test by work, and the check that no work sits in two splits.

A work's split comes from a hash of (seed, work id), so it never depends on which other
pieces are in the corpus or in which order they were read: adding a source moves nothing.
Works that come with a standard split (JSB) keep it.

A tune family (versions of one tune, `dedupe.link_families`) sits in one split: a member's
standard split if one has it; else the most used of its members' own splits: train, then
valid, then test. So nothing a model learned from leaves training when families are found, and
nothing decoding was tuned on (valid) moves into test: a model trained before is still measured
only on tunes it never saw in any version, and the held-out splits hold tunes with no version
in training. Adding a source can move a held-out tune into train (when it brings a version of
it), never out of it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

SPLITS = ("train", "valid", "test")
DEFAULT_SEED = 1729
DEFAULT_RATIOS = (0.8, 0.1, 0.1)


class SplitLeakError(ValueError):
    """Some work has pieces in more than one split."""

    def __init__(self, leaks: dict[str, set[str]]) -> None:
        self.leaks = leaks
        shown = "; ".join(f"{w}: {', '.join(sorted(s))}" for w, s in sorted(leaks.items())[:20])
        more = f" (and {len(leaks) - 20} more)" if len(leaks) > 20 else ""
        super().__init__(f"{len(leaks)} work(s) in more than one split: {shown}{more}")


def split_of(work_id: str, *, seed: int = DEFAULT_SEED, ratios: tuple[float, float, float] = DEFAULT_RATIOS) -> str:
    """The split a work goes to: a fixed function of (seed, work_id)."""
    digest = hashlib.sha256(f"{seed}:{work_id}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    total = sum(ratios)
    if u < ratios[0] / total:
        return "train"
    if u < (ratios[0] + ratios[1]) / total:
        return "valid"
    return "test"


def assign_splits(
    records: list[dict[str, Any]], *, seed: int = DEFAULT_SEED, ratios: tuple[float, float, float] = DEFAULT_RATIOS
) -> None:
    """Set "split" on every kept record (in place): the work's standard split if one of its
    pieces has one, else `split_of(work_id)`; a tune family's members (`r["_"]["family"]`) get
    the family's split (module docstring). Dropped duplicates get ""."""
    standard: dict[str, str] = {}
    for r in records:
        raw = r["_"].get("raw_split", "")
        if raw and not r["_"].get("dropped"):
            standard.setdefault(r["work_id"], raw)
    family_works: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if r["_"].get("family") and not r["_"].get("dropped"):
            family_works[r["_"]["family"]].add(r["work_id"])

    def own(work: str) -> str:
        return standard.get(work) or split_of(work, seed=seed, ratios=ratios)

    family_split: dict[str, str] = {}
    for family, works in family_works.items():
        ordered = sorted(works)
        given = [standard[w] for w in ordered if w in standard]
        splits = [own(w) for w in ordered]
        family_split[family] = given[0] if given else next(x for x in SPLITS if x in splits)  # train, valid, test
    for r in records:
        if r["_"].get("dropped"):
            r["split"] = ""
        elif r["_"].get("family"):
            r["split"] = family_split[r["_"]["family"]]
        else:
            r["split"] = own(r["work_id"])


def _work_and_split(item: Any) -> tuple[str, str]:
    """(its tune family, else its work id; its split): a family is checked as one work."""
    if isinstance(item, dict):
        return item.get("_", {}).get("family") or item["work_id"], item.get("split", "")
    return item.work_id, item.split


def check_splits(pieces: Iterable[Any], *, require_split: bool = False) -> dict[str, int]:
    """Raise SplitLeakError naming every work (or tune family) with pieces in more than one split.

    `pieces`: Pieces, a Corpus, or record dicts. With `require_split`, a piece without a
    split is an error too. Returns the number of pieces per split."""
    splits_of: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    missing = []
    if hasattr(pieces, "column"):  # a Corpus: its columns, no record is parsed
        families = pieces.column("family")
        pairs: Iterable[tuple[str, str]] = zip(
            (f or w for f, w in zip(families, pieces.column("work_id"))), pieces.column("split")
        )
    else:
        pairs = (_work_and_split(item) for item in pieces)
    for work, split in pairs:
        counts[split] += 1
        if not split:
            missing.append(work)
            continue
        if split not in SPLITS:
            raise ValueError(f"work {work}: unknown split {split!r}; one of {SPLITS}")
        splits_of[work].add(split)
    leaks = {w: s for w, s in splits_of.items() if len(s) > 1}
    if leaks:
        raise SplitLeakError(leaks)
    if require_split and missing:
        raise ValueError(f"{len(missing)} piece(s) have no split, e.g. work {missing[0]}")
    return dict(counts)
