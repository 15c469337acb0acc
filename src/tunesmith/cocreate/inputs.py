"""Co-create's input side: loading the piece, every check made before any model work, the bar
grid in the musician's numbering, the voices the tokenizer reads, and the work piece (what is
known, on the final grid, in the tokenizer's canonical voices)."""

from __future__ import annotations

import bisect
import dataclasses
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tunesmith.sampling import MAX_REQUEST_BARS, MAX_TEMPO, MIN_TEMPO, ComposeRequest
from tunesmith.score import (
    MODES,
    STYLES,
    ChordSymbol,
    KeySignature,
    Note,
    Piece,
    Tempo,
    TimeSignature,
    Track,
    pitch_class_of,
)
from tunesmith.tokenizer import LAYOUTS, METERS, TICKS_PER_BEAT, VOICE_NAMES, VOICE_ROLES, meter_ticks, spell_name

CHORD_RHYTHMS = ("auto", "bar", "half")  # and "free" / None: the model places chords
KEEPABLE = ("melody", "soprano", "alto", "tenor", "bass", "chords")
_SATB_ROLE = {"soprano": "S", "alto": "A", "tenor": "T", "bass": "B"}
_EPS = 1e-6


# ============================================================================ input checks
# The limits a file is read under, by what reads it: "cocreate" (continue, harmonize, inpaint: their
# cost grows with the bars) or "file" (any input file, as the corpus build reads one: `check`,
# `analyze --compare`, `tunesmith.read`). A clearance officer's 9,000-bar medley had been refused
# by `check` at co-create's 512 bars, where the README gives 10,000 for an input file.
SCOPES = {
    "cocreate": ("MAX_COCREATE_FILE_BYTES", "MAX_COCREATE_BARS", "MAX_COCREATE_NOTES"),
    "file": ("MAX_FILE_BYTES", "MAX_PIECE_BARS", "MAX_PIECE_NOTES"),
}


def load_piece(source: Piece | str | os.PathLike, *, tune: int = 1, scope: str = "cocreate") -> Piece:
    """`source` itself if it is a Piece, else tune number `tune` (1-based) of the file, read under
    `scope`'s limits (`SCOPES`). `tunesmith.inputs.InputError` (a ValueError) names the file when it
    cannot be read."""
    max_bytes, max_bars, max_notes = SCOPES[scope]
    if isinstance(source, Piece):
        check_given_piece(source)
        return source
    from tunesmith import limits
    from tunesmith.inputs import InputError, check_local_file, read_file, refuse_url

    refuse_url(source)  # a path (str or os.PathLike) first: bytes, None or a number named as such
    if isinstance(tune, bool) or not isinstance(tune, int):
        raise TypeError(f"tune must be a whole number (1 for the file's first tune), not {tune!r}")
    if not Path(os.fspath(source)).is_dir():  # (a POP909 song folder is read by read_file)
        check_local_file(source, max_bytes=max_bytes, music=True)  # type, then size, before reading
    import warnings

    from tunesmith.inputs import sniff

    path = Path(os.fspath(source))
    one_tune = not path.is_dir() and (sniff(path) == "abc" or (sniff(path) is None and path.suffix.lower() == ".abc"))
    # co-create's bar limit applies while reading: a file declaring thousands of measures is
    # refused before music21 parses it; of an ABC book only the asked tune is parsed
    tighter = limits.tighter(MAX_PIECE_BARS=limits.limit(max_bars), MAX_PIECE_NOTES=limits.limit(max_notes))
    with warnings.catch_warnings(), tighter:
        warnings.filterwarnings("ignore", message="skipped ABC tune")
        pieces = read_file(source, only=tune - 1) if one_tune and tune >= 1 else read_file(source)
    if not pieces:
        raise InputError(f"{source}: no music found in the file")
    if one_tune and tune >= 1:
        tune = 1
    if not 1 <= tune <= len(pieces):
        raise ValueError(f"{source}: the file holds {len(pieces)} tune(s); tune {tune} does not exist")
    piece = pieces[tune - 1]
    _check_written_fields(piece, source)
    # the musician's notes are never changed: one left out (outside MIDI's range) or moved by an octave
    # (outside the range co-create writes in) would be
    check_pitch_range(piece, source, dropped=piece.meta.pop("notes_out_of_range", 0),
                      first_dropped=piece.meta.pop("note_out_of_range_first", None))  # fmt: skip
    if not piece.path:
        piece.path = os.fspath(source)
    if sniff(path) == "midi":
        _check_released(piece, path, source)
        _default_key_signature(piece)
    if (piece.meta.get("key_estimated") or piece.meta.get("key_not_written")) and "key_signature_ignored" not in piece.meta:
        # no key written (a MIDI file without a key signature, an ABC tune without K:): estimated from the
        # notes as a key whose scale holds them (`estimate_key_in_scale`), the same for every format
        from tunesmith.harmony import estimate_key_in_scale

        piece.keys = [estimate_key_in_scale(piece)]
        piece.meta["key_estimated"] = True
    _end_at_last_bar_line(piece)
    with limits.tighter(MAX_PIECE_NOTES=limits.limit(max_notes)):
        limits.check_piece(piece, max_bars=max_bars)  # co-create's cost grows with the bars
    return piece


def check_given_piece(piece: Piece) -> None:
    """A Piece given to the API (`continue_`, `harmonize`, `inpaint`, `check`) within the limits a
    file given to them keeps (`tunesmith.limits`: co-create's bars and notes, the longest note,
    its tempo and meter) and valid (pitches 0..127, finite onsets): a Piece with a note of 1e9
    beats had held `continue_` for minutes and 19 GB, one of 300,000 notes had made a take of
    18,752 bars in 87 s and 6.5 GB, a pitch of 500 had been continued, and a NaN onset had failed
    as "cannot convert float NaN to integer". ValueError (LimitError) naming the piece."""
    from tunesmith import limits

    piece.validate()
    with limits.tighter(MAX_PIECE_NOTES=limits.limit("MAX_COCREATE_NOTES")):
        limits.check_piece(piece, max_bars="MAX_COCREATE_BARS")
    check_pitch_range(piece, _where(piece))


_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def _pitch_name(pitch: int) -> str:
    """'C4' for 60, 'C-1' for 0 (scientific pitch notation, as MIDI numbers it)."""
    return f"{_NAMES[pitch % 12]}{pitch // 12 - 1}"


def _bar_number(piece: Piece, beat: float) -> int:
    """The musician's number of the bar sounding at `beat` (1-based; a pickup is bar 0); bars past
    the piece's last bar line are counted on at the meter's length."""
    bars = piece.bars() or [0.0]
    while bars[-1] + piece.time_signature.bar_length <= beat + _EPS:  # the note left out may end the piece
        bars.append(bars[-1] + piece.time_signature.bar_length)
    return bisect.bisect_right(bars, beat + _EPS) - (1 if piece.pickup_beats() else 0)


def check_pitch_range(piece: Piece, where: Any, *, dropped: int = 0, first_dropped: Any = None) -> None:
    """LimitError (one line naming the file, the count and the bar of the first) for pitched notes
    outside PITCH_MIN..PITCH_MAX, and for `dropped` notes a reader left out as outside MIDI's range
    (`first_dropped`: [beat, pitch] of the first of them).

    Why the piano's A0..C8 (MIDI 21..108) and not MIDI's 0..127: it is the range the model's
    vocabulary holds (`tokenizer.PITCH_MIN`, `PITCH_MAX`) and the one compose's --range must lie in.
    A given note outside it is read by the model an octave or more away from where it sounds, and
    the take's score could not be written: MusicXML's octaves are 0..9, so MIDI 0..11 had been
    written as <octave>-1</octave>, which tunesmith's own reader (and MuseScore's) refuses."""
    from tunesmith.limits import LimitError
    from tunesmith.tokenizer import PITCH_MAX, PITCH_MIN

    outside = sorted((n.onset, n.pitch) for t in piece.tracks if not t.is_drum for n in t.notes
                     if not PITCH_MIN <= n.pitch <= PITCH_MAX)  # fmt: skip
    if dropped:
        at = ""
        if first_dropped:
            beat, pitch = first_dropped
            at = f", the first ({_pitch_name(int(pitch))}) in bar {_bar_number(piece, float(beat))}"
        raise LimitError(f"{where}: {dropped} note(s) lie outside MIDI's pitch range (C-1 to G9){at}; co-create "
                         f"reads notes from {_pitch_name(PITCH_MIN)} to {_pitch_name(PITCH_MAX)} (MIDI {PITCH_MIN} to "
                         f"{PITCH_MAX}): move them into it")  # fmt: skip
    if outside:
        beat, pitch = outside[0]
        raise LimitError(f"{where}: {len(outside)} note(s) lie outside the range co-create writes in, "
                         f"{_pitch_name(PITCH_MIN)} to {_pitch_name(PITCH_MAX)} (MIDI {PITCH_MIN} to {PITCH_MAX}), "
                         f"the first ({_pitch_name(pitch)}) in bar {_bar_number(piece, beat)}; move them into it "
                         "(an octave up or down)")  # fmt: skip


def _check_written_fields(piece: Piece, source: Any) -> None:
    """LimitError for what a file writes that co-create cannot go on from: an ABC K: field that names
    no key (K:Xyz had been read as no key and the tune continued in G major, one sharp, though it
    is plainly in C: the musician meant some key, and the take's key signature would be a guess), and
    an ABC free meter (M:none: its bars had been re-barred as 4/4 without a word; co-create writes bars
    of one meter, which the tune does not have). The corpus reads both tunes as before."""
    from tunesmith.limits import LimitError

    unread = piece.meta.get("key_field_unread")
    if unread is not None:
        raise LimitError(f"{source}: unknown key {unread!r} in its K: field; write one ABC knows, such as K:C, K:Am, "
                         "K:Dmix, or K:none for none")  # fmt: skip
    if piece.meta.get("meter_free") and not piece.time_signatures:
        raise LimitError(f"{source}: free meter (M:none); co-create writes bars of one meter: give the tune an M: "
                         "field such as M:4/4")  # fmt: skip
# beats: notes that sound past the last bar line by at most this much, with nothing starting
# there, are a release played late (a keyboard take's last chord let go after the bar line)
RELEASE_SPILL = 0.5


def _check_released(piece: Piece, path: Path, source: Any) -> None:
    """InputError for a MIDI file with a note that is never released (`inputs.midi.unreleased_notes`):
    the reader leaves it out, and the musician's notes are never changed, so it is said, as a
    note out of range is."""
    from tunesmith.inputs import InputError
    from tunesmith.inputs.midi import unreleased_notes

    stuck = unreleased_notes(path)
    if not stuck:
        return
    beat, pitch = stuck[0]
    which = f"{_pitch_name(pitch)} in bar {_bar_number(piece, beat)}"
    said = f"a note is never released ({which})" if len(stuck) == 1 else \
        f"{len(stuck)} notes are never released (the first: {which})"  # fmt: skip
    raise InputError(f"{source}: {said}: a note-on with no note-off, which cannot be read as a note; end it "
                     "in the DAW and export again")  # fmt: skip


# `_default_key_signature`: a MIDI file's lone C-major key signature is taken for a DAW's default
# (GarageBand and Logic write their project's key, C major unless set) where at least this share of
# the melody's time lies outside C major ...
OFF_DEFAULT_KEY = 0.10
# ... and the key its notes suggest (a minor key with its raised 6th and 7th) holds at least this share
KEY_FITS = 0.95


def _default_key_signature(piece: Piece) -> None:
    """A D-minor melody (B-flats, C-sharps) under a MIDI file's C-major key signature had been
    harmonized in C major (F, Bbm, C7 where the written D minor gave Dm, Gm, A7): the signature is
    read as a default (`OFF_DEFAULT_KEY`, `KEY_FITS`), the key estimated from the notes instead
    (`meta["key_estimated"]`, so --key C keeps C major) and `meta["key_signature_ignored"]` says so."""
    from tunesmith.harmony import estimate_key
    from tunesmith.tokenizer import scale_pitch_classes

    melody = piece.melody()
    if len(piece.keys) != 1 or piece.meta.get("key_estimated") or melody is None or len(melody.notes) < 8:
        return
    if (piece.keys[0].tonic, piece.keys[0].mode) != ("C", "major"):
        return
    total = sum(n.duration for n in melody.notes)

    def share(scale: frozenset[int]) -> float:
        return sum(n.duration for n in melody.notes if n.pitch % 12 in scale) / total

    outside = 1.0 - share(scale_pitch_classes(0, "major"))
    heard = estimate_key(piece)
    if outside < OFF_DEFAULT_KEY or share(scale_pitch_classes(heard.tonic_pc, heard.mode)) < KEY_FITS:
        return
    piece.meta["key_signature_ignored"] = {"written": "C major", "heard": f"{heard.tonic} {heard.mode}",
                                           "outside": round(outside, 3)}  # fmt: skip
    piece.keys = [dataclasses.replace(heard, onset=piece.keys[0].onset)]
    piece.meta["key_estimated"] = True


def _end_at_last_bar_line(piece: Piece) -> None:
    """A last bar in which nothing starts, only notes let go a little late after the bar line
    (`RELEASE_SPILL`) in music played in (`performance.is_played`: its score is written quantized,
    the release with it), is no bar: the piece ends at that bar line (`Piece.end`). A keyboard take of
    8 bars whose last chord was released 0.09 beats late had read as 9 bars: continue wrote its
    new music into the 9th after a rest, and harmonize added an empty bar. The notes are kept
    as played."""
    bars = piece.bars()
    if len(bars) < 2:
        return
    last = bars[-1]
    starts = [n.onset for t in piece.tracks for n in t.notes] + [c.onset for c in piece.chords]
    spill = piece.duration() - last
    if not starts or max(starts) >= last - _EPS or not 0 < spill <= RELEASE_SPILL + _EPS:
        return
    from tunesmith.performance import is_played

    if not is_played(piece):  # a written note held past the bar line is as long as it is written
        return
    piece.end = last
    if piece.bar_onsets:
        piece.bar_onsets = [b for b in piece.bar_onsets if b < last - _EPS]


def _where(piece: Piece) -> str:
    return piece.path or piece.piece_id or "the piece"


def _meter_of(piece: Piece) -> str:
    """The piece's single meter; ValueError for meters the tokenizer cannot write and for meter changes."""
    where = _where(piece)
    ts = piece.time_signature
    meter = f"{ts.numerator}/{ts.denominator}"
    if meter not in METERS:
        raise ValueError(f"{where}: unsupported meter {meter}; supported: {', '.join(METERS)}")
    others = sorted({str(t) for t in piece.time_signatures} - {meter})
    if others:
        raise ValueError(
            f"{where}: the meter changes ({meter} -> {', '.join(others)}); co-create works on pieces in one meter"
        )
    return meter


def _melody_track(piece: Piece, verb: str) -> Track:
    track = piece.melody()
    drums = [t for t in piece.tracks if t.is_drum and t.notes]
    if track is None and drums:
        # "empty melody" had been said of a melody recorded on channel 10, which reads as drums
        names = ", ".join(dict.fromkeys(repr(t.name) for t in drums))
        raise ValueError(f"{_where(piece)}: no melody: its only notes ({sum(len(t.notes) for t in drums)}, track {names}) "
                         "are on MIDI channel 10, which General MIDI keeps for drums; if they are a melody, move them "
                         "to another channel")  # fmt: skip
    if track is None or not track.notes:
        raise ValueError(f"{_where(piece)}: empty melody: no notes to {verb}")
    return track


def _style_of(style: str | None, piece: Piece) -> str:
    """The style asked for, else the piece's own, else chorale for a piece in soprano, alto,
    tenor and bass parts, else folk."""
    if style is None:
        if piece.style in STYLES:
            return piece.style
        return "chorale" if _voice_tracks(piece)[0] == "satb" else "folk"
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; one of {', '.join(STYLES)}")
    return style


def _key_of(
    piece: Piece, key: str | None, mode: str | None, span: tuple[float, float] | None = None
) -> tuple[str, str]:
    """(tonic spelled as a tokenizer note name, mode) from the arguments, else the piece's key
    signature (in a piece that changes key, the one in force over most of `span`, in beats: the
    bars inpainted, or the end a continuation goes on from), else the key estimated from its notes."""
    if key is None:
        from tunesmith import harmony

        # no key written: estimated from the notes, a key whose scale holds them (`estimate_key_in_scale`)
        k = (_key_over(piece, *span) if span is not None else None) or piece.key or harmony.estimate_key_in_scale(piece)
        tonic, default_mode = k.tonic, k.mode
    else:
        tonic, default_mode = key, "major"
    if mode is not None:
        m = str(mode).lower()
        m = {"ionian": "major"}.get(m, m)
        if m not in MODES:
            raise ValueError(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
    else:
        m = {"ionian": "major"}.get(str(default_mode or "major").lower(), str(default_mode or "major").lower())
        m = m if m in MODES else "major"
    try:
        tonic = spell_name(str(tonic))
    except ValueError:
        raise ValueError(f"unknown key tonic {tonic!r}; a note name such as C, F#, Bb") from None
    return tonic, m


# `minor_as_written`: how many times the given music must sing its minor key's sixth or seventh
# unraised (and never raised) for new bars to keep them so
NATURAL_MINOR_EVIDENCE = 3


def minor_as_written(piece: Piece, tonic: str, mode: str, layout: str) -> str:
    """The mode new melody bars are written in, for given music in a minor key that no one asked a
    mode of: "aeolian" where it sings its sixth or seventh unraised `NATURAL_MINOR_EVIDENCE` times
    or more and never raises either (no note, and no chord symbol's tone, on them), else `mode`.
    A minor key lets new bars raise both (melodic and harmonic minor): a fiddler's A-minor reel
    (ABC `K:Am`, its F's natural) was continued with a B strain on F-sharps that sounded in G
    major. Lead sheets only: a chorale's leading tones are its lower voices' to give. Said beside
    the take (`input_notes.note_minor_as_written`)."""
    from tunesmith.harmony import chord_pitch_classes

    if mode != "minor" or layout != "lead":
        return mode
    t = pitch_class_of(tonic)
    sung = [n.pitch % 12 for tr in piece.tracks if not tr.is_drum for n in tr.notes]
    raised = {(t + 9) % 12, (t + 11) % 12}
    for c in piece.chords:
        try:
            if chord_pitch_classes(c.figure) & raised:
                return mode
        except (ValueError, KeyError):
            continue
    if any(pc in raised for pc in sung) or sum(pc in ((t + 8) % 12, (t + 10) % 12) for pc in sung) < NATURAL_MINOR_EVIDENCE:
        return mode
    piece.meta["minor_as_written"] = f"{tonic} aeolian"
    return "aeolian"


def _key_over(piece: Piece, start: float, end: float) -> KeySignature | None:
    """The piece's key signature in force over most of [start, end) (at `start` when the span is
    empty); None when it has none. Schubert's Lindenbaum turns to E minor for bars 25-36: bars
    inpainted there had been written in its opening E major, G-sharps against the piano's G."""
    keys = sorted(piece.keys, key=lambda k: k.onset)
    if not keys:
        return None

    def in_force(t: float) -> KeySignature:
        return next((k for k in reversed(keys) if k.onset <= t + _EPS), keys[0])

    if end <= start + _EPS:
        return in_force(start)
    cuts = sorted({start, end, *(k.onset for k in keys if start + _EPS < k.onset < end - _EPS)})
    length: dict[int, float] = {}
    for a, b in zip(cuts, cuts[1:]):
        i = keys.index(in_force(a))
        length[i] = length.get(i, 0.0) + (b - a)
    return keys[max(length, key=lambda i: (length[i], -i))]


def _rhythm(chord_rhythm: str | None) -> str | None:
    """A chord rhythm for the automaton: "auto" | "bar" | "half", or None ("free": the model's own)."""
    if chord_rhythm is None or chord_rhythm == "free":
        return None
    if chord_rhythm not in CHORD_RHYTHMS:
        raise ValueError(f"chord rhythm must be one of {', '.join(CHORD_RHYTHMS)} or free, got {chord_rhythm!r}")
    return chord_rhythm


def _check_n(n: int) -> None:
    from tunesmith.limits import check_takes

    check_takes(n, "n")  # 1..MAX_TAKES


# chord proposals per bar that co-create's lookahead may score (`harmonize`, `inpaint`)
MAX_LOOKAHEAD = 32


def check_lookahead(lookahead: Any) -> int:
    """`lookahead` as a whole number in 0..MAX_LOOKAHEAD (0 or 1: off); ValueError naming it (an
    app's 'x' and -3 had been taken and written into the take's record)."""
    if isinstance(lookahead, bool) or not isinstance(lookahead, int) or not 0 <= lookahead <= MAX_LOOKAHEAD:
        raise ValueError(f"lookahead must be a whole number in 0..{MAX_LOOKAHEAD} (chord proposals per bar), "
                         f"got {lookahead!r}")  # fmt: skip
    return lookahead


def check_input(
    verb: str,
    piece: Piece,
    *,
    bars: Any = None,
    keep: Any = None,
    style: str | None = None,
    key: str | None = None,
    mode: str | None = None,
    n: int = 1,
    chord_rhythm: str | None = None,
    reprise: int | None = None,
    **controls: Any,
) -> None:
    """Every check `verb` ("continue", "harmonize", "inpaint") makes before any model work:
    ValueError naming the file and the problem (meter, empty melody, bar range, keep, style,
    key, n; `controls`: temperature, top_p, tonal_feedback, rhythm_feedback, cadence, checked as
    a compose request checks them). The CLI calls it before it loads the model."""
    if verb not in ("continue", "harmonize", "inpaint"):
        raise ValueError(f"unknown co-create operation {verb!r}")
    ComposeRequest(style="folk", key="C", **{k: v for k, v in controls.items() if v is not None})
    meter = _meter_of(piece)
    _melody_track(piece, verb)
    _check_n(n)
    _style_of(style, piece)
    _key_of(piece, key, mode)
    _grid(piece, meter)  # the bar lines cover the music
    if verb == "continue":
        if bars is not None and (isinstance(bars, bool) or not isinstance(bars, int) or not 1 <= bars <= MAX_REQUEST_BARS):
            raise ValueError(f"bars must be an integer in 1..{MAX_REQUEST_BARS}, got {bars!r}")
        grid = _grid(piece, meter).extended(bars or 1)
        if reprise is not None and bars is not None:  # None: the style's default, which always fits
            _check_reprise(reprise, bars, grid, grid.n - bars)
    elif verb == "harmonize":
        _rhythm(chord_rhythm)
    else:
        _rhythm(chord_rhythm)
        grid = _grid(piece, meter)
        _region_of(piece, grid, bars)
        layout, _ = _voice_tracks(piece)
        kept, keep_chords = _parse_keep(keep, layout)
        if set(LAYOUTS[layout]) <= kept and keep_chords:
            raise ValueError("keep: every part is kept; nothing to regenerate")


# ============================================================================ the bar grid
@dataclass
class _Grid:
    """Bars as the tokenizer counts them: `starts` in beats (a pickup is bar 0, starting at 0)."""

    starts: list[float]
    pickup: int  # ticks of bar 0 before the music starts (0: no pickup)
    L: int  # ticks per bar
    meter: str
    end: float | None = None  # where the last bar ends when it is short (a tune that began with a pickup)

    @property
    def n(self) -> int:
        return len(self.starts)

    @property
    def first_full(self) -> int:
        """Index of the first full bar (1 after a pickup, else 0)."""
        return 1 if self.pickup else 0

    def end_of(self, i: int) -> float:
        if i + 1 < len(self.starts):
            return self.starts[i + 1]
        return self.end if self.end is not None else self.full_end_of(i)

    def tick(self, c0: int, beats: float, *, end: bool = False, up: bool = False) -> int:
        """A time (beats) as ticks from bar c0's line, counted as the decoding automaton counts
        them: every bar `L` ticks, a short bar's music from its line, bar 0's after its pickup.
        `end`: the time ends a note (on a bar line: the end of the bar before). A linear count
        from bar c0 had put every note after a short bar mid-piece (a chorale's repeat, 3 + 1
        beats) out of place, for the voice-leading rules and the fermatas. `up`: a time between
        ticks rounds up, not to the nearest (where new music may begin after the given notes: given
        music ending 4/9 of a beat in, inside a 9-tuplet, had begun the new notes at 5/12, inside it)."""
        g = max(bisect.bisect_right(self.starts, beats - _EPS if end else beats + _EPS) - 1, 0)
        ticks = (beats - self.starts[g]) * TICKS_PER_BEAT
        ticks = math.ceil(ticks - _EPS * TICKS_PER_BEAT) if up else round(ticks)
        return (g - c0) * self.L + ticks + (self.pickup if g == 0 else 0)

    def full_end_of(self, i: int) -> float:
        """Where bar i would end at the meter's length (a short last bar's full length)."""
        return self.starts[i] + (self.L - (self.pickup if i == 0 else 0)) / TICKS_PER_BEAT

    def number(self, i: int) -> int:
        """The musician's number of bar index i (1-based; a pickup is bar 0)."""
        return i if self.pickup else i + 1

    def index(self, number: int) -> int:
        return number if self.pickup else number - 1

    def extended(self, bars: int) -> _Grid:
        end = self.full_end_of(self.n - 1)  # a short last bar is filled: new bars start on the meter
        step = self.L / TICKS_PER_BEAT
        return _Grid([*self.starts, *(end + i * step for i in range(bars))], self.pickup, self.L, self.meter)


def held_over_the_last_bars(piece: Piece, melody: Track) -> tuple[Piece, list[Note]] | None:
    """Where the melody's last note is struck in an earlier bar and tied over the bar line(s) to the
    end (a hymn's final note held into a short last bar: Greensleeves' A6- | A4 |]): the piece cut at
    the first bar line after that strike, and the melody's notes with the last one ending there.
    A chorale's close is written in its last bar, with the soprano's last note: over the held note's
    own bar the lower voices had run on under it and ended on a six-four or a bare fifth (6 of 6
    harmonizations of a minor hymn; a choir director's trial, session 51). None where the last note
    is struck in the last bar."""
    notes = sorted(melody.notes, key=lambda x: x.onset)
    last = notes[-1]
    cut = next((b for b in piece.bars() if b > last.onset + _EPS), None)
    if cut is None or cut >= last.onset + last.duration - _EPS:
        return None
    kept = [*notes[:-1], dataclasses.replace(last, duration=cut - last.onset)]
    bars = [b for b in piece.bar_onsets if b < cut - _EPS]
    only = dataclasses.replace(melody, notes=kept)
    return dataclasses.replace(piece, tracks=[only], chords=[], end=cut, bar_onsets=bars), kept


def _grid(piece: Piece, meter: str) -> _Grid:
    L = meter_ticks(meter)
    starts = list(piece.bars())
    if starts and starts[0] > _EPS:
        starts = [0.0, *starts]
    ticks = [round(s * TICKS_PER_BEAT) for s in starts]
    pickup = 0
    if len(ticks) >= 2 and 0 < ticks[1] - ticks[0] < L:
        pickup = L - (ticks[1] - ticks[0])
    grid = _Grid(starts, pickup, L, meter)
    if starts:
        last_end = piece.duration()
        if starts[-1] + _EPS < last_end < grid.full_end_of(grid.n - 1) - _EPS:
            grid.end = last_end  # the last bar is short (ends short by a pickup, as tunes are written)
    if starts:  # a file whose bar lines stop short of its music (a bar longer than the meter)
        last = max((n.onset for t in piece.tracks for n in t.notes), default=0.0)
        if last > grid.end_of(grid.n - 1) - _EPS:
            raise ValueError(
                f"{_where(piece)}: its bar lines do not match its {meter} meter (bar {grid.number(grid.n - 1)} "
                f"would run from beat {starts[-1]:g} to the last note at beat {last:g}); co-create needs bars of the meter"
            )
    return grid


def parse_bar_range(bars: str | Sequence[int] | int) -> tuple[int, int]:
    """'5-8' / (5, 8) / 5 -> (5, 8): the musician's bar numbers, first and last inclusive."""
    if isinstance(bars, str):
        text = bars.replace(" ", "").replace("..", "-").replace(":", "-")
        parts = text.split("-")
        try:
            nums = [int(p) for p in parts]
        except ValueError:
            raise ValueError(f"bar range {bars!r}: use FIRST-LAST, e.g. 5-8") from None
        if len(nums) == 1:
            nums = nums * 2
        if len(nums) != 2:
            raise ValueError(f"bar range {bars!r}: use FIRST-LAST, e.g. 5-8")
        a, b = nums
    elif isinstance(bars, int) and not isinstance(bars, bool):
        a = b = bars
    else:
        try:
            a, b = (int(x) for x in bars)
        except (TypeError, ValueError):
            raise ValueError(f"bar range {bars!r}: give (first, last), e.g. (5, 8)") from None
    if a > b:
        raise ValueError(f"bar range {a}-{b}: the first bar must not come after the last (e.g. {b}-{a})")
    return a, b


def _region_of(piece: Piece, grid: _Grid, bars: Any) -> tuple[int, int]:
    a, b = parse_bar_range(bars)
    lo, hi = grid.number(0), grid.number(grid.n - 1)
    if a < lo or b > hi:
        first_outside = a if a < lo else max(a, hi + 1)  # name the bar that is missing, not the range
        from tunesmith.inputs import played_repeat_labels

        labels = played_repeat_labels(piece)
        # a score with repeat signs is read as played: its bar numbers are not the score's measures
        said = f"{lo}-{hi} as played (its repeats written out: {' '.join(labels)})" if labels else f"{lo}-{hi}"
        raise ValueError(f"{_where(piece)}: bar {first_outside} of {a}-{b} is outside the piece, which has bars {said}")
    return grid.index(a), grid.index(b) + 1


# ============================================================================ voices
def _voice_tracks(piece: Piece) -> tuple[str, dict[str, Track]]:
    """(layout, {voice letter: track}) the way the tokenizer reads the piece: 'satb' when two or
    more tracks have SATB roles, else 'lead' with the melody."""
    found: dict[str, Track] = {}
    for t in piece.tracks:
        if t.role in _SATB_ROLE and not t.is_drum:
            found.setdefault(_SATB_ROLE[t.role], t)
    if len(found) >= 2:
        top = piece.track("melody")
        if "S" not in found and top is not None and not top.is_drum:
            # the top voice under another name (Monteverdi's Canto over Alto, Tenor, Basso, read as
            # the melody) is the soprano: a continuation had added a new Soprano part beside it
            # and left the Canto silent
            found["S"] = top
        return "satb", found
    melody = piece.melody()
    return "lead", ({"M": melody} if melody is not None else {})


def chords_from_tracks(piece: Piece) -> tuple[Piece, dict | None]:
    """A lead sheet with no chord symbols whose chords are played on other tracks (a MIDI file's
    piano or guitar part): (a copy of the piece with chord symbols read from those tracks'
    notes, {"tracks": their names, "chords": how many}), by `harmony.chords_from_notes`;
    else (the piece, None). The tracks themselves are kept as they are. Why: a songwriter's MIDI
    lead sheet carries its chords as notes, and co-create went on with no chords at all."""
    import copy

    if piece.chords:
        return piece, None
    layout, voices = _voice_tracks(piece)
    melody = voices.get("M")
    others = [t for t in piece.tracks if t is not melody and not t.is_drum and t.notes]
    if layout != "lead" or melody is None or not others:
        return piece, None
    from tunesmith.harmony import chords_from_notes

    chords = chords_from_notes([n for t in others for n in t.notes], piece)
    if not chords:
        return piece, None
    out = copy.copy(piece)
    out.chords = chords
    # a piano's two staves are two tracks of one name: named once ("Piano", not "Piano, Piano")
    return out, {"tracks": list(dict.fromkeys(t.name for t in others)), "chords": len(chords)}


def _parse_keep(keep: Any, layout: str) -> tuple[frozenset[str], bool]:
    """(kept voice letters, chords kept) from keep=None | "melody" | "soprano,bass" | [roles]."""
    if keep is None:
        return frozenset(), False
    if not isinstance(keep, str) and not isinstance(keep, list | tuple | set | frozenset):
        raise TypeError(f"keep must be part names ('melody', 'soprano,bass' or a list of them), not {keep!r}")
    items = keep.replace(",", " ").split() if isinstance(keep, str) else list(keep)
    voices: set[str] = set()
    chords = False
    for item in items:
        role = str(item).strip().lower()
        if role not in KEEPABLE:
            raise ValueError(f"keep: unknown part {item!r}; one of {', '.join(KEEPABLE)}")
        if role == "chords":
            chords = True
        elif role == "melody":
            voices.add(LAYOUTS[layout][0])
        elif layout == "lead":
            if role != "soprano":
                raise ValueError(f"keep: the piece is a lead sheet (melody and chords); it has no {role} voice")
            voices.add("M")
        else:
            voices.add(_SATB_ROLE[role])
    return frozenset(voices), chords


# ============================================================================ the work piece
def _check_reprise(reprise: Any, bars: int, grid: _Grid, n_given: int) -> int:
    """The grid index of the first full given bar (a reprise starts there); ValueError when
    `reprise` is not a whole number of bars that the given music holds and the new bars exceed."""
    first = grid.first_full
    full = n_given - first
    if isinstance(reprise, bool) or not isinstance(reprise, int) or reprise < 0:
        raise ValueError(f"reprise must be a whole number of bars, 0 or more, got {reprise!r}")
    if reprise and not reprise < bars:
        raise ValueError(f"reprise: {reprise} bars restated leave none of the {bars} new bars to write; ask for fewer")
    if reprise > full:
        raise ValueError(f"reprise: the given music has {full} full bar(s), {reprise} asked")
    return first


def _work_piece(
    src: Piece,
    grid: _Grid,
    layout: str,
    notes: dict[str, list[Note]],
    chords: list[ChordSymbol],
    style: str,
    tonic: str,
    mode: str,
    told_tempo: float | None = None,
) -> Piece:
    """What is known, on the final bar grid, in the tokenizer's canonical voices. Its key and
    tempo are what the model is told: a church mode's family (`sampling.header_mode`; the
    automaton holds the music to the mode itself) and `told_tempo` (`sampling.header_tempo`,
    else the piece's). The result is written in the piece's own key and tempo."""
    from tunesmith.sampling.request import header_mode

    num, den = (int(x) for x in grid.meter.split("/"))
    tracks = [
        Track(VOICE_NAMES[v], VOICE_ROLES[v], notes=sorted(notes.get(v, []), key=lambda x: (x.onset, x.pitch)))
        for v in LAYOUTS[layout]
    ]
    return Piece(
        piece_id=src.piece_id or "cocreate",
        work_id=src.work_id or "cocreate",
        title=src.title,
        style=style,
        tracks=tracks,
        chords=sorted(chords, key=lambda c: c.onset),
        keys=[KeySignature(0.0, tonic, header_mode(mode))],
        time_signatures=[TimeSignature(0.0, num, den)],
        tempos=[Tempo(0.0, min(MAX_TEMPO, max(MIN_TEMPO, src.tempo if told_tempo is None else told_tempo)))],
        bar_onsets=list(grid.starts),
        end=grid.end_of(grid.n - 1),
        fermatas=list(src.fermatas),  # on the musician's notes, which keep their times
    )
