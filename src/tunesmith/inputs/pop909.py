"""POP909 songs: `NNN/NNN.mid` (MELODY, BRIDGE, PIANO tracks) + `chord_midi.txt` +
`beat_midi.txt` + `key_audio.txt` (times in seconds).

Seconds become quarter beats through the MIDI tempo map. Tracks: MELODY -> melody,
BRIDGE -> accompaniment (a secondary melodic line), PIANO -> accompaniment.
Chords: Harte-style labels normalised to lead-sheet figures: "B:maj" -> "B", "A:min7" -> "Am7",
"E:sus4(b7)" -> "E7sus4", "F:hdim7" -> "Fm7b5". Inversions are KEPT as slash chords, the bass
computed from the degree: "C:maj/3" -> "C/E", "A:min/b3" -> "Am/C", "C:7/b7" -> "C7/Bb".
"N" is no chord (a gap). Keys from key_audio.txt ("Gb:maj" -> Gb major) at their onsets.
Meter and bars from beat_midi.txt, not the MIDI (most POP909 files say 1/4): duple songs are
4/4, triple ones 3/4 (`beat_file_meter`); bar onsets are the file's downbeats (music before
the first one is a pickup); the MIDI's signatures stay in `meta["midi_time_signatures"]`.
The songs are copyrighted: pass license="research-only".
"""

from __future__ import annotations

import bisect
import os
import re
from collections import Counter
from pathlib import Path

from ..convert import _finish, from_symusic
from ..harmony import normalize_figure
from ..score import ChordSymbol, KeySignature, Piece, TimeSignature
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


def beat_file_meter(rows: list[list[str]]) -> tuple[int, list[int]] | None:
    """(beats per bar, row indices of the downbeats) from POP909 `beat_midi.txt` rows
    (`time  down2  down4`: one row a quarter beat; column 1 marks every 2nd beat in duple songs,
    every 3rd in triple ones; column 2 every 4th, resp. 6th). Duple songs are 4/4 (column 2's
    downbeats), triple ones 3/4 (column 1's); None when the file shows no regular grouping."""

    def marked(col: int) -> list[int]:
        out = []
        for i, r in enumerate(rows):
            try:
                if len(r) > col and float(r[col]) == 1.0:
                    out.append(i)
            except ValueError:
                continue
        return out

    def usual_gap(idx: list[int]) -> int | None:
        gaps = Counter(b - a for a, b in zip(idx, idx[1:]))
        return gaps.most_common(1)[0][0] if gaps else None

    first = marked(1)
    group = usual_gap(first)
    if group == 2:
        second = marked(2)
        if usual_gap(second) == 4:
            return 4, second
        return 2, first
    if group is not None and 2 <= group <= 8:
        return group, first
    return None


def _set_meter(piece: Piece, beat_rows: list[list[str]], to_q: _TempoMap) -> None:
    """Time signature and bar lines from the beat file: most POP909 MIDI files say 1/4 (or a
    2/4 / 4/4 the beats disagree with). The MIDI's own signatures go to
    `meta["midi_time_signatures"]`; one the beat file agrees with (same bar length, e.g. 6/8
    for three quarter beats a bar) keeps its spelling. Bar onsets are the downbeats, so music
    before the first downbeat is a pickup bar starting at 0."""
    midi_ts = sorted(piece.time_signatures, key=lambda ts: ts.onset)
    if midi_ts:
        piece.meta["midi_time_signatures"] = [f"{ts}@{ts.onset:g}" if ts.onset else str(ts) for ts in midi_ts]
    found = beat_file_meter(beat_rows) if beat_rows else None
    if found is None:
        # no usable beat file: a 1/4 (a bar a beat) is never the song's meter
        if not midi_ts or all(ts.bar_length <= 1.0 + 1e-9 for ts in midi_ts):
            piece.time_signatures = [TimeSignature(0.0, 4, 4)]
            piece.meta["meter_from"] = "default"
        return
    beats_per_bar, down_rows = found
    meter = TimeSignature(0.0, beats_per_bar, 4)
    same = [ts for ts in midi_ts if abs(ts.bar_length - meter.bar_length) < 1e-9 and ts.denominator in (4, 8)]
    if len(midi_ts) == 1 and same:
        meter = TimeSignature(0.0, same[0].numerator, same[0].denominator)
    piece.time_signatures = [meter]
    piece.meta["meter_from"] = "beat_midi.txt"
    downs = [round(to_q(float(beat_rows[i][0])), 3) for i in down_rows]
    downs = sorted({d for d in downs if d >= 0.0})
    if downs:
        piece.bar_onsets = ([0.0] if downs[0] > 1e-3 else []) + downs


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
    _set_meter(piece, _rows(folder / "beat_midi.txt"), to_q)
    piece.end = max(piece.duration(), max((c.onset + (c.duration or 0) for c in chords), default=0.0))
    return [_finish(piece)]


def list_pop909_songs(root: str | os.PathLike) -> list[Path]:
    """Song folders (NNN/) under a POP909 root."""
    return sorted(p for p in Path(root).iterdir() if p.is_dir() and (p / f"{p.name}.mid").exists())
