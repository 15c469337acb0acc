"""Random compose requests from a grid, for the evaluation's generated sets.

Each request is drawn independently (seeded) from a per-style grid:

- meter, key, mode, bars and tempo come from a randomly drawn held-out REAL piece of the style
  when there is one (so the generated set has the lengths, meters and keys of the real set it
  is compared with; bars clipped to 4..32, tempo to 40..240 qpm, modes outside tunesmith's list
  -> major), else from `STYLE_GRID`;
- the controls are drawn from the grid: `in_scale` (p = 0.3), a pitch range (the style's
  default or a narrower one, p = 1/2 each), and, for lead sheets, the chord symbols of that
  real piece one per bar (p = 0.5, when it has chords), else a progression from
  `STYLE_GRID[style]["progressions"]` (p = 0.25), else none.

`request_plan(style, n, real, per_request, seed)` returns the requests and how many takes each
gets: `per_request` takes share one request (batched decoding), so n samples need
ceil(n / per_request) requests.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

from tunesmith.score import Piece

STYLE_GRID: dict[str, dict[str, Any]] = {
    "folk": {
        "meters": ["6/8", "4/4", "2/4", "3/4", "9/8"],
        "keys": ["D", "G", "A", "E", "C", "F"],
        "modes": ["major", "major", "minor", "dorian", "mixolydian"],
        "bars": [8, 16, 16, 32],
        "tempo": [90, 110, 120, 140],
        "narrow": (62, 79),
        "progressions": [["D", "G", "A7", "D"], ["G", "C", "D7", "G"], ["Em", "D", "C", "B7"]],
    },
    "chorale": {
        "meters": ["4/4", "3/4"],
        "keys": ["G", "C", "D", "F", "A", "Bb"],
        "modes": ["major", "minor"],
        "bars": [8, 12, 16],
        "tempo": [60, 72, 84],
        "narrow": (43, 79),
        "progressions": [],
    },
    "pop": {
        "meters": ["4/4"],
        "keys": ["C", "G", "D", "F", "A", "Eb"],
        "modes": ["major", "major", "minor"],
        "bars": [8, 16, 32],
        "tempo": [80, 96, 110, 128],
        "narrow": (60, 76),
        "progressions": [["C", "G", "Am", "F"], ["Am", "F", "C", "G"], ["F", "G", "Em", "Am"]],
    },
    "jazz": {
        "meters": ["4/4", "3/4"],
        "keys": ["F", "Bb", "Eb", "C", "G", "Ab"],
        "modes": ["major", "minor"],
        "bars": [8, 16, 32],
        "tempo": [120, 140, 180, 200],
        "narrow": (62, 81),
        "progressions": [
            ["Dm7", "G7", "Cmaj7", "Cmaj7"],
            ["Cm7", "F7", "Bbmaj7", "Ebmaj7"],
            ["Am7b5", "D7", "Gm7", "Gm7"],
        ],
    },
}
MIN_BARS, MAX_BARS = 4, 32


def _bar_chords(piece: Piece, n_bars: int) -> list[str] | None:
    """The piece's chord symbol sounding at each of its first n_bars bar lines (canonical
    spelling), or None when it has no chords or one does not parse."""
    from tunesmith.harmony import normalize_figure
    from tunesmith.tokenizer import split_figure

    if not piece.chords:
        return None
    chords = sorted(piece.chords, key=lambda c: c.onset)
    bars = piece.bars()[:n_bars]
    out = []
    for start in bars:
        current = None
        for c in chords:
            if c.onset <= start + 1e-6:
                current = c
            else:
                break
        if current is None:
            current = chords[0]
        try:
            figure = normalize_figure(current.figure)
            split_figure(figure)
        except ValueError:
            return None
        out.append(figure)
    return out if len(out) == n_bars else None


def random_request(style: str, rng: random.Random, real: Sequence[Piece] = ()) -> Any:
    """One ComposeRequest for `style` (see the module docstring)."""
    from tunesmith.sampling import MAX_TEMPO, MIN_TEMPO, ComposeRequest
    from tunesmith.score import MODES
    from tunesmith.tokenizer import METERS, spell_name

    grid = STYLE_GRID[style]
    meter = rng.choice(grid["meters"])
    key, mode = rng.choice(grid["keys"]), rng.choice(grid["modes"])
    bars = rng.choice(grid["bars"])
    tempo = float(rng.choice(grid["tempo"]))
    source = rng.choice(list(real)) if real else None
    if source is not None:
        ts = source.time_signature
        if f"{ts.numerator}/{ts.denominator}" in METERS:
            meter = f"{ts.numerator}/{ts.denominator}"
        if source.key is not None:
            try:
                key = spell_name(source.key.tonic)
                mode = source.key.mode if source.key.mode in MODES else "major"
            except ValueError:
                pass
        bars = min(MAX_BARS, max(MIN_BARS, source.n_bars))
        tempo = min(240.0, max(40.0, float(source.tempo)))
    tempo = min(MAX_TEMPO, max(MIN_TEMPO, tempo))
    in_scale = rng.random() < 0.3
    narrow = rng.random() < 0.5
    chords = None
    if style != "chorale":
        c = rng.random()
        if c < 0.5 and source is not None:
            chords = _bar_chords(source, bars)
        elif c < 0.75 and grid["progressions"]:
            chords = list(rng.choice(grid["progressions"]))
    request = ComposeRequest(
        style=style, key=key, mode=mode, meter=meter, bars=bars, tempo=tempo, in_scale=in_scale, chords=chords
    )
    if narrow:
        try:
            return ComposeRequest(**{**request.to_dict(), "pitch_range": tuple(grid["narrow"])})
        except ValueError:
            return request
    return request  # the style's default range


def request_plan(
    style: str, n: int, real: Sequence[Piece] = (), per_request: int = 8, seed: int = 0
) -> list[tuple[Any, int]]:
    """[(request, takes)] with takes summing to n; requests drawn with `random.Random((seed, style))`."""
    rng = random.Random(f"{seed}:{style}")
    per_request = max(1, per_request)
    plan = []
    left = n
    for _ in range(math.ceil(n / per_request)):
        k = min(per_request, left)
        plan.append((random_request(style, rng, real), k))
        left -= k
    return plan


def constraint_request(request: Any) -> dict[str, Any]:
    """The request as `metrics.constraints.check_all` reads it: the melody range is the first
    voice's (a chorale's soprano range), chords and in_scale as asked. Style is left out: a
    MIDI or MusicXML file does not record it, so re-reading cannot check it."""
    ranges = request.voice_ranges()
    first = ranges.get("M") or ranges.get("S")
    return {
        "key": request.key,
        "mode": request.mode,
        "meter": request.meter,
        "bars": request.bars,
        "tempo": request.tempo,
        "range": list(first),
        "chords": list(request.chords) if request.chords else None,
        "in_scale": request.in_scale,
    }
