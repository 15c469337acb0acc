"""Where the bars of a melody start: a pickup (anacrusis) given by the musician, and a hint when a
file's notes sit off the bar lines it implies.

A MIDI file has no bar lines, only a time signature from its first tick. A tune with a pickup
written by a program that does not pad the first bar (music21 among them) starts its first note at
tick 0, so every bar line read from the file falls where the pickup ends early: a 6/8 tune with an
eighth-note pickup reads one eighth off throughout, its chords land on the wrong notes and its
long notes are tied over bar lines. `with_pickup` sets the bar lines as the musician says
(`--pickup BEATS`); `pickup_hint` says when the notes look shifted, so that nothing is guessed
silently.

The hint scores each shift of the bar lines by how much of the melody's time starts on strong
positions (a metrical weight per position, after Lerdahl & Jackendoff's metrical grid and the
"long notes on strong beats" preference rule in Temperley's meter finder, 2001): the downbeat
weighs most, then the other beats, then the half beats. Where no shift fits clearly better (a hymn
tune in even quarters), the tune's end speaks: one that ends a beat past a bar line as read, its
last note off a strong beat, had its pickup at tick 0 and a full last bar (`_pickup_from_the_end`).
It is checked on real tunes whose pickups are known, their bar lines removed (`python
scripts/pickup_hint_report.py`; files that say where their bars are). On the valid split (session
54): of 759 folk tunes with a pickup it names 399 right and 162 wrongly, and speaks for 10 of the
337 without one; of 51 chorales with a pickup 31 right (29 without the end's cue) and 12 wrongly,
with false hints for 4 of 26 (2); 4 of 92 pop songs right, 3 false of 33; 8 false for the 65 jazz
tunes without a pickup (swung syncopation). Many pickups go unnoticed; the hint is a note to the
musician, never applied: `--pickup` is. (`--midi --split train`: it questions 35 of the 965
irish/ training tunes, which come as MIDI files; most have their pickups read from their accents.)
"""

from __future__ import annotations

import copy

from ..score import BAR_TOLERANCE, Piece, TimeSignature

# the hint speaks only where the best shift's score beats the bars as read by this margin (a share
# of the melody's time) and the bars as read put the melody's last note off a strong position
HINT_MARGIN = 0.10


def with_pickup(piece: Piece, beats: float) -> Piece:
    """A copy of the piece whose first bar is a pickup of `beats` quarter notes (0: no pickup,
    the bars start on the first beat). One meter only; a pickup shorter than one bar of it."""
    signatures = piece.time_signatures
    if len(signatures) > 1:
        raise ValueError(f"{_where(piece)}: a pickup can be given only for a piece in one meter (this one changes meter)")
    bar = piece.time_signature.bar_length
    beats = float(beats)
    if not 0.0 <= beats < bar - BAR_TOLERANCE:
        raise ValueError(f"{_where(piece)}: pickup {beats:g} beats must be at least 0 and shorter than one bar of "
                         f"{piece.time_signature.numerator}/{piece.time_signature.denominator} ({bar:g} quarter-note beats)")  # fmt: skip
    out = copy.copy(piece)
    if beats == 0.0:
        out.bar_onsets = []
        return out
    end = piece.duration()
    onsets = [0.0]
    t = beats
    while t < end - BAR_TOLERANCE:
        onsets.append(t)
        t += bar
    out.bar_onsets = onsets
    return out


def _where(piece: Piece) -> str:
    return piece.path or piece.piece_id or "the piece"


# positions within this many quarter notes of a grid point count as on it: MIDI files that a
# sequencer wrote a tick late (the irish/ tunes start every note 1/480 beat in) still read on the beat
GRID_TOLERANCE = 0.02


def _on(x: float, unit: float) -> bool:
    return abs(x / unit - round(x / unit)) * unit < GRID_TOLERANCE


def _half_beat(ts: TimeSignature) -> float:
    """The grid under the beat, in quarter notes: the eighth (a third of 6/8's dotted quarter, half
    of 4/4's quarter)."""
    return ts.beat_length / (3 if ts.is_compound else 2)


def _weight(pos: float, ts: TimeSignature) -> float:
    """Metrical weight of a position `pos` quarter notes into a bar of meter `ts` (the levels of
    the metrical grid it lies on): 4 on the downbeat, 3 on the middle of a bar of two or four
    beats (beat 3 of 4/4), 2 on the other beats, 1 on half beats (an eighth inside 6/8's dotted
    quarter), else 0. `performance.metrical_weight` ranks the same levels for velocities, but
    without the half beats and on an exact grid, so MIDI files a tick late would read off-beat."""
    bar, beat = ts.bar_length, ts.beat_length
    pos %= bar
    if _on(pos, bar):
        return 4.0
    if round(bar / beat) % 2 == 0 and abs(pos - bar / 2) < GRID_TOLERANCE:
        return 3.0
    if _on(pos, beat):
        return 2.0
    return 1.0 if _on(pos, _half_beat(ts)) else 0.0


def metric_fit(piece: Piece, shift: float) -> float:
    """Share-weighted metrical weight of the melody's notes with bar lines at `shift` + whole bars:
    the sum over notes of duration x weight of the note's position, over the total duration."""
    melody = piece.melody()
    if melody is None or not melody.notes:
        return 0.0
    ts = piece.time_signature
    total = sum(n.duration for n in melody.notes)
    return sum(n.duration * _weight(n.onset - shift, ts) for n in melody.notes) / max(total, 1e-9)


def pickup_hint(piece: Piece) -> float | None:
    """The pickup (quarter notes) the melody's notes suggest for a piece read without bar lines of
    its own (no `bar_onsets`, one meter): the shift of the bar lines, in steps of half a beat, whose
    `metric_fit` beats the bars as read by `HINT_MARGIN`, when the bars as read also leave the
    last note off a beat. None when the bars as read fit, or the piece says where its bars are."""
    melody = piece.melody()
    if piece.bar_onsets or len(piece.time_signatures) > 1 or melody is None or len(melody.notes) < 8:
        return None
    ts = piece.time_signature
    step = _half_beat(ts)  # eighths (sixteenth steps found no more pickups)
    shifts = [k * step for k in range(1, round(ts.bar_length / step))]
    as_read = metric_fit(piece, 0.0)
    best = max(shifts, key=lambda s: metric_fit(piece, s), default=None)
    last = melody.notes[-1]
    if best is None or metric_fit(piece, best) < as_read + HINT_MARGIN:
        return _pickup_from_the_end(piece, as_read) if PICKUP_FROM_THE_END else None
    # a tune closes on a strong beat, the downbeat or a bar's middle: trust the bars as read where
    # they put its last note on one, and speak only where the shift does (a waltz read a beat early
    # closes on beat 2, a beat but no strong one: the hint had kept silent)
    if _weight(last.onset, ts) >= 3.0 or _weight(last.onset - best, ts) < 3.0:
        return None
    return round(best, 6)  # bar lines at `best` + whole bars: the notes before the first are the pickup


# `_pickup_from_the_end`: the length of a tune is a cue of its own (session 54): a hymn tune written
# out with a full last bar, its pickup at tick 0 (Old Hundredth in quarter notes), has no long note
# off the beat for `metric_fit` to find, but it ends a beat past a bar line as read
PICKUP_FROM_THE_END = True


def _pickup_from_the_end(piece: Piece, as_read: float) -> float | None:
    """The pickup the tune's end implies: where its music ends `r` quarter notes past a bar line as
    read, bar lines at `r` + whole bars end it on one; that shift is the hint when it is on the
    half-beat grid, puts the last note on a strong position (the downbeat or a bar's middle) that
    the bars as read do not, and fits the melody's notes no worse than they do."""
    ts = piece.time_signature
    melody = piece.melody()
    if melody is None or not melody.notes:
        return None
    shift = piece.duration() % ts.bar_length  # a file's end, where it has one (a last bar's rest), else its music's
    if not _on(shift, _half_beat(ts)) or _on(shift, ts.bar_length):
        return None
    last = melody.notes[-1]
    if _weight(last.onset, ts) >= 3.0 or _weight(last.onset - shift, ts) < 3.0:
        return None
    if metric_fit(piece, shift) <= as_read + 1e-9:
        return None
    return round(shift, 6)
