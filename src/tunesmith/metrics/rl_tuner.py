"""Music-theory rule statistics of RL Tuner / Sequence Tutor, computed on a piece's melody.

Reference: Natasha Jaques, Shixiang Gu, Dzmitry Bahdanau, Jose Miguel Hernandez-Lobato,
Richard E. Turner, Douglas Eck, "Sequence Tutor: Conservative fine-tuning of sequence generation
models with KL-control", ICML 2017, Table 1 (first circulated as Jaques, Gu, Turner, Eck, "Tuning
recurrent neural networks with reinforcement learning", ICLR 2017 workshop, arXiv:1611.02796;
the reference column `RL_TUNER_PAPER_NOTE_RNN` is taken from Table 1 of arXiv:1611.02796v3,
https://arxiv.org/abs/1611.02796v3),
and its open-source code, magenta/models/rl_tuner (rl_tuner.py, rl_tuner_eval_metrics.py,
rl_tuner_ops.py), whose definitions are followed here rule by rule.

Event grid. The paper's melodies are monophonic sequences of 16th-note steps, each step one event:
NOTE_OFF (0), NO_EVENT (1: the previous note is held, or silence continues), or a note-on
(2 + pitch - 48 for MIDI pitches 48..83). `melody_events` converts `Piece.melody()` the way
magenta's Melody.from_quantized_sequence does: the melody is reduced to a monophonic line
(highest note at each onset, each note cut at the next onset), onsets and ends are rounded to
the 16th grid, a note writes its note-on at its onset step, NO_EVENT on the following steps it
lasts, and NOTE_OFF on its end step unless another note starts there; silence before the first
note and after a NOTE_OFF is NO_EVENT. The grid runs from beat 0 to the piece's end. The events
hold real MIDI pitches (`pitch + 2`, so that differences of events are intervals); only the
autocorrelation uses the paper's numeric encoding (see `autocorrelation`).

The statistics (`rl_tuner_stats`), as in rl_tuner_eval_metrics.get_stat_dict_string:

- notes_not_in_key: share of EVENTS (steps; NOTE_OFF and NO_EVENT count as in key, and the
  denominator is the number of steps, as magenta's total_notes = compositions x length) whose
  note-on pitch class is outside the key's diatonic scale (magenta: C major only).
- notes_excessively_repeated: share of steps flagged by detect_repeating_notes: looking back from
  the step, count the run of previous events equal to it (NOTE_OFF / NO_EVENT between repeats of
  a pitch set flags); flag when the event is NOTE_OFF after more than one NOTE_OFF, or the count
  exceeds 4 with no NOTE_OFF / NO_EVENT in the run, or exceeds 6 with some. A NO_EVENT step counts
  earlier NO_EVENTs as repeats, so a note held for more than five 16ths is flagged from its 6th
  held step on: magenta's behaviour, kept.
- autocorrelation_lag1/2/3: mean over compositions of the lag-k autocorrelation of the encoded
  event sequence (rl_tuner_ops.autocorrelate).
- leaps_resolved: resolved leaps / (resolved + doubled) with detect_leap_up_back: a leap is an
  interval of a fifth (7 semitones) or more between a note and the previous note; a leap in the
  opposite direction of an unresolved one resolves it if more than 6 steps passed since the last
  leap; a leap in the same direction is "doubled"; a non-leap note at or beyond the note the leap
  started from (back down after an ascending leap, back up after a descending one) resolves it.
- compositions_starting_with_tonic: share of compositions whose first event is a note-on of the
  tonic (magenta requires index 14, i.e. C4 exactly; here any octave of the key's tonic).
- compositions_unique_max_note / _min_note: share of compositions whose highest / lowest
  note-on pitch is attacked exactly once.
- notes_in_motif: share of steps at which the last 8 steps (the current one included) contain
  note-ons of at least 3 distinct pitches (detect_last_motif, bar_length=8).
- notes_in_repeated_motif: share of steps whose 8-step motif (as above, exact events) already
  occurred, event for event, in the composition before those 8 steps (detect_repeated_motif).

What counts as a composition: the paper scores 32-step (two 4/4 bars of 16ths) compositions of a
C-major model. By default a whole melody is one composition; `segment_steps=32` cuts each melody
into consecutive 32-step compositions instead (a last shorter one is dropped). Keys: the piece's
key (its first KeySignature), any mode; `raised_6_7=True` also accepts the raised 6th and 7th
in minor. The autocorrelation transposes the melody so its tonic is C (shift in -5..+6) and
folds each pitch into 48..83 by octaves (as magenta's Melody.squash does for training data)
before encoding it as the paper's events (2 + pitch - 48).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tunesmith.metrics._common import melody_line, scale_pitch_classes
from tunesmith.score import Piece

NOTE_OFF = 0
NO_EVENT = 1
STEPS_PER_BEAT = 4  # 16th notes
MOTIF_STEPS = 8  # magenta's bar_length for motifs
STEPS_BETWEEN_LEAPS = 6
MIN_NOTE = 48  # magenta's encoded range, inclusive
MAX_NOTE = 84  # exclusive
LEAP = 7  # a fifth

STAT_NAMES = (
    "notes_excessively_repeated",
    "notes_not_in_key",
    "autocorrelation_lag1",
    "autocorrelation_lag2",
    "autocorrelation_lag3",
    "leaps_resolved",
    "compositions_starting_with_tonic",
    "compositions_unique_max_note",
    "compositions_unique_min_note",
    "notes_in_motif",
    "notes_in_repeated_motif",
)

RL_TUNER_PAPER_NOTE_RNN: dict[str, float] = {
    "notes_excessively_repeated": 0.633,
    "notes_not_in_key": 0.001,
    "autocorrelation_lag1": -0.16,
    "autocorrelation_lag2": 0.14,
    "autocorrelation_lag3": -0.13,
    "leaps_resolved": 0.772,
    "compositions_starting_with_tonic": 0.009,
    "compositions_unique_max_note": 0.647,
    "compositions_unique_min_note": 0.494,
    "notes_in_motif": 0.059,
    "notes_in_repeated_motif": 0.00007,
}
"""The "Note RNN" column of Table 1 ("Statistics of music theory rule adherence based on 100,000
randomly initialized compositions generated by each model") of Jaques, Gu, Turner, Eck, "Tuning
Recurrent Neural Networks with Reinforcement Learning", arXiv:1611.02796v3
(https://arxiv.org/abs/1611.02796v3), as fractions: the paper prints percentages (63.3% of notes
excessively repeated is 0.633; 0.007% of notes in repeated motif is 0.00007) and the
autocorrelations as plain numbers (-.16, .14, -.13).

Verified: each value was compared with the table in a full-text copy of arXiv:1611.02796v3
(found through a public code index by its row label "Notes excessively repeated"); see
`RL_TUNER_PAPER_SOURCE`. Lag-2 autocorrelation is printed there as ".14", with no minus sign,
so it is +0.14 here (an earlier, unverified copy of this table had -0.14). The ICML 2017
"Sequence Tutor" version of the paper (arXiv:1611.02796v9) was NOT checked; its Table 1 may
differ.
"""

RL_TUNER_PAPER_SOURCE: dict[str, object] = {
    "paper": 'Jaques, Gu, Turner, Eck, "Tuning Recurrent Neural Networks with Reinforcement Learning", '
    'arXiv:1611.02796v3 (Dec 2016), Table 1, column "Note RNN"',
    "url": "https://arxiv.org/abs/1611.02796v3",
    "unit": "fractions (the paper prints percentages); 32-step compositions of 16th notes, 100,000 compositions",
    "verified": True,
    "how_verified": "values compared one by one with Table 1 of a full-text copy of the Dec 2016 arXiv version "
    "(its abstract is v3's), found in a public code index",
    "notes": {
        "autocorrelation_lag2": "printed as '.14' (no minus sign) in the copy checked; re-check against the PDF",
    },
    "not_checked": "the ICML 2017 'Sequence Tutor' version (arXiv:1611.02796v9) Table 1",
}


def melody_events(piece: Piece) -> list[int]:
    """The melody on the 16th-note event grid: NOTE_OFF (0), NO_EVENT (1), or pitch + 2 for a
    note-on (see the module docstring for the conversion)."""
    line = melody_line(piece)
    n_steps = int(math.ceil(piece.duration() * STEPS_PER_BEAT - 1e-6))
    events = [NO_EVENT] * max(n_steps, 0)
    for note in line:
        start = int(round(note.onset * STEPS_PER_BEAT))
        end = int(round((note.onset + note.duration) * STEPS_PER_BEAT))
        if start >= len(events):
            continue
        end = max(end, start + 1)
        events[start] = note.pitch + 2
        for i in range(start + 1, min(end, len(events))):
            events[i] = NO_EVENT
        if end < len(events):
            events[end] = NOTE_OFF  # overwritten if the next note starts here
    return events


def is_note(event: int) -> bool:
    return event not in (NOTE_OFF, NO_EVENT)


def event_pitch(event: int) -> int:
    """MIDI pitch of a note-on event."""
    return event - 2


# --------------------------------------------------------------------------- single rules
def detect_repeating_notes(previous: Sequence[int], event: int) -> bool:
    """magenta RLTuner.detect_repeating_notes: is `event`, played after `previous`, an
    excessively repeated note? (rules in the module docstring)."""
    return _repeating(previous, len(previous), event)


def _repeating(events: Sequence[int], t: int, event: int) -> bool:
    """detect_repeating_notes(events[:t], event) without copying."""
    num_repeated = 0
    contains_held_notes = False
    contains_breaks = False
    for i in range(t - 1, -1, -1):
        prev = events[i]
        if prev == event:
            num_repeated += 1
        elif prev == NOTE_OFF:
            contains_breaks = True
        elif prev == NO_EVENT:
            contains_held_notes = True
        else:
            break
    if event == NOTE_OFF and num_repeated > 1:
        return True
    if not contains_held_notes and not contains_breaks:
        return num_repeated > 4
    return num_repeated > 6


def detect_last_motif(events: Sequence[int], bar_length: int = MOTIF_STEPS) -> list[int] | None:
    """magenta RLTuner.detect_last_motif: the last `bar_length` events if they hold note-ons of at
    least three distinct pitches, else None."""
    if len(events) < bar_length:
        return None
    last = list(events[-bar_length:])
    return last if len({e for e in last if is_note(e)}) >= 3 else None


def detect_repeated_motif(events: Sequence[int], bar_length: int = MOTIF_STEPS) -> bool:
    """magenta RLTuner.detect_repeated_motif, with `events` ending at the current step: does the
    current motif occur, event for event, in the events before it?"""
    motif = detect_last_motif(events, bar_length)
    if motif is None:
        return False
    before = list(events[: len(events) - bar_length])
    m = len(motif)
    return any(before[i : i + m] == motif for i in range(len(before) - m + 1))


def autocorrelation(signal: Sequence[float], lag: int) -> float:
    """rl_tuner_ops.autocorrelate: sum_t (x_t - mean)(x_{t+lag} - mean) / n / var(x), with n the
    length of the whole signal. NaN for a constant signal (magenta divides by zero)."""
    x = np.asarray(signal, dtype=float)
    n = len(x)
    var = float(np.var(x)) if n else 0.0
    if n <= lag or var == 0:
        return math.nan
    d = x - x.mean()
    return float((d[lag:] * d[: n - lag]).sum() / n / var)


def encode_for_autocorrelation(events: Sequence[int], tonic_pc: int) -> list[int]:
    """The paper's numeric event encoding: NOTE_OFF 0, NO_EVENT 1, note 2 + pitch - 48, after
    transposing so the tonic is C (shift in -5..+6) and folding pitches into 48..83 by octaves."""
    shift = -tonic_pc if tonic_pc <= 6 else 12 - tonic_pc
    out = []
    for e in events:
        if not is_note(e):
            out.append(e)
            continue
        p = event_pitch(e) + shift
        while p < MIN_NOTE:
            p += 12
        while p >= MAX_NOTE:
            p -= 12
        out.append(p - MIN_NOTE + 2)
    return out


@dataclass
class _LeapState:
    direction: int = 0
    leapt_from: int | None = None
    steps_since_last_leap: int = 0


def _leap_outcome(state: _LeapState, has_previous: bool, prev_note: int | None, event: int) -> int:
    """magenta RLTuner.detect_leap_up_back; +1 resolved, -1 doubled, 0 nothing; updates state.
    `prev_note` is the last note-on event before this step (None if there is none)."""
    if not has_previous:
        return 0
    if not is_note(event):
        state.steps_since_last_leap += 1
        return 0
    interval = abs(event - prev_note) if prev_note is not None else 0
    outcome = 0
    if interval >= LEAP:
        direction = 1 if event > prev_note else -1
        if state.direction != 0:
            if state.direction != direction:
                if state.steps_since_last_leap > STEPS_BETWEEN_LEAPS:
                    outcome = 1
                state.direction = 0
                state.leapt_from = None
            else:
                outcome = -1
        else:
            state.direction = direction
            state.leapt_from = prev_note
        state.steps_since_last_leap = 0
    else:
        state.steps_since_last_leap += 1
        if (state.direction == 1 and event <= state.leapt_from) or (
            state.direction == -1 and event >= state.leapt_from
        ):
            outcome = 1
            state.direction = 0
            state.leapt_from = None
    return outcome


# --------------------------------------------------------------------------- counting
@dataclass
class RLTunerCounts:
    """Raw counts over one or more compositions; `stats()` turns them into the paper's rates."""

    n_compositions: int = 0
    n_steps: int = 0
    notes_not_in_key: int = 0
    repeated_notes: int = 0
    notes_in_motif: int = 0
    notes_in_repeated_motif: int = 0
    resolved_leaps: int = 0
    doubled_leaps: int = 0
    starting_with_tonic: int = 0
    unique_max: int = 0
    unique_min: int = 0
    autocorrelations: dict[int, list[float]] = field(default_factory=lambda: {1: [], 2: [], 3: []})

    def add(self, other: RLTunerCounts) -> RLTunerCounts:
        for name in (
            "n_compositions",
            "n_steps",
            "notes_not_in_key",
            "repeated_notes",
            "notes_in_motif",
            "notes_in_repeated_motif",
            "resolved_leaps",
            "doubled_leaps",
            "starting_with_tonic",
            "unique_max",
            "unique_min",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for lag in self.autocorrelations:
            self.autocorrelations[lag].extend(other.autocorrelations[lag])
        return self

    def stats(self) -> dict[str, float]:
        steps = self.n_steps or math.nan
        comps = self.n_compositions or math.nan
        leaps = self.resolved_leaps + self.doubled_leaps
        out = {
            "notes_excessively_repeated": self.repeated_notes / steps,
            "notes_not_in_key": self.notes_not_in_key / steps,
        }
        for lag in (1, 2, 3):
            values = [v for v in self.autocorrelations[lag] if not math.isnan(v)]
            out[f"autocorrelation_lag{lag}"] = float(np.mean(values)) if values else math.nan
        out.update(
            {
                "leaps_resolved": self.resolved_leaps / leaps if leaps else math.nan,
                "compositions_starting_with_tonic": self.starting_with_tonic / comps,
                "compositions_unique_max_note": self.unique_max / comps,
                "compositions_unique_min_note": self.unique_min / comps,
                "notes_in_motif": self.notes_in_motif / steps,
                "notes_in_repeated_motif": self.notes_in_repeated_motif / steps,
            }
        )
        return out


def composition_counts(events: Sequence[int], tonic_pc: int, scale: frozenset[int]) -> RLTunerCounts:
    """Counts of one composition (one event sequence), replaying magenta's compose loop: each
    step is judged against the steps before it."""
    c = RLTunerCounts(n_compositions=1, n_steps=len(events))
    state = _LeapState()
    events = list(events)
    first_window: dict[tuple[int, ...], int] = {}  # 8-step window -> earliest start
    prev_note: int | None = None
    for t, event in enumerate(events):
        if is_note(event) and event_pitch(event) % 12 not in scale:
            c.notes_not_in_key += 1
        if t == 0 and is_note(event) and event_pitch(event) % 12 == tonic_pc:
            c.starting_with_tonic += 1
        if _repeating(events, t, event):
            c.repeated_notes += 1
        if t + 1 >= MOTIF_STEPS:
            window = tuple(events[t + 1 - MOTIF_STEPS : t + 1])
            first_window.setdefault(window, t + 1 - MOTIF_STEPS)
            if len({e for e in window if is_note(e)}) >= 3:
                c.notes_in_motif += 1
                # repeated: the same 8 events occur wholly before this window (detect_repeated_motif)
                if first_window[window] + MOTIF_STEPS <= t + 1 - MOTIF_STEPS:
                    c.notes_in_repeated_motif += 1
        outcome = _leap_outcome(state, t > 0, prev_note, event)
        if outcome == 1:
            c.resolved_leaps += 1
        elif outcome == -1:
            c.doubled_leaps += 1
        if is_note(event):
            prev_note = event
    encoded = encode_for_autocorrelation(events, tonic_pc)
    for lag in (1, 2, 3):
        c.autocorrelations[lag].append(autocorrelation(encoded, lag))
    notes = [e for e in events if is_note(e)]
    if notes:
        c.unique_max += notes.count(max(notes)) == 1
        c.unique_min += notes.count(min(notes)) == 1
    return c


def _key_of(piece: Piece) -> tuple[int, str]:
    key = piece.key
    if key is None:
        raise ValueError(f"{piece.piece_id}: the RL Tuner statistics need a key")
    return key.tonic_pc, key.mode


def rl_tuner_counts(piece: Piece, *, segment_steps: int | None = None, raised_6_7: bool = False) -> RLTunerCounts:
    """Raw counts for one piece's melody (one composition, or 32-step ones with segment_steps=32)."""
    tonic_pc, mode = _key_of(piece)
    scale = scale_pitch_classes(tonic_pc, mode, raised_6_7=raised_6_7)
    events = melody_events(piece)
    total = RLTunerCounts(autocorrelations={1: [], 2: [], 3: []})
    if segment_steps:
        chunks = [events[i : i + segment_steps] for i in range(0, len(events) - segment_steps + 1, segment_steps)]
    else:
        chunks = [events] if events else []
    for chunk in chunks:
        total.add(composition_counts(chunk, tonic_pc, scale))
    return total


def rl_tuner_stats(
    pieces: Piece | Sequence[Piece], *, segment_steps: int | None = None, raised_6_7: bool = False
) -> dict[str, float]:
    """The Table 1 statistics (STAT_NAMES, fractions) pooled over `pieces` the way magenta pools
    compositions: step rates over all steps, composition rates over all compositions, leaps over
    all leaps, autocorrelations averaged over compositions (NaN ones skipped)."""
    if isinstance(pieces, Piece):
        pieces = [pieces]
    total = RLTunerCounts(autocorrelations={1: [], 2: [], 3: []})
    for p in pieces:
        total.add(rl_tuner_counts(p, segment_steps=segment_steps, raised_6_7=raised_6_7))
    return total.stats()
