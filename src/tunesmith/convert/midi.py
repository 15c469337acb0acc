"""`Piece` <-> symusic Scores (MIDI): `from_symusic` / `to_symusic`, with the marker conventions
`tunesmith.convert` describes and pickups read from a short first bar or from accents."""

from __future__ import annotations

import contextlib
import math
from typing import Any

from ..harmony import (
    key_from_sharps,
    normalize_figure,
    sharps_of,
)
from ..score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track
from .common import (
    _EPS,
    BASS_TRACK_NAME,
    CHORD_TRACK_NAME,
    COMP_TRACK_NAMES,
    TPQ,
    _finish,
    _named_for_role,
    _piece_kwargs,
    _strip_role_suffix,
    chord_durations,
    guess_role,
    no_chord_stops,
)


# ------------------------------------------------------------------------------ symusic
def tick_score(score: Any) -> Any:
    """`score` in tick time (symusic Scores in quarter or second time are converted; their
    float32 times round to the nearest tick)."""
    ttype = str(score.ttype).lower()
    return score if ttype.endswith("tick") else score.to("tick")


def ticks_to_beats(ticks: Any, tpq: int) -> Any:
    """Quarter beats (float64) of integer tick times: exact multiples of 1/tpq, so a time on
    the file's grid comes back as the float nearest to it (16.0, not float32's 16.00000032)."""
    import numpy as np

    if isinstance(ticks, (int, float)):
        return int(round(ticks)) / tpq
    return np.asarray(ticks, dtype=np.int64) / float(tpq)


def from_symusic(score: Any, **kw: Any) -> Piece:
    """Piece from a symusic Score (any time unit). Keyword arguments set Piece fields.
    Reads back the markers `to_symusic` writes (chords, modes, pickup, title).

    Times are read as integer ticks and divided by the file's ticks per quarter in float64
    (a Score in quarter/second time is converted to ticks first): symusic's quarter time is
    float32, which puts a note written to end at beat 16 at 16.00000032 and adds a bar."""
    fields = _piece_kwargs(kw)
    piece = Piece(**fields)
    q = tick_score(score)
    tpq = int(q.ticks_per_quarter)

    def beats(ticks: Any) -> float:
        return ticks_to_beats(int(ticks), tpq)

    chords: list[ChordSymbol] = []
    stops: list[float] = []
    mode_keys: list[KeySignature] = []
    for m in q.markers:
        text = m.text.strip()
        t = beats(m.time)
        if text.startswith("chord:"):
            fig = text[6:].strip()
            try:
                chords.append(ChordSymbol(t, normalize_figure(fig)))
            except ValueError:
                stops.append(t)
        elif text.startswith("key:"):
            parts = text.split(":")
            if len(parts) == 3:
                mode_keys.append(KeySignature(t, parts[1], parts[2]))
        elif text.startswith("pickup:"):
            with contextlib.suppress(ValueError):
                # written with %g: snap to the tick grid (a pickup of 1/3 beat reads 0.333333)
                piece.meta["pickup"] = round(float(text[7:]) * tpq) / tpq
        elif text.startswith("title:") and not piece.title:
            piece.title = text[6:].strip()
        elif text.startswith("style:") and not piece.style:
            piece.style = text[6:].strip().lower()
        elif text == "loopStart" and t == 0:  # a loop round the whole piece (`to_symusic`)
            piece.meta["loop"] = True
    tracks = [t for t in q.tracks if len(t.notes)]
    has_chord_markers = bool(chords)
    named = [t for t in tracks if not (has_chord_markers and t.name in COMP_TRACK_NAMES)]
    for i, t in enumerate(named):
        name = t.name or ""
        role = guess_role(name, i, len(named), is_drum=t.is_drum)
        notes = t.notes.numpy()
        starts = notes["time"].astype("int64")
        ticks = notes["duration"].astype("int64")
        onsets = ticks_to_beats(starts, tpq)
        # duration = end - onset in beats, so onset + duration gives the end back exactly
        durations = ticks_to_beats(starts + ticks, tpq) - onsets
        track = Track(name=_strip_role_suffix(name) or role, role=role, program=int(t.program), is_drum=bool(t.is_drum))
        track.notes = [
            Note(int(p), float(o), float(d), int(v))
            for o, d, p, v, n_ticks in zip(onsets, durations, notes["pitch"], notes["velocity"], ticks)
            if n_ticks > 0
        ]
        piece.tracks.append(track)
    if mode_keys:
        piece.keys = mode_keys
    else:
        for k in q.key_signatures:
            piece.keys.append(key_from_sharps(int(k.key), "minor" if int(k.tonality) else "major", beats(k.time)))
    piece.time_signatures = [TimeSignature(beats(ts.time), int(ts.numerator), int(ts.denominator)) for ts in q.time_signatures]
    if piece.time_signatures and min(ts.onset for ts in piece.time_signatures) > _EPS:
        # the MIDI standard's meter before the first time signature event is 4/4 (without it the
        # notes before that event lie in no bar, and their notation comes out 2048ths long)
        piece.time_signatures.insert(0, TimeSignature(0.0, 4, 4))
    piece.tempos = [Tempo(beats(tp.time), float(tp.qpm)) for tp in q.tempos]
    end = beats(q.end()) if len(tracks) else 0.0
    piece.chords = chord_durations(chords, end, stops)
    _pickup_from_short_first_bar(piece)
    _pickup_from_accents(piece)
    if "pickup" in piece.meta:
        pickup = piece.meta["pickup"]
        piece.end = end
        shifted = [TimeSignature(max(ts.onset, pickup), ts.numerator, ts.denominator) for ts in piece.time_signatures]
        rest = Piece(piece_id="x", work_id="x", time_signatures=shifted or [TimeSignature(pickup, 4, 4)], end=end)
        piece.bar_onsets = [0.0] + [b for b in rest.bars() if pickup - _EPS <= b < end - _EPS]
    return _finish(piece)


def _pickup_from_short_first_bar(piece: Piece) -> None:
    """A pickup written as notation programs export it to MIDI (MuseScore, Sibelius): a first bar
    in its own short meter (1/8, then 6/8 from the first downbeat). It becomes a pickup of the
    piece's meter (`meta["pickup"]`), not a meter change, so the bar lines fall where they were."""
    ts = sorted(piece.time_signatures, key=lambda x: x.onset)
    if len(ts) < 2 or ts[0].onset > _EPS:
        return
    first, second = ts[0], ts[1]
    if abs(second.onset - first.bar_length) < _EPS and first.bar_length < second.bar_length - _EPS:
        given = piece.meta.get("pickup")
        if given is not None and abs(given - second.onset) > _EPS:
            return  # a "pickup:" marker that says otherwise: the meters stay as written
        piece.meta["pickup"] = second.onset
        piece.time_signatures = [TimeSignature(0.0, second.numerator, second.denominator), *ts[2:]]


# `_pickup_from_accents`: the loudest notes mark the bars where at least this share of them (after
# the first note) fall at one place in the bar, they sound in at least half the bars and at most
# ACCENT_MAX_PER_BAR times a bar on average (a mark per bar, not per beat)
ACCENT_SHARE = 0.9
ACCENT_MAX_PER_BAR = 1.5
_ACCENT_GRID = 48  # accent places snap to 1/48 of a quarter note (a sequencer a tick late is on time)


def _pickup_from_accents(piece: Piece) -> None:
    """A pickup that only the velocities tell: abc2midi (and sequencers that accent by meter) strike
    the first note of each bar loudest (abc2midi: 105, other beats 95, the rest 80) but mark no
    pickup, so a tune that starts with one reads with every bar line early. Where the melody's
    loudest notes fall once a bar at one place other than the bar line as read, that place is
    where the bars start (`meta["pickup"]`, `meta["pickup_from"] = "accents"`). Of the 1,195
    irish/ tunes, about 650 start with a pickup told this way (`runs/s17/irish_vel.py`, session
    17); before, all of them read without one. Nothing changes for one meter change or more, a
    "pickup:" marker, or velocities that do not mark bars (a human performance)."""
    if "pickup" in piece.meta or len(piece.time_signatures) != 1:
        return
    melody = next((t for t in piece.tracks if not t.is_drum and t.notes), None)
    if melody is None or len(melody.notes) < 16:
        return
    velocities = {n.velocity for n in melody.notes}
    if len(velocities) < 2:
        return
    bar = piece.time_signature.bar_length
    loud = max(velocities)
    first = melody.notes[0].onset
    marks = [n.onset for n in melody.notes[1:] if n.velocity == loud]
    n_bars = max(1.0, (melody.notes[-1].onset - first) / bar)
    if len(marks) < max(4, n_bars / 2) or len(marks) > ACCENT_MAX_PER_BAR * n_bars:
        return
    places: dict[int, int] = {}
    for t in marks:
        place = round(((t - first) % bar) * _ACCENT_GRID) % round(bar * _ACCENT_GRID)
        places[place] = places.get(place, 0) + 1
    place, count = max(places.items(), key=lambda kv: kv[1])
    if count < ACCENT_SHARE * len(marks) or place == 0:
        return
    piece.meta["pickup"] = first + place / _ACCENT_GRID
    piece.meta["pickup_from"] = "accents"


def _pickup_meter(piece: Piece) -> tuple[int, int] | None:
    """(numerator, denominator) of a pickup bar's own meter (an eighth: 1/8; a beat of 4/4: 1/4),
    None without a pickup or when no meter of a power-of-two note value spells its length."""
    length = piece.pickup_beats() if piece.bar_onsets else 0.0
    if not length:
        return None
    for den in sorted({piece.time_signature.denominator, 4, 8, 16, 32}):
        num = length * den / 4
        if den >= piece.time_signature.denominator and abs(num - round(num)) < _EPS and round(num) >= 1:
            return round(num), den
    return None


def to_symusic(piece: Piece, *, chord_program: int | None = None) -> Any:
    """symusic Score (tick time, 480 per quarter): one track per Track with its GM program
    (tunesmith's takes get their style's instruments when made, `performance.orchestrate`),
    plus a chord track comping the chord symbols in the style's pattern (`performance.comp_parts`;
    program `chord_program`, default by style, `performance.STYLE_PROGRAMS`; from `meta["comp_from"]`
    where the piece says so), the comping's bass on a track of its own in a lead sheet's style
    (`performance.BASS_PROGRAMS`), and "chord:" markers."""
    import symusic

    from ..performance import bass_program, comp_parts
    from ..performance import chord_program as default_chord_program

    def tick(x: float) -> int:
        return int(round(x * TPQ))

    score = symusic.Score(TPQ)
    for i, track in enumerate(piece.tracks):
        st = symusic.Track(_named_for_role(track, i, len(piece.tracks)), int(track.program), bool(track.is_drum))
        for n in track.notes:
            st.notes.append(symusic.Note(tick(n.onset), max(1, tick(n.onset + n.duration) - tick(n.onset)), int(n.pitch), int(n.velocity)))
        score.tracks.append(st)
    if piece.chords:
        if chord_program is None:
            chord_program = default_chord_program(piece)
        ct = symusic.Track(CHORD_TRACK_NAME, int(chord_program), False)
        chords = chord_durations([ChordSymbol(c.onset, c.figure, c.duration) for c in piece.chords], piece.duration())
        # the chord track comps in the style's pattern (`performance.comp_notes`); the markers
        # carry the figures exactly, and the reader drops this track
        # where the given music has its own accompaniment (`meta["comp_from"]`, a continuation), the
        # chord track comps only from there: it had doubled the musician's keys over the given bars
        comp_from = float(piece.meta.get("comp_from") or 0.0)
        parts = comp_parts(piece, chords)  # a bass part only in a lead sheet's style, which has its program
        bt = symusic.Track(BASS_TRACK_NAME, int(bass_program(piece) or chord_program), False)
        for track, part in ((ct, parts["chords"]), (bt, parts["bass"])):
            for onset, dur, p, vel in part:
                if onset >= comp_from - _EPS:
                    track.notes.append(symusic.Note(tick(onset), max(1, tick(onset + dur) - tick(onset)), p, vel))
        for c in chords:
            score.markers.append(symusic.TextMeta(tick(c.onset), f"chord:{c.figure}"))
        for stop in no_chord_stops(piece, chords):
            # an explicit stop where a chord ends before the next one starts or the piece ends (N.C.)
            score.markers.append(symusic.TextMeta(tick(stop), "chord:N.C."))
        if len(ct.notes):
            score.tracks.append(ct)
        if len(bt.notes):
            score.tracks.append(bt)
    signatures = piece.time_signatures or [TimeSignature(0.0, 4, 4)]
    pickup_meter = _pickup_meter(piece)
    if pickup_meter is not None:
        # a pickup as notation programs export it: a first bar in its own short meter (1/8), the
        # piece's meter from the first downbeat, so a DAW's bar lines fall where the score's do
        first = sorted(signatures, key=lambda x: x.onset)[0]
        score.time_signatures.append(symusic.TimeSignature(0, *pickup_meter))
        signatures = [TimeSignature(max(ts.onset, piece.bar_onsets[1]), ts.numerator, ts.denominator) if ts is first
                      else ts for ts in signatures]  # fmt: skip
    for ts in signatures:
        score.time_signatures.append(symusic.TimeSignature(tick(ts.onset), ts.numerator, ts.denominator))
    for tp in piece.tempos or [Tempo(0.0, 120.0)]:
        score.tempos.append(symusic.Tempo(tick(tp.onset), float(tp.qpm)))
    # MIDI key signatures know major/minor only: when any key is modal (or spelled unlike its
    # signature), every key also goes into a "key:" marker so the reader gets them all back
    need_markers = any(k.mode not in ("major", "minor") or k.tonic != key_from_sharps(sharps_of(k), k.mode).tonic for k in piece.keys)
    for k in piece.keys:
        score.key_signatures.append(symusic.KeySignature(tick(k.onset), sharps_of(k), 1 if k.mode == "minor" else 0))
        if need_markers:
            score.markers.append(symusic.TextMeta(tick(k.onset), f"key:{k.tonic}:{k.mode}"))
    first_len = piece.pickup_beats() if piece.bar_onsets else 0.0
    if first_len:
        score.markers.append(symusic.TextMeta(0, f"pickup:{first_len:g}"))
    if piece.title:
        score.markers.append(symusic.TextMeta(0, f"title:{piece.title}"))
    if piece.style:
        score.markers.append(symusic.TextMeta(0, f"style:{piece.style}"))
    if piece.meta.get("loop"):
        # a loop's points as game engines and MIDI players read them (RPG Maker, foobar2000's MIDI
        # player): the piece's start and end
        score.markers.append(symusic.TextMeta(0, "loopStart"))
        score.markers.append(symusic.TextMeta(tick(piece.duration()), "loopEnd"))
    score.markers.sort(key=lambda m: m.time)
    return score


def is_finite(x: float) -> bool:
    return math.isfinite(x)
