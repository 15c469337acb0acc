"""What the music21 and symusic converters share: track roles, chord durations, the end every
reader shares (`finish`), constants, and how a track's notes make lines and chords (the melody of
a piano part, `skyline`)."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import numpy as np

from ..harmony import (
    estimate_key,
    key_from_sharps,
    sharps_of,
)
from ..score import ChordSymbol, KeySignature, Note, Piece, Track

CHORD_TRACK_NAME = "tunesmith chord symbols"
BASS_TRACK_NAME = "tunesmith bass"  # the chord symbols' comping bass, on its own track for a DAW
COMP_TRACK_NAMES = (CHORD_TRACK_NAME, BASS_TRACK_NAME)
CHORD_WORDS_MARK = "\u2063tunesmith-chord:"  # words of a <direction> that stands for a <harmony>
TPQ = 480
_EPS = 1e-6

# ------------------------------------------------------------------------------ lines and chords
# notes starting within this many beats of each other are struck together: a chord as played (a few
# milliseconds apart, ~30 ms at 120 bpm, a rolled chord), not a run (a 32nd note is 0.125 beats)
CHORD_SPREAD = 0.07
# a track is a single line where at most this share of its notes are struck with another (a melody
# with a double stop), chordal where at least CHORDAL_SHARE are (block chords: all)
LINE_SHARE = 0.1
CHORDAL_SHARE = 0.5


def tuplet_fraction(x: float, tolerance: float) -> Fraction | None:
    """The fraction with a denominator up to 16 (a quintuplet's 1/5, a 13-note run's 2/13, a 64th's
    1/16) within `tolerance` of `x`, else None: a written value a source stored rounded."""
    f = Fraction(x).limit_denominator(16)
    return f if abs(float(f) - x) < tolerance else None


def plays_chords(notes: Any) -> bool:
    """Whether at least `CHORDAL_SHARE` of `notes` start within `CHORD_SPREAD` of another of them
    of another pitch class: chords, not a line doubled in octaves (a lead's octave doubling had
    been said to "play chords")."""
    ordered = sorted(notes, key=lambda n: n.onset)
    if not ordered:
        return False
    chordal = 0
    for i, n in enumerate(ordered):
        j = i - 1
        near = []
        while j >= 0 and n.onset - ordered[j].onset <= CHORD_SPREAD:
            near.append(ordered[j])
            j -= 1
        j = i + 1
        while j < len(ordered) and ordered[j].onset - n.onset <= CHORD_SPREAD:
            near.append(ordered[j])
            j += 1
        chordal += any(m.pitch % 12 != n.pitch % 12 for m in near)
    return chordal >= CHORDAL_SHARE * len(ordered)


def struck_together_share(notes: Any) -> float:
    """Share of `notes` that start within `CHORD_SPREAD` of another of them (0 for none)."""
    onsets = sorted(n.onset for n in notes)
    if not onsets:
        return 0.0
    together = sum(1 for i, t in enumerate(onsets)
                   if (i > 0 and t - onsets[i - 1] <= CHORD_SPREAD) or (i + 1 < len(onsets) and onsets[i + 1] - t <= CHORD_SPREAD))  # fmt: skip
    return together / len(onsets)


# a note struck under a higher note that still sounds this many beats on is the accompaniment (a
# held melody note over chords): an overlap shorter than this is a legato line's
HELD = 0.25


def skyline(onsets: np.ndarray, pitches: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Indices of the melody's notes among notes sorted by onset, highest first: per chord (notes
    starting within `CHORD_SPREAD` of its first note) the highest note, unless a higher note struck
    before it still sounds `HELD` beats on (the melody holds, a chord is struck under it). A
    melody alone is all its notes; a piano part's melody over its chords, played or quantized,
    is its top line (the "skyline" of Uitdenbogerd & Zobel 1999, with held notes)."""
    import numpy as np

    keep: list[int] = []
    sounding: list[tuple[int, float]] = []  # (pitch, end) of the notes kept so far that may still sound
    i, n = 0, len(onsets)
    while i < n:
        j = i + 1
        while j < n and onsets[j] - onsets[i] <= CHORD_SPREAD:
            j += 1
        best = i + int(np.argmax(pitches[i:j]))
        t = onsets[i]
        sounding = [(p, e) for p, e in sounding if e > t + HELD]
        if not any(p > pitches[best] for p, _ in sounding):
            keep.append(best)
            sounding.append((int(pitches[best]), float(ends[best])))
        i = j
    return np.asarray(keep, dtype=np.int64)


# ------------------------------------------------------------------------------ roles
_ROLE_PATTERNS = (
    ("soprano", re.compile(r"\b(soprano|sopran|sop)\b|(?<!')\bs\.?\b|^s$", re.I)),
    ("alto", re.compile(r"\b(alto|alt|a\.?)\b|^a$", re.I)),
    ("tenor", re.compile(r"\b(tenor|ten|t\.?)\b|^t$", re.I)),
    ("bass", re.compile(r"\b(bass|basso|b\.?)\b|^b$", re.I)),
    ("melody", re.compile(r"melod|vocal|voice|lead|singer|solo|^mel$|flute|fiddle|violin", re.I)),
    ("chords", re.compile(r"chord|harmony|comp\b", re.I)),
    ("accompaniment", re.compile(r"piano|accomp|bridge|guitar|keys|pad|organ|string", re.I)),
)
_ROLE_SUFFIX = re.compile(r"\s*\[(\w+)\]\s*$")
# an instrument's transposition ("Clarinet in B♭", "Horn in F", "Trumpet in A") is no voice:
# "in B♭" had read as the bass and "in A" as the alto
_TRANSPOSITION = re.compile(r"\bin\s+[A-G](?:\s*(?:♭|♯|b|#|-?flat|-?sharp))?(?![\w])", re.I)
# a wind or brass instrument named by its register (alto saxophone, tenor trombone, soprano
# recorder) plays a part of a band, not a choir's voice: the voice word gives it no role (a bass
# instrument stays "bass"; "Tenor Viola" in a chorale is the tenor, doubled)
_REGISTER_INSTRUMENT = re.compile(r"\b(?:soprano|alto|tenor|baritone)\s+(sax\w*|flute|clarinet|recorder|trombone|horn|"
                                  r"ukulele|cornet|bugle)\b", re.I)  # fmt: skip


def guess_role(name: str, index: int = 0, n_tracks: int = 1, *, is_drum: bool = False) -> str:
    """Role of a track from its name ('Soprano' -> soprano, 'MELODY' -> melody, 'PIANO' ->
    accompaniment; an explicit suffix '[role]' wins); else the first track is the melody."""
    from ..score import TRACK_ROLES

    if is_drum:
        return "other"
    if n_tracks == 1:
        named = guess_role(name, 0, 2)
        return named if named in ("soprano", "alto", "tenor", "bass", "melody") else "melody"
    m = _ROLE_SUFFIX.search(name or "")
    if m and m.group(1).lower() in TRACK_ROLES:
        return m.group(1).lower()
    plain = _REGISTER_INSTRUMENT.sub(r"\1", _TRANSPOSITION.sub("", name or ""))
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(plain):
            # single letters only count for SATB scores
            if role in ("soprano", "alto", "tenor", "bass") and len((name or "").strip(" .")) == 1 and n_tracks != 4:
                continue
            return role
    return "melody" if index == 0 else "accompaniment"


def _strip_role_suffix(name: str) -> str:
    return _ROLE_SUFFIX.sub("", name or "")


def _named_for_role(track: Track, index: int, n_tracks: int) -> str:
    if guess_role(track.name, index, n_tracks, is_drum=track.is_drum) == track.role:
        return track.name
    return f"{track.name} [{track.role}]"



def chord_durations(chords: list[ChordSymbol], end: float, stops: list[float] | None = None) -> list[ChordSymbol]:
    """Sorted chords, each lasting until the next chord (or a no-chord stop, or `end`) unless set."""
    chords = sorted(chords, key=lambda c: c.onset)
    stops = sorted(stops or [])
    for i, c in enumerate(chords):
        if c.duration is not None and c.duration > 0:
            continue
        nxt = chords[i + 1].onset if i + 1 < len(chords) else max(end, c.onset)
        nxt = min([nxt, *[s for s in stops if s > c.onset + _EPS]])
        c.duration = max(nxt - c.onset, 0.0) or None
    return chords


def no_chord_stops(piece: Piece, chords: list[ChordSymbol]) -> list[float]:
    """Where `piece` has no chord (N.C.), which the writers mark and the readers read as a stop:
    where a chord of `chords` (its chords sorted, durations set: `chord_durations`) ends before the
    next one starts or the piece ends, and on the first whole bar's downbeat where the first chord
    comes after it (a chart's opening N.C., "N.C. | C" or "N.C. C7 | F"; a pickup without a chord
    is not marked)."""
    end = piece.duration()
    out = []
    bars = piece.bars()
    first_whole = 1 if piece.pickup_beats() else 0
    if chords and len(bars) > first_whole and chords[0].onset > bars[first_whole] + _EPS:
        out.append(bars[first_whole])
    for i, c in enumerate(chords):
        stop = c.onset + (c.duration or 0.0)
        nxt = chords[i + 1].onset if i + 1 < len(chords) else end
        if c.duration and stop < nxt - _EPS:
            out.append(stop)
    return out


def _finish(piece: Piece, *, estimate: bool = True) -> Piece:
    """Shared end of every reader: sort, drop duplicate meta events, estimate a missing key."""
    for t in piece.tracks:
        t.notes.sort(key=lambda n: (n.onset, -n.pitch))
        _clip_same_pitch_overlaps(t)
    # a tonic no key signature can spell (Cb minor: 10 flats) becomes its enharmonic (B minor)
    piece.keys = [k if key_from_sharps(sharps_of(k), k.mode).tonic_pc == k.tonic_pc and abs(_raw_sharps(k)) <= 7
                  else key_from_sharps(sharps_of(k), k.mode, k.onset) for k in piece.keys]
    piece.time_signatures = _dedupe(sorted(piece.time_signatures, key=lambda x: x.onset), ("numerator", "denominator"))
    piece.keys = _dedupe(sorted(piece.keys, key=lambda x: x.onset), ("tonic", "mode"))
    piece.tempos = _dedupe(sorted(piece.tempos, key=lambda x: x.onset), ("qpm",))
    if not piece.keys and estimate and (piece.n_notes or piece.chords):
        piece.keys = [estimate_key(piece)]
        piece.meta["key_estimated"] = True
    return piece


def _raw_sharps(k: KeySignature) -> int:
    """Sharps the tonic's spelling implies (Cb minor -> -10), unbounded."""
    from ..harmony import _MAJOR_STEPS, _MODE_DEGREE

    letter_fifths = {"F": -1, "C": 0, "G": 1, "D": 2, "A": 3, "E": 4, "B": 5}
    degree = _MODE_DEGREE.get(k.mode, 0)
    major_letter = "CDEFGAB"[("CDEFGAB".index(k.tonic[0].upper()) - degree) % 7]
    major_pc = (k.tonic_pc - _MAJOR_STEPS[degree]) % 12
    from ..score import pitch_class_of

    major_acc = (major_pc - pitch_class_of(major_letter) + 6) % 12 - 6
    return letter_fifths[major_letter] + 7 * major_acc


def _clip_same_pitch_overlaps(track: Track) -> None:
    """A note still sounding when the same pitch starts again ends there (MIDI cannot hold both);
    the length it was written with stays its `held` length, for the score (two voices on a staff
    striking one pitch: Verdi's held dotted quarter had been written as an eighth)."""
    last: dict[int, Note] = {}
    for n in track.notes:
        prev = last.get(n.pitch)
        if prev is not None and prev.onset < n.onset < prev.onset + prev.duration - _EPS:
            prev.held = prev.held or prev.duration
            prev.duration = n.onset - prev.onset
        last[n.pitch] = n


def _dedupe(items: list, fields: tuple[str, ...]) -> list:
    out: list = []
    for x in items:
        if out and all(getattr(out[-1], f) == getattr(x, f) for f in fields):
            continue
        if out and abs(out[-1].onset - x.onset) < _EPS:
            out[-1] = x  # two events at one time: the later one wins
            continue
        out.append(x)
    return out


def _piece_kwargs(kw: dict[str, Any]) -> dict[str, Any]:
    allowed = {"piece_id", "work_id", "title", "style", "source", "path", "license", "split", "meta"}
    unknown = set(kw) - allowed
    if unknown:
        raise TypeError(f"unexpected keyword arguments: {sorted(unknown)}")
    out = dict(kw)
    out.setdefault("piece_id", "piece")
    out.setdefault("work_id", out["piece_id"])
    out["meta"] = dict(out.get("meta") or {})
    return out
