"""MIDI reader (symusic: ~1-5 ms a file).

One Track per MIDI track with notes, role guessed from the track name ('MELODY' -> melody,
'PIANO' -> accompaniment, 'Soprano' -> soprano, '<name> [<role>]' -> role) or its position (the
first track is the melody). A file with a single pitched track (the irish/ tunes) is one
melody track. Chord symbols, modes, pickup and title come back from the markers that
`tunesmith.outputs.midi.write_midi` writes (see `tunesmith.convert`); a file without key
signature gets an estimated key (`meta["key_estimated"] = True`).
"""

from __future__ import annotations

import os

from ..convert import from_symusic
from ..limits import check_midi_score, check_piece
from ..score import Piece
from . import InputError, check_local_file, name_text, piece_stem


def _chunk_problem(data: bytes) -> str | None:
    """Why a MIDI file's chunks do not add up (a file cut short, a chunk claiming more bytes than
    follow), in words a musician can act on, or None. Asked only after the reader failed: its own
    message ("MiniMidi: Invalid chunk length 127 (remaining bytes after header: 38): iostream
    error") names its internals, not the file's problem."""
    at, k = 0, 0
    while at < len(data):
        if len(data) - at < 8:
            return f"truncated MIDI file: {len(data) - at} stray bytes after chunk {k} (a download or copy cut short?)"
        tag, size = data[at : at + 4], int.from_bytes(data[at + 4 : at + 8], "big")
        name = tag.decode("latin-1") if tag.isascii() and tag.isalpha() else repr(tag)
        if at + 8 + size > len(data):
            return (f"truncated MIDI file: chunk {k + 1} ({name}) says {size} bytes but {len(data) - at - 8} follow "
                    "(a download or copy cut short?)")  # fmt: skip
        at, k = at + 8 + size, k + 1
    return None


def load_symusic(path: str | os.PathLike):
    """symusic Score of a MIDI file; InputError for a file that is not MIDI or is corrupt."""
    import symusic

    p = check_local_file(path)
    data = p.read_bytes()
    if data[:4] != b"MThd":
        raise InputError(f"{p}: not a MIDI file (no 'MThd' header; starts with {data[:4]!r})")
    try:
        # from bytes, not from_file: symusic picks the format from the extension (.abc -> abc2midi)
        score = symusic.Score.from_midi(data)
    except Exception as e:  # noqa: BLE001 - symusic raises RuntimeError/ValueError/IndexError
        why = _chunk_problem(data)  # said in the file's own terms where its chunks show it
        said = why or f"corrupt MIDI file ({str(e).splitlines()[0][:200] if str(e) else type(e).__name__})"
        raise InputError(f"{p}: {said}") from e
    check_midi_score(str(p), score)  # division, tracks, notes, length: before any conversion
    return score


def read_midi(path: str | os.PathLike, *, source: str = "", style: str = "", license: str = "unknown") -> list[Piece]:
    """One Piece for a MIDI file."""
    p = check_local_file(path)
    score = load_symusic(p)
    stem = piece_stem(p, source)
    try:
        piece = from_symusic(
            score,
            piece_id=stem,
            work_id=stem,
            title="",
            path=str(p),
            source=source,
            style=style,
            license=license,
            meta={"file": p.name},
        )
    except (TypeError, IndexError, KeyError, AttributeError, OverflowError, RuntimeError) as e:
        raise InputError(f"{p}: MIDI file cannot be converted ({type(e).__name__}: {e})") from e
    check_piece(piece, str(p))
    if not piece.title:
        piece.title = name_text(p.stem)
    if not piece.tracks and not piece.chords:
        raise InputError(f"{p}: MIDI file has no notes (no note-on that a note-off or a zero-velocity note-on ends)")
    pitched = [t for t in piece.tracks if not t.is_drum]
    if len(pitched) == 1 and pitched[0].role not in ("melody", "soprano"):
        pitched[0].role = "melody"
    return [piece]
