"""Four-part writing: the rules a chorale take's voices keep, as masks over the pitches the
current voice may start (`Constrainer._pitches` applies them in this order, after the voice
leading of `voice_leading.VoiceLeading` and the drawn approach to the last note).

Each rule is soft: where it would leave no pitch, the mask is left as it was (`narrow`), so
decoding never dead-ends and a rule applied earlier wins over one applied later. The voices of
a bar are written top down, so a rule sees the voices above the current one in its bar and every
voice in the bars before."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tunesmith.sampling.endings import (
    bars_natural_seventh,
    before_final_chord,
    doubles_leading_tone,
    tenor_owes_third,
)
from tunesmith.voice_leading import (
    augmented_leaps,
    augmented_seconds,
    cross_relations,
    doubled_leading_tone,
    too_far_below,
)

if TYPE_CHECKING:
    from tunesmith.sampling.automaton import Constrainer


def narrow(mask: np.ndarray | None, keep: np.ndarray) -> np.ndarray | None:
    """`mask` (None: every pitch) narrowed to `keep` where that leaves a pitch, else unchanged."""
    both = keep if mask is None else (mask & keep)
    return both if both.any() else mask


def part_writing(auto: Constrainer, at: int, mask: np.ndarray | None) -> np.ndarray | None:
    """`mask` narrowed by the four-part rules for the current voice's note starting at tick `at`
    (from the piece's start): room over the bass in the final chord, the chord before the final
    one (`sampling.endings`), no chromatic clash, no doubled leading tone, no wide spacing, no
    augmented second, singable leaps in the lower voices, no augmented fourth, fifth or sixth in any
    voice, no hidden fifths or octaves into the outer voices. A lead sheet's melody (no voice
    leading) is returned unchanged."""
    t, v = auto.t, auto.v
    if not t.voice_leading:
        return mask
    vals = t.pitch_values[v]
    if 0 < v < len(t.voices) - 1 and auto.final_ticks is not None and at >= auto.final_chord_tick():
        # an inner voice in the final chord stays above the lowest root the bass can still
        # reach in its range: with the bass held to C3 and up, a tenor on D3 left the bass's G
        # only G3, above it (a crossing in the last chord)
        root = (t.tonic_pc + 7) % 12 if auto.half_close else t.tonic_pc
        bass = t.pitch_values[len(t.voices) - 1]
        lowest = next((int(p) for p in sorted(bass) if p % 12 == root), None)
        if lowest is not None:
            mask = narrow(mask, vals >= lowest)
    before_final = before_final_chord(auto, at)
    if before_final and bars_natural_seventh(auto):
        mask = narrow(mask, vals % 12 != t.subtonic_pc)  # not the natural 7th
    if before_final and doubles_leading_tone(auto, at):
        mask = narrow(mask, vals % 12 != t.leading_pc)  # another voice has the leading tone
    owes_third = before_final and tenor_owes_third(auto)
    if owes_third:
        mask = narrow(mask, vals % 12 == t.leading_pc)  # V's third: the leading tone
    vl = auto.vl
    if vl is None:
        return mask
    if v > 0:
        # no chromatic clash with a voice already written that sounds at this onset, no second
        # leading tone, no gap of more than an octave under the voice above
        sounding = auto._sounding_above(at)
        clear = ~cross_relations(sounding, vals, t.diatonic)
        if not (t.modal or owes_third):  # a church mode's seventh is no leading tone (dorian,
            # mixolydian: a whole step); the cadence's own rules place V's third
            clear &= ~doubled_leading_tone(sounding, vals, t.leading_pc)
        if v < len(t.voices) - 1:  # the upper voices within an octave of the voice above
            clear &= ~too_far_below(vl.pitch_at(v - 1, at), vals)
        mask = narrow(mask, clear)
    prev = vl.pitch_at(v, at - 1)  # the voice's note just before (None after a rest)
    if t.minor and prev is not None:
        mask = narrow(mask, ~augmented_seconds(prev, vals, t.tonic_pc))
    if v > 0 and auto.copy_src is None and prev is not None:
        # (a bar the form repeats is sung as it was: a repeat sign's leap back is no leap)
        # the lower voices leap no seventh and no more than an octave, the inner ones no
        # tritone either (the bass's falling diminished fifth is Bach's): harmonizations
        # leapt a seventh 5.5 times per 100 beats, Bach's chorales 0.1
        leap = np.abs(vals - prev)
        singable = ~np.isin(leap, (10, 11)) & (leap <= 12)
        if v < len(t.voices) - 1:
            singable &= leap != 6
        mask = narrow(mask, singable)
    if auto.copy_src is None and prev is not None:
        mask = narrow(mask, ~augmented_leaps(prev, vals, t.tonic_pc, t.minor))
    if v == len(t.voices) - 1 and v > 1:
        # the bass reaches no fifth or octave with a leaping soprano by similar motion (yielding
        # to the rules above where nothing else is left)
        mask = narrow(mask, ~vl.hidden_into_outer(at, vals))
    return mask


def final_chord_third(auto: Constrainer, at: int, mask: np.ndarray | None) -> np.ndarray | None:
    """`mask` narrowed, for an inner voice at a final chord with no closing cadence (a given
    soprano that ends off the tonic triad), to the planned chord's third where the voices above
    leave it out: the alto where it can, else the tenor (the takes closed such pieces on bare
    fifths in 3 of 6 seeds; with the tenor alone, where its note before left the third a seventh
    or a tritone away, in 3 of 6 again)."""
    t, vl = auto.t, auto.vl
    if not (0 < auto.v < len(t.voices) - 1 and auto.final_strike is not None and auto.final_ticks is not None
            and at == auto.final_chord_tick()):  # fmt: skip
        return mask
    planned = vl.planned_before(at) if vl is not None and vl.chord_tones else None
    tones = [int(x) for x in vl.chord_tones[planned]] if planned is not None else []
    third = next((x for x in tones[1:] if (x - tones[0]) % 12 in (3, 4)), None)
    if third is None or third in auto._sounding_above(at):
        return mask
    return narrow(mask, t.pitch_values[auto.v] % 12 == third)
