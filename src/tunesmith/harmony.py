"""Chord symbols and keys: parse and normalise lead-sheet figures, voice them, estimate a key.

Everything here is pure Python / numpy and cached, because it runs for every chord of every
piece in the corpus (music21.harmony takes ~1 ms per figure; `parse_chord` takes ~1 µs once
cached).

Canonical figures (`normalize_figure`): root spelled as written ("Bb", "F#"; music21's "B-"
becomes "Bb"), then one quality from `QUALITIES` ("" major, "m", "7", "maj7", "m7", "dim",
"dim7", "m7b5", "aug", "sus4", ...), then "/bass" for slash chords: "Dm7", "G7", "Cmaj7",
"Bb7", "C/E". "N.C." (no chord) is not a chord: `parse_chord` raises ValueError for it and
readers drop it (a gap in the chord list means no chord).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .score import PITCH_CLASS_NAMES, ChordSymbol, KeySignature, Note, Piece, pitch_class_of

# quality -> intervals above the root (semitones)
QUALITIES: dict[str, tuple[int, ...]] = {
    "": (0, 4, 7),
    "m": (0, 3, 7),
    "dim": (0, 3, 6),
    "aug": (0, 4, 8),
    "sus2": (0, 2, 7),
    "sus4": (0, 5, 7),
    "5": (0, 7),
    "6": (0, 4, 7, 9),
    "m6": (0, 3, 7, 9),
    "69": (0, 4, 7, 9, 14),
    "m69": (0, 3, 7, 9, 14),
    "7": (0, 4, 7, 10),
    "maj7": (0, 4, 7, 11),
    "m7": (0, 3, 7, 10),
    "mMaj7": (0, 3, 7, 11),
    "dim7": (0, 3, 6, 9),
    "m7b5": (0, 3, 6, 10),
    "7#5": (0, 4, 8, 10),
    "7b5": (0, 4, 6, 10),
    "maj7#5": (0, 4, 8, 11),
    "7sus4": (0, 5, 7, 10),
    "7sus2": (0, 2, 7, 10),
    "add9": (0, 4, 7, 14),
    "madd9": (0, 3, 7, 14),
    "9": (0, 4, 7, 10, 14),
    "maj9": (0, 4, 7, 11, 14),
    "m9": (0, 3, 7, 10, 14),
    "7b9": (0, 4, 7, 10, 13),
    "7#9": (0, 4, 7, 10, 15),
    "7#11": (0, 4, 7, 10, 18),
    "maj7#11": (0, 4, 7, 11, 18),
    "7b13": (0, 4, 7, 10, 20),
    "7alt": (0, 4, 8, 10, 13),
    "9sus4": (0, 5, 7, 10, 14),
    "11": (0, 4, 7, 10, 14, 17),
    "m11": (0, 3, 7, 10, 14, 17),
    "13": (0, 4, 7, 10, 14, 21),
    "maj13": (0, 4, 7, 11, 14, 21),
    "m13": (0, 3, 7, 10, 14, 21),
    "7b9#5": (0, 4, 8, 10, 13),
    "7#9#5": (0, 4, 8, 10, 15),
    "7b9b5": (0, 4, 6, 10, 13),
    "9#11": (0, 4, 7, 10, 14, 18),
    "13#11": (0, 4, 7, 10, 14, 18, 21),
    "13b9": (0, 4, 7, 10, 13, 21),
    "7b9b13": (0, 4, 7, 10, 13, 20),
    "m7#5": (0, 3, 8, 10),
    "dim(maj7)": (0, 3, 6, 11),
}
# qualities with a minor third and no major third (m, m7, m7b5, dim, ...): the melody does not
# sing their major third (`sampling` masks it, the harmonizer does not put them under it)
MINOR_QUALITIES = frozenset(q for q, iv in QUALITIES.items() if 3 in {i % 12 for i in iv} and 4 not in {i % 12 for i in iv})

# spelling variants (after the root) -> canonical quality; lookups are tried verbatim first,
# then with parentheses and spaces removed.
_ALIASES: dict[str, str] = {
    "": "",
    "M": "",
    "maj": "",
    "major": "",
    "Maj": "",
    "ma": "",
    "m": "m",
    "mi": "m",
    "min": "m",
    "minor": "m",
    "-": "m",
    "dim": "dim",
    "o": "dim",
    "°": "dim",
    "dim5": "dim",
    "mb5": "dim",
    "m(b5)": "dim",
    "aug": "aug",
    "+": "aug",
    "#5": "aug",
    "+5": "aug",
    "augmented": "aug",
    "sus": "sus4",
    "sus4": "sus4",
    "sus2": "sus2",
    "5": "5",
    "power": "5",
    "6": "6",
    "M6": "6",
    "maj6": "6",
    "add6": "6",
    "m6": "m6",
    "min6": "m6",
    "-6": "m6",
    "69": "69",
    "6/9": "69",
    "6add9": "69",
    "m69": "m69",
    "m6/9": "m69",
    "7": "7",
    "dom": "7",
    "dom7": "7",
    "maj7": "maj7",
    "M7": "maj7",
    "Maj7": "maj7",
    "ma7": "maj7",
    "j7": "maj7",
    "Δ": "maj7",
    "Δ7": "maj7",
    "^7": "maj7",
    "^": "maj7",
    "major-seventh": "maj7",
    "m7": "m7",
    "mi7": "m7",
    "min7": "m7",
    "-7": "m7",
    "minor-seventh": "m7",
    "mM7": "mMaj7",
    "mmaj7": "mMaj7",
    "mMaj7": "mMaj7",
    "minmaj7": "mMaj7",
    "m^7": "mMaj7",
    "-maj7": "mMaj7",
    "-^7": "mMaj7",
    "dim7": "dim7",
    "o7": "dim7",
    "°7": "dim7",
    "m7b5": "m7b5",
    "m7-5": "m7b5",
    "-7b5": "m7b5",
    "min7b5": "m7b5",
    "mi7b5": "m7b5",
    "ø": "m7b5",
    "ø7": "m7b5",
    "h7": "m7b5",
    "h": "m7b5",
    "half-diminished": "m7b5",
    "7#5": "7#5",
    "7+5": "7#5",
    "7+": "7#5",
    "+7": "7#5",
    "aug7": "7#5",
    "7aug": "7#5",
    "7b5": "7b5",
    "7-5": "7b5",
    "maj7#5": "maj7#5",
    "maj7+5": "maj7#5",
    "+maj7": "maj7#5",
    "7sus": "7sus4",
    "7sus4": "7sus4",
    "sus7": "7sus4",
    "7sus2": "7sus2",
    "add9": "add9",
    "add2": "add9",
    "2": "add9",
    "madd9": "madd9",
    "m(add9)": "madd9",
    "9": "9",
    "dom9": "9",
    "maj9": "maj9",
    "M9": "maj9",
    "m9": "m9",
    "min9": "m9",
    "-9": "m9",
    "7b9": "7b9",
    "7-9": "7b9",
    "b9": "7b9",
    "7#9": "7#9",
    "7+9": "7#9",
    "#9": "7#9",
    "7#11": "7#11",
    "7+11": "7#11",
    "maj7#11": "maj7#11",
    "7b13": "7b13",
    "7alt": "7alt",
    "alt": "7alt",
    "9sus": "9sus4",
    "9sus4": "9sus4",
    "11": "11",
    "m11": "m11",
    "min11": "m11",
    "-11": "m11",
    "13": "13",
    "maj13": "maj13",
    "m13": "m13",
    "min13": "m13",
    "7b9#5": "7b9#5",
    "7#5b9": "7b9#5",
    "7#9#5": "7#9#5",
    "7#5#9": "7#9#5",
    "7b9b5": "7b9b5",
    "7b5b9": "7b9b5",
    "9#11": "9#11",
    "13#11": "13#11",
    "13b9": "13b9",
    "7b9b13": "7b9b13",
    "m7#5": "m7#5",
    "dim(maj7)": "dim(maj7)",
    "7#9b13": "7#9#5",  # the same tones (a flat 13th is a sharp 5th); 7alt would put a flat 9th for the sharp one
    "7b9#9": "7alt",
    "m7b9": "m7",  # rare: read as m7
    "7b9sus": "7sus4",
    "7b9sus4": "7sus4",
    "7susb9": "7sus4",
    "maj9#11": "maj7#11",
    "m7b9b5": "m7b5",
    "m9b5": "m7b5",
    "9b5": "7b5",
    "9#5": "7#5",
    "13sus": "9sus4",
    "13sus4": "9sus4",
    "11sus": "9sus4",
    "m11b5": "m7b5",
}

NO_CHORD = frozenset({"N", "NC", "N.C.", "N.C", "No Chord", "None", "n.c.", "nc", "X", ""})

_ROOT_RE = re.compile(r"^\s*([A-Ga-g])((?:bb|##|b|#|-{1,2}|♭|♯)?)(.*?)\s*$")
_BASS_RE = re.compile(r"/\s*([A-Ga-g])((?:bb|##|b|#|-{1,2}|♭|♯)?)\s*$")


def _pc_and_spelling(letter: str, accidental: str) -> tuple[int, str]:
    accidental = accidental.replace("-", "b").replace("♭", "b").replace("♯", "#")
    name = letter.upper() + accidental
    return pitch_class_of(name), name


@lru_cache(maxsize=65536)
def _parse(figure: str) -> tuple[int, str, int | None, str, str]:
    """(root_pc, quality, bass_pc, root spelling, bass spelling)."""
    if figure is None or figure.strip() in NO_CHORD:
        raise ValueError(f"not a chord figure: {figure!r} (no chord)")
    m = _ROOT_RE.match(figure)
    if not m:
        raise ValueError(f"not a chord figure: {figure!r} (no root A-G)")
    root_pc, root_name = _pc_and_spelling(m.group(1), m.group(2))
    rest = m.group(3)
    bass_pc: int | None = None
    bass_name = ""
    slash = _BASS_RE.search(rest)
    if slash and not rest.endswith("6/9"):
        bass_pc, bass_name = _pc_and_spelling(slash.group(1), slash.group(2))
        rest = rest[: slash.start()]
    quality = _ALIASES.get(rest)
    if quality is None:
        squeezed = re.sub(r"[()\s,]", "", rest).replace("-", "b") if rest not in ("-",) else rest
        # "-7" style minor markers lost by the replace above: restore a leading minus
        if rest.startswith("-") and not rest.startswith("-5"):
            squeezed = "m" + squeezed[1:]
        quality = _ALIASES.get(squeezed)
        if quality is None:
            squeezed = squeezed.replace("+", "#").replace("Maj", "maj").replace("M7", "maj7").replace("min", "m")
            quality = _ALIASES.get(squeezed) if squeezed not in QUALITIES else squeezed
    if quality is None:
        quality = _simplify(rest)
    if quality is None:
        raise ValueError(f"not a chord figure: {figure!r} (unknown quality {rest!r})")
    if bass_pc == root_pc:
        bass_pc, bass_name = None, ""
    return root_pc, quality, bass_pc, root_name, bass_name


# a chord's tension or alteration numbers (2, 4, 5, 6, 7, 9, 11, 13), dropped from the end of an
# unknown quality one at a time: no other number names a chord tone, so "Fmaj8" (a typo for Fmaj7
# or Fmaj9) is refused, where any trailing number had been dropped and it was read as F
_TRAILING_ALTERATION = re.compile(r"(?:\(?(?:add|no|omit)?[#b+\-]?(?:13|11|9|7|6|5|4|2)\)?|alt|sus\d?)$")


def _simplify(rest: str) -> str | None:
    """Known quality left after dropping trailing alterations ('7b9#11' -> '7b9', 'M7b5' -> 'maj7');
    None when nothing known remains."""
    q = re.sub(r"[()\s,]", "", rest)
    for _ in range(4):
        new = _TRAILING_ALTERATION.sub("", q)
        if new == q:
            break
        q = new
        for cand in (q, q.replace("M7", "maj7").replace("M9", "maj9").replace("M", "maj").replace("+", "#")):
            if cand in _ALIASES:
                return _ALIASES[cand]
    return None


def parse_chord(figure: str) -> tuple[int, str, int | None]:
    """`(root_pc, quality, bass_pc | None)` of a lead-sheet figure; ValueError if it does not parse.

    >>> parse_chord("Bbm7/Ab")
    (10, 'm7', 8)
    """
    root_pc, quality, bass_pc, _, _ = _parse(figure)
    return root_pc, quality, bass_pc


def chord_spelling(figure: str) -> tuple[str, str | None]:
    """(root, bass or None) as the figure spells them, double accidentals kept ("Bbb7" -> ("Bbb",
    None), "F##7/A##" -> ("F##", "A##")); ValueError if it does not parse."""
    _, _, bass_pc, root_name, bass_name = _parse(figure)
    return root_name, (bass_name if bass_pc is not None else None)


def written_quality(figure: str) -> str:
    """The quality as `figure` writes it, between its root and its bass ("Bb13sus/Ab" -> "13sus",
    "C7alt" -> "7alt", "Cmin7" -> "min7"), where `parse_chord` gives the quality it is read as
    ("9sus4", "7alt", "m7"); ValueError if it does not parse. A chart prints what the musician
    wrote, though the melody is written over the quality read."""
    _parse(figure)
    rest = _ROOT_RE.match(figure).group(3)
    slash = _BASS_RE.search(rest)
    return (rest[: slash.start()] if slash and not rest.endswith("6/9") else rest).strip()


def is_chord_figure(figure: str) -> bool:
    try:
        _parse(figure)
    except ValueError:
        return False
    return True


def first_figure(candidates: list[str]) -> str | None:
    """The first of `candidates` that parses, in canonical spelling (`normalize_figure`); None
    when none does (the readers try a chord's spellings from the most to the least specific)."""
    for figure in candidates:
        try:
            return normalize_figure(figure)
        except ValueError:
            continue
    return None


def normalize_figure(figure: str, *, keep_bass: bool = True) -> str:
    """Canonical spelling of `figure` ("Bb-7" -> "Bbm7", "C/E", "Gmaj" -> "G"); ValueError if unparseable."""
    _, quality, bass_pc, root_name, bass_name = _parse(figure)
    out = root_name + quality
    if keep_bass and bass_pc is not None:
        out += "/" + bass_name
    return out


# each pitch class's name with at most one accidental, with sharps and with flats
_SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
_FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")


def make_figure(root_pc: int, quality: str = "", bass_pc: int | None = None, *, flats: bool = True) -> str:
    """Figure from its parts, spelling roots with flats (Eb, Bb) unless `flats` is False."""
    if quality not in QUALITIES:
        raise ValueError(f"unknown chord quality {quality!r}")
    names = PITCH_CLASS_NAMES if flats else _SHARP_NAMES
    out = names[root_pc % 12] + quality
    if bass_pc is not None and bass_pc % 12 != root_pc % 12:
        out += "/" + names[bass_pc % 12]
    return out


@lru_cache(maxsize=65536)
def _chord_pitches(figure: str, root_octave_base: int) -> tuple[int, ...]:
    root_pc, quality, bass_pc, _, _ = _parse(figure)
    root = root_octave_base + root_pc
    pitches = [root + i for i in QUALITIES[quality]]
    if bass_pc is not None:
        bass = root_octave_base - 12 + bass_pc
        pitches = [bass, *[p for p in pitches if p % 12 != bass_pc]]
    return tuple(pitches)


def chord_pitches(figure: str, *, base: int = 48) -> list[int]:
    """MIDI pitches of a close voicing: root in base..base+11 (default C3..B3), chord tones above,
    a slash bass an octave below the root's octave. ValueError if the figure does not parse."""
    return list(_chord_pitches(figure, base))


def chord_pitch_classes(figure: str) -> frozenset[int]:
    return frozenset(p % 12 for p in _chord_pitches(figure, 48))


# ------------------------------------------------------------------------ key estimation
# Krumhansl & Kessler (1982) probe-tone profiles.
_KK_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_KK_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def _rotations(profile: np.ndarray) -> np.ndarray:
    rows = np.stack([np.roll(profile, k) for k in range(12)])
    rows = rows - rows.mean(axis=1, keepdims=True)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


_PROFILES = np.concatenate([_rotations(_KK_MAJOR), _rotations(_KK_MINOR)])  # 24 x 12
MAJOR_TONIC_NAMES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MINOR_TONIC_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B")


def pitch_class_histogram(piece: Piece) -> np.ndarray:
    """Duration-weighted pitch-class histogram of all pitched notes; chord symbols (weighted by
    their duration, or 1 beat) when the piece has no notes."""
    hist = np.zeros(12)
    for track in piece.tracks:
        if track.is_drum or not track.notes:
            continue
        pcs = np.fromiter((n.pitch % 12 for n in track.notes), dtype=np.int64, count=len(track.notes))
        durs = np.fromiter((n.duration for n in track.notes), dtype=np.float64, count=len(track.notes))
        hist += np.bincount(pcs, weights=durs, minlength=12)
    if hist.sum() <= 0:
        for c in piece.chords:
            try:
                pcs_c = chord_pitch_classes(c.figure)
            except ValueError:
                continue
            for pc in pcs_c:
                hist[pc] += c.duration or 1.0
    return hist


def _key_scores(hist: np.ndarray) -> np.ndarray | None:
    """The Krumhansl-Schmuckler correlation of each of the 24 keys (12 major, then 12 minor) with a
    pitch-class histogram; None for an empty or flat one."""
    h = np.asarray(hist, dtype=np.float64)
    if h.sum() <= 0 or np.allclose(h, h[0]):
        return None
    h = h - h.mean()
    return _PROFILES @ (h / np.linalg.norm(h))


def _key_of_index(i: int) -> KeySignature:
    """Key number i of `_key_scores` (0-11 major, 12-23 minor), spelled as a key signature names it."""
    mode = "major" if i < 12 else "minor"
    names = MAJOR_TONIC_NAMES if mode == "major" else MINOR_TONIC_NAMES
    return KeySignature(0.0, names[i % 12], mode)


def estimate_key_from_histogram(hist: np.ndarray) -> tuple[int, str, float]:
    """(tonic_pc, "major"|"minor", correlation) of the best Krumhansl-Schmuckler match."""
    scores = _key_scores(hist)
    if scores is None:
        return 0, "major", 0.0
    best = int(np.argmax(scores))
    return best % 12, ("major" if best < 12 else "minor"), float(scores[best])


def estimate_key(piece: Piece) -> KeySignature:
    """Krumhansl-Schmuckler key of `piece` (C major for an empty piece), at onset 0."""
    tonic_pc, mode, _ = estimate_key_from_histogram(pitch_class_histogram(piece))
    return _key_of_index(tonic_pc + (0 if mode == "major" else 12))


# `estimate_key_in_scale`: the Krumhansl-Schmuckler key stands when its scale holds at least this share
# of the notes' time (as `cocreate.inputs.KEY_FITS` reads a MIDI file's default key signature)
SCALE_FITS = 0.95
# ... and another key's scale takes its place only where it holds every note (a melody of one scale:
# a chromatic line keeps the correlation's key; `docs/notes/2026-12-05-session-45/key_in_scale.py`)
SCALE_HOLDS = 0.999


def estimate_key_in_scale(piece: Piece) -> KeySignature:
    """`estimate_key`, unless its scale leaves out more than 1 - SCALE_FITS of the notes' time while
    another key's holds them: then the best-correlated of the keys whose scale does. Krumhansl-Schmuckler
    weighs the long notes: C D E F G4 (a C-major tune without a key, its last note held) had been
    read as G major, whose F sharp the tune never plays, and continued with F sharps."""
    from tunesmith.tokenizer import scale_pitch_classes

    hist = pitch_class_histogram(piece)
    best = estimate_key(piece)
    total = float(hist.sum())
    if total <= 0:
        return best

    def share(tonic_pc: int, mode: str) -> float:
        return float(sum(hist[pc] for pc in scale_pitch_classes(tonic_pc, mode))) / total

    scores = _key_scores(hist)
    if scores is None or share(best.tonic_pc, best.mode) >= SCALE_FITS:
        return best
    fitting = [i for i in range(24) if share(i % 12, "major" if i < 12 else "minor") >= SCALE_HOLDS]
    return _key_of_index(max(fitting, key=lambda j: scores[j])) if fitting else best


def estimate_key_from_close(piece: Piece) -> KeySignature:
    """The key a piece of several voices closes in: the tonic is the lowest note of its final
    sonority, major or minor as the Krumhansl-Schmuckler correlation prefers at that tonic. The one
    exception is the Phrygian (or half) close, a final chord with no minor third that is the
    dominant of a minor key correlating better than either key on its own root (Bach's settings of
    Phrygian melodies end on E major after A minor: 8 of the JSB training chorales).

    Why not `estimate_key`: over a whole chorale, Krumhansl-Schmuckler hears the key of its middle
    (often the dominant's, where half its phrases end): of the 382 JSB chorales it put 87 in a key
    other than the one their final chord closes, 49 of them a fifth above, and music21 agreed with
    it on 0.74 of the validation chorales against 0.91 with this (`docs/notes/2026-12-06-session-57/
    chorale_keys.py`). Falls back to `estimate_key` without notes."""
    notes = [n for t in piece.tracks if not t.is_drum for n in t.notes]
    scores = _key_scores(pitch_class_histogram(piece))
    if not notes or scores is None:
        return estimate_key(piece)
    end = max(n.onset + n.duration for n in notes)
    final = [n for n in notes if n.onset + n.duration >= end - 1e-6]
    root = min(n.pitch for n in final) % 12
    pcs = {n.pitch % 12 for n in final}
    if (root + 3) % 12 not in pcs:  # a major chord or a bare fifth: perhaps a minor key's dominant
        minor_below = (root - 7) % 12
        if scores[12 + minor_below] > max(scores[root], scores[12 + root]):
            return _key_of_index(12 + minor_below)
    return _key_of_index(root if scores[root] >= scores[12 + root] else 12 + root)


_MAJOR_BY_SHARPS = ("Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#")
_MODE_DEGREE = {"major": 0, "ionian": 0, "dorian": 1, "phrygian": 2, "lydian": 3, "mixolydian": 4,
                "minor": 5, "aeolian": 5, "locrian": 6}
_MAJOR_STEPS = (0, 2, 4, 5, 7, 9, 11)
_LETTERS = "CDEFGAB"


def _spell(letter: str, pc: int) -> str:
    diff = (pc - pitch_class_of(letter) + 6) % 12 - 6
    return letter + ("#" * diff if diff > 0 else "b" * -diff)


def key_from_sharps(sharps: int, mode: str = "major", onset: float = 0.0) -> KeySignature:
    """KeySignature for a signature of `sharps` (negative: flats, -7..7) in `mode`
    (major, minor, dorian, ...), tonic spelled as the signature spells it (F# minor, Eb dorian)."""
    mode = (mode or "major").lower()
    if mode not in _MODE_DEGREE:
        mode = "major"
    sharps = max(-7, min(7, int(sharps)))
    major = _MAJOR_BY_SHARPS[sharps + 7]
    degree = _MODE_DEGREE[mode]
    letter = _LETTERS[(_LETTERS.index(major[0]) + degree) % 7]
    pc = (pitch_class_of(major) + _MAJOR_STEPS[degree]) % 12
    mode = {"ionian": "major", "aeolian": "minor"}.get(mode, mode)
    return KeySignature(onset, _spell(letter, pc), mode)


def sharps_of(key: KeySignature) -> int:
    """Number of sharps (negative: flats) of the signature of `key` (-7..7)."""
    candidates = [s for s in range(-7, 8) if key_from_sharps(s, key.mode).tonic_pc == key.tonic_pc]
    for s in candidates:
        if key_from_sharps(s, key.mode).tonic == key.tonic:
            return s
    return min(candidates, key=abs) if candidates else 0


def major_or_minor(piece: Piece, sharps: int, onset: float = 0.0) -> KeySignature:
    """The major key or its relative minor for a signature of `sharps`, whichever the piece's
    pitch-class histogram correlates with better (Krumhansl-Kessler)."""
    hist = pitch_class_histogram(piece)
    major = key_from_sharps(sharps, "major", onset)
    if hist.sum() <= 0:
        return major
    h = hist - hist.mean()
    norm = np.linalg.norm(h)
    if norm == 0:
        return major
    h = h / norm
    major_pc = major.tonic_pc
    minor_pc = (major_pc + 9) % 12
    if _PROFILES[12 + minor_pc] @ h > _PROFILES[major_pc] @ h:
        return key_from_sharps(sharps, "minor", onset)
    return major


def settle_relative_mode(piece: Piece) -> bool:
    """For a piece whose source writes every key as major (OpenEWLD's MusicXML says <mode>major
    </mode> for 491 of its 502 scores, Yesterdays and Summertime among them; Essen's ABC gives a
    signature and no mode): each major key becomes its relative minor where the music says so.
    Votes, minor positive: the last chord on the relative minor's root and minor (+2) or on the
    tonic and not minor (-2); the first chord likewise (+1 / -1); the melody's last note on the
    relative minor's tonic (+2) or the tonic (-2); the pitch-class histogram's correlation
    (`major_or_minor`, +1 / -1). Ties stay major. Returns whether a key changed; the piece's
    meta says the mode was estimated."""
    changed = False
    melody = piece.melody()
    last_pc = None
    if melody is not None and melody.notes:
        last_pc = max(melody.notes, key=lambda n: (n.onset, -n.pitch)).pitch % 12
    chords = sorted(piece.chords, key=lambda c: c.onset)

    def vote(figure: str, tonic: int, rel: int, weight: int) -> int:
        try:
            root, quality, _ = parse_chord(figure)
        except ValueError:
            return 0
        minor = quality in MINOR_QUALITIES
        return weight if root == rel and minor else -weight if root == tonic and not minor else 0

    for i, k in enumerate(piece.keys):
        if (k.mode or "major").lower() != "major":
            continue
        tonic = k.tonic_pc
        rel = (tonic + 9) % 12
        score = 0
        if chords:
            score += vote(chords[-1].figure, tonic, rel, 2) + vote(chords[0].figure, tonic, rel, 1)
        if last_pc is not None:
            score += 2 if last_pc == rel else -2 if last_pc == tonic else 0
        if piece.n_notes:
            score += 1 if major_or_minor(piece, sharps_of(k), k.onset).mode == "minor" else -1
        if score > 0:
            piece.keys[i] = key_from_sharps(sharps_of(k), "minor", k.onset)
            changed = True
    piece.meta["key_mode_estimated"] = True
    return changed


# `settle_modal_final`: the modes a tune may be given from its final, by the final's place in the
# signature's major scale (semitones above the major tonic). Phrygian, lydian and locrian tunes are
# rare in these dance collections and a final on E, F or B under C's signature is more often a tune
# ending off its tonic; they are left as labelled.
_MODE_OF_FINAL = {0: "major", 2: "dorian", 7: "mixolydian", 9: "minor"}
# ... the final must be among the tune's longest-held pitch classes (a tune that ends on its fifth
# dwells on its tonic)
MODAL_FINAL_HELD_RANK = 3
# ... and every pitch class held longer than this share of the tune must be in the mode's scale (a
# tune full of accidentals is another matter than its signature's modes)
MODAL_FINAL_OUTSIDE = 0.06
# ... and the final must be held longer than the label's tonic (Rory O'More, in A, ends its B
# strain on E, one of its three longest-held notes; this halves the editors' major tunes moved)
MODAL_FINAL_OVER_LABEL = True


def settle_modal_final(piece: Piece) -> bool:
    """For a folk source that writes a key as its signature (the Irish MIDI files carry abc2midi's
    sharps and a major/minor flag; Nottingham's ABC names no mode in any K: field): a tune in E
    dorian is written with D major's signature, labelled D major, and ends on E. The key becomes the
    mode of the same signature on the tune's final when the music agrees: the final is the
    signature's major, minor, dorian or mixolydian tonic (`_MODE_OF_FINAL`) and not the label's;
    it is among the `MODAL_FINAL_HELD_RANK` longest-held pitch classes, and held longer than the
    label's tonic (`MODAL_FINAL_OVER_LABEL`); the last chord, where
    there is one, is that tonic's triad (minor third or major as the mode has it); and the tune
    keeps to the mode's scale (`MODAL_FINAL_OUTSIDE`). A tune with more than one key is left
    alone. Returns whether the key changed; `piece.meta["key_from_final"]` keeps the label it had.

    Checked against the editors of O'Neill's, Ryan's and Aird's collections, who name a mode in
    some K: fields (`docs/notes/2026-12-07-session-61/modal_rule_check.py`)."""
    from tunesmith.tokenizer import scale_pitch_classes

    if not piece.keys or len({(k.tonic_pc, k.mode) for k in piece.keys}) != 1:
        return False
    key = piece.keys[0]
    melody = piece.melody()
    notes = sorted(melody.notes, key=lambda n: (n.onset, -n.pitch)) if melody is not None else []
    if len(notes) < 8:
        return False
    final = notes[-1].pitch % 12
    sharps = sharps_of(key)
    mode = _MODE_OF_FINAL.get((final - key_from_sharps(sharps, "major").tonic_pc) % 12)
    if mode is None or final == key.tonic_pc:
        return False
    held = np.zeros(12)
    for n in notes:
        held[n.pitch % 12] += n.duration
    if final not in np.argsort(-held, kind="stable")[:MODAL_FINAL_HELD_RANK] or (
        MODAL_FINAL_OVER_LABEL and held[final] <= held[key.tonic_pc]
    ):
        return False
    if piece.chords:
        try:
            root, quality, _ = parse_chord(max(piece.chords, key=lambda c: c.onset).figure)
        except ValueError:
            return False
        if root != final or (quality in MINOR_QUALITIES) != (mode in ("minor", "dorian")):
            return False
    scale = scale_pitch_classes(final, mode)
    if any(held[pc] > MODAL_FINAL_OUTSIDE * held.sum() and pc not in scale for pc in range(12)):
        return False
    piece.keys = [key_from_sharps(sharps, mode, key.onset)]
    piece.meta["key_from_final"] = f"{key.tonic} {key.mode}"
    return True


# ------------------------------------------------------------------------------ key from chords
def estimate_key_from_chords(figures: list[str]) -> KeySignature:
    """The key a musician reads from a chord progression ("Dm7 G7 Cmaj7 Cmaj7" -> C major).

    Krumhansl-Schmuckler over the chord tones (roots counted twice), plus a bonus for the key
    whose tonic chord starts the progression (more in a short one, a loop) or ends it, unless it
    starts a ii-V: a ii-V-I names its I, and a
    progression ending on a dominant seventh names the key a fourth above it (iii-VI-ii-V).
    A dominant seventh that resolves a fourth up (V7-I, wherever it stands) adds to the key of
    the chord it resolves to, in proportion to the progression's resolutions: without it
    "Cm7 F7 Bbmaj7 Gm7" (ii-V-I-vi in B-flat) read as G minor, from its last chord. Tonic right
    (keyed pieces' whole progressions, training split: the jazz progressions,
    Nottingham, POP909 and Billboard keys): folk 0.885 -> 0.892, pop 0.782 -> 0.784, jazz
    0.618 -> 0.626; from the first 8 chords folk 0.852 -> 0.885, pop 0.599 -> 0.613, jazz 0.497
    -> 0.503 (validation split: within 3 points either way, folk from 8 chords +3). ValueError
    when no figure parses."""
    hist = np.zeros(12)
    parsed = []
    for figure in figures:
        try:
            root, quality, _ = parse_chord(figure)
            pcs = chord_pitch_classes(figure)
        except ValueError:
            continue
        parsed.append((root, quality))
        for pc in pcs:
            hist[pc] += 1.0
        hist[root] += 1.0
    if not parsed:
        from tunesmith.sampling.request import joined_chords

        shown = " ".join(str(f) for f in figures) if not isinstance(figures, str) else figures
        apart = "; write chords apart with spaces ('G D Em C')" if any(joined_chords(w) for w in shown.split()) else ""
        raise ValueError(f"none of the chords {shown!r} is a chord symbol tunesmith reads (such as C, Am, G7, "
                         f"Bbmaj7, F#m7b5){apart}")
    h = hist - hist.mean()
    norm = np.linalg.norm(h)
    scores = _PROFILES @ (h / norm) if norm > 0 else np.zeros(24)

    def tonic_index(root: int, quality: str) -> int:
        minor = quality.startswith("m") and not quality.startswith("maj")
        return root + (12 if minor else 0)

    last, first = parsed[-1], parsed[0]
    def dominant(quality: str) -> bool:  # a dominant-function seventh (7, 9, 11, 13 and their alterations)
        return quality.startswith(("7", "9", "11", "13"))

    # a ii-V at the start: the second chord a fourth above the first and a dominant seventh, or a
    # plain triad that goes on a fourth up again (ii-V-I: "Dm G C"; "Am D Am D" is not one)
    fourth_up = len(parsed) > 1 and (parsed[1][0] - first[0]) % 12 == 5 and not dominant(first[1])
    plain_ii_v_i = (len(parsed) > 2 and first[1].startswith("m") and not first[1].startswith("maj")
                    and parsed[1][1] in ("", "maj") and (parsed[2][0] - parsed[1][0]) % 12 == 5)
    opens_a_ii_v = fourth_up and (dominant(parsed[1][1]) or plain_ii_v_i)
    ii_v_target = (parsed[1][0] + 5) % 12 if opens_a_ii_v else None
    if not dominant(last[1]):  # a dominant does not end on its tonic
        scores[tonic_index(*last)] += 0.25
    else:  # it points at the chord a fourth above: a turnaround ending on D7 is in G
        tonic = (last[0] + 5) % 12
        if opens_a_ii_v and tonic == first[0]:
            # a loop whose last dominant leads back to its opening ii (C-A7-Dm-G7) is in the key of the ii-V
            tonic = ii_v_target
        scores[[tonic, tonic + 12]] += 0.5  # major or minor: the chord tones decide
    # the first chord is where a progression starts from home: 0.84 of the valid split's keyed
    # progressions that open on a major chord are in its key. Typed for `compose --chords`, which
    # cycles them, a short progression is a loop whose first chord is its tonic ("F#m D A E" is in F#
    # minor, "Am F C G" in A minor); a longer one ends at home too, where the last chord tells more.
    # A ii before its V is not the tonic (the jazz progressions open on a ii: Dm7 G7). Key right,
    # valid split (docs/notes/2026-12-04-session-40/loop_keys.py), opening on a major / minor chord:
    # the first 4 chords 0.568 / 0.382 -> 0.811 / 0.455, the first 16 0.708 / 0.425 -> 0.837 /
    # 0.467, whole progressions 0.830 / 0.585 -> 0.852 / 0.577. A ii-V of plain triads ("Dm G C A7", in
    # C), and a loop's last dominant read as leading back to its opening ii, lift the minor openings
    # (valid 0.455 -> 0.463, 0.467 -> 0.467, 0.577 -> 0.602; test 0.391 -> 0.418, 0.436 -> 0.436,
    # 0.464 -> 0.518) and leave the major ones as they were.
    if not dominant(first[1]):
        scores[tonic_index(*first)] += 0.1 if opens_a_ii_v else (0.5 if len(parsed) <= 16 else 0.3)
    resolved = np.zeros(24)  # V7 -> I: the key of the chord a dominant seventh resolves to
    for (a, qa), (b, qb) in zip(parsed, parsed[1:]):
        if dominant(qa) and (b - a) % 12 == 5 and not dominant(qb):
            resolved[tonic_index(b, qb)] += 1.0
    if resolved.sum():
        scores += 0.3 * resolved / resolved.sum()
    best = int(np.argmax(scores))
    tonic_pc, mode = best % 12, ("major" if best < 12 else "minor")
    names = MAJOR_TONIC_NAMES if mode == "major" else MINOR_TONIC_NAMES
    return KeySignature(0.0, names[tonic_pc], mode)


def key_against_chords(figures: list[str], tonic: str, mode: str) -> str | None:
    """One line when the chords do not fit the key asked for, else None: under 60 % of their
    tones (each chord's pitch classes) lie in the key's scale (minor: natural minor and the
    leading tone) and another key's scale holds 30 points more of them ("C Am F G" in A-flat
    major: 50 %, in C major 100 %). Measured on the training split's keyed lead sheets and
    progressions (folk, pop, jazz; 4,884 pieces): 2.2 % of them meet both, most with a key
    annotation a fifth or a relative away, so the composer says so and goes on (the melody
    follows the key; the chords stay) rather than refusing."""
    from tunesmith.tokenizer import scale_pitch_classes

    chords = []
    for figure in figures:
        try:
            chords.append(chord_pitch_classes(figure))
        except ValueError:
            continue
    total = sum(len(c) for c in chords)
    if not total:
        return None

    def share(tonic_pc: int, key_mode: str) -> float:
        scale = set(scale_pitch_classes(tonic_pc, key_mode))
        if key_mode == "minor":
            scale.add((tonic_pc + 11) % 12)
        return sum(len(set(c) & scale) for c in chords) / total

    family = "minor" if mode in ("minor", "aeolian", "dorian", "phrygian") else "major"
    asked = share(pitch_class_of(tonic), family)
    best_share = max(share(pc, m) for m in ("major", "minor") for pc in range(12))
    if asked >= 0.6 or best_share < asked + 0.3:
        return None
    named = estimate_key_from_chords(figures)  # the key the chords name (C major, not its relative A minor)
    return (f"the chords {' '.join(figures[:8])}{' ...' if len(figures) > 8 else ''} fit {named.tonic} {named.mode} "
            f"({share(named.tonic_pc, named.mode):.0%} of their tones in its scale) better than {tonic} {mode} "
            f"({asked:.0%}); the melody "
            f"follows {tonic} {mode}, the chords stay as given (leave out --key to take the chords' key)")


# ------------------------------------------------------------------------------ chords from notes
# the qualities a chord is read as, from the notes of an accompaniment (the harmonizer's eight and
# the augmented triad); a seventh is read only where its seventh sounds
READ_QUALITIES = ("", "m", "7", "maj7", "m7", "dim", "m7b5", "sus4", "aug")


def _window_label(weights: np.ndarray, bass_pc: int | None) -> tuple[int, str]:
    """(root, quality) of the `READ_QUALITIES` template that best explains the duration-weighted
    pitch classes `weights` (summing to 1): the weight on its tones less the weight off them,
    less a share for each of its tones that does not sound, a little less for each tone past the
    triad (a triad where the seventh is faint), a little more when the bass is its root."""
    best, best_score = (0, ""), -np.inf
    sounding = weights > 0.05
    for root in range(12):
        for quality in READ_QUALITIES:
            tones = [(root + i) % 12 for i in QUALITIES[quality]]
            inside = float(weights[tones].sum())
            missing = sum(1 for pc in tones if not sounding[pc]) / len(tones)
            score = inside - (1.0 - inside) - 0.6 * missing - 0.04 * (len(tones) - 3) + (0.15 if bass_pc == root else 0.0)
            if score > best_score:
                best, best_score = (root, quality), score
    return best


def chords_from_notes(notes: list[Note], piece: Piece) -> list[ChordSymbol]:
    """Chord symbols read from an accompaniment's notes (a MIDI lead sheet's chord track): one
    per half bar in 4/4, 2/2 and 6/8 (per bar in other meters), each the `READ_QUALITIES`
    template that best fits the pitch classes sounding there (`_window_label`), a symbol written
    only where the chord changes; a window with under a quarter beat of sound keeps the chord
    before. Roots are spelled in the piece's key (estimated where it has none: Db, not C#, in
    A-flat). Measured against POP909's annotated chords, read from its piano tracks, per beat:
    root right 0.910 (40 training songs, 13,269 beats), 0.914 (40 validation songs); root and
    major/minor 0.884 / 0.894."""
    if not notes:
        return []
    key = piece.key or estimate_key(piece)
    bars = piece.bars() or [0.0]
    end = max(piece.end, max(n.onset + n.duration for n in notes))
    bounds = [*bars, end] if bars[-1] < end else list(bars)
    ts = piece.time_signature
    halves = (ts.numerator, ts.denominator) in ((4, 4), (2, 2), (6, 8), (12, 8))
    windows = []
    for a, b in zip(bounds, bounds[1:]):
        if halves and b - a >= ts.bar_length - 1e-6:  # a pickup bar stays whole
            windows += [(a, (a + b) / 2), ((a + b) / 2, b)]
        else:
            windows.append((a, b))
    ordered = sorted(notes, key=lambda n: n.onset)
    out: list[ChordSymbol] = []
    last = None
    for a, b in windows:
        weights = np.zeros(12)
        low, low_pitch = None, 1000
        for n in ordered:
            if n.onset >= b:
                break
            overlap = min(b, n.onset + n.duration) - max(a, n.onset)
            if overlap <= 0:
                continue
            weights[n.pitch % 12] += overlap
            if overlap >= min(0.5, (b - a) / 4) and n.pitch < low_pitch:
                low, low_pitch = n.pitch % 12, n.pitch
        if weights.sum() < 0.25:
            continue
        label = _window_label(weights / weights.sum(), low)
        if label != last:
            out.append(ChordSymbol(a, spell_chord_root(label[0], label[1], key) + label[1]))
            last = label
    return out


# ------------------------------------------------------------------------------ spelling
_MAJOR_RELATIVE = ((0, 0), (1, -1), (1, 0), (2, -1), (2, 0), (3, 0), (3, 1), (4, 0), (5, -1), (5, 0), (6, -1), (6, 0))
_NATURAL_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
# generic step (0 = root ... 6 = seventh) of a chord tone `semitones` above the root
_CHORD_STEP = {0: 0, 1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 4, 7: 4, 8: 5, 9: 5, 10: 6, 11: 6}


def _letter_name(letter: str, pc: int) -> str | None:
    """`letter` with the accidentals that make pitch class `pc` (None past a double accidental)."""
    diff = (pc - _NATURAL_PC[letter] + 6) % 12 - 6
    if abs(diff) > 2:
        return None
    return letter + ("#" * diff if diff > 0 else "b" * -diff)


def spell_chord_in_key(figure: str, key: KeySignature | None) -> str:
    """`figure` with its root (and slash bass) spelled as `key`'s scale spells that degree
    (Cb, not B, for IV in G-flat; E# for vii in F-sharp); a chromatic root, a figure that does
    not parse and a key-less piece are left as they are. What is named is what sounds."""
    m = _ROOT_RE.match(figure) if key is not None else None
    if not m:
        return figure
    try:
        scale = _scale_names(key)
        root_pc, _, bass_pc, root_name, bass_name = _parse(figure)
    except (ValueError, KeyError):
        return figure
    rest = m.group(3)
    if "/" in rest and bass_pc is not None:
        rest = rest.rpartition("/")[0] + "/" + scale.get(bass_pc, bass_name)
    return scale.get(root_pc, root_name) + rest


def _scale_names(key: KeySignature) -> dict[int, str]:
    """{pitch class: name} of the 7 degrees of `key`'s scale (mode-aware), spelled from its tonic."""
    degree = _MODE_DEGREE.get(key.mode, 0)
    tonic_letter = key.tonic[0].upper()
    out = {}
    for i in range(7):
        step = (_MAJOR_STEPS[(degree + i) % 7] - _MAJOR_STEPS[degree]) % 12
        letter = _LETTERS[(_LETTERS.index(tonic_letter) + i) % 7]
        name = _letter_name(letter, (key.tonic_pc + step) % 12)
        if name is not None:
            out[(key.tonic_pc + step) % 12] = name
    return out


def _chord_names(figure: str) -> dict[int, str]:
    """{pitch class: name} of a chord's tones, spelled from its written root ("D7": F#, not Gb)."""
    try:
        root_pc, quality, bass_pc, root_name, bass_name = _parse(figure)
        pcs = chord_pitch_classes(figure)
    except ValueError:
        return {}
    dim = quality.startswith("dim") or "b5" in quality
    aug = quality.startswith("aug") or "#5" in quality
    out = {}
    for pc in pcs:
        semis = (pc - root_pc) % 12
        step = _CHORD_STEP[semis]
        if semis == 6 and not dim:
            step = 3  # #11
        if semis == 8 and aug:
            step = 4  # #5
        if semis == 9 and quality == "dim7":
            step = 6  # bb7
        if semis == 3 and "#9" in quality:
            step = 1
        name = _letter_name(_LETTERS[(_LETTERS.index(root_name[0]) + step) % 7], pc)
        if name is not None:
            out[pc] = name
    if bass_pc is not None and bass_name:
        out.setdefault(bass_pc, bass_name)
    return out


def spell_chord_root(pc: int, quality: str, key: KeySignature | None) -> str:
    """A chord's root as a copyist spells it in `key`: the key's scale name, else, of the root's
    sharp and flat names, the one whose chord spells more of its tones as the key's scale does
    (A-sharp m7b5 in A major: A# C# E G#, three of them the scale's; as B-flat m7b5 it spelled Db,
    Fb and Ab, none), else `spell_pitch_class`'s name."""
    pc %= 12
    plain = spell_pitch_class(pc, key)
    scale = _scale_names(key or KeySignature(0.0, "C", "major"))
    if pc in scale:
        return plain
    best, best_fit = plain, -1
    for name in dict.fromkeys([plain, *(n for n in (_letter_name(x, pc) for x in _LETTERS) if n and len(n) == 2)]):
        tones = _chord_names(name + quality)
        fit = sum(scale.get(t) == n for t, n in tones.items())
        if fit > best_fit:  # the plain name first: kept on a tie
            best, best_fit = name, fit
    return best


# A chromatic chord's tone is spelled as the chord spells it even where the key's scale has the
# pitch class under another name (`spell_pitch_class`); False: the scale's name first (before
# session 52).
CHORD_SPELLS_ITS_TONES = True


def spell_pitch_class(pc: int, key: KeySignature | None, chord: str | None = None, leads_to: int | None = None) -> str:
    """Name of pitch class `pc` as a copyist spells it in `key`, over `chord` (a figure or None).

    In order: a tone of the sounding chord spelled from the chord's root where the key's scale
    names that pitch class otherwise (F# over D7 in D-flat, where the scale's G-flat had been
    written 11 times in a jazz pianist's chart, G# over E7 and C# over A7 there); the key's scale
    (mode-aware: Bb and Eb in g minor); a tone of the sounding chord spelled from the chord's
    root (F# over D7, G# over E7 in C, Ab over Fm in a minor, where the raised 7th had named the
    chord's third G#); in a minor key the raised 6th and 7th as
    sharps/naturals of their letters (F# and E in g minor); a chromatic note that
    moves on by a semitone (`leads_to`, the next melody note's pitch class) from the letter next
    to that note's, raised going up and lowered going down (C# to D, Eb to D in F: a neighbour or
    passing note is read by where it goes); else the degree of the tonic's major scale, lowered
    2nd, 3rd, 6th, 7th and raised 4th (Db, Eb, F#, Ab, Bb in C)."""
    pc %= 12
    if key is None:
        key = KeySignature(0.0, "C", "major")
    scale = _scale_names(key)
    from_chord = _chord_names(chord).get(pc) if chord else None
    if from_chord is not None and pc in scale and from_chord != scale[pc] and CHORD_SPELLS_ITS_TONES:
        return from_chord
    if pc in scale:
        return scale[pc]
    if from_chord is not None:
        return from_chord
    if key.mode in ("minor", "aeolian"):
        for degree in (5, 6):  # raised 6th and 7th
            natural = (key.tonic_pc + (_MAJOR_STEPS[(5 + degree) % 7] - _MAJOR_STEPS[5]) % 12) % 12
            if (natural + 1) % 12 == pc:
                name = _letter_name(_LETTERS[(_LETTERS.index(key.tonic[0].upper()) + degree) % 7], pc)
                if name is not None:
                    return name
    step, _ = _MAJOR_RELATIVE[(pc - key.tonic_pc) % 12]
    name = _letter_name(_LETTERS[(_LETTERS.index(key.tonic[0].upper()) + step) % 7], pc) or PITCH_CLASS_NAMES[pc]
    if len(name) > 2:
        # no double accidental for a chromatic note: the lowered 6th of D-flat is A, not B-double-flat
        # (a jazz pianist's chart had A and B-double-flat in one bar)
        name = (_FLAT_NAMES if sharps_of(key) < 0 else _SHARP_NAMES)[pc]
    if leads_to is not None and (leads_to - pc) % 12 in (1, 11):
        target = spell_pitch_class(leads_to, key, chord)[0]
        up = (leads_to - pc) % 12 == 1
        moving = _letter_name(_LETTERS[(_LETTERS.index(target) + (-1 if up else 1)) % 7], pc)
        # never at the cost of more accidentals: F to F# in D stays F, not E#
        if moving is not None and len(moving) <= len(name):
            return moving
    return name


def spell_pitch(pitch: int, key: KeySignature | None, chord: str | None = None, leads_to: int | None = None) -> str:
    """music21 name with octave of MIDI `pitch` (spelled by `spell_pitch_class`; `leads_to`: the
    next melody note's MIDI pitch): 'F#4', 'B-3', 'B#3'."""
    return named_pitch(spell_pitch_class(pitch, key, chord, None if leads_to is None else leads_to % 12), pitch)


def named_pitch(name: str, pitch: int) -> str:
    """music21 name with octave of MIDI `pitch` written as `name` ("Ab", "G#", "B#"): 'A-4',
    'B#3' (a B# sounds in the octave above its letter's). ValueError when `name` is not a name
    of `pitch`'s pitch class."""
    if not name or name[0].upper() not in _NATURAL_PC or set(name[1:]) - {"#", "b"}:
        raise ValueError(f"not a note name: {name!r}")
    alter = name[1:].count("#") - name[1:].count("b")
    if (_NATURAL_PC[name[0].upper()] + alter) % 12 != pitch % 12:
        raise ValueError(f"{name!r} does not name MIDI pitch {pitch}")
    octave = (pitch - alter) // 12 - 1
    return name[0].upper() + name[1:].replace("b", "-") + str(octave)
