"""Edits a musician could make to a take's MIDI file with a MIDI library, for the tests of the
signatures over a file's notes (`test_rights_claims.py`, `test_notes_signature.py`)."""

from __future__ import annotations

from pathlib import Path

import mido


def raise_first_note(path: Path, out: Path, semitones: int = 2) -> Path:
    """A copy of the MIDI file at `path`, written to `out`, whose first note (and its note-off) is
    `semitones` higher."""
    mid = mido.MidiFile(path)
    track = next(t for t in mid.tracks if any(m.type == "note_on" for m in t))
    first = next(i for i, m in enumerate(track) if m.type == "note_on" and m.velocity > 0)
    track[first] = track[first].copy(note=track[first].note + semitones)
    for i in range(first + 1, len(track)):  # its note-off too
        if track[i].type in ("note_off", "note_on") and track[i].note == track[first].note - semitones:
            track[i] = track[i].copy(note=track[i].note + semitones)
            break
    mid.save(out)
    return out
