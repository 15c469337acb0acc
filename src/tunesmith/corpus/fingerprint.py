"""Content fingerprints of a piece, computed in the build's workers (see dedupe.py for how
they are compared). Changing this file invalidates the incremental-build cache; changing the
matching rules in dedupe.py does not.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter
from typing import Any

import numpy as np

MIN_EXACT_NOTES = 12
MIN_GRAMS = 6
SOP_N = 5
VERT_N = 4
MELODY_N = 6  # melody interval n-grams for tune families (dedupe.link_families)
_EXCLUDED_ROLES = ("chords",)


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
    else:
        mel = melody_grams(record, notes)
        if len(mel) >= MIN_GRAMS:
            fp["mel"] = mel
    return fp


def melody_grams(record: dict[str, Any], notes: np.ndarray) -> list[int]:
    """The melody's interval MELODY_N-grams, repeated pitches merged (so a re-rhythmed or
    re-barred version of a tune shares them): the melody as `Piece.melody` chooses it (the
    "melody" track, else "soprano", else the first pitched one), its highest note per onset."""
    tracks = record["tracks"]
    pitched = [i for i, (_n, _role, _p, is_drum, _k) in enumerate(tracks) if not is_drum]
    roles = [tracks[i][1] for i in pitched]
    if not pitched:
        return []
    t = pitched[roles.index("melody")] if "melody" in roles else pitched[roles.index("soprano")] if "soprano" in roles else pitched[0]
    sel = notes[notes["track"] == t]
    if len(sel) == 0:
        return []
    order = np.lexsort((-sel["pitch"].astype(np.int32), sel["onset"]))  # by onset, highest first
    onsets, pitches = np.round(sel["onset"][order], 6), sel["pitch"][order].astype(np.int16)
    first = np.ones(len(onsets), dtype=bool)
    first[1:] = onsets[1:] != onsets[:-1]
    return _grams(np.diff(_merge(pitches[first])), MELODY_N)


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
