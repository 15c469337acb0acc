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
"Bb/D", "N.C.") are parsed by `parse_chord_figure` (the project's chord parser, then the triad).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from tunesmith.score import SATB_RANGES, ChordSymbol, Note, Piece, pitch_class_of
from tunesmith.voice_leading import is_dominant_seventh

VOICES = ("soprano", "alto", "tenor", "bass")
# Common textbook SATB ranges (inclusive MIDI): S C4-G5, A G3-D5, T C3-G4, B E2-C4.


class _Voice:
    """A voice as a step function of time: the highest pitch sounding at t, or None."""

    def __init__(self, notes: Sequence[Note]):
        self.notes = sorted(notes, key=lambda n: (n.onset, n.pitch))
        self._onsets = [n.onset for n in self.notes]
        self._max_dur = max((n.duration for n in self.notes), default=0.0)

    def pitch_at(self, t: float) -> int | None:
        hi = bisect.bisect_right(self._onsets, t + 1e-9)
        lo = bisect.bisect_left(self._onsets, t - self._max_dur - 1e-9)
        best = None
        for n in self.notes[lo:hi]:
            if n.onset <= t + 1e-9 < n.onset + n.duration - 1e-9 and (best is None or n.pitch > best):
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


def _voices(piece: Piece) -> dict[str, _Voice]:
    out = {}
    for role in VOICES:
        track = piece.track(role)
        if track is None:
            raise ValueError(f"{piece.piece_id}: no {role} track (need tracks with roles {', '.join(VOICES)})")
        out[role] = _Voice(track.notes)
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


def beat_sonorities(piece: Piece) -> list[list[int] | None]:
    """Per quarter-note beat of a four-part piece, the four voices' sounding pitches (soprano first),
    or None where a voice is silent."""
    voices, out, t = _voices(piece), [], 0.0
    while t < piece.duration() - 1e-6:
        now = [voices[r].pitch_at(t) for r in VOICES]
        out.append(None if None in now else now)
        t += 1.0
    return out


def beat_semitone_share(piece: Piece) -> float:
    """The share of the beats where all four voices sound (`beat_sonorities`) whose pitches hold a
    semitone between two voices, or its compound (a major seventh, a minor ninth): the harshest
    dissonance a beat can sound. Defined here; Bach's valid chorales (music21 corpus): 0.037. NaN
    without such a beat."""
    beats = [b for b in beat_sonorities(piece) if b is not None]
    if not beats:
        return float("nan")
    clash = sum(any((a - b) % 12 in (1, 11) for i, a in enumerate(now) for b in now[i + 1 :]) for now in beats)
    return clash / len(beats)


def beat_to_beat_parallels(piece: Piece, end: float | None = None) -> tuple[int, int]:
    """(parallels, beats): fifths and octaves from one beat's sounding pitches to the next's, both
    voices moving the same way, the notes between the beats ignored (consecutive fifths behind
    passing notes, which a teacher marks), over the beats where all four voices sound, up to `end`
    (default: the piece's end). Defined here; Bach's valid chorales: 4.0 per 100 beats."""
    found, beats = beat_to_beat_parallel_places(piece, end)
    return len(found), beats


def beat_to_beat_parallel_places(piece: Piece, end: float | None = None) -> tuple[list[tuple[float, int, int]], int]:
    """`beat_to_beat_parallels` with where each lands: ([(beat, upper voice, lower voice)], beats);
    voices are indices into `VOICES`."""
    voices, t, before = _voices(piece), 0.0, None
    found, beats = [], 0
    stop = piece.duration() if end is None else end
    while t < stop - 1e-6:
        now = [voices[r].pitch_at(t) for r in VOICES]
        if before and None not in now and None not in before:
            beats += 1
            for a in range(4):
                for b in range(a + 1, 4):
                    moved = (now[a] - before[a]) * (now[b] - before[b]) > 0
                    if moved and abs(now[a] - now[b]) % 12 == abs(before[a] - before[b]) % 12 in (0, 7):
                        found.append((t, a, b))
        before, t = now, t + 1.0
    return found, beats


def unresolved_dominant_sevenths(piece: Piece) -> tuple[int, int]:
    """(unresolved, sevenths): of the notes that are the seventh of a dominant-seventh sonority
    and move on without a rest, how many neither hold nor fall by a step. A note is such a seventh
    when, just before it ends, the voices sounding with it hold the chord's root (two semitones
    above the note's pitch class) and the root's major third: V7 of the key or of any degree (a
    secondary dominant, A7 in G). The
    augmented sixth on the key's lowered 6th (A-flat C F-sharp in C), the same pitch classes, rises
    and is not counted. The textbook rule (Aldwell, Schachter & Cadwallader, ch. 14): the seventh
    resolves down by step. Defined here; `sampling.part_writing.leaves_a_seventh_unresolved` keeps
    composed and harmonized chorales to it."""
    voices = _voices(piece)
    tonic_pc = None if piece.key is None else piece.key.tonic_pc
    unresolved = sevenths = 0
    for role in VOICES:
        notes = voices[role].notes
        for n, m in zip(notes, notes[1:]):
            end = n.onset + n.duration
            if abs(m.onset - end) > 1e-6:
                continue  # a rest (or an overlap) between them: no resolution to judge
            sounding = {p % 12 for r in VOICES for p in (voices[r].pitch_at(end - 1e-3),) if p is not None}
            if is_dominant_seventh(n.pitch, sounding, tonic_pc):
                sevenths += 1
                unresolved += (m.pitch - n.pitch) not in (0, -1, -2)
    return unresolved, sevenths


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


def triad_quality(intervals: Sequence[int]) -> str:
    """Triad quality of a chord given its intervals above the root: third 4 -> 'maj' ('aug' with
    a raised fifth and no perfect one); third 3 -> 'min' ('dim' with a flat fifth and no perfect
    one); no third -> 'sus' with a 2nd or 4th, else '5'."""
    pcs = {i % 12 for i in intervals}
    if 4 in pcs:
        return "aug" if 8 in pcs and 7 not in pcs else "maj"
    if 3 in pcs:
        return "dim" if 6 in pcs and 7 not in pcs else "min"
    return "sus" if pcs & {2, 5} else "5"


def parse_chord_figure(figure: str) -> tuple[int, str]:
    """(root pitch class, triad quality) of a lead-sheet figure; NO_CHORD for "N", "N.C.", "NC".

    The figure is parsed by the project's chord parser (`tunesmith.harmony.parse_chord`, so
    spellings agree with the corpus: "B-" is B flat), and its quality reduced by `triad_quality`:
    Dm7 -> min, G7 -> maj, F#m7b5 -> dim, Caug -> aug, G7sus4 -> sus, C5 -> 5. A slash bass is
    ignored. Figures that parser refuses fall back to a suffix heuristic; ValueError if even the
    root is not a note name."""
    from tunesmith import harmony

    text = figure.strip()
    if text in harmony.NO_CHORD or text.upper().replace(".", "") in ("N", "NC", ""):
        return NO_CHORD
    try:
        root, quality, _ = harmony.parse_chord(text)
    except ValueError:
        return _parse_fallback(text)
    return root, triad_quality(harmony.QUALITIES[quality])


def _parse_fallback(text: str) -> tuple[int, str]:
    text = text.split("/")[0].replace("♯", "#").replace("♭", "b")
    i = 1
    while i < len(text) and i <= 2 and text[i] in "#b":
        i += 1
    root = pitch_class_of(text[:i])
    s = text[i:].replace("(", "").replace(")", "")
    low = s.lower()
    half_diminished = "ø" in s or "m7b5" in s or "m7-5" in s or "min7b5" in low
    if half_diminished or low.startswith("dim") or s.startswith("o") or s.startswith("°"):
        quality = "dim"
    elif low.startswith("aug") or s.startswith("+") or "#5" in s or "+5" in s:
        quality = "aug"
    elif "sus" in low:
        quality = "sus"
    elif s.startswith(("maj", "Maj", "M", "Δ", "^")):
        quality = "maj"
    elif s.startswith(("m", "min", "-")):
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
        1 for a, b in zip(predicted, reference) if parse_chord_figure(_figure(a)) == parse_chord_figure(_figure(b))
    )
    return same / n
