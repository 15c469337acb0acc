"""`Piece` <-> music21 streams: `from_music21` / `to_music21` (MusicXML, ABC, kern through music21),
with pitch spelling, clefs, beat-aware rests and chord symbols."""

from __future__ import annotations

import contextlib
import math
import re
from fractions import Fraction
from typing import Any

from ..harmony import (
    first_figure,
    key_from_sharps,
    major_or_minor,
    normalize_figure,
    sharps_of,
)
from ..score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track
from .common import (
    _EPS,
    CHORD_WORDS_MARK,
    _finish,
    _named_for_role,
    _piece_kwargs,
    _strip_role_suffix,
    chord_durations,
    guess_role,
    no_chord_stops,
    tuplet_fraction,
)
from .repeats import find_repeats

# 4/4 folk tunes are beamed in half bars, four quavers a beam, as tune books print reels and
# hornpipes (Nottingham, O'Neill's); music21's 4/4 beams them in pairs, which a folk-song
# scholar read as a sign of a machine's notation (session 54). Other styles keep the beat's pairs.
HALF_BAR_BEAMS_STYLES = frozenset({"folk"})


def _time_signature(meter, numerator: int, denominator: int, style: str):
    """music21 TimeSignature of `numerator/denominator`, its beams by the half bar in 4/4 for the
    `HALF_BAR_BEAMS_STYLES` (a beam per four quavers; semiquavers still beamed within it)."""
    ts = meter.TimeSignature(f"{numerator}/{denominator}")
    if (numerator, denominator) == (4, 4) and style in HALF_BAR_BEAMS_STYLES:
        ts.beamSequence.partition(["2/4", "2/4"])
    return ts


def _written_name(p: Any) -> str | None:
    """A music21 pitch's name as written ("A-" -> "Ab", "G#"), None for a microtone or none."""
    acc = p.accidental
    if acc is not None and acc.name not in ("sharp", "flat", "natural", "double-sharp", "double-flat"):
        return None
    return p.step + {"sharp": "#", "flat": "b", "double-sharp": "##", "double-flat": "bb"}.get(acc.name if acc else "", "")


# Whether a chromatic tone of a heard diminished seventh that moves on by a semitone is spelled by
# that move (G# to A), not by the chord's root (False: as the chord's, before session 53).
DIMINISHED_TONE_BY_ITS_STEP = True


def _speller(piece: Piece):
    """(MIDI pitch, onset) -> music21 name spelled as a copyist would (`harmony.spell_pitch`): by
    the key sounding at the onset (its scale, raised 6th/7th in minor: F# in g minor, never Gb),
    then by the chord symbol sounding there (F# over D7), then by the tonic's major scale. music21
    spells bare MIDI numbers with sharps and an explicit natural, which notation programs print
    as a natural sign on every note."""
    from ..harmony import spell_pitch

    keys = sorted(piece.keys, key=lambda k: k.onset)
    chords = chord_durations([ChordSymbol(c.onset, c.figure, c.duration) for c in piece.chords], piece.duration())
    heard = _sounding_chords(piece) if len([t for t in piece.tracks if t.notes]) > 1 else None
    from ..tokenizer import scale_pitch_classes

    def in_scale(key: KeySignature | None) -> frozenset[int]:
        """The pitch classes `spell_pitch_class` spells from the key alone (no chord needed)."""
        return scale_pitch_classes(key.tonic_pc, key.mode) if key else scale_pitch_classes(0, "major")

    def spelled(pitch: int, onset: float = 0.0, leads_to: int | None = None) -> str:
        key = next((k for k in reversed(keys) if k.onset <= onset + _EPS), keys[0] if keys else None)
        chord = next(
            (c.figure for c in reversed(chords) if c.onset <= onset + _EPS < c.onset + (c.duration or 0.0) + 2 * _EPS),
            None,
        )
        if chord is None and heard is not None and pitch % 12 not in in_scale(key):
            chord = heard(onset, key)  # no symbol: the chord the parts sound spells a chromatic tone
            if (chord is not None and chord.endswith("dim7") and leads_to is not None
                    and (leads_to - pitch) % 12 in (1, 11) and DIMINISHED_TONE_BY_ITS_STEP):  # fmt: skip
                # but a diminished seventh is any of its tones' chord: a tone of one that steps on
                # by a semitone is named by where it goes (an alto's G#4-A4 in G major over B D, read
                # as B-D-F-Ab, had been written A-flat)
                chord = None
        try:
            return spell_pitch(pitch, key, chord, leads_to)
        except (ValueError, KeyError, IndexError):
            return f"{_SHARP_SPELLING[pitch % 12]}{pitch // 12 - 1}"

    return spelled


# what music21 writes for a score's missing title and composer (`music21.defaults.title`, `.author`)
MUSIC21_PLACEHOLDERS = {"title": "Music21 Fragment", "composer": "Music21"}
_SHARP_SPELLING = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
# the chords a sonority is read as, simplest first, for spelling a chromatic tone in it
# (a diminished seventh before the diminished triad: three tones of one, F-Ab-B in g minor, are the
# B-D-F-Ab chord without its D, whose B Bach writes as B, not as F-diminished's C-flat)
_HEARD_QUALITIES = ("", "m", "7", "dim7", "dim", "m7", "m7b5", "maj7", "aug", "add9", "madd9", "9", "m9")


def _sounding_chords(piece: Piece):
    """(onset, key) -> the figure of the chord the parts sound at `onset` (all of them a triad or
    seventh chord over one root, the root and its third among them), or None. A chorale has no
    chord symbols: a chromatic tone is spelled from the chord it belongs to (D-sharp in B major
    under D major, where the tonic's major scale had written E-flat)."""
    from ..harmony import QUALITIES, spell_chord_root

    buckets: dict[int, list[Note]] = {}  # beat -> the notes sounding in it, built on the first chromatic tone

    def sounding(beat: int) -> list[Note]:
        if not buckets:
            for track in piece.tracks:
                for n in track.notes:
                    for b in range(int(math.floor(n.onset)), int(math.floor(n.onset + n.duration - _EPS)) + 1):
                        buckets.setdefault(b, []).append(n)
        return buckets.get(beat, [])

    cache: dict[tuple[float, str], str | None] = {}  # the four parts of one onset hear one chord

    def heard(onset: float, key: KeySignature | None) -> str | None:
        where = (round(onset, 6), f"{key.tonic} {key.mode}" if key else "")
        if where not in cache:
            cache[where] = _heard(onset, key)
        return cache[where]

    def _heard(onset: float, key: KeySignature | None) -> str | None:
        pcs = {n.pitch % 12 for n in sounding(int(math.floor(onset + _EPS)))
               if n.onset <= onset + _EPS < n.onset + n.duration}  # fmt: skip
        if len(pcs) < 3:
            return None
        for quality in _HEARD_QUALITIES:
            for root in _roots_to_try(pcs, quality, key):
                tones = {(root + i) % 12 for i in QUALITIES[quality]}
                third = (root + QUALITIES[quality][1]) % 12
                # (any three tones of a diminished seventh are it: its four are a minor third apart)
                if pcs <= tones and (third in pcs or quality == "dim7"):
                    try:
                        return spell_chord_root(root, quality, key) + quality
                    except (ValueError, KeyError, IndexError):
                        return None
        return None

    return heard


# a diminished seventh is any of its four tones' chord: named as the leading-tone chord of the
# degree it most often leads to (V, I, IV, ii, vi: semitones above the tonic)
_DIM7_TARGETS = (7, 0, 5, 2, 9, 8)


def _roots_to_try(pcs: set[int], quality: str, key: KeySignature | None) -> list[int]:
    """The pitch classes to try as the root of a `quality` chord: in order, except for a
    diminished seventh in a key, whose root is the tone a half step below the degree it leads to
    (`_DIM7_TARGETS`). Its lowest pitch class had named it, and g minor's B-D-F-Ab (leading to
    C) was written as C-flat's chord, the alto's B-natural a C-flat."""
    ordered = sorted(pcs)
    if quality != "dim7" or key is None:
        return ordered
    # three tones of a diminished seventh: its missing tone may be the root (D-F-Ab leads to C from B)
    ordered = sorted({(pc + 3 * k) % 12 for pc in pcs for k in range(4)})
    tonic = key.tonic_pc
    rank = {t: i for i, t in enumerate(_DIM7_TARGETS)}
    return sorted(ordered, key=lambda r: rank.get((r + 1 - tonic) % 12, len(rank)))


def _as_written(spelling: str | None, pitch: int) -> str | None:
    """The source's own name for the note, with its octave ("Ab" at MIDI 68: "A-4"); None when
    there is none or it does not name the pitch (a note transposed since it was read)."""
    if not spelling:
        return None
    from ..harmony import named_pitch

    try:
        return named_pitch(spelling, pitch)
    except ValueError:
        return None
def _m21_pitch(name: str, midi: int) -> Any:
    """A music21 Pitch of a spelled name with octave ("F#4", "B-3") sounding MIDI `midi`.
    music21 reads the octave -1 of the lowest MIDI notes ("C#-1", MIDI 1) as an accidental "#-",
    so that octave is set apart; a name that still does not sound `midi` is spelled by number."""
    from music21 import pitch as m21pitch

    with contextlib.suppress(Exception):
        out = m21pitch.Pitch(name)
        if out.midi == midi:
            return out
    if name.endswith("-1"):
        with contextlib.suppress(Exception):
            out = m21pitch.Pitch(name[:-2])
            out.octave = -1
            if out.midi == midi:
                return out
    return m21pitch.Pitch(midi=midi)


def _abbreviation(name: str) -> str:
    """'Soprano' -> 'S.', 'Melody' -> 'Mel.': what a score prints before later systems."""
    base = name.split(" [")[0].strip()
    known = {"soprano": "S.", "alto": "A.", "tenor": "T.", "bass": "B.", "melody": "Mel."}
    return known.get(base.lower(), (base[:4] + ".") if len(base) > 4 else base)


def _clef_for(track: Track, clef):
    """The clef a copyist would pick: by SATB role, else by the track's median pitch
    (tenor voices in the octave-transposing treble clef, as modern chorale editions print them)."""
    role = (track.role or "").lower()
    if role in ("soprano", "alto"):
        return clef.TrebleClef()
    if role == "tenor":
        return clef.Treble8vbClef()
    if role == "bass":
        return clef.BassClef()
    pitches = sorted(n.pitch for n in track.notes)
    # the median below A3: the staff would drown in ledger lines (of an even count, the middle two's
    # mean: a piano's C4 and C2 had gone to the treble clef)
    if pitches and (pitches[(len(pitches) - 1) // 2] + pitches[len(pitches) // 2]) / 2 < 57:
        return clef.BassClef()
    return clef.TrebleClef()



# ------------------------------------------------------------------------------ music21
# music21 chord kinds (MusicXML <kind>) <-> canonical qualities
M21_KIND_TO_QUALITY = {
    "major": "",
    "minor": "m",
    "augmented": "aug",
    "diminished": "dim",
    "dominant-seventh": "7",
    "dominant": "7",
    "major-seventh": "maj7",
    "minor-seventh": "m7",
    "diminished-seventh": "dim7",
    "augmented-seventh": "7#5",
    "half-diminished-seventh": "m7b5",
    "half-diminished": "m7b5",
    "major-minor": "mMaj7",
    "minor-major-seventh": "mMaj7",
    "major-sixth": "6",
    "minor-sixth": "m6",
    "dominant-ninth": "9",
    "major-ninth": "maj9",
    "minor-ninth": "m9",
    "dominant-11th": "11",
    "major-11th": "11",
    "minor-11th": "m11",
    "dominant-13th": "13",
    "major-13th": "maj13",
    "minor-13th": "m13",
    "suspended-second": "sus2",
    "suspended-fourth": "sus4",
    "seventh-flat-five": "7b5",
    "power": "5",
    "augmented-major-seventh": "maj7#5",
    "augmented-ninth": "7#5",
    "6/9": "69",
    "Neapolitan": "",
    "Italian": "7",
    "French": "7b5",
    "German": "7",
    "Tristan": "m7b5",
}
QUALITY_TO_M21_KIND = {
    "": "major",
    "m": "minor",
    "aug": "augmented",
    "dim": "diminished",
    "7": "dominant-seventh",
    "maj7": "major-seventh",
    "m7": "minor-seventh",
    "dim7": "diminished-seventh",
    "7#5": "augmented-seventh",
    "m7b5": "half-diminished-seventh",
    "mMaj7": "minor-major-seventh",
    "6": "major-sixth",
    "m6": "minor-sixth",
    "9": "dominant-ninth",
    "maj9": "major-ninth",
    "m9": "minor-ninth",
    "11": "dominant-11th",
    "m11": "minor-11th",
    "13": "dominant-13th",
    "maj13": "major-13th",
    "m13": "minor-13th",
    "sus2": "suspended-second",
    "sus4": "suspended-fourth",
    "7b5": "seventh-flat-five",
    "5": "power",
    "maj7#5": "augmented-major-seventh",
    "69": "major-sixth",
}
# Qualities MusicXML has no <kind> for: a kind and the <degree> elements (type, degree, alter)
# that make its tones, so that a reader that ignores the kind's text (music21, a DAW) hears the
# chord written (C7b9 had been written as a plain dominant seventh with the text "7b9"). A 13th
# chord leaves out its 11th, as players voice it and `harmony.QUALITIES` spells it (MusicXML's
# 13th kinds hold it). "7alt" has no standard spelling: it is written as the tones harmony gives it
# (a sharp fifth and a flat ninth), which MuseScore shows as such; its text, which verovio shows,
# stays "7alt" (MuseScore had shown a plain C7).
QUALITY_TO_M21_DEGREES: dict[str, tuple[str, tuple[tuple[str, int, int], ...]]] = {
    "69": ("major-sixth", (("add", 9, 0),)),
    "m69": ("minor-sixth", (("add", 9, 0),)),
    "13": ("dominant-13th", (("subtract", 11, 0),)),
    "maj13": ("major-13th", (("subtract", 11, 0),)),
    "m13": ("minor-13th", (("subtract", 11, 0),)),
    "7sus4": ("suspended-fourth", (("add", 7, -1),)),
    "7sus2": ("suspended-second", (("add", 7, -1),)),
    "add9": ("major", (("add", 9, 0),)),
    "madd9": ("minor", (("add", 9, 0),)),
    "7b9": ("dominant-seventh", (("add", 9, -1),)),
    "7#9": ("dominant-seventh", (("add", 9, 1),)),
    "7#11": ("dominant-seventh", (("add", 11, 1),)),
    "maj7#11": ("major-seventh", (("add", 11, 1),)),
    "7b13": ("dominant-seventh", (("add", 13, -1),)),
    "9sus4": ("suspended-fourth", (("add", 7, -1), ("add", 9, 0))),
    "7b9#5": ("augmented-seventh", (("add", 9, -1),)),
    "7alt": ("augmented-seventh", (("add", 9, -1),)),
    "7#9#5": ("augmented-seventh", (("add", 9, 1),)),
    "7b9b5": ("seventh-flat-five", (("add", 9, -1),)),
    "9#11": ("dominant-ninth", (("add", 11, 1),)),
    "13#11": ("dominant-13th", (("alter", 11, 1),)),
    "13b9": ("dominant-13th", (("alter", 9, -1), ("subtract", 11, 0))),
    "7b9b13": ("dominant-seventh", (("add", 9, -1), ("add", 13, -1))),
    "m7#5": ("minor-seventh", (("alter", 5, 1),)),
    "dim(maj7)": ("diminished", (("add", 7, 0),)),
}


def _m21_name(name: str) -> str:
    """'Bb' -> 'B-' (music21 spelling)."""
    return name[0] + name[1:].replace("b", "-")


def _from_m21_name(name: str) -> str:
    return name[0] + name[1:].replace("-", "b")


def figure_of_m21(cs: Any) -> str | None:
    """Canonical figure of a music21 ChordSymbol (None for NoChord or an unreadable one)."""
    from music21 import harmony as m21harmony

    if isinstance(cs, m21harmony.NoChord):
        return None
    try:
        root = cs.root()
    except Exception:  # noqa: BLE001 - music21 raises many kinds here
        root = None
    if root is None:
        try:
            return normalize_figure(cs.figure)
        except ValueError:
            return None
    root_name = _from_m21_name(root.name)
    bass = cs.bass()
    bass_txt = ""
    if bass is not None and bass.pitchClass != root.pitchClass:
        bass_txt = "/" + _from_m21_name(bass.name)
    kind_str = (cs.chordKindStr or "").strip()
    candidates = []
    if kind_str:
        candidates.append(root_name + kind_str + bass_txt)
    quality = M21_KIND_TO_QUALITY.get(cs.chordKind or "")
    if quality is not None:
        candidates.append(root_name + quality + bass_txt)
    candidates.append(cs.figure or "")
    return first_figure(candidates)


# `Note.ornament` -> the music21 expression written for it (MusicXML <ornaments>). MusicXML has no
# roll: it is written as a turn, the sign Irish tune books draw for one, and so reads back as "turn"
_M21_ORNAMENTS = {"turn": "Turn", "roll": "Turn", "trill": "Trill", "mordent": "Mordent",
                  "inverted-mordent": "InvertedMordent"}  # fmt: skip


def _ornament_of(el: Any) -> str | None:
    """`Note.ornament` of a music21 note or chord: the first turn, trill or mordent over it, else None
    (an inverted turn, a shake, a tremolo are none of them)."""
    from music21 import expressions

    for x in el.expressions:
        if type(x) is expressions.Turn:
            return "turn"
        if isinstance(x, expressions.Trill) and not isinstance(x, expressions.Shake):
            return "trill"
        if isinstance(x, expressions.InvertedMordent):
            return "inverted-mordent"
        if isinstance(x, expressions.Mordent):
            return "mordent"
    return None


def from_music21(stream: Any, **kw: Any) -> Piece:
    """Piece from a music21 Score / Part / Stream. Keyword arguments set Piece fields
    (piece_id, work_id, title, style, source, path, license, meta). Ties are merged into
    held notes, grace notes dropped, repeats NOT expanded (the score as written); fermatas are
    the first part's that has any."""
    from music21 import expressions, meter, note, tempo
    from music21 import harmony as m21harmony
    from music21 import key as m21key
    from music21 import stream as m21stream

    fields = _piece_kwargs(kw)
    piece = Piece(**{k: v for k, v in fields.items()})
    md = getattr(stream, "metadata", None)
    if md is not None:
        # music21 writes "Music21 Fragment" and "Music21" into a score that has no title or composer
        # (its `defaults`): a file written by it names neither, and a take of it had carried both
        if not piece.title:
            title = (md.title or md.movementName or "") if hasattr(md, "title") else ""
            piece.title = "" if title == MUSIC21_PLACEHOLDERS["title"] else title
        if getattr(md, "composer", None) and md.composer != MUSIC21_PLACEHOLDERS["composer"]:
            piece.meta.setdefault("composer", md.composer)
        if getattr(md, "copyright", None) and str(md.copyright).strip():
            # the musician's copyright line (<rights>), written back on what tunesmith makes of their music
            piece.meta.setdefault("copyright", str(md.copyright).strip())
    parts = list(stream.parts) if isinstance(stream, m21stream.Score) else [stream]
    parts = [p for p in parts if p.recurse().notesAndRests.first() is not None or p.recurse().getElementsByClass(m21harmony.ChordSymbol).first() is not None]
    if not parts:
        parts = [stream]
    n_parts = len(parts)
    chord_events: list[ChordSymbol] = []
    no_chord_stops: list[float] = []
    end = 0.0
    for index, part in enumerate(parts):
        flat = part.flatten()  # ties merged below (stripTies deep-copies: 3x slower)
        name = getattr(part, "partName", None) or getattr(part, "id", "") or ""
        name = name.strip() if isinstance(name, str) else ""
        if re.fullmatch(r"P\d+|\d+|[0-9a-f-]{8,}|.*\d{6,}.*", name):
            name = ""
        program = 0
        inst = part.getInstrument(returnDefault=False) if hasattr(part, "getInstrument") else None
        if inst is not None:
            if inst.midiProgram is not None:
                program = int(inst.midiProgram)
            if not name:
                name = (inst.partName or inst.instrumentName or "").strip()
        notes: list[Note] = []
        pending: dict[int, Note] = {}  # pitch -> note whose tie has not stopped yet
        for el in flat.notes:
            if isinstance(el, m21harmony.Harmony):
                continue
            ql = float(el.duration.quarterLength)
            if ql <= 0 or el.duration.isGrace:
                continue
            onset = float(el.offset)
            velocity = 80
            if el.volume is not None and el.volume.velocity is not None:
                velocity = int(el.volume.velocity)
            if isinstance(el, note.Note):
                members = [(el.pitch, el.tie)]
            else:
                members = [(n.pitch, n.tie or el.tie) for n in getattr(el, "notes", [])]
            ornament = _ornament_of(el) if el.expressions else None
            for k, (p, tie_obj) in enumerate(members):
                midi = int(round(p.ps))
                if not 0 <= midi <= 127:  # left out, and counted: co-create refuses such a file (`meta`)
                    piece.meta["notes_out_of_range"] = piece.meta.get("notes_out_of_range", 0) + 1
                    continue
                kind = tie_obj.type if tie_obj is not None else None
                prev = pending.get(midi)
                if kind in ("stop", "continue") and prev is not None and abs(prev.onset + prev.duration - onset) < 1e-6:
                    prev.duration += ql
                    n_obj = prev
                else:
                    n_obj = Note(midi, onset, ql, velocity, spelling=_written_name(p), ornament=ornament if k == 0 else None)
                    notes.append(n_obj)
                if kind in ("start", "continue"):
                    pending[midi] = n_obj
                else:
                    pending.pop(midi, None)
        end = max(end, float(flat.highestTime))
        if not piece.fermatas:  # the first part's marks (the melody's): a lower voice moving under a held one marks more
            piece.fermatas = sorted({float(e.offset) for e in flat.notes
                                     if any(isinstance(x, expressions.Fermata) for x in e.expressions)})  # fmt: skip
        role = guess_role(name, index, n_parts)
        if notes:
            piece.tracks.append(Track(name=_strip_role_suffix(name) or role, role=role, program=program, notes=notes))
        harmonies = list(flat.getElementsByClass(m21harmony.Harmony))
        # chord symbols pre-read from MusicXML <harmony> by tunesmith.inputs.musicxml (fast path)
        marked = [e for e in flat.getElementsByClass(expressions.TextExpression) if (e.content or "").startswith(CHORD_WORDS_MARK)]
        if harmonies or marked:
            # MusicXML <harmony><offset> is often a small visual nudge (chord-melody data: 1/20
            # beat): snap a chord to the note/rest onset it sits on when it is off the grid.
            event_onsets = sorted({float(e.offset) for e in flat.notesAndRests if not isinstance(e, m21harmony.Harmony)})
        for cs in harmonies:
            onset = _snap(float(cs.offset), event_onsets)
            if isinstance(cs, m21harmony.NoChord):
                no_chord_stops.append(onset)
                continue
            if not isinstance(cs, m21harmony.ChordSymbol):
                continue
            figure = figure_of_m21(cs)
            if figure is not None:
                chord_events.append(ChordSymbol(onset, figure))
        for te in marked:
            onset = _snap(float(te.offset), event_onsets)
            figure = te.content[len(CHORD_WORDS_MARK):]
            if figure == "N.C.":
                no_chord_stops.append(onset)
            elif figure:
                chord_events.append(ChordSymbol(onset, figure))
        if index == 0:
            for ks in flat.getElementsByClass((m21key.Key, m21key.KeySignature)):
                if isinstance(ks, m21key.Key):
                    mode = ks.mode if ks.mode in ("major", "minor", "dorian", "phrygian", "lydian", "mixolydian", "aeolian", "locrian") else "major"
                    k = key_from_sharps(ks.sharps, mode, float(ks.offset))
                else:
                    k = key_from_sharps(ks.sharps, "major", float(ks.offset))
                    k.mode = "?"  # decided below from the notes: major or relative minor
                piece.keys.append(k)
            for ts in flat.getElementsByClass(meter.TimeSignature):
                piece.time_signatures.append(TimeSignature(float(ts.offset), int(ts.numerator), int(ts.denominator)))
            for mm in flat.getElementsByClass(tempo.MetronomeMark):
                qpm = mm.getQuarterBPM()
                if qpm:
                    piece.tempos.append(Tempo(float(mm.offset), float(qpm)))
            measures = list(part.getElementsByClass(m21stream.Measure))
            if measures:
                piece.bar_onsets = sorted({float(m.offset) for m in measures})
                first = measures[0]
                if first.paddingLeft and first.paddingLeft > 0:
                    piece.meta["pickup"] = float(first.duration.quarterLength)
    # chord symbols: several parts may repeat the same symbols; keep one per onset
    seen: dict[float, ChordSymbol] = {}
    for c in chord_events:
        seen.setdefault(round(c.onset, 6), c)
    piece.chords = chord_durations(list(seen.values()), end, no_chord_stops)
    piece.end = end
    for i, k in enumerate(piece.keys):
        if k.mode == "?":
            piece.keys[i] = major_or_minor(piece, sharps_of(KeySignature(0.0, k.tonic, "major")), k.onset)
            piece.meta["key_mode_estimated"] = True
    return _finish(piece)


def _snap(t: float, onsets: list[float], tol: float = 1.0) -> float:
    """`t` unchanged on a 1/24-beat grid; else the onset it was written before (the latest
    note/rest onset <= t, within `tol` beats), else the nearest onset or 16th within 0.1 beat."""
    if abs(t * 24 - round(t * 24)) < 1e-6 or not onsets:
        return t
    import bisect

    i = bisect.bisect_right(onsets, t)
    if i > 0 and t - onsets[i - 1] <= tol:
        return onsets[i - 1]
    if i < len(onsets) and onsets[i] - t <= 0.1:
        return onsets[i]
    quarter = round(t * 4) / 4  # no note nearby: the nearest 16th when close to one
    return quarter if abs(quarter - t) <= 0.1 else t


def _frac(x: float, grid: int = 24) -> Fraction:
    """x as the fraction of a beat notation writes:
    - exact when it is one with a denominator dividing 480 (halves, triplets, quintuplets);
    - else the nearest fraction with a denominator up to 16 within a thousandth of a beat: a
      tuplet the source rounded. A MusicXML file at 1024 divisions a beat writes a quintuplet
      sixteenth as 205/1024 and a 13-note run's notes as 158/1024 or 157/1024; rounded to the
      1/24 grid, those came back as garbled sixteenths and thirty-seconds;
    - else x rounded to 1/`grid` beat. A MIDI file with an odd division (2065 ticks a beat) can put
      a note at 1/35 of a beat, which no written value expresses (music21 raises on export).
    Exact values are tried first, so that a 1/96 value is never taken for a nearby 13-tuplet."""
    f = Fraction(x).limit_denominator(96)
    if abs(float(f) - x) < 1e-6 and 480 % f.denominator == 0:
        return f
    f = tuplet_fraction(x, 1e-3)
    if f is not None:
        return f
    return Fraction(round(x * grid), grid)


# a note this short (a 64th of a quarter, or less) that runs into a note at least GRACE_RATIO times
# longer is a grace note: a DAW file's ornament, 30 ticks before the beat at 480 a beat
GRACE_MAX = Fraction(1, 16)
GRACE_RATIO = 4


def _graces_apart(events: list) -> tuple[list, dict]:
    """`events` (onset, length, pitches, velocity) without their grace notes, and {the onset of the
    note each graces: its grace notes' pitches}: a note (or an octave-doubled one, a chord) of at
    most `GRACE_MAX` that ends where (or up to half that before) a note `GRACE_RATIO` times its
    length begins. The notes that end where a grace note begins run to the note it graces (its
    time is theirs, as a player takes it). A MIDI file's grace notes had been written as 128th-note
    triplets; a run of short notes has none."""
    out: list = []
    graces: dict = {}
    for i, ev in enumerate(events):
        nxt = events[i + 1] if i + 1 < len(events) else None
        gap = nxt[0] - (ev[0] + ev[1]) if nxt is not None else None
        if ev[1] <= GRACE_MAX and gap is not None and 0 <= gap <= GRACE_MAX / 2 and nxt[1] >= GRACE_RATIO * ev[1]:
            graces.setdefault(nxt[0], []).append(list(ev[2]))
            for k in range(len(out) - 1, max(-1, len(out) - 5), -1):  # the notes before take the grace's time
                if out[k][0] + out[k][1] == ev[0]:
                    out[k] = (out[k][0], nxt[0] - out[k][0], out[k][2], out[k][3])
            continue
        out.append(ev)
    return out, graces


def _split_voices(events: list[tuple[Fraction, Fraction, list[int], int]]) -> list[list[tuple[Fraction, Fraction, list[int], int]]]:
    """Overlapping events in separate voices (each event to the first voice free at its onset),
    the voices ordered from the highest sounding to the lowest."""
    voices: list[list] = []
    ends: list[Fraction] = []
    for ev in events:
        for i, e in enumerate(ends):
            if ev[0] >= e:
                voices[i].append(ev)
                ends[i] = ev[0] + ev[1]
                break
        else:
            voices.append([ev])
            ends.append(ev[0] + ev[1])
    return sorted(voices, key=lambda v: -_mean_pitch(v))


def _mean_pitch(voice: list[tuple[Fraction, Fraction, list[int], int]], start: Fraction | None = None,
                stop: Fraction | None = None) -> float:
    """The mean pitch of a voice's events (those sounding between `start` and `stop` when given)."""
    heard = [e for e in voice if start is None or (e[0] < stop and e[0] + e[1] > start)] or voice
    return sum(sum(e[2]) / len(e[2]) for e in heard) / len(heard)


def to_music21(piece: Piece, repeats: bool = False) -> Any:
    """music21 Score: one Part per pitched track (melody/soprano first) in measures that follow
    `piece.bars()` (a pickup becomes an anacrusis), notes crossing barlines split and tied,
    overlapping notes in separate voices, chord symbols attached to the melody part, key,
    meter and tempo in the first measure (and where they change), a fermata over each part's note
    that sounds at one of `piece.fermatas`. Drum tracks are left out.
    Onsets/durations are written as `_frac` reads them (a tuplet the source rounded, exact).
    `repeats`: spans sounded twice are written once between repeat barlines, with first and
    second endings (`convert.repeats.find_repeats`; the spans found are in the score's
    `tunesmithRepeats`)."""
    from music21 import bar, clef, expressions, instrument, metadata, meter, note, spanner, tempo, tie
    from music21 import chord as m21chord
    from music21 import harmony as m21harmony
    from music21 import interval as m21interval
    from music21 import key as m21key
    from music21 import stream as m21stream

    from tunesmith.performance import notated

    piece = notated(piece)  # a melody played in is written quantized (its MIDI keeps it as played)
    score = m21stream.Score()
    score.metadata = metadata.Metadata()
    score.metadata.title = piece.title or piece.piece_id
    if piece.meta.get("composer"):
        score.metadata.composer = str(piece.meta["composer"])
    if piece.meta.get("arranger"):
        score.metadata.addContributor(metadata.Contributor(role="arranger", name=str(piece.meta["arranger"])))
    if piece.meta.get("copyright"):  # the musician's own line, as their file gave it (a take has none)
        score.metadata.copyright = metadata.Copyright(str(piece.meta["copyright"]))
    order = {"melody": 0, "soprano": 1, "alto": 2, "tenor": 3, "bass": 4}
    tracks = sorted((t for t in piece.tracks if not t.is_drum), key=lambda t: order.get(t.role, 9))
    if not tracks:
        tracks = [Track(name="melody", role="melody")]
    end = _frac(piece.duration())
    bars = [_frac(b) for b in piece.bars()]
    signatures = sorted(piece.time_signatures, key=lambda ts: ts.onset) or [TimeSignature(0.0, 4, 4)]
    # extend the bar grid to the end of the music
    last_len = Fraction(signatures[-1].bar_length).limit_denominator(96)
    if not bars:
        bars = [Fraction(0)]
    while bars[-1] + last_len < end:
        bars.append(bars[-1] + last_len)
    bars = sorted(set(bars))
    # an over-full bar (a transcription slip: 8 beats in 4/4) becomes several measures, as
    # MusicXML readers place each measure one time signature after the previous one
    split_bars: list[Fraction] = []
    for i, b in enumerate(bars):
        split_bars.append(b)
        nxt = bars[i + 1] if i + 1 < len(bars) else None
        if nxt is None:
            continue
        full = Fraction(ts_at_time(signatures, b).bar_length).limit_denominator(96)
        t = b + full
        while t < nxt - Fraction(1, 96) and i > 0:
            split_bars.append(t)
            t += full
    bars = split_bars
    bounds = [*bars, max(end, bars[-1] + (last_len if len(bars) == 1 or end <= bars[-1] else Fraction(0)))]
    if bounds[-1] <= bounds[-2]:
        bounds[-1] = bounds[-2] + last_len

    def ts_at(t: Fraction) -> TimeSignature:
        return ts_at_time(signatures, t)

    anacrusis = len(bounds) > 2 and bounds[1] - bounds[0] < Fraction(ts_at(bounds[0]).bar_length).limit_denominator(96)
    spans = find_repeats(piece, tracks, bounds) if repeats else []
    dropped = {i for s in spans for i in s.dropped}
    # no forward repeat at the very start; after a pickup there is one (else a reader replays the pickup)
    opens = {s.start for s in spans if s.start > 0}
    closes = {s.start + s.bars - 1 for s in spans}
    ending_of = {i: k for s in spans for k, r in ((1, s.first_ending), (2, s.second_ending)) for i in r}
    score.tunesmithRepeats = spans
    # where the piece's sections begin (`meta["sections"]`: [first bar, bar after, letter], bars as
    # played, a pickup bar 0): a double bar before each, as lead sheets and tune books mark them
    section_starts = {int(sec[0]) for sec in piece.meta.get("sections") or []
                      if isinstance(sec, list | tuple) and len(sec) >= 2 and 0 < int(sec[0]) < len(bounds) - 1}  # fmt: skip
    # ... and their letters, as rehearsal marks (where the piece has two sections or more)
    sections = [sec for sec in piece.meta.get("sections") or [] if isinstance(sec, list | tuple) and len(sec) >= 3]
    section_letters = {int(sec[0]): str(sec[2])[:8] for sec in sections
                       if 0 <= int(sec[0]) < len(bounds) - 1} if len(sections) > 1 else {}  # fmt: skip

    spelled = _speller(piece)
    from tunesmith.performance import played_swung

    swung = piece.style == "jazz" and played_swung(piece)
    written_as = {str(k): str(v) for k, v in (piece.meta.get("written_transpositions") or {}).items()}
    fermatas = [_frac(f) for f in piece.fermatas]
    # where a chord symbol starts, on the sixteenth grid (`_beat_segments` writes what lies on it)
    # ... or stops (N.C.: `no_chord_stops`)
    timed = chord_durations([ChordSymbol(c.onset, c.figure, c.duration) for c in piece.chords], piece.duration())
    chord_stops = no_chord_stops(piece, timed)
    chord_changes = sorted({t for t in (_frac(x) for x in [*(c.onset for c in piece.chords), *chord_stops])
                            if (t * 4).denominator == 1})  # fmt: skip
    melody_index = 0
    for ti, track in enumerate(tracks):
        part = m21stream.Part()
        symbols: list = []  # (measure, offset, chord symbol): inserted after the accidentals are made
        part.id = f"P{ti + 1}"
        part.partName = _named_for_role(track, ti, len(tracks))
        try:
            inst = instrument.instrumentFromMidiProgram(track.program)
        except Exception:  # noqa: BLE001
            inst = instrument.Instrument()
            inst.midiProgram = track.program
        inst.partName = part.partName
        # the notes are at sounding pitch: a transposing instrument's written transposition (a tenor
        # sax's major ninth) would make MuseScore play them a ninth low; the score is in concert
        # pitch, but for a part the input wrote transposed (`meta["written_transpositions"]`)
        inst.transposition = None
        transposition = written_as.get(track.name)
        inst.partId = part.id
        part.partAbbreviation = inst.instrumentAbbreviation = _abbreviation(part.partName)
        part.insert(0, inst)
        part_clef = _clef_for(track, clef)
        groups: dict[tuple[Fraction, Fraction], list[int]] = {}
        velocities: dict[tuple[Fraction, Fraction], int] = {}
        written: dict[tuple[Fraction, int], str] = {}  # (onset, pitch) -> the source's own spelling
        ornaments: dict[tuple[Fraction, int], str] = {}  # (onset, pitch) -> `Note.ornament`
        for n in track.notes:
            # a note another voice strikes again while it sounds is written as held (`Note.held`)
            k = (_frac(n.onset), max(_frac(n.held or n.duration), Fraction(1, 24)))
            groups.setdefault(k, []).append(n.pitch)
            velocities[k] = n.velocity
            if n.spelling:
                written[(k[0], n.pitch)] = n.spelling
            if n.ornament in _M21_ORNAMENTS:
                ornaments[(k[0], n.pitch)] = n.ornament
        events = sorted((k[0], k[1], sorted(set(p)), velocities[k]) for k, p in groups.items())
        events, graces = _graces_apart(events)
        voices = _split_voices(events) or [[]]
        endings: dict[tuple[int, int], list] = {}  # (span, 1 or 2) -> the ending's measures
        number = 0 if anacrusis else 1
        for bi in range(len(bounds) - 1):
            if bi in dropped:
                continue
            b0, b1 = bounds[bi], bounds[bi + 1]
            # a pickup is measure 0, implicit (not counted), and the first whole bar is measure 1
            m = m21stream.Measure(number=number)
            number += 1
            if bi in opens:
                m.leftBarline = bar.Repeat(direction="start")
            if bi in closes:
                m.rightBarline = bar.Repeat(direction="end")
            elif ending_of.get(bi) == 2 and bi + 1 not in ending_of:
                m.rightBarline = bar.Barline("light-light")  # the repeated strain is over
            elif bi + 1 in section_starts and bi + 1 not in opens:
                m.rightBarline = bar.Barline("light-light")  # a section ends: a strain, a bridge
            if bi in ending_of:
                span = next(s.start for s in spans if bi in s.first_ending or bi in s.second_ending)
                endings.setdefault((span, ending_of[bi]), []).append(m)
            if bi == 0 and anacrusis:
                m.showNumber = m21stream.enums.ShowNumber.NEVER  # MusicXML implicit="yes"
            if bi == 0:
                m.insert(0, part_clef)
                for k in piece.keys[:1]:
                    m.insert(0, _m21_key(k, m21key))
            for ts in signatures:
                t = _frac(ts.onset)
                if b0 <= t < b1 and (bi == 0 or t > 0):
                    m.insert(0, _time_signature(meter, ts.numerator, ts.denominator, piece.style))
            if bi == 0 and not any(b0 <= _frac(ts.onset) < b1 for ts in signatures):
                m.insert(0, _time_signature(meter, signatures[0].numerator, signatures[0].denominator, piece.style))
            for k in piece.keys[1:]:
                t = _frac(k.onset)
                if b0 <= t < b1:
                    m.insert(t - b0, _m21_key(k, m21key))
            if ti == 0:
                if bi in section_letters:  # a chart's rehearsal letter over each section's first bar
                    letter = expressions.RehearsalMark(section_letters[bi])
                    letter.placement = "above"
                    m.insert(0, letter)
                if bi == 0 and swung:
                    # a jazz lead sheet says how it is played, over its first tempo, as a chart does:
                    # the eighths are written straight and the WAV swings them
                    said = expressions.TextExpression(SWING_MARK)
                    said.placement, said.style.fontWeight = "above", "bold"
                    m.insert(0, said)
                for tp in piece.tempos:
                    t = _frac(tp.onset)
                    if b0 <= t < b1 or (bi == 0 and t < b0):
                        m.insert(max(t - b0, Fraction(0)), _metronome_mark(tp.qpm, ts_at(t), tempo, note))
            bar_ts = ts_at(b0)
            # a pickup bar is the end of a whole bar: its beats are counted from where that bar began
            grid_start = b1 - Fraction(bar_ts.bar_length).limit_denominator(96) if bi == 0 and anacrusis else b0
            containers = []
            # the voices that sound in this bar, highest first: a voice silent in a bar is not
            # written there (a bar of rests above a continuation's one line), and a bar with one
            # voice is written as one
            in_bar = sorted((v for v in voices if any(e[0] < b1 and e[0] + e[1] > b0 for e in v)),
                            key=lambda v: -_mean_pitch(v, b0, b1)) or voices[:1]  # fmt: skip
            for vi, voice_events in enumerate(in_bar):
                container = m21stream.Voice(id=str(vi + 1)) if len(in_bar) > 1 else m
                cursor = b0
                for ei, (onset, dur, pitches, vel) in enumerate(voice_events):
                    stop = onset + dur
                    if stop <= b0 or onset >= b1:
                        continue
                    seg_on, seg_off = max(onset, b0), min(stop, b1)
                    if seg_on > cursor:
                        _insert_rests(container, cursor, seg_on, b0, b1, ts_at(b0), note)
                    # a single line's next note (right after this one) tells how a chromatic note is spelled
                    following = voice_events[ei + 1] if ei + 1 < len(voice_events) else None
                    leads_to = (following[2][0] if following is not None and len(pitches) == 1 and len(following[2]) == 1
                                and abs(following[0] - stop) < _EPS else None)  # fmt: skip
                    named = [_m21_pitch(_as_written(written.get((onset, p)), p) or spelled(p, float(seg_on), leads_to), p)
                             for p in pitches]  # fmt: skip
                    # the melody's note held through a chord change is cut (and tied) where the chord
                    # changes, so its symbol stands over a note of its own: "Am F" over one whole
                    # note had been printed side by side at the bar's start
                    cuts = [t for t in chord_changes if seg_on < t < seg_off] if ti == melody_index else []
                    pieces = [seg for a, z in zip([seg_on, *cuts], [*cuts, seg_off])
                              for seg in _beat_segments(a, z, grid_start, bar_ts)]  # fmt: skip
                    for part_on, part_off in pieces:
                        el = note.Note(named[0]) if len(named) == 1 else m21chord.Chord(named)
                        el.duration.quarterLength = part_off - part_on
                        el.volume.velocity = vel
                        starts, stops_ = part_on > onset, part_off < stop
                        if starts or stops_:
                            el.tie = tie.Tie("continue" if starts and stops_ else "stop" if starts else "start")
                        if any(part_on <= f < part_off for f in fermatas):
                            mark = expressions.Fermata()
                            mark.type = "upright"  # over the note, as hymnals print it (music21's default hangs below)
                            el.expressions.append(mark)
                        if part_on == onset:  # an ornament over the first of a note's tied pieces only
                            ornament = next((ornaments[(onset, p)] for p in pitches if (onset, p) in ornaments), None)
                            if ornament:
                                el.expressions.append(getattr(expressions, _M21_ORNAMENTS[ornament])())
                        if part_on == onset and onset in graces:  # its grace notes, written before it
                            for g in graces[onset]:
                                grace_pitches = [_m21_pitch(spelled(x, float(onset), None), x) for x in g]
                                grace = note.Note(grace_pitches[0]) if len(g) == 1 else m21chord.Chord(grace_pitches)
                                container.insert(part_on - b0, grace.getGrace())
                        container.insert(part_on - b0, el)
                    cursor = seg_off
                if len(in_bar) > 1:
                    if cursor < b1:
                        _insert_rests(container, cursor, b1, b0, b1, ts_at(b0), note)
                    containers.append(container)
                elif cursor < b1:
                    _insert_rests(m, cursor, b1, b0, b1, ts_at(b0), note)
            for container in containers:
                m.insert(0, container)
            if ti == melody_index:
                for c in piece.chords:
                    t = _frac(c.onset)
                    if b0 <= t < b1:
                        figure = _written_figure(c.figure, transposition) if transposition else c.figure
                        cs = _m21_chord_symbol(figure, m21harmony)
                        if cs is not None:
                            symbols.append((m, t - b0, cs))
                for stop in chord_stops:
                    # N.C. (a break), as MuseScore and iReal Pro export it: a root not shown ("CN.C."
                    # in MuseScore before 3.6, which reads it as N.C. since), the kind "none"
                    t = _frac(stop)
                    if b0 <= t < b1:
                        symbols.append((m, t - b0, m21harmony.NoChord()))
            bar_len = Fraction(ts_at(b0).bar_length).limit_denominator(96)
            if bi == 0 and b1 - b0 < bar_len:
                m.paddingLeft = bar_len - (b1 - b0)
            elif b1 - b0 < bar_len:
                m.paddingRight = bar_len - (b1 - b0)
            if bi == len(bounds) - 2:
                m.rightBarline = bar.Barline("final")
            if piece.meta.get("loop") and not spans:
                # a loop: played round and round, between repeat signs (written out, so no span nests in them)
                if bi == 0:
                    m.leftBarline = bar.Repeat(direction="start")
                if bi == len(bounds) - 2:
                    m.rightBarline = bar.Repeat(direction="end")
            part.append(m)
        for (_, k), ms in sorted(endings.items(), key=lambda kv: kv[0]):
            part.insert(0, spanner.RepeatBracket(ms, number=k))
        # accidentals as a copyist writes them: none for notes the key signature covers,
        # naturals only where they cancel it or an earlier accidental in the bar. The chord
        # symbols go in afterwards: music21 counts their pitches too, and a G7 over one bar of
        # C minor put a cautionary flat on the next bar's B-flat.
        if transposition:
            # written as the player reads it (a B-flat trumpet a tone above the sound), its key
            # signature with it, and `<transpose>` says so: a notation program shows the part as
            # the input's was and plays it at pitch (a trumpeter's take had come back in concert pitch)
            inst.transposition = m21interval.Interval(transposition)
            part.atSoundingPitch = True
            part.toWrittenPitch(inPlace=True)
        part.makeAccidentals(inPlace=True, cautionaryPitchClass=False, overrideStatus=True)
        # and made once: music21's exporter makes them again, chord symbols counted, for a part none
        # of whose pitches has an accidental whose display is decided (an A7 over a C major melody's
        # tied C wrote it C-natural); a first natural pitch marked "not shown" says they are made
        _mark_accidentals_made(part)
        for m, offset, cs in symbols:
            m.insert(offset, cs)
        score.insert(0, part)
    return score


def _mark_accidentals_made(part: Any) -> None:
    """Give the part one pitch whose accidental's display is decided, where none has one, so that
    music21's exporter (`PartExporter.fixupNotationMeasured`: `haveAccidentalsBeenMade`) keeps the
    accidentals `makeAccidentals` made: a natural, not shown, on a pitch without accidental."""
    from music21 import pitch as m21pitch

    pitches = part.recurse().notes.stream().pitches
    if any(p.accidental is not None and p.accidental.displayStatus is not None for p in pitches):
        return
    for p in pitches:
        if p.accidental is None:
            p.accidental = m21pitch.Accidental("natural")
            p.accidental.displayStatus = False
            return


def _tuplet_cut(on: Fraction, off: Fraction, grid_start: Fraction, unit: Fraction) -> list[tuple[Fraction, Fraction]]:
    """`_beat_segments` in a simple meter: a note with one end on the plain grid and the other in
    a tuplet, and no single tuplet value long (2^k/n, n odd: 2/3, 1/5, 2/13), cut on the
    coarsest plain subdivision of `unit` that lies inside it (the last one before a tuplet it
    runs into, the first after one it comes out of); any other note whole."""
    rel_on, rel_off = on - grid_start, off - grid_start
    starts_plain, ends_plain = _plain(rel_on), _plain(rel_off)
    length = off - on
    if starts_plain == ends_plain or length.numerator & (length.numerator - 1) == 0:
        return [(on, off)]
    step = unit
    while step >= Fraction(1, 64):
        cut = rel_off // step * step if starts_plain else (rel_on // step + 1) * step
        if rel_on < cut < rel_off:
            return [(on, grid_start + cut), (grid_start + cut, off)]
        step /= 2
    return [(on, off)]


def _plain(t: Fraction) -> bool:
    """Whether a time (from a bar's start) is on the binary grid: no tuplet needed to reach it."""
    return t.denominator & (t.denominator - 1) == 0


def _single_value(length: Fraction) -> bool:
    """Whether a note of `length` quarters is one written value in a compound meter: a power of
    two, plain or dotted (a double dot would hide the beats)."""
    for dots in range(2):
        base = length / (2 - Fraction(1, 2**dots))
        if base > 0 and base.numerator & (base.numerator - 1) == 0 and base.denominator & (base.denominator - 1) == 0:
            return True
    return False


def _beat_segments(on: Fraction, off: Fraction, grid_start: Fraction, ts: TimeSignature) -> list[tuple[Fraction, Fraction]]:
    """The tied pieces a note from `on` to `off` (within one bar) is written as. In a compound
    meter (6/8, 9/8, 12/8) a length that is no single written value is cut where it crosses a
    dotted-quarter beat, so that the beats show: five eighths from the downbeat are a dotted
    quarter tied to a quarter, not music21's half tied to an eighth; whole beats that make one
    value stay one (nine eighths in 12/8: a dotted half tied to a dotted quarter); any other note
    that crosses a beat is cut at it (a dotted eighth from the third eighth: an eighth tied to a
    sixteenth; four eighths from the downbeat: a dotted quarter tied to an eighth, not a half
    note). Elsewhere:
    the note whole (music21 splits it as notation programs do), except that a note from a plain
    onset into a tuplet (a quarter tied into a quintuplet's first sixteenth), or out of one, is
    cut where the tuplet begins or ends, unless it is one tuplet value itself (the first of
    three quarter-note triplets). music21 had written a quarter tied into a quintuplet as one
    "dotted quarter" of a quintuplet, 6/5 of a beat, a value no copyist writes."""
    if not ts.is_compound:
        return _tuplet_cut(on, off, grid_start, min(Fraction(ts.beat_length).limit_denominator(96), Fraction(1)))
    beat = Fraction(ts.beat_length).limit_denominator(96)
    on_beat = (on - grid_start) % beat == 0
    ends_on_beat = (off - grid_start) % beat == 0
    crosses = (on - grid_start) // beat != (off - grid_start - Fraction(1, 96)) // beat
    if _single_value(off - on) and (not crosses or (on_beat and ends_on_beat)):
        # a single value that crosses a beat is cut there unless it is whole beats: a dotted eighth
        # from the third eighth of 6/8 had hidden the bar's middle, and so had a half note from the
        # downbeat (a dotted quarter tied to an eighth, as tune books write four eighths)
        return [(on, off)]
    cuts = []
    k = (on - grid_start) // beat + 1
    while grid_start + k * beat < off:
        cuts.append(grid_start + k * beat)
        k += 1
    pieces = list(zip([on, *cuts], [*cuts, off]))
    merged = [pieces[0]]
    for a, b in pieces[1:]:  # whole beats that make one value join it (two beats: a dotted half)
        if (merged[-1][0] - grid_start) % beat == 0 and (b - grid_start) % beat == 0 and _single_value(b - merged[-1][0]):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


# what a jazz lead sheet says over its first tempo (`to_music21`)
SWING_MARK = "Swing"


def _metronome_mark(qpm: float, ts: TimeSignature, tempo: Any, note: Any) -> Any:
    """The mark a player reads: the meter's beat (`TimeSignature.beat_length`) per minute, a dotted
    quarter in 6/8, 9/8, 12/8 (qpm 165 -> dotted quarter = 110), a half in 2/2, else a quarter;
    over the staff, where a copyist writes it (MuseScore had set it under the first notes)."""
    beat = ts.beat_length
    referent = {1.5: ("quarter", 1), 2.0: ("half", 0), 0.5: ("eighth", 0), 0.75: ("eighth", 1), 3.0: ("half", 1)}
    kind, dots = referent.get(beat, ("quarter", 0))
    if kind == "quarter" and dots == 0:
        beat = 1.0
    ref = note.Note(type=kind, dots=dots)
    mark = tempo.MetronomeMark(number=round(qpm / beat, 2), referent=ref)
    mark.placement = "above"
    return mark


def _rest_spans(start: Fraction, stop: Fraction, bar_start: Fraction, bar_len: Fraction, beat: Fraction) -> list[tuple[Fraction, Fraction]]:
    """(onset, length) of the rests a copyist writes from `start` to `stop` in a bar: a whole-bar
    rest for an empty bar, else no rest crossing a beat (a half rest only on beats 1 or 3 of 4/4),
    and within a beat aligned halves, quarters ... of it."""
    out = []
    p = start
    n_beats = bar_len / beat if beat else 0
    while p < stop:
        rel = p - bar_start
        left = stop - p
        length = None
        if rel == 0 and left >= bar_len:
            length = bar_len
        elif n_beats == 4 and beat == 1 and rel % 2 == 0 and left >= 2:
            length = Fraction(2)
        elif rel % beat == 0 and left >= beat:
            length = beat
        else:
            next_beat = bar_start + (rel // beat + 1) * beat
            room = min(stop, next_beat) - p
            third = beat / 3 if beat.numerator % 3 == 0 else None  # compound: eighths of a dotted beat
            units = [2 * third, third, third / 2, third / 4] if third else [beat / 2, beat / 4, beat / 8, beat / 16]
            for unit in units:
                if rel % (third or unit) == 0 and unit <= room:
                    length = unit
                    break
            if length is None:
                length = room
        out.append((p, length))
        p += length
    return out


def _insert_rests(container: Any, start: Fraction, stop: Fraction, b0: Fraction, b1: Fraction, ts: TimeSignature, note: Any) -> None:
    """Rests from `start` to `stop` in the measure [b0, b1) split by beat (`_rest_spans`); a short
    first bar (pickup) counts its beats from where the full bar would start."""
    bar_len = Fraction(ts.bar_length).limit_denominator(96)
    bar_start = b1 - bar_len if b1 - b0 < bar_len and b0 == 0 else b0
    beat = Fraction(ts.beat_length).limit_denominator(96)
    for onset, length in _rest_spans(start, stop, bar_start, bar_len, beat):
        container.insert(onset - b0, note.Rest(quarterLength=length))


def ts_at_time(signatures: list[TimeSignature], t: Fraction) -> TimeSignature:
    cur = signatures[0]
    for ts in signatures:
        if _frac(ts.onset) <= t:
            cur = ts
    return cur


def _m21_key(k: KeySignature, m21key: Any) -> Any:
    mode = k.mode if k.mode != "aeolian" else "minor"
    try:
        return m21key.Key(_m21_name(k.tonic), mode)
    except Exception:  # noqa: BLE001
        return m21key.KeySignature(sharps_of(k))


def _written_figure(figure: str, transposition: str) -> str:
    """A chord figure as a transposing instrument's part writes it: root and bass moved against
    `transposition` (music21's name of the sound's interval from the written note: a B-flat
    trumpet's "M-2" writes Bb7 as C7, F#m7b5/C as G#m7b5/D); the figure itself if it does not parse."""
    from music21 import interval, pitch

    from ..harmony import chord_spelling, written_quality

    try:
        quality = written_quality(figure)
        root, bass = chord_spelling(figure)
    except ValueError:
        return figure
    up = interval.Interval(transposition).reverse()

    def moved(name: str) -> str:
        return pitch.Pitch(_m21_name(name)).transpose(up).name.replace("-", "b")

    return moved(root) + quality + (f"/{moved(bass)}" if bass else "")


def _m21_chord_symbol(figure: str, m21harmony: Any) -> Any:
    from ..harmony import chord_spelling, parse_chord, written_quality

    try:
        root_pc, quality, bass_pc = parse_chord(figure)
    except ValueError:
        return None
    # the root and bass as spelled, a double flat or sharp kept (Bbb7 had been written B-flat 7)
    root_name, bass_name = chord_spelling(figure)
    kind, degrees = QUALITY_TO_M21_DEGREES.get(quality, (None, ()))
    kind = kind or QUALITY_TO_M21_KIND.get(quality, "dominant-seventh" if "7" in quality else "major")
    cs = m21harmony.ChordSymbol(root=_m21_name(root_name), bass=_m21_name(bass_name) if bass_name else None, kind=kind)
    for kind_of_step, degree, alter in degrees:
        cs.addChordStepModification(m21harmony.ChordStepModification(kind_of_step, degree, alter))
    # the text prints the quality as the figure writes it ("Bb13sus", which is played as 9sus4)
    cs.chordKindStr = written_quality(figure) or quality
    cs.writeAsChord = False
    return cs
