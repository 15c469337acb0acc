"""Voice-leading masks for four-part writing, shared by compose and co-create.

Bach's part-writing habits that a small model does not learn from 229 chorales, made hard
(or, where they would leave nothing, soft) rules of the decoding automaton: voices never
cross, and no two voices move in parallel fifths or octaves. `VoiceLeading` keeps the notes
written so far; `pitch_ok` and `max_duration` turn them into masks over candidate pitches
and durations.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

import numpy as np

# A chord the harmonizer planned on a beat is sung whole where the voice leading allows: the tenor
# supplies its third (else its fifth or seventh) where the soprano and alto have not, and the bass
# falls back from the root to the third before the fifth (the automaton keeps it off a leading tone
# an upper voice sings; none of this in the close, whose own rules write it). Harmonized sopranos of
# 30 of Bach's chorales (music21's scores, `docs/notes/2026-12-05-session-46/chorale_vocabulary.py
# 40`), before -> after (Bach): beats on a complete chord 0.637 -> 0.830 (0.875), without a fifth
# 0.179 -> 0.100 (0.024), without a third 0.091 -> 0.011 (0.001), on a six-four 0.076 -> 0.054
# (0.024); the beat before a fermata without a third 0.120 -> 0.014 (none): a hymnal editor had
# heard bare fifths before the cadences. Fermata chords on a six-four 0.038 -> 0.057 (0.005): a
# bass kept off a doubled leading tone under V takes its fifth. Cadence chords had these rules.
PLANNED_CHORDS_COMPLETE = True
# ... and the bass takes the root, else the third, a step from its note before where one is: Bach's
# bass moves by step 0.648 of the time, the harmonized 0.393 -> 0.464 (the same script; first
# inversions 0.154 -> 0.181, Bach 0.283).
STEPWISE_BASS = True
# ... and a fermata chord whose bass cannot take the root for a parallel takes it all the same before
# it would stand on the fifth: harmonized fermata chords on a six-four 0.057 -> 0.043 (the same
# script; Bach 0.005), parallels on the JSB test sopranos unchanged (0.02 / 0.02 per 100 beats).
CADENCE_ROOT_OVER_PARALLELS = True
# ... and keeps that place where a caller's `avoid` (a doubled leading tone, an unsingable leap) puts
# the tiers it spares first: those were the tiers that keep every rule, so the fifth came before the
# root against a parallel, and fermata chords stood on a six-four again (False: as before session 55)
AVOIDED_KEEP_THE_CADENCE_ROOT = True
# ... and the bass sings the third its planned line takes (`planned_bass`) a step from its note
# before, else within this many semitones (a fourth); further, its own tiers choose again
PLANNED_BASS_LEAP = 5
# ... and where those tiers would strike the bass's note again (the chord's root or planned third is
# the pitch it leaves), they offer the octave and the chord's third within a fourth too, and the
# model (with `feedback.BASS_REPEAT_PENALTIES`) chooses: a note a step from itself was only itself.
# Where the chord stays from one beat to the next, Bach's bass (music21's encodings of 40 chorales)
# holds 0.47 of the time, strikes again 0.13, leaps an octave 0.14 and moves to another chord tone
# 0.27; the harmonized JSB sopranos' basses 0.55, 0.24, 0.001, 0.21, and with this 0.56, 0.12, 0.07,
# 0.25 (docs/notes/2026-12-07-session-65/repeated_chord_bass.py 40). The tiers had counted the
# note before as "a step" from itself. All the bass's repeats, per 100 beats (the session-64 census,
# 40 sopranos): 14.1 -> 8.7 at seeds 3000, 13.4 -> 10.0 at 5000; runs of three 2.8 -> 0.6, 2.1 -> 0.7.
BASS_LEAVES_A_STRUCK_PITCH = True
# ... and where no voice above sings the planned chord's third, the bass takes it (a step from its
# note before, else within a fourth) rather than leave the chord without it: with it the tenor need
# not leap a tritone to that third but into a cadence (`part_writing.THIRD_OVER_A_TRITONE_ONLY_INTO_A_
# CADENCE`). 40 harmonized JSB sopranos (docs/notes/2026-12-07-session-66/third_less.py; seeds 3000 /
# 5000), both rules off -> on (Bach): beats without a third per 100 2.81 / 2.22 -> 2.26 / 2.05 (2.00),
# the bass on the chord's third 0.212 / 0.210 -> 0.229 / 0.220 (0.255), tenor tritones 0.51 / 0.55 ->
# 0.30 / 0.21 (0.21).
BASS_TAKES_THE_MISSING_THIRD = True
# ... and, among the tones the rules leave (`VoiceLeading.nearest`), the alto and tenor take those
# nearest their notes before: within a minor third, else a fourth, else a fifth (`INNER_VOICE_LEAP`;
# None: as before session 51), apart from the voice above where they can; the alto first a tone no
# voice above sings (`FRESH_ALTO`); the bass first no tritone, sixth or seventh (`BASS_WIDE_LEAPS_LAST`).
# A choir director had found diminished sevenths and sixths in harmonized inner voices. Harmonized
# sopranos of 40 of Bach's validation chorales, before -> after (Bach), docs/notes/2026-12-05-session-51/
# inner_leaps.py: alto steps 0.68 -> 0.81 (0.80); tenor steps 0.60 -> 0.65 (0.75), its sixths and
# sevenths 0.044 -> 0.032 (0.012); the bass's 0.042 -> 0.037 (0.011); the alto on the soprano's pitch
# class 0.125 -> 0.073 of the beats (0.071); alto and tenor in unison 2.5 -> 1.2 per 100 onsets (2.6);
# complete chords 0.86 -> 0.90 (0.84). The alto leaps less than Bach's (a fourth or more: 0.13 ->
# 0.04, Bach 0.09). On the JSB test sopranos chord agreement with Bach 0.580 -> 0.584, parallels 0.00
# -> 0.02 per 100 beats (Bach 1.61; scripts/eval_cocreate.py).
INNER_VOICE_LEAP: tuple[int, ...] | None = (3, 5, 7)
FRESH_ALTO = True
BASS_WIDE_LEAPS_LAST = True
# An upper voice of a fermata chord whose missing tone would move in parallels into the bass's root
# doubles a tone already sung instead, unless the missing tone is the chord's third (Old Hundredth's
# third fermata: a tenor A3-D3 over the bass's D3-G2 in 3 of 12 takes).
CADENCE_DOUBLING_OVER_PARALLELS = True


# The alto's first note leaves the tenor room for the planned chord's third where the soprano does not
# sing it, or takes it (False: any tone the rules leave, before session 53).
FIRST_ALTO_TAKES_THE_THIRD = True


def thirds_of(tones: np.ndarray) -> list[int]:
    """The pitch classes of a planned chord's `tones` (its root first) that are its third."""
    return [int(pc) for pc in tones[1:] if (int(pc) - int(tones[0])) % 12 in (3, 4)]


# A diminished triad (vii°, ii° in minor) stands on its third, as Bach writes it (vii°6, ii°6), with
# the third doubled: on its root, the harmonized bass had leapt a tritone to it or from it (F2 B2 in
# A minor, VI to ii°). Diminished triads on their root in 40 harmonized JSB sopranos 13 of 37 -> 7 of
# 34 (Bach's chorales 18 of 124); over 77, bass tritones 1.71 -> 1.48 per 100 beats (Bach 0.78) and
# unresolved sevenths 27 of 171 -> 23 of 166 (hymns 6 of 53 -> 7 of 54; session 57)
DIMINISHED_TRIADS_ON_THEIR_THIRD = True  # (False: as before session 57)


def is_diminished_triad(tones: np.ndarray | list[int]) -> bool:
    """Whether a planned chord's `tones` (its root first) are a diminished triad, without a seventh."""
    return len(tones) > 0 and {(int(pc) - int(tones[0])) % 12 for pc in tones} == {0, 3, 6}


def stands_on_its_third(tones: np.ndarray | list[int]) -> bool:
    """Whether a planned chord's bass takes its third first: a diminished triad, where
    `DIMINISHED_TRIADS_ON_THEIR_THIRD`."""
    return DIMINISHED_TRIADS_ON_THEIR_THIRD and is_diminished_triad(tones)


def planned_bass_pc(tones: np.ndarray | list[int]) -> int:
    """The pitch class a bass takes first under a planned chord: its root, or a diminished triad's
    third (`stands_on_its_third`)."""
    return (int(tones[0]) + 3) % 12 if stands_on_its_third(tones) else int(tones[0])


class VoiceLeading:
    """Known notes of the voices (ticks from a common origin; voice 0 the highest) and the masks
    built on them: no crossing of voices, no parallel fifths / octaves (as
    `metrics.harmony_rules` counts them). A mask that would leave nothing falls back to fewer
    rules, so decoding never dead-ends."""

    def __init__(self, n_voices: int, beat_ticks: int = 0):
        self.notes: list[list[tuple[int, int, int]]] = [[] for _ in range(n_voices)]  # sorted by start
        # the meter's beat (ticks; 0: unknown): a note struck on a beat also keeps out of parallels
        # with the sonority a beat before, under any passing notes between (`pitch_ok`)
        self.beat_ticks = beat_ticks
        self.starts: list[list[int]] = [[] for _ in range(n_voices)]
        self.ends: list[list[int]] = [[] for _ in range(n_voices)]  # sorted
        self.longest = [0] * n_voices
        # tick -> the pitch classes of the chord planned there (a harmonizer's plan): a note of
        # a free voice that starts on such a tick is kept to them where the rules allow
        self.chord_tones: dict[int, np.ndarray] = {}  # first entry: the chord's root
        self._plan_ticks: list[int] | None = None
        # ticks where a phrase's cadence chord is struck (a fermata): its chord complete, on its root
        self.cadence_ticks: frozenset[int] = frozenset()
        # tick -> the pitch class planned for the bass there (`cocreate.bass_line.plan_bass`): the
        # chord's root or its third, chosen over the whole line for steps; the bass's first choice
        self.planned_bass: dict[int, int] = {}

    def __deepcopy__(self, memo: dict) -> VoiceLeading:
        # the notes are copied; the chord plan is read-only and shared by every copy
        other = VoiceLeading.__new__(VoiceLeading)
        other.notes = [list(n) for n in self.notes]
        other.starts = [list(s) for s in self.starts]
        other.ends = [list(e) for e in self.ends]
        other.longest = list(self.longest)
        other.chord_tones = self.chord_tones
        other._plan_ticks = self._plan_ticks
        other.cadence_ticks = self.cadence_ticks
        other.planned_bass = self.planned_bass
        other.beat_ticks = self.beat_ticks
        return other

    def add(self, v: int, start: int, end: int, pitch: int) -> None:
        i = bisect.bisect_right(self.starts[v], start)
        self.starts[v].insert(i, start)
        self.notes[v].insert(i, (start, end, pitch))
        bisect.insort(self.ends[v], end)
        self.longest[v] = max(self.longest[v], end - start)

    def pitch_at(self, v: int, t: int) -> int | None:
        best = None
        notes = self.notes[v]
        i = bisect.bisect_right(self.starts[v], t) - 1
        lowest = t - self.longest[v]
        while i >= 0 and notes[i][0] >= lowest:
            s, e, p = notes[i]
            if t < e and (best is None or p > best):
                best = p
            i -= 1
        return best

    def note_at(self, v: int, t: int) -> tuple[int, int, int] | None:
        """(start, end, pitch) of voice v's note sounding at tick t (the latest struck), None where
        it rests; the same scan as `pitch_at`."""
        notes = self.notes[v]
        i = bisect.bisect_right(self.starts[v], t) - 1
        lowest = t - self.longest[v]
        while i >= 0 and notes[i][0] >= lowest:
            if t < notes[i][1]:
                return notes[i]
            i -= 1
        return None

    def pitch_or_last(self, v: int, t: int) -> int | None:
        """The pitch voice v sounds at tick t, else that of its note ending at t (a voice silent
        after a short bar's music, up to the next bar line, is still heard on its last note)."""
        pitch = self.pitch_at(v, t)
        return self.pitch_at(v, t - 1) if pitch is None else pitch

    def last_change(self, v: int, t: int) -> int | None:
        i = bisect.bisect_left(self.starts[v], t) - 1
        j = bisect.bisect_left(self.ends[v], t) - 1
        a = self.starts[v][i] if i >= 0 else None
        b = self.ends[v][j] if j >= 0 else None
        if a is None:
            return b
        return a if b is None else max(a, b)

    def _under_above_and_uncrossed(self, v: int, p: int, cands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(at most the lowest known voice above, and at least the highest known voice below too)
        for candidate pitches of voice v at tick p."""
        above = [x for x in (self.pitch_at(u, p) for u in range(v)) if x is not None]
        below = [x for x in (self.pitch_at(u, p) for u in range(v + 1, len(self.notes))) if x is not None]
        under_above = cands <= min(above) if above else np.ones(len(cands), bool)
        return under_above, (under_above & (cands >= max(below)) if below else under_above.copy())

    def uncrossed(self, v: int, p: int, cands: np.ndarray) -> np.ndarray:
        """Which candidate pitches for voice v at tick p lie between the known voices above and
        below (no crossing; unisons allowed)."""
        return self._under_above_and_uncrossed(v, p, cands)[1]

    def parallels(self, v: int, p: int, cands: np.ndarray) -> np.ndarray:
        """Which candidate pitches for voice v's note at tick p would move in parallel fifths or
        octaves (or unisons) with a known voice that moves there, by similar or contrary motion."""
        out = np.zeros(len(cands), bool)
        mine = self.last_change(v, p)
        for u in range(len(self.notes)):
            if u == v:
                continue
            b1 = self.pitch_at(u, p)
            if b1 is None:
                continue
            theirs = self.last_change(u, p)
            prev = max((x for x in (mine, theirs) if x is not None), default=None)
            if prev is None:
                continue
            # the two voices' notes before; where one is silent there (a short bar's music ends
            # before the next bar line, as a phrase's fermata bar in a chorale of 3 + 1 beats), the
            # note that just ended: the parallel is heard across the gap (harmonized fermata
            # chorales had 20 of their 33 parallels in the chord after a fermata, unchecked)
            a0, b0 = self.pitch_or_last(v, prev), self.pitch_or_last(u, prev)
            if a0 is None or b0 is None or b1 == b0:
                continue
            ic = abs(a0 - b0) % 12
            if ic not in (0, 7):
                continue
            # by similar or contrary motion alike (a fifth to a twelfth is still consecutive fifths:
            # harmonizations had 3.4 contrary fifths and 2.3 contrary octaves per 100 beats, Bach
            # 0.1 and 0.2; a teacher marks both)
            out |= (cands != a0) & (np.abs(cands - b1) % 12 == ic)
        return out

    def pitch_ok(self, v: int, p: int, cands: np.ndarray, avoid: np.ndarray | None = None,
                 closing: bool = False) -> np.ndarray:  # fmt: skip
        """Which candidate pitches for a note of voice v starting at tick p keep the rules.

        No crossing: at most the lowest known voice above, at least the highest known voice
        below (all of them, not only the adjacent ones, so a voice written later always has
        room between its neighbours). No parallel fifths/octaves with any known voice that
        moves at p. Where a chord is planned at p (`chord_tones`), its tones first. Falls back to
        the rules without the plan, to "no crossing of the voices above", then to anything.
        `avoid` (candidates a rule of the caller refuses: a doubled secondary leading tone) is kept
        out first of every tier that keeps these rules: a bass held to the planned root (C-sharp
        under the alto's C-sharp, the plan's vii of ii) takes another tone rather than double it."""
        n = len(self.notes)
        root_over_parallels = None  # the fermata bass's root, a tier that does not keep `ok`
        under_above, ok = self._under_above_and_uncrossed(v, p, cands)
        no_cross = ok.copy()
        ok &= ~self.parallels(v, p, cands)
        ok &= ~self._parallel_with_the_beat_before(v, p, cands)
        masks = [ok, no_cross, under_above]
        tones = self.chord_tones.get(p) if self.chord_tones else None
        if tones is not None:
            in_chord = np.isin(np.asarray(cands) % 12, tones)
            masks = [ok & in_chord, ok, no_cross & in_chord, no_cross, under_above]
            third = thirds_of(tones)
            # (not where the caller's rules write the close, `closing`: the tenor held to the planned
            # third in the last beats had moved in parallels with the bass into the final chord)
            whole = PLANNED_CHORDS_COMPLETE and not closing
            if v == n - 1:  # the bass: on the root where it can (root position, as Bach mostly writes)
                masks.insert(0, ok & (np.asarray(cands) % 12 == planned_bass_pc(tones)))
                if whole or p in self.cadence_ticks:
                    # ... and where it cannot, on the third, never first the fifth: 11 of 229
                    # harmonized fermata chords stood as six-fours (Bach: none), and 0.076 of the
                    # beats of harmonized Bach sopranos (Bach 0.024; `PLANNED_CHORDS_COMPLETE`)
                    masks.insert(1, ok & np.isin(np.asarray(cands) % 12, third))
                if CADENCE_ROOT_OVER_PARALLELS and p in self.cadence_ticks:
                    # ... and a fermata chord on its root even against a parallel, before its fifth
                    root_over_parallels = no_cross & (np.asarray(cands) % 12 == tones[0])
                    masks.insert(2, root_over_parallels)
                prev = self.pitch_at(v, p - 1)
                if STEPWISE_BASS and prev is not None and p not in self.cadence_ticks:
                    # ... and first, the root or else the third a step from the note before (`STEPWISE_BASS`)
                    near = np.abs(np.asarray(cands) - prev) <= 2
                    masks[:0] = [masks[0] & near, masks[1] & near] if whole else [masks[0] & near]
                planned = self.planned_bass.get(p)
                if planned is not None and planned != tones[0] and whole and p not in self.cadence_ticks \
                        and not self._sung_above(v, p, planned, tones):  # fmt: skip
                    # ... but first of all the bass planned for the whole line (the third where it
                    # makes a step), a step from the note before where it can be, else within a fourth
                    mine = ok & (np.asarray(cands) % 12 == planned)
                    moves = np.abs(np.asarray(cands) - (prev if prev is not None else np.asarray(cands)))
                    masks[:0] = [mine & (moves <= 2), mine & (moves <= PLANNED_BASS_LEAP)]
                if BASS_TAKES_THE_MISSING_THIRD and whole and p not in self.cadence_ticks:
                    masks[:0] = self._onto_the_missing_third(v, p, np.asarray(cands), ok, tones)
                if self.sings_a_seventh(v, p):
                    # ... but a seventh in the bass (V4/2) falls to the chord's third (I6) first: the
                    # planned root had taken harmonized basses off it by a leap, 28 of the 56
                    # unresolved sevenths in 40 harmonized JSB sopranos (Bach: 9 % unresolved)
                    prev = self.pitch_at(v, p - 1)
                    masks.insert(0, ok & in_chord & np.isin(np.asarray(cands) - prev, (0, -1, -2)))
            elif whole and v == n - 2 and p not in self.cadence_ticks:
                # the voice written before the bass (the tenor) sings the planned chord's third where
                # the voices above have not, else its fifth or seventh: the bass takes the root
                # (`PLANNED_CHORDS_COMPLETE`)
                above = self.pcs_above(v, p)
                # (where the bass is planned on the third, the tenor owes the root or fifth instead;
                # a third the voices above sing already keeps the bass on the root)
                bass = self.planned_bass.get(p, int(tones[0]))
                bass = int(tones[0]) if bass in above else bass
                missing = [int(pc) for pc in tones if pc not in above and pc != bass]
                owed = [pc for pc in missing if pc in third] or missing
                if owed:
                    masks.insert(0, ok & np.isin(np.asarray(cands) % 12, owed))
            elif p in self.cadence_ticks:
                # an upper voice of a cadence chord takes a tone the voices above have not (the bass
                # will take the root): harmonized chords at fermatas had lacked their third or fifth
                # at 0.27 of them, Bach's at 0.09 (`scripts/musician_checks.py fermatas`)
                above = self.pcs_above(v, p)
                missing = [pc for pc in tones[1:] if pc not in above]
                if missing:
                    masks.insert(0, ok & np.isin(np.asarray(cands) % 12, missing))
                # ... and no note that leaves the bass's root a parallel into it: the bass, written
                # last, had its root refused by parallels at a third of harmonized fermatas, which
                # then stood on the third or fifth (root position 0.68, Bach's 0.90)
                clear = ~self.parallel_with_the_bass_root(v, p, np.asarray(cands), tones[0])
                if missing and CADENCE_DOUBLING_OVER_PARALLELS:
                    # ... and where the missing tone would move in parallels into the root (a tenor A3-D3
                    # over the bass's D3-G2 into Old Hundredth's third fermata: 3 of 12 takes), a tone
                    # already sung and clear of them, unless the missing tone is the chord's third
                    needed = [pc for pc in missing if (pc - int(tones[0])) % 12 in (3, 4)]
                    apart = self._apart(v, p, cands)
                    firsts = [masks[0] & clear] + ([masks[0]] if needed else []) + [masks[1] & clear & apart,
                                                                                      masks[1] & clear]
                    masks = firsts + masks
                else:
                    masks = [m for first in masks[: 2 if missing else 1] for m in (first & clear, first)] + masks
        if v == n - 1:
            # the bass's note into a cadence chord: none that leaves that chord's root a parallel
            # with an upper voice already written there, and a fourth or a fifth from that root
            # where the chord planned here has one (harmonized fermata chords stood on their third
            # or fifth at 0.27 of them, Bach's at 0.10: 107 of 388 cadence basses had the root
            # refused; with this 0.16, and the bass came in by a 4th or 5th at 0.67, before 0.52,
            # Bach's 0.73: `docs/notes/2026-12-03-session-30/fermata_root2.py`)
            into = self._into_the_cadence_root(p, np.asarray(cands))
            if into is not None:
                spoils, by_fourth_or_fifth = into
                chordal = 2 if tones is not None else 1  # the tiers on the planned chord (else: `ok`)
                kept = [m & ~spoils for m in masks[:chordal]]
                masks = [m & by_fourth_or_fifth for m in kept] + kept + masks
        if avoid is not None and avoid.any():
            # kept out of the planned chord's tiers only: a bass refused the doubled C-sharp of a
            # planned A major had left the chord for F (F-A-C#-E under Austria's bar 8), worse
            # than the doubling; with no plan, of every tier that keeps the rules
            # (the fermata bass's root against a parallel keeps its place before the fifth: left out
            # of these, a bass whose leap or doubling was avoided had stood on the fifth instead,
            # harmonized fermata chords on a six-four 0.053, Bach's 0.005, `AVOIDED_KEEP_THE_CADENCE_ROOT`)
            first = root_over_parallels if AVOIDED_KEEP_THE_CADENCE_ROOT else None
            chordal = None if tones is None else np.isin(np.asarray(cands) % 12, tones)
            masks = [m & ~avoid for m in masks
                     if (m is first or not (m & ~ok).any()) and (chordal is None or not (m & ~chordal).any())] + masks  # fmt: skip
        if v == n - 1 and tones is not None:
            masks[:0] = self._leaving_a_struck_pitch(v, p, cands, masks, tones, ok if avoid is None else ok & ~avoid)
        for mask in masks:
            if mask.any():
                return mask
        return np.ones(len(cands), bool)

    def _leaving_a_struck_pitch(self, v: int, p: int, cands: np.ndarray, masks: list[np.ndarray],
                                tones: np.ndarray, ok: np.ndarray) -> list[np.ndarray]:  # fmt: skip
        """Where the first of the bass's tiers at tick p that leaves any candidate (`masks`) leaves
        only the pitch whose note ends there (it would be struck again: a tier of notes a step from
        the note before counts that note as one), a tier before it that adds that pitch's octaves
        and the chord's root and third (not one a voice above sings) within a fourth, all keeping
        `ok`, for the model to choose among (`BASS_LEAVES_A_STRUCK_PITCH`); else nothing. Not at a
        cadence, whose own rules write the bass."""
        prev = self.pitch_at(v, p - 1)
        if not BASS_LEAVES_A_STRUCK_PITCH or prev is None or p in self.cadence_ticks:
            return []
        first = next((m for m in masks if m.any()), None)
        c = np.asarray(cands)
        if first is None or (c[first] != prev).any():
            return []
        near = [int(tones[0])] + [pc for pc in thirds_of(tones) if not self._sung_above(v, p, pc, tones)]
        leave = first | (ok & ((np.abs(c - prev) == 12)
                               | (np.isin(c % 12, near) & (np.abs(c - prev) <= PLANNED_BASS_LEAP))))  # fmt: skip
        return [leave] if (leave & ~first).any() else []

    def _onto_the_missing_third(self, v: int, p: int, cands: np.ndarray, ok: np.ndarray,
                                tones: np.ndarray) -> list[np.ndarray]:  # fmt: skip
        """Where every voice above the bass sounds at tick p and none sings the planned chord's
        third, the bass's tiers onto that third (keeping `ok`): a step from its note before, else
        within `PLANNED_BASS_LEAP`; else nothing (`BASS_TAKES_THE_MISSING_THIRD`)."""
        above = [self.pitch_at(u, p) for u in range(v)]
        third = thirds_of(tones)
        if not third or None in above or {x % 12 for x in above} & set(third):
            return []
        own = ok & np.isin(cands % 12, third)
        prev = self.pitch_at(v, p - 1)
        if prev is None:
            return [own]
        moves = np.abs(cands - prev)
        return [own & (moves <= 2), own & (moves <= PLANNED_BASS_LEAP)]

    def _apart(self, v: int, p: int, cands: np.ndarray) -> np.ndarray:
        """Which candidates for voice v at tick p are not in unison with the voice above there."""
        above = self.pitch_at(v - 1, p) if v > 0 else None
        return np.asarray(cands) != above if above is not None else np.ones(len(cands), bool)

    def nearest(self, v: int, p: int, cands: np.ndarray, mask: np.ndarray, closing: bool = False,
                below: np.ndarray | None = None) -> np.ndarray:
        """`mask` (the candidates every other rule left voice v's note at tick p, where the
        harmonizer planned a chord) narrowed to the motion a singer's line takes: an inner voice's
        tones within `INNER_VOICE_LEAP` of its note before, the nearest limit that leaves one, and
        there first apart from the voice above and, for the alto, a tone no voice above sings
        (`FRESH_ALTO`); the bass's first no tritone, sixth or seventh
        (`BASS_WIDE_LEAPS_LAST`). Not at a phrase's cadence or in the close, whose own rules write
        them. Applied after the rules, not as tiers before them: a tier of the nearest tones had
        kept the tenor from V's third before the final chord (16 of 42 hymn harmonizations) and the
        alto from keeping within an octave of the soprano."""
        tones = self.chord_tones.get(p) if self.chord_tones else None
        prev = self.pitch_at(v, p - 1)
        n = len(self.notes)
        if (tones is not None and prev is None and v == n - 3 and FIRST_ALTO_TAKES_THE_THIRD and not closing
                and not self.notes[v]):  # fmt: skip
            # the alto's first note, where the soprano does not sing the planned chord's third: one
            # that leaves the tenor (`below`: its pitches) room for the third under it, or the third
            # itself (Amazing Grace's opening G chord had stood as G2 D3 G3 D4, then G G D G, a bare
            # fifth for its first bar in 4 of 4 takes: the alto on G3 left the tenor no B)
            above = self.pcs_above(v, p)
            third = [pc for pc in thirds_of(tones) if pc not in above]
            if third and below is not None:
                thirds = np.asarray(below)[np.isin(np.asarray(below) % 12, third)]
                lowest = int(thirds.min()) if len(thirds) else None
                c = np.asarray(cands)
                room = np.isin(c % 12, third) | (c >= lowest if lowest is not None else False)
                first = mask & room
                if first.any():
                    return first
        if tones is None or prev is None or closing or p in self.cadence_ticks or not mask.any():
            return mask
        moves = np.abs(np.asarray(cands) - prev)
        if v == n - 1:
            if not BASS_WIDE_LEAPS_LAST:
                return mask
            # (an octave, a fourth or a fifth are a bass's leaps)
            plain = mask & ((moves <= 5) | (moves == 7) | (moves == 12))
            return plain if plain.any() else mask
        if INNER_VOICE_LEAP is None or v == 0:
            return mask
        apart = self._apart(v, p, cands)
        tiers = [mask]
        if v == n - 3 and FRESH_ALTO and PLANNED_CHORDS_COMPLETE:
            taken = self.pcs_above(v, p)
            tiers.insert(0, mask & ~np.isin(np.asarray(cands) % 12, list(taken)))
        near = [tier & (moves <= limit) for limit in INNER_VOICE_LEAP for tier in tiers]
        for m in [m & apart for m in near] + near:
            if m.any():
                return m
        return mask

    def _into_the_cadence_root(self, p: int, cands: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """For the bass at tick p, the note it moves into a cadence chord from (a planned cadence
        chord struck within a beat after p): (which candidates would then stand a fifth or an
        octave from an upper voice that moves into that chord to the same interval over its root;
        which lie a fourth or a fifth from that root, a cadence's bass). None where no such chord
        follows."""
        if not self.cadence_ticks or not self.chord_tones:
            return None
        reach = self.beat_ticks or 12
        q = min((c for c in self.cadence_ticks if p < c <= p + reach), default=None)
        tones = self.chord_tones.get(q) if q is not None else None
        if tones is None:
            return None
        root = int(tones[0])
        bad = np.zeros(len(cands), bool)
        for u in range(len(self.notes) - 1):
            a0, a1 = self.pitch_at(u, q - 1), self.pitch_at(u, q)
            if a0 is None or a1 is None or a0 == a1:
                continue
            ic = (a1 - root) % 12
            if ic in (0, 7):
                bad |= (cands % 12 != root) & ((a0 - cands) % 12 == ic)
        return bad, np.isin((root - cands) % 12, (5, 7))

    def pcs_above(self, v: int, p: int) -> set[int]:
        """The pitch classes the voices above voice v sound at tick p (those known there)."""
        return {x % 12 for x in (self.pitch_at(u, p) for u in range(v)) if x is not None}

    def _sung_above(self, v: int, p: int, pc: int, tones: np.ndarray) -> bool:
        """Whether a voice above `v` sounds pitch class `pc` at tick `p` where it is the chord's
        third (`tones`, root first): the bass on it would double the third."""
        if (pc - int(tones[0])) % 12 not in (3, 4) or stands_on_its_third(tones):
            return False  # (a diminished triad's third is the one Bach doubles)
        return pc in self.pcs_above(v, p)

    def sings_a_seventh(self, v: int, p: int, tonic_pc: int | None = None) -> bool:
        """Whether voice v's note sounding just before tick p is the seventh of a dominant seventh
        that the voices sound with it there (`is_dominant_seventh`; `tonic_pc`: the key's, which
        leaves out its augmented sixth)."""
        prev = self.pitch_at(v, p - 1)
        if prev is None:
            return False
        sounding = {x % 12 for x in (self.pitch_at(u, p - 1) for u in range(len(self.notes))) if x is not None}
        return is_dominant_seventh(prev, sounding, tonic_pc)

    def parallel_with_the_bass_root(self, v: int, p: int, cands: np.ndarray, root_pc: int) -> np.ndarray:
        """Which candidates for upper voice v at tick p would move in parallel fifths or octaves
        with the bass going to `root_pc` there: from the bass's note before (the one written, else
        the root of the chord planned before, where a bass mostly sits) to the root."""
        none = np.zeros(len(cands), bool)
        a0 = self.pitch_at(v, p - 1)
        b0 = self.pitch_at(len(self.notes) - 1, p - 1)
        if b0 is None:
            before = self.planned_before(p - 1)
            b0 = int(self.chord_tones[before][0]) if before is not None else None
        if a0 is None or b0 is None or b0 % 12 == root_pc:
            return none
        ic = (a0 - b0) % 12
        if ic not in (0, 7):
            return none
        return (cands != a0) & ((cands - root_pc) % 12 == ic)

    def _parallel_with_the_beat_before(self, v: int, p: int, cands: np.ndarray) -> np.ndarray:
        """Which candidates for voice v struck on a beat at tick p would stand a fifth or an octave
        from another voice, both having moved the same way since the beat before, where they stood
        the same (consecutive fifths from beat to beat with passing notes between, which a teacher
        marks: harmonized chorales had 12.2 per 100 beats, Bach's 4.0). Off the beat: none."""
        beat = self.beat_ticks
        none = np.zeros(len(cands), bool)
        if not beat or p % beat or p < beat:
            return none
        a0 = self.pitch_at(v, p - beat)
        if a0 is None:
            return none
        bad = none
        for u in range(len(self.notes)):
            if u == v:
                continue
            b0, b1 = self.pitch_at(u, p - beat), self.pitch_at(u, p)
            if b0 is None or b1 is None or b0 == b1:
                continue
            ic = abs(a0 - b0) % 12
            if ic not in (0, 7):
                continue
            bad = bad | ((cands - a0) * (b1 - b0) > 0) & (np.abs(cands - b1) % 12 == ic)
        return bad

    def hidden_into_outer(self, p: int, cands: np.ndarray) -> np.ndarray:
        """Which bass candidates at tick p would reach a fifth or an octave with the soprano by
        similar motion while the soprano leaps (hidden or direct fifths and octaves, which a
        teacher allows only under a soprano moving by step): composed chorales had 1.8 per 100
        beats, harmonizations 2.6, Bach's 0.8."""
        bass, top = len(self.notes) - 1, 0
        s1 = self.pitch_at(top, p)
        prev = self.last_change(top, p)
        if s1 is None or prev is None:
            return np.zeros(len(cands), bool)
        s0, b0 = self.pitch_at(top, prev), self.pitch_at(bass, prev)
        if s0 is None or b0 is None or abs(s1 - s0) <= 2:
            return np.zeros(len(cands), bool)
        same_way = (cands - b0) * (s1 - s0) > 0
        return same_way & np.isin((s1 - cands) % 12, (0, 7)) & ((s0 - b0) % 12 != (s1 - cands) % 12)

    def plan_ticks(self) -> list[int]:
        """The ticks of the chord plan, sorted (computed once; the plan is read-only)."""
        if self._plan_ticks is None:
            self._plan_ticks = sorted(self.chord_tones)
        return self._plan_ticks

    def planned_before(self, tick: int) -> int | None:
        """The tick of the last chord planned at or before `tick` (the one sounding there), or None."""
        ticks = self.plan_ticks()
        i = bisect.bisect_right(ticks, tick) - 1
        return ticks[i] if i >= 0 else None

    def planned_after(self, tick: int) -> int | None:
        """The tick of the first chord planned after `tick`, or None after the plan's last chord."""
        ticks = self.plan_ticks()
        i = bisect.bisect_right(ticks, tick)
        return ticks[i] if i < len(ticks) else None

    def next_planned_bass(self, tick: int) -> tuple[int, int] | None:
        """(tick, pitch class) of the bass planned at the first chord of the plan after `tick`: the
        bass line's plan there (`planned_bass`), at a fermata the chord's root (where the cadence
        puts it), else the root; None after the plan's last chord."""
        at = self.planned_after(tick)
        if at is None:
            return None
        root = int(self.chord_tones[at][0])
        return at, (root if at in self.cadence_ticks else self.planned_bass.get(at, root))

    def unresolved_bass_seventh_ahead(self, v: int, p: int, pitch: int, tonic_pc: int | None) -> int | None:
        """Ticks from p to the first note another voice strikes, before the next planned chord,
        over which a bass note `pitch` struck at p would be the seventh of a dominant seventh
        (`is_dominant_seventh`) that the next planned bass does not take down by step (or hold):
        the bass note ends by then (None: no such note). The voices above move over a held bass:
        a bass E under an E-major chord became the seventh of F-sharp 7 when they moved on the
        half beat, and went to the cadence's B (`part_writing.UNRESOLVED_BASS_SEVENTHS_AVOIDED`)."""
        nxt = self.next_planned_bass(p)
        if nxt is None or (pitch - nxt[1]) % 12 in (0, 1, 2):
            return None
        for s in sorted({s for _u, later in self._struck_after(v, p) for s, _q in later if s < nxt[0]}):
            sounding = {x % 12 for x in (self.pitch_at(u, s) for u in range(len(self.notes)) if u != v) if x is not None}
            if is_dominant_seventh(pitch, sounding, tonic_pc):
                return s - p
        return None

    def struck_between(self, v: int, start: int, end: int) -> set[int]:
        """The pitch classes of the known notes of the voices other than v struck after tick
        `start` and before `end`: what arrives while a note of voice v struck at `start` is held."""
        pcs = set()
        for _u, later in self._struck_after(v, start):
            for s, q in later:
                if s >= end:
                    break
                pcs.add(q % 12)
        return pcs

    def _struck_after(self, v: int, p: int):
        """Per voice u other than v: (u, its known notes struck after tick p as (onset, pitch), in order)."""
        for u in range(len(self.notes)):
            if u != v:
                notes = self.notes[u]
                yield u, ((notes[i][0], notes[i][2]) for i in range(bisect.bisect_right(self.starts[u], p), len(notes)))

    def clash_ahead(self, v: int, p: int, pitch: int, scale: frozenset[int],
                    doubled: frozenset[int] = frozenset()) -> int | None:  # fmt: skip
        """Ticks from p to the first known note of another voice struck after p a semitone from
        `pitch` where one of the two lies outside the key's seven-note `scale`
        (`cross_relations`), or on its pitch class where that is one of `doubled` (a secondary
        leading tone, `doubled_secondary_leading_tone`): a note of voice v struck at p ends by
        then (None: no such note).
        Where the voices are written top down, `cross_relations` sees what sounds where a note
        starts, not what a voice above strikes while it is held: a harmonized tenor's F3 on beat
        2 of Greensleeves held under the soprano's F-sharp 4 a sixteenth later. Bach's valid
        chorales have 1.06 such clashes per 100 beats (the lower note struck first, the upper
        arriving over it), harmonizations of their sopranos had 1.61, and 0.37 with this limit
        and the look-ahead in `part_writing.around` (those struck with or under the other note:
        Bach 1.46, harmonizations 0.35 before, 0.61 with them); composed chorales 1.61 and 0
        (`docs/notes/2026-12-04-session-40/voice_leading/chromatic_clashes.py 76 40`). JSB test
        sopranos (`scripts/eval_cocreate.py --chorales 40`): chord agreement 0.550 -> 0.557,
        parallel fifths 0.04 -> 0.00 and octaves 0.00 -> 0.04 per 100 beats, with the rule below."""
        one = np.array([pitch])

        def clashes(_u: int, q: int) -> bool:
            return bool(cross_relations({q % 12}, one, scale)[0]) or ((q - pitch) % 12 == 0 and q % 12 in doubled)

        first = self._first_struck_after(v, p, clashes)
        return None if first is None else first - p

    def _first_struck_after(self, v: int, p: int, hit: Callable[[int, int], bool], limit: int | None = None) -> int | None:
        """The earliest onset after tick p (before `limit`, where given) of a known note of a voice
        other than v for which `hit(voice, pitch)` holds; `limit` where there is none."""
        for u, later in self._struck_after(v, p):
            for s, q in later:
                if limit is not None and s >= limit:
                    break
                if hit(u, q):
                    limit = s
                    break
        return limit

    def max_duration(self, v: int, p: int, pitch: int, suspended: tuple[int, int] | None = None) -> int | None:
        """Longest duration (ticks) before a known onset of a voice above goes below this note,
        or of a voice below goes above it, and (with a chord plan) before a planned chord that
        does not hold the note's pitch class; `suspended` (tick, end): the planned chord at that
        tick may hold the note as a suspension, to that end at most (`sampling.suspensions`)."""
        limit = None
        if self.chord_tones:
            ticks = self.plan_ticks()
            for i in range(bisect.bisect_right(ticks, p), len(ticks)):
                if pitch % 12 not in self.chord_tones[ticks[i]]:
                    limit = suspended[1] if suspended is not None and ticks[i] == suspended[0] else ticks[i]
                    break
        limit = self._first_struck_after(v, p, lambda u, q: (q < pitch) if u < v else (q > pitch), limit)
        return None if limit is None else limit - p


def is_dominant_seventh(pitch: int, sounding: set[int] | frozenset[int], tonic_pc: int | None = None) -> bool:
    """Whether `pitch` is the seventh of a dominant-seventh sonority among the pitch classes
    `sounding`: they hold its root (two semitones above it) and the root's major third. V7 of the
    key or of any degree (A7 in G: G over A and C-sharp). An augmented sixth has the same pitch
    classes (A-flat C F-sharp in C) and rises: with the key's `tonic_pc` given, a root on its
    lowered 6th is not one."""
    root = (pitch + 2) % 12
    if tonic_pc is not None and root == (tonic_pc + 8) % 12:
        return False
    return root in sounding and (root + 4) % 12 in sounding


def augmented_seconds(prev: int, cands: np.ndarray, tonic_pc: int) -> np.ndarray:
    """Which candidate pitches would follow `prev` in a minor key by an augmented second: the
    flat 6th and the raised 7th a step of 3 semitones apart, either way. Bach's minor chorales
    have 4 in 22,858 melodic intervals (all in the alto); the takes had 25 in 7,558, in the
    inner voices and the bass (`python runs/s15/aug2.py 60`), so the automaton avoids them."""
    cands = np.asarray(cands)
    flat6, raised7 = (tonic_pc + 8) % 12, (tonic_pc + 11) % 12
    up = (prev % 12 == flat6) & (cands - prev == 3)
    down = (prev % 12 == raised7) & (prev - cands == 3)
    return up | down


# semitones of the major or perfect interval spanning 0..6 letter steps (unison .. seventh)
_MAJOR_OR_PERFECT = np.array([0, 2, 4, 5, 7, 9, 11])


def augmented_leaps(prev: int, cands: np.ndarray, tonic_pc: int, minor: bool) -> np.ndarray:
    """Which candidate pitches would leap from `prev` (by more than a third) by an augmented
    interval as the key spells it: an augmented fourth (F up to B in C major), fifth (C up to
    G-sharp in a minor) or sixth. Both notes are spelled by their scale degree (minor: the 6th
    and 7th raised or not on one degree); a note outside the scale is not judged. A diminished
    fifth (B up to F, F down to B: the bass's falling fifth in Bach) is not augmented. Bach's
    chorales leap an augmented interval 0.36 times per 100 beats (a teacher's checker, 14
    chorales); harmonizations of 39 valid JSB sopranos did 1.8 times, mostly the bass's
    augmented fourths (26 of 41)."""
    steps = (0, 2, 3, 5, 7, 8, 10) if minor else (0, 2, 4, 5, 7, 9, 11)
    degree = np.full(12, -1)
    for d, step in enumerate(steps):
        degree[(tonic_pc + step) % 12] = d
    if minor:  # the raised 6th and 7th
        degree[(tonic_pc + 9) % 12], degree[(tonic_pc + 11) % 12] = 5, 6
    cands = np.asarray(cands)
    lo, hi = np.minimum(cands, prev), np.maximum(cands, prev)
    d_lo, d_hi = degree[lo % 12], degree[hi % 12]
    letters = (d_hi - d_lo) % 7
    wider = (hi - lo) % 12 == (_MAJOR_OR_PERFECT[letters] + 1) % 12  # a semitone wider than major or perfect
    return (d_lo >= 0) & (d_hi >= 0) & wider & (hi - lo > 4)


def cross_relations(sounding: set[int] | frozenset[int], cands: np.ndarray, scale: frozenset[int]) -> np.ndarray:
    """Which candidate pitches would sound a semitone from a pitch class another voice sounds,
    where one of the two is outside the key's seven-note `scale`: a chromatic note against its
    diatonic neighbour (B-flat against B in G major; F against F-sharp in G minor). Bach's valid
    chorales have such a clash on 1.9 sixteenths per 100 beats; the takes had 7.3
    (`python runs/s16/cross.py`), so the automaton avoids them where it can."""
    pcs = np.asarray(cands) % 12
    in_scale = np.zeros(12, dtype=bool)
    in_scale[list(scale)] = True
    diatonic = in_scale[pcs]  # (runs at every lower voice's pitch: one lookup, no Python loop per candidate)
    bad = np.zeros(len(pcs), dtype=bool)
    for q in sounding:
        near = ((pcs - q) % 12 == 1) | ((q - pcs) % 12 == 1)
        bad |= near & ~(diatonic & in_scale[q])  # a semitone apart, one of the two (or both) chromatic
    return bad


def doubled_leading_tone(sounding: set[int] | frozenset[int], cands: np.ndarray, leading_pc: int) -> np.ndarray:
    """Which candidate pitches would double the leading tone another voice already sounds: the
    seventh degree pulls up to the tonic, and two voices on it either move in octaves or one of
    them leaves its pull unanswered. Bach's valid chorales strike a note while two voices sound the
    home key's leading tone 1.7 times per 100 beats (54 of 81 on the beat; many where a passage
    has moved to the dominant's key and the note is no leading tone there); the takes did 4.7
    times, and 0.6 with this rule (`python runs/s17/ltd.py`, session 17). It knows only the home
    key, so it is stricter than Bach; realism did not move beyond the noise (classifier on 77 valid
    chorales, seeds 0-2: 0.714 / 0.747 / 0.701 without, 0.727 / 0.740 / 0.786 with)."""
    if leading_pc not in sounding:
        return np.zeros(len(cands), dtype=bool)
    return np.asarray(cands) % 12 == leading_pc


def secondary_leading_pcs(tonic_pc: int, minor: bool) -> frozenset[int]:
    """The raised notes outside the key that lead up a semitone to a degree of the scale (the
    third of a secondary dominant): in major the raised 1st, 2nd, 4th and 5th (C-sharp, D-sharp,
    F-sharp, G-sharp in C: the leading tones of ii, iii, V and vi), in minor the raised 3rd and
    4th (C-sharp, D-sharp in a minor: of iv and V; its raised 6th and 7th are the key's own). Not
    the lowered 7th of a major key (B-flat in C, V7 of IV's seventh, which falls), nor a minor
    key's lowered 2nd (the Neapolitan's B-flat in a minor)."""
    return frozenset((tonic_pc + d) % 12 for d in ((4, 6) if minor else (1, 3, 6, 8)))


def doubled_secondary_leading_tone(sounding: set[int] | frozenset[int], cands: np.ndarray, tonic_pc: int,
                                   minor: bool) -> np.ndarray:  # fmt: skip
    """Which candidate pitches would double a secondary leading tone (`secondary_leading_pcs`)
    another voice already sounds: the alto's C-sharp 4 over the bass's C-sharp 3 in A major (V of
    ii in F major; a harmonized Austria, bars 8-9). `doubled_leading_tone` knows only the home
    key's. Bach's valid chorales sound such a note in two voices at once 0.26 times per 100 beats,
    harmonizations of their sopranos did 0.89, and 0.07 with this rule (and the voice leading's
    tiers kept clear of it, `VoiceLeading.pitch_ok`'s `avoid`); composed chorales 0.23 and 0. Every
    note outside the key doubled (Bach's major-key lowered 7th the most of it, 50 of 67): Bach
    1.46, harmonizations 2.43 before, 1.74 with it; a doubled one that goes up a semitone: Bach
    0.20, harmonizations 0.61 and 0.11 (`docs/notes/2026-12-04-session-40/voice_leading/
    chromatic_clashes.py 76 40`)."""
    pcs = np.asarray(cands) % 12
    doubled = [q for q in secondary_leading_pcs(tonic_pc, minor) if q in sounding]
    return np.isin(pcs, doubled)


def too_far_below(above: int | None, cands: np.ndarray) -> np.ndarray:
    """Which candidate pitches lie more than an octave under `above`, the pitch the voice just
    above sounds (None: nothing there): the alto under the soprano, the tenor under the alto (the
    bass may lie further off). Bach's valid chorales strike a note with the alto and tenor more
    than an octave apart 1.6 times per 100 beats, soprano and alto 0.5; the takes did 4.4 and 0.9
    (`python runs/s17/spacing.py`, session 17), and 0.4 and 0.2 with this rule. The soprano's
    realism moved with the session's rules together (classifier on the soprano of 77 valid
    chorales, seeds 0-2: 0.714 / 0.747 / 0.701 before, 0.747 / 0.760 / 0.792 with this rule and
    `doubled_leading_tone`), an indirect effect: the rules shape only the voices below it."""
    if above is None:
        return np.zeros(len(cands), dtype=bool)
    return np.asarray(cands) < above - 12


def compound_fits(pos: int, lengths: np.ndarray, beat: int) -> np.ndarray:
    """Which note lengths (ticks) keep to a compound meter's dotted-quarter `beat` for a note
    struck `pos` ticks into the bar: one struck on a beat lasts at most the beat or a whole
    number of beats; one struck inside a beat ends by the next. A quarter on the third eighth
    of 6/8 (across the bar's middle) or three quarters to a bar (a 3/4 hemiola) read as simple
    time against the melody's compound time."""
    lengths = np.asarray(lengths)
    into = pos % beat
    if into == 0:
        return (lengths <= beat) | (lengths % beat == 0)
    return lengths <= beat - into
