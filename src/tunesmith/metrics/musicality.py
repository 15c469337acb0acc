"""What a musician hears first: intervals, repetition (form), key, ending and chord fit.

Each function is pure (a Piece in, a number out; NaN where it is undefined, e.g. a melody of
one note) and is computed the same way on generated takes and on real music, so the two can
be compared side by side (`tunesmith.evaluation.musicality`). The melody is the piece's melody
track (the soprano of a chorale), made monophonic (the highest note at each onset).

References for the definitions:
- Intervals, leaps and steps: Huron, *Sweet Anticipation* (2006), ch. 5 (pitch proximity: most
  melodic intervals in Western folk melodies are steps; large leaps are rare); Vos & Troost
  (1989), "Ascending and descending melodic intervals: statistical findings", Music Perception.
- Repeated bars (form): the share of bars whose melody recurs elsewhere in the piece, as in
  the self-similarity measures of Wu & Yang (2020), "The Jazz Transformer on the front line".
- Key: music21's Krumhansl-Schmuckler key estimate (`Stream.analyze("key")`; Krumhansl 1990).
  Local keys: the same correlation over short windows of all voices (Krumhansl & Kessler 1982
  tracked modulation this way; Temperley, *The Cognition of Basic Musical Structures*, 2001,
  ch. 7), with the Aarden-Essen profiles music21 uses by default (Aarden 2003).
- Rests: a gap between one note's end and the next note's onset marks a phrase boundary
  (Temperley, *The Cognition of Basic Musical Structures*, 2001, ch. 3: the gap rule of his
  phrase-structure model).
- Ending on the tonic and chord tones: RL Tuner (Jaques et al. 2017) rewards starting/ending on
  the tonic; "melody time on chord tones" is the chord-tone ratio of Yeh et al. (2021),
  "Automatic melody harmonization with triad chords" (CTR, weighted by duration here).
"""

from __future__ import annotations

import functools
import math
from collections import Counter

from tunesmith.metrics._common import melody_line
from tunesmith.score import Piece, pitch_class_of

__all__ = [
    "chord_tone_share",
    "ends_on_estimated_tonic",
    "ends_on_tonic",
    "home_key_share",
    "key_heard",
    "local_keys",
    "leap_share",
    "mean_abs_interval",
    "repeated_bar_share",
    "rests_per_8_bars",
    "rocking_share",
    "stepwise_share",
]

_NAN = float("nan")


def _intervals(piece: Piece) -> list[int]:
    notes = melody_line(piece)
    return [abs(b.pitch - a.pitch) for a, b in zip(notes, notes[1:])]


def mean_abs_interval(piece: Piece) -> float:
    """Mean absolute interval between consecutive melody notes, in semitones (Vos & Troost 1989)."""
    iv = _intervals(piece)
    return sum(iv) / len(iv) if iv else _NAN


def leap_share(piece: Piece, larger_than: int = 7) -> float:
    """Share of melodic intervals larger than a perfect fifth (> 7 semitones)."""
    iv = _intervals(piece)
    return sum(1 for i in iv if i > larger_than) / len(iv) if iv else _NAN


def opening_leap_share(piece: Piece, intervals: int = 4, larger_than: int = 7) -> float:
    """Share of the melody's first `intervals` intervals (a pickup's included) larger than a
    perfect fifth: how a melody sets out (a measure defined here: held-out folk tunes 2.1 %, the
    folk takes of session 19 5.4 %, 11.7 % of their second intervals, mostly a pickup leaping
    into the first bar). NaN under two notes."""
    iv = _intervals(piece)[:intervals]
    return sum(1 for i in iv if i > larger_than) / len(iv) if iv else _NAN


def stepwise_share(piece: Piece) -> float:
    """Share of melodic intervals that are steps (1 or 2 semitones; repeated notes are not steps)."""
    iv = _intervals(piece)
    return sum(1 for i in iv if 1 <= i <= 2) / len(iv) if iv else _NAN


def rocking_share(piece: Piece) -> float:
    """Share of the melody's four-note windows that rock between two pitches, x-y-x-y (x != y): a
    neighbour-note figure sung twice over, which a trill aside, real melodies rarely do (a measure
    defined here: Bach's chorale sopranos 4.4 % of windows, the tunesmith chorale sopranos of
    session 18 18.2 %; the Yang-Lerch features of `metrics.c2st` see only pairs of notes, so no
    classifier there sees it). NaN under four notes."""
    m = [n.pitch for n in melody_line(piece)]
    windows = list(zip(m, m[1:], m[2:], m[3:]))
    if not windows:
        return _NAN
    return sum(1 for a, b, c, d in windows if a == c and b == d and a != b) / len(windows)


def _bar_patterns(piece: Piece) -> list[tuple]:
    """One hashable pattern per bar: the melody notes starting in it, as (onset in the bar,
    pitch, duration) rounded to 1/12 beat. Bars without notes get None."""
    notes = melody_line(piece)
    starts = list(piece.bars())
    if not starts or not notes:
        return []
    ends = starts[1:] + [max(piece.end, notes[-1].onset + notes[-1].duration)]
    out: list = []
    j = 0
    for s, e in zip(starts, ends):
        pat = []
        while j < len(notes) and notes[j].onset < e - 1e-6:
            if notes[j].onset >= s - 1e-6:
                n = notes[j]
                pat.append((round((n.onset - s) * 12), n.pitch, round(n.duration * 12)))
            j += 1
        out.append(tuple(pat) if pat else None)
    return out


def rests_per_8_bars(piece: Piece, shortest: float = 0.5) -> float:
    """Rests in the melody per 8 bars: gaps of at least `shortest` beats (an eighth note) between
    one melody note's end and the next note's onset, and after the last note to the piece's end
    (Temperley 2001's phrase-boundary gaps). NaN with fewer than 2 notes or no bars."""
    notes = melody_line(piece)
    bars = len(piece.bars())
    if len(notes) < 2 or not bars:
        return _NAN
    ends = [n.onset + n.duration for n in notes]
    gaps = sum(b.onset - e >= shortest - 1e-6 for e, b in zip(ends, notes[1:]))
    gaps += piece.duration() - max(ends) >= shortest - 1e-6
    return 8.0 * gaps / bars


def repeated_bar_share(piece: Piece) -> float:
    """Share of the melody's bars (with notes) whose exact notes and rhythm occur in at least one
    other bar of the same piece: 0 for a melody that never returns to an idea; a tune in AABB
    form with repeated strains scores high. Pitches are absolute (a sequence a step higher is
    not counted)."""
    pats = [p for p in _bar_patterns(piece) if p]
    if not pats:
        return _NAN
    counts = Counter(pats)
    return sum(1 for p in pats if counts[p] > 1) / len(pats)


def music21_key(piece: Piece) -> tuple[int, str] | None:
    """(tonic pitch class, "major" | "minor") of music21's key estimate of the piece (all pitched
    notes, each 0.25 to 8 quarter lengths; Krumhansl-Schmuckler as music21 weighs it), or None
    without notes or where music21 cannot tell."""
    from music21 import note as m21note
    from music21 import stream

    s = stream.Stream()
    any_note = False
    for tr in piece.tracks:
        if tr.is_drum:
            continue
        for n in tr.notes:
            m = m21note.Note(n.pitch)
            m.quarterLength = max(0.25, min(8.0, n.duration))
            s.insert(n.onset, m)
            any_note = True
    if not any_note:
        return None
    try:
        est = s.analyze("key")
    except Exception:  # music21 raises assorted errors on degenerate input
        return None
    return est.tonic.pitchClass, est.mode


def key_heard(piece: Piece, tonic: str | None = None, mode: str | None = None) -> float:
    """1.0 if music21's key estimate of the piece (all pitched notes, `music21_key`) has the given
    tonic and mode (default: the piece's own key signature), else 0.0; NaN without notes or key.
    Only major/minor are distinguished (other modes count as the major/minor with the same third)."""
    key = piece.key
    tonic = tonic or (key.tonic if key else None)
    mode = (mode or (key.mode if key else None) or "major").lower()
    if tonic is None:
        return _NAN
    est = music21_key(piece)
    if est is None:
        return _NAN
    minor_like = mode in ("minor", "aeolian", "dorian", "phrygian", "locrian")
    want_mode = "minor" if minor_like else "major"
    return float(est[0] == pitch_class_of(tonic) and est[1] == want_mode)


def interval_histogram(piece: Piece, buckets: int = 14) -> list[float]:
    """Shares of the melody's absolute intervals between consecutive notes, in semitones: index
    i for i semitones, the last bucket for everything from `buckets - 1` up (unisons included;
    the interval profile of a style, e.g. Huron 2006 ch. 5 on the predominance of small
    intervals). All NaN with fewer than two notes."""
    iv = _intervals(piece)
    if not iv:
        return [_NAN] * buckets
    h = [0.0] * buckets
    for i in iv:
        h[min(i, buckets - 1)] += 1.0
    return [v / len(iv) for v in h]


def degree_histogram(piece: Piece, tonic: str | None = None) -> list[float]:
    """The melody's time on each scale degree: 12 shares summing to 1, index 0 the tonic (pitch
    class minus the tonic's, mod 12), weighted by note duration (the key profile of Krumhansl &
    Kessler 1982 / Temperley 2007 is what a key finder compares such a histogram with). All NaN
    without notes or key."""
    notes = melody_line(piece)
    key = piece.key
    tonic = tonic or (key.tonic if key else None)
    if not notes or tonic is None:
        return [_NAN] * 12
    t = pitch_class_of(tonic)
    h = [0.0] * 12
    for n in notes:
        h[(n.pitch - t) % 12] += n.duration
    total = sum(h)
    return [v / total for v in h] if total > 0 else [_NAN] * 12


def ends_on_tonic(piece: Piece, tonic: str | None = None) -> float:
    """1.0 if the melody's last note is the tonic (pitch class), else 0.0; NaN without notes/key."""
    notes = melody_line(piece)
    key = piece.key
    tonic = tonic or (key.tonic if key else None)
    if not notes or tonic is None:
        return _NAN
    return float(notes[-1].pitch % 12 == pitch_class_of(tonic))


def ends_on_estimated_tonic(piece: Piece) -> float:
    """1.0 if the melody's last note is the tonic of the key estimated from all the piece's notes
    (Krumhansl-Schmuckler, `harmony.estimate_key`), else 0.0; NaN without notes.

    Why beside `ends_on_tonic`: a source with no key of its own (the JSB chorales) is keyed by
    that same estimate when the corpus is built, so its `ends_on_tonic` is measured against an
    estimate (a fifth off when a chorale dwells on its dominant), while a take's is measured
    against the key it was asked for. Estimating both the same way compares them on equal terms."""
    from tunesmith.harmony import estimate_key

    return ends_on_tonic(piece, estimate_key(piece).tonic)  # NaN without notes (estimate: C)


def chord_tone_share(piece: Piece) -> float:
    """Share of melody time (duration-weighted) spent on a tone of the chord symbol sounding
    above it; only melody time under a chord symbol counts (a chord sounds until the next, or
    until its own end where it stops before it: N.C.). NaN without chords. (Chord-tone ratio,
    Yeh et al. 2021.)"""
    from tunesmith import harmony

    chords = sorted(piece.chords, key=lambda c: c.onset)
    notes = melody_line(piece)
    if not chords or not notes:
        return _NAN
    spans = []
    for i, c in enumerate(chords):
        end = chords[i + 1].onset if i + 1 < len(chords) else math.inf
        if c.duration:
            end = min(end, c.onset + c.duration)
        try:
            pcs = set(harmony.chord_pitch_classes(c.figure))
        except (ValueError, KeyError):
            continue
        spans.append((c.onset, end, pcs))
    on = total = 0.0
    for n in notes:
        a, b = n.onset, n.onset + n.duration
        for s, e, pcs in spans:
            overlap = min(b, e) - max(a, s)
            if overlap > 0:
                total += overlap
                if n.pitch % 12 in pcs:
                    on += overlap
    return on / total if total > 0 else _NAN


@functools.cache
def _key_templates():
    """(24, 12) z-scored key profiles, rows (tonic 0..11 major, tonic 0..11 minor): the
    Aarden-Essen weights of music21's default key finder, rotated to each tonic."""
    import numpy as np
    from music21.analysis.discrete import AardenEssen

    finder = AardenEssen()
    rows = np.array([np.roll(finder.getWeights(m), t) for m in ("major", "minor") for t in range(12)], dtype=float)
    rows -= rows.mean(1, keepdims=True)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def local_keys(piece: Piece, window_bars: int = 2) -> list[tuple[int, str]]:
    """The key of each window of `window_bars` bars (hop one bar) as (tonic pitch class, "major"
    or "minor"): the key profile best correlated with the window's time per pitch class, over
    all pitched voices (notes clipped to the window). A piece shorter than the window is one
    window. Empty without notes or bars."""
    import numpy as np

    starts = list(piece.bars())
    end = piece.duration()
    if not starts or end <= 0:
        return []
    edges = [*starts, end]
    templates = _key_templates()
    out = []
    for i in range(max(1, len(starts) - window_bars + 1)):
        a, b = edges[i], edges[min(i + window_bars, len(edges) - 1)]
        h = np.zeros(12)
        for tr in piece.tracks:
            if tr.is_drum:
                continue
            for n in tr.notes:
                overlap = min(b, n.onset + n.duration) - max(a, n.onset)
                if overlap > 0:
                    h[n.pitch % 12] += overlap
        if h.sum() <= 0:
            continue
        h -= h.mean()
        best = int(np.argmax(templates @ (h / (np.linalg.norm(h) or 1.0))))
        out.append((best % 12, "major" if best < 12 else "minor"))
    return out


def home_key_share(piece: Piece, window_bars: int = 2) -> float:
    """Share of the piece's `local_keys` windows that are in its own key (tonic and major/minor
    as `key_heard` reads them): 1.0 for music that never leaves home, about 0.5 for Bach's
    chorales, which pass through the dominant, subdominant and relative keys. NaN without key
    or notes."""
    key = piece.key
    if key is None:
        return _NAN
    mode = (key.mode or "major").lower()
    home = (pitch_class_of(key.tonic), "minor" if mode in ("minor", "aeolian", "dorian", "phrygian", "locrian") else "major")
    keys = local_keys(piece, window_bars)
    return sum(k == home for k in keys) / len(keys) if keys else _NAN
