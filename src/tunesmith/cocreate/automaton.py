"""Co-create's automaton: the job (one region to regenerate), `_CoConstrainer` (the composer's
grammar automaton plus the given music, forced token by token), the token bookkeeping it needs
(bar sections, decoder cursors, per-bar costs), the planning of chunks and windows that fit the
model's block, and the tables and voice-leading guard of one region."""

from __future__ import annotations

import copy
import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np

from tunesmith.cocreate.inputs import _Grid
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
    MAX_REQUEST_BARS,
    ComposeRequest,
    Constrainer,
    _Tables,
    set_closing_shares,
    set_interval_feedback,
    set_register_feedback,
    set_rest_offset,
    set_rhythm_feedback,
    set_root_offsets,
    set_tonal_feedback,
    set_voice_register_feedback,
)
from tunesmith.sampling.request import BASS_APPROACH_DEGREES, tonic_triad
from tunesmith.score import Piece, meter_of, pitch_class_of
from tunesmith.tokenizer import (
    DUR_TICKS,
    LAYOUTS,
    MAX_BAR_TICKS,
    PITCH_MAX,
    PITCH_MIN,
    TICKS_PER_BEAT,
    Tokenizer,
    meter_ticks,
    names_for_key,
    quality_suffix,
)
from tunesmith.voice_leading import VoiceLeading

_CHORD_STATES = (_CHORDS, _ROOT, _QUAL, _BASS, _CPOS)
_VOICE_STATES = (_VOICE, _NPOS, _PITCH)

# Whether harmonize holds the chord plan's chord at the given soprano's last note to the end (False:
# the plan's later chords under that note stood, before session 53).
FINAL_CHORD_HELD_IN_THE_PLAN = True
# The widest join, in semitones, between a voice's new note and the kept note on the other side of
# a region (`_CoConstrainer._seam_pitches`), and how many beats before the kept music a new note is
# held to it: a lead sheet's melody a sixth, in the last beat; four voices a fifth, in the last two
# (a chorale's half note struck on the third beat of a 4/4 bar is its last). With a sixth and one
# beat for both, 8 of 57 inpainted chorale sopranos (bars 5-8 of the shippable validation chorales)
# met the kept music by a major sixth or more and 7 % of their seams were wider than a fifth, where
# Bach's never are; now 2 of 57 and 1.8 %. The folk tunes' own seams are wider than a fifth 10 % of
# the time (docs/notes/2026-12-06-session-60/inpaint_melody.py, inpaint_chorale_leaps.py).
SEAM_MOST = {"lead": 9, "satb": 7}
SEAM_BEATS = {"lead": 1, "satb": 2}


# ============================================================================ the job
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
    # (onset in beats, pitch class): the bass planned over that plan (`bass_line.plan_bass`)
    bass_plan: tuple[tuple[float, int], ...] = ()
    # the last bar written ends the piece under the request's cadence (a continuation)
    close: bool = False
    # grid bars whose every voice and chords are forced from W (a continuation's reprise)
    forced_bars: frozenset[int] = frozenset()
    # the style's tuned decoding (`decoding.json`): tonal and rhythm feedback, closing degrees
    tuned: dict = field(default_factory=dict)
    # the region's first bar is the given music's last, short one (a take that began with a
    # pickup): its notes and chords are forced and the model writes the rest of the bar
    open_first: bool = False
    # where the given music ends inside that bar (beats): the new notes start there, not where the
    # voices written here end; a song whose voice stops before the piano's last chord had its
    # continuation start under that chord, inside the given music
    open_at: float = 0.0
    # the last bar written ends the piece short by its pickup (a lead sheet that began with one),
    # so the whole is whole bars, as `compose` writes it
    short_end: bool = False
    # the new bars are a contrasting strain (a B after A A): the style's register feedback lifts
    # their melody over the given music's, as compose lifts a B strain over its A
    contrast: bool = False
    # the new bars' last note is struck on its bar's downbeat and held (`continue_piece`: the given
    # music's own last note is), whatever last length the style's shares draw
    final_on_downbeat: bool = False
    # grid bars where a form's new section (a bridge, a B) opens: its first chord, where the model
    # writes the chords, drawn on the tonic or off it as compose draws a contrasting section's
    # (`sampling.request.CONTRAST_TONIC_SHARES`)
    bridge_bars: frozenset[int] = frozenset()
    # grid bars where a form's section ends inside the new bars, and how ("closed": on the tonic,
    # an A before a bridge; "open": a half close, a bridge before its A), as compose's sections end
    section_cadences: dict[int, str] = field(default_factory=dict)

    @property
    def voices(self) -> tuple[str, ...]:
        return LAYOUTS[self.layout]


# ============================================================================ the automaton
class _CoConstrainer(Constrainer):
    """`sampling.Constrainer` plus the given music.

    - `scripts[(bar, voice index)]`: the note tokens of a kept voice in a region bar, forced one
      by one (then the token that closes the voice; for the keys in `open_scripts` the rest of
      the bar is written instead, from tick `open_from` on: a continuation that begins inside a
      short last bar, where the given music ends);
      `chord_scripts[bar]`: forced chord tokens ([] = no chord symbol in that bar);
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

    may_half_close = False  # a given or continued chorale closes as `cadence` says, on its tonic
    unison_task = "cocreate"

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
        open_scripts: frozenset[tuple[int, int]] = frozenset(),
        open_from: int = 0,
    ):
        super().__init__(tables, length)
        if guard is not None and tables.voice_leading:
            # the four-part rules of a close (strike, approaches, leading tone) read the guard,
            # which knows the given voices and the plan; the guard records the written notes itself
            self.vl = guard
        self.bar_end = bar_end
        self.cursors = list(cursors)
        self.dcur = list(dcursors)
        self.scripts = scripts
        self.chord_scripts = chord_scripts
        self.open_scripts = open_scripts
        self.open_from = open_from
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
        # the first kept note after the region, per voice index, and the region's end (ticks from
        # its start): the last new note of a voice does not leap awkwardly into it
        self.seam_next: dict[int, int] = {}
        self.seam_tick = 0
        # the last kept note before the region, per voice index (inpaint): the first new note does
        # not leap awkwardly from it either
        self.seam_prev: dict[int, int] = {}

    def clone(self) -> _CoConstrainer:
        # every piece of state `advance` changes in place is copied: a proposal's forced run must
        # not leak into the automaton it was cloned from or into the other proposals
        other = copy.copy(self)
        other.cursors = list(self.cursors)
        other.dcur = list(self.dcur)
        other.notes = list(self.notes)
        other.new_chords = [list(c) for c in self.new_chords]
        other.bar_toks = [list(b) for b in self.bar_toks]
        other.bar_starts = list(self.bar_starts)
        other.bar_chords = list(self.bar_chords)
        other.voice_recent = [list(v) for v in self.voice_recent]
        other.degree_time = self.degree_time.copy()
        other.dur_counts = self.dur_counts.copy()
        other.last_length_class = list(self.last_length_class)
        # (these had been shared: a proposal's forced melody was written into every other's bar)
        other.bar_melody = list(self.bar_melody)
        other.melody_by_bar = [list(b) for b in self.melody_by_bar]
        other.opening_melody = list(self.opening_melody)
        other.quick_run = list(self.quick_run)
        other.voice_pitch_time = self.voice_pitch_time.copy()
        other.spacing_time = self.spacing_time.copy()
        other.spacing_sum = self.spacing_sum.copy()
        other.guard = copy.deepcopy(self.guard)
        if self.vl is self.guard:
            other.vl = other.guard
        elif self.vl is not None:
            other.vl = copy.deepcopy(self.vl)
        return other

    def close_on_given_soprano(self) -> None:
        """Where the soprano is given to the piece's end (harmonize; inpaint keeping the melody):
        the final chord is struck with the soprano's last note, not at a drawn length, with a
        closing cadence or without. Under a closing cadence the bass approaches it from the root
        of the chord the harmonizer planned in the beat before, and the final chord's third is
        the plan's. Bach's basses sat on the dominant before the final chord in 58 of the 58 test
        chorales whose plan had V there; the takes, whose lower voices closed at a drawn length of
        their own, in 31, and reached the final chord a beat early or late
        (`runs/s13/cadence_rules.py`, `plan_end.py`)."""
        t = self.t
        if self.vl is None or not self.vl.notes[0]:
            return
        strike, _, pitch = max(self.vl.notes[0])
        pos = strike - (t.n_bars - 1) * t.L
        if not 0 <= pos < t.last_L:  # the soprano's last note is struck before the last bar: no drawn close
            self.final_ticks = self.final_strike = self.bass_approach = self.final_third = None
            return
        closed = self.final_ticks is not None
        # a soprano that ends off the tonic chord (a half close, or a key the estimate missed) ends
        # a piece too: the voices strike its last chord with it and hold it, with no tonic rules
        self.final_ticks, self.final_strike = t.last_L - pos, pos
        if self.vl.chord_tones and FINAL_CHORD_HELD_IN_THE_PLAN:
            # the plan's chord at the soprano's last note is the final chord, held to the end: a plan
            # that changed chord under that note (a beat each under the Passion Chorale's last E) had
            # cut the tenor and bass into quarters struck again, the bass A2 A2 A3 (its tones end a
            # note: `VoiceLeading.max_duration`)
            self.vl.chord_tones = {k: v for k, v in self.vl.chord_tones.items() if k <= strike}
            self.vl._plan_ticks = None
        if not closed:
            return
        self.final_pcs = frozenset({pitch % 12})
        root, third, fifth = tonic_triad(t.tonic_pc, "minor" if t.minor else "major")
        self.final_degree = {root: "root", third: "third", fifth: "fifth"}.get(pitch % 12, "other")
        self.soprano_approach = self.melody_approach = None
        plan = self.vl.chord_tones
        before = self.vl.planned_before(strike - 1) if plan else None
        if before is not None and before >= strike - t.L:  # the plan's chord before the final one
            degree = (int(plan[before][0]) - t.tonic_pc) % 12
            self.bass_approach = next((k for k, d in BASS_APPROACH_DEGREES.items() if d == degree), "other")
        final = self.vl.planned_before(strike) if plan else None
        if final is not None and self.final_third in ("major", "minor"):
            pcs = {int(x) for x in plan[final]}
            self.final_third = "major" if (t.tonic_pc + 4) % 12 in pcs else "minor" if (t.tonic_pc + 3) % 12 in pcs else self.final_third
        if final is not None and int(plan[final][0]) != t.tonic_pc and FINAL_CHORD_HELD_IN_THE_PLAN:
            # the close is the tonic chord whatever the plan had there (C major under the Passion
            # Chorale's last E in A minor): the inner voices had followed the plan's tones, found none
            # of the cadence's in their rules and taken one ignoring them, in parallels with the bass
            third = {"major": (root + 4) % 12, "minor": (root + 3) % 12}.get(self.final_third, third)
            self.vl.chord_tones = {**plan, strike: np.array([root, third, fifth])}
            self.vl._plan_ticks = None

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
            if sc is None or (self.k >= len(sc) and (self.bar, self.v) in self.open_scripts):
                return None  # no script, or an open one whose given notes are done: written freely
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
        if s == _PITCH and (self.bar + 1, self.v) in self.scripts and (self.bar + 1, self.v) not in self.open_scripts:
            # the next bar is restated note for note (a form's later A): a note written before it
            # ends by its bar line (a bridge's last F had been held into the A's first C5: two voices)
            fits = base[self.info.val[base] <= self.bar_end[self.bar] - self.note_pos]
            base = fits if len(fits) else base[:1]
        if s in _CHORD_STATES:
            return self._chord_rules(base)
        if s == _VOICE:
            return self._voice_rules(base)
        if s == _NPOS:
            if self.guard is not None and self.vl is not self.guard:
                base = self._guard_pitches(base, self.bar * self.t.L + self.note_pos)
            return self._seam_pitches(base, self.bar * self.t.L + self.note_pos)
        if s == _PITCH and self.guard is not None and self.vl is not self.guard:
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
        if self.bar == 0 and self.first_pos and cur == self.first_pos:
            # a pickup written anew: every voice enters where the pickup starts, not after a rest
            if self.dcur[self.v] != cur:
                return np.array([self.info.pos_base + cur])
            pitches = base[self.info.cat[base] == _C_PITCH]
            if len(pitches):
                base = pitches
        if self.dcur[self.v] != cur:
            # the decoder would start an unpositioned note elsewhere: say the position
            base = base[self.info.cat[base] != _C_PITCH]
            base = np.concatenate([np.array([self.info.pos_base + cur]), base])
            return base
        if self.guard is not None and self.vl is not self.guard:
            base = self._guard_pitches(base, self.bar * L + cur)
        return self._seam_pitches(base, self.bar * L + cur)

    def _seam_pitches(self, base: np.ndarray, onset: int) -> np.ndarray:
        """In the region's last beat, pitches that join the kept note after it by at most a sixth
        (four voices: a fifth, from the last two beats: `SEAM_MOST`, `SEAM_BEATS`) and by no
        tritone or seventh (an inpainted bar had ended on G5 before a kept F-sharp 4, a
        major seventh; another a tritone below a kept G5), where any such pitch is allowed; and so
        for a voice's first new note in the region's first beat, from the kept note before it
        (`seam_prev`). An inpainted region is written after the music that follows it (the
        fill-in-the-middle order), and its first note had leapt from the note before by 4.7
        semitones on average, more than a sixth at 0.12 of the joins, against the tunes' 2.5 and
        0.03 (docs/notes/2026-12-05-session-45/inpaint_joins.py)."""
        nxt = self.seam_next.get(self.v)
        layout = "satb" if len(self.t.voices) > 1 else "lead"
        if nxt is None or not (self.seam_tick - SEAM_BEATS[layout] * self.t.beat_ticks <= onset < self.seam_tick):
            nxt = self.seam_prev.get(self.v)
            if nxt is None or onset >= self.t.beat_ticks or any(n[0] == self.v for n in self.notes):
                return base
        is_pitch = self.info.cat[base] == _C_PITCH
        if not is_pitch.any():
            return base
        gap = np.abs(self.info.val[base] - nxt)
        joins = ~is_pitch | ((gap <= SEAM_MOST[layout]) & (gap != 6))
        return base[joins] if (joins & is_pitch).any() else base

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
        script = self.scripts.get((self.bar, self.v)) if s in _VOICE_STATES else None
        scripted = script is not None and (self.k < len(script) or (self.bar, self.v) not in self.open_scripts)
        chord_free = s in _CHORD_STATES and self.bar not in self.chord_scripts
        if c == _C_PITCH:
            self.pitch = self.t.val[tok]
        if c == _C_POS and s == _VOICE:
            self.had_pos = True
        vl, self.vl = self.vl, (None if self.vl is self.guard else self.vl)  # the guard's notes: added below
        super().advance(tok)
        self.vl = vl
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
                    self.count_spacing(self.guard, at, d)
                    self.guard.add(self.v, at, at + d, self.pitch)
        elif chord_free and c == _C_ROOT:
            self.new_chords.append([self.bar, self.chord_pos, self.t.note_name(info.names[tok]), "", None])
        elif chord_free and c == _C_QUAL and self.new_chords:
            self.new_chords[-1][3] = quality_suffix(info.names[tok])
        elif chord_free and c == _C_BASS and self.new_chords:
            self.new_chords[-1][4] = self.t.note_name(info.names[tok])
        opened = self.open_from and self.state == _VOICE and (self.bar, self.v) in self.open_scripts
        if opened and self.k >= len(self.scripts.get((self.bar, self.v)) or []):
            # the voice's given notes are done: its new ones start where the whole given music
            # ends (a piano's last chord after the voice's last note), never inside it
            self.cursor = max(self.cursor, self.open_from)


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
    # four voices under the guard: the automaton's four-part close (strike, approaches) applies
    tables = _Tables(tok, request, block, close=close, voice_leading=job.guard and job.layout == "satb")
    # the style's tonal and rhythm feedback, interval offsets and closing degrees, as compose has them
    set_tonal_feedback(tables, request, job.tuned)
    set_rhythm_feedback(tables, request, job.tuned)
    set_rest_offset(tables, request, job.tuned)
    set_root_offsets(tables, request, job.tuned)
    set_interval_feedback(tables, request, job.tuned)
    if not job.forced_voices:  # a harmonized melody sits where the musician wrote it: the voices under it follow it
        set_voice_register_feedback(tables, request, job.tuned)
    set_closing_shares(tables, job.tuned)
    if job.contrast and job.layout == "lead":
        tables.contrast_bars = frozenset(range(bars))
        set_register_feedback(tables, request, job.tuned)
    scale = tables.mode_scale if request.in_scale or tables.modal else None  # a church mode: held to its scale too
    for i, v in enumerate(job.voices):
        lo, hi = job.ranges.get(v, (PITCH_MIN, PITCH_MAX))
        ps = [p for p in range(lo, hi + 1) if scale is None or p % 12 in scale]
        tables.pitches[i] = np.array([tok.pitch_id(p, tables.shift) for p in ps], dtype=np.int64)
        tables.pitch_values[i] = np.array(ps)  # the four-part rules' masks index these beside the ids
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


def _known_for_guard(job: _Job, W: Piece, c0: int, t1: float) -> VoiceLeading:
    # its ticks count from the region's first bar line, so the meter's beats fall on multiples
    guard = VoiceLeading(len(job.voices), beat_ticks=round(meter_of(job.grid.meter).beat_length * TICKS_PER_BEAT))
    grid = job.grid
    t0 = grid.starts[c0]
    span = grid.L / TICKS_PER_BEAT
    for i, track in enumerate(W.tracks):
        for nt in track.notes:
            if nt.onset + nt.duration < t0 - span or nt.onset > t1 + span:
                continue
            s = grid.tick(c0, nt.onset)
            guard.add(i, s, max(s + 1, grid.tick(c0, nt.onset + nt.duration, end=True)), nt.pitch)
    for onset, pcs in job.chord_plan:
        if t0 - 1e-9 <= onset < t1 + span:
            guard.chord_tones[grid.tick(c0, onset)] = np.array(pcs, np.int64)
    for onset, pc in job.bass_plan:
        if t0 - 1e-9 <= onset < t1 + span:
            guard.planned_bass[grid.tick(c0, onset)] = pc
    return guard
