"""Playback shaping: a metrical accent for generated notes, and swing for the audio of jazz.

Neither changes what is notated: `accent` sets the velocity of notes tunesmith wrote (never the
musician's), and `swing` returns a copy whose off-beat eighths are delayed, used only to render
the WAV (the MIDI and MusicXML keep straight eighths, so a round trip reads the same rhythm).
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Callable

from tunesmith.score import Note, Piece, TimeSignature

# velocity by metrical weight: downbeat, the middle of the bar (beat 3 of 4/4, beat 4 of 6/8),
# other beats, off-beats
VELOCITIES = (96, 88, 80, 70)
ACCOMPANIMENT_SCALE = 0.85  # lower voices and chord parts sit under the melody
SWING_RATIO = 2 / 3  # the long eighth of a swung pair: 2/3 of the beat (triplet feel)
_EPS = 1e-6


def _meter_at(piece: Piece, t: float) -> TimeSignature:
    cur = piece.time_signature
    for ts in sorted(piece.time_signatures, key=lambda x: x.onset):
        if ts.onset <= t + _EPS:
            cur = ts
    return cur


def metrical_weight(piece: Piece, onset: float, bars: list[float] | None = None) -> int:
    """0 on a downbeat, 1 on the bar's middle beat (4/4, 6/8, 12/8, 2/2 ...), 2 on other beats, 3 off the beat."""
    bars = bars if bars is not None else piece.bars()
    i = max(0, bisect.bisect_right(bars, onset + _EPS) - 1)
    ts = _meter_at(piece, onset)
    start = bars[i]
    if i == 0 and len(bars) > 1 and bars[1] - bars[0] < ts.bar_length - _EPS:
        start = bars[1] - ts.bar_length  # a pickup counts from where its full bar would start
    rel = onset - start
    beat = ts.beat_length
    if abs(rel) < _EPS:
        return 0
    n_beats = round(ts.bar_length / beat)
    pos = rel / beat
    if abs(pos - round(pos)) > 1e-3:
        return 3
    if n_beats % 2 == 0 and n_beats >= 2 and round(pos) == n_beats // 2:
        return 1
    return 2


def accent(piece: Piece, keep: Callable[[int, Note], bool] | None = None) -> Piece:
    """Set the velocity of every note of `piece` (in place; returns it) by its metrical weight
    (`VELOCITIES`), parts other than the melody/soprano a little softer. `keep(track_index, note)`
    True leaves a note as it is (the musician's notes)."""
    bars = piece.bars()
    for ti, track in enumerate(piece.tracks):
        if track.is_drum:
            continue
        scale = 1.0 if track.role in ("melody", "soprano") else ACCOMPANIMENT_SCALE
        for n in track.notes:
            if keep is not None and keep(ti, n):
                continue
            n.velocity = max(1, min(127, round(VELOCITIES[metrical_weight(piece, n.onset, bars)] * scale)))
    return piece


def swing(piece: Piece, ratio: float = SWING_RATIO) -> Piece:
    """A copy with swung eighths: in x/4 and 2/2 meters, a note starting half a beat after a quarter
    beat moves to `ratio` of the beat, and a note ending there ends there too. Other meters
    (compound ones are already triple) come back unchanged."""
    out = copy.deepcopy(piece)
    if ratio <= 0.5 or ratio >= 1:
        return out

    def moved(t: float) -> float:
        ts = _meter_at(piece, t)
        if ts.denominator != 4 or ts.is_compound:
            return t
        frac = t - int(t + _EPS)
        if abs(frac - 0.5) < _EPS:
            return int(t + _EPS) + ratio
        return t

    for track in out.tracks:
        for n in track.notes:
            start, stop = moved(n.onset), moved(n.onset + n.duration)
            if stop > start + _EPS:
                n.onset, n.duration = start, stop - start
    return out
