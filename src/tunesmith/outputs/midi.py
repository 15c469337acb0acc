"""MIDI writer: `write_midi(piece, path)`, atomic (temp file + os.replace).

One MIDI track per Track with its General MIDI program (a track whose role cannot be guessed
from its name is named "<name> [<role>]"), an extra track comping the chord symbols (program by
style: pop electric piano, jazz piano, folk acoustic guitar) and one for the comping's bass (pop
electric bass, jazz acoustic bass, folk the guitar), and the chord
figures as marker events "chord:<figure>" so `read_midi` recovers them exactly. Key
signature, time signature and tempo meta events; modes other than major/minor, a pickup and
the title travel as markers too (see `tunesmith.convert.to_symusic`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..convert import to_symusic
from ..paths import atomic_write_bytes
from ..score import Piece


def midi_bytes(piece: Piece, *, chord_track: bool = True) -> bytes:
    score = to_symusic(piece)
    if not chord_track:  # neither the chords' comping nor its bass
        from ..convert import COMP_TRACK_NAMES

        keep = [t for t in score.tracks if t.name not in COMP_TRACK_NAMES]
        score.tracks.clear()
        for t in keep:
            score.tracks.append(t)
    if hasattr(score, "dumps_midi"):
        return bytes(score.dumps_midi())
    with tempfile.TemporaryDirectory() as d:  # older symusic: dump to a file
        tmp = Path(d) / "out.mid"
        score.dump_midi(str(tmp))
        return tmp.read_bytes()


def write_midi(piece: Piece, path: str | os.PathLike, *, chord_track: bool = True) -> Path:
    """Write `piece` as a standard MIDI file (type 1, 480 ticks per quarter); returns the path."""
    path = Path(path)
    atomic_write_bytes(path, midi_bytes(piece, chord_track=chord_track))
    return path
