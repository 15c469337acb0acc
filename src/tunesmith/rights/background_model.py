"""The background model that weighs a match in `SimilarityIndex.search`: an interval n-gram model of
the indexed corpus, read from the inverted index's counts, which says how much information each
interval of a melody carries (a run of the style's common figures little, a run of rare ones
much). Split from index.py (session 40); its constants `DISCOUNT` and `LEAVE_ONE_OUT` stay there,
with the search's others, and are read from there at each call."""

from __future__ import annotations

from typing import Any

import numpy as np

from tunesmith.rights import features as F


def _index_settings() -> Any:
    """`tunesmith.rights.index`, whose `DISCOUNT` and `LEAVE_ONE_OUT` the model reads at each call
    (a test, or an evaluation's `--set`, changes them there)."""
    from tunesmith.rights import index

    return index


class _Background:
    """An interval n-gram model of the indexed corpus: P(interval | the up to `ORDER` intervals
    before it), interpolated absolute discounting (`DISCOUNT`) down to a unigram, read from the
    exact 4-gram counts of the inverted index (no extra storage). With `LEAVE_ONE_OUT` every count
    the query's own figure has is one less: the probability of the figure in the *other* works,
    so that a copied passage's source is no evidence that it is common. `ref_bits`: the median
    information of the corpus's own intervals (the same way, over every 4-gram occurrence)."""

    ORDER = F.GRAM - 1  # context intervals

    def __init__(self, tables: list[tuple[np.ndarray, ...]], unigram: np.ndarray) -> None:
        self.tables = tables  # per context length k=1..ORDER: (gram keys, counts, ctx keys, ctx counts, ctx types)
        self.unigram = unigram  # probabilities of the 2 * MAX_INTERVAL + 1 symbols
        self.ref_bits = 1.0

    @classmethod
    def from_grams(cls, vocab: np.ndarray, count: np.ndarray) -> _Background:
        exact = vocab < F.KIND_COARSE
        h, c = vocab[exact], count[exact].astype(np.float64)
        n_sym = 2 * F.MAX_INTERVAL + 1
        bits = F._BITS
        uni = np.bincount(h & ((1 << bits) - 1), weights=c, minlength=n_sym)[:n_sym] + 1.0
        tables = []
        for k in range(1, cls.ORDER + 1):
            keys, inv = np.unique(h & ((1 << (bits * (k + 1))) - 1), return_inverse=True)  # the last k + 1 symbols
            cnt = np.bincount(inv, weights=c)
            ckeys, cinv = np.unique(keys >> bits, return_inverse=True)
            tables.append((keys, cnt, ckeys, np.bincount(cinv, weights=cnt), np.bincount(cinv).astype(np.float64)))
        bg = cls(tables, uni / uni.sum())
        if len(h):  # the reference: the weighted median over every 4-gram occurrence of its last interval
            codes = np.stack(
                [(h >> (bits * (cls.ORDER - j))) & ((1 << bits) - 1) for j in range(cls.ORDER + 1)], axis=1
            )
            b = -np.log2(np.maximum(bg._prob(codes), 1e-12))
            order = np.argsort(b, kind="stable")
            cum = np.cumsum(c[order])
            bg.ref_bits = max(float(b[order][np.searchsorted(cum, cum[-1] / 2)]), 0.25)
        return bg

    def _prob(self, windows: np.ndarray) -> np.ndarray:
        """P(last symbol | the ones before it) of each row of `windows` (codes; -1: no symbol, at
        the start of a sequence)."""
        settings = _index_settings()
        bits = F._BITS
        last = windows[:, -1]
        p = self.unigram[last]
        for k in range(1, self.ORDER + 1):
            keys, cnt, ckeys, ccnt, ctypes = self.tables[k - 1]
            rows = windows[:, -(k + 1) :]
            has = (rows >= 0).all(axis=1)
            if not has.any() or not len(keys):
                break
            g = np.zeros(len(windows), dtype=np.int64)
            for j in range(k + 1):
                g = (g << bits) | np.maximum(rows[:, j], 0)
            ctx = g >> bits
            ci = np.minimum(np.searchsorted(ckeys, ctx), len(ckeys) - 1)
            gi = np.minimum(np.searchsorted(keys, g), len(keys) - 1)
            cfound, gfound = has & (ckeys[ci] == ctx), has & (keys[gi] == g)
            c_hw = np.where(gfound, cnt[gi], 0.0)
            c_h = np.where(cfound, ccnt[ci], 0.0)
            t_h = np.where(cfound, ctypes[ci], 0.0)
            if settings.LEAVE_ONE_OUT:
                t_h = t_h - (c_hw == 1)
                c_hw, c_h = np.maximum(c_hw - 1, 0.0), np.where(gfound, c_h - 1, c_h)
            ok = c_h > 0
            c_h = np.maximum(c_h, 1.0)
            pk = np.maximum(c_hw - settings.DISCOUNT, 0.0) / c_h + settings.DISCOUNT * np.maximum(t_h, 1.0) / c_h * p
            p = np.where(ok, pk, p)
        return p

    def bits(self, intervals: np.ndarray) -> np.ndarray:
        """-log2 P(interval | the up to `ORDER` intervals before it) of every interval."""
        codes = np.asarray(intervals, dtype=np.int64) + F.MAX_INTERVAL
        m = len(codes)
        if m == 0:
            return np.zeros(0)
        padded = np.concatenate((np.full(self.ORDER, -1, dtype=np.int64), codes))
        windows = np.stack([padded[j : j + m] for j in range(self.ORDER + 1)], axis=1)
        return -np.log2(np.maximum(self._prob(windows), 1e-12))

    def bits_many(self, sequences: list[np.ndarray]) -> list[np.ndarray]:
        """`bits` of each sequence, all in one pass (each interval's context from its own sequence)."""
        lens = np.array([len(s) for s in sequences], dtype=np.int64)
        if not len(lens) or lens.sum() == 0:
            return [np.zeros(0) for _ in sequences]
        parts = []
        for s in sequences:
            parts += [np.full(self.ORDER, -1, dtype=np.int64), np.asarray(s, dtype=np.int64) + F.MAX_INTERVAL]
        padded = np.concatenate(parts)
        m = len(padded) - self.ORDER
        windows = np.stack([padded[j : j + m] for j in range(self.ORDER + 1)], axis=1)
        starts = np.cumsum(lens + self.ORDER) - lens - self.ORDER  # each sequence's first window
        rows = np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens, lens) + np.repeat(starts, lens)
        bits = -np.log2(np.maximum(self._prob(windows[rows]), 1e-12))
        return np.split(bits, np.cumsum(lens)[:-1])

