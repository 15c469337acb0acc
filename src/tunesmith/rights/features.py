"""What the similarity index compares: a melody as pitches with repeats merged, and its figures.

A piece's melody (`Piece.melody()`, made monophonic: the highest note at each onset) becomes
the sequence of its pitches with consecutive repeated pitches merged into one note, and each
note keeps the bar it starts in. Everything the index does works on the intervals between
those pitches, so it is

- transposition-invariant (intervals, not pitches; a changed key is a transposition),
- rhythm-invariant (onsets and durations are dropped: re-rhythming, a changed meter, a note
  split into repeated notes or repeated notes tied into one all give the same sequence),

and the figures it counts tolerate a note inserted or deleted (skip-grams: two intervals read
as their sum) and a changed mode or stretched interval (coarse interval classes).

Figures ("grams"), all int64 hashes in disjoint ranges:

- exact n-grams of `GRAM` consecutive intervals (GRAM + 1 notes), intervals clipped to +-24;
- skip-grams (queries only): the same window with one inner note deleted, i.e. two adjacent
  intervals replaced by their sum, so an ornament or inserted note in a query still meets the
  original's exact gram;
- coarse n-grams of `COARSE_GRAM` interval classes (step, third, fourth/fifth, leap; up/down).

Chords: each chord symbol becomes (root pitch class, quality class); a progression's figures
are triples of (root motion, quality) transposition-invariant, the weak harmony signal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tunesmith.convert.common import skyline
from tunesmith.score import Piece

MAX_INTERVAL = 24  # semitones; larger leaps are clipped (an octave displacement stays visible)
GRAM = 4  # intervals per exact gram (5 notes)
COARSE_GRAM = 6  # interval classes per coarse gram (7 notes)
CHORD_GRAM = 3  # chords per harmony gram
_BITS = 6  # bits per interval symbol (0..48)
KIND_COARSE = np.int64(1) << 25  # exact grams use 24 bits, coarse 18
KIND_CHORD = np.int64(1) << 26
_COARSE_EDGES = np.array([-7, -5, -3, 0, 3, 5, 8])  # np.digitize classes: <=-8,-7..-5,-4..-3,-2..-1,1..2,3..4,5..7,>=8
RHYTHM_CLASSES = 8  # rhythm ratio classes either side of "the same length" (`rhythm_classes`): -4 .. 4
MIN_SPAN = 1 / 48  # beats: the shortest note span the rhythm reads (a grace note's)
QUALITY_CLASSES = {"": 0, "maj": 0, "m": 1, "min": 1, "7": 2, "dim": 3, "aug": 4}


@dataclass
class Melody:
    """A melody as the index sees it: pitches with repeats merged and the bar of each (0-based),
    and the number the score gives its first bar (`first_bar`: 0 for a pickup, else 1), so that
    bar index i is the score's bar `i + first_bar`."""

    pitches: np.ndarray  # int16, MIDI numbers
    bars: np.ndarray  # int16, index into Piece.bars() of each note's onset
    onsets: np.ndarray  # float64 beats (for callers that map back to the piece)
    input_mask: np.ndarray  # bool: note belongs to given (musician's) material
    first_bar: int = 1  # the score's number of Piece.bars()[0]: 0 for a pickup (Piece.pickup_beats)
    spans: np.ndarray | None = None  # float64 beats from each note's onset to the next's (the last: to its end)

    @property
    def intervals(self) -> np.ndarray:
        return intervals_of(self.pitches)

    def __len__(self) -> int:
        return len(self.pitches)


def intervals_of(pitches: np.ndarray) -> np.ndarray:
    """Clipped intervals (int64) between consecutive pitches."""
    return np.clip(np.diff(np.asarray(pitches, dtype=np.int64)), -MAX_INTERVAL, MAX_INTERVAL)


def melody_of(piece: Piece, given: set[tuple[int, float]] | None = None) -> Melody:
    """The merged melody of `piece`. `given`: (pitch, onset) pairs of the musician's own notes;
    those notes are marked in `input_mask` (they never count as copying)."""
    track = piece.melody()
    notes = track.notes if track is not None else []
    if not notes:
        empty = np.zeros(0, dtype=np.int16)
        return Melody(empty, empty.copy(), np.zeros(0), np.zeros(0, dtype=bool), first_bar_of(piece))
    onsets = np.array([n.onset for n in notes], dtype=float)
    pitches = np.array([n.pitch for n in notes], dtype=np.int16)
    ends = np.array([n.onset + n.duration for n in notes], dtype=float)
    end = float(ends.max())
    order = np.lexsort((-pitches, onsets))  # by onset, highest pitch first
    onsets, pitches, ends = onsets[order], pitches[order], ends[order]
    top = skyline(onsets, pitches, ends)
    onsets, pitches = onsets[top], pitches[top]
    keep = np.ones(len(pitches), dtype=bool)
    keep[1:] = pitches[1:] != pitches[:-1]  # repeated notes merged into the first
    given_mask = np.zeros(len(pitches), dtype=bool)
    if given:
        given_mask = np.array([(int(p), round(float(o), 4)) in given for p, o in zip(pitches, onsets)], dtype=bool)
        # a merged note is given only if the note it starts is
    onsets, pitches, given_mask = onsets[keep], pitches[keep], given_mask[keep]
    bar_onsets = np.asarray(piece.bars(), dtype=float)
    bars = np.clip(np.searchsorted(bar_onsets, onsets + 1e-6, side="right") - 1, 0, None).astype(np.int16)
    spans = np.diff(np.append(onsets, max(end, onsets[-1] + MIN_SPAN)))
    return Melody(pitches, bars, onsets, given_mask, first_bar_of(piece), spans)


def rhythm_classes(spans: np.ndarray) -> np.ndarray:
    """The rhythm of each interval (int64, one fewer than `spans`): how much longer the note it
    leads to lasts than the note it leaves (onset to onset, repeats merged), as the ratio's
    log2 in half steps, rounded and clipped to -RHYTHM_CLASSES//2 .. +RHYTHM_CLASSES//2 (0: the
    same length, 2: twice as long, 1: a dotted note after its short one). A ratio, not a length:
    the same under a changed tempo or a meter written in other note values (3/4 as 6/8)."""
    s = np.maximum(np.asarray(spans, dtype=np.float64), MIN_SPAN)
    half = RHYTHM_CLASSES // 2
    return np.clip(np.rint(2.0 * np.log2(s[1:] / s[:-1])), -half, half).astype(np.int64)


def joint_symbols(intervals: np.ndarray, rhythm: np.ndarray) -> np.ndarray:
    """One symbol per interval for its size and its rhythm together (`rhythm_classes`): equal
    only where both are (a passage copied as it stands, not re-rhythmed). The sign is the
    interval's (intervals are never 0: repeats are merged); a rhythm one class off is the symbol
    next to it, and the symbols of two interval sizes never touch (a gap either side)."""
    iv = np.clip(np.asarray(intervals, dtype=np.int64), -MAX_INTERVAL, MAX_INTERVAL)
    half = RHYTHM_CLASSES // 2
    return np.sign(iv) * (np.abs(iv) * (RHYTHM_CLASSES + 3) + (np.asarray(rhythm, dtype=np.int64) + half + 1))


def first_bar_of(piece: Piece) -> int:
    """The number the score gives the piece's first bar (`Piece.bars()[0]`): 0 when it is a pickup
    (`Piece.pickup_beats()`; MusicXML writes it as measure 0, implicit), else 1."""
    return 0 if piece.pickup_beats() > 0 else 1


def given_notes(piece: Piece) -> set[tuple[int, float]]:
    """(pitch, onset) pairs of every note of `piece`: what `melody_of(..., given=)` takes."""
    return {(int(n.pitch), round(float(n.onset), 4)) for t in piece.tracks for n in t.notes}


# ------------------------------------------------------------------------------ grams
def _codes(intervals: np.ndarray) -> np.ndarray:
    return np.asarray(intervals, dtype=np.int64) + MAX_INTERVAL


def exact_grams(intervals: np.ndarray, valid: np.ndarray | None = None, n: int = GRAM) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, start positions) of every exact n-gram; `valid[i]` False breaks grams at interval i."""
    codes = _codes(intervals)
    m = len(codes) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    h = np.zeros(m, dtype=np.int64)
    ok = np.ones(m, dtype=bool)
    for k in range(n):
        h = (h << _BITS) | codes[k : k + m]
        if valid is not None:
            ok &= valid[k : k + m]
    starts = np.nonzero(ok)[0]
    return h[ok], starts


def skip_grams(intervals: np.ndarray, n: int = GRAM) -> tuple[np.ndarray, np.ndarray]:
    """Exact-gram hashes of every window of n + 1 intervals with one inner note deleted (two
    adjacent intervals summed); a sum of 0 (a neighbour note) would merge away and is skipped.
    Returns (hashes, start positions)."""
    iv = np.asarray(intervals, dtype=np.int64)
    m = len(iv) - n
    if m <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    out, starts = [], []
    for j in range(n):  # sum intervals j and j+1 of the window
        cols = [iv[k : k + m] for k in range(j)]
        summed = iv[j : j + m] + iv[j + 1 : j + 1 + m]
        cols.append(np.clip(summed, -MAX_INTERVAL, MAX_INTERVAL))
        cols += [iv[k + 1 : k + 1 + m] for k in range(j + 1, n)]
        h = np.zeros(m, dtype=np.int64)
        for c in cols:
            h = (h << _BITS) | (c + MAX_INTERVAL)
        ok = summed != 0
        out.append(h[ok])
        starts.append(np.nonzero(ok)[0])
    return np.concatenate(out), np.concatenate(starts)


def coarse_classes(intervals: np.ndarray) -> np.ndarray:
    return np.digitize(np.asarray(intervals), _COARSE_EDGES, right=False).astype(np.int64)


def coarse_grams(
    intervals: np.ndarray, valid: np.ndarray | None = None, n: int = COARSE_GRAM
) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, starts) of n-grams of coarse interval classes (3 bits each), in their own range."""
    codes = coarse_classes(intervals)
    m = len(codes) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    h = np.zeros(m, dtype=np.int64)
    ok = np.ones(m, dtype=bool)
    for k in range(n):
        h = (h << 3) | codes[k : k + m]
        if valid is not None:
            ok &= valid[k : k + m]
    return h[ok] | KIND_COARSE, np.nonzero(ok)[0]


# ------------------------------------------------------------------------------ chords
def chord_tokens(piece: Piece) -> np.ndarray:
    """int16 (root_pc * 8 + quality class) per chord symbol, repeats merged; unparseable skipped."""
    from tunesmith.harmony import parse_chord

    out: list[int] = []
    for c in sorted(piece.chords, key=lambda c: c.onset):
        try:
            root, quality, _ = parse_chord(c.figure)
        except ValueError:
            continue
        q = QUALITY_CLASSES.get(quality)
        if q is None:
            q = 1 if quality.startswith("m") and not quality.startswith("maj") else (2 if "7" in quality else 5)
        tok = root * 8 + q
        if not out or out[-1] != tok:
            out.append(tok)
    return np.array(out, dtype=np.int16)


def chord_grams(tokens: np.ndarray, valid: np.ndarray | None = None, n: int = CHORD_GRAM) -> np.ndarray:
    """Transposition-invariant hashes of n consecutive chords: root motions (mod 12) and qualities."""
    t = np.asarray(tokens, dtype=np.int64)
    m = len(t) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.int64)
    root, qual = t // 8, t % 8
    h = qual[:m].copy()
    ok = np.ones(m, dtype=bool)
    for k in range(1, n):
        motion = (root[k : k + m] - root[k - 1 : k - 1 + m]) % 12
        h = (((h << 4) | motion) << 3) | qual[k : k + m]
        if valid is not None:
            ok &= valid[k - 1 : k - 1 + m]
    return np.unique(h[ok]) | KIND_CHORD
