"""Lead-sheet and chorale chords without sampling the composer: the harmonizer network (a chord
per half bar or, for chorales, a plan of a chord per beat) and the count table, thinned to the
chord rhythm asked; `harmonize` and `inpaint` use them unless `chords_from="model"`."""

from __future__ import annotations

import copy
import functools
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from tunesmith.baselines.harmony_baseline import chord_at
from tunesmith.cocreate.decode import KeptNotesError, _assert_kept, _copy_meta, _note_key
from tunesmith.cocreate.inputs import _EPS, _Grid, _melody_track, _where
from tunesmith.convert.common import plays_chords
from tunesmith.sampling import Take
from tunesmith.score import STYLES, ChordSymbol, KeySignature, Piece, Track

CHORD_SOURCES = ("harmonizer", "table", "model", "accompaniment")

# A jazz lead sheet's seventh chord on each degree of the key (semitones above the tonic), for a
# triad of the quality it already has: the harmonizer and the table learned from folk and pop
# tunes and write triads, which a jazz player reads as the wrong idiom ("F | Gm C7 | F").
_JAZZ_SEVENTHS = {
    "major": {(0, ""): "maj7", (2, "m"): "m7", (4, "m"): "m7", (5, ""): "maj7", (7, ""): "7", (9, "m"): "m7",
              (11, "dim"): "m7b5"},
    "minor": {(0, "m"): "m7", (2, "dim"): "m7b5", (3, ""): "maj7", (5, "m"): "m7", (7, ""): "7", (8, ""): "maj7",
              (10, ""): "7"},
}  # fmt: skip
_TRIAD_DEFAULT_SEVENTH = {"": "7", "m": "m7", "dim": "m7b5"}  # off the key: a major triad as a secondary dominant


def seventh_shares(pieces: Iterable[Piece]) -> dict[str, dict[str, float]]:
    """Per mode ("major", "minor") and degree of a diatonic triad of the key (semitones over the
    tonic, as a string: `_JAZZ_SEVENTHS`'s triads), the share of that chord's time the pieces'
    lead sheets write with an added tone (a seventh, sixth or ninth over the same triad: C6, Cmaj7,
    C7, C9 for C). Pieces with another mode, chords with a bass note or off the key's triads are
    not counted; a triad never met is left out. What `seventh_shares` in decoding.json holds
    (`scripts/fit_jazz_sevenths.py`): jazz tunes write V with its seventh 0.86 of the time and I
    with one 0.19 (shippable training split)."""
    from tunesmith.harmony import QUALITIES, parse_chord

    time: dict[tuple[str, int], list[float]] = {}
    for piece in pieces:
        key = piece.key
        mode = (key.mode or "major").lower() if key is not None else None
        if mode not in _JAZZ_SEVENTHS:
            continue
        chords = sorted(piece.chords, key=lambda c: c.onset)
        end = piece.duration()
        for a, b in zip(chords, [*chords[1:], None]):
            length = (b.onset if b is not None else end) - a.onset
            try:
                root, quality, bass = parse_chord(a.figure)
            except ValueError:
                continue
            tones = QUALITIES.get(quality, ())
            triad = next((t for t in _TRIAD_DEFAULT_SEVENTH if tuple(QUALITIES[t]) == tuple(tones[:3])), None)
            degree = (root - key.tonic_pc) % 12
            if length <= 0 or bass is not None or triad is None or (degree, triad) not in _JAZZ_SEVENTHS[mode]:
                continue
            row = time.setdefault((mode, degree), [0.0, 0.0])
            row[len(tones) > 3] += length
    out: dict[str, dict[str, float]] = {}
    for (mode, degree), (plain, added) in sorted(time.items()):
        out.setdefault(mode, {})[str(degree)] = round(added / (plain + added), 4)
    return out


def plain_triads(shares: dict[str, dict[str, float]] | None, mode: str, rng: np.random.Generator) -> frozenset[int]:
    """The degrees whose diatonic triad a take writes plain (`jazz_sevenths`' `plain`), each drawn
    once for the whole take with the chance the tunes leave it so (1 - its `seventh_shares`): a
    lead sheet writes its I as C or as Cmaj7 throughout. A degree with no share takes its seventh."""
    table = (shares or {}).get(mode) or {}
    return frozenset(int(degree) for degree, share in sorted(table.items(), key=lambda kv: int(kv[0]))
                     if rng.random() >= float(share))  # fmt: skip


def jazz_sevenths(figure: str, tonic_pc: int, mode: str, melody_pcs: set[int], plain: frozenset[int] = frozenset()) -> str:
    """`figure` as a jazz lead sheet writes it: a triad becomes its degree's seventh chord in the
    key (I maj7, ii m7, V 7, vi m7, vii m7b5; in minor i m7, ii m7b5, III maj7, iv m7, V 7, VI
    maj7, VII 7), a triad off the key its quality's (a major triad: a secondary dominant, 7).
    Where the melody over the chord holds the note a semitone above the added seventh (the root
    over a maj7: C over Cmaj7's B), a major chord takes the sixth instead and the others stay
    triads. Chords that are not plain triads, or have a bass note, stay as written, and so do the
    key's own triads on the degrees in `plain` (semitones over the tonic; `plain_triads`)."""
    from tunesmith.harmony import QUALITIES, parse_chord
    from tunesmith.tokenizer import split_figure

    root, quality, bass = parse_chord(figure)
    if bass is not None or quality not in _TRIAD_DEFAULT_SEVENTH:
        return figure
    if mode in _JAZZ_SEVENTHS and ((root - tonic_pc) % 12, quality) in _JAZZ_SEVENTHS[mode] and (root - tonic_pc) % 12 in plain:
        return figure
    if mode not in ("major", "minor"):
        want = _modal_seventh(root, quality, tonic_pc, mode)
        if want is None:
            return figure
    else:
        want = _JAZZ_SEVENTHS[mode].get(((root - tonic_pc) % 12, quality), _TRIAD_DEFAULT_SEVENTH[quality])
    seventh = (root + QUALITIES[want][3]) % 12
    if (seventh + 1) % 12 in melody_pcs:  # a minor ninth against the melody
        if want != "maj7":
            return figure
        want = "6"
    return split_figure(figure)[0] + want


def _modal_seventh(root: int, quality: str, tonic_pc: int, mode: str) -> str | None:
    """A triad's seventh chord in a church mode: the seventh its scale holds (E phrygian's G takes
    F natural: G7, not the major key's Gmaj7, whose F-sharp is off the mode); None for a triad off
    the scale or one whose seventh would make a minor-major chord."""
    from tunesmith.tokenizer import scale_pitch_classes

    scale = scale_pitch_classes(tonic_pc, mode)
    triad = {"": (0, 4, 7), "m": (0, 3, 7), "dim": (0, 3, 6)}[quality]
    if any((root + i) % 12 not in scale for i in triad):
        return None
    major_seventh, minor_seventh = (root + 11) % 12 in scale, (root + 10) % 12 in scale
    if quality == "":
        return "maj7" if major_seventh else "7" if minor_seventh else None
    if quality == "m":
        return "m7" if minor_seventh else None
    return "m7b5" if minor_seventh else None


def _in_jazz_sevenths(chords: list[ChordSymbol], melody: Track, tonic: str, mode: str, end: float,
                      plain: frozenset[int] = frozenset()) -> list[ChordSymbol]:  # fmt: skip
    """Each chord through `jazz_sevenths`, hearing the melody notes that sound under it."""
    from tunesmith.score import pitch_class_of

    out = []
    for i, c in enumerate(chords):
        stop = chords[i + 1].onset if i + 1 < len(chords) else end
        pcs = {n.pitch % 12 for n in melody.notes if n.onset < stop - 1e-6 and n.onset + n.duration > c.onset + 1e-6}
        out.append(ChordSymbol(c.onset, jazz_sevenths(c.figure, pitch_class_of(tonic), mode, pcs, plain), c.duration))
    return out


# `with_ii_before_v` on jazz harmonizations. Measured on 40 held-out jazz tunes a split
# (docs/notes/2026-12-04-session-39/jazz_harmonize.py 40 valid|test): ii-V share of changes
# 0.049 -> 0.121 (valid; the tunes 0.111), 0.060 -> 0.120 (test; 0.117), chord root right per beat
# 0.420 -> 0.417 and 0.377 -> 0.373 (within a beat count's noise)
JAZZ_II_V = True
# `with_secondary_dominants` on jazz harmonizations, as composed jazz has it (decoding.json's
# "secondary_dominants"). On 40 held-out jazz tunes a split, the share of I into IV written I7 /
# of II into V written II7 (docs/notes/2026-12-05-session-49/jazz_harmonize_secondary.py): valid
# 0.13 / 0.22 -> 0.39 / 0.31 (the tunes 0.30 / 0.30), test 0.11 / 0.19 -> 0.39 / 0.29 (0.29 /
# 0.21); chord roots right per beat 0.416 -> 0.414 and 0.375 -> 0.373, melody on chord tones
# 0.807 -> 0.806 and 0.804 -> 0.802
JAZZ_SECONDARY_DOMINANTS = True
_DOMINANTS = frozenset({"7", "9", "13", "7b9", "7#9", "7b5", "7#5", "7#11", "7b13", "7alt", "7sus4", "9sus4"})
# melody pitch classes, from a ii chord's root, that it should not sound under: its major third
# and seventh, its sixth (the dominant's third, which the V then brings), its flat fifth, and the
# half steps over its root and fifth
_II_CLASHES = frozenset({1, 4, 6, 8, 9, 11})


def with_ii_before_v(chords: list[ChordSymbol], melody: Track, tonic: str, mode: str, end: float,
                     beat: float = 1.0, min_beats: int = 4) -> list[ChordSymbol]:
    """Jazz's ii-V-I: a dominant seventh held `min_beats` beats or more that resolves (the next
    chord a fourth above it) and does not already follow its ii gives its first half to that ii (a
    minor seventh a fifth above its root; half-diminished where it resolves to a minor chord),
    where the melody there has no note the ii should not sound under (`_II_CLASHES`). The
    harmonizer, which learned folk and song chords, wrote a ii-V for 0.05 of its changes on
    held-out jazz tunes, where the tunes have 0.11. Every dominant held a bar, resolving or not,
    had made it 0.18, and the chord roots agreed with the tunes' less often."""
    from tunesmith.harmony import (
        _LETTERS,
        _letter_name,
        chord_pitch_classes,
        chord_spelling,
        make_figure,
        parse_chord,
        spell_chord_in_key,
    )
    from tunesmith.score import pitch_class_of
    from tunesmith.tokenizer import scale_pitch_classes

    key = KeySignature(0.0, tonic, mode)
    # a church mode keeps to its own chords: E phrygian's B7 has no ii in the mode (F#m7b5)
    scale = None if mode in ("major", "minor") else scale_pitch_classes(pitch_class_of(tonic), mode)
    out: list[ChordSymbol] = []
    for i, c in enumerate(chords):
        stop = chords[i + 1].onset if i + 1 < len(chords) else end
        try:
            root, quality, bass = parse_chord(c.figure)
            prev = parse_chord(out[-1].figure) if out else None
            nxt = parse_chord(chords[i + 1].figure) if i + 1 < len(chords) else None
        except ValueError:
            out.append(c)
            continue
        ii = (root + 7) % 12
        half = round((stop - c.onset) / beat / 2) * beat
        if (quality not in _DOMINANTS or bass is not None or stop - c.onset < min_beats * beat - 1e-6
                or (prev is not None and prev[0] == ii and prev[1].startswith("m") and not prev[1].startswith("maj"))):  # fmt: skip
            out.append(c)
            continue
        under = {n.pitch % 12 for n in melody.notes if n.onset < c.onset + half - 1e-6 and n.onset + n.duration > c.onset + 1e-6}
        if any((pc - ii) % 12 in _II_CLASHES for pc in under):
            out.append(c)
            continue
        if nxt is None or nxt[0] != (root + 5) % 12:  # a dominant that does not resolve keeps its bar
            out.append(c)
            continue
        minor_target = nxt[1].startswith("m") and not nxt[1].startswith("maj")
        quality = "m7b5" if minor_target else "m7"
        # the ii a fifth above the dominant as the dominant spells it (D#m7 before G#7, not Ebm7)
        letter = _LETTERS[(_LETTERS.index(chord_spelling(c.figure)[0][0]) + 4) % 7]
        named = _letter_name(letter, ii)
        figure = named + quality if named else spell_chord_in_key(make_figure(ii, quality), key)
        if scale is not None and not chord_pitch_classes(figure) <= scale:
            out.append(c)
            continue
        out.append(ChordSymbol(c.onset, figure, half if c.duration else None))
        out.append(ChordSymbol(c.onset + half, c.figure, (c.duration - half) if c.duration else None))
    return out


# Secondary dominants (`with_secondary_dominants`): per degree of a major key (semitones over the
# tonic) whose own chord moves down a fifth to the next (I -> IV, ii -> V, iii -> vi, vi -> ii,
# vii -> iii), the chance that such a chord of a composed jazz take is written as that chord's
# dominant seventh (C7, D7, E7, A7, B7 in C). The shippable training jazz tunes write it so 0.38
# (I, of 173), 0.39 (ii, 280), 0.64 (iii, 95), 0.58 (vi, 188) and 0.85 (vii, 20) of the time; left
# to itself the model had 0.01, 0.05, 0.55 and 0.33 (80 takes; none on vii), a 1920s song's
# circle of dominants (E7 A7 D7 G7) and its I7 into IV all but missing
# (docs/notes/2026-12-05-session-48/secondary_dominants.py). These are the chances that close the
# gap among the chords the melody lets turn (`_SECONDARY_CLASHES`), measured on 80 takes there.
SECONDARY_DOMINANT_CHANCES = {0: 0.35, 2: 0.5, 4: 0.4, 9: 0.7, 11: 0.85}
_MAJOR_OWN = {0: "", 2: "m", 4: "m", 9: "m", 11: "dim"}
# melody pitch classes, from the chord's root, that its dominant seventh does not sound under: the
# own chord's tones the dominant changes (the minor third, vii's diminished fifth) and, over I, the
# major seventh that I7's flat seventh would rub against
_SECONDARY_CLASHES = {0: frozenset({11}), 2: frozenset({3}), 4: frozenset({3}), 9: frozenset({3}), 11: frozenset({3, 6})}


def with_secondary_dominants(chords: list[ChordSymbol], melody: Track, tonic: str, mode: str, end: float,
                             rng: np.random.Generator, chances: dict[int, float] | None = None) -> list[ChordSymbol]:  # fmt: skip
    """A jazz take's chords with some of the key's own chords that move down a fifth written as
    that chord's dominant seventh (Am -> Dm becomes A7 -> Dm; C -> F, C7 -> F), each with its
    degree's chance (`SECONDARY_DOMINANT_CHANCES`), where the melody under it has no note the
    dominant would clash with (`_SECONDARY_CLASHES`). A major key's only; a chord with a bass
    note, or already other than the key's own triad or seventh chord, stays."""
    from tunesmith.harmony import make_figure, parse_chord, spell_chord_in_key
    from tunesmith.score import pitch_class_of

    chances = SECONDARY_DOMINANT_CHANCES if chances is None else chances
    if mode != "major" or not chances:
        return list(chords)
    tonic_pc = pitch_class_of(tonic)
    key = KeySignature(0.0, tonic, mode)
    out: list[ChordSymbol] = []
    for i, c in enumerate(chords):
        stop = chords[i + 1].onset if i + 1 < len(chords) else end
        try:
            root, quality, bass = parse_chord(c.figure)
            nxt = parse_chord(chords[i + 1].figure) if i + 1 < len(chords) else None
        except ValueError:
            out.append(c)
            continue
        degree = (root - tonic_pc) % 12
        own = _MAJOR_OWN.get(degree)
        triad = {"": "", "6": "", "maj7": "", "69": "", "m": "m", "m7": "m", "m6": "m", "m9": "m", "dim": "dim",
                 "m7b5": "dim"}.get(quality)  # fmt: skip
        if (own is None or triad != own or bass is not None or nxt is None or (nxt[0] - root) % 12 != 5
                or rng.random() >= chances.get(degree, 0.0)):  # fmt: skip
            out.append(c)
            continue
        under = {n.pitch % 12 for n in melody.notes if n.onset < stop - 1e-6 and n.onset + n.duration > c.onset + 1e-6}
        if any((pc - root) % 12 in _SECONDARY_CLASHES[degree] for pc in under):
            out.append(c)
            continue
        out.append(ChordSymbol(c.onset, spell_chord_in_key(make_figure(root, "7"), key), c.duration))
    return out


# A chord on II goes home through V, and a secondary dominant is the dominant of its target (D7 in C
# leads to G). The jazz model went from II to I 3.81 times per 100 chord changes where the shippable
# training tunes do 1.67 (ii 2.17 / 1.10, II7 1.64 / 0.57), and wrote II7, III7, VI7 or VII7
# straight into I 3.06 times against 0.63 (67-75 tunes and takes under their headers,
# docs/notes/2026-12-08-session-71/secondary_dominants.py, chord_bigrams.py): Dm7 | C opening a
# tune, D7 | C under A C, E7 | C under E G A B-flat (the G a minor third against E7's G-sharp).
# `home_through_the_dominant`, decoding.json's "home_through_the_dominant".
_STRAY_DEGREES = (2, 4, 9, 11)
# melody pitch classes, from V's root, that V7 should not sound under: the minor ninth, the minor
# third, the fourth (the tonic held against V7's third), the minor thirteenth, the major seventh
_V7_CLASHES = frozenset({1, 3, 5, 8, 11})


def home_through_the_dominant(chords: list[ChordSymbol], melody: Track, tonic: str, mode: str, end: float,
                              beat: float = 1.0, min_beats: int = 4) -> list[ChordSymbol]:  # fmt: skip
    """In a major key, a chord on II held `min_beats` beats or more whose next chord stands on the
    tonic gives its second half to V7 (Dm7 | C becomes Dm7 G7 | C; D7 | C, D7 G7 | C) where the
    melody there sounds nothing V7 should not (`_V7_CLASHES`). Else a secondary dominant on II,
    III, VI or VII (D7, E7, A7, B7 in C) going straight to the tonic is written as the key's own
    chord on its degree (Dm, Em, Am, Bdim), unless the melody under it sings one of the
    dominant's tones outside the key (F-sharp under D7): the tune then asks for that chord. A
    chord with a bass note, or a suspended one, stays."""
    from tunesmith.harmony import make_figure, parse_chord, spell_chord_in_key
    from tunesmith.score import pitch_class_of
    from tunesmith.tokenizer import scale_pitch_classes

    if mode != "major":
        return list(chords)
    tonic_pc = pitch_class_of(tonic)
    key = KeySignature(0.0, tonic, mode)
    scale = set(scale_pitch_classes(tonic_pc, mode))
    dominant = spell_chord_in_key(make_figure((tonic_pc + 7) % 12, "7"), key)

    def sounding(a: float, z: float) -> set[int]:
        return {n.pitch % 12 for n in melody.notes if n.onset < z - 1e-6 and n.onset + n.duration > a + 1e-6}

    out: list[ChordSymbol] = []
    for i, c in enumerate(chords):
        stop = chords[i + 1].onset if i + 1 < len(chords) else end
        try:
            root, quality, bass = parse_chord(c.figure)
            nxt = parse_chord(chords[i + 1].figure) if i + 1 < len(chords) else None
        except ValueError:
            out.append(c)
            continue
        degree = (root - tonic_pc) % 12
        if bass is not None or quality.endswith("sus4") or nxt is None or nxt[0] != tonic_pc:
            out.append(c)
            continue
        half = round((stop - c.onset) / beat / 2) * beat
        if (degree == 2 and stop - c.onset >= min_beats * beat - 1e-6
                and not any((pc - tonic_pc - 7) % 12 in _V7_CLASHES for pc in sounding(c.onset + half, stop))):  # fmt: skip
            out.append(ChordSymbol(c.onset, c.figure, half if c.duration else None))
            out.append(ChordSymbol(c.onset + half, dominant, (c.duration - half) if c.duration else None))
            continue
        outside = {(root + step) % 12 for step in (4, 7, 10)} - scale  # a dominant's own tones
        if quality not in _DOMINANTS or degree not in _STRAY_DEGREES or sounding(c.onset, stop) & outside:
            out.append(c)
            continue
        out.append(ChordSymbol(c.onset, spell_chord_in_key(make_figure(root, _MAJOR_OWN[degree]), key), c.duration))
    return out


# The turnaround: I held a bar goes to ii through VI7 (C A7 | Dm7 in C). The shippable training jazz
# tunes go I into VI7 0.83 times per 100 chord changes and on from VI7 into II 3.02 times, I
# straight into ii 1.40; the jazz model went I into ii 5.01 times, into VI7 0.32, VI7 into II 0.32
# (67 major-key takes under their headers, docs/notes/2026-12-08-session-71/chord_bigrams.py). The
# chance that an I held a bar into II takes VI7 in its second half, where the melody allows
# (`with_turnaround`, decoding.json's "turnaround"): at 1.0 the takes went I into VI7 1.32 times
# per 100 changes, at 0.5 0.85.
TURNAROUND_CHANCE = 0.5
_MAJOR_FAMILY = frozenset({"", "6", "maj7", "69", "add9", "maj9"})  # a major chord's qualities
# melody pitch classes, from the tonic, that VI7 should not sound under: the tonic (C against A7's
# C-sharp) and the second degree (D, a fourth over A7's root)
_TURNAROUND_CLASHES = frozenset({0, 2})


def with_turnaround(chords: list[ChordSymbol], melody: Track, tonic: str, mode: str, end: float,
                    rng: np.random.Generator, beat: float = 1.0, min_beats: int = 4,
                    chance: float | None = None) -> list[ChordSymbol]:  # fmt: skip
    """In a major key, a major chord on I held `min_beats` beats or more whose next chord stands on
    II gives its second half to VI7 (C | Dm7 becomes C A7 | Dm7), with probability `chance`
    (`TURNAROUND_CHANCE`), where the melody there sounds nothing VI7 should not
    (`_TURNAROUND_CLASHES`). A chord with a bass note stays."""
    from tunesmith.harmony import make_figure, parse_chord, spell_chord_in_key
    from tunesmith.score import pitch_class_of

    chance = TURNAROUND_CHANCE if chance is None else chance
    if mode != "major" or chance <= 0:
        return list(chords)
    tonic_pc = pitch_class_of(tonic)
    key = KeySignature(0.0, tonic, mode)
    vi7 = spell_chord_in_key(make_figure((tonic_pc + 9) % 12, "7"), key)
    out: list[ChordSymbol] = []
    for i, c in enumerate(chords):
        stop = chords[i + 1].onset if i + 1 < len(chords) else end
        try:
            root, quality, bass = parse_chord(c.figure)
            nxt = parse_chord(chords[i + 1].figure) if i + 1 < len(chords) else None
        except ValueError:
            out.append(c)
            continue
        half = round((stop - c.onset) / beat / 2) * beat
        if (root != tonic_pc or quality not in _MAJOR_FAMILY or bass is not None or nxt is None
                or (nxt[0] - tonic_pc) % 12 != 2 or stop - c.onset < min_beats * beat - 1e-6):  # fmt: skip
            out.append(c)
            continue
        under = {n.pitch % 12 for n in melody.notes if n.onset < stop - 1e-6 and n.onset + n.duration > c.onset + half + 1e-6}
        if any((pc - tonic_pc) % 12 in _TURNAROUND_CLASHES for pc in under) or rng.random() >= chance:
            out.append(c)
            continue
        out.append(ChordSymbol(c.onset, c.figure, half if c.duration else None))
        out.append(ChordSymbol(c.onset + half, vi7, (c.duration - half) if c.duration else None))
    return out


# The minor plagal close: IV held a bar goes home through iv (F Fm | C in C), as the shippable
# training jazz tunes write it 0.79 times per 100 chord changes (their iv: plain minor 51 of 66,
# 41 of them into I, most held two beats); the jazz model wrote it 0.00, and IV into I 4.46 times
# against the tunes' 2.63 (docs/notes/2026-12-08-session-71/chord_bigrams.py). The chance that an
# IV held a bar into I takes it, where the melody allows (`with_minor_plagal`, decoding.json's
# "minor_plagal"): at 1.0 the takes went IV into iv 1.11 times per 100 changes, at 0.7 about the
# tunes' rate.
MINOR_PLAGAL_CHANCE = 0.7
# melody pitch classes, from the tonic, that iv should not sound under: IV's major third (A in C,
# which iv lowers) and the tonic's third (E in C, a major seventh over iv's root)
_MINOR_PLAGAL_CLASHES = frozenset({9, 4})


def with_minor_plagal(chords: list[ChordSymbol], melody: Track, tonic: str, mode: str, end: float,
                      rng: np.random.Generator, beat: float = 1.0, min_beats: int = 4,
                      chance: float | None = None) -> list[ChordSymbol]:  # fmt: skip
    """In a major key, a major chord on IV held `min_beats` beats or more whose next chord stands
    on the tonic gives its second half to iv (F | C becomes F Fm | C in C), with probability
    `chance` (`MINOR_PLAGAL_CHANCE`), where the melody there sounds nothing iv should not
    (`_MINOR_PLAGAL_CLASHES`). A chord with a bass note stays."""
    from tunesmith.harmony import make_figure, parse_chord, spell_chord_in_key
    from tunesmith.score import pitch_class_of

    chance = MINOR_PLAGAL_CHANCE if chance is None else chance
    if mode != "major" or chance <= 0:
        return list(chords)
    tonic_pc = pitch_class_of(tonic)
    key = KeySignature(0.0, tonic, mode)
    minor_iv = spell_chord_in_key(make_figure((tonic_pc + 5) % 12, "m"), key)
    out: list[ChordSymbol] = []
    for i, c in enumerate(chords):
        stop = chords[i + 1].onset if i + 1 < len(chords) else end
        try:
            root, quality, bass = parse_chord(c.figure)
            nxt = parse_chord(chords[i + 1].figure) if i + 1 < len(chords) else None
        except ValueError:
            out.append(c)
            continue
        half = round((stop - c.onset) / beat / 2) * beat
        if ((root - tonic_pc) % 12 != 5 or quality not in _MAJOR_FAMILY or bass is not None or nxt is None
                or nxt[0] != tonic_pc or stop - c.onset < min_beats * beat - 1e-6):  # fmt: skip
            out.append(c)
            continue
        under = {n.pitch % 12 for n in melody.notes if n.onset < stop - 1e-6 and n.onset + n.duration > c.onset + half + 1e-6}
        if any((pc - tonic_pc) % 12 in _MINOR_PLAGAL_CLASHES for pc in under) or rng.random() >= chance:
            out.append(c)
            continue
        out.append(ChordSymbol(c.onset, c.figure, half if c.duration else None))
        out.append(ChordSymbol(c.onset + half, minor_iv, (c.duration - half) if c.duration else None))
    return out


@functools.lru_cache(maxsize=2)
def chord_table(path: str | None = None):
    """The lead-sheet chord table shipped with the default model (scripts/fit_chord_table.py)."""
    import json

    from tunesmith.baselines.harmony_baseline import LeadSheetBaseline
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    file = Path(path) if path else DEFAULT_MODEL_DIR / "chord_table.json"
    if not file.is_file():
        raise FileNotFoundError(f"no chord table at {file}; run scripts/fit_chord_table.py or use chords_from='model'")
    return LeadSheetBaseline.from_dict(json.loads(file.read_text()))


def _harmonized_piece(
    piece: Piece, i: int, style: str, tracks: list[Track], chords: list[ChordSymbol], keys: list, end: float,
    melody: Track | None = None,
) -> Piece:
    """Take `i` of a harmonization of `piece`: its meter, tempi and bars, the given parts. The
    piece's other tracks (a piano, a drum part: the musician's notes) come after them as they
    were, except parts the harmonization writes itself (a chorale's alto, tenor and bass)."""
    written = {t.role for t in tracks}
    others = [copy.deepcopy(t) for t in piece.tracks
              if t is not melody and t.notes and not (t.role in ("alto", "tenor", "bass") and t.role in written)]  # fmt: skip
    meta = {"harmonized_from": _where(piece),
            # the MIDI file's own programs stay its tracks' (`performance.track_program`), and a
            # transposing instrument's part is written as the input wrote it (`convert.notation`)
            **{k: piece.meta[k] for k in ("midi_program_tracks", "written_transpositions") if k in piece.meta},
            # the musician's credits stay on their melody: composer, lyricist and copyright line (a
            # teacher's harmonized song had lost "Ms. Teacher" and her "(c) 2026" line)
            **{k: copy.deepcopy(piece.meta[k]) for k in ("composer", "lyricist", "copyright") if k in piece.meta}}
    if any(plays_chords(t.notes) for t in others if not t.is_drum):
        # the musician's own accompaniment plays its chords: no chord track comps the symbols over
        # it in the MIDI and audio (a C-major piano had sounded against a D7 chord track)
        meta["comp_from"] = end
    return Piece(
        piece_id=f"{piece.piece_id}-harmonized-{i + 1}",
        work_id=piece.work_id,
        title=piece.title,
        style=style,
        source="tunesmith",
        path="",
        license=piece.license,
        tracks=[*tracks, *others],
        chords=chords,
        keys=keys,
        time_signatures=copy.deepcopy(piece.time_signatures),
        tempos=copy.deepcopy(piece.tempos),
        bar_onsets=list(piece.bars()),
        end=end,
        meta=meta,
        fermatas=list(piece.fermatas),
    )


# Whether a lead sheet's harmonize gives a strain its melody sounds again the chords of its first
# time (`alike_on_repeats`; False: each pass its own, before session 53).
REPEATED_STRAINS_ALIKE = True


def alike_on_repeats(piece: Piece, melody: Track, chords: list[ChordSymbol]) -> list[ChordSymbol]:
    """`chords` with each strain the melody sounds again at once (four bars or more, note for note
    but its endings: `convert.repeats.find_repeats`, which writes a score's repeat signs) given the
    chords of its first time, the endings keeping their own. A fiddler's reel, its strains written
    out twice, had A7 in one pass where the other had A A7, and G D where the other had G A: a
    backer reads a repeated strain once."""
    from fractions import Fraction

    from tunesmith.convert.repeats import find_repeats

    starts = [Fraction(b).limit_denominator(480) for b in piece.bars()]
    bounds = [*starts, max(Fraction(piece.duration()).limit_denominator(480), starts[-1] + Fraction(1, 480))]
    bare = copy.copy(piece)
    bare.chords = []
    spans = find_repeats(bare, [melody], bounds)
    out = sorted(chords, key=lambda c: c.onset)
    for span in spans:
        for k in range(span.bars - span.endings):
            src, dst = span.start + k, span.start + span.bars + k
            a, b = float(bounds[src]), float(bounds[src + 1])
            c, d = float(bounds[dst]), float(bounds[dst + 1])
            mine = [ChordSymbol(x.onset - a + c, x.figure, x.duration) for x in out if a - _EPS <= x.onset < b - _EPS]
            sounding = chord_at(out, a)
            if sounding is not None and not any(abs(x.onset - a) < _EPS for x in out):
                mine.insert(0, ChordSymbol(c, sounding.figure, None))  # the chord held into its first bar
            after = chord_at(out, d)  # the chord the bar after the copied one hears, kept sounding there
            rest = [x for x in out if not (c - _EPS <= x.onset < d - _EPS)]
            if (after is not None and d < piece.duration() - _EPS and not any(abs(x.onset - d) < _EPS for x in rest)
                    and (not mine or mine[-1].figure != after.figure)):  # fmt: skip
                rest.append(ChordSymbol(d, after.figure, None))
            out = sorted(rest + mine, key=lambda x: x.onset)
    return out


def _harmonize_from_chords(
    piece: Piece, melody: Track, style: str, tonic: str, mode: str, n: int, seed: int | None, chord_rhythm: str | None,
    source: str, harmonizer: Any = None, label_shift: Any = None,
) -> list[Take]:  # fmt: skip
    """Lead-sheet harmonize with chords from the harmonizer network or the count table (`source`);
    `label_shift`: the style's chord prior for the harmonizer (`Harmonizer.predict`)."""
    import random

    t0 = time.perf_counter()
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    work = _melody_work(piece, melody, style, tonic, mode)
    downbeats = {round(b, 6) for b in piece.bars()}
    if source == "accompaniment":
        from tunesmith.cocreate.inputs import chords_from_tracks

        read, info = chords_from_tracks(piece)
        if info is None:
            where = piece.path or piece.piece_id or "the piece"
            raise ValueError(f"{where}: no track besides the melody plays chords to read them from "
                             "(chords_from='accompaniment'); harmonize it with the harmonizer instead")  # fmt: skip
        meta_source = {"chords_from": "accompaniment", "accompaniment": info["tracks"]}

        def predict(i: int) -> list[ChordSymbol]:  # the musician's own chords: the same for every take
            return copy.deepcopy(read.chords)
    elif source == "harmonizer":
        net = _harmonizer_of(harmonizer)
        meta_source = {"chords_from": "harmonizer", "harmonizer": net.info.get("name", "harmonizer")}

        def predict(i: int) -> list[ChordSymbol]:
            rng = np.random.default_rng(seed * 1_000_003 + i) if i else None
            unit = "bar" if chord_rhythm == "bar" else "half"
            return net.predict(work, key=work.keys[0], rng=rng, unit=unit, merge=False, label_shift=label_shift)
    else:
        table = chord_table()
        meta_source = {"chords_from": "table", "table_units": table.n_units}

        def predict(i: int) -> list[ChordSymbol]:
            return table.predict(work, rng=random.Random(seed * 1_000_003 + i) if i else None)

    takes = []
    first_full = piece.bars()[1] if piece.pickup_beats() else 0.0
    for i in range(n):
        # as a lead sheet is written: no chord symbol over a pickup, the first one on bar 1
        kept = [c for c in _in_chord_rhythm(predict(i), chord_rhythm, downbeats, downbeats) if c.onset >= first_full - 1e-6]
        if style == "jazz":
            if JAZZ_SECONDARY_DOMINANTS and source != "accompaniment":
                kept = with_secondary_dominants(kept, melody, tonic, mode, piece.duration(),
                                                np.random.default_rng([seed, i, 13]))  # fmt: skip
            kept = _in_jazz_sevenths(kept, melody, tonic, mode, piece.duration())
            if JAZZ_II_V and source != "accompaniment":
                kept = with_ii_before_v(kept, melody, tonic, mode, piece.duration(), piece.time_signature.beat_length)
            kept = without_repeats_in_a_bar(kept, downbeats)
        if source != "accompaniment" and REPEATED_STRAINS_ALIKE:
            kept = alike_on_repeats(piece, melody, kept)
        tracks = [Track(melody.name, "melody", melody.program, False, [copy.copy(x) for x in melody.notes])]
        out = _harmonized_piece(piece, i, style, tracks, kept, [KeySignature(0.0, tonic, mode)], piece.duration(),
                                melody=melody)  # fmt: skip
        _assert_kept(melody.notes, out.tracks[0].notes, "the melody")
        meta = {"operation": "harmonize", "style": style, "layout": "lead", **meta_source, "chord_rhythm": chord_rhythm}
        out.meta = {**out.meta, "cocreate": {**meta, "seed": seed, "take": i}}
        takes.append(
            Take(out, [], np.zeros(0, np.float32), np.zeros(0, bool), seed, time.perf_counter() - t0, {"take": i, **meta})
        )
    return takes


def _chorale_plan(W: Piece, tonic: str, mode: str, harmonizer: Any = None, rng: np.random.Generator | None = None,
                  stay_cost: float = 0.0, return_cost: float = 0.0) -> tuple:  # fmt: skip
    """The chorale harmonizer's chord on every beat of the soprano (empty when none is shipped): its
    most likely progression, or one drawn with `rng`; either way each beat keeping the chord of the
    beat before costs `stay_cost`, and a change back to the chord before the last change
    `return_cost` (`Harmonizer.plan`)."""
    try:
        net = _harmonizer_of(harmonizer, kind="chorale")
    except FileNotFoundError:
        return ()
    if net.config.unit != "beat":
        raise ValueError("chorale harmonize needs a beat-unit (chorale) harmonizer")
    soprano = copy.copy(W)
    soprano.tracks = [t for t in W.tracks if t.notes][:1]
    soprano.keys = [KeySignature(0.0, tonic, mode)]
    soprano.style = "chorale"
    plan = net.plan(soprano, key=soprano.keys[0], triads_at=W.fermatas, rng=rng, stay_cost=stay_cost,
                    return_cost=return_cost)  # fmt: skip
    return _held_under_fermatas(plan, soprano)


def _held_under_fermatas(plan: list[tuple[float, tuple[int, ...]]], soprano: Piece) -> tuple:
    """`plan` with the chord struck under each fermata's soprano note held to that note's end, as
    Bach's harmony stands still there: the beat-wise plan had moved on under held fermata notes,
    and the lower voices with it."""
    notes = soprano.tracks[0].notes if soprano.tracks else []
    spans = [(x.onset, x.onset + x.duration) for f in soprano.fermatas for x in notes
             if x.onset - 1e-6 <= f < x.onset + x.duration - 1e-6]  # fmt: skip
    out = list(plan)
    for start, end in spans:
        struck = next((chord for onset, chord in reversed(out) if onset <= start + 1e-6), None)
        if struck is not None:
            out = [(onset, struck if start + 1e-6 < onset < end - 1e-6 else chord) for onset, chord in out]
    return tuple(out)


def _rechord_region(
    piece: Piece, grid: _Grid, region: tuple[int, int], inside, style: str, tonic: str, mode: str, n: int,
    seed: int | None, rhythm: str | None, harmonizer: Any = None,
) -> list[Take]:  # fmt: skip
    """Inpaint of a lead sheet's chords only (melody kept): the harmonizer's chords inside the
    range, heard against the whole melody; every note and the chords outside stay."""
    import random

    t_start = time.perf_counter()
    net = _harmonizer_of(harmonizer)
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    work = _melody_work(piece, _melody_track(piece, "inpaint"), style, tonic, mode)
    downbeats = {round(b, 6) for b in piece.bars()}
    unit = "bar" if rhythm == "bar" else "half"
    takes = []
    for i in range(n):
        rng = np.random.default_rng(seed * 1_000_003 + i) if i else None
        new = [c for c in net.predict(work, key=work.keys[0], rng=rng, unit=unit, merge=False) if inside(c.onset)]
        kept = _in_chord_rhythm(new, rhythm, downbeats, {d for d in downbeats if inside(d)})
        if style == "jazz":
            kept = without_repeats_in_a_bar(_in_jazz_sevenths(kept, work.tracks[0], tonic, mode, piece.duration()), downbeats)
        out = copy.deepcopy(piece)
        out.meta = _copy_meta(piece)
        if out.style not in STYLES:  # a file with no style of its own takes the one its chords were written in
            out.style = style
        out.chords = sorted([c for c in out.chords if not inside(c.onset)] + kept, key=lambda c: c.onset)
        for orig, new_track in zip(piece.tracks, out.tracks):
            if [_note_key(x) for x in orig.notes] != [_note_key(x) for x in new_track.notes]:
                raise KeptNotesError(f"co-create changed the kept track {orig.name!r}")
        g0, g1 = region
        meta = {"operation": "inpaint", "bars": [grid.number(g0), grid.number(g1 - 1)], "keep": ["melody"],
                "style": style, "chords_from": "harmonizer", "harmonizer": net.info.get("name", "harmonizer")}  # fmt: skip
        old = [(round(c.onset, 6), c.figure) for c in piece.chords if inside(c.onset)]
        if old and old == [(round(c.onset, 6), c.figure) for c in kept]:
            # the harmonizer's most likely chords are often the ones there already (it wrote them):
            # a musician got the same chords back without a word
            meta["chords_unchanged"] = True
        out.meta = {**out.meta, "cocreate": {**meta, "seed": seed, "take": i}}
        takes.append(Take(out, [], np.zeros(0, np.float32), np.zeros(0, bool), seed, time.perf_counter() - t_start,
                          {"take": i, **meta}))  # fmt: skip
    return takes


def harmonized_span(piece: Piece, start: float, end: float, style: str, tonic: str, mode: str, model: Any,
                    seed: int, index: int) -> list[ChordSymbol] | None:  # fmt: skip
    """The shipped harmonizer's chords for beats [start, end) of `piece`'s melody, heard against the
    whole melody, as compose gives a take its chords (`harmonizer.harmonize_takes`: where the style's
    `chords_from` in decoding.json is the harmonizer, drawn at its `chords_temperature` with its
    prior correction, seeded by the take): a chord at every bar line, and one mid-bar where it
    changes. None where the style's chords are the composer's own (jazz: its ii-V idiom).

    The composer's own chords under the new bars of a continuation had put long melody notes on a
    beat outside their chord twice as often as the tunes (folk, 40 valid tunes: 0.240 of such notes
    against 0.143; composed takes, whose chords are the harmonizer's, 0.122)."""
    from tunesmith.harmonizer import reharmonize
    from tunesmith.sampling import style_decoding

    tuned = style_decoding(model, style)
    if tuned.get("chords_from") != "harmonizer":
        return None
    temperature = tuned.get("chords_temperature")
    rng = np.random.default_rng([int(seed), int(index), 7]) if temperature else None
    work = _melody_work(piece, _melody_track(piece, "continue"), style, tonic, mode)
    reharmonize(work, _harmonizer_of(), every_bar=True, rng=rng, temperature=temperature,
                prior_correction=float(tuned.get("chords_prior_correction", 0.0)))  # fmt: skip
    return [c for c in work.chords if start - 1e-6 <= c.onset < end - 1e-6]


def _harmonizer_of(harmonizer: Any = None, kind: str = "lead"):
    """`harmonizer` itself (a `tunesmith.harmonizer.Harmonizer`), the one at that path, or the
    shipped one of `kind`."""
    from tunesmith.harmonizer import Harmonizer, load_harmonizer

    if isinstance(harmonizer, Harmonizer):
        return harmonizer
    return load_harmonizer(str(harmonizer) if harmonizer else None, kind=kind)


def _melody_work(piece: Piece, melody: Track, style: str, tonic: str, mode: str) -> Piece:
    """`piece` reduced to its melody, in the key and style asked: what the harmonizer reads."""
    work = copy.deepcopy(piece)
    work.tracks = [copy.deepcopy(melody)]
    work.tracks[0].role = "melody"
    work.keys = [KeySignature(0.0, tonic, mode)]
    work.style = style
    return work


def _in_chord_rhythm(chords: list[ChordSymbol], rhythm: str | None, downbeats: set[float],
                     bar_lines: set[float]) -> list[ChordSymbol]:  # fmt: skip
    """One chord per unit thinned to `rhythm`: "bar" keeps the downbeats only, "half" every unit,
    "auto" / None drop a half-bar chord equal to the one before it (no change); "auto" and "bar"
    then name the sounding chord at every bar line of `bar_lines` that has none."""
    kept: list[ChordSymbol] = []
    for c in chords:
        on_downbeat = round(c.onset, 6) in downbeats
        if rhythm == "bar" and not on_downbeat:
            continue
        if rhythm != "half" and kept and kept[-1].figure == c.figure and not on_downbeat:
            continue
        kept.append(ChordSymbol(c.onset, c.figure, None))
    if rhythm in ("auto", "bar"):
        kept = _chord_on_every_downbeat(kept, bar_lines)
    return kept


def without_repeats_in_a_bar(chords: list[ChordSymbol], downbeats: set[float]) -> list[ChordSymbol]:
    """`chords` less each chord that names the chord already sounding inside a bar (not on a bar
    line of `downbeats`, rounded to 6 places): writing triads as sevenths had made "C C7" read
    "C7 C7" (a jazz pianist counted it in 10 of 72 takes). The chord kept lasts through the one
    dropped: it had kept its own length, and the lead sheet read N.C. for the rest of the bar (4
    of 30 composed jazz takes)."""
    out: list[ChordSymbol] = []
    for c in chords:
        if out and out[-1].figure == c.figure and round(c.onset, 6) not in downbeats:
            last = out[-1]
            if last.duration is not None and c.duration is not None:
                out[-1] = ChordSymbol(last.onset, last.figure, max(last.duration, c.onset + c.duration - last.onset))
            continue
        out.append(c)
    return out


def _chord_on_every_downbeat(chords: list[ChordSymbol], downbeats: set[float]) -> list[ChordSymbol]:
    """A lead sheet names the chord at every bar line: repeat the sounding chord where none starts."""
    out: list[ChordSymbol] = []
    starts = {round(c.onset, 6) for c in chords}
    events = sorted([(c.onset, c) for c in chords] + [(b, None) for b in downbeats if b not in starts],
                    key=lambda e: e[0])  # fmt: skip
    for onset, c in events:
        if c is not None:
            out.append(c)
        elif out:
            out.append(ChordSymbol(onset, out[-1].figure, None))
    return out


def fit_new_chords(out: Piece, start: float, close_at: float, end: float, style: str, tonic: str, mode: str,
                    model: Any, seed: int, index: int, kept_after: list[ChordSymbol] | None = None) -> str:  # fmt: skip
    """Where the composer wrote a lead sheet's new bars (a continuation's, an inpainted span's) [start, end) with its own chords: those in
    [start, close_at) become the harmonizer's, as a composed take's are (`harmonized_span`; the
    composer's own stay from `close_at`, the closing bar it wrote its close over, named there),
    or, for a style whose chords are the composer's (jazz), a chord the same as the one before
    it is not named again inside a bar ("Am ... Am"). `kept_after`: the musician's chords, whose
    chord sounding at `end` is named there again where the new chords would sound on into the
    kept music. Returns where the new chords came from ("harmonizer" or "model")."""
    span = harmonized_span(out, start, close_at, style, tonic, mode, model, seed, index)
    before = [c for c in out.chords if c.onset < start - _EPS]
    after = [c for c in out.chords if c.onset >= end - _EPS]
    new = [c for c in out.chords if start - _EPS <= c.onset < end - _EPS]
    if span is not None and close_at > start + _EPS:
        closing = [c for c in new if c.onset >= close_at - _EPS]
        if close_at < end - _EPS and not any(abs(c.onset - close_at) < _EPS for c in closing):
            held = chord_at([*before, *new], close_at)  # (none starts there: the one sounding into it)
            closing = [ChordSymbol(close_at, held.figure, None)] * (held is not None) + closing
        new = [*span, *closing]
    bar_lines = {round(b, 6) for b in out.bars()}
    fitted: list[ChordSymbol] = []
    for c in new:
        same = (fitted or before) and (fitted or before)[-1].figure == c.figure
        if same and round(c.onset, 6) not in bar_lines and (fitted or before)[-1].duration is None:
            continue
        fitted.append(c)
    if kept_after is not None and end < out.duration() - _EPS and not any(abs(c.onset - end) < _EPS for c in after):
        sounding = chord_at(sorted(kept_after, key=lambda c: c.onset), end)
        if sounding is not None and (sounding.duration is None or sounding.onset + sounding.duration > end + _EPS):
            left = None if sounding.duration is None else sounding.onset + sounding.duration - end
            after = [ChordSymbol(end, sounding.figure, left), *after]
    out.chords = [*before, *fitted, *after]
    return "model" if span is None else "harmonizer"
