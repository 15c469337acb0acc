"""ABC reader: files with one or many tunes (split on `X:` lines), chord symbols kept.

Speed: music21's full ABC -> Stream translation costs ~100 ms a tune; symusic (abc2midi)
~3 ms but drops the quoted chord names and expands repeats. We use music21's ABC
*tokenizer* (`ABCHandler.process`, ~3 ms a tune: it resolves pitches with key signature and
bar accidentals, lengths, broken rhythms, tuplets, ties, grace notes and the quoted chord
symbols) and build the Piece straight from the tokens, skipping the costly Stream. One code
path for tunes with and without chords.

Conventions:
- The tune is read in the order it is played (`abc_order`): a header `P:` play order (`P:AABB`,
  `P:(AB)2C`) over parts marked `P:A`, `P:B` in the body; a D.C. or D.S. (al Fine, al Coda; as
  decorations `!D.C.!`, `!segno!`, `S`, `O` or as text "D.C. al Fine"), the passage played again
  without its repeats; layouts it cannot follow are refused in one line naming the tune.
- Voices (`V:`, declared in the header or in the body, named by digits or letters) are tracks.
- `x` and `Z4` rests take their time; `w:` lyrics are counted in `meta["left_out"]`.
- Repeats are expanded: the piece holds the tune as played (`meta["repeats_expanded"] = True`),
  e.g. A A B B for `|: A :| |: B :|`. `|:` opens a repeat, `:|` goes back once to the last `|:`
  or, with none, to the end of the previous repeat or the start of the tune (as players do;
  this is also the reading of an unmatched `:|`); `::`, `:|:` and `:||:` close one and open
  the next. Endings `[1`/`|1`/`:|2`/`[2`...: on pass n the body is played up to `[1`, then the
  ending marked n (an unmarked ending after `:|` counts as the last one); a second ending ends
  at the next `||`, `|]`, `|:` or `:|`. A pickup before the first `|:` is played once; one
  inside the repeat is played each time. Should the structure be too odd to expand (the
  expansion would lose a note or grow past 16x), the tune is read as written
  (`repeats_expanded = False`). Chord symbols stay aligned with their notes.
- `meta["sections"]`: the form, a list of [first_bar, last_bar_exclusive, label]: a new section
  starts at the beginning, at each pass of a repeat and after each finished repeat; each pass
  of the same repeated span gets the same label (letters in order of first appearance: A A B B).
  A boundary inside a bar moves to the next barline; a leading pickup bar joins the first section.
- Bars: a short bar followed by a short bar that completes it (the end of a part and the
  next part's or the repeat's pickup) is one bar.
- A pickup (anacrusis) is kept: `bar_onsets` starts [0.0, <pickup length>, ...] and
  `meta["pickup"]` holds its length in beats.
- Grace notes are dropped (counted in `meta["left_out"]`); chords `[CEG]` give simultaneous notes; tied notes are merged.
- Ornaments (`~` roll, `T` trill, `M` lower and `P` upper mordent, and their !...! forms, `!turn!`)
  are the `ornament` of the note they stand before (of a chord's first note): `_ornaments_marked`.
- Quoted strings that start with ^ _ < > @ are ABC annotations, "f", "pp", "mf" ... dynamics
  (counted in `meta["left_out"]`), and a string that starts with a lower-case letter a fingering or
  string mark (Ryan's Mammoth Collection's "e"), not chords: a chord symbol starts with a
  capital A-G (ABC 2.1, 4.18); "N.C." ends the
  current chord. Chord strings that do not parse are counted in `meta["unparsed_chords"]`.
- Fields kept in meta: composer (C:), origin (O:), rhythm/genre (R:), book (B:), source (S:),
  notes (N:), reference number (X:), Essen/O'Neill numbers where present.
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from fractions import Fraction

from ..convert import _finish, chord_durations
from ..convert.common import guess_role
from ..harmony import NO_CHORD, key_from_sharps, normalize_figure
from ..limits import LimitError, check_abc_tune, check_piece
from ..score import ChordSymbol, Note, Piece, Tempo, TimeSignature, Track
from . import InputError, check_local_file, piece_stem, read_text
from .abc_order import NAV_MARK, Mark, NotRead, bar_kinds, expand_repeats, has_navigation, navigate, play_order

_X_LINE = re.compile(r"^X:", re.M)
_LETTER_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_ANNOTATION_PREFIX = ("^", "_", "<", ">", "@")
# dynamics written as quoted strings (John Chambers' O'Neill transcriptions: "f" A>F, "pp" F2):
# a chord name starts with a capital letter, and "f" had been read as an F major chord in 8 tunes
_DYNAMICS = frozenset({"ppp", "pp", "p", "mp", "mf", "f", "ff", "fff", "sf", "sfz", "fz", "rf", "rfz", "fp",
                       "cresc", "cresc.", "dim", "dim.", "decresc", "decresc."})  # fmt: skip
# a K: field's key (ABC 2.1, 3.1.14): a tonic and a mode (any case, 3 letters or whole), HP / Hp
# (Highland pipes), "none", or nothing before the clef and other options
_KEY_FIELD = re.compile(r"\s*(?:[A-G][#b]?\s*(?:maj(?:or)?|m(?:in(?:or)?)?|ion(?:ian)?|mix(?:olydian)?|dor(?:ian)?|"
                        r"phr(?:ygian)?|lyd(?:ian)?|loc(?:rian)?|aeo(?:lian)?|exp(?:licit)?)?|HP|Hp|none|(?=\w+=))?(?:\s|$|%|\]|\w+=)",
                        re.I)
_META_TAGS = {"C": "composer", "O": "origin", "R": "rhythm", "B": "book", "S": "abc_source", "N": "notes",
              "Z": "transcription", "H": "history", "D": "discography", "A": "area", "G": "group"}


# the version line an ABC file opens with (`%abc-2.1`, `%abc-1.6`), as music21 looks for it
_ABC_VERSION = re.compile(r"%abc-(\d+)\.(\d+)(?:\.(\d+))?")


def split_tunes(text: str) -> tuple[str, list[str]]:
    """(file header, tune texts): a tune starts at an `X:` line. A file without X: is one tune."""
    starts = [m.start() for m in _X_LINE.finditer(text)]
    if not starts:
        return "", [text]
    header = text[: starts[0]]
    tunes = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)])]
    return header, tunes


def _header_fields(header: str) -> str:
    """File-header field lines that apply to every tune (ABC 2.1 §2.2.2), comments dropped."""
    keep = [ln for ln in header.splitlines() if re.match(r"^[A-Za-z]:", ln) and not ln.startswith(("X:", "T:"))]
    return "\n".join(keep)


def _spelling_of(name: str) -> str | None:
    """The written name of a music21 pitch name ("G#4" -> "G#", "B-3" -> "Bb", "E--4" -> "Ebb"), None
    for a quarter tone (kept as the note's `spelling`: an ABC tune's ^G had come back as A-flat)."""
    i = 1
    while i < len(name) and name[i] in "#-~`n":
        i += 1
    acc = name[1:i].replace("n", "")
    if acc not in ("", "#", "##", "-", "--"):
        return None
    return name[0].upper() + acc.replace("-", "b")


def _midi_of(name: str) -> int:
    """MIDI number of a music21 pitch name such as 'C#5', 'B-3', 'E--4' (an octave of 0 or more:
    for a lower one see `_pitch_of`)."""
    i = 1
    alter = 0
    while i < len(name) and name[i] in "#-~`n":
        alter += 1 if name[i] == "#" else -1 if name[i] == "-" else 0
        i += 1
    octave = int(name[i:]) if i < len(name) else 4
    return 12 * (octave + 1) + _LETTER_PC[name[0].upper()] + alter


_PITCH_LETTER = re.compile(r"[A-Ga-g]")


def _pitch_of(tok) -> tuple[int, str | None]:
    """(MIDI number, written spelling: `_spelling_of`) of an ABC note token. The octave is counted
    from the note as written (its letter's case, its commas and apostrophes, as music21 counts it),
    not read back from music21's name: that writes octave -1 as "C-1", which reads as C-flat in
    octave 1, so C,,,,, (MIDI 0) had been read as 23 and C,,,,,, (-12) as 35, kept as notes the
    file never had."""
    name = tok.pitchName
    _, text = tok._splitChordSymbols(tok.src or "")
    if len(text) > 1 and text[0] in "uT":  # (bowing and trill marks music21 skips before the letter)
        text = text[1:]
    letter = _PITCH_LETTER.search(text.replace("T", ""))
    octave = (5 if letter and letter.group(0).islower() else 4) - text.count(",") + text.count("'")
    if letter is None or not name.endswith(str(octave)) or name[0].upper() != letter.group(0).upper():
        return _midi_of(name), _spelling_of(name)  # a name music21 made some other way: as it says
    accidentals = name[1 : len(name) - len(str(octave))]
    alter = accidentals.count("#") - accidentals.count("-")
    return 12 * (octave + 1) + _LETTER_PC[name[0].upper()] + alter, _spelling_of(name[0] + accidentals + "4")


_DOUBLE_REPEAT = re.compile(r"(?<=[^|:\s])::(?=[^|:]|$)")


_INLINE_FIELD = re.compile(r"\[([KLMQPV]):([^\]]*)\]")


# ABC's fermata, 'H' or '!fermata!' before a note: music21's reader drops the note after 'H' (a
# teacher's Old Hundredth lost its four fermata notes, leaving 3-beat bars in 4/4, without a word)
# and skips '!fermata!'. Both are written as 'M', which music21 reads as a tenuto on the next note
# or chord (`_walk` reads it back as the fermata); an 'M' of the source itself (ABC's lower mordent)
# is written out as '!lowermordent!' in the same pass, so that no fermata mark is taken for a
# mordent nor a mordent for a fermata (`_ornaments_marked` reads it). Only outside quoted text and
# !...! / +...+ decorations.
_H_OR_M_DECORATION = re.compile(r"(?<![=^_])([HM])(?=[~.HMTP]*[=^_]*[A-Ga-gz\[(])")
_QUOTED_OR_DECORATION = re.compile(r'("[^"]*"|![^!]*!|\+[^+]*\+)')
_FERMATA_DECORATIONS = ("!fermata!", "+fermata+")
_FERMATA_MARK = "M"  # music21's ABC tenuto


def _fermata_or_mordent(m: re.Match) -> str:
    return _FERMATA_MARK if m.group(1) == "H" else "!lowermordent!"


def _fermatas_marked(line: str) -> str:
    parts = _QUOTED_OR_DECORATION.split(line)
    return "".join((_FERMATA_MARK if part in _FERMATA_DECORATIONS else part) if i % 2
                   else _H_OR_M_DECORATION.sub(_fermata_or_mordent, part)
                   for i, part in enumerate(parts))  # fmt: skip


# ABC's ornaments (ABC 2.1, 4.14) before a note or chord: the shorthands `~` (roll), `T` (trill),
# `P` (upper mordent) and the long forms. music21's tokenizer keeps a shorthand only in a note's
# source text (and loses it before a chord) and skips every other !...! decoration, so a fiddler's
# rolls had vanished from the take. Each is written as an annotation, "@orn roll", before its note:
# music21 keeps it with the note as a chord string, `_walk` skips it as a chord (an annotation) and
# reads it as the note's `ornament`. Run after the fermatas and navigation are marked, whose
# shorthands look past `~` to the note.
ORNAMENT_MARK = "@orn "
_ORNAMENT_DECORATIONS = {"roll": "roll", "trill": "trill", "mordent": "mordent", "lowermordent": "mordent",
                         "uppermordent": "inverted-mordent", "pralltriller": "inverted-mordent", "turn": "turn"}  # fmt: skip
_ORNAMENT_SHORTHANDS = {"~": "roll", "T": "trill", "P": "inverted-mordent"}
_ORNAMENT_SHORTHAND = re.compile(r"(?<![=^_])([~TP])(?=[~TP.LMuv]*[=^_]*[A-Ga-g\[])")


def _ornament_mark(name: str) -> str:
    return f'"{ORNAMENT_MARK}{name}"'


def _ornaments_marked(text: str) -> str:
    out = []
    for line in text.split("\n"):
        if re.match(r"^[A-Za-z]:", line) or not any(c in line for c in "~TP!+"):
            out.append(line)
            continue
        parts = _music_parts(line)
        for i, part in enumerate(parts):
            if not i % 2:
                parts[i] = _ORNAMENT_SHORTHAND.sub(lambda m: _ornament_mark(_ORNAMENT_SHORTHANDS[m.group(1)]), part)
            elif part[:1] in "!+" and part[1:-1] in _ORNAMENT_DECORATIONS:
                parts[i] = _ornament_mark(_ORNAMENT_DECORATIONS[part[1:-1]])
        out.append("".join(parts))
    return "\n".join(out)


def _ornament_of(tok) -> str | None:
    """The ornament `_ornaments_marked` wrote before a note token, else None."""
    for raw in tok.chordSymbols or ():
        text = raw.strip().strip('"')
        if text.startswith(ORNAMENT_MARK):
            return text[len(ORNAMENT_MARK) :]
    return None


def _fix_body(text: str) -> str:
    """Work around music21 tokenizer slips: 'G::' (note + double repeat) is read as a 'G:'
    field, dropping the note (write ':|:'); inline fields '[K:D]' are read as chords; fermatas
    are marked so that music21 keeps them (`_fermatas_marked`)."""
    out = []
    for line in text.split("\n"):
        if not re.match(r"^[A-Za-z]:", line) and ("H" in line or "M" in line or "fermata" in line):
            line = _fermatas_marked(line)
        if not re.match(r"^[A-Za-z]:", line) and "::" in line:
            line = _DOUBLE_REPEAT.sub(":|:", line)
        if not re.match(r"^[A-Za-z]:", line) and "[" in line:
            # inline fields [K:D] / [M:3/4] / [L:1/16] / [Q:..]: music21 reads them as chords;
            # on a line of their own they change key/meter/length for the notes that follow
            line = _INLINE_FIELD.sub(lambda m: f"\n{m.group(1)}:{m.group(2)}\n", line)
        out.append(line)
    return _ornaments_marked(_navigation_marked(_rests_written_out("\n".join(out))))


# ABC's invisible rest `x` and multi-bar rest `Z4` (4 bars): music21's tokenizer drops both, with
# the time they take (a song's four bars of introduction rest and an `x4` bar had vanished, its
# melody starting in bar 1). Written as `z` rests: a bar of rest per bar of `Z`.
_X_REST = re.compile(r"x")  # in a line of music, outside quotes and decorations: only ever a rest
_MULTI_BAR_REST = re.compile(r"Z(\d*)")
MAX_MULTI_BAR_REST = 512  # bars one `Z` may stand for (co-create's bar limit)


def _music_parts(line: str) -> list[str]:
    """A music line split into its text (even parts) and its quoted strings and decorations (odd parts)."""
    return _QUOTED_OR_DECORATION.split(line)


def _rests_written_out(text: str) -> str:
    meter, unit = Fraction(1), Fraction(1, 8)
    out = []
    for line in text.split("\n"):
        field = re.match(r"^([A-Za-z]):\s*(.*)", line)
        if field:
            tag, value = field.group(1), field.group(2).split("%")[0].strip()
            frac = re.match(r"(\d+)\s*/\s*(\d+)", value)
            if tag == "M":
                meter = Fraction(int(frac.group(1)), int(frac.group(2))) if frac and int(frac.group(2)) else \
                    Fraction(1, 1) if value in ("C", "C|") else meter  # fmt: skip
            elif tag == "L" and frac and int(frac.group(1)) and int(frac.group(2)):
                unit = Fraction(int(frac.group(1)), int(frac.group(2)))
            out.append(line)
            continue
        if "x" not in line and "Z" not in line:
            out.append(line)
            continue
        music, comment = (line.split("%", 1) + [""])[:2] if "%" in line else (line, None)
        parts = _music_parts(music)
        bar = meter / unit  # a bar's length in unit notes

        def rest(m: re.Match, bar: Fraction = bar) -> str:
            return _bars_of_rest(int(m.group(1) or 1), bar)

        for i in range(0, len(parts), 2):
            parts[i] = _MULTI_BAR_REST.sub(rest, _X_REST.sub("z", parts[i]))
        out.append("".join(parts) + ("%" + comment if comment is not None else ""))
    return "\n".join(out)


def _bars_of_rest(count: int, units: Fraction) -> str:
    if count > MAX_MULTI_BAR_REST:
        raise NotRead(f"a multi-bar rest Z{count} is longer than {MAX_MULTI_BAR_REST} bars")
    length = f"{units.numerator}" if units.denominator == 1 else f"{units.numerator}/{units.denominator}"
    return "|".join([f"z{length}"] * max(count, 1))


# Navigation (D.C., D.S., Fine, Coda, Segno), as decorations (`!D.C.!`, `!fine!`, `S`, `O`, ...) or
# text annotations ("^D.C. al Fine"): music21's tokenizer drops them, and a da capo tune had been
# read once through, without a word. Each is written as a zero-length rest carrying an "@nav ..."
# annotation (kept in place by the tokenizer, skipped as a chord), which `navigate` follows.
_NAV_DECORATIONS = {"D.C.": "dc", "dacapo": "dc", "D.C.alfine": "dc fine", "D.C.alcoda": "dc coda",
                    "D.S.": "ds", "D.S.alfine": "ds fine", "D.S.alcoda": "ds coda", "fine": "fine",
                    "segno": "segno", "coda": "coda", "dacoda": "tocoda"}  # fmt: skip
_NAV_TEXT = [(re.compile(r"^(?:D\.?\s*C\.?|Da\s+Capo)(?:\s+al\s+(Fine|Coda))?\.?$", re.I), "dc"),
             (re.compile(r"^(?:D\.?\s*S\.?|Dal\s+Segno)(?:\s+al\s+(Fine|Coda))?\.?$", re.I), "ds"),
             (re.compile(r"^Fine\.?$", re.I), "fine"),
             (re.compile(r"^(?:Segno|S)\.?$", re.I), "segno"),  # "Segno", "^Segno" (Ryan's, O'Neill's)
             (re.compile(r"^(?:To|Da)\s+Coda\.?$", re.I), "tocoda"),
             (re.compile(r"^Coda\.?$", re.I), "coda")]  # fmt: skip
_NAV_SHORTHAND = re.compile(r"(?<![=^_A-Za-z])([SO])(?=[~.]*[=^_]*[A-Ga-gz\[(|])")


def _nav_of(part: str) -> str | None:
    """The navigation a quoted string or decoration stands for ("dc fine", "segno", ...), else None."""
    if part[:1] in "!+" and part[-1:] == part[:1]:
        return _NAV_DECORATIONS.get(part[1:-1].replace(" ", ""))
    if part.startswith('"'):  # "^D.C. al Fine", or as a chord name: "Fine"
        text = part[1:-1].strip().lstrip("".join(_ANNOTATION_PREFIX)).strip()
        for pattern, kind in _NAV_TEXT:
            m = pattern.match(text)
            if m:
                return f"{kind} {m.group(1).lower()}" if m.groups() and m.group(1) else kind
    return None


def _navigation_marked(text: str) -> str:
    out = []
    for line in text.split("\n"):
        if re.match(r"^[A-Za-z]:", line) or line.lstrip().startswith("%"):
            out.append(line)
            continue
        parts = _music_parts(line)
        for i, part in enumerate(parts):
            if i % 2:
                nav = _nav_of(part)
                if nav is not None:
                    parts[i] = f'"{NAV_MARK}{nav}"z0'
            elif "S" in part or "O" in part:  # ABC's shorthand decorations: S segno, O coda
                parts[i] = _NAV_SHORTHAND.sub(lambda m: f'"{NAV_MARK}{"segno" if m.group(1) == "S" else "coda"}"z0',
                                              part)  # fmt: skip
        out.append("".join(parts))
    return "\n".join(out)


_NOTTINGHAM_QUALITY = re.compile(r"^([A-G][#b]?)(d|a|a7|d7)(/.*)?$")


def _abc_chord_text(text: str) -> str:
    """ABC chord-string dialects: Nottingham writes a sharp bass as '/f+' (D/F#), 'Gd' for
    G diminished, 'Ea' for E augmented and 'Fa7' for F7#5."""
    text = re.sub(r"/([A-Ga-g])\+$", lambda m: "/" + m.group(1).upper() + "#", text)
    m = _NOTTINGHAM_QUALITY.match(text)
    if m:
        quality = {"d": "dim", "a": "aug", "a7": "7#5", "d7": "dim7"}[m.group(2)]
        text = m.group(1) + quality + (m.group(3) or "")
    return text


@contextlib.contextmanager
def _quiet_music21():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _section_label(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else f"S{i}"


def _bar_length_at(signatures: list, at: Fraction | float) -> Fraction:
    """The bar length (quarters) of the meter sounding at `at`; `signatures` sorted by onset."""
    ts = signatures[0]
    for x in signatures:
        if x.onset <= float(at) + 1e-9:
            ts = x
    return Fraction(ts.bar_length).limit_denominator(96)


def _merge_short_bars(bars: list[Fraction], end: Fraction, piece: Piece) -> list[Fraction]:
    """Join a short bar and the short bar after it when together they make one full bar."""
    if not piece.time_signatures or len(bars) < 3:
        return bars
    tss = sorted(piece.time_signatures, key=lambda x: x.onset)

    out = [bars[0], bars[1]]
    k = 1
    while k < len(bars):
        b = bars[k]
        nxt = bars[k + 1] if k + 1 < len(bars) else end
        after = bars[k + 2] if k + 2 < len(bars) else end
        full = _bar_length_at(tss, b)
        if k + 1 < len(bars) and nxt - b < full and after - nxt < full and after - b == full:
            if out[-1] != b:
                out.append(b)
            k += 2  # bars[k + 1] is no barline
            continue
        if out[-1] != b:
            out.append(b)
        k += 1
    return out


def _sections(marks: list[tuple[Fraction, int]], bars: list[Fraction], pickup: bool) -> list[list]:
    """[first_bar, last_bar_exclusive, label] from the section marks of an expanded walk."""
    import bisect

    starts: list[tuple[int, int]] = []
    for t, key in marks:
        b = bisect.bisect_left(bars, t - Fraction(1, 10**6))
        b = min(b, len(bars))
        if starts and starts[-1][0] == b:
            starts[-1] = (b, key)
        else:
            starts.append((b, key))
    spans = [(b, e, key) for (b, key), (e, _) in zip(starts, [*starts[1:], (len(bars), -1)]) if e > b]
    if pickup and len(spans) > 1 and spans[0][:2] == (0, 1):
        spans = [(0, spans[1][1], spans[1][2]), *spans[2:]]
    labels: dict[int, str] = {}
    result = []
    for b, e, key in spans:
        labels.setdefault(key, _section_label(len(labels)))
        result.append([b, e, labels[key]])
    return result


def _walk(tokens: list, piece: Piece, track: Track, *, first_voice: bool) -> float:
    """Fill `track` (and, for the first voice, the piece's chords/meter/key/bars) from tokens."""
    from music21 import abcFormat as af

    t = Fraction(0)
    bars: list[Fraction] = [Fraction(0)]
    chords: list[ChordSymbol] = []
    grace_chords: list[str] = []  # chord symbols read on grace notes, for the note after them
    stops: list[float] = []
    tied: dict[int, Note] = {}
    unparsed = 0
    seen_key = False
    marks: list[tuple[Fraction, int]] = []
    out_of_range: set[tuple[int, int]] = set()
    for tok in tokens:
        if isinstance(tok, Mark):
            marks.append((t, tok.key))
            continue
        if isinstance(tok, af.ABCMetadata):
            if not first_voice:
                continue
            tag = getattr(tok, "tag", "")
            if tok.isMeter():
                params = tok.getTimeSignatureParameters()
                if params is not None:
                    piece.time_signatures.append(TimeSignature(float(t), int(params[0]), int(params[1])))
                elif str(tok.data).split("%")[0].strip().lower() == "none":
                    # free meter (ABC 2.1, 3.1.6): no time signature; co-create refuses it (`meta`) rather
                    # than re-bar the tune in 4/4
                    piece.meta["meter_free"] = True
            elif tok.isKey():
                try:
                    sharps, mode = tok.getKeySignatureParameters()
                except Exception:  # noqa: BLE001 - K:none, K:HP, clef-only K: lines
                    continue
                if tok.data.strip().lower() in ("", "none") or tok.data.strip().upper().startswith("HP"):
                    continue
                piece.keys.append(key_from_sharps(sharps, mode or "major", float(t)))
                seen_key = True
            elif tok.isTempo():
                with contextlib.suppress(Exception):
                    mm = tok.getMetronomeMarkObject()
                    if mm is not None and mm.getQuarterBPM():
                        piece.tempos.append(Tempo(float(t), float(mm.getQuarterBPM())))
            elif tok.isTitle():
                if not piece.title:
                    piece.title = tok.data.strip()
                elif tok.data.strip() != piece.title and tok.data.strip() not in piece.meta.get("subtitles", []):
                    piece.meta.setdefault("subtitles", []).append(tok.data.strip())  # once, though repeated
            elif tag in _META_TAGS and tok.data.strip():
                piece.meta.setdefault(_META_TAGS[tag], tok.data.strip())
            continue
        if isinstance(tok, af.ABCBar):
            if first_voice and t > bars[-1]:
                bars.append(t)
            continue
        if not isinstance(tok, af.ABCNote):
            continue
        if tok.inGrace:
            # a chord symbol written before grace notes ("G"{ag}G, as tune books often write it) is
            # the chord of the note the graces lead to (music21 gives it to the first grace note:
            # Flowers of Edinburgh had lost 26 of its 52 chords)
            grace_chords += tok.chordSymbols
            continue
        symbols, grace_chords = [*grace_chords, *tok.chordSymbols], []
        if first_voice:
            for raw in symbols:
                text = raw.strip().strip('"').strip()
                if not text or text.startswith(_ANNOTATION_PREFIX) or text in _DYNAMICS or text[0].islower():
                    continue
                text = _abc_chord_text(text.strip("()"))
                try:
                    chords.append(ChordSymbol(float(t), normalize_figure(text)))
                except ValueError:
                    if text in NO_CHORD or text.upper() in ("NC", "N.C.", "N.C"):
                        stops.append(float(t))
                    else:
                        unparsed += 1
                break  # the first chord string of a note is the chord; others are alternatives
        ql = Fraction(tok.quarterLength).limit_denominator(1024)
        if tok.activeTuplet is not None:
            ql *= Fraction(tok.activeTuplet.tupletMultiplier()).limit_denominator(1024)
        if ql <= 0:
            continue
        if tok.isRest:
            t += ql
            tied.clear()
            continue
        if first_voice and "tenuto" in tok.articulations:  # a fermata (`_fermatas_marked`) over a note
            piece.fermatas.append(float(t))
        if isinstance(tok, af.ABCChord):
            pitches = [_pitch_of(s) for s in tok.subTokens if isinstance(s, af.ABCNote) and s.pitchName]
        else:
            pitches = [_pitch_of(tok)] if tok.pitchName else []
        new_tied: dict[int, Note] = {}
        ornament = _ornament_of(tok)  # the graces' own are not the note's: `tok.chordSymbols`, not `symbols`
        for k, (midi, spelling) in enumerate(pitches):
            if not 0 <= midi <= 127:  # left out, and counted: co-create refuses such a file (`meta`), naming
                # the first one's place (`cocreate.inputs.load_piece`); a note inside a repeat is counted
                # once, as written (the expanded tokens are the same objects each pass)
                if (id(tok), k) not in out_of_range:
                    out_of_range.add((id(tok), k))
                    piece.meta["notes_out_of_range"] = piece.meta.get("notes_out_of_range", 0) + 1
                piece.meta.setdefault("note_out_of_range_first", [float(t), midi])
                continue
            prev = tied.get(midi)
            if prev is not None and tok.tie in ("stop", "continue") and abs(prev.onset + prev.duration - float(t)) < 1e-6:
                prev.duration += float(ql)
                n = prev
            else:
                n = Note(midi, float(t), float(ql), spelling=spelling, ornament=ornament if k == 0 else None)
                track.notes.append(n)
            if tok.tie in ("start", "continue"):
                new_tied[midi] = n
        tied = new_tied
        t += ql
    if first_voice:
        if bars[-1] >= t and len(bars) > 1:
            bars.pop()
        bars = _merge_short_bars(bars, t, piece)
        piece.bar_onsets = [float(b) for b in bars]
        ts_len = Fraction(piece.time_signatures[0].bar_length).limit_denominator(64) if piece.time_signatures else None
        if ts_len and len(bars) > 1 and bars[1] < ts_len:
            piece.meta["pickup"] = float(bars[1])
        if marks:
            piece.meta["sections"] = _sections(marks, bars, "pickup" in piece.meta)
        piece.chords = chord_durations(chords, float(t), stops)
        if unparsed:
            piece.meta["unparsed_chords"] = unparsed
        if not seen_key:
            piece.keys = []
    return float(t)


def _odd_bars(tokens: list) -> int:
    """Bars between the first and the last whose length is not their meter's (the tokens walked
    into a scratch piece)."""
    scratch = Piece(piece_id="scratch", work_id="scratch")
    end = _walk(tokens, scratch, Track(name="melody", role="melody"), first_voice=True)
    bars = [*scratch.bar_onsets, end]
    if not scratch.time_signatures:
        return 0
    signatures = sorted(scratch.time_signatures, key=lambda x: x.onset)
    return sum(abs(bars[i + 1] - bars[i] - float(_bar_length_at(signatures, bars[i]))) > 1e-6
               for i in range(1, len(bars) - 2))  # fmt: skip


def _is_voice(tok) -> bool:
    from music21 import abcFormat as af

    return isinstance(tok, af.ABCMetadata) and tok.isVoice()


def _voice_streams(tokens: list) -> list[tuple[str, list]]:
    """(name, token stream) per voice (`V:`): the name its fields give it (`name="Melody"`, else
    ""), the tune's header, then that voice's music, the voices in the order they are first named. music21's `splitByVoice` splits only at voices named by a digit
    and keeps each `V:` passage apart: the voices of a score declared in its header (`V:1 clef=...`
    before `K:`) had read as empty voices and the music after as voices 3 and 4, with no bar lines;
    voices written a line each in turn (V:1, V:2, V:1, ...) as a new voice each time; voices named
    `V:S`, `V:T1` not split at all, one read after the other as one melody."""
    from music21 import abcFormat as af

    if not any(_is_voice(tk) for tk in tokens):
        return [("", tokens)]
    key_at = next((i for i, tk in enumerate(tokens) if isinstance(tk, af.ABCMetadata) and tk.isKey()), -1)
    header = [tk for tk in tokens[: key_at + 1] if not _is_voice(tk)]
    bodies: dict[str, list] = {}
    names: dict[str, str] = {}  # the first name a voice's V: fields give it
    for tk in tokens[: key_at + 1]:
        if _is_voice(tk):
            bodies.setdefault(_voice_id(tk), [])
            names.setdefault(_voice_id(tk), _voice_name(tk))
    current = next(iter(bodies), "")  # music before any V: in the body is the first voice's
    for tk in tokens[key_at + 1 :]:
        if _is_voice(tk):
            current = _voice_id(tk)
            if not names.get(current):
                names[current] = _voice_name(tk)
        bodies.setdefault(current, [])
        if not _is_voice(tk):
            bodies[current].append(tk)
    streams = [(names.get(v, ""), header + body) for v, body in bodies.items()
               if any(isinstance(tk, af.ABCNote) and not tk.isRest for tk in body)]  # fmt: skip
    return streams or [("", tokens)]


def _voice_id(tok) -> str:
    words = str(tok.data or "").split()
    return words[0] if words else ""


_VOICE_NAME = re.compile(r"""\b(?:name|nm)\s*=\s*(?:"([^"]*)"|(\S+))""")


def _voice_name(tok) -> str:
    """The name a `V:` field gives its voice (`name="Melody"`, `nm=Bass`), else ""."""
    m = _VOICE_NAME.search(str(tok.data or ""))
    return (m.group(1) or m.group(2) or "").strip() if m else ""


def _in_playing_order(streams: list[list]) -> list[list]:
    """Each voice's tokens through its D.C. or D.S. and the header's P: play order (`abc_order`);
    `NotRead` where it cannot follow them."""
    navigated = [navigate(tokens) for tokens in streams]
    ordered = [play_order(tokens) for tokens in streams]
    jumped = any(a is not b for a, b in zip(navigated, streams))
    reordered = any(a is not b for a, b in zip(ordered, streams))
    if len(streams) > 1 and (jumped or reordered):
        raise NotRead("a D.C., D.S. or P: play order in a tune of several voices (V:)")
    if jumped and reordered:
        raise NotRead("a P: play order and a D.C. or D.S. in one tune")
    return ordered if reordered else navigated


def parse_abc_tune(text: str, **fields: object) -> Piece:
    """One tune's ABC text -> Piece. `fields` set Piece fields (piece_id, work_id, path, ...)."""
    from music21 import abcFormat as af

    piece = Piece(**fields)  # type: ignore[arg-type]
    with _quiet_music21():
        # ABC 2.1 (4.2): an accidental holds for the notes of its letter to the end of the bar, as
        # abc2midi and abcjs play it; music21 applies that only where the text says `%abc-2.x`
        # and read `^G>^FG` as G#, F#, G natural. A tune that names an older version (`%abc-1.6`,
        # found by music21 in its first lines) keeps that version's reading.
        handler = af.ABCHandler(abcVersion=(2, 1, 0))
        handler.process(text)
    names, streams = zip(*_voice_streams(handler.tokens))
    try:
        streams = _in_playing_order(list(streams))
    except NotRead as e:
        # a jump or play order this reader cannot follow: the tune as written (its repeats still
        # expanded), and said; a tune book's D.S. with its sign written some other way had failed
        # the whole tune, where it had been read before
        piece.meta["navigation_not_followed"] = str(e)
    expanded = [expand_repeats(tokens) for tokens in streams]
    repeats_expanded = all(x is not None for x in expanded)
    if repeats_expanded:
        replayed = [expand_repeats(tokens, replay_pickup=True) for tokens in streams]
        if (all(x is not None for x in replayed) and len(replayed[0]) != len(expanded[0])  # type: ignore[arg-type]
                and _odd_bars(replayed[0]) < _odd_bars(expanded[0])):  # fmt: skip
            # `A|: ... |d3 d2 :|`: played through, the short last bar took the pickup again;
            # without it the second pass began a bar short, mid-piece
            expanded = replayed
        streams = expanded  # type: ignore[assignment]
    end = 0.0
    for i, tokens in enumerate(streams):
        named = names[i] if len(streams) > 1 else ""
        track = Track(name=named or ("melody" if i == 0 else f"voice {i + 1}"),
                      role=guess_role(named, i, len(streams)) if named else "melody" if i == 0 else "accompaniment")  # fmt: skip
        end = max(end, _walk(tokens, piece, track, first_voice=(i == 0)))
        if track.notes:
            piece.tracks.append(track)
    piece.end = end
    piece.meta["repeats_expanded"] = repeats_expanded
    grace = sum(1 for tk in handler.tokens if isinstance(tk, af.ABCNote) and tk.inGrace)
    # lyrics (w: lines) are not read either: a song's words had vanished from the take without a word
    words = [w for line in re.findall(r"^w:(.*)$", text, re.M) for w in re.split(r"[\s~-]+", line.split("%")[0])
             if w.strip("*_|")]  # fmt: skip
    dynamics = sum(1 for tk in handler.tokens if isinstance(tk, af.ABCNote)
                   for c in tk.chordSymbols if c.strip().strip('"').strip() in _DYNAMICS)  # fmt: skip
    left_out = {"grace note(s)": grace, "lyric syllable(s)": len(words), "dynamic marking(s)": dynamics}
    if any(left_out.values()):  # not read; counted as written, for co-create to say the take leaves them out
        piece.meta["left_out"] = {k: v for k, v in left_out.items() if v}
    if not repeats_expanded:
        piece.meta["sections"] = [[0, len(piece.bar_onsets), "A"]]
        if any(any(bar_kinds(stream)[0]) for stream in streams) or has_navigation(handler.tokens):
            # said beside the take (`input_notes.note_repeats_written_out`), as the MusicXML reader says it
            piece.meta["repeats_not_followed"] = "tunesmith's ABC reader could not expand its repeat structure"
    return _finish(piece)


def read_abc(
    path: str | os.PathLike,
    *,
    source: str = "",
    style: str = "",
    license: str = "unknown",
    on_error: str = "warn",
    only: int | None = None,
) -> list[Piece]:
    """Every tune of an ABC file. `on_error`: "warn" skips a tune that fails (warning naming
    it, counted in the next tune's meta["skipped_tunes"]), "raise" stops with InputError.
    InputError when the file holds no readable tune. `only` (0-based): that tune alone, its
    errors raised (co-create reads one tune of a book without parsing the others)."""
    p = check_local_file(path)
    text = read_text(p)
    if not re.search(r"^[XK]:", text, re.M):  # plain text named .abc: music21 would fail on its letters
        raise InputError(f"{p}: no ABC tune in it (no X: or K: line)")
    header, tunes = split_tunes(text)
    head = _header_fields(header)
    version = _ABC_VERSION.search(header)
    stem = piece_stem(p, source)
    pieces: list[Piece] = []
    problems: list[str] = []
    if only is not None:
        if not 0 <= only < len(tunes):
            raise InputError(f"{p}: the file holds {len(tunes)} tune(s); tune {only + 1} does not exist")
        on_error = "raise"
    for index, tune in enumerate(tunes):
        if only is not None and index != only:
            continue
        lines = tune.split("\n", 1)
        body = lines[0] + "\n" + (head + "\n" if head else "") + (lines[1] if len(lines) > 1 else "")
        if version and not _ABC_VERSION.search(tune[:100]):
            body = version.group(0) + "\n" + body  # the file's `%abc-1.6` (first line) for each tune
        xm = re.match(r"X:\s*(\S*)", tune)
        ref = xm.group(1) if xm else ""
        no_key = not re.search(r"^K:", tune, re.M) and not re.search(r"^K:", head, re.M)
        key_field = re.search(r"^K:(.*)$", tune, re.M) or re.search(r"^K:(.*)$", head, re.M)
        # a K: field that names no key ABC knows ("K:Qx# lydianish"; German "K:Es", "K:H" in 5 of
        # 14,168 corpus tunes) is no key either: music21 had read them as C major without a word
        unread_key = key_field.group(1).strip()[:40] if key_field and not _KEY_FIELD.match(key_field.group(1)) else None
        if no_key:
            # ABC needs K: to start the body; music21 reads a tune without one as in C (no sharps or
            # flats), and the piece then has no written key (below)
            body = body.rstrip("\n") + "\n"
            kpos = body.find("\n", body.find("\n") + 1)
            body = body[:kpos + 1] + "K:C\n" + body[kpos + 1:]
        # the Highland pipes' key (`K:HP`, `K:Hp`: ABC 2.1, 3.1.14): F and C sharp, G natural, as
        # A mixolydian writes it; music21 read the pipes' C sharps as C naturals
        body = re.sub(r"^K:\s*H[Pp]\b", "K:Amix", body, flags=re.M)
        if not re.search(r"^L:", body, re.M):
            # ABC's default note length (standard 2.1, 3.3): 1/16 under a meter below 3/4, else
            # 1/8; music21 refuses a tune without L: ("no active default note length")
            meter = re.search(r"^M:\s*(\d+)\s*/\s*(\d+)", body, re.M)
            short = meter is not None and int(meter.group(2)) > 0 and int(meter.group(1)) / int(meter.group(2)) < 0.75
            kpos = body.find("\nK:")
            at = kpos + 1 if kpos >= 0 else body.find("\n") + 1
            body = body[:at] + ("L:1/16\n" if short else "L:1/8\n") + body[at:]
        fields = {
            "piece_id": f"{stem}#{index}",
            "work_id": f"{stem}#{ref or index}",
            "path": f"{p}#{index}" if len(tunes) > 1 else str(p),
            "source": source,
            "style": style,
            "license": license,
            # co-create takes one tune of a book (`only`): the verbs say which, and how many there are
            "meta": {"abc_ref": ref, "tune_index": index, "file": p.name, "tunes_in_file": len(tunes)},
        }
        # co-create reading the one tune of a file names the file alone
        where = str(p) if only is not None and len(tunes) == 1 else f"{p}#{index} (X:{ref})"
        try:
            body = _fix_body(body)
            check_abc_tune(where, body)  # meter, note lengths: before music21
            _check_endings(where, body)
            piece = parse_abc_tune(body, **fields)
            check_piece(piece, where)
        except MemoryError:
            raise  # not this tune's fault alone; a corpus worker is retired (corpus.pool)
        except Exception as e:  # noqa: BLE001 - music21 raises many types on bad ABC
            msg = str(e) if isinstance(e, LimitError) else f"{where}: {e}" if isinstance(e, NotRead) else \
                f"{where}: {_abc_problem(e)}"  # fmt: skip
            if on_error == "raise":
                if only is not None and isinstance(e, LimitError):
                    raise  # its message is one line naming the file (and the tune)
                raise InputError(msg) from e
            problems.append(msg)
            warnings.warn(f"skipped ABC tune {msg}", stacklevel=2)
            continue
        if no_key or unread_key is not None:
            # a K:C the file never wrote is no key: co-create and the corpus estimate it from the
            # notes, as for a MIDI file (a tune in G without K: had been harmonized in C major)
            piece.keys = []
            piece.meta["key_not_written"] = True
            if unread_key is not None:
                piece.meta["key_field_unread"] = unread_key
        if not piece.tracks:
            msg = f"{where}: tune has no notes"
            if on_error == "raise":
                raise InputError(msg)
            problems.append(msg)
            warnings.warn(f"skipped ABC tune {msg}", stacklevel=2)
            continue
        pieces.append(piece)
    if not pieces:
        detail = problems[0] if problems else "no tune found"
        raise InputError(f"{p}: no readable ABC tune ({detail})")
    if problems:
        pieces[0].meta["skipped_tunes"] = problems
    return pieces


# An ending music21's ABC reader cannot read: numbered 3 or more (`[3`, `|3`, `:|3`), or a list or
# range of passes (`[1,2`, `[1-3`). It read `[3 G4 |]` as one chord token, up to the next `]`, and
# the third pass's notes were gone without a word (a tune of 11 bars read as 6).
_UNREADABLE_ENDING = re.compile(r"(?:\[|\|)\s*(?:[3-9]|\d+\s*[,-]\s*\d+)")


def _check_endings(where: str, body: str) -> None:
    """LimitError (one line, naming the tune) for an ending `_UNREADABLE_ENDING` matches in the
    tune's music (header lines, comments and quoted text left out)."""
    for line in body.splitlines():
        if re.match(r"^[A-Za-z]:", line) or line.lstrip().startswith("%"):
            continue
        music = re.sub(r'"[^"]*"|![^!]*!|%.*$', "", line)
        found = _UNREADABLE_ENDING.search(music)
        if found:
            raise LimitError(f"{where}: an ending {found.group(0).strip()!r} (a third pass, or a list of passes) "
                             "is not read by tunesmith's ABC reader: write those passes out, or use MusicXML")  # fmt: skip


def _abc_problem(exc: BaseException) -> str:
    """What music21 found wrong with a tune, in words: its own exceptions quote its token objects
    ("token: <music21.abcFormat.ABCNote 'j'>, tNext: ..."), which mean nothing to a musician."""
    line = re.sub(r"\.?\s*tPrev:.*$", "", _first_line(exc, 1000))
    line = re.sub(r"\s*<music21\.[^>]*>", "", line).strip(" .,:")
    if type(exc).__name__.startswith("ABC"):
        return f"not readable as ABC ({line[:200] or 'music21 could not parse it'})"
    return f"{type(exc).__name__}: {line[:200]}"


def _first_line(exc: BaseException, limit: int = 200) -> str:
    """The first line of an exception's message, at most `limit` characters (music21 quotes
    the offending text, which in a hostile file can be megabytes)."""
    line = (str(exc).splitlines() or [""])[0]
    return line if len(line) <= limit else line[:limit] + "..."


def abc_has_chords(text: str) -> bool:
    """Whether the ABC text has quoted chord symbols (a quote followed by a root letter)."""
    return re.search(r'"[A-G]', text) is not None


__all__ = ["read_abc", "parse_abc_tune", "split_tunes", "abc_has_chords"]
