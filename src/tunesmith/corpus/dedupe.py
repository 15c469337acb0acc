"""Find the same work in several sources and keep one piece per work.

Three ways two pieces are found to be the same work:

1. The same work id. Readers of the music21 chorales give BWV / Riemenschneider numbers;
   the build turns them into work ids "bach:R<n>" (else "bach:BWV<n>"), so two encodings
   of one chorale (bwv277.krn and bwv277.mxl, "-inst" variants) become one work.
2. The same notes ("exact"): every pitched note except chord-voicing tracks, transposed so
   the first note is 0, onsets measured from the first note in units of the piece's most
   common inter-onset interval (so the same tune written in 1/8 or 1/16 units, or in another
   key, matches), hashed. Pieces with fewer than MIN_EXACT_NOTES notes are never matched
   this way. This catches copies within and across the folk sets.
3. Chorales ("chorale"): the JSB JSON has no BWV numbers, and its grid rounds rhythms and
   writes out repeats, so exact hashing misses. Each chorale gets two sets of n-grams:
   the soprano's interval 5-grams (repeated pitches merged, 16th grid) and the outer-voice
   interval (soprano - bass) 4-grams on an 8th grid. Containment |A & B| / min(|A|, |B|)
   is robust to written-out repeats. A piece from a source with a standard split (JSB)
   and one without are the same work when the soprano containment is >= 0.8: deliberately
   conservative (on the music21 chorales it also catches another harmonization of the same
   melody), because a miss leaks a test chorale into training while a false match only
   drops one non-commercial music21 chorale. Two pieces without a standard split need
   soprano >= 0.9 and outer voices >= 0.8.

Which copy is kept: the source with the highest priority (JSB 100 > nottingham 90 > irish
80 > user folders 70 > ... > music21 40), then the one with a standard split, then a license
that may ship, then more notes, then the smaller piece id. For JSB this means JSB is kept
(public domain, standard split) and the matched music21 chorale is dropped. A group never
holds two pieces that both come with a standard split (JSB's own near-copies keep their
split and stay separate works). The kept piece lists the others in `meta["duplicates"]`
({"piece_id", "source", "path", "match"}); the dropped records stay in the cache, marked,
so that an incremental rebuild can redo this step, but are not part of the Corpus.

The work id of a group is the most canonical id among its members: "bach:R<n>", else
"bach:BWV<n>", else the kept piece's own id.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter, defaultdict
from typing import Any

import numpy as np

from tunesmith.licenses import may_ship

MIN_EXACT_NOTES = 12
MIN_GRAMS = 6
SOP_N = 5
VERT_N = 4
SPLIT_VS_OTHER_SOPRANO = 0.8
OTHER_SOPRANO = 0.9
OTHER_VERTICAL = 0.8
_EXCLUDED_ROLES = ("chords",)


# ------------------------------------------------------------------ fingerprints (in workers)
def fingerprints(record: dict[str, Any], notes: np.ndarray) -> dict[str, Any]:
    fp: dict[str, Any] = {}
    exact = exact_hash(record, notes)
    if exact:
        fp["exact"] = exact
    if record.get("style") == "chorale":
        sop, vert = chorale_grams(record, notes)
        if len(sop) >= MIN_GRAMS:
            fp["sop"] = sop
            fp["vert"] = vert
    return fp


def _pitched_mask(record: dict[str, Any], notes: np.ndarray) -> np.ndarray:
    keep = [not is_drum and role not in _EXCLUDED_ROLES for _n, role, _p, is_drum, _k in record["tracks"]]
    if all(keep):
        return np.ones(len(notes), dtype=bool)
    return np.asarray(keep, dtype=bool)[notes["track"]] if len(notes) else np.zeros(0, dtype=bool)


def exact_hash(record: dict[str, Any], notes: np.ndarray) -> str | None:
    sel = notes[_pitched_mask(record, notes)]
    if len(sel) < MIN_EXACT_NOTES:
        return None
    order = np.lexsort((sel["pitch"], sel["onset"]))
    onsets = sel["onset"][order]
    pitches = sel["pitch"][order].astype(np.int16)
    distinct = np.unique(np.round(onsets, 6))
    iois = np.round(np.diff(distinct), 6)
    iois = iois[iois > 0]
    unit = Counter(iois.tolist()).most_common(1)[0][0] if len(iois) else 1.0
    q = np.round((onsets - onsets[0]) / unit * 24).astype(np.int64)
    rel = pitches - pitches[0]
    payload = np.stack([q, rel.astype(np.int64)], axis=1).tobytes()
    return hashlib.blake2b(payload, digest_size=8).hexdigest()


def _line(notes: np.ndarray, end: float, step: float) -> np.ndarray:
    """Pitch sounding at each grid step (-1: rest); later notes overwrite earlier ones."""
    n = int(np.ceil(end / step - 1e-9))
    grid = np.full(max(n, 0), -1, dtype=np.int16)
    for onset, duration, pitch in zip(notes["onset"].tolist(), notes["duration"].tolist(), notes["pitch"].tolist()):
        a = int(round(onset / step))
        b = max(a + 1, int(round((onset + duration) / step)))
        grid[a:b] = pitch
    return grid


def _merge(seq: np.ndarray) -> np.ndarray:
    seq = seq[seq >= 0] if seq.dtype.kind in "iu" else seq
    if len(seq) == 0:
        return seq
    keep = np.ones(len(seq), dtype=bool)
    keep[1:] = seq[1:] != seq[:-1]
    return seq[keep]


def _grams(values: np.ndarray, n: int) -> list[int]:
    if len(values) < n:
        return []
    vals = np.clip(values, -127, 127).astype(np.int8)
    out = {zlib.crc32(vals[i : i + n].tobytes()) for i in range(len(vals) - n + 1)}
    return sorted(out)


def _outer_tracks(record: dict[str, Any], notes: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    tracks = record["tracks"]
    candidates = [
        i for i, (_n, role, _p, is_drum, k) in enumerate(tracks) if k and not is_drum and role not in _EXCLUDED_ROLES
    ]
    if not candidates:
        return None
    roles = {tracks[i][1]: i for i in reversed(candidates)}
    means = {i: float(notes["pitch"][notes["track"] == i].mean()) for i in candidates}
    top = roles.get("soprano", roles.get("melody", max(candidates, key=lambda i: means[i])))
    bottom = roles.get("bass", min(candidates, key=lambda i: means[i]))
    return notes[notes["track"] == top], notes[notes["track"] == bottom]


def chorale_grams(record: dict[str, Any], notes: np.ndarray) -> tuple[list[int], list[int]]:
    outer = _outer_tracks(record, notes)
    if outer is None:
        return [], []
    sop, bass = outer
    if len(sop) == 0:
        return [], []
    end = float(max((sop["onset"] + sop["duration"]).max(), (bass["onset"] + bass["duration"]).max() if len(bass) else 0))
    soprano_line = _merge(_line(sop, end, 0.25)).astype(np.int16)
    sop_grams = _grams(np.diff(soprano_line), SOP_N)
    vert: list[int] = []
    if len(bass) and bass is not sop:
        s8 = _line(sop, end, 0.5)
        b8 = _line(bass, end, 0.5)
        both = (s8 >= 0) & (b8 >= 0)
        v = (s8 - b8)[both]
        if len(v):
            keep = np.ones(len(v), dtype=bool)
            keep[1:] = v[1:] != v[:-1]
            vert = _grams(v[keep], VERT_N)
    return sop_grams, vert


def _containment(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# ------------------------------------------------------------------ grouping
class _Groups:
    def __init__(self, n: int, has_split: list[bool]) -> None:
        self.parent = list(range(n))
        self.splits = [1 if s else 0 for s in has_split]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.splits[ra] and self.splits[rb]:
            return False  # never merge two pieces that both carry a standard split
        self.parent[rb] = ra
        self.splits[ra] += self.splits[rb]
        return True


def _canonical(work_ids: list[str], fallback: str) -> str:
    for prefix in ("bach:R", "bach:BWV"):
        found = sorted(w for w in work_ids if w.startswith(prefix))
        if found:
            return found[0]
    return fallback


def dedupe(records: list[dict[str, Any]], priorities: dict[str, int] | None = None) -> dict[str, int]:
    """Group `records` by work, keep one per group; edit records in place.

    Before: every record's "_" has "raw_work_id" and "raw_split" (what the build gave it).
    After: kept records have work_id, meta["duplicates"] when they have copies; dropped ones
    have "_"]["dropped"] = the kept piece id. Returns counts of matches by kind."""
    priorities = priorities or {}
    n = len(records)
    for r in records:
        r["work_id"] = r["_"]["raw_work_id"]
        r["split"] = r["_"].get("raw_split", "")
        r["meta"].pop("duplicates", None)
        r["_"].pop("dropped", None)
    has_split = [bool(r["_"].get("raw_split")) for r in records]
    groups = _Groups(n, has_split)
    reason: dict[tuple[int, int], str] = {}
    counts: Counter[str] = Counter()

    def link(a: int, b: int, why: str) -> None:
        if groups.find(a) != groups.find(b) and groups.union(a, b):
            reason[(a, b)] = why
            counts[why.split(" ")[0]] += 1

    by_work: dict[str, list[int]] = defaultdict(list)
    by_exact: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        by_work[r["work_id"]].append(i)
        exact = r["_"].get("fp", {}).get("exact")
        if exact:
            by_exact[exact].append(i)
    for members in by_work.values():
        for j in members[1:]:
            link(members[0], j, "work-id")
    for members in by_exact.values():
        for j in members[1:]:
            link(members[0], j, "exact")
    _link_chorales(records, has_split, link)

    # keep one per group
    members_of: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members_of[groups.find(i)].append(i)

    def rank(i: int) -> tuple:
        r = records[i]
        return (
            -priorities.get(r["source"], 0),
            not has_split[i],
            not may_ship(r["license"]),
            -r["_"]["n_notes"],
            r["piece_id"],
        )

    edges_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for (a, b), why in reason.items():
        edges_of[a].append((b, why))
        edges_of[b].append((a, why))
    for members in members_of.values():
        if len(members) == 1:
            continue
        members.sort(key=rank)
        keeper = records[members[0]]

        def match(i: int, k: int = members[0]) -> str:
            edges = edges_of.get(i, [])
            direct = [why for other, why in edges if other == k]
            return (direct or [why for _other, why in edges] or ["group"])[0]

        work_id = _canonical([records[i]["work_id"] for i in members], keeper["work_id"])
        duplicates = []
        for i in members[1:]:
            r = records[i]
            r["_"]["dropped"] = keeper["piece_id"]
            r["work_id"] = work_id
            r["split"] = ""
            duplicates.append(
                {"piece_id": r["piece_id"], "source": r["source"], "path": r["path"], "match": match(i)}
            )
        keeper["work_id"] = work_id
        keeper["meta"]["duplicates"] = duplicates
    return dict(counts)


def _link_chorales(records: list[dict[str, Any]], has_split: list[bool], link) -> None:
    index: dict[int, list[int]] = defaultdict(list)
    sop: dict[int, set[int]] = {}
    vert: dict[int, set[int]] = {}
    for i, r in enumerate(records):
        fp = r["_"].get("fp", {})
        if "sop" in fp:
            sop[i] = set(fp["sop"])
            vert[i] = set(fp.get("vert", ()))
            for g in sop[i]:
                index[g].append(i)
    pairs = []
    for i in sop:
        shared: Counter[int] = Counter()
        for g in sop[i]:
            shared.update(j for j in index[g] if j > i)
        for j, k in shared.items():
            cs = k / min(len(sop[i]), len(sop[j]))
            if cs < SPLIT_VS_OTHER_SOPRANO:
                continue
            cv = _containment(vert[i], vert[j])
            if has_split[i] and has_split[j]:
                continue
            if has_split[i] or has_split[j] or (cs >= OTHER_SOPRANO and cv >= OTHER_VERTICAL):
                pairs.append((cs + cv, cs, cv, i, j))
    pairs.sort(key=lambda p: (-p[0], p[3], p[4]))
    for _score, cs, cv, i, j in pairs:
        a, b = (i, j) if has_split[i] else (j, i)
        link(a, b, f"chorale (soprano {cs:.2f}, outer voices {cv:.2f})")
