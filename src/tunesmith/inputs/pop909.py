"""POP909 songs: `NNN/NNN.mid` (MELODY, BRIDGE, PIANO tracks) + `chord_midi.txt` +
`beat_midi.txt` + `key_audio.txt` (times in seconds).

Seconds become quarter beats through the MIDI tempo map. Tracks: MELODY -> melody,
BRIDGE -> accompaniment (a secondary melodic line), PIANO -> accompaniment.
Chords: Harte-style labels normalised to lead-sheet figures: "B:maj" -> "B", "A:min7" -> "Am7",
"E:sus4(b7)" -> "E7sus4", "F:hdim7" -> "Fm7b5". Inversions are KEPT as slash chords, the bass
computed from the degree: "C:maj/3" -> "C/E", "A:min/b3" -> "Am/C", "C:7/b7" -> "C7/Bb".
"N" is no chord (a gap). Keys from key_audio.txt ("Gb:maj" -> Gb major) at their onsets;
bars from the beat file's downbeats when they agree with the MIDI meter (pickup kept).
The songs are copyrighted: pass license="research-only".
"""

from __future__ import annotations

import bisect
import os
import re
from pathlib import Path

from ..convert import _finish, from_symusic
from ..harmony import normalize_figure
from ..score import ChordSymbol, KeySignature, Piece
from . import InputError

_HARTE_QUALITY = {
    "maj": "", "min": "m", "7": "7", "maj7": "maj7", "min7": "m7", "dim": "dim", "dim7": "dim7",
    "hdim7": "m7b5", "aug": "aug", "sus2": "sus2", "sus4": "sus4", "sus4(b7)": "7sus4", "maj6": "6",
    "min6": "m6", "9": "9", "maj9": "maj9", "min9": "m9", "minmaj7": "mMaj7", "11": "11", "13": "13",
    "7(b9)": "7b9", "7(#9)": "7#9", "": "",
}
_DEGREE = {"1": 0, "b2": 1, "2": 2, "#2": 3, "b3": 3, "3": 4, "4": 5, "#4": 6, "b5": 6, "5": 7, "#5": 8,
           "b6": 8, "6": 9, "bb7": 9, "b7": 10, "7": 11, "b9": 1, "9": 2, "#9": 3, "11": 5, "#11": 6, "13": 9}
_SHARP_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def harte_to_figure(label: str) -> str | None:
    """Lead-sheet figure of a Harte-style label; None for "N"/"X" (no chord) or unknown labels."""
    label = label.strip()
    if label in ("N", "X", ""):
        return None
    root, _, rest = label.partition(":")
    quality, _, bass = rest.partition("/")
    q = _HARTE_QUALITY.get(quality)
    if q is None:
        return None
    from ..score import pitch_class_of

    try:
        figure = normalize_figure(root + q)
        if bass:
            bass_pc = (pitch_class_of(root) + _DEGREE[bass]) % 12
            figure = normalize_figure(f"{figure}/{_SHARP_NAMES[bass_pc]}")
    except (ValueError, KeyError):
        return None
    return figure


class _TempoMap:
    """Seconds -> quarter beats from a symusic tick score's tempo events."""

    def __init__(self, score) -> None:
        tpq = score.ticks_per_quarter
        tempos = sorted(((int(t.time), int(t.mspq)) for t in score.tempos), key=lambda x: x[0]) or [(0, 500000)]
        if tempos[0][0] != 0:
            tempos.insert(0, (0, 500000))
        self.secs: list[float] = []
        self.quarters: list[float] = []
        self.mspq: list[int] = []
        sec = 0.0
        for i, (tick, mspq) in enumerate(tempos):
            if i:
                prev_tick, prev_mspq = tempos[i - 1]
                sec += (tick - prev_tick) / tpq * prev_mspq / 1e6
            self.secs.append(sec)
            self.quarters.append(tick / tpq)
            self.mspq.append(mspq)

    def __call__(self, seconds: float) -> float:
        i = max(bisect.bisect_right(self.secs, seconds) - 1, 0)
        return self.quarters[i] + (seconds - self.secs[i]) * 1e6 / self.mspq[i]


def _rows(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [ln.split() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]


def read_pop909_song(folder: str | os.PathLike, *, source: str = "pop909", style: str = "pop", license: str = "research-only") -> list[Piece]:
    """One Piece for a POP909 song folder (`NNN/`), or for its `NNN.mid` path."""
    import symusic

    folder = Path(folder)
    if folder.is_file():
        folder = folder.parent
    if "://" in str(folder):
        raise InputError(f"{folder}: URLs are not read; give a local folder")
    mids = sorted(folder.glob("*.mid"))
    mid = folder / f"{folder.name}.mid"
    if not mid.exists():
        if not mids:
            raise InputError(f"{folder}: no POP909 song here (no {folder.name}.mid)")
        mid = mids[0]
    try:
        score = symusic.Score.from_file(str(mid))
    except Exception as e:  # noqa: BLE001
        raise InputError(f"{mid}: corrupt MIDI file ({e})") from e
    to_q = _TempoMap(score)
    song = folder.name
    piece = from_symusic(
        score,
        piece_id=f"{source}:{song}" if source else song,
        work_id=f"pop909:{song}",
        title=f"POP909 {song}",
        path=str(mid),
        source=source,
        style=style,
        license=license,
        meta={"pop909_id": song},
    )
    for track in piece.tracks:
        up = track.name.upper()
        track.role = "melody" if up == "MELODY" else "accompaniment" if up in ("BRIDGE", "PIANO") else track.role
    chords: list[ChordSymbol] = []
    unparsed = 0
    for row in _rows(folder / "chord_midi.txt"):
        if len(row) < 3:
            continue
        start, end = to_q(float(row[0])), to_q(float(row[1]))
        figure = harte_to_figure(row[2])
        if figure is None:
            if row[2] not in ("N", "X"):
                unparsed += 1
            continue
        if chords and chords[-1].figure == figure and abs(chords[-1].onset + (chords[-1].duration or 0) - start) < 1e-3:
            chords[-1].duration = end - chords[-1].onset  # the file splits held chords at beats
            continue
        chords.append(ChordSymbol(round(start, 4), figure, round(end - start, 4)))
    piece.chords = chords
    if unparsed:
        piece.meta["unparsed_chords"] = unparsed
    keys = []
    for row in _rows(folder / "key_audio.txt"):
        if len(row) >= 3:
            m = re.match(r"([A-G][#b]?):(maj|min)", row[2])
            if m:
                keys.append(KeySignature(round(max(to_q(float(row[0])), 0.0), 4), m.group(1), "major" if m.group(2) == "maj" else "minor"))
    if keys:
        keys[0].onset = 0.0
        piece.keys = keys
        piece.meta.pop("key_estimated", None)
    beats = _rows(folder / "beat_midi.txt")
    if beats and piece.time_signatures:
        bar_len = piece.time_signature.bar_length
        col = 1 if abs(bar_len - 2.0) < 1e-6 else 2 if abs(bar_len - 4.0) < 1e-6 else None
        if col is not None:
            downs = [round(to_q(float(r[0])), 3) for r in beats if len(r) > col and float(r[col]) == 1.0]
            if downs:
                piece.bar_onsets = ([0.0] if downs[0] > 1e-3 else []) + downs
    piece.end = max(piece.duration(), max((c.onset + (c.duration or 0) for c in chords), default=0.0))
    return [_finish(piece)]


def list_pop909_songs(root: str | os.PathLike) -> list[Path]:
    """Song folders (NNN/) under a POP909 root."""
    return sorted(p for p in Path(root).iterdir() if p.is_dir() and (p / f"{p.name}.mid").exists())
