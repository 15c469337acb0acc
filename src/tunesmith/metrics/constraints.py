"""Checks that a composed piece, as RE-READ from the written file, does what the request asked.

Each `check_*(piece, request)` is a pure function returning a list of human-readable violations
(empty: satisfied). `request` is a plain dict or any object with the attributes
style, key, mode, meter, bars, tempo, range (low, high MIDI), chords, in_scale; a field that is
missing or None is not checked. These are acceptance checks of our own compose requests, not a
published metric: the definitions are the plain reading of each request field.

Field meanings:

- key: tonic name ("D", "Bb", "F#"), optionally with a mode ("A minor", "Am"); mode: one of
  score.MODES (default major).
- meter: "3/4"; every time signature of the piece must equal it.
- bars: number of whole bars, `len(piece.bars())` less a pickup (a first bar shorter than the
  meter's bar, `pickup_bars`), as a musician counts them: a pickup and 16 bars are 16 bars.
- tempo: quarter notes per minute; every tempo mark must be within `tempo_tolerance` (0.5 qpm:
  MIDI stores microseconds per quarter, so a round trip is not exact).
- range: (low, high) inclusive MIDI pitches for the melody (`Piece.melody()`).
- in_scale: when true, every melody note's pitch class is in the key's diatonic scale; in minor
  the raised 6th and 7th degrees are allowed too.
- chords: one entry per bar, cycling over the piece: bar i must carry exactly the chord symbols of
  chords[i % len(chords)], each at its place and with its figure exactly: one chord at the bar
  line, or a bar's several chords where `sampling.request.bar_chord_ticks` places them in the
  meter ('Dm7 G7' in 4/4: beats 1 and 3); where N.C. is asked, no chord may sound (the chord
  before it ends there). A string is read as `compose --chords` reads it
  (`sampling.request.chords_per_bar`: one a bar, or bars between '|').
- style: equals piece.style.
- rhythm_grid: ticks (12 a quarter note; 6: "an eighth", `controls.SHORTEST`); when set, every
  note of every track starts and ends on that grid, counted from the piece's start.
"""

from __future__ import annotations

from typing import Any

from tunesmith.metrics._common import EPS, get_field, melody_notes, parse_key, pitched_notes, scale_pitch_classes
from tunesmith.score import PITCH_CLASS_NAMES, ChordSymbol, Piece


def _notes_for(piece: Piece, all_tracks: bool):
    return pitched_notes(piece) if all_tracks else melody_notes(piece)


def check_style(piece: Piece, request: Any) -> list[str]:
    """piece.style must equal request.style."""
    style = get_field(request, "style")
    if style is None or piece.style == style:
        return []
    return [f"style is {piece.style!r}, requested {style!r}"]


def _requested_key(request: Any) -> tuple[int, str] | None:
    return parse_key(get_field(request, "key"), get_field(request, "mode"))


def check_key(piece: Piece, request: Any) -> list[str]:
    """The piece's key signatures must all have the requested tonic (pitch class) and mode."""
    wanted = _requested_key(request)
    if wanted is None:
        return []
    tonic, mode = wanted
    if not piece.keys:
        return [f"no key in the piece, requested {PITCH_CLASS_NAMES[tonic]} {mode}"]
    out = []
    for k in piece.keys:
        if k.tonic_pc != tonic or k.mode.lower() != mode:
            out.append(f"key {k.tonic} {k.mode} at beat {k.onset:g}, requested {PITCH_CLASS_NAMES[tonic]} {mode}")
    return out


def check_range(piece: Piece, request: Any, *, all_tracks: bool = False) -> list[str]:
    """Every melody note (every pitched note with all_tracks) within [low, high] inclusive."""
    rng = get_field(request, "range")
    if rng is None:
        return []
    low, high = int(rng[0]), int(rng[1])
    return [
        f"note {n.pitch} at beat {n.onset:g} outside range {low}..{high}"
        for n in _notes_for(piece, all_tracks)
        if not low <= n.pitch <= high
    ]


def check_in_scale(piece: Piece, request: Any, *, all_tracks: bool = False) -> list[str]:
    """With request.in_scale true: every melody note's pitch class in the requested key's scale
    (minor: raised 6th and 7th allowed). Without a requested key, the piece's own key is used."""
    if not get_field(request, "in_scale"):
        return []
    wanted = _requested_key(request)
    if wanted is None:
        if piece.key is None:
            return ["in_scale requested but neither the request nor the piece has a key"]
        wanted = (piece.key.tonic_pc, piece.key.mode)
    tonic, mode = wanted
    scale = scale_pitch_classes(tonic, mode, raised_6_7=True)
    return [
        f"note {n.pitch} ({PITCH_CLASS_NAMES[n.pitch % 12]}) at beat {n.onset:g} not in {PITCH_CLASS_NAMES[tonic]} {mode}"
        for n in _notes_for(piece, all_tracks)
        if n.pitch % 12 not in scale
    ]


def pickup_bars(piece: Piece) -> int:
    """1 when the piece starts with a pickup (`Piece.pickup_beats`), else 0: the bars not counted."""
    return int(piece.pickup_beats() > 0)


def check_bars(piece: Piece, request: Any) -> list[str]:
    """The piece's bars less a pickup must equal request.bars."""
    bars = get_field(request, "bars")
    pickup = pickup_bars(piece)
    whole = piece.n_bars - pickup
    if bars is None or whole == int(bars):
        return []
    return [f"{whole} bars{' after a pickup' if pickup else ''}, requested {int(bars)}"]


def _meter_text(meter: Any) -> str:
    if isinstance(meter, (tuple, list)):
        return f"{int(meter[0])}/{int(meter[1])}"
    return str(meter).replace(" ", "")


def check_meter(piece: Piece, request: Any) -> list[str]:
    """Every time signature of the piece equals request.meter ("6/8"); a piece without one is 4/4."""
    meter = get_field(request, "meter")
    if meter is None:
        return []
    wanted = _meter_text(meter)
    signatures = piece.time_signatures or [piece.time_signature]
    return [f"meter {ts} at beat {ts.onset:g}, requested {wanted}" for ts in signatures if str(ts) != wanted]


def check_tempo(piece: Piece, request: Any, *, tempo_tolerance: float = 0.5) -> list[str]:
    """Every tempo mark within `tempo_tolerance` qpm of request.tempo (no mark: 120 qpm)."""
    tempo = get_field(request, "tempo")
    if tempo is None:
        return []
    marks = [(t.onset, t.qpm) for t in piece.tempos] or [(0.0, piece.tempo)]
    return [
        f"tempo {qpm:g} at beat {onset:g}, requested {float(tempo):g}"
        for onset, qpm in marks
        if abs(qpm - float(tempo)) > tempo_tolerance
    ]


def requested_chords(request: Any) -> list[str] | None:
    """The request's chords, one entry a bar ('Dm7 G7' for a bar of two)."""
    from tunesmith.sampling.request import chords_per_bar

    chords = get_field(request, "chords")
    if chords is None:
        return None
    if isinstance(chords, str):
        return chords_per_bar(chords)
    return [" ".join(str(c).split()) for c in chords]


def check_chords(piece: Piece, request: Any) -> list[str]:
    """Bar i carries exactly the chord symbols of chords[i % len], each where it was placed (one: at
    the bar line), and no chord sounds where N.C. was asked; bar 0 is the first whole bar (a pickup
    before it carries none)."""
    from tunesmith.convert.common import chord_durations
    from tunesmith.sampling.request import NO_CHORD, bar_chord_ticks
    from tunesmith.tokenizer import TICKS_PER_BEAT

    chords = requested_chords(request)
    if not chords:
        return []
    ts = piece.time_signature
    meter = get_field(request, "meter") or f"{ts.numerator}/{ts.denominator}"
    bars = piece.bars()[pickup_bars(piece) :]
    end = piece.duration()
    out = []
    timed = chord_durations([ChordSymbol(c.onset, c.figure, c.duration) for c in piece.chords], end)
    for i, start in enumerate(bars):
        stop = bars[i + 1] if i + 1 < len(bars) else max(end, start + EPS)
        in_bar = sorted((c for c in piece.chords if start - EPS <= c.onset < stop - EPS), key=lambda c: c.onset)
        entry = chords[i % len(chords)]
        placed = [(start + tick / TICKS_PER_BEAT, figure) for tick, figure in bar_chord_ticks(entry, meter)]
        for onset, _ in (x for x in placed if x[1] == NO_CHORD):
            out.extend(f"bar {i + 1}: chord {c.figure} sounds at beat {onset:g}, where N.C. was requested"
                       for c in timed if c.onset < onset - EPS and c.onset + (c.duration or 0.0) > onset + EPS)  # fmt: skip
        expected = [x for x in placed if x[1] != NO_CHORD]
        if len(in_bar) != len(expected):
            figures = " ".join(c.figure for c in in_bar) or "none"
            what = "one" if len(expected) == 1 else str(len(expected))
            out.append(f"bar {i + 1}: {len(in_bar)} chord symbols ({figures}), requested {what}: {entry}")
            continue
        for c, (onset, figure) in zip(in_bar, expected):
            if abs(c.onset - onset) > EPS:
                place = f"on the bar line {onset:g}" if onset == start else f"at beat {onset:g}"
                out.append(f"bar {i + 1}: chord {c.figure} at beat {c.onset:g}, not {place}")
            if c.figure.strip() != figure:
                out.append(f"bar {i + 1}: chord {c.figure}, requested {figure}")
    outside = [c for c in piece.chords if c.onset < bars[0] - EPS]
    out.extend(f"chord {c.figure} at beat {c.onset:g} before the first bar" for c in outside)
    return out


def check_shortest(piece: Piece, request: Any) -> list[str]:
    """Notes off the request's rhythm grid (the shortest note asked), at most 5 named."""
    grid = get_field(request, "rhythm_grid")
    if not grid:
        return []
    step = grid / 12  # beats
    off = [n for n in pitched_notes(piece) if any(abs(x / step - round(x / step)) > EPS for x in (n.onset, n.duration))]
    return [f"note {n.pitch} at beat {n.onset:g} lasting {n.duration:g} is off the {step:g}-beat grid" for n in off[:5]]


def check_voice_ranges(piece: Piece, request: Any) -> list[str]:
    """A chorale's notes outside the range asked for their voice (`satb_ranges`: {"T": [low, high]}),
    at most 5 named."""
    ranges = get_field(request, "satb_ranges")
    if not ranges:
        return []
    roles = {"S": "soprano", "A": "alto", "T": "tenor", "B": "bass"}
    out = []
    for v, (low, high) in ranges.items():
        for track in piece.tracks:
            if track.role == roles.get(str(v)[:1].upper()):
                out.extend(f"{track.role} note {n.pitch} at beat {n.onset:g} outside its range {low}..{high}"
                           for n in track.notes if not low <= n.pitch <= high)  # fmt: skip
    return out[:5]


CHECKS = (check_style, check_key, check_meter, check_tempo, check_bars, check_range, check_in_scale, check_chords,
          check_shortest, check_voice_ranges)  # fmt: skip


def check_all(piece: Piece, request: Any) -> list[str]:
    """Every check above, in that order, concatenated."""
    out: list[str] = []
    for check in CHECKS:
        out.extend(check(piece, request))
    return out


__all__ = [
    "CHECKS",
    "check_all",
    "check_bars",
    "check_chords",
    "check_in_scale",
    "check_key",
    "check_meter",
    "check_range",
    "check_shortest",
    "check_style",
    "check_tempo",
    "check_voice_ranges",
    "requested_chords",
]
