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
from tunesmith.sampling.phrase_cadences import (
    bass_before_a_cadence,
    doubles_a_drawn_phrygian_bass,
    drawn_half_close_approach,
    phrase_cadence_approach,
)
from tunesmith.sampling.request import BASS_APPROACH_DEGREES
from tunesmith.voice_leading import (
    augmented_leaps,
    augmented_seconds,
    cross_relations,
    doubled_leading_tone,
    doubled_secondary_leading_tone,
    is_dominant_seventh,
    thirds_of,
    too_far_below,
)

if TYPE_CHECKING:
    from tunesmith.sampling.automaton import Constrainer


def narrow(mask: np.ndarray | None, keep: np.ndarray) -> np.ndarray | None:
    """`mask` (None: every pitch) narrowed to `keep` where that leaves a pitch, else unchanged."""
    both = keep if mask is None else (mask & keep)
    return both if both.any() else mask


def singable(leap: np.ndarray, inner: bool) -> np.ndarray:
    """Which leaps (semitones, absolute) a lower voice sings: an octave at most, no seventh, and for
    an inner voice no tritone either (the bass's falling diminished fifth is Bach's)."""
    ok = (leap <= 12) & ~np.isin(leap, (10, 11))
    return ok & (leap != 6) if inner else ok


def unsingable_leap(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """Which candidates for a lower voice's note struck at tick `at` leap from its note before as
    `singable` refuses (a seventh, past the octave, an inner voice's tritone), for the voice leading
    to keep out of a chord plan's tiers (`VoiceLeading.pitch_ok`'s `avoid`): applied only after
    them, the rule had been overruled by a bass held to its planned root, which it reached by a
    seventh (F3 down to G2, not up to G3): harmonized Bach sopranos' basses leapt a seventh or past
    the octave 2.1 times per 100 beats, Bach's 0.65 (`docs/notes/2026-12-06-session-54/
    lower_voice_census.py`)."""
    t, vl, v = auto.t, auto.vl, auto.v
    prev = None if vl is None or v == 0 else vl.pitch_at(v, at - 1)
    if prev is None:
        return np.zeros(len(vals), bool)
    inner = v < len(t.voices) - 1
    bad = ~singable(np.abs(vals - prev), inner=inner)
    if not inner and BASS_RISING_TRITONE_AVOIDED:
        bad |= vals - prev == 6
    if not inner and BASS_FALLS_A_TRITONE_ONLY_TO_A_LEADING_TONE and vl.chord_tones:
        nxt = vl.next_planned_bass(at)
        bad |= (vals - prev == -6) & (nxt is None or (vals + 1) % 12 != nxt[1])
    tones = vl.chord_tones.get(at) if inner and vl.chord_tones and THIRD_OVER_A_TRITONE else None
    if tones is not None and (not THIRD_OVER_A_TRITONE_ONLY_INTO_A_CADENCE or into_a_cadence(auto, at)):
        # ... but an inner voice's tritone to the planned chord's third that no voice above sings
        # is not refused here (the rule after the tiers still prefers another note where the plan
        # leaves one): a tenor E4 kept from A#3 had left V without its third before a fermata
        above = vl.pcs_above(v, at)
        missing = [pc for pc in thirds_of(tones) if pc not in above]
        bad &= ~((np.abs(vals - prev) == 6) & np.isin(vals % 12, missing))
    return bad


SINGABLE_OVER_THE_PLAN = True  # (False: as before session 54)
# ... and the bass's rising tritone (F2 up to B2 from VI to VII6 in A minor): Bach's basses fall a
# diminished fifth 0.64 times per 100 beats and rise an augmented fourth 0.13, harmonized Bach
# sopranos' basses 0.88 and 0.60 (77 JSB validation chorales, session 57)
BASS_RISING_TRITONE_AVOIDED = True  # (False: as before session 57)
# ... and its falling tritone, but into a leading tone that rises to the next planned bass (C3 down
# to F#2, then G2): in the first 40 JSB validation chorales Bach's basses fall a tritone 12 times,
# and 7 of them rise a semitone next; their harmonized sopranos' basses fell one 28 times, 9 rising a
# semitone next, and 11 fell from the minor key's 6th to its 2nd (Ab3 to D3 in C minor), 3 of those
# rising next (session 58, `docs/notes/2026-12-06-session-58/bass_tritones_by_degree.py`)
BASS_FALLS_A_TRITONE_ONLY_TO_A_LEADING_TONE = True  # (False: as before session 58)
# An inner voice's tritone to a planned chord's missing third stays among the plan's tiers: refused
# with the other unsingable leaps, the chord on the beat before a harmonized fermata lacked its third
# at 12 of 209 (0.057; without the leap rule 0.014, Bach none; `docs/notes/2026-12-05-session-46/
# chorale_vocabulary.py 40`). False: as session 54 left it.
THIRD_OVER_A_TRITONE = True
# ... but only into a cadence (a note struck within the beat before a planned cadence chord, or in
# the close): elsewhere the bass takes a third no voice above sings (`voice_leading.
# BASS_TAKES_THE_MISSING_THIRD`). Everywhere, the tenor had leapt a tritone 0.54-0.66 times per 100
# beats of harmonized JSB sopranos (Bach's 0.21), most often to that third (C4 down to F#3 under D
# major); refused everywhere, the beat before the last lacked its third in 5-6 of 40 (Bach 1).
THIRD_OVER_A_TRITONE_ONLY_INTO_A_CADENCE = True


def into_a_cadence(auto: Constrainer, at: int) -> bool:
    """Whether a note struck at tick `at` leads into a cadence chord: in the close, or within the
    beat before a planned cadence chord (`VoiceLeading.cadence_ticks`)."""
    beat = auto.t.beat_ticks
    return auto._in_the_close(at) or any(at < c <= at + beat for c in auto.vl.cadence_ticks)


def part_writing(auto: Constrainer, at: int, mask: np.ndarray | None) -> np.ndarray | None:
    """`mask` narrowed by the four-part rules for the current voice's note starting at tick `at`
    (from the piece's start): room over the bass in the final chord, the chord before the final
    one (`sampling.endings`), no chromatic clash (with what sounds, or arrives within the beat), no
    doubled leading tone (the home key's or a secondary dominant's), no wide spacing, no
    augmented second, singable leaps in the lower voices, no augmented fourth, fifth or sixth in any
    voice, no hidden fifths or octaves into the outer voices, a dominant seventh's seventh falling
    by step, a note outside the key left by step, no parallels with the bass's drawn close (`parallels_with_the_closing_bass`). A lead sheet's melody (no voice
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
    # before the other rules (a rule applied earlier wins): a tenor kept within an octave of the
    # alto had no final-chord note left but the parallel fifth
    mask = narrow(mask, ~parallels_with_the_closing_bass(auto, at, vals))
    mask = narrow(mask, ~no_way_into_the_final_chord(auto, at, vals))
    mask = narrow(mask, ~parallels_into_a_phrase_cadence(auto, at, vals))
    mask = narrow(mask, ~seventh_into_a_fermata(auto, at, vals))
    mask = narrow(mask, ~parallels_into_a_half_close(auto, at, vals))
    if SOPRANO_CLEAR_OF_THE_GIVEN_BASS:
        mask = narrow(mask, ~parallels_over_the_given_bass(auto, at, vals))
    approach = phrase_cadence_approach(auto, at, vals)
    if approach is not None:  # after the parallels rules: they win
        mask = narrow(mask, approach)
        drawn = drawn_half_close_approach(auto, at, vals)
        if drawn is not None:
            mask = narrow(mask, drawn)
    doubled = doubles_a_drawn_phrygian_bass(auto, at, vals) if auto.phrase_approaches else None
    if doubled is not None:  # the voices above keep the Phrygian bass's sixth to it
        mask = narrow(mask, ~doubled)
    reach = cadence_bass_in_reach(auto, at, vals)
    if reach is not None:
        mask = narrow(mask, reach)
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
        others = around(auto, at)
        clear = ~cross_relations(sounding | others, vals, t.diatonic)
        if not (t.modal or owes_third):  # a church mode's seventh is no leading tone (dorian,
            # mixolydian: a whole step); the cadence's own rules place V's third
            clear &= ~doubled_leading_tone(sounding, vals, t.leading_pc)
        clear &= ~doubles_a_secondary_leading_tone(auto, at, vals)
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
        mask = narrow(mask, singable(np.abs(vals - prev), inner=v < len(t.voices) - 1))
    if auto.copy_src is None and prev is not None:
        mask = narrow(mask, ~augmented_leaps(prev, vals, t.tonic_pc, t.minor))
    if auto.copy_src is None:
        mask = narrow(mask, ~leaves_a_seventh_unresolved(auto, at, vals))
        if UPPER_SEVENTHS_RESOLVE:
            mask = narrow(mask, ~makes_an_unresolved_seventh_above(auto, at, vals))
        if UNRESOLVED_BASS_SEVENTHS_AVOIDED:
            mask = narrow(mask, ~strikes_a_bass_seventh_the_plan_leaves(auto, at, vals))
        mask = narrow(mask, ~leaves_a_chromatic_note_by_leap(auto, at, vals))
    if v == len(t.voices) - 1 and v > 1:
        # the bass reaches no fifth or octave with a leaping soprano by similar motion (yielding
        # to the rules above where nothing else is left)
        mask = narrow(mask, ~vl.hidden_into_outer(at, vals))
    return mask


def around(auto: Constrainer, at: int) -> set[int]:
    """The pitch classes the current voice's note struck at tick `at` would sound against besides
    those of the voices above there: a voice below whose note is held over from the bar before (a
    bass held from bar 6 under a tenor's D-sharp in bar 7), and the notes a voice already written
    strikes later in the beat, while this one would still sound (`VoiceLeading.clash_ahead` ends
    a longer note before such a one)."""
    t, vl, v = auto.t, auto.vl, auto.v
    held = {p % 12 for u in range(v + 1, len(t.voices)) if (p := vl.pitch_at(u, at)) is not None}
    return held | vl.struck_between(v, at, (at // t.beat_ticks + 1) * t.beat_ticks)


def doubles_a_secondary_leading_tone(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """Which candidates for a lower voice's note struck at tick `at` would double a secondary
    dominant's leading tone (`voice_leading.doubled_secondary_leading_tone`: C-sharp, V of ii, in F
    major) that a voice above sounds, a voice below holds, or a voice strikes within the beat;
    none in a church mode or in the top voice. `Constrainer._pitches` keeps them out of the voice
    leading's own tiers first (`VoiceLeading.pitch_ok`: a bass held to the planned root)."""
    t, vl, v = auto.t, auto.vl, auto.v
    if vl is None or v == 0 or t.modal or not t.voice_leading:
        return np.zeros(len(vals), bool)
    return doubled_secondary_leading_tone(auto._sounding_above(at) | around(auto, at), vals, t.tonic_pc, t.minor)


def leaves_a_seventh_unresolved(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """Which candidates would leave the seventh of a dominant seventh other than down by step:
    the voice's note before is the seventh of a dominant-seventh sonority the voices sound with it
    (`voice_leading.is_dominant_seventh`: V7 of the key or of another degree, a secondary
    dominant; not the augmented sixth on the lowered 6th, which rises), and the candidate neither
    holds it nor falls a second. Composed chorales left V7's 1.6 times per 100 beats,
    harmonizations 0.5, Bach's chorales 0.36 (a teacher's checker, `docs/notes` session 23); with
    secondary dominants counted (`metrics.harmony_rules.unresolved_dominant_sevenths`), session
    29: composed 29 % of their sevenths, harmonized 55 %, Bach's 9 %."""
    none = np.zeros(len(vals), bool)
    t, vl, v = auto.t, auto.vl, auto.v
    if vl is None or t.modal:
        return none
    prev = vl.pitch_at(v, at - 1)
    if prev is None or not (vl.sings_a_seventh(v, at, t.tonic_pc) or _leaves_a_given_seventh(auto, at, prev)
                            or (PLANNED_SEVENTHS_RESOLVE and _leaves_a_planned_seventh(auto, at, prev))):
        return none
    step = vals - prev
    return ~((step == 0) | (step == -1) | (step == -2))


def _leaves_a_given_seventh(auto: Constrainer, at: int, prev: int) -> bool:
    """Whether `prev`, the voice's note sounding before tick `at`, is the seventh of a chord the
    musician gave (`_Tables.given_sevenths`) that ends at `at`, where the next given chord starts.
    The voices below may not be written yet there (the bass is written last), so the chord's name
    says what the sonority does not: composed chorales over given chords took their sevenths down by
    step or held them into the next chord 40 % of the time (Bach: 91 %; session 51)."""
    t = auto.t
    if not GIVEN_SEVENTHS_RESOLVE or getattr(t, "given_sevenths", None) is None:
        return False
    here = auto._given_in_four_parts(*divmod(at, t.L))
    before = auto._given_in_four_parts(*divmod(at - 1, t.L)) if at - 1 >= t.bar_offset * t.L else None
    if here is None or before is None or here == before:
        return False
    return prev % 12 in t.given_sevenths[before[1]]


GIVEN_SEVENTHS_RESOLVE = True  # (False: as before session 51)


def _leaves_a_planned_seventh(auto: Constrainer, at: int, prev: int) -> bool:
    """Whether `prev`, the voice's note sounding before tick `at`, is the seventh of a dominant
    seventh the chord plan has there (a harmonizer's D7 on a beat: D F-sharp A C) and the plan moves
    to another chord by `at`. The bass, written after the voice, makes the sonority: a tenor's C
    held into the plan's D7 left by a leap to G3 once the bass had gone to F-sharp under it."""
    vl, t = auto.vl, auto.t
    if not vl.chord_tones:
        return False
    before, here = vl.planned_before(at - 1), vl.planned_before(at)
    if before is None or here is None or here == before:
        return False
    tones = vl.chord_tones[before]
    if np.array_equal(tones, vl.chord_tones[here]):
        return False
    return (prev - int(tones[0])) % 12 == 10 and _plans_a_dominant(tones, t.tonic_pc)


def _plans_a_dominant(tones: np.ndarray, tonic_pc: int) -> bool:
    """Whether a planned chord (`tones`, its root first) has a major third over its root, where a
    minor seventh above the root makes a dominant seventh; not on the key's lowered 6th, whose
    seventh is an augmented sixth and rises."""
    root = int(tones[0])
    return (root + 4) % 12 in tones and root != (tonic_pc + 8) % 12


PLANNED_SEVENTHS_RESOLVE = True  # (False: as before session 54)


def makes_an_unresolved_seventh_above(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """Which candidates for a lower voice's note struck at tick `at` would make a voice above's
    note the seventh of a dominant seventh (`voice_leading.is_dominant_seventh`, with what sounds
    there) where that voice's next note, already written or given, neither holds it nor falls a
    second. `leaves_a_seventh_unresolved` judges a voice's own note as it moves on, but a voice's
    note becomes a seventh only when the voices below it sound the chord's root and third, and they
    are written after it (top down; the bass last): of the sevenths in 20 harmonized Bach sopranos,
    34 % went unresolved (Bach's own chorales: 8 %), 9 of 25 of them the given soprano's
    (`docs/notes/2026-12-06-session-54/lower_voice_census.py`)."""
    t, vl, v = auto.t, auto.vl, auto.v
    bad = np.zeros(len(vals), bool)
    if vl is None or v == 0 or t.modal:
        return bad
    others = {p % 12 for u in range(len(t.voices)) if u != v and (p := vl.pitch_at(u, at)) is not None}
    pcs = vals % 12
    for u in range(v):
        note = vl.note_at(u, at)
        if note is None:
            continue
        _, end, seventh = note
        after = vl.pitch_at(u, end)
        if after is None or after - seventh in (0, -1, -2):
            continue  # resolved (or a rest, or not yet written: nothing to judge)
        if is_dominant_seventh(seventh, others, t.tonic_pc):
            continue  # a seventh already, whatever this voice sings
        root = (seventh + 2) % 12
        if root == (t.tonic_pc + 8) % 12:
            continue  # the augmented sixth on the lowered 6th rises
        third = (root + 4) % 12
        missing = {root, third} - others
        if len(missing) == 1:
            bad |= pcs == next(iter(missing))
    return bad


UPPER_SEVENTHS_RESOLVE = True  # (False: as before session 54)


def strikes_a_bass_seventh_the_plan_leaves(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """Which candidates for a bass note struck at tick `at` between the chords of a plan (a passing
    note) would be the seventh of a dominant seventh over the voices above there, where the bass
    planned at the next chord neither holds it nor lies a step below it: a harmonized bass G3 F3
    under G7 went to the cadence's C3, not to E3 (9 of the 20 unresolved sevenths left in 20
    harmonized Bach sopranos were the bass's; the note held as the voices above move is ended
    before they do, `VoiceLeading.unresolved_bass_seventh_ahead`)."""
    t, vl, v = auto.t, auto.vl, auto.v
    bad = np.zeros(len(vals), bool)
    if vl is None or v != len(t.voices) - 1 or v == 0 or t.modal or at in vl.chord_tones:
        return bad
    nxt = vl.next_planned_bass(at)
    if nxt is None:
        return bad
    sounding = auto._sounding_above(at)
    sevenths = np.array([is_dominant_seventh(int(c), sounding, t.tonic_pc) for c in vals], bool)
    # (to the planned bass only: a seventh let through where the next chord has a tone a step below
    # it, for the plan's tiers to take it there, went unresolved more often, 27 % of the sevenths of
    # 40 harmonized JSB sopranos against 18 %)
    return sevenths & ~np.isin((vals - nxt[1]) % 12, (0, 1, 2))


UNRESOLVED_BASS_SEVENTHS_AVOIDED = True  # (False: as before session 54)


def strikes_a_seventh_the_next_chord_leaves(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """Which candidates for an inner voice's note struck at tick `at` between the chords of a plan
    (a passing or neighbour note) would be a minor seventh above the root of the major chord planned
    there, where the next planned chord has no tone the note could hold or fall a step to: a tenor's
    D4 between E4s under a planned E major, then E again. The inner voices are written before the
    bass, so when the tenor moved on no root sounded under its D and no rule saw a seventh; the
    bass then struck E under it (with the weights of session 56, 7 of the 8 sevenths left unresolved
    in 20 harmonized Bach sopranos were an inner voice's, 6 of them rising a step). Over the chord's
    third in the bass the note is the tritone above it, which falls just the same."""
    t, vl, v = auto.t, auto.vl, auto.v
    bad = np.zeros(len(vals), bool)
    if vl is None or not vl.chord_tones or v == 0 or v >= len(t.voices) - 1 or t.modal or at in vl.chord_tones:
        return bad
    before, after = vl.planned_before(at), vl.planned_after(at)
    if before is None or after is None or not _plans_a_dominant(vl.chord_tones[before], t.tonic_pc):
        return bad
    root = int(vl.chord_tones[before][0])
    nxt = np.asarray(vl.chord_tones[after]) % 12
    falls = np.isin((vals[:, None] - nxt[None, :]) % 12, (0, 1, 2)).any(axis=1)
    return ((vals - root) % 12 == 10) & ~falls


NEXT_CHORD_SEVENTHS_AVOIDED = True  # (False: as before session 57)


def unresolved_sevenths(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """The candidates the seventh rules refuse (`leaves_a_seventh_unresolved`,
    `makes_an_unresolved_seventh_above`, `strikes_a_bass_seventh_the_plan_leaves`,
    `strikes_a_seventh_the_next_chord_leaves`), for the voice
    leading to keep out of a chord plan's tiers (`VoiceLeading.pitch_ok`'s `avoid`): applied only
    after those tiers, the rules had been overruled by them (a tenor held to the tone it owes, a
    bass to its planned root), and 28 % of the sevenths in 40 harmonized JSB sopranos were left
    unresolved with them."""
    bad = leaves_a_seventh_unresolved(auto, at, vals)
    if UPPER_SEVENTHS_RESOLVE and UPPER_SEVENTHS_OVER_THE_PLAN:
        bad = bad | makes_an_unresolved_seventh_above(auto, at, vals)
    if UNRESOLVED_BASS_SEVENTHS_AVOIDED:
        bad = bad | strikes_a_bass_seventh_the_plan_leaves(auto, at, vals)
    if NEXT_CHORD_SEVENTHS_AVOIDED:
        bad = bad | strikes_a_seventh_the_next_chord_leaves(auto, at, vals)
    return bad


SEVENTHS_OVER_THE_PLAN = True  # (False: as before session 54)
# ... of them, `makes_an_unresolved_seventh_above` too (it still narrows after the tiers): kept out
# of them, it had moved a hymn's voices so that the tenor's approach to the final chord left it
# only the alto's third to double (test_fermatas, seed 3: G2 B3 B3 G4); without it, the unresolved
# sevenths of 40 harmonized JSB sopranos are 13 of 67 against 11 of 66. With the weights shipped in
# session 56 it stands among them again: they leave the tenor's neighbour notes under a passing V7
# (G3 between A3s over A2) unresolved, 0.266 of the sevenths of 40 harmonized JSB sopranos without it
# against 0.225 with it (hymns 0.208 against 0.143; Bach 0.092), the other faults as they were, and
# that hymn's fermatas now pass (`docs/notes/2026-12-06-session-54/lower_voice_census.py --n 40`,
# session 57)
UPPER_SEVENTHS_OVER_THE_PLAN = True


def leaves_a_chromatic_note_by_leap(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """Which candidates would leave a note outside the key by a leap: the voice's note before is
    not in the key's scale (in minor the natural minor's with the raised 6th and 7th; in a church
    mode, the mode's), and the candidate is more than a tone from it. A chromatic note is a
    leading tone or a passing note and goes on by step: Bach's chorales leave 0.77-0.96 of theirs
    so, per voice (JSB validation), composed chorales had left 0.36 (bass) to 0.56 (alto), a B-flat
    bass in A major leaping to F-sharp (`docs/notes/2026-12-03-session-31/chromatic_notes.py`)."""
    none = np.zeros(len(vals), bool)
    vl = auto.vl
    prev = None if vl is None else vl.pitch_at(auto.v, at - 1)
    if prev is None:
        return none
    if prev % 12 in auto.t.key_pcs:
        return none
    return np.abs(vals - prev) > 2


def final_bass_pcs(auto: Constrainer) -> tuple[int, int] | None:
    """(pitch class of the bass's drawn approach, of the final chord's root) when the bass moves
    between them into the final chord; None when nothing is drawn or the bass holds."""
    t = auto.t
    if auto.final_ticks is None or auto.half_close or auto.bass_approach not in BASS_APPROACH_DEGREES:
        return None
    approach = (t.tonic_pc + BASS_APPROACH_DEGREES[auto.bass_approach]) % 12
    return None if approach == t.tonic_pc else (approach, t.tonic_pc)


# Whether the upper voices keep out of parallels with the bass into the final chord where the bass's
# approach was not drawn, from its note before (written, else the plan's root); False: only after a
# drawn approach or into a half close, before session 53.
CLOSING_BASS_FROM_ITS_NOTE_BEFORE = True


# Whether the bass's own note before the final chord keeps out of parallel fifths and octaves with
# the voices above, whose notes there are written (a harmonized soprano is given): the rules above
# keep the upper voices out of parallels with the bass's close, but an approach the plan leaves free
# (harmonize's VII-i under the Passion Chorale's last G4-E4: the approach "other") had come from C3
# under the soprano's G4 to the forced A2 under its E4, parallel fifths in 7 of 48 takes
# (`docs/notes/2026-12-07-session-64/chorale_census.py`). A drawn approach (one pitch class) is
# refused in every octave or in none, so it is not moved. False: as before session 64.
CLOSING_BASS_APPROACH_CLEAR = True


def bass_approach_in_parallels(vl, bass: int, strike: int, root_pc: int, vals: np.ndarray) -> np.ndarray:
    """Which bass pitches `vals`, held to tick `strike` where the bass takes pitch class `root_pc`
    (the final chord's root; its approach, for the note before that), would move there in parallel
    fifths or octaves with a voice above that moves from its note before to its note at `strike`
    (both written)."""
    bad = np.zeros(len(vals), bool)
    for u in range(bass):
        a0, a1 = vl.pitch_at(u, strike - 1), vl.pitch_at(u, strike)
        if a0 is None or a1 is None or a0 == a1 or (a1 - root_pc) % 12 not in (0, 7):
            continue
        bad |= (vals % 12 != root_pc) & ((a0 - vals) % 12 == (a1 - root_pc) % 12)
    return bad


def undrawn_bass_close(auto: Constrainer) -> tuple[int, int] | None:
    """(pitch class of the bass's note before the final chord, of its note in it) where no approach
    was drawn but the cadence sets the bass's last note and its note before is written, else
    planned (harmonize's chord plan: its root); None elsewhere. Harmonize's plan had VII-i under
    the Passion Chorale's last E, and the tenor and bass had moved G-A or D-E into A minor, in
    parallels in 9 of 9 takes, as the rules against them knew only a drawn approach."""
    t, vl = auto.t, auto.vl
    if (not CLOSING_BASS_FROM_ITS_NOTE_BEFORE or vl is None or auto.final_ticks is None or auto.half_close
            or auto.bass_approach in BASS_APPROACH_DEGREES):  # fmt: skip
        return None
    kind = auto._cadence_at(t.n_bars - 1)
    closing = t.kinds[kind][0][-1] if kind in t.kinds else frozenset()
    strike = auto.final_chord_tick()
    before = vl.pitch_at(len(t.voices) - 1, strike - 1)
    planned = vl.planned_before(strike - 1) if before is None and vl.chord_tones else None
    before_pc = before % 12 if before is not None else int(vl.chord_tones[planned][0]) if planned is not None else None
    if len(closing) != 1 or before_pc is None or before_pc in closing:
        return None
    return before_pc, next(iter(closing))


def parallels_with_the_closing_bass(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """Which candidate pitches would move in parallel fifths or octaves with the bass into the
    final chord, or into the chord before it. The bass's last two notes are drawn (its approach
    degree, then the root) and the cadence wins over its own rules, so the parallels have to be
    kept out by the voice that is free:
    - an upper voice's note in the final chord: from a fifth or an octave over the approach to
      the same over the root (alto E4-A4 over A2-D3 in d minor: V-i in parallel fifths);
    - the bass's note before its approach: not a fifth or an octave under an upper voice that
      moves to the same over the approach (bass G2-A2 under tenor G3-A3: parallel octaves);
    - the bass's own note in the approach span, where the voices above have written the final
      chord and the note before it (a harmonized soprano is given): not a fifth or an octave under
      one that moves to the same over the root (`bass_approach_in_parallels`).
    A teacher found them at the close of 6 of 20 harmonized chorales. On a half close the bass's
    note before the dominant is the one it wrote, and the upper voices' final notes keep out."""
    none = np.zeros(len(vals), bool)
    pcs = final_bass_pcs(auto)
    vl, t, v = auto.vl, auto.t, auto.v
    bass = len(t.voices) - 1
    if (CLOSING_BASS_APPROACH_CLEAR and v == bass and v > 0 and vl is not None and t.voice_leading
            and auto.final_ticks is not None and not auto.half_close):  # fmt: skip
        strike = auto.final_chord_tick()
        if strike - auto._approach_span() <= at < strike:
            return bass_approach_in_parallels(vl, bass, strike, t.tonic_pc, vals)
    if (pcs is None and vl is not None and auto.half_close and auto.final_ticks is not None and v < bass
            and at >= auto.final_chord_tick()):  # fmt: skip
        # a half close: the bass's last note is the dominant, and its note before is written by
        # the time an upper voice writes the final chord (the bar before is done): alto F4-E4 over
        # bass F3-E3 into V of a minor (seed 511)
        dominant, before = (t.tonic_pc + 7) % 12, vl.pitch_at(bass, auto.final_chord_tick() - 1)
        pcs = (before % 12, dominant) if before is not None and before % 12 != dominant else None
    if pcs is None and v < bass and auto.final_ticks is not None and at >= auto.final_chord_tick():
        pcs = undrawn_bass_close(auto)
    if pcs is None or vl is None or not t.voice_leading:
        return none
    approach_pc, root_pc = pcs
    strike = auto.final_chord_tick()
    if v < bass and at >= strike:  # an upper voice's note in the final chord
        prev = vl.pitch_at(v, at - 1)
        if prev is None or (prev - approach_pc) % 12 not in (0, 7):
            return none
        return (vals != prev) & ((vals - root_pc) % 12 == (prev - approach_pc) % 12)
    start = strike - auto._approach_span()
    # the bass's note before its approach: any note of the bar before, as a note struck early may
    # be held up to it (every bass note there ends by the approach), and octaves E2-A2 under a
    # tenor E3-A3 had come from a half note struck on beat 2
    if v == bass and start - t.L <= at < start:
        return bass_approach_in_parallels(vl, bass, start, approach_pc, vals)
    if v < bass and start <= at < strike and vl.chord_tones:
        # an upper voice's note on the approach, under a chord plan (harmonize): the bass before it
        # is not written yet, but it mostly sits on the planned root (root position), so a voice an
        # octave or a fifth over that root does not move to the same over the approach (tenor
        # E3-A3 over the bass's planned E2-A2 into a d-minor close)
        prev = vl.pitch_at(v, start - 1)
        before = vl.planned_before(start - 1)
        if prev is None or before is None:
            return none
        interval = (prev - int(vl.chord_tones[before][0])) % 12
        if interval not in (0, 7):
            return none
        return (vals != prev) & ((vals - approach_pc) % 12 == interval)
    return none


def no_way_into_the_final_chord(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """Which candidate pitches for an inner voice's note in the beat before the final chord leave
    it no tone of that chord (root, either third, fifth) to move to: none under the voices above
    there, within a singable leap (an octave at most, no seventh, no tritone), out of parallel
    fifths, octaves and unisons with the voices above and with the bass's drawn close. An alto on A4
    in unison with the soprano over a D3 bass, into G major with the soprano on G4, had G4 (unisons),
    D4 (fifths with the bass) and B3 (a seventh down) to choose from, and took D4: the beat-to-beat
    rule had found 4 such closes in 40 composed chorales (seeds 500-539)."""
    none = np.zeros(len(vals), bool)
    t, vl, v = auto.t, auto.vl, auto.v
    bass = len(t.voices) - 1
    if vl is None or not 0 < v < bass or auto.final_ticks is None:
        return none
    strike = auto.final_chord_tick()
    if not strike - t.beat_ticks <= at < strike:
        return none
    above = []
    for u in range(v):
        a0, a1 = vl.pitch_at(u, at), vl.pitch_at(u, strike)
        if a1 is None and u == 0 and a0 is not None and auto.final_pcs:
            # the final chord's bar not written yet: the soprano's drawn last degree, the nearest
            a1 = min((a0 + d for d in range(-6, 7) if (a0 + d) % 12 in auto.final_pcs), key=lambda p: (abs(p - a0), p))
        above.append((a0, a1))
    ceiling = min((a1 for _a0, a1 in above if a1 is not None), default=None)
    root = (t.tonic_pc + 7) % 12 if auto.half_close else t.tonic_pc
    ys = np.array([int(y) for y in t.pitch_values[v] if (y - root) % 12 in (0, 3, 4, 7) and (ceiling is None or y <= ceiling)])
    if len(ys) == 0:
        return none
    x, y = np.asarray(vals)[:, None], ys[None, :]
    fine = singable(np.abs(y - x), inner=True)
    for a0, a1 in above:
        if a0 is None or a1 is None or a0 == a1:
            continue
        fine &= ~((y != x) & (np.abs(x - a0) % 12 == np.abs(y - a1) % 12) & np.isin(np.abs(y - a1) % 12, (0, 7)))
    pcs = final_bass_pcs(auto)
    if pcs is not None:
        approach_pc, root_pc = pcs
        fine &= ~((y != x) & np.isin((x - approach_pc) % 12, (0, 7)) & ((y - root_pc) % 12 == (x - approach_pc) % 12))
    return ~fine.any(axis=1)


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


# Whether a harmonized bass, in the beat before a fermata's chord, keeps off the seventh of the chord
# sounding unless the fermata's root lies a step below (False: as before session 53).
BASS_SEVENTH_RESOLVES = True


def seventh_into_a_fermata(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """Which candidate pitches for the harmonized bass's note struck in the beat before a fermata's
    chord would be the seventh of the seventh chord sounding there (a minor or major seventh under
    its root, the root's third sounding too) with no fermata root a step below it to resolve to. The
    fermata's root wins over the voice leading, so such a seventh leapt: a bass D-C under F# A into
    Old Hundredth's fermata on G (a choir director's find; 5 such leaps in 24 harmonizations of
    three hymns, session 53)."""
    none = np.zeros(len(vals), bool)
    t, vl, bass = auto.t, auto.vl, auto.v
    if not BASS_SEVENTH_RESOLVES or vl is None or bass != len(t.voices) - 1 or bass == 0:
        return none
    if not vl.chord_tones:
        # (harmonize only: in composed chorales the rule took such leaps into their fermatas from 6
        # to 1 in 40 takes, but the validation classifier rose 0.682 -> 0.721 over seeds 0-3, within
        # the seeds' spread and not taken)
        return none
    # a fermata the lower voices strike with the soprano within the next beat, whose planned chord's
    # root the bass takes (`cocreate.chords._chorale_plan`, triads at the fermatas)
    start = next((s0 for s0, _ in auto.fermata_holds() if at < s0 <= at + t.beat_ticks), None)
    planned = vl.planned_before(start) if start is not None else None
    targets = frozenset({int(vl.chord_tones[planned][0])}) if planned is not None else frozenset()
    above = {p % 12 for p in (vl.pitch_at(u, at) for u in range(bass)) if p is not None}
    own = vl.pitch_at(bass, at - 1) if at % t.beat_ticks else None
    if own is not None:  # off the beat, the bass's own note of the beat is the chord's too (D-C under F# A: D7)
        above.add(own % 12)
    if len(above) < 2 or not targets:
        return none
    pcs = vals % 12
    seventh = np.zeros(len(vals), bool)
    for up in (1, 2):  # the root a major or a minor seventh above the bass's note (a step above its pitch class)
        root = (pcs + up) % 12
        seventh |= np.array([r in above and ((r + 3) % 12 in above or (r + 4) % 12 in above) for r in root])
    resolves = np.array([any((pc - q) % 12 in (1, 2) for q in targets) for pc in pcs])
    return seventh & ~resolves


def parallels_into_a_phrase_cadence(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """Which candidate pitches for the bass's notes before a phrase's cadence would move in
    parallel fifths or octaves, into the cadence's bass note, with an upper voice that moves there.

    The cadence's bass note is set (the tonic, or the dominant of a half cadence) and wins over
    the voice-leading rules, and the voices above are written first, so the parallels have to be
    kept out by the bass's note before it: a composed chorale's alto F-sharp-D over the bass's
    B-G into a half cadence (C major, seed 506). Of the parallels in 40 composed chorales, the
    cadences' were the ones the voice leading could not refuse. Any bass note of the bar before
    the closing zone counts (a note struck early may be held up to it)."""
    none = np.zeros(len(vals), bool)
    t, vl, bass = auto.t, auto.vl, auto.v
    before = bass_before_a_cadence(auto, at, t.L)
    if before is None:
        return none
    kind, zone = before
    targets = sorted(auto._closing_pcs(kind))
    if not targets:
        return none
    bad = np.ones(len(vals), bool)
    for q in targets:  # bad only where every closing note the bass may take makes a parallel
        into = none.copy()
        for u in range(bass):
            a0, a1 = vl.pitch_at(u, zone - 1), vl.pitch_at(u, zone)
            if a0 is None or a1 is None or a0 == a1 or (a1 - q) % 12 not in (0, 7):
                continue
            into |= (vals % 12 != q) & ((a0 - vals) % 12 == (a1 - q) % 12)
        bad &= into
    return bad


# Over chords the musician gave (`--chords`), the soprano keeps out of fifths and octaves with the bass
# those chords put under it (`parallels_over_the_given_bass`). A choir director's chorales over chords
# had soprano and bass in octaves (A4/A2 -> G4/G2 under "Am | G"): composed chorales over given chords,
# outer voices in parallels 0.98 per 100 beats, without chords 0.16, Bach 0.31 (session 51).
SOPRANO_CLEAR_OF_THE_GIVEN_BASS = True


def parallels_over_the_given_bass(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """Which candidate pitches for the soprano's note struck at tick `at`, where a chord the musician
    gave starts, would stand a fifth or an octave over that chord's bass (its named bass, else its
    root: where the chorale's bass mostly goes, `_Tables.given_root_bass`) after standing the same
    over the bass just before, or a beat before (under a passing note): parallels in the outer voices.
    The bass before is the one written where it is (the bar before), else the chord's there. The
    soprano is written first, so it is kept out of them where the chords already say where the
    bass goes."""
    none = np.zeros(len(vals), bool)
    t, vl = auto.t, auto.vl
    if auto.v != 0 or vl is None or getattr(t, "given_root_bass", None) is None:
        return none
    pos = at - auto.bar * t.L
    here = auto._given_in_four_parts(auto.bar, pos)
    if here is None or here[0] != pos:  # not where a given chord starts
        return none
    b1 = t.given_root_bass[here[1]]
    if b1 is None:
        return none
    bad = none.copy()
    for back in sorted({1, t.beat_ticks}):
        a0, b0 = vl.pitch_at(0, at - back), vl.pitch_at(len(t.voices) - 1, at - back)
        if b0 is None:  # the bass of this bar is written after the soprano: the chord's there
            bar, tick = divmod(at - back, t.L)
            given = auto._given_in_four_parts(bar, tick) if bar >= t.bar_offset else None
            b0 = t.given_root_bass[given[1]] if given is not None else None
        if a0 is None or b0 is None or b0 % 12 == b1 or (a0 - b0) % 12 not in (0, 7):
            continue
        bad |= (vals != a0) & ((vals - b1) % 12 == (a0 - b0) % 12)
    return bad


def cadence_bass_in_reach(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray | None:
    """Which candidate pitches for the bass's note struck in the beat before a phrase's cadence
    inside the piece leave a cadence note within a singable leap (an octave at most, no seventh)
    that stays under the tenor's note there; None where no such note is due or none is known. The
    cadence's note wins over the voice leading, so a bass that came to F3 with the tenor at the
    cadence on G3 had only G2 left, a seventh down (5 of 6 such leaps in 160 composed chorales
    were into a fermata, `docs/notes/2026-12-03-session-31/lower_leaps.py`)."""
    t, v = auto.t, auto.v
    before = bass_before_a_cadence(auto, at, t.beat_ticks) if auto.bar < t.n_bars - 1 else None
    if before is None:
        return None
    kind, zone = before
    tenor = auto.vl.pitch_at(v - 1, zone)
    targets = [int(p) for p in t.pitch_values[v] if p % 12 in auto._closing_pcs(kind) and (tenor is None or p <= tenor)]
    if not targets:
        return None
    return singable(np.abs(vals[:, None] - np.array(targets)[None, :]), inner=False).any(axis=1)


def parallels_into_a_half_close(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray:
    """Which candidate pitches for the bass's notes before the final chord of a minor chorale that
    closes on V would move in parallel octaves or fifths with the soprano into it. Both closing
    notes are set (the bass's dominant, the soprano's drawn degree) and the soprano's note before
    is written first, so the bass keeps out: soprano A4-B4 over bass A2-B2 in E minor (iv-V in
    octaves) had closed 2 of 40 composed chorales; Bach's half cadence takes the bass down (C-B)."""
    none = np.zeros(len(vals), bool)
    t, vl, v = auto.t, auto.vl, auto.v
    bass = len(t.voices) - 1
    if vl is None or v != bass or v == 0 or not auto.half_close or auto.final_ticks is None or not auto.final_pcs:
        return none
    strike = auto.final_chord_tick()
    if not strike - t.L <= at < strike:
        return none
    root = (t.tonic_pc + 7) % 12
    before = vl.pitch_at(0, strike - 1)
    if before is None:
        return none
    bad = vals % 12 != root
    for q in auto.final_pcs:  # bad only where every closing degree drawn for the soprano makes a parallel
        interval = (q - root) % 12
        if before % 12 == q or interval not in (0, 7):
            return none
        bad &= (before - vals) % 12 == interval
    return bad

