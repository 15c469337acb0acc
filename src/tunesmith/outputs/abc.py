"""ABC writer: `abc_text(piece)` and `write_abc(piece, path)` (atomic), the mirror of
`tunesmith.inputs.read_abc`.

ABC is how folk musicians swap tunes (tune books, session sites, abcjs, EasyABC, abcm2ps). No
library on PyPI writes it from a score: music21 reads ABC but does not write it, xml2abc is not
packaged, and abcmidi's midi2abc guesses the meter and key from MIDI and drops chord symbols. So
it is written here, from the piece itself:
- one tune (X:1) with T:, the dance (R:) where the take names one (a co-created take: its
  input's), the meter (M:), unit length 1/8 (L:), tempo (Q:, per dotted quarter in 6/8) and the
  key with its mode (K:D, K:Em, K:Ador);
- one voice (V:) per pitched track, the melody first; chord symbols as "quoted" chords on it;
- pitches spelled as the MusicXML writer spells them (`convert.notation._speller`: by the key,
  the chord, the note it moves to), each accidental written where the signature does not give it
  and again wherever a reader that carries accidentals through the bar by letter, or by letter
  and octave, would read another note;
- notes split at bar lines, chord changes and the beats the score shows, and tied (`-`);
  a note's ornament before it (`~` roll, `T` trill, `P`, `!mordent!`, `!turn!`), once for a tied note;
  `H` over each part's note that sounds at a fermata;
  triplets as `(3` (other runs off the eighth grid as `(3:2:r`); eighths beamed a beat at a time
  (in 4/4 and 2/2 half a bar, as reels are written); a pickup as a short first bar; four bars a
  line, a repeated strain on a new line;
- with `repeats`, a strain sounded twice written once between repeat signs with 1. and 2.
  endings, as the MusicXML writer writes a composed take and as a take's ABC is written, a
  co-created one's too (`abc_folds_repeats`); else as played, so that bar n of the file is bar n
  of the take.
A track with notes that overlap keeps the notes struck together as one [chord] and cuts a note
where the next one starts (ABC writes a voice one event at a time). Drum tracks are not written.
Lines starting `N:` and `%` carry how the piece was made (`provenance`), in the file itself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

from ..harmony import sharps_of
from ..paths import atomic_write_text
from ..score import KeySignature, Piece, TimeSignature, Track

UNIT = Fraction(1, 2)  # L:1/8, in beats (a beat is a quarter note)
GRID = 48  # onsets and lengths are read on a 1/48-beat grid (sixteenth-note triplets are 1/6)
BARS_PER_LINE = 4
# the modes as ABC's K: field names them after the tonic
MODE_SUFFIX = {"major": "", "minor": "m", "aeolian": "aeo", "dorian": "dor", "mixolydian": "mix",
               "lydian": "lyd", "phrygian": "phr", "locrian": "loc", "ionian": ""}  # fmt: skip
_ALTER = {"#": 1, "##": 2, "-": -1, "--": -2, "": 0, "b": -1, "bb": -2}
_ABC_ACCIDENTAL = {2: "^^", 1: "^", 0: "=", -1: "_", -2: "__"}
# `Note.ornament` as ABC writes it before a note: the shorthand where ABC has one, but not the lower
# mordent's `M`, which music21 (and so any reader built on it) takes for a tenuto; a turn has none
ORNAMENT_DECORATIONS = {"roll": "~", "trill": "T", "inverted-mordent": "P", "mordent": "!mordent!", "turn": "!turn!"}


def _beats(x: float) -> Fraction:
    return Fraction(round(x * GRID), GRID)


def signature_alterations(key: KeySignature | None) -> dict[str, int]:
    """{letter: alteration} that `key`'s signature gives (D mixolydian: F#; E dorian: F#, C#), from
    its sharps or flats (`harmony.sharps_of`, -7..7)."""
    if key is None:
        return {}
    fifths = sharps_of(key)
    return {letter: 1 for letter in "FCGDAEB"[:fifths]} if fifths >= 0 else {letter: -1 for letter in "BEADGCF"[:-fifths]}


def key_field(key: KeySignature | None) -> str:
    """The K: value of `key` ("D", "Em", "Ador", "F#m"; "C" without a key)."""
    if key is None:
        return "C"
    tonic = key.tonic[0].upper() + key.tonic[1:].replace("-", "b")
    return tonic + MODE_SUFFIX.get(key.mode, "")


def length_text(units: Fraction) -> str:
    """An ABC length multiplier for `units` of L (1 -> "", 2 -> "2", 1/2 -> "/", 3/2 -> "3/2")."""
    if units == 1:
        return ""
    if units == Fraction(1, 2):  # "/" and "//", as tune books write halves and quarters
        return "/"
    if units == Fraction(1, 4):
        return "//"
    if units.denominator == 1:
        return str(units.numerator)
    num = "" if units.numerator == 1 else str(units.numerator)
    return f"{num}/{units.denominator}"


def _note_values(units: Fraction) -> list[Fraction]:
    """`units` of L as note values a score prints, plain or dotted, longest first (5 eighths: a
    half tied to an eighth; abcm2ps had drawn D5 as a half with three dots)."""
    if not _dyadic(units):
        return [units]
    out, left = [], units
    while left > 0:
        plain = Fraction(2) ** (left.numerator.bit_length() - 1) / left.denominator  # the largest 2^k <= left
        while plain * 2 <= left:
            plain *= 2
        while plain > left:
            plain /= 2
        value = plain * Fraction(3, 2) if plain * Fraction(3, 2) <= left else plain
        out.append(value)
        left -= value
    return out


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _dyadic(x: Fraction) -> bool:
    d = x.denominator
    return d & (d - 1) == 0


_NAME = re.compile(r"^([A-G])(#{1,2}|-{1,2}|b{1,2})?(\d+)$")
_LETTER_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def _spelled(note, spell, onset: float, leads_to: int | None = None) -> tuple[str, int, int]:
    """(letter, alteration, octave) of `note`: the source's own spelling where it kept one, else
    as the MusicXML writer spells it (by the pitch it moves to: D#5 rising to E5, not E-flat)."""
    if note.spelling and note.spelling[0] in _LETTER_PC:
        letter, alteration = note.spelling[0], _ALTER.get(note.spelling[1:])
        if alteration is not None:
            return letter, alteration, (note.pitch - alteration - _LETTER_PC[letter]) // 12 - 1
    m = _NAME.match(spell(note.pitch, onset, leads_to))
    if not m:  # below C0: no name with an octave music21 spells plainly
        letter, alteration = "CCDDEFFGGAAB"[note.pitch % 12], int(note.pitch % 12 in (1, 3, 6, 8, 10))
        return letter, alteration, note.pitch // 12 - 1
    return m.group(1), _ALTER[m.group(2) or ""], int(m.group(3))


def _pitch_text(letter: str, octave: int, alteration_written: int | None) -> str:
    """ABC for a pitch (C4 is C, C5 c, C3 C, (with a comma), B5 b'), with the accidental to write (None: none)."""
    text = letter.upper() + "," * (4 - octave) if octave <= 4 else letter.lower() + "'" * (octave - 5)
    return (_ABC_ACCIDENTAL[alteration_written] if alteration_written is not None else "") + text


def _events(track: Track, start: Fraction, end: Fraction) -> list[tuple[Fraction, Fraction, list]]:
    """(onset, length, notes) of `track` in order, gaps as rests (notes []), overlapping notes
    struck together as one chord, a note cut where the next event starts."""
    by_onset: dict[Fraction, list] = {}
    for n in track.notes:
        by_onset.setdefault(_beats(n.onset), []).append(n)
    onsets = sorted(by_onset)
    events, t = [], start
    for i, on in enumerate(onsets):
        notes = by_onset[on]
        stop = min(on + max(_beats(n.duration) for n in notes), onsets[i + 1] if i + 1 < len(onsets) else end, end)
        if stop <= on or on < t:
            continue
        if on > t:
            events.append((t, on - t, []))
        events.append((on, stop - on, sorted(notes, key=lambda n: n.pitch)))
        t = stop
    if t < end:
        events.append((t, end - t, []))
    return events


def _cut(events: list, cuts: Iterable[Fraction]) -> list[tuple[Fraction, Fraction, list, bool]]:
    """The events split at `cuts` (bar lines, chord changes): (onset, length, notes, tied on)."""
    cuts = sorted(set(cuts))
    out = []
    for on, length, notes in events:
        stop = on + length
        inner = [c for c in cuts if on < c < stop]
        edges = [on, *inner, stop]
        for a, b in zip(edges, edges[1:]):
            out.append((a, b - a, notes, bool(notes) and b < stop))
    return out


def _by_beats(events: list, bars: list[Fraction], ts: TimeSignature) -> list[tuple[Fraction, Fraction, list, bool]]:
    """Each note cut into the tied pieces the MusicXML writer prints (`notation._beat_segments`:
    in 6/8 four eighths from the downbeat are a dotted quarter tied to an eighth, as tune books
    write them, not a half note that hides the bar's middle)."""
    import bisect

    from ..convert.notation import _beat_segments

    out = []
    for on, length, notes, tied in events:
        if not notes:
            out.append((on, length, notes, tied))
            continue
        start = bars[max(0, bisect.bisect_right(bars, on) - 1)]
        pieces = _beat_segments(on, on + length, start, ts)
        for k, (a, b) in enumerate(pieces):
            out.append((a, b - a, notes, tied or k < len(pieces) - 1))
    return out


def _bar_text(events: list, spell, signature: dict[str, int], chords: dict[Fraction, str], start: Fraction,
              beat: Fraction, leads_to: dict[int, int], fermatas: Iterable[Fraction] = ()) -> str:  # fmt: skip
    """One bar's events as ABC: chord symbols, accidentals against `signature` (carried in the
    bar), tuplets for runs of lengths off the eighth grid, the notes of a beat beamed (no space),
    `H` over the note that sounds at one of `fermatas`."""
    carried: dict[str, int] = {}  # the accidental in force by letter, and by letter and octave
    carried_octave: dict[tuple[str, int], int] = {}
    # (onset, end, text, plain): plain is (the text without its length, the length in L) for a
    # lone untied note a broken rhythm may pair (`_broken_pair`), else None
    parts: list[tuple[Fraction, Fraction, str, tuple[str, Fraction] | None]] = []
    i = 0
    while i < len(events):
        # a run whose lengths are off the binary grid is a tuplet: gather until its total is on it
        run = [events[i]]
        if not _dyadic(events[i][1] / UNIT):
            total = events[i][1]
            j = i + 1
            while not _dyadic(total / UNIT) and j < len(events):
                run.append(events[j])
                total += events[j][1]
                j += 1
        scale = Fraction(1)
        prefix = ""
        if len(run) > 1 or not _dyadic(run[0][1] / UNIT):
            total = sum(e[1] for e in run)
            if _dyadic(total / UNIT) and all(_dyadic(e[1] / UNIT * Fraction(3, 2)) for e in run):
                scale = Fraction(3, 2)  # three in the time of two
                prefix = "(3:2"  # its r, the notes it writes, below
            else:
                run = [events[i]]  # an odd length ABC writes as it is (C2/3)
        texts, written = [], 0  # written: the notes and rests the run writes (a tuplet's r)
        plain_note = None
        for on, length, notes, tied in run:
            chord = chords.get(on)
            text = f'"{chord}"' if chord else ""
            values = _note_values(length / UNIT * scale)
            written += len(values)
            if not notes:
                text += "".join("z" + length_text(u) for u in values)
            else:
                # a fermata over the note sounding at it (a chorale's phrase end), as the MusicXML
                # writer puts one over each part's note there; `read_abc` reads it back
                if any(on <= f < on + length for f in fermatas):
                    text += "H"
                # an ornament is written once, on the note's first piece (not again after a tie), and
                # before the accidental, as ABC orders them: decorations, accidental, pitch
                text += next((ORNAMENT_DECORATIONS.get(n.ornament, "") for n in notes
                              if n.ornament and _beats(n.onset) == on), "")  # fmt: skip
                pitches = []
                for n in notes:
                    letter, alteration, octave = _spelled(n, spell, float(on), leads_to.get(id(n)))
                    given = signature.get(letter, 0)
                    plain = alteration == carried.get(letter, given) == carried_octave.get((letter, octave), given)
                    carried[letter] = carried_octave[(letter, octave)] = alteration
                    pitches.append(_pitch_text(letter, octave, None if plain else alteration))
                body = pitches[0] if len(pitches) == 1 else "[" + "".join(pitches) + "]"
                if len(run) == 1 and len(values) == 1 and not tied and not prefix:
                    plain_note = (text + body, values[0])
                text += "-".join(body + length_text(u) for u in values) + ("-" if tied else "")
            texts.append(text)
        if prefix:  # "(3" where it is three notes, as tune books write it; its chord symbol before it
            prefix = "(3" if written == 3 else f"(3:2:{written}"
            chord = chords.get(run[0][0])
            if chord:
                texts[0] = texts[0][len(chord) + 2 :]
                prefix = f'"{chord}"' + prefix
        parts.append((run[0][0], run[-1][0] + run[-1][1], prefix + "".join(texts), plain_note))
        i += len(run)
    out = ""
    k = 0
    while k < len(parts):
        on, stop, text, plain = parts[k]
        if k:
            prev_on, prev_stop, prev_text, _ = parts[k - 1]
            # beamed: both shorter than a quarter, in the same beam group, neither a rest
            same_beat = (prev_on - start) // beat == (on - start) // beat and stop - on < 1 and prev_stop - prev_on < 1
            out += "" if same_beat and not prev_text.lstrip('"').startswith("z") and "z" not in text[:1] else " "
        pair = _broken_pair(plain, parts[k + 1] if k + 1 < len(parts) else None, start, beat)
        if pair:
            out += pair
            k += 2
            continue
        out += text
        k += 1
    return out


def _broken_pair(plain: tuple[str, Fraction] | None, after, start: Fraction, beat: Fraction) -> str | None:
    """A dotted note and the note of a third its length after it, in one beat, as tune books write
    them: `c>A` (a dotted eighth and a sixteenth under L:1/8), `c<A` the other way round, `c/>A/` in
    sixteenths; None where the two are not such a pair (a tie, a tuplet, a rest, a chord symbol or
    an ornament on the second note, two beats). An ornament on the first is part of its text (`~c>A`)."""
    if plain is None or after is None or after[3] is None:
        return None
    (first, a), (second, b) = plain, after[3]
    # the second note's text starts with its accidental or letter unless a chord symbol or an
    # ornament stands before it: abc2midi (4.84) plays `B>~A` a 32nd late, and every note after it
    if not re.match(r"[\^=_A-Ga-g]", second) or (after[0] - start - (a * UNIT)) // beat != (after[0] - start) // beat:
        return None
    if a == 3 * b:
        base, sign = 2 * b, ">"
    elif b == 3 * a:
        base, sign = 2 * a, "<"
    else:
        return None
    if base > 1:  # a dotted quarter and an eighth stay `c3B`, as jigs write them
        return None
    return first + length_text(base) + sign + second + length_text(base)


def _bar_lines(spans: list) -> tuple[dict[int, str], set[int]]:
    """{measure: the bar line before it} for the repeat `spans` (`convert.repeats.RepeatSpan`),
    the measure after the last for the end, and the measures a repeat sounds again, left out."""
    before: dict[int, str] = {}
    dropped: set[int] = set()
    for span in spans:
        dropped |= set(span.dropped)
        before[span.start] = ":||:" if before.get(span.start) == ":|" else "|:"
        if span.endings:
            before[span.first_ending.start] = "|1"
            before[span.second_ending.start] = ":|2"
        else:
            before[span.start + 2 * span.bars] = ":|"
    return before, dropped


# a bar line that ends a line, and what then starts the next (a line may start with "[2" or "|:")
_LINE_END = {"|": ("|", ""), ":|": (":|", ""), "|:": ("|", "|:"), ":||:": (":|", "|:"), "|1": ("|", "[1"),
             ":|2": (":|", "[2")}  # fmt: skip


def _body_lines(bar_texts: list[str], kept: list[int], before: dict[int, str], n: int, *, pickup: bool) -> list[str]:
    """The kept measures as lines of `BARS_PER_LINE` (a pickup on the first line besides, a second
    ending on the first ending's line), a new line where a repeated strain starts, each line
    ending with its bar line."""
    lines, line, count = [], "", 0
    for k, b in enumerate(kept):
        bar_line = before.get(b, "|" if k else "")
        # the second ending stays on the first's line, as tune books print them
        full = (count >= BARS_PER_LINE and bar_line != ":|2") or (before.get(b) in ("|:", ":||:") and count > 0)
        if full:
            end, start = _LINE_END[bar_line]
            lines.append(f"{line} {end}")
            line, count = (start + " " if start else ""), 0
        elif bar_line:
            line += (" " if line else "") + bar_line + " "
        line += bar_texts[b]
        count += 0 if (pickup and b == 0) else 1
    lines.append(line + (" :|" if before.get(n) == ":|" else " |]"))
    return lines


def abc_folds_repeats(piece: Piece) -> bool:
    """Whether a take's ABC is written with repeat signs: a composed take's is, as its score is; a
    co-created take's too, though its score stays written out as played so that bar numbers
    (inpaint's --bars) name the same bars in every file: ABC numbers no bars, and a tune book
    writes a strain sounded twice once (a fiddler's item since session 62: a continued reel's ABC
    had its given A strain written out twice). A loop's is written out (`folds_repeats`)."""
    return not piece.meta.get("loop")


def _written_parts(piece: Piece) -> list:
    """The parts an ABC tune writes, the melody first."""
    tracks = [t for t in piece.tracks if not t.is_drum and t.notes]
    melody = piece.melody()
    tracks.sort(key=lambda t: t is not melody)
    return tracks


def _measures(piece: Piece) -> tuple[list[Fraction], Fraction]:
    """(the bar lines an ABC tune writes, in beats; the piece's end)."""
    bars = [_beats(b) for b in piece.bars()]
    end = _beats(piece.duration())
    return [b for b in bars if b < end] or [Fraction(0)], end


def abc_repeat_spans(piece: Piece) -> list:
    """The strains `abc_text(piece, repeats=True)` writes once between repeat signs
    (`convert.repeats.RepeatSpan`, [] when none)."""
    from ..convert.repeats import find_repeats

    bars, end = _measures(piece)
    return find_repeats(piece, _written_parts(piece), [*bars, end])


def abc_text(piece: Piece, *, repeats: bool = False, notes: Iterable[str] = (), comments: Iterable[str] = ()) -> str:
    """`piece` as one ABC tune (see the module docstring). `repeats`: a strain sounded twice
    written once between repeat signs, with first and second endings
    (`convert.repeats.find_repeats`, as the MusicXML writer writes a composed take); else as
    played. `notes`: lines for N: fields (how the piece was made); `comments`: lines written as
    `%` comments before the tune's body."""
    from ..convert.notation import _speller

    spell = _speller(piece)
    bars, end = _measures(piece)
    ts: TimeSignature = piece.time_signature
    key = piece.key
    # a header field is one line: a line break in a title would start another field
    lines = ["X:1", f"T:{_one_line(piece.title or piece.piece_id or 'untitled')}"]
    dance = (piece.meta.get("request") or {}).get("dance") if isinstance(piece.meta.get("request"), dict) else None
    if not dance and isinstance(piece.meta.get("rhythm"), str):  # a co-created take keeps its input's R: (`inputs.abc`)
        dance = piece.meta["rhythm"]
    if dance:
        lines.append(f"R:{_one_line(dance)}")
    lines += [f"M:{ts.numerator}/{ts.denominator}", "L:1/8"]
    if piece.tempos:  # per dotted quarter in compound meters, as fiddlers write it
        qpm = piece.tempos[0].qpm
        lines.append(f"Q:3/8={round(qpm * 2 / 3)}" if ts.is_compound else f"Q:1/4={round(qpm)}")
    tracks = _written_parts(piece)
    if len(tracks) > 1:  # a part that lies mostly below middle C in the bass clef (a chorale's tenor and bass)
        low = [sorted(n.pitch for n in t.notes)[len(t.notes) // 2] < 60 for t in tracks]
        lines += [f'V:{i + 1} name="{t.name}"' + (" clef=bass" if low[i] else "") for i, t in enumerate(tracks)]
    lines.append(f"K:{key_field(key)}")
    signature = signature_alterations(key)
    # eighths beamed a beat at a time, in 4/4 and 2/2 half a bar at a time, as reels and hornpipes are
    beam = _beats(ts.bar_length / 2) if (ts.numerator, ts.denominator) in ((4, 4), (2, 2)) else _beats(ts.beat_length)
    chords = {_beats(c.onset): c.figure for c in piece.chords}
    fermatas = [_beats(f) for f in piece.fermatas]
    key_changes = {_beats(k.onset): k for k in piece.keys if k.onset > 0}
    spans = abc_repeat_spans(piece) if repeats else []
    before, dropped = _bar_lines(spans)
    kept = [b for b in range(len(bars)) if b not in dropped]
    for v, track in enumerate(tracks):
        if len(tracks) > 1:
            lines.append(f"V:{v + 1}")
        own_chords = chords if v == 0 else {}
        ordered = sorted(track.notes, key=lambda n: (n.onset, n.pitch))
        leads_to = {id(a): b.pitch for a, b in zip(ordered, ordered[1:])}
        cuts = [*bars, *(own_chords if v == 0 else ()), *key_changes]
        events = _by_beats(_cut(_events(track, bars[0], end), cuts), bars, ts)
        bar_texts, sig = [], signature
        for b, start in enumerate(bars):
            stop = bars[b + 1] if b + 1 < len(bars) else end
            prefix = ""
            if start in key_changes:
                sig = signature_alterations(key_changes[start])
                prefix = f"[K:{key_field(key_changes[start])}] "
            in_bar = [e for e in events if start <= e[0] < stop]
            bar_texts.append(prefix + _bar_text(in_bar, spell, sig, own_chords, start, beam, leads_to,
                                                [f for f in fermatas if start <= f < stop]))  # fmt: skip
        lines += _body_lines(bar_texts, kept, before, len(bars), pickup=piece.pickup_beats() > 0)
    return with_fields("\n".join(lines) + "\n", notes=notes, comments=comments)


def with_fields(text: str, *, notes: Iterable[str] = (), comments: Iterable[str] = ()) -> str:
    """`text` (an `abc_text`) with N: fields for `notes` and `%` comment lines for `comments` after its
    title, each one line (a line break would start another field): a take's provenance, added to
    the text its notes were signed from without writing the tune again."""
    head, title, rest = text.split("\n", 2)
    added = [f"N:{_one_line(line)}" for line in notes] + [f"% {_one_line(line)}" for line in comments]
    return "\n".join([head, title, *added, rest])


def write_abc(piece: Piece, path: str | os.PathLike, *, repeats: bool = False, notes: Iterable[str] = (),
              comments: Iterable[str] = ()) -> Path:  # fmt: skip
    """Write `piece` as an ABC file (`abc_text`), atomically; returns the path."""
    path = Path(path)
    atomic_write_text(path, abc_text(piece, repeats=repeats, notes=notes, comments=comments))
    return path
