"""Compose: sample pieces from the model under hard constraints.

`generate(model, tokenizer, request, n)` writes `n` takes for one `ComposeRequest`. Every
constraint of the request is enforced by MASKING the model's next-token distribution with a
grammar automaton (`Constrainer`), so it holds in every take whatever the weights are:

- the header is written, not sampled: style, key (tonic + mode), meter, tempo bucket, bars,
  layout (lead sheet: melody; chorale: soprano, alto, tenor, bass);
- grammar: `Pos` is followed by `Pitch`, `Pitch` by `Dur`, chord `Root` by `Qual`; voices come
  in layout order in every bar; so every stream decodes;
- meter: positions lie inside the bar; voices are monophonic (a note starts at or after the
  previous note's end);
- exactly `bars` bars: `Bar` is forced after the last voice until the count is reached, then
  `<eos>`; no note lasts past the end of the last bar; the first voice sounds in the last bar;
- chords: with a chord list, bar i gets exactly chords[i % len(chords)] at its downbeat (the
  figure as given is written back);
- pitch range per voice (a chorale's range is split into four overlapping voice ranges), and
  with `in_scale` only pitches of the key's scale (minor: raised 6th and 7th allowed);
- chorales: voices never cross and avoid parallel fifths and octaves (`voice_leading`; the
  parallels rule yields where it would leave no pitch);
- key and tempo are written into the Piece exactly as requested;
- length budget: when the model's block would run out, only structural tokens remain allowed.

Decoding uses the numpy KV-cache decoder (`inference.NumpyDecoder`); at batch 1, tokens the
grammar forces (bar lines, given chords, voice markers) are fed together in one step.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import math
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

import numpy as np

from tunesmith.score import MODES, STYLES, ChordSymbol, KeySignature, Piece, Tempo, TimeSignature, pitch_class_of
from tunesmith.score import SATB_RANGES as SCORE_SATB_RANGES
from tunesmith.tokenizer import (
    DUR_TICKS,
    LAYOUTS,
    MAX_BAR_TICKS,
    METERS,
    NOTE_NAMES,
    PITCH_MAX,
    PITCH_MIN,
    TICKS_PER_BEAT,
    Tokenizer,
    meter_ticks,
    names_for_key,
    scale_pitch_classes,
    spell_degree,
    spell_name,
    split_figure,
)
from tunesmith.voice_leading import VoiceLeading

MAX_REQUEST_BARS = 64
MIN_TEMPO, MAX_TEMPO = 20.0, 400.0
MIN_MELODY_SPAN = 5  # semitones: a melody needs at least a fourth
MIN_VOICE_SPAN = 7  # semitones: each chorale voice needs at least a fifth
# Chorale voice ranges (MIDI, score.SATB_RANGES), each clipped to the request's range.
SATB_RANGES = {name[0].upper(): bounds for name, bounds in SCORE_SATB_RANGES.items()}
DEFAULT_RANGES = {"chorale": (40, 81), "folk": (55, 86), "pop": (53, 84), "jazz": (53, 86)}


CADENCES = ("tonic", "free")
# The form each style's pieces usually have (lead sheets): dance tunes repeat two strains, songs
# and standards return to their first section. Applied when the bars divide into sections of 4+.
DEFAULT_FORMS = {"folk": "AABB", "pop": "AABA", "jazz": "AABA"}
# Where most of a style's pieces close on the tonic, its takes do. The melody's last note is the
# tonic in most held-out pieces of every style (test / valid split: folk 76 / 78 %, chorales 78 / 73 %,
# pop 68 / 83 %, jazz 57 / 61 %); pop and jazz were "free" until the default model's free endings
# were measured at 39 % (pop) and 49 % (jazz) on the valid split, 63 % and 71 % with "tonic".
DEFAULT_CADENCES = {"folk": "tonic", "chorale": "tonic", "pop": "tonic", "jazz": "tonic"}
# Where a lead sheet's melody ends under a closing cadence: the share of the shippable training
# split's tunes whose last melody note is the tonic, third or fifth, or another degree (folk
# 1,778 tunes, pop 121, jazz 58). Each take draws its closing degree from these ("other": the
# model's choice of any note over the final tonic chord), because the model, made to end on a
# triad tone, chose the third or fifth in ~45 % of folk takes where tunes do in 10 %.
FINAL_DEGREE_SHARES = {
    "folk": {"root": 0.730, "third": 0.022, "fifth": 0.080, "other": 0.167},
    "pop": {"root": 0.901, "third": 0.008, "fifth": 0.033, "other": 0.058},
    "jazz": {"root": 0.759, "third": 0.017, "fifth": 0.052, "other": 0.172},
    # a chorale's soprano over the final tonic chord (229 training chorales whose soprano ends on a
    # tone of the annotated key's tonic triad: root 173, fifth 17, third 3; the other 36 end on
    # the fourth or sixth degree: modal chorales that a major/minor key does not describe)
    "chorale": {"root": 0.897, "third": 0.015, "fifth": 0.088, "other": 0.0},
}


# Bach's chorales are mostly in bar form (Barform): the first two phrases, the Stollen, are sung
# twice, then the Abgesang goes on. Measured on the 234 JSB training chorales (bar by bar, the
# soprano's notes and rhythm): 104 (44 %) repeat a passage of 2+ bars at a distance of 3-16 bars,
# mostly from the first bar or the second (after a pickup), at a distance of 4 bars (58), 6 (26)
# or 5 (12): the Stollen's length. A chorale composed without a form draws one per take: bar form
# with that share and those Stollen lengths where the bars allow ("A4A4B6": a Stollen, its
# repeat, then an Abgesang at least as long as the Stollen), else through-composed.
BARFORM = {"chorale": {"share": 0.44, "stollen_bars": {4: 58, 5: 12, 6: 26}}}


# How long a piece's last melody note lasts (quarter notes, each tune's rounded down to these):
# the shippable training split's tunes (chorales 229, folk 1,778, pop 121, jazz 58). Under a
# closing cadence each take draws a least length for its last note from these, as it draws its
# closing degree: left alone, the model ended on an eighth or a quarter in 88 % of chorale, 95 %
# of folk, 93 % of pop and 93 % of jazz takes (scripts/endings_report.py, 60 validation headers a
# style), where Bach's chorales end on two beats or more (98 %) and pop and jazz songs mostly hold
# a whole bar (real: 2 %, 65 %, 13 %, 23 % end on a quarter or less).
FINAL_LENGTH_SHARES = {
    "chorale": {2.0: 0.502, 3.0: 0.118, 4.0: 0.380},
    "folk": {0.5: 0.390, 1.0: 0.277, 1.5: 0.071, 2.0: 0.118, 3.0: 0.093, 4.0: 0.051},
    "pop": {0.5: 0.041, 1.0: 0.041, 1.5: 0.017, 2.0: 0.116, 3.0: 0.190, 4.0: 0.595},
    "jazz": {0.5: 0.069, 1.0: 0.034, 1.5: 0.034, 2.0: 0.086, 3.0: 0.103, 4.0: 0.672},
}


def _form_parts(form: str) -> list[tuple[str, bool, int | None]]:
    """[(letter, primed, bars or None)]: "AA'BB" (equal sections) or "A4A4B6" (each section's bars
    given); ValueError if not a form."""
    out: list[tuple[str, bool, int | None]] = []
    digits = ""
    for ch in form + " ":
        if ch.isdigit() and out:
            digits += ch
            if len(digits) > 2:
                raise ValueError(f"form {form!r}: a section has at most {MAX_REQUEST_BARS} bars")
            continue
        if digits:
            letter, primed, _ = out[-1]
            out[-1] = (letter, primed, int(digits))
            digits = ""
        if ch == " ":
            break
        if "A" <= ch <= "Z":
            out.append((ch, False, None))
        elif ch == "'" and out and out[-1][2] is None:
            out[-1] = (out[-1][0], True, None)
        else:
            raise ValueError(
                f"form {form!r}: use section letters A-Z, each optionally primed and followed by its bars "
                "(AABB, AABA, AA'BA, A4A4B8)"
            )
    if len(out) > 16:
        raise ValueError(f"form {form!r}: at most 16 sections")
    given = [n for _, _, n in out if n is not None]
    if given and len(given) != len(out):
        raise ValueError(f"form {form!r}: give every section's bars or none")
    if any(n < 2 for n in given):
        raise ValueError(f"form {form!r}: a section needs at least 2 bars")
    return out


def parse_form(form: str) -> list[tuple[str, bool]]:
    """"AA'BB" -> [("A", False), ("A", True), ("B", False), ("B", False)]; ValueError if not a form."""
    return [(letter, primed) for letter, primed, _ in _form_parts(form)]


def form_sections(form: str, bars: int) -> list[tuple[str, bool, int]]:
    """[(letter, primed, bars)] of `form` over `bars` bars: equal sections unless the form gives
    each one's bars ("A4A4B6"). ValueError when they do not fit."""
    parts = _form_parts(form)
    if not parts:
        return []
    if parts[0][2] is None:
        n = len(parts)
        if bars % n or bars // n < 2:
            raise ValueError(
                f"form {form} has {n} sections: bars ({bars}) must be a multiple of {n} with at least 2 bars a section"
            )
        return [(letter, primed, bars // n) for letter, primed, _ in parts]
    total = sum(n for _, _, n in parts)
    if total != bars:
        raise ValueError(f"form {form} covers {total} bars, not the {bars} asked for")
    return [(letter, primed, int(n)) for letter, primed, n in parts]


@dataclass
class ComposeRequest:
    """What to compose. Validated at construction: ValueError names the contradiction."""

    style: str = "folk"
    key: str = "C"  # tonic: "D", "Bb", "F#"
    mode: str = "major"
    meter: str = "4/4"
    bars: int = 16
    tempo: float = 120.0  # quarter notes per minute, written exactly
    pitch_range: tuple[int, int] | None = None  # (lowest, highest) MIDI; default by style
    chords: list[str] | None = None  # one per bar, cycling
    in_scale: bool = False
    # None: the model's defaults for the style (`decoding.json` beside the weights, chosen on the
    # validation split by scripts/tune_decoding.py), else 1.0 and 0.95
    temperature: float | None = None
    top_p: float | None = None
    # Temperature of the rhythm tokens (note lengths and positions in the bar); None: the model's
    # default for the style, else `temperature`. A temperature below 1 sharpens every choice
    # toward the most likely one; for pitch that curbs wild leaps, but for rhythm it erases the
    # minority figures a style lives on: at 0.8 the default model wrote dotted-eighth figures in
    # 0.1% of folk notes against 3.8% in real tunes, and plain eighths in 66% against 52%.
    rhythm_temperature: float | None = None
    # Logit penalty on ending a voice's bar before it is full (a rest up to the bar line). The
    # model has no position tokens between contiguous notes and must count durations; the small
    # default model often loses count and closes bars early: 19-24% empty beats in folk and pop
    # takes against 0.2-1% in the corpus (tunesmith evaluate, 200 takes a style). 2.0 brought
    # folk to 5%, pop 3.4%, jazz 3.9% (corpus: 0.2%, 1%, 9.1%) in a 30-take check; this choice
    # was made by looking at that metric, so it is no longer independent evidence. 0 samples
    # from the model's own distribution.
    rest_penalty: float = 2.0
    # A lead sheet gets a chord symbol on every bar's downbeat (more may follow in the bar).
    # False lets the model leave bars without chords: the Irish tunes it learned from have none,
    # and without this the default model wrote melody-only folk takes.
    chord_every_bar: bool = True
    seed: int | None = None
    layout: str | None = None  # "lead" | "satb"; default: satb for chorales, else lead
    # Form: one letter per equal section ("AABB", "AABA", "ABAB"); a letter met before repeats
    # that section (all but its last bar copied: the last bar is its second ending), a primed
    # letter ("A'") varies it (only its first half copied). None: the style's usual form
    # (`DEFAULT_FORMS`) where the bars divide evenly, for chorales a form drawn per take (bar form
    # or none, `BARFORM`); "" or "none": through-composed.
    form: str | None = None
    # How the piece ends: "tonic" (a tonic chord with the bass on the tonic; a lead sheet's melody
    # ends on a degree drawn from the style's `FINAL_DEGREE_SHARES`, mostly the tonic) or "free"
    # (the model's choice). None: by style (`DEFAULT_CADENCES`).
    cadence: str | None = None
    # Where a lead sheet's chord symbols come from: "model" (the composer's own, written before
    # each bar's melody) or "harmonizer" (after the takes are written, `tunesmith.harmonizer`
    # hears each whole melody and names its chords; never when `chords` are given, and the last
    # bar's chords stay under a tonic cadence). None: the style's default (`decoding.json`).
    chords_from: str | None = None
    # Weight of the style's tonal feedback (`set_tonal_feedback`; profile and gain in
    # `decoding.json`, fitted by scripts/fit_tonal_feedback.py): while a lead sheet's melody is
    # written, each scale degree's logit moves toward what brings the take's own time per degree
    # back to the style's profile. Without it each take settles on a tonal centre of its own:
    # the takes' time per degree strays from the training tunes' profile half as far again as
    # the tunes themselves do, and music21 hears the requested key in 60 % of folk takes against
    # 84 % of the tunes (shippable training split, 80 major tunes' headers). None: 1.0 where the
    # model has a profile; 0: off.
    tonal_feedback: float | None = None
    # Weight of the style's rhythm feedback (`set_rhythm_feedback`; per-voice profile of note
    # lengths and gain in `decoding.json`): each voice's next note length is drawn back toward
    # the style's share of each length. Without it a composed chorale's voices drift into running
    # eighths (sampled: 46 % of the soprano's notes, against 17 % in Bach's and 26 % in what the
    # model itself predicts on Bach's own chorales: each eighth it writes makes the next likelier).
    # None: 1.0 where the model has a profile; 0: off.
    rhythm_feedback: float | None = None

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"unknown style {self.style!r}; one of {', '.join(STYLES)}")
        mode = str(self.mode).lower()
        mode = {"ionian": "major"}.get(mode, mode)
        if mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}; one of {', '.join(MODES)}")
        self.mode = mode
        try:
            self.key = spell_name(str(self.key))
        except ValueError:
            raise ValueError(f"unknown key tonic {self.key!r}; a note name such as C, F#, Bb") from None
        if isinstance(self.meter, tuple | list):
            self.meter = f"{self.meter[0]}/{self.meter[1]}"
        self.meter = str(self.meter).replace(" ", "")
        if self.meter not in METERS:
            raise ValueError(f"meter {self.meter} out of bounds; supported: {', '.join(METERS)}")
        if isinstance(self.bars, bool) or not isinstance(self.bars, int) or not 1 <= self.bars <= MAX_REQUEST_BARS:
            raise ValueError(f"bars must be an integer in 1..{MAX_REQUEST_BARS}, got {self.bars!r}")
        try:
            self.tempo = float(self.tempo)
        except (TypeError, ValueError):
            raise ValueError(f"tempo must be a number, got {self.tempo!r}") from None
        if not (math.isfinite(self.tempo) and MIN_TEMPO <= self.tempo <= MAX_TEMPO):
            raise ValueError(f"tempo {self.tempo} out of bounds {MIN_TEMPO:g}..{MAX_TEMPO:g} qpm")
        if self.layout is None:
            self.layout = "satb" if self.style == "chorale" else "lead"
        if self.layout not in LAYOUTS:
            raise ValueError(f"unknown layout {self.layout!r}; one of {', '.join(LAYOUTS)}")
        if self.pitch_range is None:
            self.pitch_range = DEFAULT_RANGES.get(self.style, (55, 84)) if self.layout == "lead" else (40, 81)
        try:
            lo, hi = (int(v) for v in self.pitch_range)
        except (TypeError, ValueError):
            raise ValueError(f"pitch_range must be (lowest, highest) MIDI numbers, got {self.pitch_range!r}") from None
        if not PITCH_MIN <= lo <= hi <= PITCH_MAX:
            raise ValueError(f"pitch range {lo}..{hi} must lie within {PITCH_MIN}..{PITCH_MAX}, lowest first")
        self.pitch_range = (lo, hi)
        self.voice_ranges()  # raises when too narrow
        if self.chords is not None:
            if isinstance(self.chords, str):
                self.chords = self.chords.replace("|", " ").split()
            self.chords = [str(c) for c in self.chords]
            if not self.chords:
                self.chords = None
            for i, figure in enumerate(self.chords or []):
                try:
                    split_figure(figure)
                except ValueError:
                    raise ValueError(f"unparsable chord {figure!r} (chord {i + 1} of the list)") from None
        if self.temperature is not None and not (
            isinstance(self.temperature, int | float) and 0.0 < float(self.temperature) <= 10.0
        ):
            raise ValueError(f"temperature must be in (0, 10], got {self.temperature!r}")
        if self.rhythm_temperature is not None and not (
            isinstance(self.rhythm_temperature, int | float) and 0.0 < float(self.rhythm_temperature) <= 10.0
        ):
            raise ValueError(f"rhythm_temperature must be in (0, 10], got {self.rhythm_temperature!r}")
        if self.top_p is not None and not (isinstance(self.top_p, int | float) and 0.0 < float(self.top_p) <= 1.0):
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p!r}")
        if not (isinstance(self.rest_penalty, int | float) and 0.0 <= float(self.rest_penalty) <= 20.0):
            raise ValueError(f"rest_penalty must be in [0, 20], got {self.rest_penalty!r}")
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0):
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")
        self.in_scale = bool(self.in_scale)
        self.chord_every_bar = bool(self.chord_every_bar)
        if self.chords_from is not None and self.chords_from not in ("model", "harmonizer"):
            raise ValueError(f"chords_from must be 'model' or 'harmonizer', got {self.chords_from!r}")
        for name in ("tonal_feedback", "rhythm_feedback"):
            w = getattr(self, name)
            if w is not None and not (isinstance(w, int | float) and not isinstance(w, bool) and 0.0 <= float(w) <= 4.0):
                raise ValueError(f"{name} must be in [0, 4], got {w!r}")
        if self.cadence is not None and self.cadence not in CADENCES:
            raise ValueError(f"unknown cadence {self.cadence!r}; one of {', '.join(CADENCES)}")
        if self.form is not None:
            self.form = str(self.form).replace(" ", "").upper()
            if self.form == "NONE":
                self.form = ""
            form_sections(self.form, self.bars)  # raises when the sections do not fit the bars

    def resolved_form(self) -> str:
        """The form this request composes: the given one, else the style's usual one if the
        bars divide into sections of 4 or more, else "" (through-composed)."""
        if self.form is not None:
            return self.form
        form = DEFAULT_FORMS.get(self.style, "") if self.layout == "lead" else ""
        n = len(parse_form(form))
        return form if n and self.bars % n == 0 and self.bars // n >= 4 else ""

    def form_draws(self) -> list[tuple[str, float]] | None:
        """[(form, probability)] a take draws its form from when none is asked for and the style
        has one (`BARFORM`: chorales), else None (every take has `resolved_form()`)."""
        spec = BARFORM.get(self.style)
        if self.form is not None or spec is None or self.layout != "satb":
            return None
        # a Stollen, its repeat, and an Abgesang at least as long as the Stollen
        fits = {k: w for k, w in spec["stollen_bars"].items() if self.bars >= 3 * k}
        if not fits:
            return None
        total = sum(fits.values())
        draws = [("", 1.0 - spec["share"])]
        for k, w in sorted(fits.items()):
            draws.append((f"A{k}A{k}B{self.bars - 2 * k}", spec["share"] * w / total))
        return draws

    def resolved_cadence(self) -> str:
        return self.cadence if self.cadence is not None else DEFAULT_CADENCES.get(self.style, "free")

    def copy_plan(self) -> list[int | None]:
        """Per bar, the earlier bar it repeats under the form (None: newly composed)."""
        sections = form_sections(self.resolved_form(), self.bars)
        plan: list[int | None] = [None] * self.bars
        first: dict[str, tuple[int, int]] = {}  # each letter's first bar and length
        start = 0
        for letter, varied, size in sections:
            if letter not in first:
                first[letter] = (start, size)
            else:
                at, length = first[letter]
                copied = min(size // 2 if varied else size - 1, length)
                for o in range(copied):
                    plan[start + o] = at + o
            start += size
        return plan

    @property
    def voices(self) -> tuple[str, ...]:
        return LAYOUTS[self.layout]

    def voice_ranges(self) -> dict[str, tuple[int, int]]:
        """(lowest, highest) MIDI pitch of each voice; ValueError if a voice gets too little room."""
        lo, hi = self.pitch_range
        if self.layout == "lead":
            if hi - lo < MIN_MELODY_SPAN:
                raise ValueError(
                    f"pitch range {lo}..{hi} too narrow: a melody needs at least {MIN_MELODY_SPAN} semitones"
                )
            return {"M": (lo, hi)}
        out = {}
        for v, (vlo, vhi) in SATB_RANGES.items():
            a, b = max(lo, vlo), min(hi, vhi)
            if b - a < MIN_VOICE_SPAN:
                raise ValueError(
                    f"pitch range {lo}..{hi} too narrow for a chorale's 4 voices: the {v} voice "
                    f"(normally {vlo}..{vhi}) would get {max(0, b - a)} semitones, needs {MIN_VOICE_SPAN}"
                )
            out[v] = (a, b)
        return out

    def to_dict(self) -> dict:
        d = asdict(self)
        d["pitch_range"] = list(self.pitch_range)
        return d


@dataclass
class Take:
    """One composed piece with its token stream and the log-probability of every token
    (under the masked, temperature- and top-p-adjusted distribution it was drawn from;
    0.0 for the prompt and for tokens the constraints forced)."""

    piece: Piece
    tokens: list[int]
    logprobs: np.ndarray
    forced: np.ndarray  # bool per token: written by the prompt or the constraints
    seed: int
    seconds: float = 0.0
    meta: dict = field(default_factory=dict)

    @property
    def total_logprob(self) -> float:
        return float(self.logprobs.sum())


# ------------------------------------------------------------------------- the automaton
# states
_START, _CHORDS, _ROOT, _QUAL, _BASS, _CPOS, _VOICE, _NPOS, _PITCH, _DONE = range(10)
# token categories
_C_OTHER, _C_BAR, _C_EOS, _C_POS, _C_ROOT, _C_QUAL, _C_BASS, _C_VOICE, _C_PITCH, _C_DUR = range(10)


class _Tables:
    """Everything the automaton needs that depends only on the tokenizer and the request."""

    def __init__(
        self,
        tok: Tokenizer,
        request: ComposeRequest,
        max_len: int,
        voice_leading: bool = False,
        chord_every_bar: bool = False,
        form: bool = False,
        close: bool = False,
    ):
        V = tok.vocab_size
        # version-2 tokens are written in C: pitch token p means MIDI p + shift in this key, and
        # the automaton works in real pitches (ranges, voice leading) through `val`
        self.shift = shift = tok.shift_for(request.key)
        self.relative = tok.relative
        self.tonic = request.key
        cat = [_C_OTHER] * V
        val = [0] * V
        cat[tok.bar_id] = _C_BAR
        cat[tok.eos_id] = _C_EOS
        for k in range(MAX_BAR_TICKS):
            cat[tok.pos_base + k], val[tok.pos_base + k] = _C_POS, k
        for j in range(len(NOTE_NAMES)):
            cat[tok.root_base + j], val[tok.root_base + j] = _C_ROOT, j
            cat[tok.bass_base + j], val[tok.bass_base + j] = _C_BASS, j
        for j in range(len(tok.vocab) - tok.qual_base):
            if tok.vocab[tok.qual_base + j].startswith("Qual_"):
                cat[tok.qual_base + j] = _C_QUAL
        for j in range(len(tok.voice_order)):
            cat[tok.voice_base + j], val[tok.voice_base + j] = _C_VOICE, j
        for p in range(PITCH_MIN, PITCH_MAX + 1):
            cat[tok.pitch_id(p)], val[tok.pitch_id(p)] = _C_PITCH, p + shift
        for j, d in enumerate(DUR_TICKS):
            cat[tok.dur_base + j], val[tok.dur_base + j] = _C_DUR, d
        self.cat, self.val = cat, val
        # tonal feedback (`set_tonal_feedback`; off unless the style's decoding has a profile)
        self.tonic_pc = pitch_class_of(request.key)
        self.pitch_ids = np.array([tok.pitch_id(p) for p in range(PITCH_MIN, PITCH_MAX + 1)])
        self.pitch_degrees = np.array([(p + shift - self.tonic_pc) % 12 for p in range(PITCH_MIN, PITCH_MAX + 1)])
        self.tonal_target: np.ndarray | None = None
        self.tonal_gain = 0.0
        # rhythm feedback (`set_rhythm_feedback`): per voice, the share of each note length
        self.dur_ids = np.arange(tok.dur_base, tok.dur_base + len(DUR_TICKS))
        self.dur_base = tok.dur_base
        self.rhythm_target: np.ndarray | None = None  # (voices, len(DUR_TICKS))
        self.rhythm_gain = 0.0

        self.n_bars = request.bars
        self.L = meter_ticks(request.meter)
        self.voices = request.voices
        self.voice_tok = [tok.voice_id(v) for v in self.voices]
        self.bar_tok, self.eos_tok = tok.bar_id, tok.eos_id
        self.pos = np.arange(tok.pos_base, tok.pos_base + MAX_BAR_TICKS)
        scale = scale_pitch_classes(pitch_class_of(request.key), request.mode) if request.in_scale else None
        self.pitches, self.pitch_values = [], []
        for v in self.voices:
            lo, hi = request.voice_ranges()[v]
            ps = [p for p in range(lo, hi + 1) if scale is None or p % 12 in scale]
            self.pitches.append(np.array([tok.pitch_id(p, shift) for p in ps]))
            self.pitch_values.append(np.array(ps))
        # four-part rules (no crossing, no parallel 5ths/8ves) for multi-voice layouts
        self.voice_leading = voice_leading and len(self.voices) > 1
        names_ok = [n for n in NOTE_NAMES if scale is None or pitch_class_of(n) in scale]
        if tok.relative:  # one token per degree: offer each pitch class once, as the key spells it
            names_ok = [n for n in names_for_key(request.key, request.mode) if scale is None or pitch_class_of(n) in scale]
        self.roots = np.array(sorted({tok.root_id(n, shift) for n in names_ok}))
        # a slash bass on the root itself is no slash chord (harmony drops it): never offer it
        self.basses = [
            np.array(sorted({tok.bass_id(n, shift) for n in names_ok if pitch_class_of(n) != pc})) for pc in range(12)
        ]
        self.root_pc = {tok.root_id(n, shift): pitch_class_of(n) for n in NOTE_NAMES}
        self.quals = np.array([i for i in range(tok.qual_base, tok.bass_base)])
        self.dur_ticks = np.array(DUR_TICKS)
        self.durs = np.arange(tok.dur_base, tok.dur_base + len(DUR_TICKS))
        self.forced_chords = [tok.chord_ids(c, shift) for c in request.chords] if request.chords else None
        chord_len = max((len(c) for c in self.forced_chords), default=0) if self.forced_chords else 0
        self.per_bar = 1 + chord_len + len(self.voices)  # fewest tokens a bar can take
        self.max_len = max_len
        self.rest_penalty = float(request.rest_penalty)
        self.chord_every_bar = chord_every_bar and request.layout == "lead"
        self.single = {t: np.array([t]) for t in (*self.voice_tok, self.bar_tok, self.eos_tok)}
        # form and cadence (compose; co-create keeps the musician's own form, and a continuation may close)
        self.copy_from: list[int | None] = request.copy_plan() if form else [None] * self.n_bars
        # per bar, the next later bar that repeats an earlier one (its source is written by then)
        self.next_copy: list[int | None] = []
        for b in range(self.n_bars):
            later = [k for k in range(b + 1, self.n_bars) if self.copy_from[k] is not None and self.copy_from[k] <= b]
            self.next_copy.append(later[0] if later else None)
        # Cadences: the bar that ends a section (and the last bar) closes on a chord and a note of
        # it. "closed": the tonic (a tonic chord, the bass on the tonic, the other voices on tones of
        # the tonic triad); "open": a half cadence on the dominant, where the music goes on to a repeat of
        # the same section (a first ending) or returns from a contrasting one (a bridge).
        tonic_pc = pitch_class_of(request.key)
        minor = request.mode in MINOR_THIRD_MODES
        triad = {tonic_pc, (tonic_pc + (3 if minor else 4)) % 12, (tonic_pc + 7) % 12}
        dom_pc = (tonic_pc + 7) % 12
        dom_triad = {dom_pc, (dom_pc + 4) % 12, (dom_pc + 7) % 12}
        names = names_for_key(request.key, request.mode)
        tonic_quals = ("m", "m6", "m7", "m69", "madd9", "m9") if minor else ("", "6", "maj7", "69", "add9", "maj9")
        self.kinds = {
            "closed": (
                # the bass on the tonic, and a chorale's soprano too (a perfect cadence, as Bach ends);
                # the inner voices on a tone of the tonic triad; a lead sheet's melody too, except
                # on the last bar, where each take draws its closing degree (`final_endings`)
                [frozenset({tonic_pc}) if v in ("B", "S") else frozenset(triad) for v in self.voices],
                np.array([tok.root_id(request.key, shift)]),
                np.array([tok.qual_id(q) for q in tonic_quals]),
            ),
            "open": (
                [frozenset({dom_pc}) if v == "B" else frozenset(dom_triad) for v in self.voices],
                np.array([tok.root_id(names[dom_pc], shift)]),
                np.array([tok.qual_id(q) for q in ("", "7")]),
            ),
        }
        self.bar_cadence: list[str | None] = [None] * self.n_bars
        if form:
            sections = form_sections(request.resolved_form(), self.n_bars)
            if sections:
                first = sections[0][0]
                end = 0
                for k, (letter, _, size) in enumerate(sections[:-1]):
                    end += size
                    nxt = sections[k + 1][0]
                    opens = nxt == letter or (letter != first and nxt == first)
                    self.bar_cadence[end - 1] = "open" if opens else "closed"
        if (form or close) and self.bar_cadence and request.resolved_cadence() == "tonic":
            # `close` without `form`: co-create's continuation, whose last bar ends the piece
            self.bar_cadence[-1] = "closed"
        self.cadence_bars = [b for b, c in enumerate(self.bar_cadence) if c is not None]
        # the closing degree of the melody (a chorale's soprano), drawn per take (`FINAL_DEGREE_SHARES`)
        self.final_endings: list[tuple[frozenset, float]] | None = None
        self.final_names: list[str] = []  # the degrees' names, in the order of final_endings
        shares = FINAL_DEGREE_SHARES.get(request.style)
        if shares and self.bar_cadence and self.bar_cadence[-1] == "closed":
            third = (tonic_pc + (3 if minor else 4)) % 12
            pcs = {"root": {tonic_pc}, "third": {third}, "fifth": {(tonic_pc + 7) % 12}, "other": set(range(12))}
            total = sum(shares.values())
            self.final_endings = [(frozenset(pcs[d]), w / total) for d, w in shares.items()]
            self.final_names = list(shares)
        # the least length of the last note under the closing cadence, drawn per take (`FINAL_LENGTH_SHARES`)
        self.final_lengths: list[tuple[int, float]] | None = None
        lengths = FINAL_LENGTH_SHARES.get(request.style)
        if lengths and self.bar_cadence and self.bar_cadence[-1] == "closed":
            total = sum(lengths.values())
            self.final_lengths = [(round(q * TICKS_PER_BEAT), w / total) for q, w in lengths.items()]
        num, den = (int(x) for x in request.meter.split("/"))
        beat = 4 * 12 // den * (3 if den == 8 and num % 3 == 0 and num > 3 else 1)  # dotted quarter in 6/8
        self.last_beat = min(beat, self.L)

    def note_name(self, token_name: str) -> str:
        """The real note name of a Root/Bass token's name (version 2 writes degrees in C)."""
        if not self.relative:
            return token_name
        return spell_degree(self.tonic, pitch_class_of(token_name))


class Constrainer:
    """The grammar + constraint automaton of one take: `allowed()` -> token ids, `advance(id)`."""

    def __init__(self, tables: _Tables, length: int):
        self.t = tables
        self.state = _START
        self.length = length  # tokens in the stream so far (the prompt included)
        self.bar = -1
        self.v = 0
        self.cursor = 0
        self.cursors = [0] * len(tables.voices)
        self.chord_pos = -1
        self.chord_i = 0  # index into the forced chord's ids
        self.note_pos = 0
        self.root_pc = 0
        self.pitch = 0
        self.vl = VoiceLeading(len(tables.voices)) if tables.voice_leading else None
        self.bar_toks: list[list[int]] = []  # the tokens of each bar so far (for repeats)
        self.bar_starts: list[tuple[int, ...]] = []  # the voices' cursors as each bar began
        self.copy_src: int | None = None  # the bar this one repeats, while the copy holds
        self.final_pcs: frozenset | None = None  # the melody's closing degree, if drawn (`draw_ending`)
        self.final_ticks: int | None = None  # the least length of each voice's last note, if drawn
        self.final_degree: str | None = None  # the closing degree drawn ("root", "third", ...)
        self.degree_time = np.zeros(12)  # the melody's time (ticks) on each scale degree so far
        self.dur_counts = np.zeros((len(tables.voices), len(DUR_TICKS)))  # notes of each length per voice

    def tonal_bias(self) -> np.ndarray | None:
        """Logit offsets for `t.pitch_ids` that steer the melody's time per scale degree back
        toward the style's profile (`set_tonal_feedback`), or None (off, not before a pitch, or
        too little music yet to judge)."""
        t = self.t
        if t.tonal_target is None or self.v != 0 or self.state not in (_VOICE, _NPOS):
            return None
        total = self.degree_time.sum()
        if total < TONAL_MIN_TICKS:
            return None
        return _steer(t.tonal_target, self.degree_time / total, t.tonal_gain)[t.pitch_degrees]

    def rhythm_bias(self) -> np.ndarray | None:
        """Logit offsets for `t.dur_ids` that steer the current voice's share of each note length
        back toward the style's (`set_rhythm_feedback`), or None (off, not before a length, or
        fewer than RHYTHM_MIN_NOTES notes in the voice yet)."""
        t = self.t
        if t.rhythm_target is None or self.state != _PITCH:
            return None
        counts = self.dur_counts[self.v]
        total = counts.sum()
        if total < RHYTHM_MIN_NOTES:
            return None
        return _steer(t.rhythm_target[self.v], counts / total, t.rhythm_gain)

    def draw_ending(self, rng) -> None:
        """Draw this take's closing melody degree from the style's shares (`FINAL_DEGREE_SHARES`)
        and the least length of its last note (`FINAL_LENGTH_SHARES`)."""
        endings = self.t.final_endings
        if endings:
            k = int(rng.choice(len(endings), p=[w for _, w in endings]))
            self.final_pcs = endings[k][0]
            self.final_degree = self.t.final_names[k]
        lengths = self.t.final_lengths
        if lengths:
            k = int(rng.choice(len(lengths), p=[w for _, w in lengths]))
            self.final_ticks = lengths[k][0]

    def _closing_pcs(self, kind: str) -> frozenset:
        """Pitch classes that close the current voice's bar under cadence `kind`."""
        if self.final_pcs is not None and self.v == 0 and self.bar == self.t.n_bars - 1 and kind == "closed":
            return self.final_pcs
        return self.t.kinds[kind][0][self.v]

    def _pitches(self, pos: int) -> np.ndarray:
        """Pitch tokens the current voice may start at `pos` (ticks into the bar)."""
        t = self.t
        ps = t.pitches[self.v]
        mask = None
        if self.vl is not None:
            mask = self.vl.pitch_ok(self.v, self.bar * t.L + pos, t.pitch_values[self.v])
        kind = self._cadence()
        if kind is not None and t.L - pos <= self._closing_zone():  # the last beat belongs to the cadence's note
            fin = np.isin(t.pitch_values[self.v] % 12, list(self._closing_pcs(kind)))
            both = fin if mask is None else (mask & fin)
            # where voice leading forbids every cadence note (a parallel octave into it), the cadence
            # wins: one parallel at the close reads better than a scramble of tiny notes to the end
            mask = both if both.any() else (fin if fin.any() else mask)
        return ps if mask is None else ps[mask]

    def _closing_zone(self) -> int:
        """Ticks at the end of a cadence bar where every note that starts is a closing one: the
        last beat, and in the last bar the drawn length of the last note if longer."""
        t = self.t
        zone = t.last_beat
        if self.final_ticks is not None and self.bar == t.n_bars - 1:
            zone = max(zone, min(self.final_ticks, t.L))
        return zone

    def _cadence(self) -> str | None:
        """"closed" / "open" when the current bar ends a section under a cadence, else None."""
        return self.t.bar_cadence[self.bar] if 0 <= self.bar < len(self.t.bar_cadence) else None

    def _final_bar(self) -> bool:
        return self._cadence() is not None

    # the structural token that closes the current voice section
    def _end_token(self) -> int:
        t = self.t
        if self.v + 1 < len(t.voices):
            return t.voice_tok[self.v + 1]
        return t.bar_tok if self.bar + 1 < t.n_bars else t.eos_tok

    def _tight(self) -> bool:
        """True when only structural tokens fit in what is left of the block."""
        t = self.t
        need = (t.n_bars - 1 - self.bar) * t.per_bar + (len(t.voices) - self.v) + 6
        return self.length + need >= t.max_len

    def early_end(self) -> tuple[int, float] | None:
        """(token, logit penalty) for closing the current voice's bar before it is full, if that
        is what the next token could do (`ComposeRequest.rest_penalty`)."""
        if self.state != _VOICE or not self.t.rest_penalty or self.cursor >= self.t.L:
            return None
        return self._end_token(), self.t.rest_penalty

    def allowed(self) -> np.ndarray:
        """Token ids allowed next: the grammar and the hard controls; inside a bar that the form
        repeats, the repeated bar's next token while it is allowed (else the bar goes free)."""
        base = self._allowed_free()
        src = self.copy_src
        if src is not None and len(base) > 1 and self.bar_toks:
            rec, k = self.bar_toks[src], len(self.bar_toks[-1])
            if k < len(rec) and rec[k] in base:
                return np.array([rec[k]])
            self.copy_src = None  # the copy no longer fits the controls: compose the rest
        return base

    def _allowed_free(self) -> np.ndarray:
        t = self.t
        s = self.state
        if s == _VOICE:
            L = t.L
            end = self._end_token()
            must_sound = self.v == 0 and self.bar == t.n_bars - 1 and self.cursor == 0
            if self.cursor >= L:
                return t.single[end]
            if self._tight():
                return self._pitches(self.cursor) if must_sound else t.single[end]
            last = L
            if self.final_ticks is not None and self.bar == t.n_bars - 1:
                # no rest that would leave the last note shorter than its drawn length
                last = max(self.cursor + 1, L - min(self.final_ticks, L - self.cursor) + 1)
            parts = [t.pos[self.cursor + 1 : last], self._pitches(self.cursor)]
            if not must_sound and not self._final_bar():  # under a cadence the last bar sounds to its end
                parts.append(t.single[end])
            return np.concatenate(parts)
        if s == _PITCH:
            remaining = (t.n_bars - self.bar) * t.L - self.note_pos
            if self.vl is not None:  # end before a neighbouring voice crosses this note
                until = self.vl.max_duration(self.v, self.bar * t.L + self.note_pos, self.pitch)
                remaining = remaining if until is None else max(min(remaining, until), int(t.dur_ticks[0]))
            nxt = t.next_copy[self.bar] if self.bar < len(t.next_copy) else None
            if nxt is not None and self.bar_starts[t.copy_from[nxt]][self.v] == 0:
                # a later bar repeats one that began clean: no note ties into it, so the copy holds
                remaining = max(min(remaining, (nxt - self.bar) * t.L - self.note_pos), int(t.dur_ticks[0]))
            cad = next((b for b in t.cadence_bars if b >= self.bar), None)
            if cad is not None:
                # no note crosses a cadence bar's end; the one that reaches it is the cadence's note
                to_end = (cad + 1 - self.bar) * t.L - self.note_pos
                closes = self.pitch % 12 in self._closing_pcs(t.bar_cadence[cad])
                # a note that does not close ends by the bar's last beat, so the closing note starts on
                # a beat and lasts at least one (not squeezed in at the very end)
                limit = to_end if closes else to_end - t.last_beat
                remaining = max(min(remaining, limit), int(t.dur_ticks[0]))
            durs = t.durs[: int(np.searchsorted(t.dur_ticks, remaining, side="right"))]
            if self.final_ticks is not None and self.bar == t.n_bars - 1:
                # the last bar: every note leaves either nothing or room for a last note of the
                # drawn length (the bar itself and voice leading permitting)
                least = min(self.final_ticks, t.L - self.note_pos)
                gap = (t.L - self.note_pos) - t.dur_ticks[: len(durs)]
                ok = (gap == 0) | (gap >= least)
                if self.final_ticks >= TICKS_PER_BEAT and self.pitch % 12 in self._closing_pcs("closed"):
                    # a closing note that reaches the closing zone of a held ending is held to the
                    # end, not struck again (takes ended on a repeated note: chorales 30 % of the
                    # time against Bach's 2 %)
                    ok &= (gap == 0) | (gap > self._closing_zone())
                if ok.any():
                    durs = durs[ok]
            return durs
        if s == _NPOS:
            return self._pitches(self.note_pos)
        if s == _START:
            return t.single[t.bar_tok]
        fc = t.forced_chords
        if fc is not None:
            ids = fc[self.bar % len(fc)]
            if s in (_CHORDS, _ROOT, _QUAL, _BASS) and self.chord_i < len(ids):
                return np.array([ids[self.chord_i]])
            return t.single[t.voice_tok[0]]
        if s == _ROOT:
            kind = self._cadence()
            return t.kinds[kind][2] if kind else t.quals
        if s == _CPOS:
            kind = self._cadence()
            return t.kinds[kind][1] if kind else t.roots
        first = t.single[t.voice_tok[0]]
        if self._tight():
            return first
        lo = max(self.chord_pos, 0) + 1
        if s == _CHORDS:
            kind = self._cadence()
            roots = t.kinds[kind][1] if kind else t.roots
            if t.chord_every_bar and self.chord_pos < 0:
                return roots  # the downbeat chord
            return np.concatenate([t.pos[lo : t.L], roots, first])
        if s == _QUAL:
            return np.concatenate([t.basses[self.root_pc], t.pos[lo : t.L], first])
        if s == _BASS:
            return np.concatenate([t.pos[lo : t.L], first])
        return t.single[t.eos_tok]

    def advance(self, tok: int) -> None:
        t = self.t
        c = t.cat[tok]
        self.length += 1
        s = self.state
        if c != _C_BAR and self.bar_toks:
            self.bar_toks[-1].append(tok)
        if c == _C_PITCH:
            if s == _VOICE:
                self.note_pos = self.cursor
            self.pitch = t.val[tok]
            self.state = _PITCH
        elif c == _C_DUR:
            self.cursor = self.note_pos + t.val[tok]
            if self.v == 0:
                self.degree_time[(self.pitch - t.tonic_pc) % 12] += t.val[tok]
            self.dur_counts[self.v, tok - t.dur_base] += 1
            if self.vl is not None:
                start = self.bar * t.L + self.note_pos
                self.vl.add(self.v, start, start + t.val[tok], self.pitch)
            self.state = _VOICE
        elif c == _C_POS:
            if s == _VOICE:
                self.note_pos = t.val[tok]
                self.state = _NPOS
            else:
                self.chord_pos = t.val[tok]
                self.state = _CPOS
        elif c == _C_VOICE:
            if s == _VOICE:
                self.cursors[self.v] = self.cursor
            self.v = t.val[tok] - (1 if t.voices[0] == "S" else 0)  # index within the layout
            self.cursor = self.cursors[self.v]
            self.state = _VOICE
        elif c == _C_BAR:
            if s == _VOICE:
                self.cursors[self.v] = self.cursor
            if self.bar >= 0:
                self.cursors = [max(0, x - t.L) for x in self.cursors]
            self.bar += 1
            self.v = 0
            self.chord_pos = -1
            self.chord_i = 0
            self.state = _CHORDS
            self.bar_toks.append([])
            self.bar_starts.append(tuple(self.cursors))
            src = t.copy_from[self.bar] if self.bar < len(t.copy_from) else None
            # repeat only a bar that began the same way (a note tied in changes what its tokens mean)
            ok = src is not None and src < len(self.bar_starts) and self.bar_starts[src] == self.bar_starts[-1]
            self.copy_src = src if ok else None
        elif c == _C_ROOT:
            if s == _CHORDS:
                self.chord_pos = 0
            self.root_pc = t.root_pc[tok]
            self.chord_i = 1
            self.state = _ROOT
        elif c == _C_QUAL:
            self.chord_i = 2
            self.state = _QUAL
        elif c == _C_BASS:
            self.chord_i = 3
            self.state = _BASS
        elif c == _C_EOS:
            self.state = _DONE

    @property
    def done(self) -> bool:
        return self.state == _DONE


# ------------------------------------------------------------------------- sampling
def token_temperatures(tokenizer: Tokenizer, temperature: float, rhythm_temperature: float) -> np.ndarray:
    """(vocab,) temperature per token id: `rhythm_temperature` for the rhythm tokens (Pos_*,
    Dur_*), `temperature` for every other."""
    temps = np.full(tokenizer.vocab_size, float(temperature))
    temps[tokenizer.pos_base : tokenizer.root_base] = rhythm_temperature
    temps[tokenizer.dur_base : tokenizer.dur_base + len(DUR_TICKS)] = rhythm_temperature
    return temps


# Tonal and rhythm feedback: no steering before two beats of melody (TONAL_MIN_TICKS) or four
# notes of a voice (RHYTHM_MIN_NOTES); shares are smoothed by FEEDBACK_EPS so that a degree or
# length not yet heard is not pulled in at full strength; offsets clipped to +-FEEDBACK_CLIP.
TONAL_MIN_TICKS = 2 * 12
RHYTHM_MIN_NOTES = 4
FEEDBACK_EPS = 0.02
FEEDBACK_CLIP = 2.0


def _steer(target: np.ndarray, shares: np.ndarray, gain: float) -> np.ndarray:
    """gain * log(target / shares so far), smoothed and clipped: the feedback's logit offsets."""
    off = gain * np.log((target + FEEDBACK_EPS) / (shares + FEEDBACK_EPS))
    return np.clip(off, -FEEDBACK_CLIP, FEEDBACK_CLIP)


def set_tonal_feedback(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """Turn on the tonal feedback of a lead sheet's melody when the style's decoding has a
    "degree_profile" (time per scale degree of the training tunes, per mode family) and a
    "tonal_feedback" gain: at each pitch, every degree's logit moves by gain * log(profile /
    the take's own time on it so far), so a take that has dwelt on the relative minor's or the
    dominant's notes is drawn back toward its key, as a tune comes home, without a degree ever
    being forbidden. Scaled by the request's `tonal_feedback` weight (0: off)."""
    profile = (tuned.get("degree_profile") or {}).get(mode_family(request.mode))
    gain = float(tuned.get("tonal_feedback", 0.0)) * (1.0 if request.tonal_feedback is None else float(request.tonal_feedback))
    if profile is None or gain <= 0 or request.layout != "lead":
        return
    tables.tonal_target = np.asarray(profile, dtype=np.float64)
    tables.tonal_gain = gain


def set_closing_shares(tables: _Tables, tuned: dict) -> None:
    """The closing-degree shares a take draws from: the model's own (`decoding.json`
    "closing_degrees", e.g. learnt by the tuner) where it has them, else `FINAL_DEGREE_SHARES`."""
    shares = tuned.get("closing_degrees")
    if not shares or not tables.final_endings:
        return
    by_name = dict(zip(tables.final_names, (pcs for pcs, _ in tables.final_endings)))
    total = sum(shares.get(n, 0.0) for n in by_name)
    if total > 0:
        tables.final_endings = [(by_name[n], shares.get(n, 0.0) / total) for n in tables.final_names]


def set_rhythm_feedback(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """Turn on the rhythm feedback when the style's decoding has a "rhythm_profile" (per voice
    letter, the share of each note length of `DUR_TICKS` in the training pieces) and a
    "rhythm_feedback" gain: before each note length, every length's logit moves by gain *
    log(profile / the voice's own share so far), so a voice that has run in eighths is drawn back
    toward the style's quarters and halves. Scaled by the request's `rhythm_feedback` (0: off)."""
    profile = tuned.get("rhythm_profile") or {}
    weight = 1.0 if request.rhythm_feedback is None else float(request.rhythm_feedback)
    gain = float(tuned.get("rhythm_feedback", 0.0)) * weight
    if gain <= 0 or not all(v in profile for v in tables.voices):
        return
    tables.rhythm_target = np.array([profile[v] for v in tables.voices], dtype=np.float64)
    tables.rhythm_gain = gain


MINOR_THIRD_MODES = ("minor", "dorian", "phrygian", "aeolian", "locrian")


def mode_family(mode: str) -> str:
    """"minor" for the modes with a minor third, else "major" (the degree calibration's two tables)."""
    return "minor" if mode in MINOR_THIRD_MODES else "major"


def _sample(logits: np.ndarray, allowed: np.ndarray, temperature, top_p: float, rng) -> tuple[int, float]:
    """Draw one id among `allowed` from `logits`; returns (id, log-probability). `temperature`:
    one number, or one per token id (`token_temperatures`)."""
    if len(allowed) == 1:
        return int(allowed[0]), 0.0
    temp = temperature if np.isscalar(temperature) else temperature[allowed]
    z = logits[allowed].astype(np.float64) / temp
    z -= z.max()
    p = np.exp(z)
    p /= p.sum()
    if top_p < 1.0:
        order = np.argsort(-p)
        cum = np.cumsum(p[order])
        keep = order[: int(np.searchsorted(cum, top_p)) + 1]
        q = p[keep]
        q /= q.sum()
        j = min(int(np.searchsorted(np.cumsum(q), rng.random())), len(q) - 1)
        return int(allowed[keep[j]]), float(np.log(q[j]))
    j = min(int(np.searchsorted(np.cumsum(p), rng.random())), len(p) - 1)
    return int(allowed[j]), float(np.log(p[j]))


def prompt_ids(tokenizer: Tokenizer, request: ComposeRequest) -> list[int]:
    return tokenizer.header_ids(
        request.style, request.key, request.mode, request.meter, request.tempo, request.bars, request.layout
    )


@functools.cache
def _openblas_threads() -> tuple | None:
    """(get, set) of the OpenBLAS thread count numpy uses, found through ctypes; None elsewhere."""
    paths: set[str] = set()
    with contextlib.suppress(OSError), open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line}
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for stem in ("scipy_openblas_{}_num_threads64_", "openblas_{}_num_threads64_", "openblas_{}_num_threads"):
            get, set_ = getattr(lib, stem.format("get"), None), getattr(lib, stem.format("set"), None)
            if get is not None and set_ is not None:
                get.restype = ctypes.c_int
                set_.argtypes = [ctypes.c_int]
                return get, set_
    return None


@contextlib.contextmanager
def single_thread_blas() -> Iterator[None]:
    """Run numpy's BLAS on one thread: the small matmuls of incremental decoding run 2-3x
    slower when OpenBLAS splits them over threads (and much slower on a busy machine)."""
    fns = _openblas_threads()
    if fns is None:
        yield
        return
    get, set_ = fns
    old = get()
    set_(1)
    try:
        yield
    finally:
        set_(old)


def _decoder_for(model):
    """The model's cached numpy decoder (rebuilt when its weights change version)."""
    from tunesmith.inference import NumpyDecoder

    version = sum(p._version for p in model.parameters())
    cached = getattr(model, "_np_decoder", None)
    if cached is None or cached[0] != version:
        cached = (version, NumpyDecoder(model))
        object.__setattr__(model, "_np_decoder", cached)
    return cached[1]


def compose_tables(tokenizer: Tokenizer, request: ComposeRequest, max_len: int) -> _Tables:
    """The automaton tables `generate` samples a request under (the fine-tuning solver replays
    them to recompute each token's masked distribution)."""
    return _Tables(
        tokenizer,
        request,
        max_len,
        voice_leading=request.layout == "satb",
        chord_every_bar=request.chord_every_bar,
        form=True,
    )


def style_decoding(model, style: str) -> dict:
    """The model's tuned decoding entry for `style` (`decoding.json`), or {}."""
    return (getattr(model, "decoding", None) or {}).get(style, {})


def sampling_params(
    tokenizer: Tokenizer,
    tuned: dict,
    request: ComposeRequest,
    temperature: float | None = None,
    top_p: float | None = None,
    rhythm_temperature: float | None = None,
) -> tuple[float, float, float, float | np.ndarray]:
    """(temperature, top_p, rhythm_temperature, per-token temperatures) for a request: the
    arguments, else the request's, else the style's tuned decoding (`tuned`), else 1.0 / 0.95;
    an unset rhythm temperature follows an explicit temperature, else the tuned one. Compose and
    co-create resolve them alike."""
    temperature_given = temperature is not None
    if temperature is None:
        temperature = request.temperature if request.temperature is not None else tuned.get("temperature", 1.0)
    if top_p is None:
        top_p = request.top_p if request.top_p is not None else tuned.get("top_p", 0.95)
    if rhythm_temperature is None:
        rhythm_temperature = request.rhythm_temperature
    if rhythm_temperature is None:
        explicit = request.temperature is not None or temperature_given
        rhythm_temperature = temperature if explicit else tuned.get("rhythm_temperature", temperature)
    temperature, top_p, rhythm_temperature = float(temperature), float(top_p), float(rhythm_temperature)
    if not 0 < temperature <= 10 or not 0 < top_p <= 1 or not 0 < rhythm_temperature <= 10:
        raise ValueError(
            f"temperature and rhythm_temperature must be in (0, 10] and top_p in (0, 1]; "
            f"got {temperature}, {rhythm_temperature}, {top_p}"
        )
    temps = temperature if rhythm_temperature == temperature else token_temperatures(tokenizer, temperature, rhythm_temperature)
    return temperature, top_p, rhythm_temperature, temps


def generate(
    model,
    tokenizer: Tokenizer,
    request: ComposeRequest,
    n: int = 1,
    seed: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    batch_size: int = 16,
    rhythm_temperature: float | None = None,
) -> list[Take]:
    """`n` takes for `request`, each satisfying every constraint (see the module docstring).

    `seed` (else `request.seed`, else random) makes the takes reproducible for the same
    (model, request, n, batch_size); `temperature`/`top_p`/`rhythm_temperature` override the
    request's. Unset, each comes from the model's tuned defaults for the style; an unset rhythm
    temperature follows `temperature` (explicit, or tuned when the style has no rhythm default).
    """
    if not isinstance(request, ComposeRequest):
        raise TypeError("generate needs a ComposeRequest")
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    tuned = style_decoding(model, request.style)
    temperature, top_p, rhythm_temperature, temps = sampling_params(
        tokenizer, tuned, request, temperature, top_p, rhythm_temperature
    )
    seed = request.seed if seed is None else seed
    if seed is None:
        seed = int.from_bytes(os.urandom(4), "little")
    model_len = model.config.block_size
    prompt = prompt_ids(tokenizer, request)
    tables = compose_tables(tokenizer, request, model_len)
    if len(prompt) + request.bars * tables.per_bar + 8 > model_len:
        raise ValueError(f"{request.bars} bars do not fit in the model's {model_len}-token block; ask for fewer bars")
    decoder = _decoder_for(model)
    rng = np.random.default_rng(seed)
    def tuned_tables(t: _Tables) -> _Tables:
        set_tonal_feedback(t, request, tuned)
        set_rhythm_feedback(t, request, tuned)
        set_closing_shares(t, tuned)
        return t

    by_form = {request.resolved_form(): tuned_tables(tables)}

    def tables_for(form: str) -> _Tables:
        if form not in by_form:
            by_form[form] = tuned_tables(compose_tables(tokenizer, dataclasses.replace(request, form=form), model_len))
        return by_form[form]

    draws = request.form_draws()
    takes: list[Take] = []
    for start in range(0, n, batch_size):
        b = min(batch_size, n - start)
        forms = [request.resolved_form()] * b
        if draws:  # a form per take (`ComposeRequest.form_draws`)
            picks = rng.choice(len(draws), size=b, p=[w for _, w in draws])
            forms = [draws[int(k)][0] for k in picks]
        t0 = time.perf_counter()
        with single_thread_blas():
            rows = _generate_batch(decoder, [tables_for(f) for f in forms], prompt, temps, top_p, rng, model_len)
        seconds = (time.perf_counter() - t0) / b
        for i, (ids, lps, forced, closing, final_ticks, degree) in enumerate(rows):
            piece = _finish_piece(tokenizer, ids, request, seed, start + i)
            meta = {"take": start + i, "temperature": temperature, "rhythm_temperature": rhythm_temperature, "top_p": top_p}
            if closing is not None:  # the drawn closing degree: replaying the automaton needs it
                meta["closing_pcs"], meta["closing_degree"] = sorted(closing), degree
            if final_ticks is not None:  # and the drawn least length of the last note
                meta["final_ticks"] = final_ticks
            meta["form"], meta["cadence"] = forms[i], request.resolved_cadence()
            takes.append(Take(piece, ids, np.array(lps, np.float32), np.array(forced, bool), seed, seconds, meta))
    return takes


def _generate_batch(decoder, row_tables: list[_Tables], prompt: list[int], temperature, top_p, rng, max_len):
    """Rows (one per tables) of (ids, log-probs, forced flags, closing pitch classes drawn or None,
    least last-note length drawn or None, closing degree's name or None)."""
    autos = [Constrainer(tables, len(prompt)) for tables in row_tables]
    for a in autos:
        a.draw_ending(rng)
    seqs, lps, forced = decode_rows(decoder, prompt, autos, temperature, top_p, rng, max_len)
    ends = [(a.final_pcs, a.final_ticks, a.final_degree) for a in autos]
    return [(q, lp, f, *e) for q, lp, f, e in zip(seqs, lps, forced, ends)]


def decode_rows(decoder, prompt: list[int], autos: list[Constrainer], temperature, top_p, rng, max_len):
    """Sample one row per automaton after a shared `prompt` (the loop of compose and co-create).

    Returns (token ids, log-probs, forced flags) per row, prompt included. Every token is drawn
    among `auto.allowed()`; a bar closed early pays `auto.early_end()`'s logit penalty, and a
    melody's pitch gets `auto.tonal_bias()` and a note length `auto.rhythm_bias()` (the tonal and
    rhythm feedback, `set_tonal_feedback`, `set_rhythm_feedback`)."""
    b = len(autos)
    eos = autos[0].t.eos_tok
    decoder.reset(b, max_len)
    seqs = [list(prompt) for _ in range(b)]
    lps = [[0.0] * len(prompt) for _ in range(b)]
    forced = [[True] * len(prompt) for _ in range(b)]
    feed = np.array([prompt] * b)  # (b, T)
    while True:
        logits = decoder.step(feed)  # (b, V)
        nxt = []
        for r, a in enumerate(autos):
            if a.done:
                nxt.append([eos])
                continue
            allowed = a.allowed()
            row_logits = logits[r]
            tonal, rhythm = a.tonal_bias(), a.rhythm_bias()
            if tonal is not None or rhythm is not None:
                row_logits = row_logits.copy()
                if tonal is not None:
                    row_logits[a.t.pitch_ids] += tonal
                if rhythm is not None:
                    row_logits[a.t.dur_ids] += rhythm
            early = a.early_end()
            if early is not None:
                row_logits = row_logits.copy()
                row_logits[early[0]] -= early[1]
            tok, lp = _sample(row_logits, allowed, temperature, top_p, rng)
            a.advance(tok)
            row = [tok]
            seqs[r].append(tok)
            lps[r].append(lp)
            forced[r].append(len(allowed) == 1)
            if b == 1:
                # tokens the automaton forces need no logits: feed them together in one step
                while not a.done:
                    allowed = a.allowed()
                    if len(allowed) != 1:
                        break
                    tok = int(allowed[0])
                    a.advance(tok)
                    row.append(tok)
                    seqs[r].append(tok)
                    lps[r].append(0.0)
                    forced[r].append(True)
            nxt.append(row)
        if all(a.done for a in autos):
            break
        feed = np.array(nxt)  # (b, T): T > 1 only at batch 1
        if decoder.length + feed.shape[1] > max_len:  # cannot happen: the automaton keeps the budget
            raise RuntimeError("decoding ran past the model's block size")
    return seqs, lps, forced


def _finish_piece(tokenizer: Tokenizer, ids: list[int], request: ComposeRequest, seed: int, index: int) -> Piece:
    piece = tokenizer.decode(ids, piece_id=f"take-{seed}-{index}", title=f"tunesmith {request.style} take {index + 1}")
    piece.style = request.style
    piece.keys = [KeySignature(0.0, request.key, request.mode)]
    num, den = (int(x) for x in request.meter.split("/"))
    piece.time_signatures = [TimeSignature(0.0, num, den)]
    piece.tempos = [Tempo(0.0, request.tempo)]
    if request.chords:
        # write each given figure exactly as the musician spelled it
        by_onset = {round(c.onset * 12): c for c in piece.chords}
        bar_len = meter_ticks(request.meter)
        chords = []
        for i in range(request.bars):
            c = by_onset.get(i * bar_len)
            figure = request.chords[i % len(request.chords)]
            chords.append(ChordSymbol(i * bar_len / 12, figure, c.duration if c else bar_len / 12))
        piece.chords = chords
    piece.meta = {"request": request.to_dict(), "seed": seed, "take": index}
    return piece


# ------------------------------------------------------------------------- infilling
def infill(
    model,
    tokenizer: Tokenizer,
    piece: Piece,
    start_bar: int,
    end_bar: int,
    n: int = 1,
    seed: int | None = None,
    temperature: float = 1.0,
    top_p: float = 0.95,
    chords: list[str] | None = None,
    pitch_range: tuple[int, int] | None = None,
    in_scale: bool = False,
    batch_size: int = 16,
) -> list[Take]:
    """Rewrite bars [start_bar, end_bar) of `piece` between the music around them.

    The model sees the bars before and after (fill-in-the-middle order: header, <fill>,
    prefix, <suffix>, suffix, <middle>) and writes the middle under the same hard constraints
    as `generate` (grammar, meter, bar count, `chords` one per bar if given, pitch range —
    default: the piece's own range per voice — and `in_scale`). Outside the span the piece is
    kept exactly; a note held into the span from before it is cut at the span's start.
    """
    n_bars = piece.n_bars
    if not 0 <= start_bar < end_bar <= n_bars:
        raise ValueError(f"bars [{start_bar}, {end_bar}) are not inside the piece's {n_bars} bars")
    layout, voice_tracks = tokenizer._voices_of(piece)
    key = piece.key
    if key is None:
        from tunesmith import harmony

        key = harmony.estimate_key(piece)
    ts = piece.time_signature
    if pitch_range is None:
        pitches = [nt.pitch for t in voice_tracks.values() for nt in t.notes]
        if layout == "lead" and pitches:
            lo, hi = max(PITCH_MIN, min(pitches) - 2), min(PITCH_MAX, max(pitches) + 2)
            if hi - lo < MIN_MELODY_SPAN:
                lo, hi = max(PITCH_MIN, lo - 3), min(PITCH_MAX, hi + 3)
            pitch_range = (lo, hi)
    request = ComposeRequest(
        style=piece.style if piece.style in STYLES else "folk",
        key=key.tonic,
        mode=key.mode if key.mode in MODES else "major",
        meter=f"{ts.numerator}/{ts.denominator}",
        bars=end_bar - start_bar,
        tempo=min(MAX_TEMPO, max(MIN_TEMPO, piece.tempo)),
        pitch_range=pitch_range,
        chords=chords,
        in_scale=in_scale,
        temperature=temperature,
        top_p=top_p,
        seed=seed,
        layout=layout,
    )
    ids = tokenizer.encode(piece, fim=(start_bar, end_bar))
    prompt = ids[: ids.index(tokenizer.middle_id) + 1]
    model_len = model.config.block_size
    tables = _Tables(tokenizer, request, model_len)
    if len(prompt) + request.bars * tables.per_bar + 8 > model_len:
        raise ValueError(f"the piece is too long for the model's {model_len}-token block; infill a shorter excerpt")
    seed = request.seed if request.seed is not None else int.from_bytes(os.urandom(4), "little")
    rng = np.random.default_rng(seed)
    decoder = _decoder_for(model)
    takes = []
    for start in range(0, n, batch_size):
        b = min(batch_size, n - start)
        t0 = time.perf_counter()
        with single_thread_blas():
            rows = _generate_batch(decoder, [tables] * b, prompt, float(temperature), float(top_p), rng, model_len)
        seconds = (time.perf_counter() - t0) / b
        for i, (seq, lps, forced, *_ending) in enumerate(rows):
            out = _splice(piece, tokenizer.decode(seq), start_bar, end_bar, voice_tracks, request)
            out.meta = {**piece.meta, "infill": {"bars": [start_bar, end_bar], "seed": seed, "take": start + i}}
            takes.append(Take(out, seq, np.array(lps, np.float32), np.array(forced, bool), seed, seconds))
    return takes


def _splice(original: Piece, decoded: Piece, a: int, b: int, voice_tracks: dict, request: ComposeRequest) -> Piece:
    """`original` with bars [a, b) replaced by those of `decoded` (the same bar grid)."""
    import copy

    out = copy.deepcopy(original)
    obars, dbars = original.bars(), decoded.bars()
    t0 = obars[a]
    t1 = obars[b] if b < len(obars) else original.duration()
    d0 = dbars[a]
    d1 = dbars[b] if b < len(dbars) else decoded.end
    shift = t0 - d0
    roles = {"M": "melody", "S": "soprano", "A": "alto", "T": "tenor", "B": "bass"}
    by_role = {t.role: t for t in decoded.tracks}
    for v, track in voice_tracks.items():
        target = out.tracks[original.tracks.index(track)]
        kept = []
        for nt in target.notes:
            if nt.onset < t0 - 1e-9:
                if nt.onset + nt.duration > t0 + 1e-9:
                    nt.duration = t0 - nt.onset
                kept.append(nt)
            elif nt.onset >= t1 - 1e-9:
                kept.append(nt)
        new = [
            copy.copy(nt)
            for nt in (by_role.get(roles[v]).notes if by_role.get(roles[v]) else [])
            if d0 - 1e-9 <= nt.onset < d1 - 1e-9
        ]
        for nt in new:
            nt.onset += shift
        target.notes = sorted(kept + new, key=lambda x: x.onset)
    if request.chords or any(d0 - 1e-9 <= c.onset < d1 - 1e-9 for c in decoded.chords):
        mid = [copy.copy(c) for c in decoded.chords if d0 - 1e-9 <= c.onset < d1 - 1e-9]
        for i, c in enumerate(mid):
            c.onset += shift
            if request.chords:
                c.figure = request.chords[i % len(request.chords)]
        out.chords = sorted(
            [c for c in out.chords if not (t0 - 1e-9 <= c.onset < t1 - 1e-9)] + mid, key=lambda c: c.onset
        )
    return out
