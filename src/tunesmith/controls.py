"""The controls a musician gives the API and the CLI (style, key, mode, meter, tempo, chords,
range, pickup ...): read, checked and settled before any work, into the `sampling.ComposeRequest`
that `compose` sends (`compose_request`). Each bad control is one `ValueError` naming it. Split
from api.py (session 40), which re-exports the public names; co-create reads its style, key and
range here too."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from tunesmith.score import STYLES, meter_of
from tunesmith.tokenizer import TICKS_PER_BEAT

# What `compose` uses when a control is not given (the CLI's defaults are these too).
STYLE_DEFAULTS: dict[str, dict[str, Any]] = {
    "folk": {"meter": "6/8", "tempo": 110.0, "key": "D"},
    "chorale": {"meter": "4/4", "tempo": 72.0, "key": "G"},
    "pop": {"meter": "4/4", "tempo": 96.0, "key": "C"},
    "jazz": {"meter": "4/4", "tempo": 140.0, "key": "F"},
}


def style_of(style: str | None, *, default: str | None = None) -> str | None:
    """'Folk' -> 'folk'; ValueError for an unknown style; None -> `default`."""
    if style is None:
        return default
    s = str(style).strip().lower()
    if s not in STYLES:
        raise ValueError(f"unknown style {style!r}; one of {', '.join(STYLES)}")
    return s


def _key(key: str | None, mode: str | None) -> tuple[str | None, str | None]:
    from tunesmith.cli._common import parse_key

    if key is not None and not isinstance(key, str):
        raise ValueError(f"key must be a name such as 'D', 'Bb' or 'g minor', got {key!r}")
    if mode is not None and not isinstance(mode, str):
        raise ValueError(f"mode must be a name such as 'major' or 'dorian', got {mode!r}")
    return parse_key(key, mode.lower() if isinstance(mode, str) else mode)


def _range(pitch_range: Any) -> tuple[int, int] | None:
    from tunesmith.cli._common import parse_range

    if pitch_range is None or isinstance(pitch_range, str):
        return parse_range(pitch_range)
    try:
        low, high = pitch_range
        if any(isinstance(x, bool) or not isinstance(x, int | float) or x != int(x) for x in (low, high)):
            raise ValueError  # (60.5, 70) had been read as (60, 70) without a word
        low, high = int(low), int(high)
    except (TypeError, ValueError):
        raise ValueError(f"pitch_range must be 'C4:G5' or two MIDI numbers (low, high), got {pitch_range!r}") from None
    return parse_range(f"{low}:{high}")


def satb_ranges(ranges: Any) -> dict[str, tuple[int, int]] | None:
    """A chorale's voices' own ranges: "T=C3:E4, B=F2:D4" (voices S, A, T, B or their names, each
    LOW:HIGH as `--range` writes it; commas or spaces between), or a dict of such ranges or of
    (low, high) MIDI numbers; None: the textbook ranges. The voices and bounds are checked by
    `ComposeRequest` (`sampling.request._checked_satb_ranges`)."""
    if ranges is None:
        return None
    if isinstance(ranges, str):
        items = {}
        for word in ranges.replace(",", " ").split():
            name, eq, bounds = word.partition("=")
            if not eq or not name or not bounds:
                raise ValueError(f"voice ranges {ranges!r}: write each as VOICE=LOW:HIGH, e.g. T=C3:E4,B=F2:D4")
            items[name] = bounds
        ranges = items
    if not isinstance(ranges, dict) or not ranges:
        raise ValueError(f"voice ranges must be 'T=C3:E4,B=F2:D4' or a dict of voice ranges, got {ranges!r}")
    out = {}
    for name, bounds in ranges.items():
        try:
            out[name] = _range(bounds)
        except ValueError as e:
            raise ValueError(f"voice range {name}: {e}") from None
    return out


def _chords(chords: str | Sequence[str] | None) -> list[str] | None:
    from tunesmith.cli._common import parse_chords
    from tunesmith.sampling.request import written_bars

    if chords is None or isinstance(chords, str):
        return parse_chords(chords)
    if not isinstance(chords, list | tuple):  # compose(chords=5) had been "'int' object is not iterable"
        raise TypeError(f"chords must be chord symbols: a string ('Dm7 G7 Cmaj7') or a list of them, not {chords!r}")
    return written_bars([" ".join(str(c).split()) for c in chords]) or None


def qpm_of(tempo: float, meter: str) -> float:
    """Quarter notes per minute of `tempo` beats per minute in `meter` (6/8: x1.5, 2/2: x2)."""
    try:
        tempo = float(tempo)
    except (TypeError, ValueError):
        raise ValueError(f"tempo must be a number, got {tempo!r}") from None
    try:
        beat = meter_of(meter).beat_length
    except (ValueError, ZeroDivisionError):
        return tempo  # the request names the bad meter
    return round(tempo * beat, 6)


def _counts_eighths(meter: str) -> bool:
    """Whether `meter`'s beat is an eighth (5/8, 7/8: an eighth-note meter that is not compound)."""
    try:
        return meter_of(meter).beat_length == 0.5
    except (ValueError, ZeroDivisionError):
        return False


# The bars a take of a style has when none are asked for. A folk tune is 32 (two 8-bar strains,
# each played twice, AABB, as the dances and the corpus's tunes are): at 16 its strains were 4
# bars and the B strain sang the A strain's notes at 0.61 of its places (40 takes), against 0.31
# in the valid split's AABB tunes of 32 bars; at 32, 0.34
# (docs/notes/2026-12-05-session-44/strain_contrast.py).
DEFAULT_BARS = {"folk": 32}


def default_bars(chart: list[str] | None, style: str = "") -> int:
    """The bars a take has when none are asked for: the style's (`DEFAULT_BARS`, else 16), or over
    a chart of chords (`--chords`) of 8 bars or more the chart once through (a 12-bar blues had
    been 16 bars: a chorus and a third, ending in its fifth bar), and over a shorter one (a loop)
    as many times through as reach 16."""
    from tunesmith.sampling.request import MAX_REQUEST_BARS

    if not chart:
        return DEFAULT_BARS.get(style, 16)
    n = len(chart)
    return min(n if n >= 8 else -(-16 // n) * n, MAX_REQUEST_BARS)


def compose_request(
    style: str = "folk",
    *,
    key: str | None = None,
    mode: str | None = None,
    meter: str | None = None,
    bars: int | None = None,
    tempo: float | None = None,
    chords: str | Sequence[str] | None = None,
    pitch_range: Any = None,
    in_scale: bool = False,
    temperature: float | None = None,
    top_p: float | None = None,
    rhythm_temperature: float | None = None,
    rest_penalty: float = 2.0,
    chords_optional: bool = False,
    seed: int | None = None,
    form: str | None = None,
    cadence: str | None = None,
    chords_from: str | None = None,
    tonal_feedback: float | None = None,
    rhythm_feedback: float | None = None,
    interval_feedback: float | None = None,
    modulation: str | None = None,
    pickup: float | None = None,
    dance: str | None = None,
    chord_rhythm: str | None = None,
    shortest: str | None = None,
    texture: str | None = None,
    voice_ranges: Any = None,
):
    """The validated `sampling.ComposeRequest` that `compose` (and `tunesmith compose`) sends.

    Missing controls come from `STYLE_DEFAULTS`, except the key: with `chords` and no `key` it
    is read from the chords (`harmony.estimate_key_from_chords`: "Dm7 G7 Cmaj7" is C major)."""
    from tunesmith.sampling import MAX_TEMPO, MIN_TEMPO, ComposeRequest

    style = style_of(style)
    defaults = STYLE_DEFAULTS.get(style, {})
    tonic, mode = _key(key, mode)
    _check_key_signature(tonic, mode)
    figures = _chords(chords)
    # these steer only the composer's own chord symbols: with the musician's chords (or in a
    # chorale, which writes none) they had been dropped without a word
    if chords_from is not None and figures:
        raise ValueError(f"--chords-from {chords_from}: the chords are yours (--chords); leave out one of them")
    if chords_from is not None and style == "chorale":
        raise ValueError("--chords-from is for lead sheets (folk, pop, jazz); a chorale's harmony is its four voices")
    if chord_rhythm is not None:
        # one chord a bar: the harmonizer names it for the bar's whole melody (`ComposeRequest.chord_rhythm`)
        chord_rhythm = str(chord_rhythm).strip().lower()
        if figures:
            raise ValueError("--chord-rhythm: the chords are yours (--chords), in your rhythm; "
                             "leave out one of them")  # fmt: skip
        if style == "chorale":
            raise ValueError("--chord-rhythm is for lead sheets (folk, pop, jazz); a chorale's harmony is its four voices")
        if chords_from in ("model", "none"):
            raise ValueError("--chord-rhythm: the harmonizer names one chord a bar; --chords-from "
                             f"{chords_from} writes no harmonizer's chords (leave it out, or give --chords-from harmonizer)")
        chords_from = "harmonizer"
    if chords_optional and figures:
        raise ValueError("--chords-optional: every bar has one of your --chords; leave out one of them")
    if tonic is None and figures:
        from tunesmith.harmony import estimate_key_from_chords
        from tunesmith.sampling.request import sounding_figures

        if not sounding_figures(figures):  # said as the request says it, not as the key's inference fails
            raise ValueError("chords: every bar is N.C. (no chord); give some chords, or compose without --chords")
        inferred = estimate_key_from_chords(sounding_figures(figures))
        tonic, mode = inferred.tonic, mode or inferred.mode
    dance_qpm = None
    if dance is not None:  # a dance's own meter (a jig's 6/8), speed (a reel's) and length (AABB of 8 bars)
        from tunesmith.sampling.request import DANCE_BARS, DANCE_METERS, DANCE_TEMPOS_QPM

        name = str(dance).strip().lower().replace(" ", "-").replace("_", "-")
        meter = meter or DANCE_METERS.get(name, (None,))[0]
        dance_qpm = DANCE_TEMPOS_QPM.get(name)
    if bars is None:
        bars = DANCE_BARS if dance is not None else default_bars(figures, style)
    meter = meter or defaults.get("meter", "4/4")
    from tunesmith.tokenizer import METERS

    if isinstance(meter, tuple | list) and len(meter) == 2:
        meter = f"{meter[0]}/{meter[1]}"
    meter = str(meter).replace(" ", "")
    from tunesmith.sampling.request import meter_refusal

    if meter not in METERS:  # before the tempo, which is counted in its beats ("tempo 110 out of bounds
        # 5120..102400 beats per minute in 4/1024" had answered --meter 4/1024)
        raise ValueError(meter_refusal(meter))
    _check_pickup_grid(style, meter, pickup)
    grid = _shortest_grid(shortest, pickup)
    if tempo is not None:
        beats_per_minute = tempo
    elif dance_qpm is not None:
        beats_per_minute = dance_qpm / meter_of(meter).beat_length
    else:
        beats_per_minute = defaults.get("tempo", 120.0)
        if _counts_eighths(meter):
            # 5/8 and 7/8 are counted in eighths: the style's tempo in beats would be a dirge (folk at
            # 110 eighths, 55 quarters a minute); its quarter notes become two eighths each
            beats_per_minute *= 2
    qpm = qpm_of(beats_per_minute, meter)
    if not MIN_TEMPO <= qpm <= MAX_TEMPO:  # said in the beats the musician counts, not in quarter notes
        try:
            beat = meter_of(meter).beat_length
        except (ValueError, ZeroDivisionError):
            beat = 1.0  # (the bounds in quarter notes; the request names the bad meter)
        raise ValueError(f"tempo {float(beats_per_minute):g} out of bounds {round(MIN_TEMPO / beat, 1):g}.."
                         f"{round(MAX_TEMPO / beat, 1):g} beats per minute in {meter}")  # fmt: skip
    request = ComposeRequest(
        style=style,
        key=tonic or defaults.get("key", "C"),
        mode=mode or "major",
        meter=meter,
        bars=bars,
        tempo=qpm_of(beats_per_minute, meter),
        pitch_range=_range(pitch_range),
        chords=figures,
        in_scale=in_scale,
        temperature=temperature,
        top_p=top_p,
        rhythm_temperature=rhythm_temperature,
        rest_penalty=rest_penalty,
        chord_every_bar=not chords_optional,
        seed=seed,
        form=form,
        cadence=cadence.lower() if isinstance(cadence, str) else cadence,  # choices take any case
        chords_from=chords_from,
        chord_rhythm=chord_rhythm,
        tonal_feedback=tonal_feedback,
        rhythm_feedback=rhythm_feedback,
        interval_feedback=interval_feedback,
        modulation=modulation,
        pickup=pickup,
        dance=dance,
        rhythm_grid=grid,
        texture=texture,
        satb_ranges=satb_ranges(voice_ranges),
    )
    if request.in_scale and request.chords:
        _check_chords_in_scale(request)
    return request


def _check_key_signature(tonic: str | None, mode: str | None) -> None:
    """A key no signature holds is refused, naming the key that sounds the same: --key A# had
    written <fifths>10</fifths>, which MuseScore drew as seven sharps over notes and chord symbols
    spelled with double sharps (C##m, F##m)."""
    from tunesmith.convert.common import _raw_sharps
    from tunesmith.score import KeySignature

    if tonic is None or tonic[0].upper() not in "ABCDEFG":
        return
    mode = mode or "major"
    fifths = _raw_sharps(KeySignature(0.0, tonic, mode))  # the signature the tonic's spelling implies, unbounded
    if abs(fifths) > 7:
        from tunesmith.score import pitch_class_of
        from tunesmith.tokenizer import spell_tonic

        same = spell_tonic(pitch_class_of(tonic), mode)
        raise ValueError(f"key {tonic} {mode} needs {abs(fifths)} {'sharps' if fifths > 0 else 'flats'}, more than a "
                         f"key signature holds; ask for {same} {mode}, which sounds the same")  # fmt: skip


# `shortest`: the shortest note or rest a take may hold, as the grid every note and rest starts and
# ends on (ticks; `ComposeRequest.rhythm_grid`): no shorter value, no triplet. An ear-training
# teacher asked for rhythm levels: beginners' sight-singing in eighths and longer. A quarter-note
# grid is not offered: the drawn endings (a last note's approach, its length) left notes off it in
# 12 of 48 takes, where the eighth and sixteenth grids held in all of 19,603 and 11,785 notes
# (14 kinds of request: styles, meters, dances, a loop, given chords; session 50's note).
SHORTEST = {"eighth": TICKS_PER_BEAT // 2, "sixteenth": TICKS_PER_BEAT // 4}


def _shortest_grid(shortest: Any, pickup: Any) -> int:
    """The rhythm grid (ticks) of `shortest` ("eighth", "sixteenth"; any case; None: 0, any length),
    with a given pickup on it; ValueError naming the problem."""
    if shortest is None:
        return 0
    name = str(shortest).strip().lower() if isinstance(shortest, str) else shortest
    if name not in SHORTEST:
        raise ValueError(f"shortest {shortest!r}: one of {', '.join(SHORTEST)} (the shortest note or rest a take holds)")
    grid = SHORTEST[name]
    if isinstance(pickup, int | float) and not isinstance(pickup, bool) and math.isfinite(pickup) and pickup:
        ticks = pickup * TICKS_PER_BEAT
        if abs(ticks - round(ticks)) < 1e-6 and round(ticks) % grid:
            raise ValueError(f"pickup {pickup:g} beats: shorter than the shortest note asked ({name}) allows; use a "
                             f"multiple of {grid / TICKS_PER_BEAT:g} beats")  # fmt: skip
    return grid


def _check_pickup_grid(style: str, meter: str, pickup: Any) -> None:
    """A triplet pickup (--pickup 1/3) where the style writes no triplets: a folk tune in a compound
    meter and a chorale move on the sixteenth grid (`sampling.tables`), and a jig's pickup of
    triplet sixteenths had brought tuplets into its endings and a "12" over its last note."""
    from fractions import Fraction

    from tunesmith.tokenizer import TICKS_PER_BEAT

    compound = meter.endswith("/8") and int(meter.split("/")[0]) % 3 == 0
    if not (style == "chorale" or (style == "folk" and compound)):
        return
    if isinstance(pickup, bool) or not isinstance(pickup, int | float) or not math.isfinite(pickup):
        return  # the request names a pickup that is not a number
    ticks, sixteenth = pickup * TICKS_PER_BEAT, TICKS_PER_BEAT // 4
    if abs(ticks - round(ticks)) < 1e-6 and round(ticks) % sixteenth:  # (off the tick grid: the request says so)
        what = "chorale" if style == "chorale" else f"folk tune in {meter}"
        raise ValueError(f"pickup {Fraction(pickup).limit_denominator(TICKS_PER_BEAT)} beats: a {what} moves in "
                         "sixteenths, no triplets; use a multiple of 1/4 (1/2: an eighth, 1: a quarter)")  # fmt: skip


def _narrow_range_note(request: Any) -> str | None:
    """A melody's range that holds fewer than five notes of the key's scale is kept (the musician's
    control) but said: --range C4:F4 in D leaves C#, D and E, and the takes walk three notes."""
    from tunesmith.score import pitch_class_of
    from tunesmith.tokenizer import scale_pitch_classes

    if request.layout != "lead" or request.key is None:
        return None
    lo, hi = request.pitch_range
    scale = scale_pitch_classes(pitch_class_of(request.key), request.mode or "major")
    held = sorted({p for p in range(lo, hi + 1) if p % 12 in scale})
    if len(held) >= 5:
        return None
    from tunesmith.harmony import spell_pitch
    from tunesmith.score import KeySignature

    key = KeySignature(0.0, request.key, request.mode or "major")

    def name(p: int) -> str:
        return spell_pitch(p, key).replace("-", "b")

    return (f"the range {name(lo)}-{name(hi)} holds {len(held)} notes of {request.key} {request.mode or 'major'}'s "
            f"scale ({' '.join(map(name, held))}): the melody moves among those alone (--range wider for more)")  # fmt: skip


def _check_chords_in_scale(request: Any) -> None:
    """--in-scale with a given chord outside the scale: the chord was kept (the musician's) and the
    melody, held to the scale, clashed with it (G natural over E7 in C). Refused before any work.
    (Programs that build a `ComposeRequest` themselves keep the older reading: chords as given.)"""
    from tunesmith.harmony import PITCH_CLASS_NAMES, _chord_names, chord_pitch_classes
    from tunesmith.sampling.request import sounding_figures
    from tunesmith.score import pitch_class_of
    from tunesmith.tokenizer import scale_pitch_classes

    scale = scale_pitch_classes(pitch_class_of(request.key), request.mode)
    for figure in sounding_figures(request.chords):
        outside = sorted(chord_pitch_classes(figure) - scale)
        if outside:
            names = _chord_names(figure)
            held = ", ".join(names.get(pc, PITCH_CLASS_NAMES[pc]) for pc in outside)
            raise ValueError(f"--in-scale: the chord {figure} holds {held}, outside the scale of {request.key} "
                             f"{request.mode}; leave out --in-scale or that chord")
