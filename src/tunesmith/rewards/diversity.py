"""A diversity reward: how unlike the other takes of the same round a take is.

Why: a reward model fitted on a few hundred preferences has a narrow peak, and policy gradient
climbs it by collapsing onto one kind of tune (tuned 150 rounds toward a simulated rater, the
takes shared 45 % of their melodic figures with each other against 1 % for the base model). The
KL leash to the reference slows that, but also slows the climb. This reward pays for the
opposite, directly and per take: within each round, a take's novelty is one minus its mean
overlap with the round's other takes, the overlap being the Jaccard index of their sets of
melodic interval n-grams (the self-similarity measure of the tuning report; a self-BLEU-style
diversity measure, Zhu et al. 2018, "Texygen"). Added with a weight beside the preference
reward (`tunesmith tune --reward preferences --reward novelty:0.5`), it makes the policy
gradient prefer good takes that are also unlike each other.

Stateful in the solver's sense: `observe(pieces, round)` sees the round's takes before any is
scored (the solver calls it first), so `__call__(piece)` can compare a take with its round.
It learns nothing and keeps no state across rounds (nothing to checkpoint).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tunesmith.metrics._common import melody_line
from tunesmith.score import Piece


def interval_ngrams(piece: Piece, n: int = 4) -> frozenset[tuple[int, ...]]:
    """The set of the melody's n-grams of successive intervals (semitones, signed)."""
    line = melody_line(piece)
    iv = tuple(b.pitch - a.pitch for a, b in zip(line, line[1:]))
    return frozenset(iv[i : i + n] for i in range(len(iv) - n + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


class RoundNovelty:
    """novelty(take) = 1 - mean Jaccard overlap of its interval n-grams with the round's other
    takes, in [0, 1]. A piece the solver did not show through `observe` is compared with the
    last round's takes (all of them)."""

    def __init__(self, n: int = 4):
        if not (isinstance(n, int) and 1 <= n <= 16):
            raise ValueError(f"novelty n-gram length must be in 1..16, got {n!r}")
        self.n = n
        self._round: list[tuple[int, frozenset]] = []

    def observe(self, pieces: Sequence[Piece], round_: int) -> dict:
        self._round = [(id(p), interval_ngrams(p, self.n)) for p in pieces]
        pairs = [jaccard(a, b) for i, (_, a) in enumerate(self._round) for _, b in self._round[i + 1 :]]
        return {"round_self_similarity": round(sum(pairs) / len(pairs), 4) if pairs else None}

    def __call__(self, piece: Piece) -> float:
        mine = interval_ngrams(piece, self.n)
        others = [g for pid, g in self._round if pid != id(piece)]
        if not others:
            return math.nan
        return 1.0 - sum(jaccard(mine, g) for g in others) / len(others)

    def describe(self) -> dict:
        return {"function": "novelty", "ngram": self.n,
                "definition": "1 - mean Jaccard overlap of interval n-grams with the round's other takes"}  # fmt: skip
