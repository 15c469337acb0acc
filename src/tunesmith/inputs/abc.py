"""ABC reader: files with one or many tunes (split on `X:` lines), chord symbols kept.

Speed: music21's full ABC -> Stream translation costs ~100 ms a tune; symusic (abc2midi)
~3 ms but drops the quoted chord names and expands repeats. We use music21's ABC
*tokenizer* (`ABCHandler.process`, ~3 ms a tune: it resolves pitches with key signature and
bar accidentals, lengths, broken rhythms, tuplets, ties, grace notes and the quoted chord
symbols) and build the Piece straight from the tokens, skipping the costly Stream. One code
path for tunes with and without chords.

Conventions:
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
- Quoted strings that start with ^ _ < > @ are ABC annotations, not chords; "N.C." ends the
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
from ..harmony import NO_CHORD, key_from_sharps, normalize_figure
from ..limits import LimitError, check_abc_tune, check_piece
from ..score import ChordSymbol, Note, Piece, Tempo, TimeSignature, Track
from . import InputError, check_local_file, piece_stem, read_text

_X_LINE = re.compile(r"^X:", re.M)
_LETTER_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_ANNOTATION_PREFIX = ("^", "_", "<", ">", "@")
_META_TAGS = {"C": "composer", "O": "origin", "R": "rhythm", "B": "book", "S": "abc_source", "N": "notes",
              "Z": "transcription", "H": "history", "D": "discography", "A": "area", "G": "group"}


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
    """MIDI number of a music21 pitch name such as 'C#5', 'B-3', 'E--4'."""
    i = 1
    alter = 0
    while i < len(name) and name[i] in "#-~`n":
        alter += 1 if name[i] == "#" else -1 if name[i] == "-" else 0
        i += 1
    octave = int(name[i:]) if i < len(name) else 4
    return 12 * (octave + 1) + _LETTER_PC[name[0].upper()] + alter


_DOUBLE_REPEAT = re.compile(r"(?<=[^|:\s])::(?=[^|:]|$)")


_INLINE_FIELD = re.compile(r"\[([KLMQP]):([^\]]*)\]")


# ABC's fermata, 'H' or '!fermata!' before a note: music21's reader drops the note after 'H' (a
# teacher's Old Hundredth lost its four fermata notes, leaving 3-beat bars in 4/4, without a word)
# and skips '!fermata!'. Both are written as 'M', which music21 reads as a tenuto on the next note
# or chord (`_walk` reads it back as the fermata); an 'M' of the source itself (ABC's lower mordent,
# which tunesmith does not play) is dropped first. Only outside quoted text and !...! / +...+
# decorations.
_H_FERMATA = re.compile(r"(?<![=^_])H(?=[~.]*[=^_]*[A-Ga-gz\[(])")
_M_DECORATION = re.compile(r"(?<![=^_])M(?=[~.]*[=^_]*[A-Ga-gz\[(])")
_QUOTED_OR_DECORATION = re.compile(r'("[^"]*"|![^!]*!|\+[^+]*\+)')
_FERMATA_DECORATIONS = ("!fermata!", "+fermata+")
_FERMATA_MARK = "M"  # music21's ABC tenuto


def _fermatas_marked(line: str) -> str:
    parts = _QUOTED_OR_DECORATION.split(line)
    return "".join((_FERMATA_MARK if part in _FERMATA_DECORATIONS else part) if i % 2
                   else _H_FERMATA.sub(_FERMATA_MARK, _M_DECORATION.sub("", part))
                   for i, part in enumerate(parts))  # fmt: skip


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


class _Mark:
    """A section boundary in an expanded token stream; `key` names the repeated span."""

    __slots__ = ("key",)

    def __init__(self, key: int) -> None:
        self.key = key


def _bar_kinds(tokens: list) -> tuple[list[str], list[frozenset[int]]]:
    """Per token: "start" (|:), "end" (:|), "ending" ([1, |2 ...), "close" (||, |]), or ""."""
    from music21 import abcFormat as af

    kinds: list[str] = []
    nums: list[frozenset[int]] = []
    for tok in tokens:
        kind, n = "", frozenset()
        if isinstance(tok, af.ABCBar):
            src = (tok.src or "").strip()
            form = getattr(tok, "repeatForm", "") or ""
            digits = re.findall(r"\d+", src)
            if tok.barType == "repeat" and form == "end":
                kind = "end"
            elif (tok.barType == "repeat" and form == "start") or src == ":":  # ':|:' leaves ':'
                kind = "start"
            elif digits or form in ("first", "second"):
                kind = "ending"
                n = frozenset(int(d) for d in digits) or frozenset({1 if form == "first" else 2})
            elif src in ("||", "|]", "[|"):
                kind = "close"
        kinds.append(kind)
        nums.append(n)
    return kinds, nums


def _expand_repeats(tokens: list, *, replay_pickup: bool = False) -> list | None:
    """Tokens in playing order with _Mark section boundaries (see the module docstring);
    None when the repeat structure cannot be expanded safely (read the tune as written).
    `replay_pickup`: a pickup written before the first `|:` is played again before each return
    to it (as players do when the repeat's last bar is short by the pickup: `A|: ... |d3 d2 :|`)."""
    from music21 import abcFormat as af

    kinds, nums = _bar_kinds(tokens)
    n = len(tokens)
    first = next((i for i, tk in enumerate(tokens) if not isinstance(tk, af.ABCMetadata)), n)
    bar0 = next((i for i in range(first, n) if isinstance(tokens[i], af.ABCBar)), None)
    pickup: list = []
    if replay_pickup and bar0 is not None and kinds[bar0] == "start":
        pickup = [tk for tk in tokens[first:bar0] if not isinstance(tk, af.ABCMetadata)]
        if not any(isinstance(tk, af.ABCNote) for tk in pickup):
            pickup = []

    def next_ending(j: int) -> int | None:
        """Index of an ending marker right after position j (plain bars between), else None."""
        while j < n and kinds[j] == "" and isinstance(tokens[j], af.ABCBar):
            j += 1
        return j if j < n and kinds[j] == "ending" else None

    def skip_target(i: int, pas: int) -> tuple[int, bool] | None:
        """Where pass `pas` goes from an ending it does not play: (index, finishes the repeat)."""
        j = i + 1
        while j < n:
            if kinds[j] == "ending" and pas in nums[j]:
                return j, False
            if kinds[j] == "start":
                return None
            if kinds[j] == "end" and next_ending(j + 1) is None:
                return j + 1, True
            j += 1
        return None

    out: list = [_Mark(first)]
    start, pas, in_ending = first, 1, False
    budget = 16 * n + 64
    i = 0
    while i < n:
        if len(out) > budget:
            return None
        tok, kind = tokens[i], kinds[i]
        if kind == "start":
            out.append(tok)
            start, pas, in_ending = i + 1, 1, False
            out.append(_Mark(start))
        elif kind == "ending":
            if pas > 1 and pas not in nums[i]:
                target = skip_target(i, pas)
                if target is not None:
                    i, finished = target
                    if finished:
                        start, pas, in_ending = i, 1, False
                        out.append(_Mark(start))
                    continue
            out.append(tok)
            in_ending = True
        elif kind == "end":
            out.append(tok)
            later = next_ending(i + 1)
            if pas == 1 or (in_ending and later is not None and max(nums[later]) > pas):
                pas, in_ending = pas + 1, False
                if pickup and bar0 is not None and start == bar0 + 1:
                    out.extend([*pickup, tokens[bar0]])  # the pickup again, completing the short last bar
                out.extend(_state_again(tokens, start, i))
                out.append(_Mark(start))
                i = start
                continue
            start, pas, in_ending = i + 1, 1, False
            out.append(_Mark(start))
        elif kind == "close" and in_ending and pas > 1:
            out.append(tok)
            start, pas, in_ending = i + 1, 1, False
            out.append(_Mark(start))
        else:
            out.append(tok)
        i += 1
    played = {id(tk) for tk in out}
    if any(id(tk) not in played for tk in tokens if isinstance(tk, af.ABCNote) and not tk.inGrace):
        return None  # never lose a note: read as written instead
    return out


def _state_again(tokens: list, start: int, end: int) -> list:
    """The meter, key and unit length in force at `start`, when the passage [start, end) changes
    any of them: played again, its second pass begins as its first did (`|: C4 | [M:3/4] D3 :|`
    had read its second C4 in 3/4). [] when the passage changes none."""
    from music21 import abcFormat as af

    def field(tk) -> str | None:
        tag = getattr(tk, "tag", None) if isinstance(tk, af.ABCMetadata) else None
        return tag if tag in ("M", "K", "L") else None

    def state(upto: int) -> dict[str, object]:
        out: dict[str, object] = {}
        for tk in tokens[:upto]:
            tag = field(tk)
            if tag is not None:
                out[tag] = tk
        return out

    # the state the passage's first note is played in (fields written at its head are replayed
    # with it: `K:D` opening a B strain is read again on its second pass)
    first = start
    while first < end and isinstance(tokens[first], af.ABCMetadata):
        first += 1
    before, after = state(first), state(end)

    def text(tk) -> str:
        return str(getattr(tk, "data", "")).strip()

    return [tk for tag, tk in before.items() if tag in after and text(after[tag]) != text(tk)]


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
    stops: list[float] = []
    tied: dict[int, Note] = {}
    unparsed = 0
    seen_key = False
    marks: list[tuple[Fraction, int]] = []
    for tok in tokens:
        if isinstance(tok, _Mark):
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
        if not isinstance(tok, af.ABCNote) or tok.inGrace:
            continue
        if first_voice:
            for raw in tok.chordSymbols:
                text = raw.strip().strip('"').strip()
                if not text or text.startswith(_ANNOTATION_PREFIX):
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
            names = [s.pitchName for s in tok.subTokens if isinstance(s, af.ABCNote) and s.pitchName]
        else:
            names = [tok.pitchName] if tok.pitchName else []
        new_tied: dict[int, Note] = {}
        for name in names:
            midi = _midi_of(name)
            if not 0 <= midi <= 127:  # left out, and counted: co-create refuses such a file (`meta`)
                piece.meta["notes_out_of_range"] = piece.meta.get("notes_out_of_range", 0) + 1
                continue
            prev = tied.get(midi)
            if prev is not None and tok.tie in ("stop", "continue") and abs(prev.onset + prev.duration - float(t)) < 1e-6:
                prev.duration += float(ql)
                n = prev
            else:
                n = Note(midi, float(t), float(ql), spelling=_spelling_of(name))
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


def parse_abc_tune(text: str, **fields: object) -> Piece:
    """One tune's ABC text -> Piece. `fields` set Piece fields (piece_id, work_id, path, ...)."""
    from music21 import abcFormat as af

    piece = Piece(**fields)  # type: ignore[arg-type]
    with _quiet_music21():
        handler = af.ABCHandler()
        handler.process(text)
        voices = handler.splitByVoice() if any(isinstance(tk, af.ABCMetadata) and tk.isVoice() for tk in handler.tokens) else []
    if len(voices) > 1:
        header, *bodies = voices
        streams = [header.tokens + body.tokens for body in bodies]
    else:
        streams = [handler.tokens]
    expanded = [_expand_repeats(tokens) for tokens in streams]
    repeats_expanded = all(x is not None for x in expanded)
    if repeats_expanded:
        replayed = [_expand_repeats(tokens, replay_pickup=True) for tokens in streams]
        if (all(x is not None for x in replayed) and len(replayed[0]) != len(expanded[0])  # type: ignore[arg-type]
                and _odd_bars(replayed[0]) < _odd_bars(expanded[0])):  # fmt: skip
            # `A|: ... |d3 d2 :|`: played through, the short last bar took the pickup again;
            # without it the second pass began a bar short, mid-piece
            expanded = replayed
        streams = expanded  # type: ignore[assignment]
    end = 0.0
    for i, tokens in enumerate(streams):
        track = Track(name="melody" if i == 0 else f"voice {i + 1}", role="melody" if i == 0 else "accompaniment")
        end = max(end, _walk(tokens, piece, track, first_voice=(i == 0)))
        if track.notes:
            piece.tracks.append(track)
    piece.end = end
    piece.meta["repeats_expanded"] = repeats_expanded
    grace = sum(1 for tk in handler.tokens if isinstance(tk, af.ABCNote) and tk.inGrace)
    if grace:  # not read; counted as written, for co-create to say the take leaves them out
        piece.meta["left_out"] = {"grace note(s)": grace}
    if not repeats_expanded:
        piece.meta["sections"] = [[0, len(piece.bar_onsets), "A"]]
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
        xm = re.match(r"X:\s*(\S*)", tune)
        ref = xm.group(1) if xm else ""
        if not re.search(r"^K:", tune, re.M) and not re.search(r"^K:", head, re.M):
            # ABC needs K: to start the body; accept a tune without one as in C
            body = body.rstrip("\n") + "\n"
            kpos = body.find("\n", body.find("\n") + 1)
            body = body[:kpos + 1] + "K:C\n" + body[kpos + 1:]
        if not re.search(r"^L:", body, re.M):
            # ABC's default note length (standard 2.1, 3.3): 1/16 under a meter below 3/4, else
            # 1/8; music21 refuses a tune without L: ("no active default note length")
            meter = re.search(r"^M:\s*(\d+)\s*/\s*(\d+)", body, re.M)
            short = meter is not None and int(meter.group(2)) > 0 and int(meter.group(1)) / int(meter.group(2)) < 0.75
            kpos = body.find("\nK:")
            at = kpos + 1 if kpos >= 0 else body.find("\n") + 1
            body = body[:at] + ("L:1/16\n" if short else "L:1/8\n") + body[at:]
        body = _fix_body(body)
        fields = {
            "piece_id": f"{stem}#{index}",
            "work_id": f"{stem}#{ref or index}",
            "path": f"{p}#{index}" if len(tunes) > 1 else str(p),
            "source": source,
            "style": style,
            "license": license,
            "meta": {"abc_ref": ref, "tune_index": index, "file": p.name},
        }
        # co-create reading the one tune of a file names the file alone
        where = str(p) if only is not None and len(tunes) == 1 else f"{p}#{index} (X:{ref})"
        try:
            check_abc_tune(where, body)  # meter, note lengths: before music21
            _check_endings(where, body)
            piece = parse_abc_tune(body, **fields)
            check_piece(piece, where)
        except MemoryError:
            raise  # not this tune's fault alone; a corpus worker is retired (corpus.pool)
        except Exception as e:  # noqa: BLE001 - music21 raises many types on bad ABC
            msg = str(e) if isinstance(e, LimitError) else f"{where}: {_abc_problem(e)}"
            if on_error == "raise":
                if only is not None and isinstance(e, LimitError):
                    raise  # its message is one line naming the file (and the tune)
                raise InputError(msg) from e
            problems.append(msg)
            warnings.warn(f"skipped ABC tune {msg}", stacklevel=2)
            continue
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
