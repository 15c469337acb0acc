"""Co-create: continue a musician's piece, harmonize a melody, regenerate bars (inpaint) —
with the musician's notes untouched.

    model, tok, info = tunesmith.pretrained.load()
    takes = continue_piece(model, tok, "motif.mid", bars=8, style="folk", n=3, seed=1)
    takes = harmonize(model, tok, "melody.musicxml", style="chorale")      # alto, tenor, bass
    takes = harmonize(model, tok, "tune.abc", style="jazz")                # chord symbols
    takes = inpaint(model, tok, "piece.mid", bars=(5, 8), keep="melody")   # new chords in bars 5-8

Each returns `sampling.Take`s (piece, token stream, per-token log-probabilities, forced flags).

How: all three are one operation, "generate a region of bars under the composer's grammar
automaton, with some of the tokens dictated by the given music":

- A *work piece* holds what is known: the given notes of every voice the tokenizer writes
  (lead sheet: melody; chorale: soprano, alto, tenor, bass), the given chord symbols, on the
  final bar grid (a continuation's grid is extended by the new bars).
- It is tokenized (`Tokenizer.encode`), in plain order for `continue_piece` and `harmonize`
  (prompt = header + the bars before the region) and in fill-in-the-middle order for `inpaint`
  (prompt = header <fill> bars before <suffix> bars after <middle>), so the model sees the
  music on both sides of the bars it writes.
- The region is decoded token by token with `_CoConstrainer`, a subclass of
  `sampling.Constrainer` (so grammar, meter, bar count, pitch range and `in_scale` hold exactly
  as in `compose`). Where the given material dictates the token — a kept voice's notes in a
  bar, kept chords, or "no chord symbols" for a chorale — the mask allows only that token
  (forced decoding); elsewhere the model samples. A chord rhythm can be imposed (a chord on
  every downbeat, or on every half bar), and for four-voice chorales a voice-leading mask
  keeps adjacent voices from crossing and avoids parallel fifths and octaves where it can.
- The output is built from a deep copy of the given Piece: the musician's Note objects are
  copied, never re-decoded, and only the generated notes are added; each operation checks
  that every note it had to keep is still there, value for value, before returning.

Long pieces: a continuation or harmonization that does not fit the model's block is written
in chunks of bars, each with as many bars before it as context as fit; an inpaint window
keeps as many bars around the region as fit.

Bar numbers are the musician's: 1-based, and with a pickup (anacrusis) the pickup is bar 0.
Errors come before any model work: ValueError (or `inputs.InputError` for files) naming the
file and the problem.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tunesmith.sampling import (
    _BASS,
    _C_BAR,
    _C_BASS,
    _C_DUR,
    _C_PITCH,
    _C_POS,
    _C_QUAL,
    _C_ROOT,
    _C_VOICE,
    _CHORDS,
    _CPOS,
    _NPOS,
    _PITCH,
    _QUAL,
    _ROOT,
    _VOICE,
    DEFAULT_RANGES,
    MAX_REQUEST_BARS,
    MAX_TEMPO,
    MIN_TEMPO,
    ComposeRequest,
    Constrainer,
    Take,
    _decoder_for,
    _sample,
    _Tables,
    decode_rows,
    sampling_params,
    set_closing_shares,
    set_rhythm_feedback,
    set_tonal_feedback,
    single_thread_blas,
    style_decoding,
)
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
from tunesmith.tokenizer import (
    DUR_TICKS,
    LAYOUTS,
    MAX_BAR_TICKS,
    METERS,
    PITCH_MAX,
    PITCH_MIN,
    TICKS_PER_BEAT,
    VOICE_NAMES,
    VOICE_ROLES,
    Tokenizer,
    join_figure,
    meter_ticks,
    names_for_key,
    quality_suffix,
    scale_pitch_classes,
    spell_name,
)
from tunesmith.voice_leading import VoiceLeading

# Textbook SATB ranges (the ones `metrics.harmony_rules` counts violations against): free chorale
# voices are kept inside them unless the caller gives a pitch range.
TEXTBOOK_RANGES = {"S": (60, 79), "A": (55, 74), "T": (48, 67), "B": (40, 60)}
CHORD_RHYTHMS = ("auto", "bar", "half")  # and "free" / None: the model places chords
KEEPABLE = ("melody", "soprano", "alto", "tenor", "bass", "chords")
_SATB_ROLE = {"soprano": "S", "alto": "A", "tenor": "T", "bass": "B"}
_CHORD_STATES = (_CHORDS, _ROOT, _QUAL, _BASS, _CPOS)
_VOICE_STATES = (_VOICE, _NPOS, _PITCH)
_EPS = 1e-6


# ============================================================================ input checks
def load_piece(source: Piece | str | os.PathLike, *, tune: int = 1) -> Piece:
    """`source` itself if it is a Piece, else tune number `tune` (1-based) of the file.
    `inputs.InputError` (a ValueError) names the file when it cannot be read."""
    if isinstance(source, Piece):
        return source
    from tunesmith import limits
    from tunesmith.inputs import InputError, check_local_file, read_file

    if not Path(os.fspath(source)).is_dir():  # (a POP909 song folder is read by read_file)
        check_local_file(source, max_bytes="MAX_COCREATE_FILE_BYTES")  # size limit before reading
    import warnings

    from tunesmith.inputs import sniff

    path = Path(os.fspath(source))
    one_tune = not path.is_dir() and (sniff(path) == "abc" or (sniff(path) is None and path.suffix.lower() == ".abc"))
    # co-create's bar limit applies while reading: a file declaring thousands of measures is
    # refused before music21 parses it; of an ABC book only the asked tune is parsed
    scope = limits.tighter(MAX_PIECE_BARS=limits.limit("MAX_COCREATE_BARS"),
                           MAX_PIECE_NOTES=limits.limit("MAX_COCREATE_NOTES"))
    with warnings.catch_warnings(), scope:
        warnings.filterwarnings("ignore", message="skipped ABC tune")
        pieces = read_file(source, only=tune - 1) if one_tune and tune >= 1 else read_file(source)
    if not pieces:
        raise InputError(f"{source}: no music found in the file")
    if one_tune and tune >= 1:
        tune = 1
    if not 1 <= tune <= len(pieces):
        raise ValueError(f"{source}: the file holds {len(pieces)} tune(s); tune {tune} does not exist")
    piece = pieces[tune - 1]
    if not piece.path:
        piece.path = os.fspath(source)
    with limits.tighter(MAX_PIECE_NOTES=limits.limit("MAX_COCREATE_NOTES")):
        limits.check_piece(piece, max_bars="MAX_COCREATE_BARS")  # co-create's cost grows with the bars
    return piece


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
    if track is None or not track.notes:
        raise ValueError(f"{_where(piece)}: empty melody: no notes to {verb}")
    return track


def _style_of(style: str | None, piece: Piece) -> str:
    if style is None:
        return piece.style if piece.style in STYLES else "folk"
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; one of {', '.join(STYLES)}")
    return style


def _key_of(piece: Piece, key: str | None, mode: str | None) -> tuple[str, str]:
    """(tonic spelled as a tokenizer note name, mode) from the arguments, else the piece's key
    signature, else the key estimated from its notes."""
    if key is None:
        from tunesmith import harmony

        k = piece.key or harmony.estimate_key(piece)
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
        if isinstance(bars, bool) or not isinstance(bars, int) or not 1 <= bars <= MAX_REQUEST_BARS:
            raise ValueError(f"bars must be an integer in 1..{MAX_REQUEST_BARS}, got {bars!r}")
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

    @property
    def n(self) -> int:
        return len(self.starts)

    def end_of(self, i: int) -> float:
        if i + 1 < len(self.starts):
            return self.starts[i + 1]
        return self.starts[i] + (self.L - (self.pickup if i == 0 else 0)) / TICKS_PER_BEAT

    def number(self, i: int) -> int:
        """The musician's number of bar index i (1-based; a pickup is bar 0)."""
        return i if self.pickup else i + 1

    def index(self, number: int) -> int:
        return number if self.pickup else number - 1

    def extended(self, bars: int) -> _Grid:
        end = self.end_of(self.n - 1)
        step = self.L / TICKS_PER_BEAT
        return _Grid([*self.starts, *(end + i * step for i in range(bars))], self.pickup, self.L, self.meter)


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
        raise ValueError(f"bar range {a}-{b}: the first bar comes first")
    return a, b


def _region_of(piece: Piece, grid: _Grid, bars: Any) -> tuple[int, int]:
    a, b = parse_bar_range(bars)
    lo, hi = grid.number(0), grid.number(grid.n - 1)
    if a < lo or b > hi:
        raise ValueError(f"{_where(piece)}: bars {a}-{b} are outside the piece, which has bars {lo}-{hi}")
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
        return "satb", found
    melody = piece.melody()
    return "lead", ({"M": melody} if melody is not None else {})


def _parse_keep(keep: Any, layout: str) -> tuple[frozenset[str], bool]:
    """(kept voice letters, chords kept) from keep=None | "melody" | "soprano,bass" | [roles]."""
    if keep is None:
        return frozenset(), False
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
def _work_piece(
    src: Piece,
    grid: _Grid,
    layout: str,
    notes: dict[str, list[Note]],
    chords: list[ChordSymbol],
    style: str,
    tonic: str,
    mode: str,
) -> Piece:
    """What is known, on the final bar grid, in the tokenizer's canonical voices."""
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
        keys=[KeySignature(0.0, tonic, mode)],
        time_signatures=[TimeSignature(0.0, num, den)],
        tempos=[Tempo(0.0, min(MAX_TEMPO, max(MIN_TEMPO, src.tempo)))],
        bar_onsets=list(grid.starts),
        end=grid.end_of(grid.n - 1),
    )


@dataclass
class _Job:
    """One co-creation: regenerate bars [g0, g1) of the work piece `W`."""

    W: Piece
    grid: _Grid
    layout: str
    region: tuple[int, int]
    forced_voices: frozenset[str]
    chords: str  # "free" | "forced" | "none"
    rhythm: str | None  # chord rhythm imposed on free chord sections (None: the model's own)
    guard: bool  # voice-leading mask (four voices)
    request: ComposeRequest  # style, key, meter, tempo, ranges, in_scale, layout for the automaton
    ranges: dict[str, tuple[int, int]]  # pitch range of every voice the model writes
    fim: bool
    free_per_bar: float  # expected tokens per bar the model writes (for block planning)
    lookahead: int = 0  # chord proposals per bar scored by the forced melody after them (0/1: off)
    # (onset in beats, pitch classes): chords planned by the harmonizer for the free voices (chorales)
    chord_plan: tuple[tuple[float, tuple[int, ...]], ...] = ()
    # the last bar written ends the piece under the request's cadence (a continuation)
    close: bool = False
    # the style's tuned decoding (`decoding.json`): tonal and rhythm feedback, closing degrees
    tuned: dict = field(default_factory=dict)

    @property
    def voices(self) -> tuple[str, ...]:
        return LAYOUTS[self.layout]


# ============================================================================ the automaton
class _CoConstrainer(Constrainer):
    """`sampling.Constrainer` plus the given music.

    - `scripts[(bar, voice index)]`: the note tokens of a kept voice in a region bar, forced one
      by one (then the token that closes the voice); `chord_scripts[bar]`: forced chord tokens
      ([] = no chord symbol in that bar);
    - cursors start where the music before the region leaves them (`cursors`, physical) while
      the decoder's own cursors (`dcursors`; 0 after <middle>) may differ: then a free voice's
      next note must say its position explicitly, so model and decoder agree on every onset;
    - `rhythm` imposes chords on free chord sections ("auto": one on every downbeat, more
      allowed; "bar": exactly one per bar; "half": one on each half bar); `first_pos`: where the
      music starts in bar 0 (a pickup), before which nothing is written;
    - `guard`: the voice-leading mask for free chorale voices;
    - the length budget counts the forced tokens still to come.
    Generated notes and chords are recorded as (voice, bar, pos, dur, pitch) and
    [bar, pos, root, quality, bass] in region bars and ticks.
    """

    def __init__(
        self,
        tables: _Tables,
        length: int,
        *,
        scripts: dict[tuple[int, int], list[int]],
        chord_scripts: dict[int, list[int]],
        cursors: list[int],
        dcursors: list[int],
        forced_after: list[int],
        rhythm: str | None,
        first_pos: int,
        bar_end: list[int],
        guard: VoiceLeading | None,
        info: _TokInfo,
    ):
        super().__init__(tables, length)
        self.bar_end = bar_end
        self.cursors = list(cursors)
        self.dcur = list(dcursors)
        self.scripts = scripts
        self.chord_scripts = chord_scripts
        self.forced_after = forced_after
        self.rhythm = rhythm
        self.first_pos = first_pos
        self.guard = guard
        self.info = info
        self.k = 0  # tokens of the current section so far
        self.had_pos = False
        self.pitch = 0
        self.notes: list[tuple[int, int, int, int, int]] = []
        self.new_chords: list[list] = []

    def clone(self) -> _CoConstrainer:
        other = copy.copy(self)
        other.cursors = list(self.cursors)
        other.dcur = list(self.dcur)
        other.notes = list(self.notes)
        other.new_chords = [list(c) for c in self.new_chords]
        other.guard = copy.deepcopy(self.guard)
        return other

    def at_free_chords(self) -> bool:
        """At the start of a bar whose chords are sampled and whose first voice is given."""
        return (
            self.state == _CHORDS
            and self.bar not in self.chord_scripts
            and (self.bar, 0) in self.scripts
            and not (self.bar == 0 and self.first_pos > 0)
        )

    # ---------------------------------------------------------------- forced tokens
    def _script(self) -> int | None:
        s = self.state
        if s in _CHORD_STATES:
            cs = self.chord_scripts.get(self.bar)
            if cs is None:
                return None
            return cs[self.k] if self.k < len(cs) else self.t.voice_tok[0]
        if s in _VOICE_STATES:
            sc = self.scripts.get((self.bar, self.v))
            if sc is None:
                return None
            return sc[self.k] if self.k < len(sc) else self._end_token()
        return None

    def _tight(self) -> bool:
        t = self.t
        need = (t.n_bars - 1 - self.bar) * t.per_bar + (len(t.voices) - self.v) + 6
        need += self.forced_after[max(self.bar, 0)]
        return self.length + need >= t.max_len

    # ---------------------------------------------------------------- masks
    def allowed(self) -> np.ndarray:
        forced = self._script()
        if forced is not None:
            return np.array([forced])
        base = super().allowed()
        s = self.state
        if s in _CHORD_STATES:
            return self._chord_rules(base)
        if s == _VOICE:
            return self._voice_rules(base)
        if s == _NPOS and self.guard is not None:
            return self._guard_pitches(base, self.bar * self.t.L + self.note_pos)
        if s == _PITCH and self.guard is not None:
            limit = self.guard.max_duration(self.v, self.bar * self.t.L + self.note_pos, self.pitch)
            if limit is not None:
                vals = self.info.val[base]
                keep = base[vals <= limit]
                return keep if len(keep) else base[:1]
        return base

    def _chord_rules(self, base: np.ndarray) -> np.ndarray:
        info, s = self.info, self.state
        cat = info.cat[base]
        is_pos = cat == _C_POS
        end = self.bar_end[self.bar]
        if end < self.t.L:  # a short bar (a repeat's split bar): nothing after its end
            keep = ~is_pos | (info.val[base] < end)
            base, cat, is_pos = base[keep], cat[keep], is_pos[keep]
        if self.bar == 0 and self.first_pos > 0:
            # the pickup bar: chords only where the music is, none required
            keep = ~is_pos | (info.val[base] >= self.first_pos)
            if s == _CHORDS:
                keep &= cat != _C_ROOT
            out = base[keep]
            return out if len(out) else np.array([self.t.voice_tok[0]])
        rhythm = self.rhythm
        if rhythm is None or self._tight():
            return base
        if s == _CHORDS:
            out = base[cat == _C_ROOT]
            return out if len(out) else base
        if s in (_QUAL, _BASS):
            if rhythm == "bar":
                return base[~is_pos]
            if rhythm == "half":
                half = self.info.half
                if half and self.chord_pos < half < end:
                    out = base[(cat == _C_BASS) | (base == self.info.pos_base + half)]
                    return out if len(out) else base
                return base[~is_pos]
        return base

    def _voice_rules(self, base: np.ndarray) -> np.ndarray:
        cur = self.cursor
        L = self.t.L
        if cur >= L:
            return base
        end = self.bar_end[self.bar]
        if end < L:  # a short bar: no note starts after its end
            end_tok = self._end_token()
            if cur >= end and end_tok in base:
                return np.array([end_tok])
            cat = self.info.cat[base]
            base = base[(cat != _C_POS) | (self.info.val[base] < end)]
        if self.dcur[self.v] != cur:
            # the decoder would start an unpositioned note elsewhere: say the position
            base = base[self.info.cat[base] != _C_PITCH]
            base = np.concatenate([np.array([self.info.pos_base + cur]), base])
            return base
        if self.guard is not None:
            return self._guard_pitches(base, self.bar * L + cur)
        return base

    def _guard_pitches(self, base: np.ndarray, onset: int) -> np.ndarray:
        is_pitch = self.info.cat[base] == _C_PITCH
        if not is_pitch.any():
            return base
        ok = self.guard.pitch_ok(self.v, onset, self.info.val[base[is_pitch]])
        keep = ~is_pitch
        keep[np.flatnonzero(is_pitch)[ok]] = True
        return base[keep]

    # ---------------------------------------------------------------- state
    def advance(self, tok: int) -> None:
        info = self.info
        c = self.t.cat[tok]
        s = self.state
        scripted = s in _VOICE_STATES and (self.bar, self.v) in self.scripts
        chord_free = s in _CHORD_STATES and self.bar not in self.chord_scripts
        if c == _C_PITCH:
            self.pitch = self.t.val[tok]
        if c == _C_POS and s == _VOICE:
            self.had_pos = True
        super().advance(tok)
        if c == _C_BAR:
            if self.bar > 0:
                self.dcur = [max(0, x - self.t.L) for x in self.dcur]
            self.k = 0
        elif c == _C_VOICE:
            self.k = 0
            self.had_pos = False
        else:
            self.k += 1
        if c == _C_DUR:
            d = self.t.val[tok]
            start = self.note_pos if self.had_pos else self.dcur[self.v]
            self.dcur[self.v] = start + d
            self.had_pos = False
            if scripted:
                self.cursor = start + d
            else:
                self.notes.append((self.v, self.bar, start, d, self.pitch))
                if self.guard is not None:
                    at = self.bar * self.t.L + start
                    self.guard.add(self.v, at, at + d, self.pitch)
        elif chord_free and c == _C_ROOT:
            self.new_chords.append([self.bar, self.chord_pos, self.t.note_name(info.names[tok]), "", None])
        elif chord_free and c == _C_QUAL and self.new_chords:
            self.new_chords[-1][3] = quality_suffix(info.names[tok])
        elif chord_free and c == _C_BASS and self.new_chords:
            self.new_chords[-1][4] = self.t.note_name(info.names[tok])


@dataclass
class _TokInfo:
    """Per-token arrays for the masks (category, value, name after the '_')."""

    cat: np.ndarray
    val: np.ndarray
    names: list[str]
    pos_base: int
    half: int  # ticks of half a bar where a half-bar chord makes sense (0: none)


def _tok_info(tok: Tokenizer, tables: _Tables, meter: str) -> _TokInfo:
    num = int(meter.split("/")[0])
    L = meter_ticks(meter)
    half = L // 2 if num % 2 == 0 else 0
    return _TokInfo(
        np.array(tables.cat),
        np.array(tables.val),
        [name.partition("_")[2] for name in tok.vocab],
        tok.pos_base,
        half,
    )


# ============================================================================ tokens
def _bar_sections(tok: Tokenizer, ids: list[int], start: int) -> list[dict]:
    """Bars of `ids` from index `start` (a `Bar`) to the next section marker or <eos>:
    [{"chords": [ids], "voices": {letter: [ids]}, "at": index}]."""
    stops = {tok.eos_id, tok.fill_id, tok.suffix_id, tok.middle_id}
    voice_ids = {tok.voice_id(v): v for v in tok.voice_order}
    bars: list[dict] = []
    voice = None
    for i in range(start, len(ids)):
        t = ids[i]
        if t in stops:
            break
        if t == tok.bar_id:
            bars.append({"chords": [], "voices": {}, "at": i})
            voice = None
        elif not bars:
            continue
        elif t in voice_ids:
            voice = voice_ids[t]
            bars[-1]["voices"][voice] = []
        elif voice is None:
            bars[-1]["chords"].append(t)
        else:
            bars[-1]["voices"][voice].append(t)
    return bars


def _first_bar(tok: Tokenizer, ids: list[int]) -> int:
    return ids.index(tok.bar_id)


def _decoder_cursors(
    tok: Tokenizer, ids: list[int], start: int, stop: int, voices: tuple[str, ...], L: int
) -> list[int]:
    """The decoder's voice cursors at `stop` (a `Bar` index), relative to that bar's start,
    replaying ids[start:stop] the way `Tokenizer.decode` does."""
    cursors = dict.fromkeys(voices, 0)
    prev = None
    voice = None
    pos = None
    for t in ids[start:stop]:
        if t == tok.bar_id:
            if prev is not None:
                cursors = {v: max(0, c - prev) for v, c in cursors.items()}
            prev = L
            voice, pos = None, None
        elif tok.voice_base <= t < tok.voice_base + len(tok.voice_order):
            voice, pos = tok.voice_order[t - tok.voice_base], None
        elif voice is not None and tok.pos_base <= t < tok.pos_base + MAX_BAR_TICKS:
            pos = t - tok.pos_base
        elif voice in cursors and t >= tok.dur_base:
            start_at = cursors[voice] if pos is None else pos
            cursors[voice] = start_at + DUR_TICKS[t - tok.dur_base]
            pos = None
    if prev is None:
        return [0] * len(voices)
    return [max(0, cursors[v] - L) for v in voices]


def _bar_costs(tok: Tokenizer, ids: list[int], job: _Job) -> tuple[int, list[int], list[int]]:
    """(header length, tokens of every bar, forced tokens of every bar) of a plain encoding."""
    first = _first_bar(tok, ids)
    secs = _bar_sections(tok, ids, first)
    total, forced = [], []
    for sec in secs:
        total.append(1 + len(sec["chords"]) + sum(1 + len(x) for x in sec["voices"].values()))
        f = 1 + len(LAYOUTS[job.layout])
        f += sum(len(sec["voices"].get(v, [])) for v in job.forced_voices)
        if job.chords == "forced":
            f += len(sec["chords"])
        forced.append(f)
    return first, total, forced


# ============================================================================ planning
def _budget(job: _Job, forced: int, bars: int) -> int:
    return forced + math.ceil(job.free_per_bar * bars) + 8


def _plan_chunk(tok: Tokenizer, job: _Job, W: Piece, c0: int, g1: int, block: int) -> tuple[int, int]:
    """(w0, c1): the next plain-order chunk [c0, c1) and the first context bar w0."""
    ids = tok.encode(W, start_bar=0, end_bar=g1)
    header, total, forced = _bar_costs(tok, ids, job)
    header += 2
    for ctx in sorted({min(k, c0) for k in (4, 2, 1, 0)}, reverse=True):  # some context first, then length
        for c1 in range(min(g1, c0 + MAX_REQUEST_BARS), c0, -1):
            need = header + _budget(job, sum(forced[c0:c1]), c1 - c0)
            if need + sum(total[c0 - ctx : c0]) > block:
                continue
            w0 = c0 - ctx
            while w0 > 0 and need + sum(total[w0 - 1 : c0]) <= block:
                w0 -= 1
            return w0, c1
    raise ValueError(
        f"bar {job.grid.number(c0)} does not fit in the model's {block}-token block; the model is too small for this piece"
    )


def _plan_window(tok: Tokenizer, job: _Job, block: int) -> tuple[int, int]:
    """(w0, w1): the bars around the inpaint region kept as context (as many as fit)."""
    g0, g1 = job.region
    ids = tok.encode(job.W)
    header, total, forced = _bar_costs(tok, ids, job)
    header += 5
    need = header + _budget(job, sum(forced[g0:g1]), g1 - g0)
    if need > block:
        raise ValueError(
            f"bars {job.grid.number(g0)}-{job.grid.number(g1 - 1)} are too many to regenerate at once "
            f"with this model ({block}-token block); choose fewer bars"
        )
    w0, w1 = g0, g1
    used = need
    grew = True
    while grew:
        grew = False
        if w0 > 0 and used + total[w0 - 1] <= block:
            w0 -= 1
            used += total[w0]
            grew = True
        if w1 < len(total) and used + total[w1] <= block:
            used += total[w1]
            w1 += 1
            grew = True
    return w0, w1


# ============================================================================ one region
def _tables(tok: Tokenizer, job: _Job, bars: int, block: int, close: bool = False) -> tuple[_Tables, _TokInfo]:
    request = dataclasses.replace(job.request, bars=bars, chords=None)
    tables = _Tables(tok, request, block, close=close)
    # the style's tonal and rhythm feedback and closing degrees, as compose has them
    set_tonal_feedback(tables, request, job.tuned)
    set_rhythm_feedback(tables, request, job.tuned)
    set_closing_shares(tables, job.tuned)
    scale = scale_pitch_classes(pitch_class_of(request.key), request.mode) if request.in_scale else None
    for i, v in enumerate(job.voices):
        lo, hi = job.ranges.get(v, (PITCH_MIN, PITCH_MAX))
        ps = [p for p in range(lo, hi + 1) if scale is None or p % 12 in scale]
        tables.pitches[i] = np.array([tok.pitch_id(p, tables.shift) for p in ps], dtype=np.int64)
    # chord roots and slash basses spelled the way the key spells them (as in training data)
    names = [n for n in names_for_key(request.key, request.mode) if scale is None or pitch_class_of(n) in scale]
    tables.roots = np.array([tok.root_id(x, tables.shift) for x in names], dtype=np.int64)
    tables.basses = [
        np.array([tok.bass_id(x, tables.shift) for x in names if pitch_class_of(x) != pc], dtype=np.int64)
        for pc in range(12)
    ]
    if job.chords == "free" and job.rhythm is not None:
        tables.per_bar += 4 if job.rhythm == "half" else 2
    return tables, _tok_info(tok, tables, job.grid.meter)


def _known_for_guard(job: _Job, W: Piece, t0: float, t1: float, pick0: int) -> VoiceLeading:
    guard = VoiceLeading(len(job.voices))
    span = job.grid.L / TICKS_PER_BEAT
    for i, track in enumerate(W.tracks):
        for nt in track.notes:
            if nt.onset + nt.duration < t0 - span or nt.onset > t1 + span:
                continue
            s = round((nt.onset - t0) * TICKS_PER_BEAT) + pick0
            e = s + max(1, round(nt.duration * TICKS_PER_BEAT))
            guard.add(i, s, e, nt.pitch)
    for onset, pcs in job.chord_plan:
        if t0 - 1e-9 <= onset < t1 + span:
            guard.chord_tones[round((onset - t0) * TICKS_PER_BEAT) + pick0] = np.array(pcs, np.int64)
    return guard


@dataclass
class _Result:
    notes: dict[str, list[Note]] = field(default_factory=dict)
    chords: list[ChordSymbol] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    forced: list[bool] = field(default_factory=list)
    seconds: float = 0.0
    chunks: int = 0
    window: tuple[int, int] = (0, 0)  # bar indices of the (last) window the model saw
    ending: dict = field(default_factory=dict)  # a closing continuation's drawn degree and last length


def _feedback_counts(W: Piece, job: _Job, tables: _Tables, t0: float, t1: float) -> tuple[np.ndarray, np.ndarray]:
    """What the tonal and rhythm feedback have heard before a region is written: the melody's
    time (ticks) on each scale degree and each voice's notes of each length, over the music
    outside [t0, t1) (the musician's and what earlier chunks wrote), so that a continuation is
    steered by the whole piece, as a composed take is by its own music so far."""
    degree_time = np.zeros(12)
    dur_counts = np.zeros((len(job.voices), len(DUR_TICKS)))
    if tables.tonal_target is None and tables.rhythm_target is None:
        return degree_time, dur_counts
    lengths = np.array(DUR_TICKS)
    for vi, track in enumerate(W.tracks[: len(job.voices)]):
        for nt in track.notes:
            if t0 - _EPS <= nt.onset < t1 - _EPS:
                continue
            ticks = max(1, round(nt.duration * TICKS_PER_BEAT))
            if vi == 0:
                degree_time[(nt.pitch - tables.tonic_pc) % 12] += ticks
            dur_counts[vi, int(np.argmin(np.abs(lengths - ticks)))] += 1
    return degree_time, dur_counts


def _generate_region(
    model,
    tok: Tokenizer,
    job: _Job,
    W: Piece,
    w0: int,
    c0: int,
    c1: int,
    w1: int,
    rows: int,
    rng: np.random.Generator,
    temperature: float,
    top_p: float,
) -> list[_Result]:
    """Sample bars [c0, c1) of W `rows` times; window [w0, w1) (FIM when job.fim)."""
    block = model.config.block_size
    grid, voices = job.grid, job.voices
    fim = (c0 - w0, c1 - w0) if job.fim else None
    ids = tok.encode(W, start_bar=w0, end_bar=w1, fim=fim)
    if job.fim:
        p = ids.index(tok.middle_id) + 1
    else:
        bar_at = [i for i, t in enumerate(ids) if t == tok.bar_id]
        p = bar_at[c0 - w0]
    prompt = ids[:p]
    sections = _bar_sections(tok, ids, p)
    nb = c1 - c0
    if len(sections) != nb:  # cannot happen: the work piece is on the grid
        raise RuntimeError(f"expected {nb} bars to write, the encoding has {len(sections)}")
    scripts: dict[tuple[int, int], list[int]] = {}
    chord_scripts: dict[int, list[int]] = {}
    per_bar_forced = []
    for r, sec in enumerate(sections):
        f = 0
        for i, v in enumerate(voices):
            if v in job.forced_voices:
                scripts[(r, i)] = list(sec["voices"].get(v, []))
                f += len(scripts[(r, i)])
        if any(tok.vocab[t].startswith("Meter_") for t in sec["chords"]):
            raise ValueError(f"{_where(W)}: the meter changes inside the bars to write")
        if job.chords == "forced":
            chord_scripts[r] = list(sec["chords"])
            f += len(chord_scripts[r])
        elif job.chords == "none":
            chord_scripts[r] = []
        per_bar_forced.append(f)
    forced_after = [sum(per_bar_forced[r:]) for r in range(nb + 1)]
    tables, info = _tables(tok, job, nb, block, close=job.close and c1 == grid.n)
    if len(prompt) + forced_after[0] + nb * tables.per_bar + 8 > block:
        raise ValueError(f"the piece is too long for the model's {block}-token block")

    # where every voice stands at the region start
    t0 = grid.starts[c0]
    t1 = grid.end_of(c1 - 1)
    pick0 = grid.pickup if c0 == 0 else 0
    phys = []
    for v in voices:
        track = W.tracks[voices.index(v)]
        end = pick0
        for nt in track.notes:
            if nt.onset < t0 - _EPS:
                end = max(end, math.ceil((nt.onset + nt.duration - t0) * TICKS_PER_BEAT - 1e-6) + pick0)
        phys.append(end)
    if job.fim:
        dcur = [0] * len(voices)
    else:
        dcur = _decoder_cursors(tok, ids, _first_bar(tok, ids), p, voices, grid.L)
    guard = _known_for_guard(job, W, t0, t1, pick0) if job.guard else None
    bar_end = []
    for r in range(nb):
        g = c0 + r
        ticks = round((grid.end_of(g) - grid.starts[g]) * TICKS_PER_BEAT) + (grid.pickup if g == 0 else 0)
        bar_end.append(min(grid.L, max(1, ticks)))

    autos = [
        _CoConstrainer(
            tables,
            len(prompt),
            scripts=scripts,
            chord_scripts=chord_scripts,
            cursors=phys,
            dcursors=dcur,
            forced_after=forced_after,
            rhythm=job.rhythm if job.chords == "free" else None,
            first_pos=pick0,
            bar_end=bar_end,
            guard=copy.deepcopy(guard),
            info=info,
        )
        for _ in range(rows)
    ]
    heard = _feedback_counts(W, job, tables, t0, t1)
    for a in autos:
        a.degree_time, a.dur_counts = heard[0].copy(), heard[1].copy()
        a.draw_ending(rng)  # the closing degree and last length of a closing continuation (else nothing)
    t_start = time.perf_counter()
    if job.lookahead > 1 and job.chords == "free" and any(i == 0 for _, i in scripts):
        seqs, lps, forced = [], [], []
        for r in range(rows):
            seq, lp, fo, autos[r] = _decode_lookahead(model, prompt, autos[r], job.lookahead, temperature, top_p, rng)
            seqs.append(seq)
            lps.append(lp)
            forced.append(fo)
    else:
        seqs, lps, forced = _decode_rows(model, prompt, autos, temperature, top_p, rng)
    seconds = (time.perf_counter() - t_start) / rows

    results = []
    for r, auto in enumerate(autos):
        res = _Result(tokens=seqs[r], logprobs=lps[r], forced=forced[r], seconds=seconds, chunks=1, window=(w0, w1))
        if auto.final_degree is not None:
            res.ending["closing_degree"] = auto.final_degree
        if auto.final_ticks is not None:
            res.ending["final_ticks"] = auto.final_ticks
        for vi, bar, pos, dur, pitch in auto.notes:
            g = c0 + bar
            onset = grid.starts[g] + (pos - (grid.pickup if g == 0 else 0)) / TICKS_PER_BEAT
            if onset < -_EPS or onset >= grid.end_of(g) - _EPS or onset >= t1 - _EPS:
                continue
            duration = min(dur / TICKS_PER_BEAT, t1 - onset)
            res.notes.setdefault(voices[vi], []).append(Note(pitch, max(0.0, onset), duration))
        for bar, pos, root, quality, bass in auto.new_chords:
            g = c0 + bar
            onset = grid.starts[g] + (pos - (grid.pickup if g == 0 else 0)) / TICKS_PER_BEAT
            if onset < -_EPS or onset >= grid.end_of(g) - _EPS:
                continue
            res.chords.append(ChordSymbol(max(0.0, onset), join_figure(root, quality, bass)))
        results.append(res)
    return results


def _step_all(decoder, ids: list[int]) -> np.ndarray:
    """Feed `ids` (one row) and return the logits after EVERY one of them, (T, V)."""
    return decoder.step_all(np.array([ids]))[0]


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits.astype(np.float64)
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


DISTINCT_POSTERIOR = True  # see _decode_lookahead; False: plain importance resampling (A/B)
# How sharply a bar's chords are chosen among the distinct proposals: weights are posterior **
# (1 / this); 1.0 samples the posterior, lower leans to its mode. Chosen on the validation split
# (scripts/eval_cocreate.py --split valid, 30 excerpts, default model, root accuracy per beat):
# Nottingham 0.517 at 1.0, 0.586 at 0.3, 0.582 at 0.1; POP909 0.260 at 1.0, 0.271 at 0.3.
LOOKAHEAD_CHOICE_TEMPERATURE = 0.3


def _decode_lookahead(
    model, prompt: list[int], auto: _CoConstrainer, k: int, temperature: float, top_p: float, rng
) -> tuple[list[int], list[float], list[bool], _CoConstrainer]:
    """One row, where each free chord section is chosen among `k` proposals.

    At the start of a bar with sampled chords and a given melody, `k` chord sections are drawn
    from the model (under the automaton); each is scored by the log-likelihood the model gives
    the forced tokens that follow it (the bar's melody, up to the next sampled token), and one is
    kept with probability proportional to prior x likelihood over the distinct proposals (the
    model's posterior given the melody of its own bar, not only the bars before), sharpened by
    `LOOKAHEAD_CHOICE_TEMPERATURE`; `DISTINCT_POSTERIOR` False: plain importance resampling.
    Elsewhere decoding is as in `_decode_rows` at batch 1. Returns the automaton that was kept.
    """
    decoder = _decoder_for(model)
    max_len = model.config.block_size
    decoder.reset(1, max_len)
    seq, lps, forced = list(prompt), [0.0] * len(prompt), [True] * len(prompt)
    with single_thread_blas():
        logits = decoder.step(np.array([prompt]))[0]
        while not auto.done:
            if auto.at_free_chords():
                start = decoder.length
                cands = []
                for _ in range(k):
                    a = auto.clone()
                    toks, tl, tf, lg = [], [], [], logits
                    while a.state in _CHORD_STATES:  # the chord section, up to the first voice marker
                        allowed = a.allowed()
                        tok, lp = _sample(lg, allowed, temperature, top_p, rng)
                        a.advance(tok)
                        toks.append(tok)
                        tl.append(lp)
                        tf.append(len(allowed) == 1)
                        lg = decoder.step(np.array([[tok]]))[0]
                    run = []
                    while not a.done and not a.at_free_chords():
                        allowed = a.allowed()
                        if len(allowed) != 1:
                            break
                        run.append(int(allowed[0]))
                        a.advance(run[-1])
                    score = 0.0
                    if run:
                        every = _step_all(decoder, run)
                        prev = np.vstack([lg[None, :], every[:-1]])
                        score = float(_log_softmax(prev)[np.arange(len(run)), run].sum())
                    cands.append((score, toks, tl, tf, run, a))
                    decoder.length = start  # rewind: the next proposal starts from the same cache
                # Distinct proposals weighted by prior x likelihood: the exact posterior over the
                # chords proposed (importance resampling with duplicates is a poorer sampler when
                # the prior is diffuse: the same few chords are drawn again and again).
                if DISTINCT_POSTERIOR:
                    seen: dict[tuple, int] = {}
                    for i, c in enumerate(cands):
                        seen.setdefault(tuple(c[1]), i)
                    cands = [cands[i] for i in sorted(seen.values())]
                    scores = np.array([c[0] + float(np.sum(c[2])) for c in cands])
                else:
                    scores = np.array([c[0] for c in cands])
                w = np.exp((scores - scores.max()) / LOOKAHEAD_CHOICE_TEMPERATURE)
                j = int(rng.choice(len(cands), p=w / w.sum()))
                _, toks, tl, tf, run, auto = cands[j]
                seq += toks + run
                lps += tl + [0.0] * len(run)
                forced += tf + [True] * len(run)
                if auto.done:
                    break
                logits = decoder.step(np.array([toks + run]))[0]
                continue
            allowed = auto.allowed()
            tok, lp = _sample(logits, allowed, temperature, top_p, rng)
            auto.advance(tok)
            row = [tok]
            seq.append(tok)
            lps.append(lp)
            forced.append(len(allowed) == 1)
            while not auto.done and not auto.at_free_chords():
                allowed = auto.allowed()
                if len(allowed) != 1:
                    break
                row.append(int(allowed[0]))
                auto.advance(row[-1])
                seq.append(row[-1])
                lps.append(0.0)
                forced.append(True)
            if auto.done:
                break
            if decoder.length + len(row) > max_len:
                raise RuntimeError("co-creation ran past the model's block size")
            logits = decoder.step(np.array([row]))[0]
    return seq, lps, forced, auto


def _decode_rows(model, prompt: list[int], autos: list[_CoConstrainer], temperature: float, top_p: float, rng):
    """Sample every row's tokens under its automaton (`sampling.decode_rows`)."""
    with single_thread_blas():
        return decode_rows(_decoder_for(model), prompt, autos, temperature, top_p, rng, model.config.block_size)


def _add_to_work(W: Piece, job: _Job, res: _Result) -> None:
    for v, notes in res.notes.items():
        W.tracks[job.voices.index(v)].notes.extend(notes)
    W.chords = sorted([*W.chords, *res.chords], key=lambda c: c.onset)


def _run(model, tok: Tokenizer, job: _Job, n: int, seed: int | None, batch_size: int):
    """`n` results for the job: the generated notes (per voice) and chords in real time; the seed;
    the temperatures and top-p sampled at (the request's, else the style's tuned ones)."""
    temperature, top_p, rhythm_temperature, temps = sampling_params(tok, job.tuned, job.request)
    decoding = {"temperature": temperature, "rhythm_temperature": rhythm_temperature, "top_p": top_p}
    results, seed = _run_jobs(model, tok, job, n, seed, temps, top_p, batch_size)
    return results, seed, decoding


def _run_jobs(model, tok: Tokenizer, job: _Job, n: int, seed: int | None, temperature, top_p: float, batch_size: int):
    if seed is None:
        seed = int.from_bytes(os.urandom(4), "little")
    rng = np.random.default_rng(seed)
    block = model.config.block_size
    g0, g1 = job.region
    results: list[_Result] = []
    if job.fim:
        w0, w1 = _plan_window(tok, job, block)
        for start in range(0, n, batch_size):
            rows = min(batch_size, n - start)
            results += _generate_region(model, tok, job, job.W, w0, g0, g1, w1, rows, rng, temperature, top_p)
        return results, seed
    w0, c1 = _plan_chunk(tok, job, job.W, g0, g1, block)
    if c1 == g1:  # one chunk: all takes in batches
        for start in range(0, n, batch_size):
            rows = min(batch_size, n - start)
            results += _generate_region(model, tok, job, job.W, w0, g0, g1, g1, rows, rng, temperature, top_p)
        return results, seed
    for _ in range(n):  # chunks: each take continues its own music
        W = copy.deepcopy(job.W)
        total = _Result()
        c0 = g0
        while c0 < g1:
            w0, c1 = _plan_chunk(tok, job, W, c0, g1, block)
            (res,) = _generate_region(model, tok, job, W, w0, c0, c1, c1, 1, rng, temperature, top_p)
            _add_to_work(W, job, res)
            for v, notes in res.notes.items():
                total.notes.setdefault(v, []).extend(notes)
            total.chords += res.chords
            total.tokens += res.tokens
            total.logprobs += res.logprobs
            total.forced += res.forced
            total.seconds += res.seconds
            total.chunks += 1
            total.window = res.window
            total.ending = res.ending
            c0 = c1
        results.append(total)
    return results, seed


# ============================================================================ checks
def _note_key(n: Note) -> tuple:
    return (n.pitch, n.onset, n.duration, n.velocity)


class KeptNotesError(ValueError):
    """A take that would not hold the musician's notes exactly: reported (one line), never written."""


def _assert_kept(kept: list[Note], out: list[Note], what: str) -> None:
    """Every note of `kept` is in `out` with the same values (a multiset check)."""
    from collections import Counter

    missing = Counter(map(_note_key, kept)) - Counter(map(_note_key, out))
    if missing:
        raise KeptNotesError(f"co-create changed the musician's notes ({what}): {sorted(missing)[:3]}")


def _finish_take(piece: Piece, res: _Result, seed: int, index: int, meta: dict) -> Take:
    piece.meta = {**piece.meta, "cocreate": {**meta, "seed": seed, "take": index}}
    return Take(
        piece,
        res.tokens,
        np.array(res.logprobs, np.float32),
        np.array(res.forced, bool),
        seed,
        res.seconds,
        {"take": index, "chunks": res.chunks, "window": list(res.window), **meta},
    )


def _lead_range(notes: list[Note], pitch_range: tuple[int, int] | None) -> tuple[int, int]:
    if pitch_range is not None:
        return int(pitch_range[0]), int(pitch_range[1])
    lo = max(PITCH_MIN, min(n.pitch for n in notes) - 3)
    hi = min(PITCH_MAX, max(n.pitch for n in notes) + 3)
    while hi - lo < 12:
        lo, hi = max(PITCH_MIN, lo - 1), min(PITCH_MAX, hi + 1)
    return lo, hi


def _request(
    style: str,
    tonic: str,
    mode: str,
    meter: str,
    piece: Piece,
    layout: str,
    pitch_range: tuple[int, int] | None,
    in_scale: bool,
    temperature: float | None,
    top_p: float | None,
    seed: int | None,
    **controls: Any,
) -> ComposeRequest:
    """The request co-create samples under; `controls`: tonal_feedback, rhythm_feedback, cadence."""
    return ComposeRequest(
        style=style,
        key=tonic,
        mode=mode,
        meter=meter,
        bars=1,
        tempo=min(MAX_TEMPO, max(MIN_TEMPO, piece.tempo)),
        pitch_range=pitch_range,
        in_scale=in_scale,
        temperature=temperature,
        top_p=top_p,
        seed=seed,
        layout=layout,
        **controls,
    )


def _ranges(layout: str, request: ComposeRequest, user_range: tuple[int, int] | None) -> dict[str, tuple[int, int]]:
    if layout == "lead":
        return request.voice_ranges()
    if user_range is None:
        return dict(TEXTBOOK_RANGES)
    return request.voice_ranges()


def _copy_meta(piece: Piece) -> dict:
    return copy.deepcopy(piece.meta)


# ============================================================================ continue
def continue_piece(
    model,
    tokenizer: Tokenizer,
    piece: Piece | str | os.PathLike,
    bars: int = 8,
    *,
    style: str | None = None,
    n: int = 1,
    seed: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    pitch_range: tuple[int, int] | None = None,
    in_scale: bool = False,
    key: str | None = None,
    mode: str | None = None,
    voice_leading: bool = True,
    batch_size: int = 16,
    tonal_feedback: float | None = None,
    rhythm_feedback: float | None = None,
    cadence: str | None = None,
) -> list[Take]:
    """The given music exactly as it is, then `bars` new bars in its key, meter and style.

    Prompt: header + the given bars' tokens (as many of the last bars as fit the block); then
    the new bars are sampled under the composer's constraints (grammar, meter, exact bar count,
    `pitch_range` — default: the melody's own range widened a little — and `in_scale`).
    A lead sheet gets melody and chord symbols, a chorale all four voices.

    Sampled as compose samples the style: its tuned temperature and top-p unless given, its
    tonal and rhythm feedback (weights as in `ComposeRequest`; they hear the given music too, so
    the whole piece is steered toward the style's profile), and, since the new bars end the
    piece, its cadence (`cadence` None: the style's default, "tonic" for every style now; "free":
    the continuation stops wherever the model leaves it, e.g. to be continued again), with the
    closing degree and the last note's length drawn as a composed take draws them.
    """
    piece = load_piece(piece)
    meter = _meter_of(piece)
    melody = _melody_track(piece, "continue")
    if isinstance(bars, bool) or not isinstance(bars, int) or not 1 <= bars <= MAX_REQUEST_BARS:
        raise ValueError(f"bars must be an integer in 1..{MAX_REQUEST_BARS}, got {bars!r}")
    _check_n(n)
    style = _style_of(style, piece)
    tonic, mode = _key_of(piece, key, mode)
    layout, vtracks = _voice_tracks(piece)
    grid = _grid(piece, meter).extended(bars)
    n_given = grid.n - bars
    controls = dict(tonal_feedback=tonal_feedback, rhythm_feedback=rhythm_feedback, cadence=cadence)
    if layout == "lead":
        request = _request(style, tonic, mode, meter, piece, layout, _lead_range(melody.notes, pitch_range),
                           in_scale, temperature, top_p, seed, **controls)  # fmt: skip
    else:
        request = _request(style, tonic, mode, meter, piece, layout, pitch_range, in_scale, temperature, top_p, seed,
                           **controls)  # fmt: skip
    W = _work_piece(piece, grid, layout, {v: list(t.notes) for v, t in vtracks.items()}, list(piece.chords),
                    style, tonic, mode)  # fmt: skip
    ids = tokenizer.encode(W, end_bar=n_given)
    given_bars = max(1, n_given)
    per_bar = (len(ids) - _first_bar(tokenizer, ids)) / given_bars
    job = _Job(
        W=W,
        grid=grid,
        layout=layout,
        region=(n_given, grid.n),
        forced_voices=frozenset(),
        chords="free",
        rhythm=None,
        guard=voice_leading and layout == "satb",
        request=request,
        ranges=_ranges(layout, request, pitch_range),
        fim=False,
        free_per_bar=max(1.3 * per_bar, 6.0),
        close=request.resolved_cadence() == "tonic",
        tuned=style_decoding(model, style),
    )
    results, seed, decoding = _run(model, tokenizer, job, n, seed, batch_size)
    boundary = grid.starts[n_given]
    takes = []
    for i, res in enumerate(results):
        out = copy.deepcopy(piece)
        out.meta = _copy_meta(piece)
        out.style = style
        if not out.keys:
            out.keys = [KeySignature(0.0, tonic, mode)]
        track_of = _output_tracks(out, piece, vtracks, layout)
        for v, notes in res.notes.items():
            track_of[v].notes.extend(notes)
        out.chords = [*out.chords, *sorted(res.chords, key=lambda c: c.onset)]
        out.bar_onsets = [*piece.bars(), *grid.starts[n_given:]]
        out.end = grid.end_of(grid.n - 1)
        for orig, new in zip(piece.tracks, out.tracks):
            _assert_kept(orig.notes, [x for x in new.notes if x.onset < boundary - _EPS], f"track {orig.name!r}")
            if any(x.onset < boundary - _EPS for x in new.notes[len(orig.notes) :]):
                raise KeptNotesError("co-create wrote a note inside the given music")
        meta = {"operation": "continue", "bars": bars, "given_bars": n_given, "style": style, **decoding,
                "cadence": request.resolved_cadence(), **res.ending}  # fmt: skip
        takes.append(_finish_take(out, res, seed, i, meta))
    return takes


def _output_tracks(out: Piece, piece: Piece, vtracks: dict[str, Track], layout: str) -> dict[str, Track]:
    """{voice letter: the output track that voice is written to} (new tracks for missing voices);
    the melody track is given the melody role when it had none, so writers put it first."""
    mapping: dict[str, Track] = {}
    for v in LAYOUTS[layout]:
        if v in vtracks:
            mapping[v] = out.tracks[next(i for i, t in enumerate(piece.tracks) if t is vtracks[v])]
        else:
            track = Track(VOICE_NAMES[v], VOICE_ROLES[v], program=52 if layout == "satb" else 0)
            out.tracks.append(track)
            mapping[v] = track
    first = mapping[LAYOUTS[layout][0]]
    if first.role not in ("melody", "soprano"):
        first.role = "melody" if layout == "lead" else "soprano"
    return mapping


# ============================================================================ harmonize
def harmonize(
    model,
    tokenizer: Tokenizer,
    melody_piece: Piece | str | os.PathLike,
    *,
    style: str | None = None,
    n: int = 1,
    seed: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    pitch_range: tuple[int, int] | None = None,
    in_scale: bool = False,
    key: str | None = None,
    mode: str | None = None,
    chord_rhythm: str | None = "auto",
    voice_leading: bool = True,
    lookahead: int = 8,
    batch_size: int = 16,
    chords_from: str = "harmonizer",
    harmonizer: Any = None,
    rhythm_feedback: float | None = None,
) -> list[Take]:
    """Harmonize the melody of `melody_piece` (its melody track, else soprano, else first part).

    Lead-sheet chords come from the harmonizer (`chords_from="harmonizer"`, the default: the
    network shipped beside the default model, or `harmonizer`, a `tunesmith.harmonizer.Harmonizer`
    or its folder; it hears the whole melody and names a chord per half bar; take 1 is its most
    likely progression, further takes are drawn from it), from the count table (`"table"`: the
    most frequent chord over the unit's melody notes in the shippable training split; further
    takes drawn in proportion to counts), or from the composer itself (`"model"`, below).
    Measured on held-out Nottingham and POP909 melodies by scripts/eval_cocreate.py. Chorales
    with `"harmonizer"`: the chorale harmonizer plans a chord on every beat of the soprano (one
    plan for all takes) and the alto, tenor and bass aim at its tones where the voice-leading
    rules allow.

    style "chorale": alto, tenor and bass under the melody as soprano, each voice in its vocal
    range (textbook SATB ranges unless `pitch_range` is given), no crossing of adjacent voices
    and no parallel fifths/octaves where the mask can avoid them (`voice_leading`); else a lead
    sheet: chord symbols, with a chord on every downbeat (`chord_rhythm` "auto"), exactly one
    per bar ("bar") or one per half bar ("half"; meters with an even numerator), or as the model
    likes (None). The melody is decoded FORCED token by token; only the other parts are
    sampled; the output's melody is a copy of the given notes. Chord symbols come before the
    melody of their bar in the token stream, so each bar's chords are chosen among `lookahead`
    proposals by how likely the model finds the bar's given melody after them (0/1: off).
    """
    piece = load_piece(melody_piece)
    meter = _meter_of(piece)
    melody = _melody_track(piece, "harmonize")
    _check_n(n)
    chord_rhythm = _rhythm(chord_rhythm)
    style = _style_of(style, piece)
    tonic, mode = _key_of(piece, key, mode)
    layout = "satb" if style == "chorale" else "lead"
    if chords_from not in CHORD_SOURCES:
        raise ValueError(f"chords_from must be one of {', '.join(CHORD_SOURCES)}, got {chords_from!r}")
    if layout == "lead" and chords_from != "model":
        return _harmonize_from_chords(piece, melody, style, tonic, mode, n, seed, chord_rhythm, chords_from, harmonizer)
    first = LAYOUTS[layout][0]
    grid = _grid(piece, meter)
    if layout == "lead":
        user = pitch_range or DEFAULT_RANGES.get(style, (55, 84))
        request = _request(style, tonic, mode, meter, piece, layout, user, in_scale, temperature, top_p, seed,
                           rhythm_feedback=rhythm_feedback)  # fmt: skip
    else:
        request = _request(style, tonic, mode, meter, piece, layout, pitch_range, in_scale, temperature, top_p, seed,
                           rhythm_feedback=rhythm_feedback)  # fmt: skip
    W = _work_piece(piece, grid, layout, {first: list(melody.notes)}, [], style, tonic, mode)
    ids = tokenizer.encode(W)
    secs = _bar_sections(tokenizer, ids, _first_bar(tokenizer, ids))
    melody_per_bar = sum(len(s["voices"].get(first, [])) for s in secs) / max(1, len(secs))
    free = 8.0 if layout == "lead" else 3 * (1.5 * melody_per_bar + 2)
    job = _Job(
        W=W,
        grid=grid,
        layout=layout,
        region=(0, grid.n),
        forced_voices=frozenset({first}),
        chords="free" if layout == "lead" else "none",
        rhythm=chord_rhythm,
        guard=voice_leading and layout == "satb",
        request=request,
        ranges=_ranges(layout, request, pitch_range),
        fim=False,
        free_per_bar=free,
        lookahead=lookahead if layout == "lead" else 0,
        chord_plan=_chorale_plan(W, tonic, mode, harmonizer) if layout == "satb" and chords_from == "harmonizer" else (),
        tuned=style_decoding(model, style),
    )
    results, seed, decoding = _run(model, tokenizer, job, n, seed, batch_size)
    takes = []
    for i, res in enumerate(results):
        given = Track(
            melody.name if layout == "lead" else "Soprano",
            "melody" if layout == "lead" else "soprano",
            melody.program if layout == "lead" else 52,
            False,
            [copy.copy(x) for x in melody.notes],
        )
        tracks = [given]
        if layout == "satb":
            for v in ("A", "T", "B"):
                notes = sorted(res.notes.get(v, []), key=lambda x: x.onset)
                tracks.append(Track(VOICE_NAMES[v], VOICE_ROLES[v], 52, False, notes))
        out = _harmonized_piece(
            piece,
            i,
            style,
            tracks,
            sorted(res.chords, key=lambda c: c.onset) if layout == "lead" else [],
            keys=(
                [KeySignature(0.0, tonic, mode)]
                if key is not None or mode is not None or not piece.keys
                else copy.deepcopy(piece.keys)
            ),
            end=max(piece.duration(), grid.end_of(grid.n - 1)),
        )
        _assert_kept(melody.notes, given.notes, "the melody")
        if [_note_key(x) for x in given.notes] != [_note_key(x) for x in melody.notes]:
            raise KeptNotesError("co-create changed the melody")
        meta = {"operation": "harmonize", "style": style, "layout": layout, "chord_rhythm": chord_rhythm, **decoding}
        takes.append(_finish_take(out, res, seed, i, meta))
    return takes


CHORD_SOURCES = ("harmonizer", "table", "model")


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
    piece: Piece, i: int, style: str, tracks: list[Track], chords: list[ChordSymbol], keys: list, end: float
) -> Piece:
    """Take `i` of a harmonization of `piece`: its meter, tempi and bars, the given parts."""
    return Piece(
        piece_id=f"{piece.piece_id}-harmonized-{i + 1}",
        work_id=piece.work_id,
        title=piece.title,
        style=style,
        source="tunesmith",
        path="",
        license=piece.license,
        tracks=tracks,
        chords=chords,
        keys=keys,
        time_signatures=copy.deepcopy(piece.time_signatures),
        tempos=copy.deepcopy(piece.tempos),
        bar_onsets=list(piece.bars()),
        end=end,
        meta={"harmonized_from": _where(piece)},
    )


def _harmonize_from_chords(
    piece: Piece, melody: Track, style: str, tonic: str, mode: str, n: int, seed: int | None, chord_rhythm: str | None,
    source: str, harmonizer: Any = None,
) -> list[Take]:  # fmt: skip
    """Lead-sheet harmonize with chords from the harmonizer network or the count table (`source`)."""
    import random

    t0 = time.perf_counter()
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    work = _melody_work(piece, melody, style, tonic, mode)
    downbeats = {round(b, 6) for b in piece.bars()}
    if source == "harmonizer":
        net = _harmonizer_of(harmonizer)
        meta_source = {"chords_from": "harmonizer", "harmonizer": net.info.get("name", "harmonizer")}

        def predict(i: int) -> list[ChordSymbol]:
            rng = np.random.default_rng(seed * 1_000_003 + i) if i else None
            unit = "bar" if chord_rhythm == "bar" else "half"
            return net.predict(work, key=work.keys[0], rng=rng, unit=unit, merge=False)
    else:
        table = chord_table()
        meta_source = {"chords_from": "table", "table_units": table.n_units}

        def predict(i: int) -> list[ChordSymbol]:
            return table.predict(work, rng=random.Random(seed * 1_000_003 + i) if i else None)

    takes = []
    for i in range(n):
        kept = _in_chord_rhythm(predict(i), chord_rhythm, downbeats, downbeats)
        tracks = [Track(melody.name, "melody", melody.program, False, [copy.copy(x) for x in melody.notes])]
        out = _harmonized_piece(piece, i, style, tracks, kept, [KeySignature(0.0, tonic, mode)], piece.duration())
        _assert_kept(melody.notes, out.tracks[0].notes, "the melody")
        meta = {"operation": "harmonize", "style": style, "layout": "lead", **meta_source, "chord_rhythm": chord_rhythm}
        out.meta = {**out.meta, "cocreate": {**meta, "seed": seed, "take": i}}
        takes.append(
            Take(out, [], np.zeros(0, np.float32), np.zeros(0, bool), seed, time.perf_counter() - t0, {"take": i, **meta})
        )
    return takes


def _chorale_plan(W: Piece, tonic: str, mode: str, harmonizer: Any = None) -> tuple:
    """The chorale harmonizer's chord on every beat of the soprano (empty when none is shipped)."""
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
    return tuple(net.plan(soprano, key=soprano.keys[0]))


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
        out = copy.deepcopy(piece)
        out.meta = _copy_meta(piece)
        out.chords = sorted([c for c in out.chords if not inside(c.onset)] + kept, key=lambda c: c.onset)
        for orig, new_track in zip(piece.tracks, out.tracks):
            if [_note_key(x) for x in orig.notes] != [_note_key(x) for x in new_track.notes]:
                raise KeptNotesError(f"co-create changed the kept track {orig.name!r}")
        g0, g1 = region
        meta = {"operation": "inpaint", "bars": [grid.number(g0), grid.number(g1 - 1)], "keep": ["melody"],
                "style": style, "chords_from": "harmonizer", "harmonizer": net.info.get("name", "harmonizer")}  # fmt: skip
        out.meta = {**out.meta, "cocreate": {**meta, "seed": seed, "take": i}}
        takes.append(Take(out, [], np.zeros(0, np.float32), np.zeros(0, bool), seed, time.perf_counter() - t_start,
                          {"take": i, **meta}))  # fmt: skip
    return takes


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


# ============================================================================ inpaint
def inpaint(
    model,
    tokenizer: Tokenizer,
    piece: Piece | str | os.PathLike,
    bars: Any = (5, 8),
    *,
    keep: Any = None,
    style: str | None = None,
    n: int = 1,
    seed: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    pitch_range: tuple[int, int] | None = None,
    in_scale: bool = False,
    key: str | None = None,
    mode: str | None = None,
    chord_rhythm: str | None = None,
    voice_leading: bool = True,
    lookahead: int = 8,
    batch_size: int = 16,
    chords_from: str = "harmonizer",
    harmonizer: Any = None,
    tonal_feedback: float | None = None,
    rhythm_feedback: float | None = None,
) -> list[Take]:
    """Regenerate bars `bars` (the musician's numbers, first and last inclusive: (5, 8) or "5-8").

    Fill-in-the-middle: the model sees the bars before and after and writes the middle under
    the composer's constraints. `keep` names parts kept inside the range too ("melody" -> new
    chords only, melody forced; "soprano", "bass", "chords" or a list of them); everything else
    the tokenizer writes (melody/voices and chord symbols) is regenerated there. Outside the
    range every note and chord stays as it was; tracks the tokenizer does not write
    (accompaniment, drums) are kept whole. Pitch range for a regenerated melody: the piece's
    own (widened a little) unless `pitch_range`; chorale voices: textbook SATB ranges.
    `chord_rhythm` for regenerated chord symbols: as in `harmonize`; None: "auto" (a chord on
    every downbeat) when a lead sheet's melody is kept, else the model's own ("free");
    `lookahead`: chord proposals per bar when the melody is kept (see `harmonize`).
    `chords_from`: when a lead sheet's melody is kept and only its chords are regenerated, they
    come from the harmonizer (default; it hears the whole melody, the bars around the range
    included; take 1 its best chords, further takes drawn), or from the composer ("model").
    Sampled at the style's tuned temperature and top-p unless given, with its tonal and rhythm
    feedback (which hear the music around the range too).
    """
    if chords_from not in ("harmonizer", "model"):
        raise ValueError(f"chords_from must be 'harmonizer' or 'model', got {chords_from!r}")
    piece = load_piece(piece)
    meter = _meter_of(piece)
    melody = _melody_track(piece, "inpaint")
    _check_n(n)
    grid = _grid(piece, meter)
    g0, g1 = _region_of(piece, grid, bars)
    style = _style_of(style, piece)
    tonic, mode = _key_of(piece, key, mode)
    layout, vtracks = _voice_tracks(piece)
    kept_voices, keep_chords = _parse_keep(keep, layout)
    voices = LAYOUTS[layout]
    if set(voices) <= kept_voices and keep_chords:
        raise ValueError("keep: every part is kept; nothing to regenerate")
    rhythm = _rhythm(chord_rhythm)
    if chord_rhythm is None and layout == "lead" and "M" in kept_voices:
        rhythm = "auto"
    t0, t1 = grid.starts[g0], grid.end_of(g1 - 1)

    def inside(x: float) -> bool:
        return t0 - _EPS <= x < t1 - _EPS

    if layout == "lead" and "M" in kept_voices and not keep_chords and chords_from == "harmonizer":
        return _rechord_region(piece, grid, (g0, g1), inside, style, tonic, mode, n, seed, rhythm, harmonizer)
    known: dict[str, list[Note]] = {}
    for v, track in vtracks.items():
        known[v] = list(track.notes) if v in kept_voices else [x for x in track.notes if not inside(x.onset)]
    chords = list(piece.chords) if keep_chords else [c for c in piece.chords if not inside(c.onset)]
    controls = dict(tonal_feedback=tonal_feedback, rhythm_feedback=rhythm_feedback)
    if layout == "lead":
        user = _lead_range(melody.notes, pitch_range)
        request = _request(style, tonic, mode, meter, piece, layout, user, in_scale, temperature, top_p, seed, **controls)
    else:
        request = _request(style, tonic, mode, meter, piece, layout, pitch_range, in_scale, temperature, top_p, seed,
                           **controls)  # fmt: skip
    W = _work_piece(piece, grid, layout, known, chords, style, tonic, mode)
    # expected tokens per bar of what is regenerated: the piece's own density
    full = _work_piece(piece, grid, layout, {v: list(t.notes) for v, t in vtracks.items()}, list(piece.chords),
                       style, tonic, mode)  # fmt: skip
    ids = tokenizer.encode(full)
    secs = _bar_sections(tokenizer, ids, _first_bar(tokenizer, ids))
    free_tokens = sum(
        sum(len(s["voices"].get(v, [])) for v in voices if v not in kept_voices)
        + (0 if keep_chords else len(s["chords"]))
        for s in secs
    )
    job = _Job(
        W=W,
        grid=grid,
        layout=layout,
        region=(g0, g1),
        forced_voices=kept_voices,
        chords="forced" if keep_chords else "free",
        rhythm=rhythm,
        guard=voice_leading and layout == "satb",
        request=request,
        ranges=_ranges(layout, request, pitch_range),
        fim=True,
        free_per_bar=1.3 * free_tokens / max(1, len(secs)) + 4,
        lookahead=lookahead if layout == "lead" and "M" in kept_voices else 0,
        tuned=style_decoding(model, style),
    )
    results, seed, decoding = _run(model, tokenizer, job, n, seed, batch_size)
    takes = []
    for i, res in enumerate(results):
        out = copy.deepcopy(piece)
        out.meta = _copy_meta(piece)
        track_of = _output_tracks(out, piece, vtracks, layout)
        for v, track in track_of.items():
            if v in kept_voices:
                continue
            track.notes = [x for x in track.notes if not inside(x.onset)]
            track.notes.extend(res.notes.get(v, []))
            track.notes.sort(key=lambda x: (x.onset, x.pitch))
        if not keep_chords:
            out.chords = sorted([c for c in out.chords if not inside(c.onset)] + res.chords, key=lambda c: c.onset)
        # the musician's notes: everything outside the range, and kept voices inside it too
        regenerated = {id(vtracks[v]) for v in voices if v in vtracks and v not in kept_voices}
        for orig, new in zip(piece.tracks, out.tracks):
            if id(orig) in regenerated:
                _assert_kept([x for x in orig.notes if not inside(x.onset)], new.notes, f"track {orig.name!r}")
            elif [_note_key(x) for x in orig.notes] != [_note_key(x) for x in new.notes]:
                raise KeptNotesError(f"co-create changed the kept track {orig.name!r}")
        if keep_chords and [(c.onset, c.figure) for c in out.chords] != [(c.onset, c.figure) for c in piece.chords]:
            raise KeptNotesError("co-create changed the kept chords")
        meta = {
            "operation": "inpaint",
            "bars": [grid.number(g0), grid.number(g1 - 1)],
            "keep": sorted(VOICE_ROLES[v] for v in kept_voices) + (["chords"] if keep_chords else []),
            "style": style,
            **decoding,
        }
        takes.append(_finish_take(out, res, seed, i, meta))
    return takes


__all__ = [
    "CHORD_RHYTHMS",
    "check_input",
    "KEEPABLE",
    "TEXTBOOK_RANGES",
    "continue_piece",
    "harmonize",
    "inpaint",
    "load_piece",
    "parse_bar_range",
]
