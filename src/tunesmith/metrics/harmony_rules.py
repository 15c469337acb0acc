"""Voice-leading rule counts for four-voice (SATB) pieces, and chord-symbol agreement.

Voice-leading rules are the common-practice rules of four-part writing as taught in harmony
textbooks (e.g. E. Aldwell, C. Schachter, A. Cadwallader, "Harmony and Voice Leading", 4th ed.,
2011: no parallel perfect fifths or octaves, no voice crossing, voices within their ranges);
counts of such violations are a customary objective check of chorale harmonizations (Bach
chorale generators such as DeepBach, Hadjeres et al. ICML 2017, and Coconet, Huang et al. ISMIR
2017, are commonly assessed this way). No single paper's counting procedure is followed; the
exact procedure is:

- Voices are the tracks with roles soprano, alto, tenor, bass (`Piece.track(role)`), each taken
  as sounding at most one pitch at a time (the highest one if notes overlap).
- Parallel fifths / octaves, for each of the six voice pairs: take every time at which a note of
  either voice starts or ends; for two consecutive such times at which both voices sound, count
  one when both voices change pitch in the same direction and the interval between them is a
  perfect fifth (|a - b| mod 12 == 7; compound fifths included) at both times, respectively a
  perfect octave or unison (|a - b| mod 12 == 0) at both times. A rest in either voice breaks the
  succession. Contrary-motion fifths/octaves and hidden (direct) fifths are not counted.
- Voice crossings: at every note onset of any voice, for each adjacent pair (S-A, A-T, T-B)
  sounding there, count one when the lower voice is strictly above the upper one. A crossing
  held over several onsets counts at each of them.
- Range violations: notes outside the voice's range, `SATB_RANGES` by default.
- Rates are per 100 quarter beats of the piece's duration.

Chord-symbol agreement compares (root pitch class, triad quality) of two chord lists position
by position; quality is reduced to the triad (maj, min, dim, aug, sus, 5) as in the "triads"
comparison of mir_eval.chord (C. Raffel et al., "mir_eval", ISMIR 2014) over Harte et al.'s chord
syntax (ISMIR 2005), with sus chords kept apart. Lead-sheet figures ("Dm7", "G7", "F#m7b5",
"Bb/D", "N.C.") are parsed by `parse_chord_figure`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from tunesmith.score import ChordSymbol, Note, Piece, pitch_class_of

VOICES = ("soprano", "alto", "tenor", "bass")
# Common textbook SATB ranges (inclusive MIDI): S C4-G5, A G3-D5, T C3-G4, B E2-C4.
SATB_RANGES: dict[str, tuple[int, int]] = {
    "soprano": (60, 79),
    "alto": (55, 74),
    "tenor": (48, 67),
    "bass": (40, 60),
}


class _Voice:
    """A voice as a step function of time: the highest pitch sounding at t, or None."""

    def __init__(self, notes: Sequence[Note]):
        self.notes = sorted(notes, key=lambda n: (n.onset, n.pitch))

    def pitch_at(self, t: float) -> int | None:
        best = None
        for n in self.notes:
            if n.onset > t + 1e-9:
                break
            if n.onset <= t + 1e-9 < n.onset + n.duration and (best is None or n.pitch > best):
                best = n.pitch
        return best

    def change_times(self) -> set[float]:
        out: set[float] = set()
        for n in self.notes:
            out.add(round(n.onset, 9))
            out.add(round(n.onset + n.duration, 9))
        return out

    def onsets(self) -> set[float]:
        return {round(n.onset, 9) for n in self.notes}


class _FastVoice(_Voice):
    """_Voice with an onset index so that pitch_at is O(log n + overlap)."""

    def __init__(self, notes: Sequence[Note]):
        super().__init__(notes)
        self._onsets = [n.onset for n in self.notes]
        self._max_dur = max((n.duration for n in self.notes), default=0.0)

    def pitch_at(self, t: float) -> int | None:
        hi = bisect.bisect_right(self._onsets, t + 1e-9)
        lo = bisect.bisect_left(self._onsets, t - self._max_dur - 1e-9)
        best = None
        for n in self.notes[lo:hi]:
            if n.onset <= t + 1e-9 < n.onset + n.duration and (best is None or n.pitch > best):
                best = n.pitch
        return best


def _voices(piece: Piece) -> dict[str, _FastVoice]:
    out = {}
    for role in VOICES:
        track = piece.track(role)
        if track is None:
            raise ValueError(f"{piece.piece_id}: no {role} track (need tracks with roles {', '.join(VOICES)})")
        out[role] = _FastVoice(track.notes)
    return out


def _parallels(upper: _Voice, lower: _Voice, interval_class: int) -> int:
    times = sorted(upper.change_times() | lower.change_times())
    count = 0
    prev = None
    for t in times:
        a, b = upper.pitch_at(t), lower.pitch_at(t)
        cur = (a, b) if a is not None and b is not None else None
        if prev is not None and cur is not None:
            (a0, b0), (a1, b1) = prev, cur
            da, db = a1 - a0, b1 - b0
            if (
                da != 0
                and db != 0
                and (da > 0) == (db > 0)
                and abs(a0 - b0) % 12 == interval_class
                and abs(a1 - b1) % 12 == interval_class
            ):
                count += 1
        prev = cur
    return count


def _pairs() -> list[tuple[str, str]]:
    return [(VOICES[i], VOICES[j]) for i in range(4) for j in range(i + 1, 4)]


def count_parallel_fifths(piece: Piece) -> int:
    """Number of parallel perfect fifths (similar motion, fifth to fifth) over the six voice pairs
    of an SATB piece. Common-practice voice-leading rule (module docstring gives the procedure)."""
    v = _voices(piece)
    return sum(_parallels(v[a], v[b], 7) for a, b in _pairs())


def count_parallel_octaves(piece: Piece) -> int:
    """Number of parallel octaves or unisons (similar motion, octave/unison to octave/unison) over
    the six voice pairs of an SATB piece. Common-practice voice-leading rule."""
    v = _voices(piece)
    return sum(_parallels(v[a], v[b], 0) for a, b in _pairs())


def count_voice_crossings(piece: Piece) -> int:
    """Number of (onset, adjacent voice pair) where the lower voice sounds strictly above the upper
    one (S-A, A-T, T-B). Common-practice voice-leading rule."""
    v = _voices(piece)
    times = sorted(set().union(*(voice.onsets() for voice in v.values())))
    count = 0
    for t in times:
        pitches = [v[role].pitch_at(t) for role in VOICES]
        for upper, lower in zip(pitches, pitches[1:]):
            if upper is not None and lower is not None and lower > upper:
                count += 1
    return count


def count_range_violations(piece: Piece, ranges: dict[str, tuple[int, int]] | None = None) -> int:
    """Number of notes outside their voice's (low, high) inclusive range (SATB_RANGES default)."""
    ranges = ranges or SATB_RANGES
    count = 0
    for role in VOICES:
        track = piece.track(role)
        if track is None:
            raise ValueError(f"{piece.piece_id}: no {role} track")
        low, high = ranges[role]
        count += sum(1 for n in track.notes if not low <= n.pitch <= high)
    return count


def harmony_rule_rates(piece: Piece, ranges: dict[str, tuple[int, int]] | None = None) -> dict[str, float]:
    """The four counts and each per 100 quarter beats ("..._per_100_beats")."""
    beats = piece.duration()
    counts = {
        "parallel_fifths": count_parallel_fifths(piece),
        "parallel_octaves": count_parallel_octaves(piece),
        "voice_crossings": count_voice_crossings(piece),
        "range_violations": count_range_violations(piece, ranges),
    }
    out: dict[str, float] = {"beats": beats}
    for name, value in counts.items():
        out[name] = float(value)
        out[f"{name}_per_100_beats"] = 100.0 * value / beats if beats > 0 else float("nan")
    return out


# --------------------------------------------------------------------------- chord symbols
NO_CHORD = (-1, "N")


def parse_chord_figure(figure: str) -> tuple[int, str]:
    """(root pitch class, triad quality) of a lead-sheet figure; NO_CHORD for "N", "N.C.", "NC".

    Quality: 'dim' (dim, o, °, m7b5, ø), 'aug' (aug, +, 7#5), 'sus' (sus2, sus4, 7sus4), 'maj'
    (major, maj7, M7, Δ, 6, 7, 9, 13, add9, ...), 'min' (m, min, -, m7, mM7, m6, ...), '5'
    (power chord). A slash bass ("C/E") is ignored. ValueError if the root is not a note name."""
    text = figure.strip()
    if text.upper().replace(".", "") in ("N", "NC", ""):
        return NO_CHORD
    text = text.split("/")[0]
    i = 1
    while i < len(text) and text[i] in "#b-♯♭" and not (text[i] == "-" and i + 1 < len(text) and text[i + 1].isdigit()):
        if text[i] == "b" and text[i:].startswith("b5") and i > 1:
            break
        i += 1
    root_text = text[:i].replace("♯", "#").replace("♭", "b")
    suffix = text[i:]
    root = pitch_class_of(root_text)
    s = suffix.replace("(", "").replace(")", "")
    low = s.lower()
    if "ø" in s or "m7b5" in s or "m7-5" in s or "min7b5" in low:
        quality = "dim"
    elif low.startswith("dim") or s.startswith("o") or s.startswith("°"):
        quality = "dim"
    elif low.startswith("aug") or s.startswith("+") or "#5" in s or "+5" in s:
        quality = "aug"
    elif "sus" in low:
        quality = "sus"
    elif s.startswith("maj") or s.startswith("Maj") or s.startswith("M") or s.startswith("Δ") or s.startswith("^"):
        quality = "maj"
    elif s.startswith("m") or s.startswith("min") or s.startswith("-"):
        quality = "min"
    elif s == "5":
        quality = "5"
    else:
        quality = "maj"
    return root, quality


def _figure(c: str | ChordSymbol) -> str:
    return c.figure if isinstance(c, ChordSymbol) else str(c)


def chord_agreement(predicted: Sequence[str | ChordSymbol], reference: Sequence[str | ChordSymbol]) -> float:
    """Share of positions i where predicted[i] and reference[i] have the same root pitch class and
    triad quality (`parse_chord_figure`); positions present in only one list count as
    disagreements (denominator: the longer length). NaN if both are empty."""
    n = max(len(predicted), len(reference))
    if n == 0:
        return float("nan")
    same = sum(
        1
        for a, b in zip(predicted, reference)
        if parse_chord_figure(_figure(a)) == parse_chord_figure(_figure(b))
    )
    return same / n
