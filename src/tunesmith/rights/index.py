"""The similarity index: every work's melody, found by its rare figures, scored by alignment.

    index = SimilarityIndex.build(pieces)          # pieces with melodies (chords-only works are skipped)
    index.save("similarity_index")                 # similarity_index.npz + similarity_index.json
    index = load_index("similarity_index.npz")     # cached per process
    matches = index.search(piece, top=3)           # [Match(doc, score, query_bars, work_bars, ...)]

Storage (never pickled): `index_file`, which says what the .npz and the .json hold.

Search, in two steps:

1. Candidates: the query's exact, skip and coarse grams (`features`) are looked up in the
   inverted index; each hit is a (work, query position, work position) with the inverse
   document frequency (IDF, log N/df, from the indexed corpus itself) of its gram (coarse grams
   at half weight). Grams found in more than `MAX_DF_SHARE` of the works (scales, arpeggios) are
   not looked up at all. A work's retrieval score is the most IDF its hits collect in one cell:
   one diagonal band (`BAND_WIDTH` diagonals: a shared passage, shifted a little by inserted or
   deleted notes) within one stretch of `SEGMENT` query intervals, so that a short copy is not
   outweighed by likenesses scattered over a whole tune. The best `candidates` works go on.
2. Alignment: a local alignment (Smith-Waterman) of the query's intervals against each
   candidate's, all candidates in one vectorised pass. An exact interval match scores the
   information of that interval under a background model of the style (`_Background`: an
   interval 4-gram model of the indexed corpus, the matched work's own occurrence left out),
   over the corpus median, clipped to `MIN_INFO` .. `MAX_INFO`: a run of the style's common
   figures (scale steps, arpeggios) scores little, a run of rare ones much, i.e. a match is
   weighed by how often such a passage occurs between unrelated tunes of the style
   (Muellensiefen & Pendzich 2009). (`WEIGHTING = "idf"`: the former weights, the mean IDF of
   the grams around it over the corpus median, 0.3 .. 2.5.) An interval off by one semitone (a
   changed mode, a stretched interval) scores `NEAR` of that (0 now: neither helps nor breaks a
   run); two intervals read as one (a note inserted or deleted, an ornament) score 0.6 of the
   lesser of the query's and the work's weight there (`SHARED_WEIGHT`: the figure both share; a
   query interval made rare by the note inserted into it is no rarer in the work), a
   mismatch -8 and a gap -8 (a note changed by more than a semitone is two mismatches: reading it
   as one change, `CHANGED`, was measured and left off) (idiomatic likeness over many bars breaks up into short runs; a
   copied run with an ornament or an edit keeps most of its score: -4 had let long loose
   likenesses between unrelated tunes outscore short copies). Values tuned on planted copies
   against held-out music (scripts/evaluate_copy_guard.py, valid split). The
   score of a work is its best local alignment: roughly "rare matching notes in a row".
   Traceback gives the matching bars on each side. Intervals that join two of the musician's
   own notes (`given`) score 0 (the musician's input never counts as copying).

Harmony is a weak second signal: the share of the query's chord-progression trigrams
(root motions and qualities, transposition-invariant) that the work also has multiplies the
melodic score by at most 1 + `HARMONY_WEIGHT`; with no melodic match there is no score.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tunesmith.rights import features as F
from tunesmith.rights.alignment import AlignScoring, align
from tunesmith.rights.background_model import _Background
from tunesmith.rights.index_file import CORE_COLUMNS, FORMAT, FORMAT_VERSION, read_index, write_index  # noqa: F401
from tunesmith.rights.matches import Match, Passage, shares_passage  # noqa: F401  (re-exported)
from tunesmith.score import Piece

MAX_DF_SHARE = 0.05  # grams in more works than this share are too common to look up
MIN_MAX_DF = 50
# works aligned per query. 64 fits the 20 ms check too, but at <= 2 % valid false alarms it names the
# right source for fewer plants (evaluate_copy_guard.py, 400 plants, seeds 0 / 1, both calibrated the
# same way: 64 at copy 27.5: 0.405 / 0.463; 16 at copy 25.0: 0.448 / 0.505), as one more held-out
# valid tune scores high; 64 does better at 5-10 % false alarms and on the test split
CANDIDATES = 16
DOC_BITS = 21  # up to 2 million works
POS_BITS = 16  # grams after the 65536th interval of a work are not indexed
BAND_WIDTH = 8  # diagonals per candidate band
SEGMENT = 32  # query intervals per retrieval cell (0: the whole query)
HARMONY_WEIGHT = 0.15
# alignment scores (see module docstring)
NEAR = 0.0
JOIN = 0.6
MISMATCH = -8.0
GAP = 8.0
# A note changed (two intervals against two with the same sum: `alignment.AlignScoring.changed`), or
# None: two mismatches (-16). Off: -4 found a fiddler's Kesh from memory (two notes of its own;
# clear 19.3 -> copy 43.1), but at <= 2 % test false alarms it named the right source for fewer
# plants (evaluate_copy_guard.py, 200 plants, seed 0: 0.44 -> 0.415; -8: 0.415), with two changed
# notes in every plant no more (--changed-notes 2: 0.29 both), and the 26 held-out versions of a
# training tune by title scored the same: held-out tunes close to training ones rose with it.
CHANGED: float | None = None
# A neighbour figure (p q p, q a step from p: a mordent, a neighbour note) on one side read as
# nothing on the other, joined to the interval after it at the JOIN rate (`AlignScoring.ornament`),
# or False: two gaps (-16), which split a copied passage in two wherever a mordent stands in it
# (planted copies with a mordent were found at 0.32 at 2 % test false alarms, with a grace or a
# passing note at 0.56-0.58). Off: on (evaluate_copy_guard.py --plants 200 --set ORNAMENT=True,
# seeds 0 / 1) recall at 2 % test false alarms rose 0.480 -> 0.540 / 0.405 -> 0.460, at 1 % fell
# 0.460 -> 0.360 / 0.400 -> 0.340, and the valid-calibrated copy threshold rose 25.0 -> 31.0, with
# recall there 0.515 -> 0.470 (verbatim plants 0.56 -> 0.44): held-out Irish tunes played with
# other ornaments than a training version of the same tune (Lark in the Morning ~ Greig's Pipes,
# Miss Gunning's Delight ~ The Contradiction, Lannigan's Ball ~ The Calendar Jig, 40-54 notes
# aligned) then score 37-47, and the fixed version rule counts them as false alarms.
ORNAMENT = False
# Rhythm (`search`'s second pass, off: 0): an exact interval that also keeps its rhythm
# (`features.rhythm_classes`) adds RHYTHM_GAIN times the rhythm's information (`rhythm_info`), and
# that pass's score counts RHYTHM_SCALE times. Measured (session 28; evaluate_copy_guard.py --plants
# 200 --seed 0 --takes 0 --fa-split valid, at <= 2 % valid false alarms, right source named):
# verbatim plants (--changes none) 0.56 without; 0.68 at gain 1, scale 1; 0.675 at 1, 0.6; 0.685 at
# 2, 0.45. Plants with every change (re-rhythmed among them) 0.515 without; 0.22 / 0.45 / 0.375
# there. Held-out tunes of a style share rhythms with the training tunes as well as figures (folk
# tunes share whole phrases), so the rhythm raised the false alarms nearly as much as the copies, and
# the threshold with them: a verbatim 4-bar borrowing is found more often (0.68 -> 0.81 at gain 1,
# scale 1) at the cost of every disguised copy. The index keeps the note spans for it.
RHYTHM_GAIN = 0.0
RHYTHM_SCALE = 1.0
SPAN_TICKS = 24  # the index stores note spans in 1/24 beats (triplets and sixteenths exactly)
WINDOW = 96  # intervals of each side aligned at most (the reported passage goes on: `_extend_passage`)
MORE_PASSAGES = 3  # further passages `check` reports per work that is close or a copy (`further_passages`)
EXTEND_RESUME = 4  # intervals that must match again past a changed note for a passage to go on
BAND = 4  # diagonals either side of the best one (inserted / deleted notes shift it)
MIN_WEIGHT, MAX_WEIGHT = 0.3, 2.5
MIN_INFO, MAX_INFO = 0.05, 6.0
DISCOUNT = 0.75  # absolute discounting of the background model's counts
WEIGHTING = "info"  # "info": background-model information; "idf": the former gram IDF weights
SHARED_WEIGHT = 1  # two intervals read as one weigh the lesser of the query's and the work's weight
LEAVE_ONE_OUT = 1  # the background model counts a query figure's occurrences less one


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """The positions of the `k` largest `scores`, largest first, ties in position order: what
    `np.argsort(-scores, kind="stable")[:k]` gives, without sorting every score (a check against the
    whole corpus scores some 12,000 works for its 16 candidates)."""
    if len(scores) <= 4 * k:
        return np.argsort(-scores, kind="stable")[:k]
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]
    near = np.flatnonzero(scores >= kth)  # every score that can be among the k, ties at the k-th included
    return near[np.argsort(-scores[near], kind="stable")[:k]]


@dataclass
class SimilarityIndex:
    pitches: np.ndarray  # uint8: merged melody pitches of every work, concatenated
    bars: np.ndarray  # uint16: bar (0-based) of each note
    offsets: np.ndarray  # int64, n_docs + 1
    chords: np.ndarray  # int16 chord tokens, concatenated
    chord_offsets: np.ndarray  # int64, n_docs + 1
    docs: list[dict[str, Any]]
    info: dict[str, Any] = field(default_factory=dict)
    postings: dict[str, np.ndarray] | None = field(default=None, repr=False)  # stored inverted lists (load)
    # uint16: each note's span (onset to the next note's) in 1/SPAN_TICKS beats; None: an index built
    # before rhythm was kept, searched by its pitches alone
    spans: np.ndarray | None = None

    def __post_init__(self) -> None:
        stored, self.postings = self.postings, None
        self._set_postings(stored if stored is not None else self._build_postings())

    # ------------------------------------------------------------------ build / save / load
    @classmethod
    def build(cls, pieces: Any, *, info: dict[str, Any] | None = None, min_notes: int = F.GRAM + 2) -> SimilarityIndex:
        """Index the melodies of `pieces` (an iterable of Piece); works with fewer than
        `min_notes` merged melody notes (chords-only sources) are left out."""
        pitch_parts, bar_parts, span_parts, chord_parts, docs = [], [], [], [], []
        for p in pieces:
            mel = F.melody_of(p)
            if len(mel) < min_notes:
                continue
            pitch_parts.append(mel.pitches.astype(np.uint8))
            span_parts.append(np.clip(np.rint(mel.spans * SPAN_TICKS), 1, 65535).astype(np.uint16))
            bar_parts.append(np.clip(mel.bars, 0, 65535).astype(np.uint16))
            chord_parts.append(F.chord_tokens(p))
            # the work's authors, to credit: a source's list (OpenEWLD), else the file's own composer
            # field (ABC C:, MusicXML <creator>): a band's CC-BY tunes had been checked against
            # without their name (`check` showed "[tunes, unknown]")
            composers = p.meta.get("composers") or ([str(p.meta["composer"])] if p.meta.get("composer") else None)
            docs.append({"work_id": p.work_id, "piece_id": p.piece_id, "title": p.title, "source": p.source,
                         "license": p.license, "style": p.style, "split": p.split, "first_bar": mel.first_bar}
                        | ({"composers": composers} if composers else {})
                        | {k: p.meta[k] for k in ("rights_basis",) if p.meta.get(k)})  # fmt: skip
        if not docs:
            raise ValueError("similarity index: no piece has a melody to index")
        offsets = np.concatenate(([0], np.cumsum([len(x) for x in pitch_parts]))).astype(np.int64)
        chord_offsets = np.concatenate(([0], np.cumsum([len(x) for x in chord_parts]))).astype(np.int64)
        return cls(
            pitches=np.concatenate(pitch_parts),
            bars=np.concatenate(bar_parts),
            offsets=offsets,
            chords=np.concatenate(chord_parts).astype(np.int16) if chord_parts else np.zeros(0, np.int16),
            chord_offsets=chord_offsets,
            docs=docs,
            info={"format": FORMAT, "version": FORMAT_VERSION, **(info or {})},
            spans=np.concatenate(span_parts),
        )

    @classmethod
    def with_reference(cls, own: SimilarityIndex, reference: SimilarityIndex) -> SimilarityIndex:
        """`own`'s works, searched, beside `reference`'s, which only lend their statistics: how
        rare a figure is (IDF, the background model) is read from both, and a search never names
        a reference work. For a folder of a few works, which has no statistics of its own (in a
        folder of one work every figure of it looks common, so an exact copy scored "clear")."""
        docs = [dict(d) for d in own.docs] + [dict(d, reference=True) for d in reference.docs]
        info = {**own.info, "reference": reference.info.get("name"), "reference_works": len(reference.docs)}
        return cls(
            pitches=np.concatenate((own.pitches, reference.pitches)),
            bars=np.concatenate((own.bars, reference.bars)),
            offsets=np.concatenate((own.offsets, reference.offsets[1:] + own.offsets[-1])),
            chords=np.concatenate((own.chords, reference.chords)).astype(np.int16),
            chord_offsets=np.concatenate((own.chord_offsets, reference.chord_offsets[1:] + own.chord_offsets[-1])),
            docs=docs,
            info=info,
            spans=np.concatenate((own.spans, reference.spans)) if own.spans is not None and reference.spans is not None
            else None,
        )  # fmt: skip

    def save(self, path: str | os.PathLike) -> tuple[Path, Path]:
        """Write PATH.npz (arrays) and PATH.json (works, build info, calibration); returns both
        (`index_file.write_index`)."""
        return write_index(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> SimilarityIndex:
        """The index saved at PATH (`index_file.read_index`)."""
        return read_index(cls, path)

    # ------------------------------------------------------------------ inverted index
    def _build_postings(self) -> dict[str, np.ndarray]:
        """The inverted lists: every distinct gram (`vocab`, sorted), its occurrences (`count`),
        the works it is in (`df`), and per occurrence, grouped by gram, its work and position."""
        n_docs = len(self.docs)
        if n_docs >= 1 << DOC_BITS:
            raise ValueError(f"similarity index: at most {1 << DOC_BITS} works, got {n_docs}")
        pitches = self.pitches.astype(np.int64)
        doc_of_note = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(self.offsets))
        iv = F.intervals_of(pitches)
        valid = doc_of_note[1:] == doc_of_note[:-1]
        h1, s1 = F.exact_grams(iv, valid)
        h2, s2 = F.coarse_grams(iv, valid)
        hashes = np.concatenate((h1, h2))
        starts = np.concatenate((s1, s2))
        docs = doc_of_note[starts]
        pos = starts - self.offsets[docs]  # the gram's first interval inside its work
        keep = pos < (1 << POS_BITS)
        keys = np.sort((hashes[keep] << (DOC_BITS + POS_BITS)) | (docs[keep] << POS_BITS) | pos[keep])
        ghash = keys >> (DOC_BITS + POS_BITS)
        first = np.ones(len(ghash), dtype=bool)
        first[1:] = ghash[1:] != ghash[:-1]
        vstart = np.nonzero(first)[0]
        new_doc = np.ones(len(ghash), dtype=bool)
        new_doc[1:] = (keys[1:] >> POS_BITS) != (keys[:-1] >> POS_BITS)
        return {
            "vocab": ghash[vstart],
            "count": np.diff(np.append(vstart, len(ghash))),
            "df": np.add.reduceat(new_doc.astype(np.int64), vstart) if len(keys) else np.zeros(0, np.int64),
            "docs": ((keys >> POS_BITS) & ((1 << DOC_BITS) - 1)).astype(np.int32),
            "pos": (keys & ((1 << POS_BITS) - 1)).astype(np.int32),
        }

    def _set_postings(self, post: dict[str, np.ndarray]) -> None:
        n_docs = len(self.docs)
        self._vocab = np.asarray(post["vocab"], dtype=np.int64)
        self._count = np.asarray(post["count"], dtype=np.int64)
        self._df = np.asarray(post["df"], dtype=np.int64)
        self._post_docs = post["docs"]  # any integer dtype (uint16 when stored)
        self._post_pos = post["pos"]
        self._vstart = np.cumsum(self._count) - self._count
        self._idf = np.log(n_docs / np.maximum(self._df, 1)).astype(np.float32)
        self._max_idf = float(np.log(max(n_docs, 2) * 2.0))
        exact = self._vocab < F.KIND_COARSE
        # the rarity of a typical figure: the median IDF over every exact-gram occurrence
        weights = self._count[exact]
        order = np.argsort(self._idf[exact], kind="stable")
        cum = np.cumsum(weights[order])
        self._idf_ref = float(self._idf[exact][order][np.searchsorted(cum, cum[-1] / 2)]) if len(cum) else 1.0
        self._idf_ref = max(self._idf_ref, 0.5)
        self._max_df = max(MIN_MAX_DF, int(MAX_DF_SHARE * n_docs))
        # chord grams per work, for the weak harmony signal (computed when asked)
        self._chord_cache: dict[int, np.ndarray] = {}
        self._bg: _Background | None = None
        self._weight_cache: dict[int, np.ndarray] = {}
        self._intervals: np.ndarray | None = None
        self._joint: np.ndarray | None = None
        self._rhythm_bits: tuple[np.ndarray, np.ndarray, float] | None = None
        # works that lend their statistics only (`with_reference`): never candidates
        self._reference_docs = np.array([i for i, d in enumerate(self.docs) if d.get("reference")], dtype=np.int64)

    def __len__(self) -> int:
        """The works a search can name (an index `with_reference` counts its own only)."""
        return len(self.docs) - len(self._reference_docs)

    # ------------------------------------------------------------------ background model
    def _background(self) -> _Background:
        if self._bg is None:
            self._bg = _Background.from_grams(self._vocab, self._count)
        return self._bg

    def doc_weights(self, doc: int) -> np.ndarray:
        """`info_weights` of a work's own intervals (cached)."""
        if doc not in self._weight_cache:
            self._weight_cache[doc] = self.info_weights(self.doc_intervals(doc))
        return self._weight_cache[doc]

    def docs_weights(self, docs: Any) -> list[np.ndarray]:
        """`doc_weights` of several works; those not cached yet are computed in one pass (the
        same values: the background model reads every interval's context within its own work)."""
        docs = [int(d) for d in docs]
        missing = sorted({d for d in docs if d not in self._weight_cache})
        if missing:
            bg = self._background()
            bits = bg.bits_many([self.doc_intervals(d) for d in missing])
            for d, b in zip(missing, bits):
                self._weight_cache[d] = np.clip(b / bg.ref_bits, MIN_INFO, MAX_INFO)
        return [self._weight_cache[d] for d in docs]

    def info_weights(self, intervals: np.ndarray) -> np.ndarray:
        """Information of each query interval under the style's background model (an interval
        4-gram model of the indexed corpus), over its corpus median: a common figure ~0.3, a rare
        one 2-3; clipped to `MIN_INFO` .. `MAX_INFO`."""
        bg = self._background()
        bits = bg.bits(np.asarray(intervals, dtype=np.int64))
        return np.clip(bits / bg.ref_bits, MIN_INFO, MAX_INFO)

    def _lookup(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions in the vocabulary, found mask) of `hashes`."""
        pos = np.searchsorted(self._vocab, hashes)
        pos = np.minimum(pos, len(self._vocab) - 1)
        return pos, self._vocab[pos] == hashes

    def gram_weights(self, intervals: np.ndarray) -> np.ndarray:
        """Rarity weight of each query interval: the mean IDF of the exact grams covering it over
        the corpus median (grams the corpus lacks count as the rarest), clipped to 0.3 .. 2.5."""
        m = len(intervals)
        if m == 0:
            return np.zeros(0)
        h, starts = F.exact_grams(intervals)
        if len(h) == 0:
            return np.ones(m)
        pos, found = self._lookup(h)
        idf = np.where(found, self._idf[pos], self._max_idf)
        total = np.zeros(m + 1)
        count = np.zeros(m + 1)
        np.add.at(total, starts, idf)
        np.add.at(total, starts + F.GRAM, -idf)
        np.add.at(count, starts, 1.0)
        np.add.at(count, starts + F.GRAM, -1.0)
        total, count = np.cumsum(total)[:m], np.cumsum(count)[:m]
        w = np.where(count > 0, total / np.maximum(count, 1), self._idf_ref) / self._idf_ref
        return np.clip(w, MIN_WEIGHT, MAX_WEIGHT)

    def query_grams(self, intervals: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(vocabulary positions, query start positions, weights) of the query's exact, skip and
        coarse grams that the index has in at most `_max_df` works (coarse grams at half weight)."""
        h1, s1 = F.exact_grams(intervals)
        h2, s2 = F.skip_grams(intervals)
        h3, s3 = F.coarse_grams(intervals)
        qh, qs = np.concatenate((h1, h2, h3)), np.concatenate((s1, s2, s3))
        if len(qh) == 0 or len(self._vocab) == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        pos, found = self._lookup(qh)
        keep = found & (self._df[pos] <= self._max_df)
        pos, qs = pos[keep], qs[keep]
        w = self._idf[pos] * np.where(self._vocab[pos] >= F.KIND_COARSE, 0.5, 1.0)
        return pos, qs, w.astype(np.float64)

    def candidates(
        self,
        intervals: np.ndarray,
        k: int = CANDIDATES,
        exclude: np.ndarray | None = None,
        given_iv: np.ndarray | None = None,
    ) -> list[tuple[int, float, tuple[int, int, int, int]]]:
        """The `k` works whose best diagonal band (query position vs work position, `BAND_WIDTH`
        wide: a shared passage, inserted or deleted notes shift it a little) collects the most
        IDF of shared grams: [(work, band score, (query from, to, work from, to))], best first.
        The windows cover that band's hits (at most `WINDOW` intervals each side). `given_iv`: the
        intervals that join two of the musician's notes; no gram that touches one counts (the
        musician's quote of a work had drawn its window there, where the alignment scores
        nothing, and a copy of the same work elsewhere in the take went unseen)."""
        vpos, qs, w = self.query_grams(intervals)
        if given_iv is not None and given_iv.any() and len(qs):
            span = max(F.GRAM + 1, F.COARSE_GRAM)  # the most intervals a gram covers (skip: GRAM + 1)
            before = np.concatenate(([0], np.cumsum(given_iv)))
            free = before[np.minimum(qs + span, len(given_iv))] == before[qs]
            vpos, qs, w = vpos[free], qs[free], w[free]
        if len(vpos) == 0:
            return []
        counts = self._count[vpos]
        starts = self._vstart[vpos]
        total = int(counts.sum())
        ends = np.cumsum(counts)
        idx = np.arange(total) - np.repeat(ends - counts, counts) + np.repeat(starts, counts)
        docs = self._post_docs[idx].astype(np.int64)
        tj = self._post_pos[idx].astype(np.int64)
        gram = np.repeat(np.arange(len(qs)), counts)  # each hit's query gram
        if exclude is not None and len(exclude):
            keep = ~np.isin(docs, exclude)
            docs, tj, gram = docs[keep], tj[keep], gram[keep]
        if len(docs) == 0:
            return []
        qi = qs[gram]
        diag = tj - qi + (1 << 17)
        # a work's retrieval score: the most IDF its hits collect in one diagonal band (a shared
        # passage; inserted or deleted notes shift the diagonal a little) within one stretch of
        # `SEGMENT` query intervals (a short copy is not outweighed by likenesses scattered over
        # a whole tune); two staggered band grids, so that a passage never falls between bands.
        # One sort by (work, segment, diagonal) makes every cell of both grids a run of hits (the
        # hits arrive as runs already sorted, one per gram, which the stable sort merges).
        seg = np.minimum(qi // SEGMENT, 4095) if SEGMENT else np.zeros_like(qi)
        low = diag.min()
        dbits = int(diag.max() - low).bit_length()
        gbits = max(1, (len(qs) - 1).bit_length())
        if DOC_BITS + 12 + dbits + gbits < 63:
            # the hit's gram in the key's lowest bits: (work, segment, diagonal) ties fall in gram
            # order, as a stable sort of the hits (which come gram by gram) leaves them, and the
            # values alone are sorted, the fields read back from them (a third faster than an
            # argsort and four gathers, on the ~100,000 hits of a check against the whole corpus)
            key = np.sort((docs << (12 + dbits + gbits)) | (seg << (dbits + gbits)) | ((diag - low) << gbits) | gram,
                          kind="stable")  # fmt: skip
            gram = key & ((1 << gbits) - 1)
            key >>= gbits
            docs, seg, diag = key >> (12 + dbits), (key >> dbits) & 4095, (key & ((1 << dbits) - 1)) + low
        else:  # diagonals over 2^29 apart, or a very long query
            order = np.lexsort((diag, seg, docs))
            docs, diag, seg, gram = docs[order], diag[order], seg[order], gram[order]
        # the hits in that order: query and work positions, weights
        qi = qs[gram]
        tj = diag + qi - (1 << 17)
        wt_s = w[gram]
        n = len(docs)
        new_doc = np.ones(n, dtype=bool)
        new_doc[1:] = docs[1:] != docs[:-1]
        new_run = new_doc.copy()  # a new (work, segment)
        new_run[1:] |= seg[1:] != seg[:-1]
        doc_at = np.nonzero(new_doc)[0]
        grids = []  # per grid: each cell's sum, first hit and shift, and each work's first cell
        for shift in (0, BAND_WIDTH // 2):
            band = (diag + shift) // BAND_WIDTH
            first = new_run.copy()
            first[1:] |= band[1:] != band[:-1]
            at = np.nonzero(first)[0]
            grids.append((np.add.reduceat(wt_s, at), at, shift, np.nonzero(new_doc[at])[0]))
        # a work's score: its best cell in either grid (the sums are exact: float32 IDFs in float64)
        doc_best = np.maximum(*(np.maximum.reduceat(sums, firsts) for sums, _, _, firsts in grids))
        k = min(k, len(doc_at))
        top = _top_k(doc_best, k)  # ties: the lower work id first
        # the best cell of each chosen work: the first grid's before the second's, then the lowest
        # (band, segment), the order in which the cells of a grid are sorted
        none = np.int64(1) << 62
        best_cell = []
        for sums, at, shift, firsts in grids:  # (the chosen works' cells only)
            n_cells = np.append(firsts[1:], len(sums))[top] - firsts[top]
            cell_starts = np.cumsum(n_cells) - n_cells
            cell = np.arange(int(n_cells.sum())) - np.repeat(cell_starts, n_cells) + np.repeat(firsts[top], n_cells)
            is_best = sums[cell] == np.repeat(doc_best[top], n_cells)
            first_hit = at[cell]
            band = (diag[first_hit] + shift) // BAND_WIDTH
            best_cell.append(np.minimum.reduceat(np.where(is_best, (band << 12) | seg[first_hit], none), cell_starts))
        in_first = best_cell[0] < none
        cell_key = np.where(in_first, best_cell[0], best_cell[1])
        shifts = np.where(in_first, 0, BAND_WIDTH // 2)
        bands, cells = cell_key >> 12, cell_key & 4095
        # the windows: each chosen work's hits in its best band (all segments)
        lo, hi = doc_at[top], np.append(doc_at, n)[top + 1]
        lens = hi - lo
        owner = np.repeat(np.arange(k), lens)
        hit = np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens, lens) + np.repeat(lo, lens)
        inband = (diag[hit] + shifts[owner]) // BAND_WIDTH == bands[owner]
        hit, owner = hit[inband], owner[inband]
        firsts = np.searchsorted(owner, np.arange(k))
        qsel_all, tsel_all = qi[hit], tj[hit]
        qa_all = np.minimum.reduceat(qsel_all, firsts)
        qb_all = np.maximum.reduceat(qsel_all, firsts) + F.GRAM + 1
        ta_all = np.minimum.reduceat(tsel_all, firsts)
        tb_all = np.maximum.reduceat(tsel_all, firsts) + F.GRAM + 1
        ends = np.append(firsts[1:], len(hit))
        docs_top = docs[doc_at[top]]
        out = []
        for c in range(k):
            d = int(docs_top[c])
            qa, qb, ta, tb = int(qa_all[c]), int(qb_all[c]), int(ta_all[c]), int(tb_all[c])
            if qb - qa > WINDOW:  # centre on the best cell's weighted median hit
                g = slice(int(firsts[c]), int(ends[c]))
                qsel, tsel, wsel = qsel_all[g], tsel_all[g], wt_s[hit[g]]
                in_cell = (np.minimum(qsel // SEGMENT, 4095) == cells[c]) if SEGMENT else np.ones(len(qsel), bool)
                o = np.argsort(qsel[in_cell])
                cw = np.cumsum(wsel[in_cell][o])
                centre = int(qsel[in_cell][o][np.searchsorted(cw, cw[-1] / 2)])
                qa = max(qa, centre - WINDOW // 2)
                qb = qa + WINDOW
                inside = (qsel >= qa) & (qsel < qb)
                if inside.any():
                    ta, tb = int(tsel[inside].min()), int(tsel[inside].max()) + F.GRAM + 1
            tb = min(tb, ta + WINDOW)
            n_t = int(self.offsets[d + 1] - self.offsets[d]) - 1
            pad = 4
            window = (max(0, qa - pad), min(len(intervals), qb + pad), max(0, ta - pad), min(n_t, tb + pad))
            out.append((d, float(doc_best[top[c]]), window))
        return out

    def doc_intervals(self, doc: int) -> np.ndarray:
        """The intervals of a work's merged melody (`features.intervals_of`; a read-only view)."""
        if self._intervals is None:  # every work's at once (the ones across two works are never read)
            self._intervals = F.intervals_of(self.pitches)
            self._intervals.flags.writeable = False
        a, b = int(self.offsets[doc]), int(self.offsets[doc + 1])
        return self._intervals[a : max(a, b - 1)]

    def doc_joint(self, doc: int) -> np.ndarray:
        """A work's intervals with their rhythm (`features.joint_symbols`; a read-only view)."""
        if self._joint is None:  # every work's at once, as `doc_intervals`
            spans = self.spans.astype(np.float64) / SPAN_TICKS
            self._joint = F.joint_symbols(F.intervals_of(self.pitches), F.rhythm_classes(spans))
            self._joint.flags.writeable = False
        a, b = int(self.offsets[doc]), int(self.offsets[doc + 1])
        return self._joint[a : max(a, b - 1)]

    def rhythm_info(self, rhythm: np.ndarray) -> np.ndarray:
        """Information of each rhythm class (`features.rhythm_classes`) given the one before it,
        under a bigram model of the indexed works' rhythms (add-0.5 smoothing; the first of a
        query under the unigram), over the corpus median, clipped to 0 .. `MAX_INFO`: straight
        eighths in a reel say little, a dotted figure or a held note among quick ones more."""
        if self._rhythm_bits is None:
            k = F.RHYTHM_CLASSES + 1
            half = F.RHYTHM_CLASSES // 2
            spans = self.spans.astype(np.float64) / SPAN_TICKS
            r = F.rhythm_classes(spans) + half
            doc_of_iv = np.repeat(np.arange(len(self.docs)), np.diff(self.offsets))[:-1]
            same = doc_of_iv[1:] == doc_of_iv[:-1]  # a bigram within one work (the last note's span is its own)
            pair = np.bincount(r[:-1][same] * k + r[1:][same], minlength=k * k).reshape(k, k) + 0.5
            uni = np.bincount(r, minlength=k) + 0.5
            cond = -np.log2(pair / pair.sum(axis=1, keepdims=True))
            first = -np.log2(uni / uni.sum())
            occurrences = cond[r[:-1][same], r[1:][same]]
            ref = float(np.median(occurrences)) if len(occurrences) else 1.0
            self._rhythm_bits = (cond, first, max(ref, 0.25))
        cond, first, ref = self._rhythm_bits
        r = np.asarray(rhythm, dtype=np.int64) + F.RHYTHM_CLASSES // 2
        if len(r) == 0:
            return np.zeros(0)
        bits = np.concatenate(([first[r[0]]], cond[r[:-1], r[1:]]))
        return np.clip(bits / ref, 0.0, MAX_INFO)

    def doc_chord_grams(self, doc: int) -> np.ndarray:
        if doc not in self._chord_cache:
            a, b = self.chord_offsets[doc], self.chord_offsets[doc + 1]
            self._chord_cache[doc] = F.chord_grams(self.chords[a:b])
        return self._chord_cache[doc]

    # ------------------------------------------------------------------ search
    def search(
        self,
        query: Piece | F.Melody,
        *,
        top: int = 3,
        candidates: int | None = None,
        given: set[tuple[int, float]] | None = None,
        exclude_work_ids: set[str] | None = None,
        chords: np.ndarray | None = None,
    ) -> list[Match]:
        """The `top` indexed works nearest the query (a Piece, or a Melody with `chords` tokens),
        best first, by aligned score; `candidates` works are aligned (default `CANDIDATES`).
        `given`: (pitch, onset) of the musician's notes (score 0);
        `exclude_work_ids`: works never reported (e.g. the query's own work)."""
        if isinstance(query, Piece):
            mel = F.melody_of(query, given)
            chord_toks = F.chord_tokens(query)
        else:
            mel, chord_toks = query, chords if chords is not None else np.zeros(0, np.int16)
        q = mel.intervals
        if len(q) < 2:
            return []
        exclude = self._reference_docs if len(self._reference_docs) else None
        if exclude_work_ids:
            named = np.array([i for i, d in enumerate(self.docs) if d["work_id"] in exclude_work_ids], dtype=np.int64)
            exclude = named if exclude is None else np.concatenate((exclude, named))
        weights, given_iv = self._query_weights(mel)
        found_c = self.candidates(q, candidates or CANDIDATES, exclude, given_iv)
        if not found_c:
            return []
        cands = [d for d, _, _ in found_c]
        retrieval = [r for _, r, _ in found_c]
        windows = [wnd for _, _, wnd in found_c]
        info = WEIGHTING == "info"
        targets = [self.doc_intervals(int(d)) for d in cands]
        target_w = self.docs_weights(cands) if info and SHARED_WEIGHT else None
        found = _align(q, weights, given_iv, targets, windows, top, target_w)
        if RHYTHM_GAIN and self.spans is not None and mel.spans is not None:
            # a second pass with each interval's rhythm: a passage copied as it stands (pitches
            # and rhythm) scores its pitches' information and its rhythm's; the better pass counts
            rhythm = F.rhythm_classes(mel.spans)
            joint_w = np.where(given_iv, 0.0, weights + RHYTHM_GAIN * self.rhythm_info(rhythm))
            as_written = align(F.joint_symbols(q, rhythm), joint_w, given_iv, [self.doc_joint(int(d)) for d in cands],
                               windows, len(cands), scoring=AlignScoring(NEAR, None, MISMATCH, GAP, None))  # fmt: skip
            as_written = [(RHYTHM_SCALE * w[0], *w[1:]) for w in as_written]
            found = [w if w[0] > f[0] else f for f, w in zip(found, as_written)]
        qgrams = F.chord_grams(chord_toks) if len(chord_toks) >= F.CHORD_GRAM else np.zeros(0, np.int64)
        out: list[Match] = []
        for c, (score, qi, tj, matched) in enumerate(found):
            d = int(cands[c])
            if score <= 0 or qi == (0, 0):
                continue
            # the passage as far as it goes: the alignment saw at most `WINDOW` intervals a side,
            # so a whole tune copied reported a third of its bars (the score is the window's)
            qi, tj, more = _extend_passage(q, targets[c], given_iv, qi, tj)
            matched += more
            harmony = 0.0
            if len(qgrams):
                harmony = float(np.isin(qgrams, self.doc_chord_grams(d)).mean())
            a = int(self.offsets[d])
            first = self.work_first_bar(d)
            out.append(Match(
                doc=d, work=self.docs[d], score=float(score) * (1.0 + HARMONY_WEIGHT * harmony),
                query_notes=qi, work_notes=tj,
                query_bars=(int(mel.bars[qi[0]]) + mel.first_bar, int(mel.bars[qi[1]]) + mel.first_bar),
                work_bars=(int(self.bars[a + tj[0]]) + first, int(self.bars[a + tj[1]]) + first),
                matched_notes=matched, retrieval=float(retrieval[c]), harmony=harmony,
            ))  # fmt: skip
        out.sort(key=lambda m: -m.score)
        return out[:top]

    def _query_weights(self, mel: F.Melody) -> tuple[np.ndarray, np.ndarray]:
        """Each query interval's weight, and which intervals join two of the musician's notes
        (weight 0: they never count)."""
        q = mel.intervals
        weights = self.info_weights(q) if WEIGHTING == "info" else self.gram_weights(q)
        given_iv = mel.input_mask[1:] & mel.input_mask[:-1] if len(mel.input_mask) else np.zeros(len(q), bool)
        return np.where(given_iv, 0.0, weights), given_iv

    def further_passages(
        self,
        query: Piece | F.Melody,
        matches: list[Match],
        *,
        min_score: float,
        given: set[tuple[int, float]] | None = None,
        limit: int = MORE_PASSAGES,
    ) -> list[list[Passage]]:
        """For each of `matches`, the passages of `query` other than its own that match the same
        work and score at least `min_score` each (on the match's scale: its harmony counts the
        same), best first, at most `limit`. A tune that quotes a work twice, its A strain here and
        its B strain there, had reported one of the two. Each is the best local alignment of the
        whole query against the whole work once the query's passages already found are taken out
        (as the musician's notes are); a passage of the work may match twice (a quoted strain
        played twice). The query's melody and weights are read once for all the matches."""
        mel = F.melody_of(query, given) if isinstance(query, Piece) else query
        q = mel.intervals
        if len(q) < 2 or limit <= 0 or not matches:
            return [[] for _ in matches]
        weights, given_iv = self._query_weights(mel)
        return [self._more_passages(mel, weights, given_iv, m, min_score, limit) for m in matches]

    def _more_passages(
        self, mel: F.Melody, weights: np.ndarray, given_iv: np.ndarray, match: Match, min_score: float, limit: int
    ) -> list[Passage]:
        q = mel.intervals
        taken = given_iv.copy()
        taken[match.query_notes[0] : match.query_notes[1]] = True  # intervals of the passage's notes
        target = self.doc_intervals(match.doc)
        target_w = self.docs_weights([match.doc]) if WEIGHTING == "info" and SHARED_WEIGHT else None
        scale = 1.0 + HARMONY_WEIGHT * match.harmony
        a = int(self.offsets[match.doc])
        first = self.work_first_bar(match.doc)
        out: list[Passage] = []
        while len(out) < limit:
            w = np.where(taken, 0.0, weights)
            found = _align(q, w, taken, [target], [(0, len(q), 0, len(target))], 1, target_w)
            score, qi, tj, matched = found[0]
            if score * scale < min_score or qi == (0, 0):
                break
            qi, tj, more = _extend_passage(q, target, taken, qi, tj)
            taken[qi[0] : qi[1]] = True
            out.append(Passage(
                score=float(score) * scale, query_notes=qi, work_notes=tj, matched_notes=matched + more,
                query_bars=(int(mel.bars[qi[0]]) + mel.first_bar, int(mel.bars[qi[1]]) + mel.first_bar),
                work_bars=(int(self.bars[a + tj[0]]) + first, int(self.bars[a + tj[1]]) + first),
            ))  # fmt: skip
        return out

    def work_first_bar(self, doc: int) -> int:
        """The number a work's score gives its first bar: 0 after a pickup, else 1 (an index built
        without the numbering: 1)."""
        first = self.docs[doc].get("first_bar")
        return 1 if first is None else int(first)


def _extend_passage(
    q: np.ndarray, t: np.ndarray, given_iv: np.ndarray, qi: tuple[int, int], tj: tuple[int, int]
) -> tuple[tuple[int, int], tuple[int, int], int]:
    """An aligned passage ((first, last) note of the query, of the work) carried on along its
    diagonal, each way, while the intervals go on matching: exactly, or after one or two
    mismatched intervals (a note changed) when the `EXTEND_RESUME` intervals past them match
    again. Never into intervals that join two of the musician's own notes. Returns the passage and
    the exact matches added."""
    added = 0

    def same(i: int, j: int) -> bool:
        return 0 <= i < len(q) and 0 <= j < len(t) and not given_iv[i] and q[i] == t[j]

    def walk(i: int, j: int, step: int) -> tuple[int, int]:
        """From interval (i, j) on, the last interval pair of the run (i - step, j - step: none)."""
        nonlocal added
        while True:
            if same(i, j):
                added += 1
                i, j = i + step, j + step
                continue
            for skip in (1, 2):  # a changed note: one or two intervals off, then the run again
                ahead = [(i + step * (skip + k), j + step * (skip + k)) for k in range(EXTEND_RESUME)]
                if all(same(a, b) for a, b in ahead):
                    added += EXTEND_RESUME
                    i, j = ahead[-1][0] + step, ahead[-1][1] + step
                    break
            else:
                return i - step, j - step

    # intervals qi[1] (notes qi[1], qi[1] + 1) onward; interval qi[0] - 1 backward
    end_i, end_j = walk(qi[1], tj[1], 1)
    start_i, start_j = walk(qi[0] - 1, tj[0] - 1, -1)
    return (start_i, end_i + 1), (start_j, end_j + 1), added


def _align(*args, **kwargs) -> list[tuple[float, tuple[int, int], tuple[int, int], int]]:
    """`alignment.align` (the same arguments) under this module's scoring constants, read at each
    call (an evaluation's `--set` and the tests change them)."""
    return align(*args, scoring=AlignScoring(NEAR, JOIN, MISMATCH, GAP, CHANGED, ORNAMENT), **kwargs)


@functools.lru_cache(maxsize=4)
def _load_cached(path: str, stamp: float) -> SimilarityIndex:
    return SimilarityIndex.load(path)


def load_index(path: str | os.PathLike) -> SimilarityIndex:
    """`SimilarityIndex.load`, once per process per file version."""
    p = Path(os.fspath(path))
    if p.suffix not in (".npz", ".json"):
        p = p.with_suffix(".npz")
    stamp = p.stat().st_mtime if p.exists() else 0.0
    return _load_cached(str(p), stamp)
