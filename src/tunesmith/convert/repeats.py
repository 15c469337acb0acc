"""Repeat signs for a score written out as played: `find_repeats(piece, tracks, bounds)`.

A composed folk tune in AABB form holds its strains as played, 32 bars, each strain twice; a
fiddler reads it as 16 bars with repeat signs, the second time through ending another way
(first and second endings). This module finds the spans that can be written so without
changing a note: a span of bars sounded again at once, note for note and chord for chord in
every part, except at most its last bars (the endings). `to_music21(piece, repeats=True)` then
writes the first time with a forward and a backward repeat barline, the endings under 1. and
2. brackets, and leaves out the bars the repeat sounds. Read back (`inputs.musicxml`, which
expands repeats), the score is the same music as the piece.

Why by hand: music21 expands repeats (`Stream.expandRepeats`) but does not find them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

# a span shorter than this is not written as a repeat: a repeated bar or two is a figure, and
# repeat signs around it would make the score harder to read, not easier
MIN_SPAN_BARS = 4
# at most this share of the span's bars are endings (the common part is most of the span), or
# MIN_ENDING_BARS in a short strain: a 4-bar strain after a pickup changes its last two bars (the
# cadence, and the lead-in the pickup's beat spills into the bar before)
MAX_ENDING_SHARE = 0.25
MIN_ENDING_BARS = 2


@dataclass(frozen=True)
class RepeatSpan:
    """Measures `start` .. `start + bars - 1` (indices into the score's measures, a pickup
    measure 0) sounded twice; the last `endings` of them are the first ending, and the
    `endings` measures after the repeated ones (from `start + 2 * bars - endings`) the second."""

    start: int
    bars: int
    endings: int

    @property
    def dropped(self) -> range:
        """The measures the repeat sounds again, left out of the score."""
        return range(self.start + self.bars, self.start + 2 * self.bars - self.endings)

    @property
    def first_ending(self) -> range:
        return range(self.start + self.bars - self.endings, self.start + self.bars)

    @property
    def second_ending(self) -> range:
        return range(self.start + 2 * self.bars - self.endings, self.start + 2 * self.bars)


def _frac(x: float) -> Fraction:
    return Fraction(x).limit_denominator(480)


def _bar_contents(piece: Any, tracks: list, bounds: list[Fraction]) -> list[tuple]:
    """Per measure, what a reader sees in it: its length, each part's notes that start in it
    (pitch, onset in the bar, length) and those held into it (pitch, where they stop), and the
    chord symbols (figure, onset in the bar)."""
    n = len(bounds) - 1
    notes: list[list[list[tuple]]] = [[[] for _ in tracks] for _ in range(n)]
    import bisect

    for ti, track in enumerate(tracks):
        for x in track.notes:
            on, off = _frac(x.onset), _frac(x.onset + x.duration)
            first = max(0, bisect.bisect_right(bounds, on) - 1)
            if first >= n:
                continue
            notes[first][ti].append(("on", x.pitch, on - bounds[first], off - on))
            j = first + 1
            while j < n and bounds[j] < off:
                notes[j][ti].append(("held", x.pitch, off - bounds[j]))
                j += 1
    chords: list[list[tuple]] = [[] for _ in range(n)]
    for c in piece.chords:
        on = _frac(c.onset)
        i = max(0, bisect.bisect_right(bounds, on) - 1)
        if i < n:
            chords[i].append((c.figure, on - bounds[i]))
    return [
        (bounds[i + 1] - bounds[i], tuple(tuple(sorted(part)) for part in notes[i]), tuple(sorted(chords[i])))
        for i in range(n)
    ]


def _crossed(tracks: list, line: Fraction) -> bool:
    """Whether a note sounds across `line` (a repeat's jump cannot carry a tie)."""
    return any(_frac(x.onset) < line < _frac(x.onset + x.duration) for t in tracks for x in t.notes)


def find_repeats(piece: Any, tracks: list, bounds: list[Fraction]) -> list[RepeatSpan]:
    """The repeats `piece` can be written with (see the module docstring), left to right: at
    each measure where a strain may start (the first whole bar, right after a repeated strain,
    or a multiple of the span's length on) the longest span of at least `MIN_SPAN_BARS`
    measures sounded again at once, the fewest endings first. `tracks` are the parts written, `bounds` the measures' boundaries
    (a pickup's measure first). None where the key, meter or tempo changes after the start."""
    changes = [*piece.keys[1:], *piece.time_signatures[1:], *piece.tempos[1:]]
    if any(_frac(e.onset) > 0 for e in changes):
        return []
    bars = _bar_contents(piece, tracks, bounds)
    n = len(bars)
    anacrusis = n > 1 and bars[0][0] < bars[1][0]
    spans: list[RepeatSpan] = []
    first = i = 1 if anacrusis else 0
    while i + 2 * MIN_SPAN_BARS <= n:
        found = None
        for size in range((n - i) // 2, MIN_SPAN_BARS - 1, -1):
            if not (i == first or (spans and i == spans[-1].start + 2 * spans[-1].bars) or (i - first) % size == 0):
                continue  # a strain starts the tune, follows a repeated one, or starts a phrase of its length
            same = 0
            while same < size and bars[i + same] == bars[i + size + same]:
                same += 1
            endings = size - same
            if endings > max(MIN_ENDING_BARS, MAX_ENDING_SHARE * size) or endings * 2 > size:
                continue
            if not any(part for bar in bars[i : i + size] for part in bar[1]):
                continue  # bars of rests sounded twice are no strain
            span = RepeatSpan(i, size, endings)
            # a note held over the repeat's first bar line or its jump back cannot be written; one
            # held into the endings can: tied into the first, and into the second from the last
            # common bar (both endings begin with its end, their contents being compared)
            if _crossed(tracks, bounds[i]) or _crossed(tracks, bounds[i + size]):
                continue
            found = span
            break
        if found is None:
            i += 1
            continue
        spans.append(found)
        i += 2 * found.bars
    return spans


def played_bars(spans: list[RepeatSpan], anacrusis: bool) -> list[dict]:
    """The spans in a reader's words, for a take's record: the first and last bar written (bar
    numbers as played, a pickup bar not counted) and how many bars are endings."""
    first = 0 if anacrusis else 1
    return [{"bars": [s.start + first, s.start + s.bars - 1 + first], "endings": s.endings} for s in spans]
