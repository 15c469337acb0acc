"""The three co-create operations, `continue_piece`, `harmonize` and `inpaint`: each checks its
input, builds the work piece and the job, runs it (or asks `chords` for a lead sheet's chords),
and copies the given piece into takes that hold the musician's notes."""

from __future__ import annotations

import copy
import dataclasses
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from tunesmith.cocreate import bass_line
from tunesmith.cocreate.automaton import _bar_sections, _first_bar, _Job
from tunesmith.cocreate.chords import (
    CHORD_SOURCES,
    _chorale_plan,
    _harmonize_from_chords,
    _harmonized_piece,
    _rechord_region,
    fit_new_chords,
)
from tunesmith.cocreate.continuation import (
    DEFAULT_CONTINUE_BARS,
    check_form,
    continuation_form,
    ends_on_downbeat,
    form_cadences,
    form_plan,
    last_chord_held_on,
    played_again,
    runs_of,
    strain_played_twice,
)
from tunesmith.cocreate.decode import KeptNotesError, _assert_kept, _copy_meta, _finish_take, _note_key, _run
from tunesmith.cocreate.inputs import (
    _EPS,
    _check_n,
    _check_reprise,
    _grid,
    _key_of,
    _melody_track,
    _meter_of,
    _parse_keep,
    _region_of,
    _rhythm,
    _style_of,
    _voice_tracks,
    _work_piece,
    check_lookahead,
    held_over_the_last_bars,
    load_piece,
    minor_as_written,
)
from tunesmith.convert.common import plays_chords, skyline
from tunesmith.sampling import (
    DEFAULT_RANGES,
    MAX_REQUEST_BARS,
    MAX_TEMPO,
    MIN_TEMPO,
    ComposeRequest,
    Take,
    style_decoding,
)
from tunesmith.sampling.decode import header_tempo
from tunesmith.sampling.endings import closing_bars
from tunesmith.sampling.request import tonic_triad
from tunesmith.score import STYLES, ChordSymbol, KeySignature, Note, Piece, Tempo, Track, pitch_class_of
from tunesmith.tokenizer import LAYOUTS, PITCH_MAX, PITCH_MIN, TICKS_PER_BEAT, VOICE_NAMES, VOICE_ROLES, Tokenizer

# Textbook SATB ranges (the ones `metrics.harmony_rules` counts violations against): free chorale
# voices are kept inside them unless the caller gives a pitch range.
TEXTBOOK_RANGES = {"S": (60, 79), "A": (55, 74), "T": (48, 67), "B": (40, 60)}
# A harmonized chorale whose soprano holds its last note over a bar line closes where that note is
# struck (`held_over_the_last_bars`; False: the voices run on under it, as before session 51).
HELD_FINAL_CLOSE = True


# ============================================================================ the request
def _lead_range(notes: list[Note], pitch_range: tuple[int, int] | None) -> tuple[int, int]:
    """The new melody's range: the one asked for, else the given melody's top line (`skyline`: a
    melody doubled an octave below, or over left-hand chords, is its upper line, as the tokenizer
    reads it) widened by a minor third each way, at least an octave. The doubling had made the
    new bars wander over two octaves."""
    if pitch_range is not None:
        return int(pitch_range[0]), int(pitch_range[1])
    ordered = sorted(notes, key=lambda n: (n.onset, -n.pitch))
    top = skyline(np.array([n.onset for n in ordered]), np.array([n.pitch for n in ordered]),
                  np.array([n.onset + n.duration for n in ordered]))  # fmt: skip
    line = [ordered[i] for i in top] or ordered
    lo = max(PITCH_MIN, min(n.pitch for n in line) - 3)
    hi = min(PITCH_MAX, max(n.pitch for n in line) + 3)
    while hi - lo < 12:
        lo, hi = max(PITCH_MIN, lo - 1), min(PITCH_MAX, hi + 1)
    return lo, hi


def _request(
    style: str,
    tonic: str,
    mode: str,
    meter: str,
    piece: Piece,
    layout: str,
    pitch_range: tuple[int, int] | None,
    in_scale: bool,
    temperature: float | None,
    top_p: float | None,
    seed: int | None,
    **controls: Any,
) -> ComposeRequest:
    """The request co-create samples under; `controls`: tonal_feedback, rhythm_feedback, cadence.
    The new notes keep to the sixteenth grid where the musician's music has no tuplets."""
    if controls.get("cadence") == "loop":
        raise ValueError("cadence 'loop' is for compose: a continuation ends as its style's pieces do ('tonic', 'home') "
                         "or where the model leaves it ('free')")  # fmt: skip
    return ComposeRequest(
        rhythm_grid=3 if _on_sixteenths(piece) else 0,
        style=style,
        key=tonic,
        mode=mode,
        meter=meter,
        bars=1,
        tempo=min(MAX_TEMPO, max(MIN_TEMPO, held_tempo(piece))),
        pitch_range=pitch_range,
        in_scale=in_scale,
        temperature=temperature,
        top_p=top_p,
        seed=seed,
        layout=layout,
        **controls,
    )


# A chorale harmonized more than once (`n`) gets a plan of its own per take after the first: the
# harmonizer's most likely progression for take 1, then progressions drawn from it (the seed times
# 1,000,003 plus the take's index, as a lead sheet's alternatives are drawn). One plan for all had
# given a theory teacher five takes of the same chords and, mostly, the same faults (session 51).
# False: one plan for every take, as before.
CHORALE_PLAN_PER_TAKE = True


def plan_costs(model) -> dict[str, float]:
    """The chorale plan's costs in the model's decoding.json ("plan_stay_cost", "plan_return_cost";
    0 where it has none), as `_chorale_plan` takes them."""
    tuned = style_decoding(model, "chorale")
    return {"stay_cost": float(tuned.get("plan_stay_cost", 0.0)), "return_cost": float(tuned.get("plan_return_cost", 0.0))}


def _takes_on_their_own_plans(model, tokenizer: Tokenizer, job, n: int, seed: int | None, batch_size: int,
                              harmonizer: Any, key: tuple[str, str]) -> tuple[list, int, dict]:  # fmt: skip
    """`n` results of a chorale harmonization, take 1 on `job`'s plan (the most likely), each later
    take on a plan drawn from the harmonizer and sampled with the seed plus its index."""
    results, seed, decoding = _run(model, tokenizer, job, 1, seed, batch_size)
    W = job.W
    costs = plan_costs(model)
    for i in range(1, n):
        plan = _chorale_plan(W, *key, harmonizer, rng=np.random.default_rng(seed * 1_000_003 + i), **costs)
        bass = bass_line.plan_bass(plan, W.tracks[0].notes, W.fermatas) if plan and bass_line.PLANNED_BASS else ()
        more, _, _ = _run(model, tokenizer, dataclasses.replace(job, chord_plan=plan, bass_plan=bass), 1,
                          (seed + i) % 2**32, batch_size)  # fmt: skip
        results += more
    return results, seed, decoding


def harmonize_voice_ranges(voice_ranges: Any, style: str) -> dict[str, tuple[int, int]] | None:
    """A harmonization's `voice_ranges` (`controls.satb_ranges`) for the alto, tenor and bass;
    ValueError for the soprano's (the melody is the soprano) or any for a lead sheet."""
    if voice_ranges is None:
        return None
    from tunesmith.controls import satb_ranges

    if style != "chorale":
        raise ValueError(f"voice ranges are a chorale's alto, tenor and bass; harmonize with --style chorale, or leave "
                         f"them out for a {style} lead sheet")  # fmt: skip
    ranges = satb_ranges(voice_ranges)
    if any(str(v).strip().lower() in ("s", "soprano") for v in ranges):
        raise ValueError("voice ranges: the soprano is the melody you gave; give the alto's, tenor's or bass's")
    return ranges


def chorale_texture(texture: str | None, style: str) -> str | None:
    """A harmonization's `texture` (`sampling.request.TEXTURES`), in lower case; ValueError for an
    unknown one, or any for a lead sheet (whose chords have no alto, tenor and bass to move)."""
    if texture is None:
        return None
    from tunesmith.sampling.request import TEXTURES

    name = str(texture).strip().lower()
    if name not in TEXTURES:
        raise ValueError(f"unknown texture {texture!r}; one of {', '.join(TEXTURES)}")
    if style != "chorale":
        raise ValueError(f"texture {name!r} is a chorale's (how its alto, tenor and bass move under the melody); "
                         f"harmonize with --style chorale, or leave it out for a {style} lead sheet")  # fmt: skip
    return name


def _on_sixteenths(piece: Piece) -> bool:
    """Whether every note of `piece` starts and ends on the sixteenth-note grid (no tuplets)."""
    notes = [n for t in piece.tracks for n in t.notes]
    return bool(notes) and all(abs(x * 4 - round(x * 4)) < 1e-6 for n in notes for x in (n.onset, n.onset + n.duration))


def _ranges(layout: str, request: ComposeRequest, user_range: tuple[int, int] | None) -> dict[str, tuple[int, int]]:
    if layout == "lead":
        return request.voice_ranges()
    if user_range is None:  # the textbook's, each voice's own where the musician gave it
        return {**TEXTBOOK_RANGES, **(request.satb_ranges or {})}
    return request.voice_ranges()


# ============================================================================ continue
# A regenerated chorale soprano (inpaint's, continue's) keeps to the compass the kept bars give it,
# down to this many semitones under their lowest note (None: the textbook's, as before session 65).
# The textbook's C4 floor let it sink into the alto's register:
# - inpainted (57 shippable validation chorales, bars 5-8, seed = index): it leapt back an octave
#   to the kept music in 5, Bach's own bars in 2 (BWV 133.6: D4 C#4 D4 D4, then D5, its kept
#   soprano no lower than F#4); with 2: 2, and seams of a major sixth or more 2 -> 0 (Bach 0;
#   docs/notes/2026-12-06-session-60/inpaint_chorale_leaps.py);
# - continued (40 of them, 4 bars after their first 8): under the given bars' lowest note less
#   two in 15, Bach's next bars in 3; with 2: 1; octave leaps 5 -> 3, Bach's 4
#   (docs/notes/2026-12-07-session-65/continued_sopranos.py).
SOPRANO_FLOOR_UNDER_THE_KEPT = 2


def _kept_compass(ranges: dict[str, tuple[int, int]], layout: str, soprano: list[Note],
                  user_range: tuple[int, int] | None) -> dict[str, tuple[int, int]]:  # fmt: skip
    """`ranges` with a regenerated four-part soprano kept down to `SOPRANO_FLOOR_UNDER_THE_KEPT`
    under the lowest note of the soprano kept around it (`soprano`: [] where the soprano itself is
    kept, or none is), an octave of range left at least; as they are for a lead sheet or a range
    the caller gave."""
    if SOPRANO_FLOOR_UNDER_THE_KEPT is None or layout != "satb" or user_range is not None or not soprano \
            or "S" not in ranges:  # fmt: skip
        return ranges
    lo, hi = ranges["S"]
    floor = min(max(lo, min(n.pitch for n in soprano) - SOPRANO_FLOOR_UNDER_THE_KEPT), hi - 12)
    return {**ranges, "S": (max(lo, floor), hi)}


def continue_piece(
    model,
    tokenizer: Tokenizer,
    piece: Piece | str | os.PathLike,
    bars: int | None = None,
    *,
    style: str | None = None,
    n: int = 1,
    seed: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    pitch_range: tuple[int, int] | None = None,
    in_scale: bool = False,
    key: str | None = None,
    mode: str | None = None,
    voice_leading: bool = True,
    batch_size: int = 16,
    tonal_feedback: float | None = None,
    rhythm_feedback: float | None = None,
    cadence: str | None = None,
    reprise: int | None = None,
    chords: str | Sequence[str] | None = None,
    contrast: bool | None = None,
    form: str | None = None,
) -> list[Take]:
    """The given music exactly as it is, then `bars` new bars in its key, meter and style.

    Prompt: header + the given bars' tokens (as many of the last bars as fit the block); then
    the new bars are sampled under the composer's constraints (grammar, meter, exact bar count,
    `pitch_range` — default: the melody's own range widened a little — and `in_scale`).
    A lead sheet gets melody and chord symbols, a chorale all four voices.

    Sampled as compose samples the style: its tuned temperature and top-p unless given, its
    tonal and rhythm feedback (weights as in `ComposeRequest`; they hear the given music too, so
    the whole piece is steered toward the style's profile), and, since the new bars end the
    piece, its cadence (`cadence` None: the style's default, "tonic" for every style now; "free":
    the continuation stops wherever the model leaves it, e.g. to be continued again), with the
    closing degree and the last note's length drawn as a composed take draws them.

    `reprise`: the new bars begin by restating the given music's first `reprise` full bars note
    for note (melody and chords, or every chorale voice), and the model writes the rest: a
    strain that comes back and ends another way (A A'), as tunes and songs return to their
    opening. At most the given full bars, and fewer than `bars`. None: the style's default
    (`DEFAULT_REPRISE`: pop songs restate their opening in the first half of the new bars), or
    none when new `chords` are given (the melody is then written over them from the first new bar).

    `chords` (a lead sheet): the new bars' chord symbols, one per bar and cycling ("F7 Bb7 F7
    F7 ..." or a list), or "again": the given music's own chords once more, bar by bar from its
    first full bar (a blues's next chorus); the melody is written over them. Under a closing
    cadence the last bar's chord is the tonic's (the given progression's own tonic chord, F7 in
    an F blues, else the triad), as a last chorus ends. None: the model writes the chords.

    `contrast` (a lead sheet): the new bars are a contrasting strain, a B after the given A A,
    their melody lifted over the given melody's register by the style's register feedback
    (`decoding.json` "register_lift", as compose lifts a B strain). None: the style's default,
    on where the style has register feedback (folk), the given music holds at least
    `CONTRAST_MIN_GIVEN_BARS` full bars, the new bars are at most as many, and nothing is
    restated (no reprise, no new chords).

    `form` (a lead sheet): the whole tune's sections, a letter each, the given music its first A
    ("AABA": the new bars are A B A, each as long as the given full bars). Each later A restates
    the given music note for note, melody and chords, but for its last bar, which is written anew
    (a second ending; the last A's closes the piece); the other letters are new music, each once.
    A jazz pianist had continued Honeysuckle Rose's 8-bar A by 24 bars and got 12 that idled on I
    and ii. `bars` must then be the new sections' bars (None: so); no `reprise`, `chords` or
    `contrast` beside it.

    `bars` None: `DEFAULT_CONTINUE_BARS`, or, after a strain played twice (A A) that the new
    bars contrast with, twice the strain. Whenever a contrasting strain follows a strain played
    twice and `bars` is twice that strain, the new strain is played twice too (A A B B, as the
    tunes are): written once, then again note for note, its close on the tonic both times.
    """
    piece = load_piece(piece)
    meter = _meter_of(piece)
    melody = _melody_track(piece, "continue")
    if bars is not None and (isinstance(bars, bool) or not isinstance(bars, int) or not 1 <= bars <= MAX_REQUEST_BARS):
        raise ValueError(f"bars must be an integer in 1..{MAX_REQUEST_BARS}, got {bars!r}")
    _check_n(n)
    style = _style_of(style, piece)
    # a piece that changes key goes on in the key its last bar is in
    asked_mode = mode
    tonic, mode = _key_of(piece, key, mode, span=(max([0.0, *piece.bars()]), piece.duration()))
    layout, vtracks = _voice_tracks(piece)
    if asked_mode is None:
        mode = minor_as_written(piece, tonic, mode, layout)
    given_grid = _grid(piece, meter)
    n_given = given_grid.n
    strain = strain_played_twice(melody.notes, given_grid) if layout == "lead" else 0
    tuned = style_decoding(model, style)
    lifts = float(tuned.get("register_gain", 0.0)) > 0
    form = continuation_form(form)
    section, restated = 0, []  # (a form: the given A's bars, and where each later A begins among the new bars)
    given_sections = 1  # (a form: the sections the given music is: A, or A A where it plays its strain twice)
    if form is not None:
        section = n_given - given_grid.first_full
        if strain and section == 2 * strain and form.startswith("AA"):
            # the given music plays its A twice (repeat signs or written out): it is the form's A A
            # (Ain't Misbehavin's first 8 bars with their repeat had made a 64-bar AABA of 16-bar A's)
            section, given_sections = strain, 2
        check_form(form, section, bars, layout, reprise, chords, contrast,
                    piece.duration() < given_grid.end_of(n_given - 1) - _EPS, given_sections)  # fmt: skip
        bars, restated = form_plan(form, section, given_sections)
        reprise, contrast = 0, False
    if bars is None:
        # after A A, a B played twice; a B is the default where the style lifts one (`contrast`)
        lifts_b = lifts and contrast is not False
        bars = 2 * strain if strain and lifts_b and chords is None and not reprise else DEFAULT_CONTINUE_BARS
    grid = given_grid.extended(bars)
    # a given last bar shorter than the meter's (a take that began with a pickup ends short by
    # it): the new music begins where the given music ends, inside that bar, as the next phrase's
    # pickup, not after a rest up to the bar line
    given_end = piece.duration()
    open_first = n_given >= 1 and given_end < grid.end_of(n_given - 1) - _EPS
    piece = last_chord_held_on(piece, given_end)
    if reprise is None:
        # new chords given: the new bars are written over them from the first (restating the
        # opening's melody there would sound it over chords it was not written for)
        new_harmony = chords is not None and continuation_chords(chords) is not None
        reprise = 0 if new_harmony else default_reprise(style, bars, grid, n_given)
    first = _check_reprise(reprise, bars, grid, n_given)
    if contrast and not (lifts and layout == "lead"):
        if layout != "lead":
            raise ValueError("contrast: a contrasting strain is a lead sheet's (a chorale's four voices are not lifted)")
        raise ValueError(f"contrast: the model has no register feedback for {style} to lift a contrasting strain "
                         "with (decoding.json register_lift and register_gain; folk has them)")  # fmt: skip
    if contrast is None:
        full_given = n_given - grid.first_full
        contrast = (layout == "lead" and lifts and reprise == 0
                    and chords is None and full_given >= CONTRAST_MIN_GIVEN_BARS and bars <= full_given)  # fmt: skip
    # a B strain after A A, as long as the A: written once, played twice (`played_again`); the
    # decoder writes it as the piece's end (its close on the tonic, short by a pickup where the tune
    # began with one)
    strain_again = bool(contrast) and layout == "lead" and bars == 2 * strain and not open_first
    if strain_again:
        grid = given_grid.extended(strain)
    again, again_chords = _reprised(piece, vtracks, grid, first, n_given, reprise)
    for offset in restated:  # a form's later A: the given A again, its last bar written anew
        notes, moved = _reprised(piece, vtracks, grid, first, n_given, section - 1, to=n_given + offset)
        for v, xs in notes.items():
            again.setdefault(v, []).extend(xs)
        again_chords += moved
    controls = dict(tonal_feedback=tonal_feedback, rhythm_feedback=rhythm_feedback, cadence=cadence)
    if chords is not None and layout != "lead":
        raise ValueError("chords: a chorale's four voices make its harmony; chords are for lead sheets")
    if layout == "lead":
        request = _request(style, tonic, mode, meter, piece, layout, _lead_range(melody.notes, pitch_range),
                           in_scale, temperature, top_p, seed, **controls)  # fmt: skip
    else:
        request = _request(style, tonic, mode, meter, piece, layout, pitch_range, in_scale, temperature, top_p, seed,
                           **controls)  # fmt: skip
    replaced: list[str] = []  # the given chords the close replaced in the last bar, then the tonic chord
    new_chords = [] if chords is None else _new_bar_chords(piece, grid, n_given, n_given + reprise, chords, tonic,
                                                           mode, request.closes(), replaced)  # fmt: skip
    # the prompt's notes stop at the first new bar line: a keyboard take's last chord released a
    # little after it (`cocreate.inputs._end_at_last_bar_line`) had made every take start its new bars
    # after a rest of a beat or two (the take itself keeps the notes as played)
    seam = grid.starts[n_given] if not open_first else None
    W = _work_piece(piece, grid, layout, {v: [*_stopped_at(t.notes, seam), *again.get(v, [])] for v, t in vtracks.items()},
                    with_no_chord_stops([*piece.chords, *again_chords, *new_chords]), style, tonic, mode,
                    _told_tempo(model, style, piece))  # fmt: skip
    ids = tokenizer.encode(W, end_bar=n_given)
    given_bars = max(1, n_given)
    per_bar = (len(ids) - _first_bar(tokenizer, ids)) / given_bars
    job = _Job(
        W=W,
        grid=grid,
        layout=layout,
        region=(n_given - 1 if open_first else n_given, grid.n),
        open_first=open_first,
        open_at=given_end,
        short_end=bool(grid.pickup) and layout == "lead" and request.closes(),
        forced_voices=frozenset(),
        # a lead sheet without chord symbols is continued without them (the closing bar would
        # otherwise name a lone tonic chord)
        chords="forced" if new_chords else "free" if piece.chords or layout == "satb" else "none",
        rhythm=None,
        guard=voice_leading and layout == "satb",
        request=request,
        ranges=_kept_compass(_ranges(layout, request, pitch_range), layout,
                             vtracks["S"].notes if "S" in vtracks else [], pitch_range),  # fmt: skip
        fim=False,
        free_per_bar=max(1.3 * per_bar, 6.0),
        close=request.closes(),
        tuned=tuned,
        forced_bars=frozenset(range(n_given, n_given + reprise)) | frozenset(
            b for offset in restated for b in range(n_given + offset, n_given + offset + section - 1)),
        contrast=bool(contrast) and layout == "lead",
        final_on_downbeat=layout == "lead" and ends_on_downbeat(melody.notes, grid),
        bridge_bars=frozenset(n_given + k * section for k, letter in enumerate(form[given_sections:]) if letter != "A")
        if form else frozenset(),
        section_cadences=form_cadences(form, section, given_grid.first_full, n_given) if form else {},
    )
    results, seed, decoding = _run(model, tokenizer, job, n, seed, batch_size)
    boundary = given_end if open_first else grid.starts[n_given]
    a_tempo = _a_tempo(piece, grid, n_given)
    takes = []
    for i, res in enumerate(results):
        out = copy.deepcopy(piece)
        out.meta = _copy_meta(piece)
        out.style = style
        if not out.keys:
            out.keys = [KeySignature(0.0, tonic, mode)]
        track_of = _output_tracks(out, piece, vtracks, layout)
        for v, notes in again.items():
            track_of[v].notes.extend(copy.copy(x) for x in notes)
        for v, notes in res.notes.items():
            track_of[v].notes.extend(notes)
        written = new_chords if new_chords else sorted(res.chords, key=lambda c: c.onset)
        out.chords = with_no_chord_stops([*out.chords, *again_chords, *written])
        out.bar_onsets = [*piece.bars(), *grid.starts[n_given:]]
        out.end = grid.end_of(grid.n - 1)
        chords_source = {"forced": "given", "none": None}.get(job.chords, "model")
        if job.chords == "free" and layout == "lead":
            # under a closing cadence the last bar keeps the composer's chords: it wrote its close over them
            # (and from a drawn approach's bar on, `endings.closing_bars`)
            back = closing_bars(res.ending) if grid.n - closing_bars(res.ending) >= n_given else 1
            close_at = grid.starts[grid.n - back] if request.closes() else grid.end_of(grid.n - 1)
            if form is None:
                chords_source = fit_new_chords(out, grid.starts[n_given], close_at, out.end, style, tonic, mode, model,
                                                seed, i)  # fmt: skip
            else:  # the harmonizer's chords over each run of written bars; the restated A's and the close stay
                keep = set(job.forced_bars) | (set(job.bridge_bars) if res.ending.get("contrast_chord") else set())
                runs = runs_of([b for b in range(n_given, grid.n) if b not in keep and grid.starts[b] < close_at - _EPS])
                for a, b in runs:
                    end = min(grid.starts[b] if b < grid.n else out.end, close_at)
                    chords_source = fit_new_chords(out, grid.starts[a], end, end, style, tonic, mode, model, seed, i,
                                                   kept_after=list(out.chords))  # fmt: skip
        if a_tempo is not None:
            out.tempos = sorted([*out.tempos, Tempo(grid.starts[n_given], a_tempo[1])], key=lambda x: x.onset)
        if any(t.notes and not t.is_drum and all(t is not v for v in vtracks.values()) for t in piece.tracks) or (
                layout == "lead" and any(plays_chords(t.notes) for t in vtracks.values())):
            # the given music has its own accompaniment (a keys part the chords were read from, a
            # keyboard take's left hand): the chord track comps the new bars only, not doubling it
            # (`convert.midi.to_symusic`)
            out.meta["comp_from"] = grid.starts[n_given]
        if job.short_end:
            out.end -= (grid.L - grid.pickup) / TICKS_PER_BEAT
        if strain_again:
            short = (grid.L - grid.pickup) / TICKS_PER_BEAT if job.short_end else 0.0
            played_again(out, [track_of[v] for v in res.notes], grid, n_given, short)
        for orig, new in zip(piece.tracks, out.tracks):
            _assert_kept(orig.notes, [x for x in new.notes if x.onset < boundary - _EPS], f"track {orig.name!r}")
            if any(x.onset < boundary - _EPS for x in new.notes[len(orig.notes) :]):
                raise KeptNotesError("co-create wrote a note inside the given music")
        meta = {"operation": "continue", "bars": bars, "given_bars": n_given, "style": style, **decoding,
                "cadence": request.resolved_cadence(), "header_tempo": W.tempo, **res.ending}  # fmt: skip
        meta["reprise"] = {"bars": reprise, "from_bar": grid.number(first) if reprise else None}
        # the beats the given music is restated in (a reprise, a form's later A's): the musician's own
        # notes again, which the copy guard does not count (`api._cocreate`)
        meta["restated_beats"] = [[grid.starts[a], grid.end_of(a + k - 1)] for a, k in
                                  [(n_given, reprise)] * bool(reprise) + [(n_given + o, section - 1) for o in restated]]  # fmt: skip
        if form is not None:  # the bars where each later A restates the given one, and how many
            meta["form"] = {"form": form, "section_bars": section, "given_sections": given_sections,
                            "restated": [[grid.number(n_given + o), section - 1] for o in restated]}  # fmt: skip
            out.meta["sections"] = [*([first + j * section, first + (j + 1) * section, "A"] for j in range(given_sections)),
                                    *([n_given + k * section, n_given + (k + 1) * section, letter]
                                      for k, letter in enumerate(form[given_sections:]))]  # fmt: skip
        meta["contrast"] = job.contrast
        if layout == "lead":
            meta["chords_from"] = chords_source  # the new bars' chords: "harmonizer", "model", "given" or None
        if a_tempo is not None:
            meta["a_tempo"] = {"bar": grid.number(n_given), "qpm": round(a_tempo[1], 2), "was": round(a_tempo[0], 2)}
        if replaced:
            meta["closing_chord"] = {"bar": grid.number(grid.n - 1), "was": replaced[:-1], "now": replaced[-1]}
        if job.contrast:  # the new strain is a section of its own: the score marks where it begins
            given = [list(sec) for sec in out.meta.get("sections") or [] if len(sec) > 2 and sec[0] < n_given]
            letters = {str(sec[2]).rstrip("'") for sec in given}
            new_letter = next((c for c in "BCDEFGHIJ" if c not in letters), "B")
            out.meta["sections"] = [*given, [n_given, grid.n, new_letter]]
            if strain_again:
                out.meta["sections"].append([grid.n, grid.n + strain, new_letter])
        meta["strain_played_twice"] = strain if strain_again else 0
        takes.append(_finish_take(out, res, seed, i, meta))
    return takes


def _stopped_at(notes: list[Note], seam: float | None) -> list[Note]:
    """`notes` with those sounding past `seam` (beats) stopped there (copies); None: as they are."""
    if seam is None:
        return list(notes)
    return [dataclasses.replace(x, duration=seam - x.onset) if x.onset < seam - _EPS and x.onset + x.duration > seam + _EPS
            else x for x in notes]  # fmt: skip


# `_a_tempo`: the given music's last bars (at most this many) in which the tempo it goes on at is heard
A_TEMPO_BARS = 4


def _a_tempo(piece: Piece, grid: Any, n_given: int) -> tuple[float, float] | None:
    """(the tempo the given music ends at, the tempo the new bars go on at) where they differ: a
    ritardando (or accelerando) at the end of the given music, written as tempo events, is
    followed by the tempo that held longest over its last `A_TEMPO_BARS` bars, as a player goes on
    a tempo. A take continued after a rit to 52 bpm had played its 8 new bars at 52 (36 s where
    the given 8 bars took 19). None where the last tempo is the one that held longest."""
    tempos = sorted((t for t in piece.tempos if t.qpm > 0), key=lambda t: t.onset)
    if len(tempos) < 2 or n_given < 1:
        return None
    end = grid.starts[n_given]
    held = _beats_at_each_tempo(tempos, grid.starts[max(0, n_given - A_TEMPO_BARS)], end)
    last = next((t.qpm for t in reversed(tempos) if t.onset < end - _EPS), tempos[0].qpm)
    if not held:
        return None
    steady = max(held, key=lambda q: held[q])
    if abs(steady - last) <= 0.01 * steady:
        return None
    return last, steady


# The share of a continuation's new bars that restate the given opening when no reprise is asked
# for, by style. Measured with `scripts/evaluate_musicality.py --task continue --model new=default
# --model reprise=default:reprise-half` (the real pieces' first half given, half the new bars a
# reprise): pop, validation split, classifier 0.726 -> 0.632 (real vs real 0.567), bars that recur
# 0.135 -> 0.315 (real 0.681), melody on chord tones 0.626 -> 0.670 (0.745); test split 0.782 ->
# 0.631. Folk, chorales and jazz already recur as often as their real music or more with a reprise
# (folk 0.33 -> 0.62 against 0.47) and their classifier did not move: none by default.
DEFAULT_REPRISE = {"pop": 0.5}
# A continuation is a contrasting strain by default (`continue_piece`'s `contrast`) only after at
# least a whole strain: eight full bars given (a tune's A A is 16, its A 8); after a phrase or two
# the new bars answer them in the same register.
CONTRAST_MIN_GIVEN_BARS = 8
def _ends_in_tonic_triad(notes: list[Note], tonic: str, mode: str) -> bool:
    """Whether the last of `notes` is a tone of the tonic triad (a closing cadence can go under it)."""
    if not notes:
        return False
    last = max(notes, key=lambda x: (x.onset, x.pitch))
    return last.pitch % 12 in tonic_triad(pitch_class_of(tonic), mode)


def closing_key(piece: Piece, notes: list[Note], tonic: str, mode: str) -> KeySignature | None:
    """The key a melody closes in when it is not the home key (`tonic`, `mode`): a melody that
    moves to the dominant and ends on its tonic (F-sharps through bars 9-16 of a C-major tune,
    ending on G) closes in G. Heard over its last bars (at most 4, at most half the piece) by
    Krumhansl-Schmuckler, and only believed when the melody ends on that key's tonic, the key is
    a near one (dominant, subdominant, relative) and a note there lies outside the home scale (the
    F-sharp): a C-major tune that merely ends on G over I is no modulation. None: home it is."""
    from tunesmith.harmony import MAJOR_TONIC_NAMES, MINOR_TONIC_NAMES, estimate_key_from_histogram
    from tunesmith.tokenizer import scale_pitch_classes

    if mode not in ("major", "minor") or not notes:
        return None
    starts = piece.bars()
    k = min(4, len(starts) // 2)
    if k < 2:
        return None
    since = starts[-k]
    tail = [x for x in notes if x.onset >= since - _EPS]
    hist = np.zeros(12)
    for x in tail:
        hist[x.pitch % 12] += x.duration
    pc, new_mode, _ = estimate_key_from_histogram(hist)
    home = pitch_class_of(tonic)
    last = max(notes, key=lambda x: (x.onset, x.pitch))
    if (pc, new_mode) == (home, mode) or last.pitch % 12 != pc:
        return None
    relative = (home + 9) % 12 if mode == "major" else (home + 3) % 12
    near = {((home + 7) % 12, mode), ((home + 5) % 12, mode), (relative, "minor" if mode == "major" else "major")}
    if (pc, new_mode) not in near:
        return None
    foreign = scale_pitch_classes(pc, new_mode) - scale_pitch_classes(home, mode)
    if not any(x.pitch % 12 in foreign for x in tail):
        return None
    names = MAJOR_TONIC_NAMES if new_mode == "major" else MINOR_TONIC_NAMES
    return KeySignature(since, names[pc], new_mode)


def default_reprise(style: str, bars: int, grid: Any, n_given: int) -> int:
    """The style's default reprise for `bars` new bars: `DEFAULT_REPRISE` of them, within the
    given full bars and leaving at least one bar to write."""
    share = DEFAULT_REPRISE.get(style, 0.0)
    return max(0, min(int(bars * share), n_given - grid.first_full, bars - 1))


def continuation_chords(chords: str | Sequence[str] | None) -> list[str] | None:
    """`continue_piece`'s `chords` as bars of figures, each checked (None for "again" or none): one
    figure a bar, or bars between bar lines holding one or more ('Dm7 G7 | C', as `compose --chords`
    reads them: `sampling.request.chords_per_bar`); ValueError names a symbol that does not parse,
    or none given."""
    from tunesmith.harmony import parse_chord
    from tunesmith.sampling.request import NO_CHORD, bar_chord_figures, chords_per_bar, sounding_figures, written_bars

    if chords is None or (isinstance(chords, str) and chords.strip().lower() == "again"):
        return None
    bars = chords_per_bar(chords) if isinstance(chords, str) else written_bars([" ".join(str(c).split()) for c in chords])
    if not bars or not sounding_figures(bars):
        raise ValueError("chords: give one chord symbol per new bar (they cycle), or 'again'")
    for entry in bars:
        for figure in bar_chord_figures(entry):
            if figure == NO_CHORD:
                continue
            try:
                parse_chord(figure)
            except ValueError:
                raise ValueError(f"chords: {figure!r} is not a chord symbol") from None
    return bars


def _new_bar_chords(
    piece: Piece, grid: Any, n_given: int, start: int, chords: str | Sequence[str], tonic: str, mode: str, closes: bool,
    replaced: list[str] | None = None,
) -> list[ChordSymbol]:
    """The chord symbols of bars [start, grid.n) from `chords` (continue_piece's docstring):
    bars of figures, cycling (a bar of two shares it: `sampling.request.bar_chord_ticks`), or
    "again" (the chords of the `n_given` given bars, from the first full one, bar by bar, cycling;
    `_moved_chords`). Under a closing cadence the last bar's is the tonic's (the figures it
    replaces are appended to `replaced`). ValueError for a figure that does not parse, a bar of
    more chords than beats, or "again" without chords."""
    from tunesmith.harmony import parse_chord
    from tunesmith.sampling.request import NO_CHORD, bar_chord_ticks

    n = grid.n - start
    bars = continuation_chords(chords)
    if bars is None:  # "again"
        given = sorted(piece.chords, key=lambda c: c.onset)
        src = list(range(grid.first_full, n_given)) or list(range(n_given))
        if not given or not src:
            raise ValueError("chords again: the given music has no chord symbols to play again")
        out = []
        for k in range(n):
            b = src[k % len(src)]
            moved = _moved_chords(given, grid.starts[b], grid.end_of(b), grid.starts[start + k] - grid.starts[b])
            # a chord that stops inside its bar stops there again (a stop-time chorus's "F7 N.C."); one
            # that sounds on past the bar is held by the next bar's (`_moved_chords`)
            bar_end = grid.end_of(start + k)
            out += [ChordSymbol(c.onset, c.figure, c.duration if c.duration and c.onset + c.duration < bar_end - _EPS
                                else None) for c in moved]  # fmt: skip
    else:
        placed = [bar_chord_ticks(entry, grid.meter) for entry in bars]
        out = [ChordSymbol(grid.starts[start + k] + tick / TICKS_PER_BEAT, figure)
               for k in range(n) for tick, figure in placed[k % len(placed)]]  # fmt: skip
    if closes and out and n > 0:
        tonic_pc = pitch_class_of(tonic)
        last_bar = grid.starts[grid.n - 1]
        # a chart that ends on N.C. keeps it (the melody closes alone, as compose's does)
        last = [c for c in out if c.onset < grid.end_of(grid.n - 1)][-1].figure
        if last != NO_CHORD and (parse_chord(last)[0] != tonic_pc or any(c.onset > last_bar + _EPS for c in out)):
            own = [c.figure for c in [*piece.chords, *out]
                   if c.figure != NO_CHORD and parse_chord(c.figure)[0] == tonic_pc and "/" not in c.figure]  # fmt: skip
            minor = mode in ("minor", "aeolian", "dorian", "phrygian")
            figure = own[0] if own else tonic + ("m" if minor else "")
            if replaced is not None:
                sounding = [c for c in out if c.onset < last_bar + _EPS][-1:]  # the chord the bar began under
                replaced += [c.figure for c in [*sounding, *(c for c in out if c.onset > last_bar + _EPS)]]
                replaced.append(figure)
            out = [c for c in out if c.onset < last_bar - _EPS] + [ChordSymbol(last_bar, figure)]
    return out


def _reprised(piece: Piece, vtracks: dict[str, Track], grid: Any, first: int, n_given: int, reprise: int,
              to: int | None = None):  # fmt: skip
    """({voice: notes}, chords) of the given bars [first, first + reprise) moved to the start of the
    new bars (or to the bar `to`); notes cut at the reprise's end, the chord sounding at its start
    named there."""
    if not reprise:
        return {}, []
    src0, src1 = grid.starts[first], grid.end_of(first + reprise - 1)
    shift = grid.starts[n_given if to is None else to] - src0
    notes = {
        v: [Note(x.pitch, x.onset + shift, min(x.duration, src1 - x.onset), x.velocity)
            for x in t.notes if src0 - _EPS <= x.onset < src1 - _EPS]
        for v, t in vtracks.items()
    }  # fmt: skip
    return notes, _moved_chords(sorted(piece.chords, key=lambda c: c.onset), src0, src1, shift)


def with_no_chord_stops(chords: list[ChordSymbol]) -> list[ChordSymbol]:
    """`chords` sorted, each N.C. among them (a continuation's `NO_CHORD`) made a stop: the chord
    sounding before it ends there (a copy: the musician's own chord is not changed) and the N.C.
    itself is dropped, as a file's N.C. is read (`convert.common.chord_durations`)."""
    from tunesmith.sampling.request import NO_CHORD

    out: list[ChordSymbol] = []
    for c in sorted(chords, key=lambda c: c.onset):
        if c.figure != NO_CHORD:
            out.append(c)
        elif out and (out[-1].duration is None or out[-1].onset + out[-1].duration > c.onset + _EPS):
            out[-1] = ChordSymbol(out[-1].onset, out[-1].figure, max(c.onset - out[-1].onset, 0.0) or None)
    return out


def _moved_chords(chords: list[ChordSymbol], src0: float, src1: float, shift: float) -> list[ChordSymbol]:
    """The chords (sorted) of beats [src0, src1) moved by `shift`, the chord sounding at src0
    named there when none starts on it (a restated passage begins under its own chord), or N.C.
    (`NO_CHORD`) where the chord before has stopped (a stop-time chorus played again)."""
    from tunesmith.sampling.request import NO_CHORD

    inside = [k for k, c in enumerate(chords) if src0 - _EPS <= c.onset < src1 - _EPS]
    moved = [ChordSymbol(chords[k].onset + shift, chords[k].figure, chords[k].duration) for k in inside]
    if inside and moved[-1].duration is not None:
        # the last one sounds on past the passage unless it stopped in the source before the next
        # chord (a restated A's last F6, read as lasting to the next chord, had left the bar after
        # the passage without one: N.C. in the score)
        k = inside[-1]
        until = chords[k + 1].onset if k + 1 < len(chords) else None
        if until is None or chords[k].onset + chords[k].duration >= min(until, src1) - _EPS:
            moved[-1] = ChordSymbol(moved[-1].onset, moved[-1].figure, None)
    sounding = [c for c in chords if c.onset < src0 - _EPS]
    if sounding and not (moved and moved[0].onset <= src0 + shift + _EPS):
        last = sounding[-1]
        stopped = last.duration is not None and last.onset + last.duration <= src0 + _EPS
        moved.insert(0, ChordSymbol(src0 + shift, NO_CHORD if stopped else last.figure))
    return moved


def _output_tracks(out: Piece, piece: Piece, vtracks: dict[str, Track], layout: str) -> dict[str, Track]:
    """{voice letter: the output track that voice is written to} (new tracks for missing voices);
    the melody track is given the melody role when it had none, so writers put it first."""
    mapping: dict[str, Track] = {}
    for v in LAYOUTS[layout]:
        if v in vtracks:
            mapping[v] = out.tracks[next(i for i, t in enumerate(piece.tracks) if t is vtracks[v])]
        else:
            track = Track(VOICE_NAMES[v], VOICE_ROLES[v], program=52 if layout == "satb" else 0)
            out.tracks.append(track)
            mapping[v] = track
    first = mapping[LAYOUTS[layout][0]]
    if first.role not in ("melody", "soprano"):
        first.role = "melody" if layout == "lead" else "soprano"
    return mapping


# ============================================================================ harmonize
def harmonize(
    model,
    tokenizer: Tokenizer,
    melody_piece: Piece | str | os.PathLike,
    *,
    style: str | None = None,
    n: int = 1,
    seed: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    pitch_range: tuple[int, int] | None = None,
    in_scale: bool = False,
    key: str | None = None,
    mode: str | None = None,
    chord_rhythm: str | None = "auto",
    voice_leading: bool = True,
    lookahead: int = 8,
    batch_size: int = 16,
    chords_from: str = "harmonizer",
    harmonizer: Any = None,
    rhythm_feedback: float | None = None,
    texture: str | None = None,
    voice_ranges: Any = None,
) -> list[Take]:
    """Harmonize the melody of `melody_piece` (its melody track, else soprano, else first part).

    Lead-sheet chords come from the harmonizer (`chords_from="harmonizer"`, the default: the
    network shipped beside the default model, or `harmonizer`, a `tunesmith.harmonizer.Harmonizer`
    or its folder; it hears the whole melody and names a chord per half bar; take 1 is its most
    likely progression, further takes are drawn from it), from the count table (`"table"`: the
    most frequent chord over the unit's melody notes in the shippable training split; further
    takes drawn in proportion to counts), from the composer itself (`"model"`, below), or from
    the piece's own accompaniment (`"accompaniment"`: the chords its other tracks play, named as
    chord symbols, `harmony.chords_from_notes`). Where the musician's accompaniment plays chords,
    the take's MIDI and audio have no chord track comping over it.
    Measured on held-out Nottingham and POP909 melodies by scripts/eval_cocreate.py. Chorales
    with `"harmonizer"`: the chorale harmonizer plans a chord on every beat of the soprano (one
    plan for all takes) and the alto, tenor and bass aim at its tones where the voice-leading
    rules allow.

    style "chorale": alto, tenor and bass under the melody as soprano (`texture` "hymn": note against
    note, striking only on beats, with the melody or where the planned chord changes under its held
    note), each voice in its vocal
    range (textbook SATB ranges unless `pitch_range` is given), no crossing of adjacent voices
    and no parallel fifths/octaves where the mask can avoid them (`voice_leading`); else a lead
    sheet: chord symbols, with a chord on every downbeat (`chord_rhythm` "auto"), exactly one
    per bar ("bar") or one per half bar ("half"; meters with an even numerator), or as the model
    likes (None). The melody is decoded FORCED token by token; only the other parts are
    sampled; the output's melody is a copy of the given notes. Chord symbols come before the
    melody of their bar in the token stream, so each bar's chords are chosen among `lookahead`
    proposals by how likely the model finds the bar's given melody after them (0/1: off).
    """
    piece = load_piece(melody_piece)
    meter = _meter_of(piece)
    melody = _melody_track(piece, "harmonize")
    _check_n(n)
    check_lookahead(lookahead)
    chord_rhythm = _rhythm(chord_rhythm)
    style = _style_of(style, piece)
    asked = key is not None or mode is not None  # the musician named a key: it is kept as given
    home = _key_of(piece, key, mode)
    tonic, mode = home
    layout = "satb" if style == "chorale" else "lead"
    texture = chorale_texture(texture, style)
    voice_ranges = harmonize_voice_ranges(voice_ranges, style)
    closes_in = None
    if layout == "satb" and not asked:
        # a melody that modulates and ends in the new key closes there: harmonized in the home key,
        # the voices had closed on IV of the new key (a C chord under the G the melody ends on)
        closes_in = closing_key(piece, melody.notes, tonic, mode)
        if closes_in is not None:
            tonic, mode = closes_in.tonic, closes_in.mode
    if chords_from not in CHORD_SOURCES:
        raise ValueError(f"chords_from must be one of {', '.join(CHORD_SOURCES)}, got {chords_from!r}")
    if chords_from == "accompaniment" and layout != "lead":
        raise ValueError("chords_from='accompaniment' names the chords a track plays as chord symbols: a lead "
                         "sheet's, not a chorale's alto, tenor and bass")  # fmt: skip
    if layout == "lead" and chords_from != "model":
        return _harmonize_from_chords(piece, melody, style, tonic, mode, n, seed, chord_rhythm, chords_from, harmonizer,
                                      label_shift=style_decoding(model, style).get("chords_label_shift")
                                      if chords_from == "harmonizer" else None)  # fmt: skip
    first = LAYOUTS[layout][0]
    # a chorale whose soprano holds its last note over the bar line is written to the bar line after
    # its strike, where the voices close with it, and its final chord is held on to the end
    held = held_over_the_last_bars(piece, melody) if layout == "satb" and HELD_FINAL_CLOSE else None
    work, given_notes = held if held is not None else (piece, list(melody.notes))
    grid = _grid(work, meter)
    if layout == "lead":
        user = pitch_range or DEFAULT_RANGES.get(style, (55, 84))
        request = _request(style, tonic, mode, meter, piece, layout, user, in_scale, temperature, top_p, seed,
                           rhythm_feedback=rhythm_feedback)  # fmt: skip
    else:
        request = _request(style, tonic, mode, meter, piece, layout, pitch_range, in_scale, temperature, top_p, seed,
                           rhythm_feedback=rhythm_feedback, texture=texture, satb_ranges=voice_ranges)  # fmt: skip
    W = _work_piece(work, grid, layout, {first: given_notes}, [], style, tonic, mode, _told_tempo(model, style, piece))
    ids = tokenizer.encode(W)
    secs = _bar_sections(tokenizer, ids, _first_bar(tokenizer, ids))
    melody_per_bar = sum(len(s["voices"].get(first, [])) for s in secs) / max(1, len(secs))
    # three free voices cost about what Bach's do per bar of soprano (JSB valid: 2 soprano tokens,
    # 15 for the lower voices; 6, 26), and the takes move more than his: a chunk planned at that
    # rate ran out of room near its end and left bars empty in alto, tenor and bass (2 of 39
    # harmonized chorales), so with room to spare
    free = 8.0 if layout == "lead" else 1.4 * 3 * (1.5 * melody_per_bar + 2)
    chord_plan = (_chorale_plan(W, tonic, mode, harmonizer, **plan_costs(model))
                  if layout == "satb" and chords_from == "harmonizer" else ())  # fmt: skip
    job = _Job(
        W=W,
        grid=grid,
        layout=layout,
        region=(0, grid.n),
        forced_voices=frozenset({first}),
        chords="free" if layout == "lead" else "none",
        rhythm=chord_rhythm,
        guard=voice_leading and layout == "satb",
        request=request,
        ranges=_ranges(layout, request, pitch_range),
        fim=False,
        free_per_bar=free,
        lookahead=lookahead if layout == "lead" else 0,
        chord_plan=chord_plan,
        bass_plan=bass_line.plan_bass(chord_plan, W.tracks[0].notes, W.fermatas) if chord_plan and bass_line.PLANNED_BASS else (),
        tuned=style_decoding(model, style),
        # a chorale's voices close on the tonic chord, held, where the melody ends on one of its tones
        close=layout == "satb" and request.closes() and _ends_in_tonic_triad(melody.notes, tonic, mode),
    )
    if chord_plan and n > 1 and CHORALE_PLAN_PER_TAKE:
        results, seed, decoding = _takes_on_their_own_plans(model, tokenizer, job, n, seed, batch_size, harmonizer,
                                                            (tonic, mode))  # fmt: skip
    else:
        results, seed, decoding = _run(model, tokenizer, job, n, seed, batch_size)
    takes = []
    for i, res in enumerate(results):
        given = Track(
            melody.name if layout == "lead" else "Soprano",
            "melody" if layout == "lead" else "soprano",
            melody.program if layout == "lead" else 52,
            False,
            [copy.copy(x) for x in melody.notes],
        )
        tracks = [given]
        if layout == "satb":
            # the voices end with the melody (its last note may stop short of the bar line)
            melody_end = max(x.onset + x.duration for x in melody.notes)
            # (with the soprano's held last note, the chord sounding where the work piece ends holds on)
            cut = work.duration() if held is not None else melody_end
            for v in ("A", "T", "B"):
                notes = sorted(res.notes.get(v, []), key=lambda x: x.onset)
                notes = [Note(x.pitch, x.onset, (melody_end if x.onset + x.duration >= cut - _EPS else
                                                 min(x.onset + x.duration, melody_end)) - x.onset, x.velocity)
                         for x in notes if x.onset < melody_end - _EPS]  # fmt: skip
                tracks.append(Track(VOICE_NAMES[v], VOICE_ROLES[v], 52, False, notes))
        out = _harmonized_piece(
            piece,
            i,
            style,
            tracks,
            sorted(res.chords, key=lambda c: c.onset) if layout == "lead" else [],
            keys=(
                [KeySignature(0.0, *home)]  # the key asked for, else the one heard (not where it closes)
                if asked or not piece.keys
                else copy.deepcopy(piece.keys)
            ),
            end=max(piece.duration(), grid.end_of(grid.n - 1)),
            melody=melody,
        )
        _assert_kept(melody.notes, given.notes, "the melody")
        if [_note_key(x) for x in given.notes] != [_note_key(x) for x in melody.notes]:
            raise KeptNotesError("co-create changed the melody")
        meta = {"operation": "harmonize", "style": style, "layout": layout, "chord_rhythm": chord_rhythm, **decoding,
                "closed": job.close, **res.ending}  # fmt: skip
        if closes_in is not None:
            meta["closing_key"] = {"from": f"{home[0]} {home[1]}", "to": f"{closes_in.tonic} {closes_in.mode}",
                                   "from_bar": int(sum(1 for b in piece.bars() if b <= closes_in.onset + _EPS))}
        takes.append(_finish_take(out, res, seed, i, meta))
    return takes


# ============================================================================ inpaint
def inpaint(
    model,
    tokenizer: Tokenizer,
    piece: Piece | str | os.PathLike,
    bars: Any = (5, 8),
    *,
    keep: Any = None,
    style: str | None = None,
    n: int = 1,
    seed: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    pitch_range: tuple[int, int] | None = None,
    in_scale: bool = False,
    key: str | None = None,
    mode: str | None = None,
    chord_rhythm: str | None = None,
    voice_leading: bool = True,
    lookahead: int = 8,
    batch_size: int = 16,
    chords_from: str = "harmonizer",
    harmonizer: Any = None,
    tonal_feedback: float | None = None,
    rhythm_feedback: float | None = None,
) -> list[Take]:
    """Regenerate bars `bars` (the musician's numbers, first and last inclusive: (5, 8) or "5-8").

    Fill-in-the-middle: the model sees the bars before and after and writes the middle under
    the composer's constraints. `keep` names parts kept inside the range too ("melody" -> new
    chords only, melody forced; "soprano", "bass", "chords" or a list of them); everything else
    the tokenizer writes (melody/voices and chord symbols) is regenerated there. Outside the
    range every note and chord stays as it was; tracks the tokenizer does not write
    (accompaniment, drums) are kept whole. Pitch range for a regenerated melody: the piece's
    own (widened a little) unless `pitch_range`; chorale voices: textbook SATB ranges.
    `chord_rhythm` for regenerated chord symbols: as in `harmonize`; None: "auto" (a chord on
    every downbeat) when a lead sheet's melody is kept, else the model's own ("free");
    `lookahead`: chord proposals per bar when the melody is kept (see `harmonize`).
    `chords_from`: when a lead sheet's melody is kept and only its chords are regenerated, they
    come from the harmonizer (default; it hears the whole melody, the bars around the range
    included; take 1 its best chords, further takes drawn), or from the composer ("model").
    Sampled at the style's tuned temperature and top-p unless given, with its tonal and rhythm
    feedback (which hear the music around the range too).
    """
    if chords_from not in ("harmonizer", "model"):
        raise ValueError(f"chords_from must be 'harmonizer' or 'model', got {chords_from!r}")
    piece = load_piece(piece)
    meter = _meter_of(piece)
    melody = _melody_track(piece, "inpaint")
    _check_n(n)
    check_lookahead(lookahead)
    grid = _grid(piece, meter)
    g0, g1 = _region_of(piece, grid, bars)
    style = _style_of(style, piece)
    # bars in a passage in another key (a minor middle section) are written in that key
    asked_mode = mode
    tonic, mode = _key_of(piece, key, mode, span=(grid.starts[g0], grid.end_of(g1 - 1)))
    layout, vtracks = _voice_tracks(piece)
    if asked_mode is None:
        mode = minor_as_written(piece, tonic, mode, layout)
    kept_voices, keep_chords = _parse_keep(keep, layout)
    voices = LAYOUTS[layout]
    if set(voices) <= kept_voices and keep_chords:
        raise ValueError("keep: every part is kept; nothing to regenerate")
    rhythm = _rhythm(chord_rhythm)
    if chord_rhythm is None and layout == "lead" and "M" in kept_voices:
        rhythm = "auto"
    t0, t1 = grid.starts[g0], grid.end_of(g1 - 1)

    def inside(x: float) -> bool:
        return t0 - _EPS <= x < t1 - _EPS

    def outside_part(notes: list[Note]) -> list[Note]:
        """The notes outside the region, with the part after it of a note held out of it: a note
        tied from the region's last bar into the next is struck again there, as written, so
        the bar after the region stays the musician's (it had begun with a rest)."""
        out = [x for x in notes if not inside(x.onset)]
        out += [dataclasses.replace(x, onset=t1, duration=x.onset + x.duration - t1)
                for x in notes if inside(x.onset) and x.onset + x.duration > t1 + _EPS]  # fmt: skip
        return sorted(out, key=lambda x: (x.onset, x.pitch))

    if layout == "lead" and "M" in kept_voices and not keep_chords and chords_from == "harmonizer":
        return _rechord_region(piece, grid, (g0, g1), inside, style, tonic, mode, n, seed, rhythm, harmonizer)
    known: dict[str, list[Note]] = {}
    for v, track in vtracks.items():
        known[v] = list(track.notes) if v in kept_voices else outside_part(track.notes)
    chords = list(piece.chords) if keep_chords else [c for c in piece.chords if not inside(c.onset)]
    controls = dict(tonal_feedback=tonal_feedback, rhythm_feedback=rhythm_feedback)
    if layout == "lead":
        user = _lead_range(melody.notes, pitch_range)
        request = _request(style, tonic, mode, meter, piece, layout, user, in_scale, temperature, top_p, seed, **controls)
    else:
        request = _request(style, tonic, mode, meter, piece, layout, pitch_range, in_scale, temperature, top_p, seed,
                           **controls)  # fmt: skip
    W = _work_piece(piece, grid, layout, known, chords, style, tonic, mode, _told_tempo(model, style, piece))
    # expected tokens per bar of what is regenerated: the piece's own density
    full = _work_piece(piece, grid, layout, {v: list(t.notes) for v, t in vtracks.items()}, list(piece.chords),
                       style, tonic, mode)  # fmt: skip
    ids = tokenizer.encode(full)
    secs = _bar_sections(tokenizer, ids, _first_bar(tokenizer, ids))
    free_tokens = sum(
        sum(len(s["voices"].get(v, [])) for v in voices if v not in kept_voices)
        + (0 if keep_chords else len(s["chords"]))
        for s in secs
    )
    job = _Job(
        W=W,
        grid=grid,
        layout=layout,
        region=(g0, g1),
        forced_voices=kept_voices,
        chords="forced" if keep_chords else "free",
        rhythm=rhythm,
        guard=voice_leading and layout == "satb",
        request=request,
        ranges=_kept_compass(_ranges(layout, request, pitch_range), layout,
                             [] if "S" in kept_voices else known.get("S", []), pitch_range),  # fmt: skip
        fim=True,
        free_per_bar=1.3 * free_tokens / max(1, len(secs)) + 4,
        lookahead=lookahead if layout == "lead" and "M" in kept_voices else 0,
        tuned=style_decoding(model, style),
        # bars that end the piece end it as a continuation does (a kept melody must allow it)
        close=g1 == grid.n
        and request.closes()
        and not (kept_voices & {"M", "S"} and not _ends_in_tonic_triad(melody.notes, tonic, mode)),
    )
    results, seed, decoding = _run(model, tokenizer, job, n, seed, batch_size)
    takes = []
    for i, res in enumerate(results):
        out = copy.deepcopy(piece)
        out.meta = _copy_meta(piece)
        if out.style not in STYLES:  # a file with no style of its own takes the one its bars were written in
            out.style = style
        track_of = _output_tracks(out, piece, vtracks, layout)
        for v, track in track_of.items():
            if v in kept_voices:
                continue
            track.notes = outside_part(track.notes)
            track.notes.extend(res.notes.get(v, []))
            track.notes.sort(key=lambda x: (x.onset, x.pitch))
        chords_source = "given" if keep_chords else "model"
        if not keep_chords and layout == "lead" and not piece.chords and CHORDLESS_STAYS_CHORDLESS:
            # a melody without chord symbols gets none in its new bars either: two bars of chords in
            # a fiddler's bare jig, and N.C. where they stopped (MuseScore 3 printed "CN.C.")
            chords_source = None
        elif not keep_chords:
            out.chords = sorted([c for c in out.chords if not inside(c.onset)] + res.chords, key=lambda c: c.onset)
            if layout == "lead":
                back = closing_bars(res.ending) if g1 - closing_bars(res.ending) >= g0 else 1  # (as continue's)
                close_at = grid.starts[g1 - back] if job.close else t1
                chords_source = fit_new_chords(out, t0, close_at, t1, style, tonic, mode, model, seed, i,
                                                kept_after=piece.chords)  # fmt: skip
                _stop_new_chords(out, piece, t0, t1)
        # the musician's notes: everything outside the range, and kept voices inside it too
        regenerated = {id(vtracks[v]) for v in voices if v in vtracks and v not in kept_voices}
        for orig, new in zip(piece.tracks, out.tracks):
            if id(orig) in regenerated:
                _assert_kept([x for x in orig.notes if not inside(x.onset)], new.notes, f"track {orig.name!r}")
            elif [_note_key(x) for x in orig.notes] != [_note_key(x) for x in new.notes]:
                raise KeptNotesError(f"co-create changed the kept track {orig.name!r}")
        if keep_chords and [(c.onset, c.figure) for c in out.chords] != [(c.onset, c.figure) for c in piece.chords]:
            raise KeptNotesError("co-create changed the kept chords")
        meta = {
            "operation": "inpaint",
            "bars": [grid.number(g0), grid.number(g1 - 1)],
            "keep": sorted(VOICE_ROLES[v] for v in kept_voices) + (["chords"] if keep_chords else []),
            "style": style,
            **decoding,
            "closed": job.close,
            **res.ending,
        }
        if layout == "lead":
            meta["chords_from"] = chords_source  # the new bars' chords: "harmonizer", "model", "given" or None (none)
        takes.append(_finish_take(out, res, seed, i, meta))
    return takes


# Whether inpaint leaves a lead sheet without chord symbols without them (False: the new bars had the
# composer's chords, before session 53).
CHORDLESS_STAYS_CHORDLESS = True


def _stop_new_chords(out: Piece, given: Piece, t0: float, t1: float) -> None:
    """Where no chord of the musician's sounds on at the region's end (`t1`), the region's last new
    chord stops there (in place): an inpaint of a melody without chords had left its new B-flat
    sounding under the given bars to the end of the piece."""
    from tunesmith.baselines.harmony_baseline import chord_at

    before = chord_at(sorted(given.chords, key=lambda c: c.onset), t1)
    if before is not None and (before.duration is None or before.onset + before.duration > t1 + _EPS):
        return
    new = [c for c in out.chords if t0 - _EPS <= c.onset < t1 - _EPS]
    if new:
        last = max(new, key=lambda c: c.onset)
        if last.duration is None or last.onset + last.duration > t1 + _EPS:
            last.duration = t1 - last.onset


def _told_tempo(model, style: str, piece: Piece) -> float:
    """The tempo the model is told for `piece` (`sampling.header_tempo`: the nearest its style
    was learned at, from `held_tempo`); the result keeps the piece's own."""
    return header_tempo(min(MAX_TEMPO, max(MIN_TEMPO, held_tempo(piece))), style_decoding(model, style))


def held_tempo(piece: Piece) -> float:
    """The tempo that holds for the most beats of `piece` (its first where it has one, 120 where
    none): the model had been told a file's first tempo, a slow introduction's 60 for a song
    that goes on at 132."""
    tempos = sorted((t for t in piece.tempos if t.qpm > 0), key=lambda t: t.onset)
    held = _beats_at_each_tempo(tempos, 0.0, piece.duration()) if len(tempos) > 1 else {}
    if not held:
        return piece.tempo
    return max(held, key=lambda q: held[q])  # on a tie, the first heard (max keeps the first)


def _beats_at_each_tempo(tempos: list, since: float, end: float) -> dict[float, float]:
    """{qpm: beats it holds between `since` and `end`} for tempo events sorted by onset, in the
    order first heard."""
    held: dict[float, float] = {}
    for i, t in enumerate(tempos):
        a = max(t.onset, since)
        b = min(tempos[i + 1].onset if i + 1 < len(tempos) else end, end)
        if b > a + _EPS:
            held[t.qpm] = held.get(t.qpm, 0.0) + (b - a)
    return held
