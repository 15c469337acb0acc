"""JSB chorales JSON (czhuang/JSB-Chorales-dataset): `{"train": [...], "valid": [...], "test": [...]}`,
each chorale a list of time steps, each step a list of sounding MIDI pitches.

Grid: `grid` beats per step (jsb-chorales-16th.json / Jsb16thSeparated.json: 0.25;
jsb-chorales-quarter.json: 1.0). `grid=None` picks it from the file name ("quarter" -> 1.0,
else 0.25).

Voices: each step's pitches are sorted high -> low into soprano, alto, tenor, bass. A step
with fewer than four distinct pitches (voices in unison, common in the quarter file) keeps
soprano = highest and bass = lowest and gives each inner voice the pitch nearest its previous
one; an empty step is a rest for all voices.
AMBIGUITY: the grid cannot tell a held note from a repeated one; consecutive steps with the
same pitch in a voice are merged into one held note (so repeated notes are lost).

Meter is 4/4 (not in the data), the key is estimated (`meta["key_estimated"]`) from the chord the
chorale closes on (`harmony.estimate_key_from_close`: a chorale ends on its tonic, or on a minor
key's dominant in a Phrygian close), not from its notes alone. The data has no
bar lines (`meta["bars_from_grid"] = True`): whether the first bar line comes after a one-beat
pickup is inferred from the notes (`pickup_from_notes`, `meta["pickup_beats"]`). Most chorales
begin with one; read from the first step, their strong beats fell on Bach's beats 2 and 4. `split` is
the JSON key; work_id `jsb:{split}:{index}` (the corpus deduplicates against the music21
chorales by content).
"""

from __future__ import annotations

import json
import os

from ..convert import _finish
from ..harmony import estimate_key_from_close
from ..score import Note, Piece, TimeSignature, Track
from . import InputError, check_local_file, piece_stem, read_text

VOICES = ("soprano", "alto", "tenor", "bass")
PROGRAM = 52  # GM "Choir Aahs"


def _voice_steps(steps: list[list[float]]) -> list[list[int | None]]:
    """Per step, the pitch of each of the 4 voices (None: rest)."""
    out: list[list[int | None]] = []
    prev: list[int | None] = [None] * 4
    for step in steps:
        pitches = sorted({int(p) for p in step if p is not None and p == p and 0 <= int(p) <= 127}, reverse=True)
        if not pitches:
            cur: list[int | None] = [None] * 4
        elif len(pitches) >= 4:
            cur = list(pitches[:3]) + [pitches[-1]]
        else:
            cur = [pitches[0], None, None, pitches[-1]]
            inner = pitches if len(pitches) > 1 else pitches
            for v in (1, 2):
                ref = prev[v]
                if ref is None:
                    # no history: spread the inner voices over the available pitches
                    idx = min(v, len(inner) - 1) if v == 1 else max(len(inner) - 2, 0)
                    cur[v] = inner[idx]
                else:
                    cur[v] = min(inner, key=lambda p, r=ref: (abs(p - r), -p))
            if cur[1] is not None and cur[2] is not None and cur[1] < cur[2]:
                cur[1], cur[2] = cur[2], cur[1]
        out.append(cur)
        prev = [c if c is not None else p for c, p in zip(cur, prev)]
    return out


def pickup_from_notes(piece: Piece, bar: float = 4.0) -> float:
    """Beats before a 4/4 chorale's first bar line, 0 or 1, from its notes alone: the offset that
    starts more note-time on beats 1 and 3 (long notes, the fermatas that end phrases, fall on
    strong beats). A 2-beat shift scores alike, and Bach's pickups are one beat or none: of
    music21's 366 barred four-part 4/4 chorales 275 have a one-beat pickup, 94 none, 3 two beats;
    this finds 349 of 366 (`runs/s13/pickup_est.py`, on those files, which train nothing)."""
    scores = []
    for offset in (0.0, 1.0):
        total = 0.0
        for track in piece.tracks:
            for n in track.notes:
                pos = (n.onset - offset) % bar
                if abs(pos - round(pos)) < 1e-6 and round(pos) % 2 == 0:
                    total += n.duration
        scores.append(total)
    return 1.0 if scores[1] > scores[0] else 0.0


def chorale_to_piece(steps: list[list[float]], *, grid: float, **fields: object) -> Piece:
    piece = Piece(**fields)  # type: ignore[arg-type]
    voiced = _voice_steps(steps)
    for v, role in enumerate(VOICES):
        track = Track(name=role.capitalize(), role=role, program=PROGRAM)
        current: Note | None = None
        for i, step in enumerate(voiced):
            p = step[v]
            if current is not None and p == current.pitch:
                current.duration += grid
                continue
            current = None
            if p is not None:
                current = Note(p, i * grid, grid)
                track.notes.append(current)
        piece.tracks.append(track)
    piece.time_signatures = [TimeSignature(0.0, 4, 4)]
    piece.end = len(steps) * grid
    piece.meta["bars_from_grid"] = True
    pickup = pickup_from_notes(piece)
    piece.meta["pickup_beats"] = pickup
    if pickup:  # a short first bar, then whole bars (the last one may be short)
        piece.bar_onsets = [0.0] + [pickup + 4.0 * k for k in range(int((piece.end - pickup - 1e-6) // 4.0) + 1)]
    if piece.n_notes:
        piece.keys = [estimate_key_from_close(piece)]
        piece.meta["key_estimated"] = True
    return _finish(piece)


def read_jsb_json(
    path: str | os.PathLike,
    *,
    grid: float | None = None,
    source: str = "",
    style: str = "chorale",
    license: str = "unknown",
) -> list[Piece]:
    """Every chorale of every split in the file, in file order (train, valid, test)."""
    p = check_local_file(path)
    try:
        data = json.loads(read_text(p))
    except json.JSONDecodeError as e:
        raise InputError(f"{p}: not valid JSON ({e.msg} at line {e.lineno})") from e
    if isinstance(data, dict) and ("takes" in data or "provenance" in data or "tunesmith_version" in data):
        raise InputError(f"{p}: a take's JSON sidecar says how the take was made; read the take's .mid or .musicxml")
    if not isinstance(data, dict) or not any(k in data for k in ("train", "valid", "test")):
        raise InputError(f"{p}: not a JSB chorales file (expected an object with train/valid/test lists)")
    if grid is None:
        grid = 1.0 if "quarter" in p.name.lower() else 0.25
    stem = piece_stem(p, source or "jsb")
    pieces: list[Piece] = []
    for split in ("train", "valid", "test"):
        chorales = data.get(split) or []
        if not isinstance(chorales, list):
            raise InputError(f"{p}: '{split}' is not a list of chorales")
        for index, steps in enumerate(chorales):
            if not isinstance(steps, list) or not all(isinstance(s, list) for s in steps):
                raise InputError(f"{p}: {split}[{index}] is not a list of time steps (lists of MIDI pitches)")
            piece = chorale_to_piece(
                steps,
                grid=grid,
                piece_id=f"{stem}:{split}:{index}",
                work_id=f"jsb:{split}:{index}",
                title=f"JSB chorale {split} {index}",
                path=f"{p}#{split}/{index}",
                source=source,
                style=style,
                license=license,
                split=split,
                meta={"jsb_index": index, "jsb_split": split, "jsb_grid": grid, "file": p.name},
            )
            if piece.n_notes:
                pieces.append(piece)
    if not pieces:
        raise InputError(f"{p}: JSB file holds no chorale with notes")
    return pieces
