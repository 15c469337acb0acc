"""Helpers shared by the metric modules: melody extraction, scales, request field access."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tunesmith.score import Note, Piece, Track, pitch_class_of

EPS = 1e-6

# Semitone steps of each mode's diatonic scale, from its tonic.
MODE_SCALES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "ionian": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),  # natural minor
    "aeolian": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "locrian": (0, 1, 3, 5, 6, 8, 10),
}


def scale_pitch_classes(tonic_pc: int, mode: str = "major", *, raised_6_7: bool = False) -> frozenset[int]:
    """Pitch classes of the diatonic scale of `mode` on `tonic_pc`.

    With `raised_6_7` and a minor mode (minor/aeolian), the raised 6th and 7th degrees
    (melodic / harmonic minor) are added as well.
    """
    mode = (mode or "major").lower()
    if mode not in MODE_SCALES:
        raise ValueError(f"unknown mode {mode!r}; one of {sorted(MODE_SCALES)}")
    steps = set(MODE_SCALES[mode])
    if raised_6_7 and mode in ("minor", "aeolian"):
        steps |= {9, 11}
    return frozenset((tonic_pc + s) % 12 for s in steps)


def sorted_notes(notes: Iterable[Note]) -> list[Note]:
    """Notes by onset, then pitch (low to high)."""
    return sorted(notes, key=lambda n: (n.onset, n.pitch))


def melody_track(piece: Piece) -> Track | None:
    return piece.melody()


def melody_notes(piece: Piece) -> list[Note]:
    """The notes of `piece.melody()` sorted by onset then pitch (may be polyphonic)."""
    track = piece.melody()
    return sorted_notes(track.notes) if track is not None else []


def monophonic(notes: Iterable[Note]) -> list[Note]:
    """A monophonic line: at each onset only the highest note ("skyline"), and each note cut
    at the next onset so that notes never overlap. Returns new Note objects."""
    by_onset: dict[float, Note] = {}
    for n in notes:
        key = round(n.onset, 6)
        if key not in by_onset or n.pitch > by_onset[key].pitch:
            by_onset[key] = n
    line = [by_onset[k] for k in sorted(by_onset)]
    out: list[Note] = []
    for i, n in enumerate(line):
        dur = n.duration
        if i + 1 < len(line):
            dur = min(dur, line[i + 1].onset - n.onset)
        out.append(Note(n.pitch, n.onset, dur, n.velocity))
    return out


def melody_line(piece: Piece) -> list[Note]:
    """`monophonic(melody_notes(piece))`."""
    return monophonic(melody_notes(piece))


def pitched_notes(piece: Piece) -> list[Note]:
    """All notes of all non-drum tracks, sorted."""
    return sorted_notes(n for t in piece.tracks if not t.is_drum for n in t.notes)


def get_field(request: Any, name: str, default: Any = None) -> Any:
    """`request[name]` for a mapping, `request.name` for an object, else `default`."""
    if isinstance(request, Mapping):
        return request.get(name, default)
    return getattr(request, name, default)


def parse_key(key: str | None, mode: str | None = None) -> tuple[int, str] | None:
    """('D', None) -> (2, 'major'); ('A minor', None) -> (9, 'minor'); ('Am', None) -> (9, 'minor');
    an explicit `mode` wins over a mode written in `key`. None if `key` is empty."""
    if not key:
        return None
    text = key.strip()
    parsed_mode = None
    parts = text.split()
    if len(parts) == 2:
        text, parsed_mode = parts[0], parts[1].lower()
    elif len(text) >= 2 and text.endswith("m") and text[:-1] and text[-2] != " ":
        text, parsed_mode = text[:-1], "minor"
    return pitch_class_of(text), (mode or parsed_mode or "major").lower()
