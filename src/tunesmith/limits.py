"""What tunesmith accepts: the limits every file and model must keep, checked before the work.

One input boundary for every path a file or a model enters: the CLI (compose --model,
continue / harmonize / inpaint), the Python API (`inputs.read_file`, `cocreate.load_piece`,
`pretrained.load`), WAV and SVG rendering, and the corpus build's workers. Each limit is a
named constant below; each check raises `LimitError` (a ValueError) whose message is one line,
"<file>: <problem> (limit <value>)", before anything expensive runs (music21, the
synthesizer, allocating a model). The README's "Limits" section lists the same numbers.

A limit can be changed for one run with the environment variable `TUNESMITH_LIMIT_<NAME>`
(e.g. `TUNESMITH_LIMIT_MAX_FILE_BYTES=1000000`); `limit(name)` reads it. Tests use that to
try small limits on small files.

Why these numbers: each bounds the time or memory a hostile file could otherwise claim.
- a meter field of `M:1000000/1` or `<beats>99999</beats>` makes music21 subdivide the bar
  for minutes; a key of `<fifths>99999999999</fifths>` builds a scale of that many fifths;
- a note of length 65536 (ABC) or a MIDI file with 2 ticks per beat makes a piece hours long,
  and the synthesizer allocates every sample of it at once (6 GB, then SIGABRT);
- a 6 MB .mxl can unpack to gigabytes; a deeply nested XML file overflows the recursion of
  the XML writer;
- a model header can claim a billion layers, and numpy allocates for them before any check.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import math
import os
import re
import struct
from pathlib import Path
from typing import Any

MiB = 1024 * 1024

DEFAULTS: dict[str, float] = {
    # ---- files
    "MAX_FILE_BYTES": 32 * MiB,  # any input file (the corpus build's per-file limit)
    "MAX_COCREATE_FILE_BYTES": 4 * MiB,  # a file given to continue / harmonize / inpaint
    "MAX_WAV_BYTES": 1024 * MiB,  # a WAV whose provenance is read (streamed: its chunks, then the C2PA hash)
    "MAX_MXL_UNCOMPRESSED_BYTES": 64 * MiB,  # all members of a .mxl archive, unpacked
    "MAX_MXL_RATIO": 200,  # unpacked / packed size of one .mxl member (zip bombs)
    "MAX_XML_DEPTH": 64,  # element nesting of a MusicXML file (real scores: about 10)
    "MAX_ABC_TUNE_BYTES": 2 * MiB,  # one tune of an ABC file
    "MAX_FILE_SECONDS": 300,  # corpus build: the most one file may take (its timeout grows with size up to this)
    "MAX_FOLDER_ENTRIES": 500_000,  # files and folders walked under a folder given to check --against or corpus add
    # ---- musical extent a file may declare
    "MAX_METER_NUMERATOR": 64,  # beats in a bar (M:64/8 is the most a real tune uses)
    "MAX_METER_DENOMINATOR": 64,  # and a power of two
    "MAX_KEY_FIFTHS": 14,  # sharps or flats of a key signature (7 in practice)
    "MAX_NOTE_BEATS": 256,  # one note's duration, in quarter-note beats (64 bars of 4/4)
    "MAX_PIECE_BEATS": 40_000,  # a piece's end, in quarter-note beats
    "MAX_PIECE_SECONDS": 4 * 3600,  # a piece's end, in seconds at its tempo
    "MAX_PIECE_NOTES": 200_000,  # notes in one piece
    "MAX_PIECE_BARS": 10_000,  # bars in one piece
    "MAX_REPEAT_TIMES": 32,  # how many times a MusicXML repeat says its bars are played (times="...")
    "MIN_TEMPO_QPM": 1,  # a tempo mark, in quarter notes a minute (ABC Q:, MusicXML, MIDI)
    "MAX_TEMPO_QPM": 2_000,  # (faster rounds to 0 microseconds a beat in MIDI)
    "MAX_TRACKS": 256,  # tracks / parts / voices of one piece
    "MAX_COCREATE_BARS": 512,  # bars of the piece given to continue / harmonize / inpaint
    "MAX_COCREATE_NOTES": 20_000,  # notes of that piece (512 bars of dense four-part writing)
    "MAX_NAME_CHARS": 256,  # a title, part name or other text field kept from a file (longer: cut)
    "MIN_TICKS_PER_BEAT": 1,  # MIDI division (ticks per quarter note)
    "MAX_TICKS_PER_BEAT": 32_767,
    # MusicXML <divisions> of a quarter: music21 writes 10,080, times 11 and 13 for such tuplets
    # (tunesmith's own scores with 11- or 13-tuplets had been refused by its own reader)
    "MAX_DIVISIONS": 10_080 * 11 * 13,
    # ---- rendering
    "MAX_RENDER_SECONDS": 20 * 60,  # WAV rendering: the MIDI's length played (48 kHz stereo)
    # ---- requests
    "MAX_TAKES": 64,  # --n
    # ---- models
    "MAX_MODEL_BYTES": 512 * MiB,  # model.safetensors
    "MAX_MODEL_HEADER_BYTES": 16 * MiB,  # its JSON header
    "MAX_N_LAYER": 64,
    "MAX_N_HEAD": 64,
    "MAX_N_EMBD": 4096,
    "MAX_VOCAB_SIZE": 65_536,
    "MAX_BLOCK_SIZE": 16_384,
    "MAX_MODEL_PARAMS": 128_000_000,  # parameters the config implies
    "MAX_KV_CACHE_BYTES": 512 * MiB,  # decoder cache of one sequence (float32 K and V)
}

ENV_PREFIX = "TUNESMITH_LIMIT_"


class LimitError(ValueError):
    """A file, model or request beyond what tunesmith accepts; the message is one line."""


_OVERRIDES: contextvars.ContextVar[dict[str, float] | None] = contextvars.ContextVar("tunesmith_limit_overrides",
                                                                                      default=None)


@contextlib.contextmanager
def tighter(**names: float):
    """Within the block, each named limit is at most the value given (never looser than the
    environment's or the default): co-create reads a file under `MAX_PIECE_BARS` no larger than
    `MAX_COCREATE_BARS`, so a file declaring thousands of measures is refused before music21."""
    current = dict(_OVERRIDES.get() or {})
    for name, value in names.items():
        current[name] = min(value, current.get(name, value))
    token = _OVERRIDES.set(current)
    try:
        yield
    finally:
        _OVERRIDES.reset(token)


def limit(name: str) -> float:
    """The limit `name` (see DEFAULTS), or `$TUNESMITH_LIMIT_<name>` when that is set (a
    `tighter` block can only lower it)."""
    value = _limit(name)
    scoped = (_OVERRIDES.get() or {}).get(name)
    return value if scoped is None else min(value, scoped)


def _limit(name: str) -> float:
    default = DEFAULTS[name]
    text = os.environ.get(ENV_PREFIX + name)
    if text:
        try:
            value = float(text)
        except ValueError:
            raise LimitError(f"${ENV_PREFIX}{name}={text!r} is not a number") from None
        return int(value) if float(value).is_integer() else value
    return default


def _fmt(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def check_at_most(where: str, what: str, value: float, name: str) -> None:
    """LimitError '<where>: <what> <value> is over the limit of <limit>' when value > limit(name)."""
    cap = limit(name)
    if not (value <= cap):  # also refuses NaN
        shown = _fmt(value) if isinstance(value, (int, float)) and math.isfinite(value) else repr(value)
        raise LimitError(f"{where}: {what} {shown} is over the limit of {_fmt(cap)}")


# ============================================================================ files
def check_file_size(path: str | os.PathLike, size: int, name: str = "MAX_FILE_BYTES") -> None:
    """Before reading: the file's size in bytes, against limit `name`."""
    if size > limit(name):
        raise LimitError(f"{os.fspath(path)}: file too large ({size:,} bytes; the limit is {_fmt(limit(name))})")


def check_meter(where: str, numerator: Any, denominator: Any) -> None:
    """A time signature's numbers: positive, numerator <= MAX_METER_NUMERATOR, denominator a
    power of two <= MAX_METER_DENOMINATOR."""
    try:
        num, den = int(numerator), int(denominator)
    except (TypeError, ValueError, OverflowError):
        raise LimitError(f"{where}: meter {numerator}/{denominator} is not a time signature") from None
    if num < 1 or den < 1 or den & (den - 1):
        raise LimitError(f"{where}: meter {num}/{den} is not a time signature")
    if num > limit("MAX_METER_NUMERATOR") or den > limit("MAX_METER_DENOMINATOR"):
        raise LimitError(
            f"{where}: meter {num}/{den} is too large (at most {_fmt(limit('MAX_METER_NUMERATOR'))} beats, "
            f"denominator at most {_fmt(limit('MAX_METER_DENOMINATOR'))})"
        )


def check_key_fifths(where: str, fifths: Any) -> None:
    """A key signature's sharps (+) or flats (-)."""
    try:
        value = int(str(fifths).strip())
    except (TypeError, ValueError):
        raise LimitError(f"{where}: key signature fifths {str(fifths)[:20]!r} is not a number") from None
    if abs(value) > limit("MAX_KEY_FIFTHS"):
        raise LimitError(
            f"{where}: key signature of {str(fifths).strip()[:20]} fifths is over the limit of "
            f"{_fmt(limit('MAX_KEY_FIFTHS'))} sharps or flats"
        )


# ---------------------------------------------------------------------------- ABC
_ABC_FIELD = re.compile(r"^([ML]):(.*)$|\[([ML]):([^\]]*)\]", re.M)
_ABC_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)")
# a note (with accidentals and octave marks) or rest, then its length: digits and slashes
_ABC_NOTE_LENGTH = re.compile(r"(?:[_^=]*[A-Ga-g][,']*|[zx])(\d+)(?:/(\d*))?")
_ABC_NOTE_LETTER = re.compile(r"[A-Ga-g]")


def check_abc_tune(where: str, text: str) -> None:
    """One ABC tune's text before music21 tokenizes it: its size, every meter (M:) and unit
    note length (L:) field, and every note length (the longest a note may be written)."""
    size = len(text.encode("utf-8", "surrogatepass")) if not text.isascii() else len(text)
    if size > limit("MAX_ABC_TUNE_BYTES"):
        raise LimitError(f"{where}: tune of {size:,} bytes is over the limit of {_fmt(limit('MAX_ABC_TUNE_BYTES'))}")
    unit = 0.125 * 4  # L:1/8 in beats (0.5)
    for m in _ABC_FIELD.finditer(text):
        tag = m.group(1) or m.group(3)
        value = (m.group(2) if m.group(1) else m.group(4)) or ""
        if "%" in value:
            value = value[: value.index("%")]
        frac = _ABC_FRACTION.match(value)
        if tag == "M":
            if frac:
                check_meter(where, frac.group(1), frac.group(2))
            else:
                # M:C, M:C|, M:none, or compound (2+3)/8: the digits still must be small
                for number in re.findall(r"\d+", value):
                    if int(number) > max(limit("MAX_METER_NUMERATOR"), limit("MAX_METER_DENOMINATOR")):
                        raise LimitError(f"{where}: meter M:{value.strip()[:30]} is too large")
        elif frac:
            num, den = int(frac.group(1)), int(frac.group(2))
            if num < 1 or den < 1 or num > 64 or den > 512:
                raise LimitError(f"{where}: unit note length L:{num}/{den} is out of range")
            unit = max(unit, 4.0 * num / den)
    longest = limit("MAX_NOTE_BEATS")
    body = _abc_music_lines(text)
    # bar lines written (repeats only add bars): a tune of thousands of bars is refused before
    # music21 spends minutes on it ("|", "||", "|:", ":|", "::" and "|]" each count once)
    written = len(re.findall(r"::|:*\|+[:\]]*", body))
    cap = limit("MAX_PIECE_BARS")
    if written > cap * 1.25 + 8:
        raise LimitError(f"{where}: {written:,} bar lines written, over the limit of {_fmt(cap)} bars")
    # notes written (each letter of a note or a chord's pitch; an upper bound): a 1.5 MB tune of one
    # line of notes had kept music21 busy for 30 s and 1.3 GB before the piece's note limit refused it
    notes = len(_ABC_NOTE_LETTER.findall(body))
    cap = limit("MAX_PIECE_NOTES")
    if notes > cap * 1.25 + 8:
        raise LimitError(f"{where}: {notes:,} notes written, over the limit of {_fmt(cap)} notes")
    # a length of slashes halves the unit note at each ("D///": a 64th of a unit of 1/8): ten
    # thousand had failed music21 as "invalid literal for int() with base 10: ''"
    slashes = max((len(s) for s in re.findall(r"/{2,}", body)), default=0)
    if slashes > 6:
        raise LimitError(f"{where}: a note length of {slashes:,} slashes (1/{2 ** min(slashes, 64):,} of the unit note) "
                         "is under the shortest tunesmith reads (6: 1/64)")
    for m in _ABC_NOTE_LENGTH.finditer(body):
        digits = m.group(1)
        if len(digits) > 7:
            raise LimitError(f"{where}: note length {digits[:12]}... is over the limit")
        if int(digits) * unit > longest:
            raise LimitError(
                f"{where}: a note of length {digits} ({int(digits) * unit:g} beats) is over the limit of "
                f"{_fmt(longest)} beats"
            )


def _abc_music_lines(text: str) -> str:
    """The tune's music lines: no field lines, comments or quoted strings (chord names, annotations)."""
    lines = []
    for line in text.split("\n"):
        if len(line) > 1 and line[1] == ":" and line[0].isalpha():
            continue
        if "%" in line:
            line = line[: line.index("%")]
        lines.append(re.sub(r'"[^"]*"|![^!]*!|\+[^+\s]*\+', " ", line))
    return "\n".join(lines)


# ---------------------------------------------------------------------------- MusicXML
def check_mxl_archive(where: str, zf) -> None:
    """A .mxl (zipfile.ZipFile) before any member is read: the unpacked size of all members,
    the packing ratio of each (zip bombs) and supported compression methods."""
    import zipfile

    total = 0
    for info in zf.infolist():
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise LimitError(f"{where}: .mxl member {info.filename!r} uses an unsupported compression "
                             f"(method {info.compress_type}); only stored and deflated are read")
        if info.flag_bits & 0x1:
            raise LimitError(f"{where}: .mxl member {info.filename!r} is encrypted")
        total += info.file_size
        if info.file_size > 1 * MiB and info.file_size > limit("MAX_MXL_RATIO") * max(1, info.compress_size):
            raise LimitError(
                f"{where}: .mxl member {info.filename!r} unpacks {info.compress_size:,} bytes to {info.file_size:,} "
                f"(a ratio over {_fmt(limit('MAX_MXL_RATIO'))}: a zip bomb?)"
            )
    if total > limit("MAX_MXL_UNCOMPRESSED_BYTES"):
        raise LimitError(
            f"{where}: .mxl unpacks to {total:,} bytes, over the limit of {_fmt(limit('MAX_MXL_UNCOMPRESSED_BYTES'))}"
        )


def xml_depth(root) -> int:
    """Deepest element nesting of an ElementTree element (iterative: no recursion)."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in el)
    return deepest


def _played_size(where: str, measures: list) -> tuple[int, int]:
    """(measures, notes) of one MusicXML part as played: each backward repeat plays the measures
    since the last forward repeat (or the last backward one, or the start) `times` times in all
    (2 unless it says). An upper bound for nested repeats; a `times` that is no number or over
    MAX_REPEAT_TIMES is refused (times="1000000" had kept music21 expanding for minutes, GBs)."""
    bars = notes = 0
    start_bars = start_notes = 0  # the played counts where the current repeat began
    for m in measures:
        if any(r.get("direction") == "forward" for r in m.iter("repeat")):
            start_bars, start_notes = bars, notes
        bars += 1
        notes += sum(1 for _ in m.iter("note"))
        for r in m.iter("repeat"):
            if r.get("direction") != "backward":
                continue
            text = (r.get("times") or "2").strip()
            if not text.isdigit():
                raise LimitError(f"{where}: a repeat is to be played times={text[:20]!r}, not a whole number")
            times = int(text) if len(text) <= 30 else 10**30  # (the limit is far under either)
            if times < 1:  # music21 would drop the repeat without a word
                raise LimitError(f"{where}: a repeat is to be played times={text!r}: a repeat is played at least once")
            check_at_most(where, "times a repeat is played", times, "MAX_REPEAT_TIMES")
            span_bars, span_notes = bars - start_bars, notes - start_notes
            bars += span_bars * max(0, times - 1)
            notes += span_notes * max(0, times - 1)
            start_bars, start_notes = bars, notes
    return bars, notes


def check_musicxml_tree(where: str, root) -> None:
    """A parsed MusicXML tree before music21 reads it: nesting depth, key signatures
    (<fifths>), time signatures (<beats>/<beat-type>), <divisions>, <duration>s, measures,
    notes and parts, each against its limit."""
    depth_cap = int(limit("MAX_XML_DEPTH"))
    deepest = 0
    stack = [(root, 1)]
    notes = 0
    while stack:
        el, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > depth_cap:
                raise LimitError(f"{where}: XML nested {deepest} elements deep, over the limit of {depth_cap}")
        stack.extend((child, depth + 1) for child in el)
        if el.tag == "note":
            notes += 1
    check_at_most(where, "number of notes", notes, "MAX_PIECE_NOTES")
    parts = len(root.findall("part"))
    check_at_most(where, "number of parts", parts, "MAX_TRACKS")
    measures = max((len(p.findall("measure")) for p in root.findall("part")), default=0)
    check_at_most(where, "number of measures", measures, "MAX_PIECE_BARS")
    for part in root.findall("part"):  # the measures and notes as played, repeats expanded, before music21 expands them
        played_bars, played_notes = _played_size(where, part.findall("measure"))
        check_at_most(where, "number of measures as played (its repeats expanded)", played_bars, "MAX_PIECE_BARS")
        check_at_most(where, "number of notes as played (its repeats expanded)", played_notes, "MAX_PIECE_NOTES")
    for el in root.iter("fifths"):
        check_key_fifths(where, el.text)
    for time in root.iter("time"):
        beats = [(b.text or "").strip() for b in time.findall("beats")]
        types = [(t.text or "").strip() for t in time.findall("beat-type")]
        for b, t in zip(beats, types):
            # compound beats "3+2": each number, and their sum
            parts_b = [x for x in re.split(r"[+\s]+", b) if x] or ["0"]
            try:
                total = sum(int(x) for x in parts_b)
            except ValueError:
                raise LimitError(f"{where}: time signature {b[:20]}/{t[:20]} is not a number") from None
            check_meter(where, total, t)
    # an alteration in semitones (a note's, a key's, a chord symbol's root, bass or degree): a <root-alter>
    # of 100000000 had been spelled as that many sharps (a minute and 660 MB before the take), an
    # infinite one had failed as "OverflowError: cannot convert float infinity to integer"
    for tag in ("alter", "key-alter", "root-alter", "bass-alter", "degree-alter"):
        for el in root.iter(tag):
            text = (el.text or "").strip()
            try:
                value = float(text)
            except ValueError:
                continue  # no number: read past, as before
            if not (math.isfinite(value) and abs(value) <= 3):
                raise LimitError(f"{where}: <{tag}> {text[:20]} is out of range (-3..3 semitones)")
    # a tuplet of 0 notes in the time of 2 (<actual-notes>0) had failed as "ZeroDivisionError"
    for tag in ("actual-notes", "normal-notes"):
        for el in root.iter(tag):
            text = (el.text or "").strip()
            if text and not (text.isdigit() and int(text) > 0):
                raise LimitError(f"{where}: <{tag}> {text[:20]} is not a positive whole number of notes")
    for el in root.iter("divisions"):
        try:
            value = float((el.text or "").strip())
        except ValueError:
            raise LimitError(f"{where}: <divisions> {str(el.text)[:20]!r} is not a number") from None
        # (a tenth of a millionth had failed in music21 as "ZeroDivisionError: float division by zero")
        if not 1 <= value <= limit("MAX_DIVISIONS"):
            raise LimitError(f"{where}: <divisions> {str(el.text).strip()[:20]} is out of range "
                             f"(1..{_fmt(limit('MAX_DIVISIONS'))})")
    # a <duration> is in divisions; divisions >= 1, so its value bounds the beats from above
    longest = limit("MAX_NOTE_BEATS") * limit("MAX_DIVISIONS")
    for el in root.iter("duration"):
        try:
            value = float((el.text or "").strip())
        except ValueError:
            raise LimitError(f"{where}: <duration> {str(el.text)[:20]!r} is not a number") from None
        if not math.isfinite(value) or abs(value) > longest:
            raise LimitError(f"{where}: <duration> {str(el.text).strip()[:20]} is out of range")
    _check_musicxml_values(where, root)


# What music21 had refused in its own words ("ZeroDivisionError", "PitchException: Cannot make a
# step out of 'H'", "cannot convert float NaN to integer") or read as no notes (<octave>99).
TRANSPOSE_RANGES = {"chromatic": 24, "diatonic": 14, "octave-change": 4}


def _number(where: str, tag: str, text: str | None) -> float:
    try:
        value = float((text or "").strip())
    except ValueError:
        raise LimitError(f"{where}: <{tag}> {str(text).strip()[:20]!r} is not a number") from None
    if not math.isfinite(value):
        raise LimitError(f"{where}: <{tag}> {str(text).strip()[:20]} is not a number")
    return value


def _check_musicxml_values(where: str, root) -> None:
    """Each note's length, pitch name and octave, each tempo mark and each transposition, in one
    walk of the tree."""
    for el in root.iter():
        tag = el.tag
        if tag == "note":
            duration = el.find("duration")
            if duration is not None and el.find("grace") is None and _number(where, "duration", duration.text) <= 0:
                raise LimitError(f"{where}: a note's <duration> is {duration.text.strip()[:20]}; a note lasts a positive "
                                 "number of divisions (a grace note says <grace/>)")  # fmt: skip
        elif tag in ("backup", "forward"):
            duration = el.find("duration")
            if duration is not None and _number(where, "duration", duration.text) < 0:
                raise LimitError(f"{where}: a <{tag}> of {duration.text.strip()[:20]} divisions; it moves by a length, "
                                 "which is not negative")  # fmt: skip
        elif tag == "step":
            if (el.text or "").strip() not in tuple("ABCDEFG"):
                raise LimitError(f"{where}: <step> {str(el.text).strip()[:20]!r} is not a note name (A to G)")
        elif tag == "octave":
            if not 0 <= _number(where, "octave", el.text) <= 9:
                raise LimitError(f"{where}: <octave> {str(el.text).strip()[:20]} is out of range (0..9)")
        elif tag == "sound" and el.get("tempo") is not None:
            qpm = _number(where, "sound tempo", el.get("tempo"))
            if not 0 <= qpm <= limit("MAX_TEMPO_QPM"):  # 0 is no tempo (music21 reads past it)
                raise LimitError(f"{where}: tempo of {qpm:g} quarter notes a minute is out of range "
                                 f"({_fmt(limit('MIN_TEMPO_QPM'))}..{_fmt(limit('MAX_TEMPO_QPM'))})")
        elif tag == "transpose":
            for name, most in TRANSPOSE_RANGES.items():
                part = el.find(name)
                if part is not None and abs(_number(where, name, part.text)) > most:
                    raise LimitError(f"{where}: <transpose> <{name}> {part.text.strip()[:20]} is out of range "
                                     f"(-{most}..{most})")


# ---------------------------------------------------------------------------- MIDI
def check_midi_score(where: str, score) -> None:
    """A symusic Score (ticks) before it becomes a Piece: division, tracks, notes, length."""
    tpq = int(score.ticks_per_quarter)
    if not limit("MIN_TICKS_PER_BEAT") <= tpq <= limit("MAX_TICKS_PER_BEAT"):
        raise LimitError(f"{where}: MIDI division of {tpq} ticks per beat is out of range "
                         f"({_fmt(limit('MIN_TICKS_PER_BEAT'))}..{_fmt(limit('MAX_TICKS_PER_BEAT'))})")
    check_at_most(where, "number of tracks", len(score.tracks), "MAX_TRACKS")
    check_at_most(where, "number of notes", sum(len(t.notes) for t in score.tracks), "MAX_PIECE_NOTES")
    end_beats = float(score.end()) / tpq
    check_at_most(where, "length in beats", round(end_beats, 1), "MAX_PIECE_BEATS")
    longest = max((int(n.duration) for t in score.tracks for n in t.notes), default=0) / tpq
    if longest > limit("MAX_NOTE_BEATS"):
        raise LimitError(f"{where}: a note of {longest:g} beats is over the limit of {_fmt(limit('MAX_NOTE_BEATS'))} beats")


def check_music_folder(folder: str | os.PathLike, what: str = "") -> Path:
    """A folder of the user's music: not the file system's root or a system folder (`corpus add /`
    had been accepted, and `check --against /` walked the whole machine for minutes)."""
    root = Path(os.fspath(folder)).expanduser()
    resolved = root.resolve()
    if resolved.parent == resolved or str(resolved) in _SYSTEM_DIRS or str(resolved).startswith(("/proc/", "/sys/", "/dev/")):
        raise LimitError(f"{folder}: is {resolved}, a system folder, not a folder of music; give the folder that holds "
                         f"the music files {what}")  # fmt: skip
    return root


def walk_files(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files under `root` (recursively, sorted) whose suffix is one of `suffixes`; LimitError
    once more than MAX_FOLDER_ENTRIES files and folders have been walked."""
    cap = int(limit("MAX_FOLDER_ENTRIES"))
    found, seen = [], 0
    for dirpath, dirnames, filenames in os.walk(root):
        seen += len(dirnames) + len(filenames)
        if seen > cap:
            raise LimitError(f"{root}: more than {cap:,} files and folders under it; give a smaller folder")
        found += [Path(dirpath) / f for f in filenames if Path(f).suffix.lower() in suffixes]
    return sorted(p for p in found if p.is_file())


# ============================================================================ pieces
def check_piece(piece, where: str | None = None, *, max_bars: str = "MAX_PIECE_BARS") -> None:
    """A Piece read from a file, before it is tokenized, engraved or rendered: tracks, notes,
    bars, the longest note, its length in beats and in seconds at its tempo."""
    where = where or piece.path or piece.piece_id or "the piece"
    check_at_most(where, "number of tracks", len(piece.tracks), "MAX_TRACKS")
    check_at_most(where, "number of notes", piece.n_notes, "MAX_PIECE_NOTES")
    longest = max((n.duration for t in piece.tracks for n in t.notes), default=0.0)
    if not longest <= limit("MAX_NOTE_BEATS"):
        raise LimitError(f"{where}: a note of {longest:g} beats is over the limit of {_fmt(limit('MAX_NOTE_BEATS'))} beats")
    for ts in piece.time_signatures:
        check_meter(where, ts.numerator, ts.denominator)
    for tp in piece.tempos:
        if not limit("MIN_TEMPO_QPM") <= tp.qpm <= limit("MAX_TEMPO_QPM"):  # also refuses NaN
            raise LimitError(f"{where}: tempo of {tp.qpm:g} quarter notes a minute is out of range "
                             f"({_fmt(limit('MIN_TEMPO_QPM'))}..{_fmt(limit('MAX_TEMPO_QPM'))})")
    end = piece.duration()
    if not end <= limit("MAX_PIECE_BEATS"):
        raise LimitError(f"{where}: piece of {end:g} beats is over the limit of {_fmt(limit('MAX_PIECE_BEATS'))} beats")
    tempo = min((t.qpm for t in piece.tempos if t.qpm > 0), default=120.0)
    seconds = end * 60.0 / tempo
    if not seconds <= limit("MAX_PIECE_SECONDS"):
        raise LimitError(f"{where}: piece of {seconds:,.0f} seconds is over the limit of "
                         f"{_fmt(limit('MAX_PIECE_SECONDS'))} seconds")
    bar_len = min((ts.bar_length for ts in piece.time_signatures), default=4.0)
    if end / max(bar_len, 1e-9) > limit(max_bars) * 2:  # cheap bound before listing the bars
        raise LimitError(f"{where}: number of bars (about {end / bar_len:,.0f}) is over the limit of {_fmt(limit(max_bars))}")
    check_at_most(where, "number of bars", len(piece.bars()), max_bars)


# control characters (C0 but tab, line feed and carriage return, which become spaces; DEL; C1) and
# the non-characters XML 1.0 may not hold: a MIDI track named "Tune\x01" had passed the reader and
# then failed the MusicXML writer after the take was made, and broke every render of a studio upload;
# and the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): an ABC
# title with a right-to-left override had gone into a co-created take's MusicXML, SVG and MIDI,
# showing the text after it reversed
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile("[\t\n\r]")


def clean_text(text):
    """`text` with control characters dropped and tabs and line breaks as spaces (anything but a
    str is returned as it is)."""
    if not isinstance(text, str):
        return text
    return _CONTROL.sub("", _SPACES.sub(" ", text))


def clip_names(piece) -> None:
    """Cut the text a file gave a piece (title, track names, string metadata) to MAX_NAME_CHARS and
    drop its control characters (`clean_text`), in place: a part named with megabytes of text would
    otherwise make the MIDI writer emit meta events that MIDI readers (mido: 1 MB) refuse, and fill
    every output with it; a control character is not XML."""
    cap = int(limit("MAX_NAME_CHARS"))

    def cut(text):
        text = clean_text(text)
        return text[:cap] if isinstance(text, str) and len(text) > cap else text

    piece.title = cut(piece.title)
    for track in piece.tracks:
        track.name = cut(track.name)
    for key, value in list(piece.meta.items()):
        if isinstance(value, str):
            piece.meta[key] = cut(value)


def check_render_midi(midi_bytes: bytes, where: str = "MIDI") -> float:
    """Seconds the synthesizer would play `midi_bytes` for; LimitError over MAX_RENDER_SECONDS.
    The synthesizer allocates every sample at once (192 kB a second), so this runs first."""
    import io

    import mido

    # a file mido cannot read raises here as it would in the renderer (write_wav names the file)
    mid = mido.MidiFile(file=io.BytesIO(midi_bytes))
    if mid.type == 2:  # asynchronous tracks: mido has no length; the longest track bounds it
        seconds = max((mido.tick2second(sum(m.time for m in t), mid.ticks_per_beat, 500000) for t in mid.tracks),
                      default=0.0)
    else:
        seconds = float(mid.length)
    if not seconds <= limit("MAX_RENDER_SECONDS"):
        raise LimitError(f"{where}: {seconds:,.0f} seconds of audio to render, over the limit of "
                         f"{_fmt(limit('MAX_RENDER_SECONDS'))} seconds; write it without audio (--no-audio)")
    return seconds


# ============================================================================ requests
def check_takes(n: Any, what: str = "--n") -> None:
    """The number of takes asked for: 1..MAX_TAKES."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise LimitError(f"{what} must be a positive integer, got {n!r}")
    if n > limit("MAX_TAKES"):
        raise LimitError(f"{what} {n} is over the limit of {_fmt(limit('MAX_TAKES'))} takes")


# directories a take's stem may not name or write straight into
_SYSTEM_DIRS = {"/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/sbin", "/sys", "/usr", "/var",
                "/tmp", "/root", "/home", "/opt", "/srv", "/run", "/mnt", "/media"}


def check_output_stem(out: str | os.PathLike, name: str = "--out") -> Path:
    """`--out STEM`: the take files are STEM.mid, STEM.json, ... A stem that is an existing
    directory (`--out /tmp` would write /tmp.mid beside it) or that lies directly in the
    filesystem root is refused; give a stem inside a folder, such as out/take. `name`: what the
    messages call the stem (the Python API's "path")."""
    if out is None or not isinstance(out, str | os.PathLike):
        raise TypeError(f"{name} must be a path (str or os.PathLike), not {type(out).__name__}")
    text = os.fspath(out)
    if not text.strip():
        raise LimitError(f"{name} is empty; give an output stem such as out/take")
    p = Path(text)
    if text.endswith(("/", os.sep)) or p.is_dir():
        what = "is a directory" if p.is_dir() else "names a directory (it ends in a slash)"
        raise LimitError(f"{name} {text}: {what}; give a file stem inside it, such as {p / 'take'}")
    longest = len(p.name.encode("utf-8", "surrogateescape")) + len("-100.musicxml")  # a take of --n 100
    if longest > 255:  # the file system's limit on a name: refused before the work, not at its end
        raise LimitError(f"{name} {text[:60]}...: the stem's name is too long for its files' names (at most "
                         f"{255 - len('-100.musicxml')} bytes)")  # fmt: skip
    resolved = p.resolve()
    if resolved.parent == Path(resolved.anchor) or str(resolved) in _SYSTEM_DIRS:
        raise LimitError(f"{name} {text}: would write {resolved}.mid ... in the filesystem root; give a stem inside a folder")
    return p


# ============================================================================ models
_DTYPE_BYTES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2}


def read_safetensors_header(file: Path) -> tuple[dict, int]:
    """The JSON header of a safetensors file (and the file size), reading only the header:
    LimitError for a file over MAX_MODEL_BYTES or a header over MAX_MODEL_HEADER_BYTES."""
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise LimitError(f"{file}: cannot be read ({exc.strerror or exc})") from None
    if size > limit("MAX_MODEL_BYTES"):
        raise LimitError(f"{file}: model file too large ({size:,} bytes; the limit is {_fmt(limit('MAX_MODEL_BYTES'))})")
    with open(file, "rb") as f:
        head = f.read(8)
        if len(head) < 8:
            raise LimitError(f"{file}: not a safetensors file (too short)")
        n = struct.unpack("<Q", head)[0]
        if n > size - 8 or n > limit("MAX_MODEL_HEADER_BYTES"):
            raise LimitError(f"{file}: not a safetensors file (header length {n:,} out of range)")
        raw = f.read(n)
    try:
        header = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise LimitError(f"{file}: not a safetensors file (header is not JSON: {type(exc).__name__})") from None
    if not isinstance(header, dict):
        raise LimitError(f"{file}: not a safetensors file (header is not a JSON object)")
    return header, size


def _config_bounds(file: Path, cfg: dict) -> None:
    caps = {"n_layer": "MAX_N_LAYER", "n_head": "MAX_N_HEAD", "n_embd": "MAX_N_EMBD",
            "vocab_size": "MAX_VOCAB_SIZE", "block_size": "MAX_BLOCK_SIZE"}
    for key, name in caps.items():
        value = cfg.get(key)
        if key == "vocab_size" and value is None:
            raise LimitError(f"{file}: model config has no vocab_size")
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise LimitError(f"{file}: model config {key} must be a positive integer, got {str(value)[:30]!r}")
        if value > limit(name):
            raise LimitError(f"{file}: model config {key}={value:,} is over the limit of {_fmt(limit(name))}")


def check_model_size(where: str, cfg: dict) -> None:
    """The parameter count and the decoder cache a model config implies, against their limits:
    the same for a model read from a file and one a training config would build (a config of
    n_layer 100 had trained a model that compose then refused to load)."""
    C = int(cfg.get("n_embd", 256))
    L = int(cfg.get("n_layer", 4))
    V = int(cfg["vocab_size"])
    block = int(cfg.get("block_size", 1024))
    params = V * C + block * C + L * 12 * C * C
    check_at_most(where, "parameter count the config implies,", params, "MAX_MODEL_PARAMS")
    check_at_most(where, "decoder cache bytes per sequence the config implies,", 8 * L * block * C, "MAX_KV_CACHE_BYTES")


def check_train_config(where: str, cfg: dict) -> None:
    """A training config's model shape within the limits any model must keep to be loaded:
    checked when the config is made, before data or weights (`config.TrainConfig`)."""
    _config_bounds(Path(where), cfg)
    check_model_size(where, cfg)


def expected_shapes(cfg: dict) -> dict[str, tuple[int, ...]]:
    """Every weight a tunesmith GPT with config `cfg` (a dict) has, by state-dict name."""
    C = int(cfg.get("n_embd", 256))
    V = int(cfg["vocab_size"])
    L = int(cfg.get("n_layer", 4))
    block = int(cfg.get("block_size", 1024))
    bias = bool(cfg.get("bias", True))
    shapes: dict[str, tuple[int, ...]] = {"wte.weight": (V, C), "wpe.weight": (block, C), "ln_f.weight": (C,)}
    if bias:
        shapes["ln_f.bias"] = (C,)
    for i in range(L):
        p = f"h.{i}."
        layer = {
            "ln_1.weight": (C,), "ln_2.weight": (C,),
            "attn.c_attn.weight": (3 * C, C), "attn.c_proj.weight": (C, C),
            "mlp.c_fc.weight": (4 * C, C), "mlp.c_proj.weight": (C, 4 * C),
        }
        if bias:
            layer.update({"ln_1.bias": (C,), "ln_2.bias": (C,), "attn.c_attn.bias": (3 * C,),
                          "attn.c_proj.bias": (C,), "mlp.c_fc.bias": (4 * C,), "mlp.c_proj.bias": (C,)})
        shapes.update({p + k: v for k, v in layer.items()})
    return shapes


def check_model_file(file: str | os.PathLike) -> None:
    """Everything about a model file that can be known before its weights are read: its size,
    its header, the config in its tunesmith metadata (bounds, before anything is allocated
    for it) and every tensor's dtype and shape against that config (missing, extra and
    wrong-shaped weights), and that every weight is finite (a model of NaN weights is refused).
    LimitError names the file. Returns nothing; the caller then reads the weights."""
    file = Path(file)
    header, size = read_safetensors_header(file)
    meta = header.get("__metadata__") or {}
    if not isinstance(meta, dict):
        raise LimitError(f"{file}: not a safetensors file (bad __metadata__)")
    try:
        info = json.loads(meta.get("tunesmith", "null"))
    except (TypeError, ValueError, RecursionError):
        raise LimitError(f"{file}: broken tunesmith model (its metadata is not JSON)") from None
    if not isinstance(info, dict):
        return  # not a tunesmith model: read_model_file says so with its own message
    cfg = info.get("model_config")
    if not isinstance(cfg, dict):
        raise LimitError(f"{file}: broken tunesmith model (its metadata has no model_config)")
    if not isinstance(info.get("tokenizer"), dict):
        raise LimitError(f"{file}: broken tunesmith model (its metadata has no tokenizer)")
    _config_bounds(file, cfg)
    if not isinstance(cfg.get("bias", True), bool):
        raise LimitError(f"{file}: model config bias must be true or false")
    _check_config_and_tokenizer(file, info)
    _check_json_beside(file.parent / "decoding.json")
    check_model_size(str(file), cfg)
    C, L, V = int(cfg.get("n_embd", 256)), int(cfg.get("n_layer", 4)), int(cfg["vocab_size"])
    block = int(cfg.get("block_size", 1024))
    tensors = {k: v for k, v in header.items() if k != "__metadata__"}
    # a training checkpoint holds "model.*" and "optim.*" tensors: the model's are checked
    model_keys = [k for k in tensors if k.startswith("model.")]
    names = {k[len("model."):]: tensors[k] for k in model_keys} if model_keys else dict(tensors)
    for name, t in tensors.items():
        if not isinstance(t, dict) or not isinstance(t.get("shape"), list):
            raise LimitError(f"{file}: weight {name!r} has no shape")
    total = sum(math.prod(t["shape"]) * _DTYPE_BYTES.get(t.get("dtype"), 8) for t in tensors.values()
                if all(isinstance(d, int) and 0 <= d <= 1 << 31 for d in t["shape"]))
    for name, t in names.items():
        if not isinstance(t, dict) or not isinstance(t.get("shape"), list) or t.get("dtype") not in _DTYPE_BYTES:
            dtype = t.get("dtype") if isinstance(t, dict) else None
            raise LimitError(f"{file}: weight {name!r} has an unsupported dtype {dtype!r} or no shape")
        shape = t["shape"]
        if not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 1 << 31 for d in shape) or len(shape) > 4:
            raise LimitError(f"{file}: weight {name!r} has a bad shape {str(shape)[:40]}")
    if total > size:
        raise LimitError(f"{file}: the header claims {total:,} bytes of weights in a file of {size:,}")
    expected = expected_shapes(cfg)
    wrong = [k for k, shape in expected.items() if k not in names or tuple(names[k]["shape"]) != shape]
    layer_names = {k for k in names if k.startswith("h.")}
    extra = sorted(k for k in layer_names if k not in expected)
    if wrong or extra:
        detail = (f"missing or misshapen {wrong[:3]}" if wrong else "") + (
            ("; " if wrong else "") + f"weights beyond the config {extra[:3]}" if extra else "")
        raise LimitError(
            f"{file}: weights do not match the config (n_layer={L}, n_embd={C}, vocab_size={V}, block_size={block}): "
            + detail
        )
    for name, t in names.items():  # any other embedding must be as wide as the model
        if name not in expected and len(t["shape"]) == 2 and t["shape"][1] != C:
            raise LimitError(f"{file}: weight {name!r} has shape {t['shape']}, not (*, {C})")

    check_finite_weights(file, header, size)


def _check_json_beside(path: Path, max_bytes: int = 100_000) -> None:
    """A JSON file the loader reads beside the weights (decoding.json) parses without
    overflowing the recursion (a file of 100,000 nested brackets); its content is the loader's
    to check."""
    try:
        if not path.is_file() or path.stat().st_size > max_bytes:
            return  # absent, or refused by the loader for its size
        json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except RecursionError:
        raise LimitError(f"{path}: not a JSON file tunesmith reads (nested too deep)") from None
    except (OSError, ValueError):
        return  # the loader names these


def _check_config_and_tokenizer(file: Path, info: dict) -> None:
    """The config and tokenizer in the metadata build as the loader builds them; any error
    (a dropout of 1, n_embd not divisible by n_head, a tokenizer of an unknown version or with
    missing fields) becomes one LimitError naming the file."""
    from tunesmith.inference import ModelConfig
    from tunesmith.tokenizer import Tokenizer

    for what, build, data in (("config", ModelConfig.from_dict, info.get("model_config")),
                              ("tokenizer", Tokenizer.from_dict, info.get("tokenizer"))):
        try:
            build(data)
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - KeyError, TypeError ...: one line naming the file
            detail = (str(exc).splitlines() or [""])[0][:200]
            raise LimitError(f"{file}: broken tunesmith model ({what}: {type(exc).__name__}"
                             f"{': ' + detail if detail else ''})") from None


_NONFINITE_MASK = {"F16": ("<u2", 0x7C00), "BF16": ("<u2", 0x7F80), "F32": ("<u4", 0x7F800000),
                   "F64": ("<u8", 0x7FF0000000000000)}


def check_finite_weights(file: str | os.PathLike, header: dict, size: int) -> None:
    """LimitError when any weight is NaN or infinite (such a model 'composes' noise). Reads the
    tensors' bytes in chunks straight from the file (an exponent of all ones is Inf or NaN in
    every IEEE format), so no extra copy of the model is held."""
    import numpy as np

    chunk = 4 * MiB
    with open(file, "rb") as f:
        base = 8 + int(struct.unpack("<Q", f.read(8))[0])
        for name, t in header.items():
            if name == "__metadata__" or t.get("dtype") not in _NONFINITE_MASK:
                continue
            dtype, mask = _NONFINITE_MASK[t["dtype"]]
            offsets = t.get("data_offsets")
            if not (isinstance(offsets, list) and len(offsets) == 2 and all(isinstance(o, int) for o in offsets)
                    and 0 <= offsets[0] <= offsets[1] and base + offsets[1] <= size):
                raise LimitError(f"{os.fspath(file)}: weight {name!r} has bad data offsets")
            width = np.dtype(dtype).itemsize
            f.seek(base + offsets[0])
            left = offsets[1] - offsets[0]
            while left > 0:
                data = f.read(min(chunk - chunk % width, left))
                if not data:
                    break
                left -= len(data)
                bits = np.frombuffer(data[: len(data) - len(data) % width], dtype=dtype)
                if np.any((bits & np.array(mask, dtype=dtype)) == np.array(mask, dtype=dtype)):
                    raise LimitError(
                        f"{os.fspath(file)}: weight {name!r} holds NaN or infinite values; the model is broken"
                    )


__all__ = [
    "DEFAULTS", "LimitError", "limit", "tighter", "check_at_most", "check_file_size", "check_meter", "check_key_fifths",
    "check_abc_tune", "check_mxl_archive", "clip_names", "check_musicxml_tree", "xml_depth", "check_midi_score", "check_piece",
    "check_render_midi", "check_takes", "check_output_stem", "read_safetensors_header", "expected_shapes",
    "check_model_file", "check_finite_weights",
]
