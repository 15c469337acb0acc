"""What a similarity search finds: a `Match` (an indexed work near a query, with the matching
passage on both sides), the further `Passage`s of a work already matched, and `shares_passage`,
the audit's test of a match. Split from index.py (session 40), which re-exports them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tunesmith.corpus.titles import readable_title


@dataclass(frozen=True)
class Passage:
    """One more passage of a query that matches a work already matched (`further_passages`)."""

    score: float
    query_notes: tuple[int, int]
    work_notes: tuple[int, int]
    query_bars: tuple[int, int]
    work_bars: tuple[int, int]
    matched_notes: int

    def to_dict(self) -> dict[str, Any]:
        return {"score": round(float(self.score), 3), "bars": list(self.query_bars), "work_bars": list(self.work_bars),
                "matched_notes": int(self.matched_notes)}  # fmt: skip


@dataclass
class Match:
    """One indexed work near a query: its record, score and the matching passage on both sides."""

    doc: int
    work: dict[str, Any]
    score: float
    query_notes: tuple[int, int] = (0, 0)  # first, last note (merged melody) of the passage
    work_notes: tuple[int, int] = (0, 0)
    # the bars of each side, numbered as its score numbers them: a pickup is bar 0, the first
    # whole bar bar 1 (a work indexed without its numbering, by an older build: from 1)
    query_bars: tuple[int, int] = (0, 0)
    work_bars: tuple[int, int] = (0, 0)
    matched_notes: int = 0  # exact interval matches inside the passage
    retrieval: float = 0.0
    harmony: float = 0.0  # share of the query's chord trigrams the work has
    more_passages: list[Passage] = field(default_factory=list)  # `check`'s further passages of the work

    def to_dict(self) -> dict[str, Any]:
        w = self.work
        more = {"more_passages": [p.to_dict() for p in self.more_passages]} if self.more_passages else {}
        return {
            "work_id": w.get("work_id"),
            "title": readable_title(w.get("title"), w.get("work_id"), w.get("source")),
            "source": w.get("source"),
            "license": w.get("license"),
            "style": w.get("style"),
            "score": round(float(self.score), 3),
            "bars": list(self.query_bars),
            "work_bars": list(self.work_bars),
            "matched_notes": int(self.matched_notes),
            "harmony": round(float(self.harmony), 3),
        } | {k: w[k] for k in ("composers", "rights_basis") if w.get(k)} | more


def shares_passage(match: Match | None, min_bars: int, exact: float = 0.8) -> bool:
    """Whether a match is a shared passage: its aligned stretch spans at least `min_bars` bars on
    both sides and at least `exact` of the query's notes in it match exactly (the audit's and
    the guard evaluation's definition of "shares a passage with a training work")."""
    if match is None:
        return False
    qa, qb = match.query_bars
    ta, tb = match.work_bars
    notes = match.query_notes[1] - match.query_notes[0]
    return qb - qa + 1 >= min_bars and tb - ta + 1 >= min_bars and match.matched_notes >= exact * max(1, notes)
