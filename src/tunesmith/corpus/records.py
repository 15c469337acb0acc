"""Compact form of a Piece: JSON-able metadata plus one numpy array of notes.

This is what worker processes send back to the build, what deduplication and splitting
look at, and what the cache stores on disk (pieces.jsonl + notes.npy). A record is a plain
dict; its notes live in a structured array with one row per note (NOTE_DTYPE), in track
order, so that `record_to_piece(piece_to_record(p)) == p` for every valid piece whose meta
is JSON (tuples become lists, other objects become strings: `clean_meta`).

Fields of a record that are not Piece fields sit under the key "_" (file, counts, the
reader's own work id and split, fingerprints, whether deduplication dropped it).
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

NOTE_DTYPE = np.dtype(
    [("onset", "<f8"), ("duration", "<f8"), ("pitch", "u1"), ("velocity", "u1"), ("track", "<u2")]
)

# Piece fields stored as they are (JSON scalars / lists of scalars).
_PLAIN_FIELDS = ("piece_id", "work_id", "title", "style", "source", "path", "license", "end", "split")


def clean_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """`meta` as JSON would give it back: tuples -> lists, numpy scalars -> numbers, others -> str."""

    def default(obj: Any) -> Any:
        if isinstance(obj, np.generic):
            return obj.item()
        if isinstance(obj, (set, frozenset)):
            return sorted(obj, key=str)
        return str(obj)

    return json.loads(json.dumps(meta, default=default, allow_nan=False, sort_keys=False))


def piece_to_record(piece: Piece) -> tuple[dict[str, Any], np.ndarray]:
    """(record, notes) for `piece`; ValueError naming the piece if something cannot be stored."""
    where = piece.path or piece.piece_id
    n_total = piece.n_notes
    notes = np.empty(n_total, dtype=NOTE_DTYPE)
    tracks = []
    i = 0
    for t_index, track in enumerate(piece.tracks):
        k = len(track.notes)
        if k:
            block = notes[i : i + k]
            block["onset"] = [n.onset for n in track.notes]
            block["duration"] = [n.duration for n in track.notes]
            pitches = [n.pitch for n in track.notes]
            velocities = [n.velocity for n in track.notes]
            if min(pitches) < 0 or max(pitches) > 127:
                raise ValueError(f"{where}: track {track.name!r} has a pitch outside 0..127")
            if min(velocities) < 0 or max(velocities) > 127:
                raise ValueError(f"{where}: track {track.name!r} has a velocity outside 0..127")
            block["pitch"] = pitches
            block["velocity"] = velocities
            block["track"] = t_index
        tracks.append([track.name, track.role, int(track.program), bool(track.is_drum), k])
        i += k
    if n_total and not (np.isfinite(notes["onset"]).all() and np.isfinite(notes["duration"]).all()):
        raise ValueError(f"{where}: a note has a non-finite onset or duration")
    record: dict[str, Any] = {f: getattr(piece, f) for f in _PLAIN_FIELDS}
    record["end"] = float(piece.end)
    record["tracks"] = tracks
    record["chords"] = [[float(c.onset), c.figure, None if c.duration is None else float(c.duration)] for c in piece.chords]
    record["keys"] = [[float(k.onset), k.tonic, k.mode] for k in piece.keys]
    record["time_signatures"] = [[float(t.onset), int(t.numerator), int(t.denominator)] for t in piece.time_signatures]
    record["tempos"] = [[float(t.onset), float(t.qpm)] for t in piece.tempos]
    record["bar_onsets"] = [float(b) for b in piece.bar_onsets]
    for value in (record["end"], *(c[0] for c in record["chords"]), *record["bar_onsets"]):
        if not math.isfinite(value):
            raise ValueError(f"{where}: non-finite time {value}")
    record["meta"] = clean_meta(piece.meta)
    if piece.fermatas:  # (most pieces have none: no empty list in every record)
        record["fermatas"] = [float(f) for f in piece.fermatas]
    record["_"] = {"n_notes": n_total, "n_bars": piece.n_bars}
    return record, notes


def record_to_piece(record: dict[str, Any], notes: np.ndarray) -> Piece:
    """The Piece a record (and its slice of the notes array) stands for."""
    onsets = notes["onset"].tolist()
    durations = notes["duration"].tolist()
    pitches = notes["pitch"].tolist()
    velocities = notes["velocity"].tolist()
    tracks = []
    i = 0
    for name, role, program, is_drum, k in record["tracks"]:
        track_notes = [
            Note(pitches[j], onsets[j], durations[j], velocities[j]) for j in range(i, i + k)
        ]
        tracks.append(Track(name=name, role=role, program=program, is_drum=is_drum, notes=track_notes))
        i += k
    return Piece(
        piece_id=record["piece_id"],
        work_id=record["work_id"],
        title=record["title"],
        style=record["style"],
        source=record["source"],
        path=record["path"],
        license=record["license"],
        tracks=tracks,
        chords=[ChordSymbol(o, f, d) for o, f, d in record["chords"]],
        keys=[KeySignature(o, t, m) for o, t, m in record["keys"]],
        time_signatures=[TimeSignature(o, n, d) for o, n, d in record["time_signatures"]],
        tempos=[Tempo(o, q) for o, q in record["tempos"]],
        bar_onsets=list(record["bar_onsets"]),
        end=record["end"],
        split=record["split"],
        meta=dict(record["meta"]),
        fermatas=list(record.get("fermatas", ())),
    )


def public_record(record: dict[str, Any]) -> dict[str, Any]:
    """The record without its internal "_" part (for printing)."""
    return {k: v for k, v in record.items() if k != "_"}
