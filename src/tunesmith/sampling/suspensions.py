"""Prepared 4-3 suspensions in a harmonized chorale's alto and tenor (a harmonizer's chord plan,
`VoiceLeading.chord_tones`): a tone of one planned chord held over the next beat, where it is a
fourth over that chord's root, and falling a step to the chord's third on the half beat after.

Why: the plan's tiers put a chord tone on every beat, so harmonized inner voices almost never
suspended (0.04 inner 4-3s per 100 beats in 40 JSB validation sopranos; Bach's settings of the
same sopranos 2.43, 33 of his 57 over V, the alto's mostly resolving on the half beat:
docs/notes/2026-12-07-session-65/bach_suspensions.py). Composed chorales, which have no plan, take
theirs from the model and the bass's `Constrainer.suspension_bias`.

Four parts, each a span, a mask or an offset the automaton applies:
- `suspension_span`: where a note may be held over a planned chord it is no tone of
  (`VoiceLeading.max_duration` otherwise ends it there);
- `length_bias`: the length that makes the suspension gains `PLANNED_SUSPENSION_GAIN` logits;
- `resolution`: a voice's note after a fourth held over a planned beat is the third a step below;
- `resolution_taken`: a lower voice keeps off that third while the fourth sounds over it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tunesmith.voice_leading import planned_bass_pc, thirds_of

if TYPE_CHECKING:
    from tunesmith.sampling.automaton import Constrainer

# What the alto's or tenor's length that holds a prepared fourth over the next planned beat, to the
# half beat after it, gains (logits; 0: off, as before session 65). The session-64 census, 40
# harmonized JSB sopranos, inner 4-3s per 100 beats: 0.00-0.04 off, 0.82 at 3, 1.36 at 5 (seeds
# 5000: 1.48), 1.40 at 8 (Bach 2.43). Too few prepared fourths arise for more: a pitch bias of 1.5
# or 3 toward the fourth that would prepare one gave 1.36 / 1.40, as the plan's tiers, not the
# logits, choose the inner voices' pitches. Beats with no triad or seventh chord 0.001 -> 0.033
# (Bach 0.085); the other measures within their seed-to-seed spread. The JSB test sopranos' chords
# agree with Bach's 0.588 -> 0.576 of the beats (`scripts/eval_cocreate.py`): a suspended beat is
# no chord of his there.
PLANNED_SUSPENSION_GAIN = 5.0


def four_three(tones: np.ndarray, pitch: int) -> int | None:
    """The pitch a step below `pitch` that is the third of the planned chord `tones` (root first),
    where `pitch` lies a fourth over its root (a 4-3 suspension's dissonance); else None."""
    if (pitch - int(tones[0])) % 12 != 5:
        return None
    thirds = thirds_of(tones)
    return next((pitch - d for d in (1, 2) if (pitch - d) % 12 in thirds), None)


def _inner_voice_over_a_plan(auto: Constrainer) -> bool:
    t, vl = auto.t, auto.vl
    return (vl is not None and bool(vl.chord_tones) and t.voice_leading and len(t.voices) == 4
            and auto.v in (1, 2) and auto.copy_src is None)  # fmt: skip


def _suspended_chord(auto: Constrainer, at: int) -> tuple[int, int, int] | None:
    """(the next planned beat after tick `at`, the pitch class a fourth over the root of the chord
    planned there, the third a step below it) where an inner voice's note struck at `at` may be
    held over that beat as a prepared 4-3: the bass is planned on that root, the soprano is known
    there, no voice above the current one sings the third, and the beat is no fermata chord nor in
    the close (their own rules write them); None elsewhere."""
    t, vl = auto.t, auto.vl
    beat = t.beat_ticks
    q = (at // beat + 1) * beat
    tones = vl.chord_tones.get(q)
    if tones is None or q in vl.cadence_ticks or auto._in_the_close(q) or q + beat // 2 > auto.end_tick():
        return None
    root = int(tones[0])
    fourth = (root + 5) % 12
    third = four_three(tones, 60 + fourth)
    if third is None or planned_bass_pc(tones) != root or vl.planned_bass.get(q, root) != root:
        return None
    above = [vl.pitch_at(u, q) for u in range(auto.v)]
    if above[0] is None or any(x is not None and x % 12 == third % 12 for x in above):
        return None  # (an alto not yet written there keeps off the third: `resolution_taken`)
    return q, fourth, third % 12


def suspension_span(auto: Constrainer) -> tuple[int, int] | None:
    """(the planned beat, half a beat after it) where the current voice's note, just pitched, may be
    held over that beat as a prepared 4-3 and end there (`_suspended_chord`): an alto or tenor
    note that is a tone of the chord planned on its beat and the fourth over the next planned
    root. None elsewhere. Found once a note: the lengths' limit and their offsets both ask."""
    if not PLANNED_SUSPENSION_GAIN or not _inner_voice_over_a_plan(auto):
        return None
    key = (auto.length, auto.v, auto.bar, auto.note_pos, auto.pitch)
    memo = auto._suspension_memo
    if memo is None or memo[0] != key:
        memo = auto._suspension_memo = (key, _span(auto))
    return memo[1]


def _span(auto: Constrainer) -> tuple[int, int] | None:
    t, vl = auto.t, auto.vl
    at = auto.bar * t.L + auto.note_pos
    here = vl.chord_tones.get(at // t.beat_ticks * t.beat_ticks)
    found = _suspended_chord(auto, at)
    if found is None or here is None or auto.pitch % 12 not in here or auto.pitch % 12 != found[1]:
        return None  # (held from a tone of its own chord: prepared)
    return found[0], found[0] + t.beat_ticks // 2


def length_bias(auto: Constrainer) -> np.ndarray | None:
    """Logit offsets for `t.dur_ids`: the length that holds the current note over the next planned
    beat as a suspension (`suspension_span`) gains `PLANNED_SUSPENSION_GAIN`; None where none may."""
    span = suspension_span(auto)
    if span is None:
        return None
    t = auto.t
    return np.where(auto.bar * t.L + auto.note_pos + t.dur_ticks == span[1], PLANNED_SUSPENSION_GAIN, 0.0)


def resolution(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray | None:
    """Which of `vals` (the current voice's candidate pitches at tick `at`) resolve its note before:
    where that note ends at `at` and was held over a planned beat as a fourth over the chord's root
    (`four_three`), the third a step below it; None where it was no such note, or where `at`
    brings a planned chord without that third."""
    if not PLANNED_SUSPENSION_GAIN or not _inner_voice_over_a_plan(auto):
        return None
    vl, beat = auto.vl, auto.t.beat_ticks
    note = vl.note_at(auto.v, at - 1)
    if note is None or note[1] != at:
        return None
    start, _, pitch = note
    q = (start // beat + 1) * beat
    tones = vl.chord_tones.get(q) if q < at else None
    third = four_three(tones, pitch) if tones is not None else None
    if third is None or (at in vl.chord_tones and third % 12 not in vl.chord_tones[at]):
        return None
    return vals == third


def resolution_taken(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray | None:
    """Which of `vals` (the current voice's candidates at planned tick `at`) sound the third another
    voice resolves to while it holds a fourth over the chord's root there (`four_three`): the
    resolution heard against its suspension. None where no other voice suspends (a tenor's
    suspension over a bar line is written before the alto's next bar)."""
    if not PLANNED_SUSPENSION_GAIN:
        return None
    vl = auto.vl
    tones = vl.chord_tones.get(at) if vl is not None and vl.chord_tones else None
    if tones is None or not auto.t.voice_leading or len(auto.t.voices) != 4:
        return None
    out = None
    for u in range(len(auto.t.voices)):
        note = vl.note_at(u, at) if u != auto.v else None
        third = four_three(tones, note[2]) if note is not None and note[0] < at else None
        if third is not None:
            taken = vals % 12 == third % 12
            out = taken if out is None else out | taken
    return out
