"""The grammar automaton of one take: the token states and `Constrainer` (`allowed()` -> token
ids, `advance(id)`), which walks the tables of `sampling.tables` (`_Tables`: everything that
depends only on the tokenizer and the request; `compose_tables`, re-exported here). What the
style's tuned decoding sets in the tables (the tonal, register and rhythm feedback, the closing
shares) is in `sampling.feedback`; the four-part rules on a voice's pitches are in
`sampling.part_writing`."""

from __future__ import annotations

import bisect
import functools
import itertools

import numpy as np

import tunesmith.sampling.part_writing as part_writing_rules
import tunesmith.sampling.phrase_cadences as phrase_cadences
from tunesmith.sampling import feedback, suspensions
from tunesmith.sampling.endings import (
    bars_natural_seventh,
    doubles_leading_tone,
    missing_from_the_approach_chord,
    tenor_owes_third,
)
from tunesmith.sampling.feedback import (
    DUR_CLASSES,
    INTERVAL_BUCKETS,
    OPENING_NOTES,
    OPENING_REPEAT_PENALTY,
    REGISTER_MIN_TICKS,
    REGISTER_SCALE,
    RHYTHM_MIN_NOTES,
    TONAL_MIN_TICKS,
    VOICE_REGISTER_STEP,
    _steer,
)
from tunesmith.sampling.part_writing import (
    around,
    doubles_a_secondary_leading_tone,
    final_chord_third,
    narrow,
    part_writing,
)
from tunesmith.sampling.request import (
    BASS_APPROACH_DEGREES,
    FINAL_HALF_CLOSE_THIRD_SHARES,
    MELODY_APPROACH_INTERVALS,
    SOPRANO_APPROACH_STEPS,
)
from tunesmith.sampling.tables import (
    _C_BAR,
    _C_BASS,
    _C_DUR,
    _C_EOS,
    _C_PITCH,
    _C_POS,
    _C_QUAL,
    _C_ROOT,
    _C_VOICE,
    _EIGHTH,
    ODD_TWELFTHS,
    _next_copies,
    _run_sources,
    _Tables,
    add_pickup_bar,
    compose_tables,
    in_pitch_classes,
)
from tunesmith.tokenizer import (
    DUR_TICKS,
    TICKS_PER_BEAT,
)
from tunesmith.voice_leading import (
    VoiceLeading,
    augmented_seconds,
    compound_fits,
    doubled_leading_tone,
    doubled_secondary_leading_tone,
    planned_bass_pc,
    secondary_leading_pcs,
)

__all__ = ["Constrainer", "_Tables", "add_pickup_bar", "compose_tables"]

# ------------------------------------------------------------------------- the automaton
# The styles whose melodies keep off a scale note a semitone from a secondary dominant's altered tone
# on the beat (`Constrainer._pitches`). Measured on the test split, seed 0 (`python
# scripts/evaluate_musicality.py --styles pop,jazz --split test --seed 0 --model new=default`):
# jazz classifier 0.784 -> 0.724 (real vs real 0.409), chord tones 0.687 -> 0.705 (real 0.671),
# key heard 0.612 -> 0.537 (real 0.716); pop classifier 0.793 either way, key heard 0.788 -> 0.760
# (real 0.654). Not folk: its valid classifier went 0.537 -> 0.583 (real vs real 0.533), its
# melody being written over the composer's chords that the harmonizer then replaces; but under the
# musician's chords (`--chords`), which stay, folk keeps off them too (over a secondary dominant or
# a borrowed chord its takes had sung that clash 0.28 of the time, Nottingham's tunes 0.06:
# docs/notes/2026-12-04-session-41/chromatic_chord_clash.py 8 folk, chromatic_chord_real.py folk).
KEEP_CHROMATIC_CHORD_TONES = frozenset({"jazz", "pop"})
# Under the musician's chords (`compose --chords`), a lead sheet's melody fits them as its style's
# tunes fit theirs. Composed over the shippable training tunes' own chords (one a bar, the first 16
# bars, 40 tunes a style), the takes had sat on chord tones 0.617 / 0.646 / 0.642 of the time (pop /
# jazz / folk) against the tunes' 0.817 / 0.755 / 0.787, with fewer steps (0.475 / 0.410 / 0.454
# against 0.539 / 0.479 / 0.527) and wider intervals (2.48 / 2.68 / 2.79 semitones against 2.40 /
# 2.41 / 2.70). Two levers, chosen there (docs/notes/2026-12-04-session-41/real_chords.py):
# - per style, (on the beat, off it): the logit a melody pitch gains for being a tone of the chord
#   sounding where it starts (`Constrainer.given_chord_bias`); more than 0.5 on the beat, or any off
#   it, cost steps. Folk had none (it cost steps then, before `NONCHORD_LEAP_PENALTIES`); over its
#   tunes' chords as written (a bar of two where they have two, docs/notes/2026-12-05-session-43/
#   bar_chords.py), its notes struck on a beat sat on a chord tone 0.805 of the time against the
#   tunes' 0.870 (valid, 81 tunes). With 1.0: 0.880, all its time on chord tones 0.718 -> 0.762
#   (tunes 0.795), mean interval 2.50 -> 2.62 (2.53), steps 0.542 -> 0.491 (0.550), the classifier
#   the same (bar_chords_c2st.py, 3 seeds: 0.687 -> 0.693). Test: 0.708 -> 0.750 (0.771), classifier
#   0.612 -> 0.573. Only chord tones a step from the note before gaining (reach 2) kept more steps
#   (0.521) but was easier to tell from the tunes (0.726).
GIVEN_CHORD_TONE_GAINS: dict[str, tuple[float, float]] = {"pop": (0.5, 0.0), "jazz": (0.5, 0.0), "folk": (1.0, 0.0)}
# - under the drawn chord before the final tonic chord (`APPROACH_CHORD_SHARES`), which the composer
#   writes before its bar's melody, a melody pitch gains this many times the on-beat gain above where
#   it is a tone of that chord (`approach_chord_bias`). Melody time on its tones, 60 takes (folk /
#   pop / jazz; `docs/notes/2026-12-05-session-46/approach_chord.py STYLE 60 --compose`): 0.69 /
#   0.71 / 0.76, the tunes' 0.72 / 0.64 (folk / pop); under the chord the harmonizer chose there
#   before, 0.67 / 0.74, but that was V in 0.52 / 0.38 of the takes (the tunes 0.90 / 0.88). Before
#   a form's repeated bars kept the close, 1, 2 and 4 times the gain gave folk 0.55, 0.58, 0.62.
APPROACH_CHORD_TONE_GAIN_SCALE = 2.0
# - the styles whose melodies under that approach chord also keep from the clashes and leaps they
#   keep from under the musician's chords (`CLASH_PENALTIES`, `NONCHORD_LEAP_PENALTIES`), and whose
#   leanings toward it ride on the request's tonal feedback weight alone (pop has no rhythm
#   feedback and no minor-key profile, which had switched its leanings off: a 7-beat A over Em in A
#   minor). Melody time on the approach chord's tones, 60 takes (approach_chord.py STYLE 60
#   --compose): folk 0.673 -> 0.697, pop 0.699 -> 0.773 (shippable training tunes 0.740 / 0.749);
#   minor-key folk closes singing the lowered 7th over V 3 -> 0 of 25 (the tunes 1 of 39;
#   docs/notes/2026-12-05-session-47/minor_close.py folk --compose 36). Not jazz: its takes sat on
#   the chord's tones 0.765 already, over the tunes' 0.62-0.69 (their tensions over V7), and went to
#   0.804.
APPROACH_CLASH_STYLES = frozenset({"folk", "pop"})
# - per style, how much a melody note outside its bar's chord loses per doubling of its length beyond
#   half a beat (`Constrainer.passing_length_bias`): a note outside the chord passes, a chord tone
#   may be held. With both: pop 0.701 on chord tones, 0.493 steps, 2.39 semitones; jazz 0.703, 0.431,
#   2.52; folk (length alone: the pitch gain cost it steps, 0.454 -> 0.431) 0.648, 0.477, 2.71.
NONCHORD_LENGTH_GAINS: dict[str, float] = {"pop": 6.0, "jazz": 6.0, "folk": 4.0}
# - per style, what a melody pitch loses anywhere in the bar for being a scale tone a semitone from
#   a tone of its bar's chord that leaves the key (G under E7 in C; on the beat such a note is
#   already masked, `KEEP_CHROMATIC_CHORD_TONES`). Over the chords that leave the key, with the two
#   levers above: time on that clash pop 0.109 -> 0.061 (tunes 0.027), jazz 0.091 -> 0.045 (0.058),
#   folk 0.130 -> 0.049 (0.000), chord tones and steps as they were or closer.
CLASH_PENALTIES: dict[str, float] = {"pop": 2.0, "jazz": 2.0, "folk": 2.0}
# - per style, what a melody note struck on a beat a perfect fourth over the root of the composer's
#   own major or dominant chord sounding there (F over C, C over G7: the avoid note) loses per
#   doubling of its length beyond half a beat: jazz's chords are the composer's own, which stay, and
#   its takes had held that fourth on beats 1 and 3 for a beat or more in 0.055 of such notes, the
#   shippable training tunes in 0.008 (a jazz pianist: a whole-note F over C to open a tune;
#   docs/notes/2026-12-05-session-47/avoid_notes.py). Pop too: the chords of its form's cadence
#   bars and close are the composer's, which stay, and its takes had held the tonic over V7 (C over
#   G7) ten times as often as the songs. Melody time in notes of a beat or longer a semitone over a
#   tone of the chord above (a dominant's flat ninth left out), 60 takes: 0.049 -> 0.021, the valid
#   songs 0.024; the classifier 0.792 -> 0.786, within its seeds' spread (docs/notes/2026-12-05-
#   session-49/clashes.py; scripts/evaluate_musicality.py --styles pop --split valid --seeds 0,1,2).
AVOID_NOTE_LENGTH_GAINS: dict[str, float] = {"jazz": 4.0, "pop": 4.0}
# - per style, (into, out of): what a melody pitch loses for a leap (more than a whole tone) into a
#   note outside its bar's chord, and for any leap away from such a note: a note outside the chord
#   is a passing or neighbour note, reached and left by step. With the levers above, the takes had
#   leapt into 0.32 / 0.30 / 0.33 of their notes outside the chord (folk / pop / jazz) and left 0.32 /
#   0.29 / 0.33 by leap, against the tunes' 0.16 / 0.22 / 0.20 and 0.12 / 0.21 / 0.20 (shippable
#   training tunes, docs/notes/2026-12-05-session-42/nonchord_motion.py). Folk (1, 1): 0.16 and 0.18,
#   steps 0.475 -> 0.530 (tunes 0.528). Pop and jazz into only: their takes' mean interval was
#   already under the tunes', and (1, 1) took it further (pop valid 2.36 -> 2.08, tunes 2.46).
#   With folk's on-beat gain (`GIVEN_CHORD_TONE_GAINS`, session 43) its steps fell again (valid, chords
#   as written: 0.542 -> 0.491, tunes 0.550); folk (1.5, 1.5): 0.516, mean interval 2.62 -> 2.53 (2.53),
#   chord tones 0.762 -> 0.756 (0.795), classifier 0.693 -> 0.671; test: steps 0.515 either way, chord
#   tones 0.750 -> 0.756 (0.771), classifier 0.573 -> 0.579 (docs/notes/2026-12-05-session-43/bar_chords.py).
NONCHORD_LEAP_PENALTIES: dict[str, tuple[float, float]] = {"folk": (1.5, 1.5), "pop": (1.0, 0.0), "jazz": (1.0, 0.0)}
# - per style, what a lead sheet melody note's length loses for holding it over the barline into a
#   bar whose chord it is not a tone of (F held into D7). Over the shippable training tunes' chords
#   (with `COPY_FIT_SHARES` below) the takes had held 0.29 / 0.49 of their notes held over a barline
#   into such a chord (pop / jazz; 2.8 / 3.3 per 100 bars), the tunes 0.15 / 0.25 (1.6 / 2.6 per 100
#   bars); with 1: 0.13 / 0.32 (0.9 / 1.6); with 2, 0.09 / 0.20, and fewer notes held over at all
#   (tied_into.py in the same folder). Folk's tunes and takes hold almost nothing over a barline.
HELD_INTO_PENALTIES: dict[str, float] = {"pop": 1.0, "jazz": 1.0}
# - ... and what it loses more where it clashes with that chord: a semitone above one of its tones, a
#   minor ninth against it (A held into B-flat 7 against its A-flat, F into C), but a dominant's flat
#   ninth. A jazz pianist found 4 such ties in 34 B-flat blues takes. Over the shippable training
#   tunes' chords (held_clash.py in docs/notes/2026-12-06-session-52, 60 tunes, seeds 0-59): the tunes
#   hold 0.16 / 0.00 such notes per 100 bars (jazz / pop), the takes held 0.66 / 0.73.
HELD_INTO_CLASH_PENALTY = 6.0
# - per style, the least share of a bar's melody time on tones of a later bar's chord for the form to
#   repeat that bar there (`Constrainer._copy_fits`): the form had repeated a bar's melody under
#   whatever chord the musician gave the later bar (G A B A E F over F again over Dm; a held E over C
#   again over F). Over the training tunes' chords (given_chords_form.py, real_chords.py): chord tones
#   pop 0.729 -> 0.776 (tunes 0.817), jazz 0.741 -> 0.794 (0.755), folk 0.673 -> 0.686 (0.787); bars
#   that recur 0.448 -> 0.344 (tunes 0.348), 0.482 -> 0.373 (0.514), 0.707 -> 0.652 (0.745). At 0.5 and
#   more the chord tones rose no further and fewer bars recurred.
COPY_FIT_SHARES: dict[str, float] = {"pop": 0.3, "jazz": 0.3, "folk": 0.3}
# - per style, what a lead sheet melody pitch loses for repeating the note before: under given chords
#   the takes struck the same note again more often than the tunes (training tunes' chords, all
#   licences, monotony.py in docs/notes/2026-12-05-session-42: pop 0.202 of notes against 0.152,
#   jazz 0.205 against 0.154; one pop take over "Am F C G" sang 64 of its 117 notes on A). With 0.3:
#   0.158 and 0.158, their mean interval nearer the tunes' (pop 2.25 -> 2.33, tunes 2.37; jazz 2.34
#   -> 2.42, 2.42), valid and test alike. Folk (0.143, tunes 0.080) is left: its notes outside the
#   chord rose with it (valid split 0.293 -> 0.335 of the time).
GIVEN_REPEAT_PENALTIES: dict[str, float] = {"pop": 0.3, "jazz": 0.3}
# - per style, what a lead sheet melody pitch loses on the beat for being a semitone under the root of
#   its bar's chord when that chord is a plain triad (F# over G, B over C: the major seventh the
#   triad does not hold). Folk takes over the training tunes' chords struck it on 0.0425 of their
#   beats, the tunes on 0.0050 (all licences, 60 asked; triad_seventh.py in the same folder); with 2:
#   0.0127, notes outside the chord on the beat 0.301 -> 0.269 (tunes 0.138), steps 0.522 -> 0.511
#   (0.522). Held out: valid 0.0264 -> 0.0119 (tunes 0), test 0.0264 -> 0.0072 (tunes 0.0210).
#   Pop (0.0200 against 0.0146) and jazz (0.0256 against 0.0226) are near their tunes.
TRIAD_SEVENTH_ON_BEAT_PENALTIES: dict[str, float] = {"folk": 2.0}
# In a minor key a lead sheet's melody sings the tonic's major third (C-sharp in A minor) only where
# the chord sounding holds it (A, A7, F#m): per style, where the rule holds ("always", or "beat": on
# the beat only). Asked for a minor key, pop and jazz takes had sung it over their own minor and
# dominant chords (E7's natural 13th, C-sharp over Dm), and turned major: 40 takes a style, time on
# it against the minor third 0.08 (pop) and 0.17 (jazz), heard in the parallel major 0.07 and 0.10,
# against the valid split's minor songs' 0.01 and 0.09, and 0.00 and 0.08
# (docs/notes/2026-12-05-session-44/minor_takes.py, minor_tunes.py).
MINOR_KEY_MAJOR_THIRD: dict[str, str] = {"pop": "always", "jazz": "beat"}
# What a continuation's contrasting strain (a B after the given A) loses for the pitch the given
# strain has at the same place of the same bar (`Constrainer.echo_bias`). Continuing a jig's and a
# reel's A strain (the session fiddler's), 12 takes each, the new strain had sung 0.77 and 0.66 of
# its notes where the A strain has them; over 15 valid AABB tunes' A strains, 0.536 against their
# own B strains' 0.409. With 1.0 / 1.5 / 2.0: the valid tunes 0.380 / 0.329 / 0.242, the fiddler's
# 0.60 and 0.49 at 1.0, 0.33 and 0.32 at 2.0 (docs/notes/2026-12-05-session-44/continue_strain.py,
# continue_strain_real.py).
CONTRAST_ECHO_PENALTY = 1.5
# A composed chorale's bass moves at the bar line: it neither holds its note over it nor strikes the
# same note again there (where the voice leading and a cadence leave it another; `_Tables.bass_moves`:
# compose, not co-create, whose bass follows the harmonizer's plan). Bach's basses do
# either 1.22 times per 100 beats (music21's scores of 101 chorales: 0.96 struck again, 0.26 held);
# the composed basses 4.25, the harmony standing still over the downbeat
# (docs/notes/2026-12-05-session-45/bass_at_bar_lines.py). With the rule: 0.39.
BASS_MOVES_AT_BAR_LINES = True


def _semitone_from(pcs: np.ndarray, tones) -> np.ndarray:
    """Which pitch classes `pcs` lie a semitone above or below one of `tones`."""
    near = np.zeros(len(pcs), bool)
    for tone in tones:
        near |= ((pcs - tone) % 12 == 1) | ((pcs - tone) % 12 == 11)
    return near


# states
_START, _CHORDS, _ROOT, _QUAL, _BASS, _CPOS, _VOICE, _NPOS, _PITCH, _DONE = range(10)


# the chords a composed chorale's beat should sound (`chord_bias`): triads and seventh chords, but
# not the augmented triad nor the major seventh chord, which Bach sounds on a beat as a passing or
# suspended moment (0.003 and 0.014 of the beats of the valid chorales), where the takes had stood
# on them (0.007 and 0.052 of 80 takes' beats; a game composer heard F A C# in root position).
# Counted as chordless, they sank to 0.002 and 0.024 (docs/notes/2026-12-05-session-50/chorale_sonorities.py)
_BEAT_CHORD_QUALITIES = ("", "m", "dim", "7", "m7", "m7b5", "dim7")


@functools.lru_cache(maxsize=4096)
def _completes_a_chord(above: frozenset[int]) -> np.ndarray:
    """(12,) bool: which pitch classes, added to `above`, leave a triad or seventh chord's tones."""
    from tunesmith.harmony import QUALITIES

    chords = [{(root + i) % 12 for i in QUALITIES[q]} for q in _BEAT_CHORD_QUALITIES for root in range(12)]
    return np.array([any(above | {pc} <= c for c in chords) for pc in range(12)])


def _plus(*offsets: np.ndarray | None) -> np.ndarray | None:
    """The sum of the logit offsets that are given (None when none is)."""
    given = [o for o in offsets if o is not None]
    return sum(given[1:], given[0]) if given else None


def _first_within(keep: np.ndarray, *allowed: np.ndarray | None) -> np.ndarray | None:
    """`keep` within the first of the `allowed` masks (None: every pitch) that leaves a pitch, else None."""
    for mask in allowed:
        both = keep if mask is None else mask & keep
        if both.any():
            return both
    return None


# A chord the musician gave with a seventh (G7, Dm7, Cmaj7) has it sung where it starts: by the tenor
# where the voices above have not (False: as the chord's other tones, before session 51).
GIVEN_SEVENTH_SUNG = True
# ... and by one voice only, the others keep off it where it sounds (False: as before session 51)
GIVEN_SEVENTH_ONCE = True
# ... even where the voice leading's softer rules (a doubled leading tone, a leap, the nearest tone)
# leave no other tone of the chord: its other tones in order and clear of parallels come first (the
# weights shipped in session 56 had two voices on G7's F on 12 of 120 beats; False: as before)
GIVEN_SEVENTH_ONCE_OVER_SOFT_RULES = True
# Where the voice leading leaves no tone of a given chord, the tone taken moves in no parallels where
# one is left (False: any tone in the voices' order, before session 51)
GIVEN_CHORD_CLEAR_OF_PARALLELS = True
# Before the soprano's first note (a musician's melody whose first bar opens with rests) the lower
# voices rest (False: they may sing alone, as before session 51).
LOWER_VOICES_ENTER_WITH_THE_SOPRANO = True

# Whether a last bar short by the pickup places the last note by its drawn least length (True), or by
# that length rounded up to the strike grid first (False, before session 69). A jig's grid is its
# dotted-quarter beat: every drawn length under it (0.71 of folk's shares) became 1.5 quarters, and
# in the 5-eighth last bar after an eighth pickup the note was struck on the downbeat and held 2.5
# quarters, in 40 of 40 jigs; the training jigs end on a quarter struck on the second beat 0.53 of
# the time, on 2.5 quarters 0.14 (docs/notes/2026-12-07-session-69/dance_final_lengths.py).
SHORT_LAST_BAR_FROM_THE_DRAWN_LENGTH = True

# Where the voice leading leaves a cadence note no tone of the cadence chord, the one it takes keeps
# out of parallels with the bass's move to the chord's root where one can (False: any, before
# session 53).
CADENCE_NOTE_CLEAR_OF_THE_BASS = True
# A dance's strain that ends inside the piece on its drawn closing tone (`STRAIN_END_SHARES`): once
# that note is struck on a beat in the closing zone, the last beat, the notes after it are free, as
# a dance tune runs on into its next strain (False: every note struck there closes, before session
# 68). Since session 70 a folk, pop or jazz take of no dance leads on from its sections' ends too
# (`feedback.SECTION_END_LEAD_IN_STYLES`). A short closing note had been struck again and again to
# fill the beat: the reel's A-A-A triplet, the polka's G G/G/ to end a strain. At the phrase ends (bars 4, 8,
# 12) of 40 takes a dance under the keys of its shippable training tunes, runs of three strikes or
# more ending the bar: reels 0.083 -> 0.000, jigs 0.167 -> 0.067, polkas 0.150 -> 0.025, hornpipes
# 0.133 -> 0.017; the tunes 0.009, 0.030, 0.010, 0.012 (docs/notes/2026-12-07-session-68/
# strain_ends.py). A classifier against the held-out tunes (dance_c2st.py, seeds 0-7): reels 0.720
# -> 0.691, hornpipes 0.569 -> 0.539, jigs 0.684 -> 0.708, polkas 0.684 -> 0.697 (19 tunes).
STRAIN_END_LEAD_IN = True


# The last inner voice completes the final chord with its fifth only where it can sing it below the
# voice above, else takes another tone of it (False: the fifth whatever it crossed, before session 53).
# Its missing third it takes still: a crossing reads better than a close without its third.
FINAL_TONE_IN_ORDER = True


def phrase_end(t: _Tables, bar: int) -> int:
    """Where in cadence bar `bar` its phrase ends (ticks into the bar): the bar line, or, in a
    piece with a pickup, where the next phrase's pickup starts (Bach's fermatas on beat 3 before
    a one-beat pickup, a jig's strain ending on its fifth eighth); the last bar ends at its bar
    line."""
    return t.last_L if bar == t.n_bars - 1 else t.pickup if t.pickup else t.L


def fermata_starts(t: _Tables, bar: int) -> list[int]:
    """Ticks into cadence bar `bar` where a four-part soprano's phrase may end on its fermata
    note: the bar's first beat and, in a bar of an even number of beats, its middle, before the
    phrase's end. Bach's phrase-end notes in 4/4 stand on beat 3 (0.68) or 1 (0.28), on beat 4 at
    0.04 and never off the beat; in 3/4 on beat 1 (99 of 115). Composed chorales had theirs on
    beat 4 at 0.29 and off the beat at 0.12, an eighth long at 0.11
    (`docs/notes/2026-12-03-session-31/fermata_places.py`)."""
    beats = round(t.L / t.beat_ticks)
    starts = [0, t.L // 2] if beats > 1 and beats % 2 == 0 else [0]
    return [s for s in starts if s < phrase_end(t, bar)]


def take_cadence_bars(t: _Tables, modulation: tuple | list | None) -> list[int]:
    """The bars a take cadences in: the tables' and a drawn passage's last bar (`modulation`:
    key, first bar, bar after). A chorale's phrase cadence inside the passage, or a bar from it,
    gives way to the passage's own (three fermatas in three bars had closed a passage in D
    between cadences in G)."""
    if modulation is None:
        return t.cadence_bars
    first, end = int(modulation[1]), int(modulation[2]) - 1
    return sorted({*(b for b in t.cadence_bars if b not in t.phrase_bars or not first - 1 <= b <= end + 1), end})


def _drawn_each(rng, shares, n: int) -> list:
    """`n` values drawn independently from `shares` ([(value, probability)]) with `rng`."""
    return [shares[int(k)][0] for k in rng.choice(len(shares), size=n, p=[w for _, w in shares])]


class Constrainer:
    """The grammar + constraint automaton of one take: `allowed()` -> token ids, `advance(id)`."""

    may_half_close = True  # whether `draw_ending` may draw a minor chorale's close on V (co-create: never)
    unison_task = "compose"  # which of `feedback.UNISON_PENALTIES` the lower voices take

    def __init__(self, tables: _Tables, length: int):
        self.t = tables
        self.state = _START
        self.length = length  # tokens in the stream so far (the prompt included)
        self._suspension_memo: tuple | None = None  # (note key, span): `suspensions.suspension_span`, once a note
        self.bar = -1
        self.v = 0
        self.cursor = 0
        self.cursors = [0] * len(tables.voices)
        self.chord_pos = -1
        self.chord_i = 0  # how many of the bar's forced chord ids are written (positions, roots, qualities, basses)
        self.note_pos = 0
        self.root_pc = 0
        self.qual_tok = -1  # the latest chord's quality token
        self.pitch = 0
        # note to note, and from beat to beat under passing notes (`VoiceLeading.beat_ticks`). The beat
        # rule had been left to co-create's guard, because it moved the closes into parallels the
        # cadence rules could not refuse (0 -> 3 into the final chord in 40 takes); an inner voice now
        # keeps a way into the final chord (`part_writing.no_way_into_the_final_chord`). 160 takes
        # (docs/notes/2026-12-03-session-32/beat_rule_on.py, beat_rule_eval.py): beat-to-beat fifths
        # and octaves 5.82 -> 0.53 per 100 beats (Bach's 4.04), note to note 10 -> 6, whole triads
        # at the fermatas 0.831 -> 0.803, validation classifier 0.695 +- 0.021 -> 0.667 +- 0.038
        self.vl = VoiceLeading(len(tables.voices), beat_ticks=tables.beat_ticks) if tables.voice_leading else None
        self.bar_toks: list[list[int]] = []  # the tokens of each bar so far (for repeats)
        self.bar_starts: list[tuple[int, ...]] = []  # the voices' cursors as each bar began
        self.copy_src: int | None = None  # the bar this one repeats, while the copy holds
        self.final_pcs: frozenset | None = None  # the melody's closing degree, if drawn (`draw_ending`)
        self.strain_ends: dict[int, tuple[str, frozenset]] = {}  # a section end's kind and closing tones, drawn
        # the bars this take repeats: the form's (`_Tables.copy_from`), and a dance strain's opening
        # restated at its second phrase where drawn (`restated`: strain start -> bars restated)
        self.copy_from, self.next_copy, self.run_sources = tables.copy_from, tables.next_copy, tables.run_sources
        self.restated: dict[int, int] = {}
        # a composed chorale's half closes inside the piece: bar -> the bass degree (semitones over
        # the tonic) drawn for the note before each (`phrase_cadences.HALF_CLOSE_APPROACH_SHARES`)
        self.phrase_approaches: dict[int, int] = {}
        self.final_ticks: int | None = None  # the least length of the last note, if drawn (four parts: the soprano's exact length)
        self.final_strike: int | None = None  # where in the last bar the soprano struck its last note (four parts)
        self.final_degree: str | None = None  # the closing degree drawn ("root", "third", ...)
        self.final_third: str | None = None  # the final chord's third drawn ("major", "minor", "none")
        self.bass_approach: str | None = None  # the bass note before the final chord ("dominant", "tonic", ...)
        self.melody_approach: str | None = None  # a lead sheet's interval into its last note ("step", ...)
        self.final_chord: str | None = None  # the degree of the chord a lead sheet closes over, if not the tonic
        self.approach_chord: str | None = None  # the degree of the chord before a lead sheet's final tonic chord ("V", ...)
        self.approach_start: str | None = None  # where in its bar that chord starts: "downbeat" or "later"
        self.tonic_bars: int | None = None  # the bars of the final tonic chord after it: 1 (the last) or 2
        self.soprano_approach: str | None = None  # a chorale soprano's way to a final tonic ("above", "below")
        self.half_close = False  # a minor chorale that closes on V, the soprano on its fifth (`FINAL_HALF_CLOSE_SHARES`)
        self.opening: str | None = None  # a lead sheet's first chord drawn: "tonic" or "other" (`OPENING_TONIC_SHARES`)
        # how the chord being written (its root is in; its quality comes next) was drawn to open the
        # piece or a contrasting section: "tonic", "other", or None for any other chord
        self.opening_now: str | None = None
        # a contrasting section's first chord drawn: "tonic" or "other" (`CONTRAST_TONIC_SHARES`)
        self.contrast_opening: str | None = None
        # the root of the piece's first chord (after any pickup): a contrasting section drawn "other"
        # does not open on it either (`_opening_roots`); a continuation sets the musician's (`cocreate.decode`)
        self.first_root: int | None = None
        self.span_cap: int | None = None  # the melody's span drawn (`MELODY_SPANS`), semitones
        self.melody_low: int | None = None  # the melody's lowest and highest pitch so far
        self.melody_high: int | None = None
        self.opened = False  # the first chord after any pickup has been written
        self.modulation: tuple[str, int, int] | None = None  # (key name, first bar, bar after): a passage in that key
        self.cadence_bars = tables.cadence_bars  # the tables' cadence bars and a drawn passage's last bar
        # (start, end) ticks of soprano notes under a fermata that co-create was given (`fermata_holds`)
        self.holds: list[tuple[int, int]] = []
        # each voice's last three pitches, oldest first (prompt included); voice 0 is the melody
        self.voice_recent: list[list[int]] = [[] for _ in tables.voices]
        # under the musician's chords, whether the melody's latest note is outside its bar's chord
        self.melody_outside_chord = False
        self.melody_end: int | None = None  # the tick (from the piece's start) where the melody's latest note ended
        # the chords of the bar being written: (tick in the bar, root pitch class, minor), and the
        # last chord of the bars before (root, minor), which sounds until the bar's first chord
        self.bar_chords: list[tuple[int, int, bool]] = []
        self.chord_before: tuple[int, bool] | None = None
        self.degree_time = np.zeros((len(tables.voices), 12))  # each voice's time (ticks) per scale degree so far
        # the melody's (time, pitch x time) in the first section's bars and in the contrasting ones
        self.first_time = self.first_sum = self.contrast_time = self.contrast_sum = 0.0
        # each voice's pitch x time so far (the four voices' register feedback; its time is degree_time's row)
        self.voice_pitch_time = np.zeros(len(tables.voices))
        self.spacing_time = np.zeros(len(tables.voices))  # per inner voice: its time under a sounding voice above
        self.spacing_sum = np.zeros(len(tables.voices))  # and that time times the distance below it
        self.bar_melody: list[int] = []  # the melody's pitches in the bar being written
        self.melody_by_bar: list[list[tuple[int, int]]] = []  # each bar's melody notes: (pitch, ticks)
        self.opening_melody: list[int] = []  # the first pitches of the opening bar (`t.opening_bar`)
        self.echo: dict[int, dict[int, int]] | None = None  # a contrasting continuation's (`echo_bias`)
        self.dur_counts = np.zeros((len(tables.voices), len(DUR_TICKS)))  # notes of each length per voice
        self.last_length_class = [-1] * len(tables.voices)  # per voice, the class of its latest note's length (-1: none)
        self.quick_run = [0] * len(tables.voices)  # per voice, how many of its latest notes in a row last half a beat or less

    def tonal_bias(self) -> np.ndarray | None:
        """Logit offsets for `t.pitch_ids` that steer the current voice's time per scale degree
        back toward the style's profile for it (`set_tonal_feedback`: a lead sheet's melody, each
        of a chorale's voices), a contrasting section's melody register over the first section's
        (`register_bias`), the melody's (soprano's) intervals toward the style's
        (`interval_bias`), and in a drawn modulation's bars toward its key (`set_modulation`),
        or None (off, not before a pitch, or too little music yet)."""
        t = self.t
        if self.state not in (_VOICE, _NPOS):
            return None
        out = None
        if self.v == 0:
            out = _plus(self.register_bias(), self.opening_bias(), self.interval_bias(), self.voice_register_bias(),
                        t.pitch_offsets, self.given_chord_bias(), self.echo_bias(), self.approach_chord_bias(),
                        self.span_bias(), self.third_strike_bias())  # fmt: skip
        else:
            back = moves = None
            recent = self.voice_recent[self.v]
            if t.lower_return_offsets is not None and self.v <= len(t.lower_return_offsets):
                back = self._return_bias(recent, t.lower_return_offsets[self.v - 1])
            if t.lower_interval_offsets is not None and self.v <= len(t.lower_interval_offsets) and recent:
                moves = t.lower_interval_offsets[self.v - 1][self._move_sizes(recent[-1])]
            out = _plus(back, moves, self.unison_bias(), self.chord_bias(), self.semitone_bias(), self.repeat_bias(),
                        self.voice_register_bias(), self.spacing_bias(),
                        self.suspension_bias(), self.knot_bias(), self.chromatic_step_bias(), self.quick_rock_bias())
        if self.modulation is not None and self.modulation[1] <= self.bar < self.modulation[2]:
            out = _plus(out, t.modulation_bias[self.modulation[0]][self.v])
        if t.tonal_target is None or self.v >= len(t.tonal_target):
            return out
        time = self.degree_time[self.v]
        total = time.sum()
        if total < TONAL_MIN_TICKS:
            return out
        tonal = _steer(t.tonal_target[self.v], time / total, t.tonal_gain)[t.pitch_degrees]
        return tonal if out is None else tonal + out

    def register_bias(self) -> np.ndarray | None:
        """In a contrasting section (a B strain): logit offsets for `t.pitch_ids` that tilt the
        melody up (or down) while its mean pitch there lies under (over) the first section's mean
        plus `t.register_lift`: gain x error (clipped to one, in units of REGISTER_SCALE semitones)
        x each pitch's distance from the current mean, per octave. None when off or too early."""
        t = self.t
        if t.register_gain <= 0 or self.bar not in t.contrast_bars or self.first_time < REGISTER_MIN_TICKS:
            return None
        target = self.first_sum / self.first_time + t.register_lift
        if self.contrast_time >= REGISTER_MIN_TICKS:
            current = self.contrast_sum / self.contrast_time
        else:  # the section has only begun: its first notes are judged by where the first section sat
            current = self.first_sum / self.first_time
        error = float(np.clip((target - current) / REGISTER_SCALE, -1.0, 1.0))
        return t.register_gain * error * (t.pitch_real - current) / 12.0

    def span_bias(self) -> np.ndarray | None:
        """Logit offsets for `t.pitch_ids`: a lead sheet melody's pitch that would widen its span
        (highest pitch less lowest so far) beyond the span the take drew (`MELODY_SPANS`) loses
        `t.span_gain` a semitone over. None when off or before the first note."""
        if self.span_cap is None or self.melody_low is None or self.t.voice_leading:
            return None
        real = self.t.pitch_real
        span = np.maximum(real, self.melody_high) - np.minimum(real, self.melody_low)
        return -self.t.span_gain * np.maximum(span - self.span_cap, 0)

    def voice_register_bias(self) -> np.ndarray | None:
        """Four voices (`set_voice_register_feedback`): logit offsets for `t.pitch_ids` that make
        the current voice move up rather than down (or the reverse) while its mean pitch so far
        lies under (over) the style's mean for that voice: gain x error (clipped to one, in units
        of REGISTER_SCALE semitones) x the move from the voice's last pitch, clipped to one step
        (VOICE_REGISTER_STEP semitones). Clipped so that a leap gains no more than a step: a tilt
        by distance (as `register_bias`) drew sopranos up by leaps (mean interval 2.17 -> 2.23 for
        1.7 semitones of register; clipped, 2.19 for 2.3). Before a voice has sung
        REGISTER_MIN_TICKS its mean is taken as its target plus the other voices' mean error (the
        four lean together, as the key moves them). None when off or before any voice has sung."""
        t = self.t
        target = t.voice_register_target
        if t.voice_register_gain <= 0 or target is None or self.v >= len(target):
            return None
        time = self.degree_time.sum(axis=1)  # each voice's time so far
        heard = time >= REGISTER_MIN_TICKS
        if heard[self.v]:
            current = self.voice_pitch_time[self.v] / time[self.v]
        elif heard.any():
            lean = self.voice_pitch_time[heard] / time[heard] - target[heard]
            current = target[self.v] + float(lean.mean())
        else:
            return None
        error = float(np.clip((target[self.v] - current) / REGISTER_SCALE, -1.0, 1.0))
        last = self.voice_recent[self.v][-1] if self.voice_recent[self.v] else current
        return t.voice_register_gain * error * np.clip((t.pitch_real - last) / VOICE_REGISTER_STEP, -1.0, 1.0)

    def count_spacing(self, vl: VoiceLeading, start: int, ticks: int) -> None:
        """An inner voice's note (`self.pitch`, at tick `start`, `ticks` long) about to be added to
        `vl`: its time and distance below the voice above there, for `spacing_bias`."""
        if 0 < self.v < len(self.t.voices) - 1:
            above = vl.pitch_at(self.v - 1, start)
            if above is not None:
                self.spacing_time[self.v] += ticks
                self.spacing_sum[self.v] += (above - self.pitch) * ticks

    def spacing_bias(self) -> np.ndarray | None:
        """A harmonized chorale's alto and tenor (under a chord plan): logit offsets for
        `t.pitch_ids` that make the voice move up rather than down (or the reverse) while it has
        sat further below the voice above than Bach's do (nearer), as `voice_register_bias` does
        for a voice's register: `feedback.INNER_SPACING_GAIN` x the error (time-weighted distance
        below the voice above so far less `INNER_SPACING_TARGETS`, clipped to one in units of
        REGISTER_SCALE semitones) x the move from the voice's last pitch (clipped to one step);
        above `INNER_SPACING_CEILINGS` a pitch gains nothing and loses half the gain. None
        elsewhere, in the close and at a phrase's cadence (their own rules write the voices
        there), or before the voice has sung REGISTER_MIN_TICKS under a voice above."""
        t = self.t
        gain = feedback.INNER_SPACING_GAIN * t.lower_voice_weight
        if (gain <= 0 or self.vl is None or not self.vl.chord_tones or len(t.voices) != 4
                or not 0 < self.v < 3 or self.spacing_time[self.v] < REGISTER_MIN_TICKS):  # fmt: skip
            return None
        at = self._pitch_tick()
        if self._in_the_close(at) or at in self.vl.cadence_ticks:  # (the close's and a cadence's own rules write those)
            return None
        gap = self.spacing_sum[self.v] / self.spacing_time[self.v]
        error = float(np.clip((gap - feedback.INNER_SPACING_TARGETS[self.v - 1]) / REGISTER_SCALE, -1.0, 1.0))
        last = self.voice_recent[self.v][-1] if self.voice_recent[self.v] else None
        if last is None or error == 0.0:
            return None
        tilt = gain * error * np.clip((t.pitch_real - last) / VOICE_REGISTER_STEP, -1.0, 1.0)
        # past where Bach's voice seldom goes (`INNER_SPACING_CEILINGS`) no pull up, and half the
        # gain off: the tilt alone had sat the tenor on G4 for bars under a high alto
        high = t.pitch_real > feedback.INNER_SPACING_CEILINGS[self.v - 1]
        return np.where(high, np.minimum(tilt, 0.0) - 0.5 * gain, tilt)

    def given_chord_bias(self) -> np.ndarray | None:
        """Logit offsets for `t.pitch_ids`: under the musician's chords, a lead sheet melody's pitch
        gains the style's `GIVEN_CHORD_TONE_GAINS` (on the beat, off it) where it is a tone of its
        bar's chord, loses its `CLASH_PENALTIES` where it is a scale tone a semitone from one of
        the chord's tones outside the key (or, in minor, is the raised 7th or 6th over a chord that
        holds the natural one), its `NONCHORD_LEAP_PENALTIES` for a leap into a note outside the
        chord and for a leap away from one, its `GIVEN_REPEAT_PENALTIES` for striking the note
        before again, and on the beat its `TRIAD_SEVENTH_ON_BEAT_PENALTIES` for the major seventh
        of a plain triad. None when off, without given chords or in a pickup bar."""
        t = self.t
        if t.voice_leading or t.given_chord_pcs is None or self.bar < t.bar_offset:
            return None
        pos = self.cursor if self.state == _VOICE else self.note_pos
        gains = GIVEN_CHORD_TONE_GAINS.get(t.style, (0.0, 0.0))
        on_beat = pos % t.beat_ticks == 0
        gain = gains[0] if on_beat else gains[1]
        slot = self._given_at(self.bar, pos)[1]
        if t.given_chord_pcs[slot] is None:  # no chord (N.C.): the melody follows none
            return None
        tones = list(t.given_chord_pcs[slot])
        pcs = t.pitch_real % 12
        in_chord = np.isin(pcs, tones)
        out = None
        if gain:
            out = gain * in_chord
        out = _plus(out, self._clash_bias(tones, in_chord))
        seventh = TRIAD_SEVENTH_ON_BEAT_PENALTIES.get(t.style, 0.0)
        if seventh and on_beat:
            under = t.given_triad_sevenths[slot]
            if under is not None:
                out = _plus(out, -seventh * (pcs == under))
        last = self.melody_last
        again = GIVEN_REPEAT_PENALTIES.get(t.style, 0.0)
        if again and last is not None:
            out = _plus(out, -again * (t.pitch_real == last))
        return _plus(out, self._nonchord_leap_bias(in_chord))

    def _clash_bias(self, tones: list[int], in_chord: np.ndarray) -> np.ndarray | None:
        """Logit offsets for `t.pitch_ids` under a chord whose melody is written over it (the
        musician's, or the drawn approach chord): the style's `CLASH_PENALTIES` for a scale tone a
        semitone from one of the chord's tones outside the key, and in minor for the raised 7th or
        6th over a chord that holds the natural one. None when there is neither."""
        t = self.t
        penalty = CLASH_PENALTIES.get(t.style, 0.0)
        pcs = t.pitch_real % 12
        outside = [tone for tone in tones if tone not in t.natural_scale]
        out = None
        if penalty and outside:
            out = _plus(out, -penalty * (_semitone_from(pcs, outside) & ~in_chord))
        if penalty and t.minor and not t.modal:
            # a minor key's raised 7th or 6th against a chord that holds the natural one (G# over G
            # or Em7, C# over C in E minor): the same clash, the other way round. Minor training
            # tunes' chords (all licences, raised_in_minor.py in docs/notes/2026-12-05-session-42):
            # time on it folk 0.0027 -> 0.0004 (tunes 0), pop 0.0052 -> 0.0017 (0.0037), jazz
            # 0.0098 -> 0.0030 (0.0029); the songwriter helper had heard it over "Am F C G"
            raised = [up for up, natural in ((t.leading_pc, t.subtonic_pc), ((t.leading_pc - 2) % 12, (t.subtonic_pc - 2) % 12))
                      if natural in tones and up not in tones]  # fmt: skip
            if raised:
                out = _plus(out, -penalty * np.isin(pcs, raised))
        return out

    def _nonchord_leap_bias(self, in_chord: np.ndarray) -> np.ndarray | None:
        """The style's `NONCHORD_LEAP_PENALTIES` under a chord the melody is written over: for a leap
        into a pitch outside it (`in_chord` False), and for any leap away from a note outside it."""
        t = self.t
        leap_into, leap_out = NONCHORD_LEAP_PENALTIES.get(t.style, (0.0, 0.0))
        last = self.melody_last
        out = None
        if last is not None and (leap_into or (leap_out and self.melody_outside_chord)):
            leap = np.abs(t.pitch_real - last) > 2
            if leap_into:
                out = _plus(out, -leap_into * (leap & ~in_chord))
            if leap_out and self.melody_outside_chord:
                out = _plus(out, -leap_out * leap)
        return out

    def _pitch_tick(self) -> int:
        """The tick (from the piece's start) where the pitch about to be chosen starts: the cursor,
        or after a position token the note's position."""
        return self.bar * self.t.L + (self.cursor if self.state == _VOICE else self.note_pos)

    def unison_bias(self) -> np.ndarray | None:
        """A lower voice's pitch in unison with the voice just above it, sounding where the note
        starts, loses the voice's `feedback.UNISON_PENALTIES` logits (for `unison_task`, times
        `t.lower_voice_weight`). None for the top voice, without voice leading, when off, or when the
        voice above is silent there."""
        vl = self.vl
        penalties = feedback.UNISON_PENALTIES[self.unison_task]
        penalty = self.t.lower_voice_weight * (penalties[self.v - 1] if 0 < self.v <= len(penalties) else 0.0)
        if vl is None or penalty <= 0:
            return None
        above = vl.pitch_at(self.v - 1, self._pitch_tick())
        if above is None:
            return None
        return np.where(self.t.pitch_real == above, -penalty, 0.0)

    def chord_bias(self) -> np.ndarray | None:
        """Composed chorales: on a beat, a tenor or bass pitch that leaves the voices sounding there
        no triad or seventh chord loses `feedback.CHORDLESS_BEAT_PENALTY` logits (times
        `t.lower_voice_weight`). None elsewhere."""
        t, vl = self.t, self.vl
        penalty = feedback.CHORDLESS_BEAT_PENALTY * t.lower_voice_weight
        if vl is None or self.v < 2 or penalty <= 0 or self.unison_task != "compose":
            return None
        at = self._pitch_tick()
        if at % t.beat_ticks:
            return None
        above = frozenset(p % 12 for p in (vl.pitch_at(u, at) for u in range(self.v)) if p is not None)
        if len(above) < 2:
            return None
        return np.where(_completes_a_chord(above)[t.pitch_real % 12], 0.0, -penalty)

    def semitone_bias(self) -> np.ndarray | None:
        """Composed chorales: on a beat, a lower voice's pitch a semitone (or a major seventh or
        minor ninth) from an upper voice's note struck there too loses
        `feedback.STRUCK_SEMITONE_PENALTY` logits (times `t.lower_voice_weight`); against an upper
        note held into the beat (a suspension, which resolves) it loses none. None elsewhere."""
        t, vl = self.t, self.vl
        penalty = feedback.STRUCK_SEMITONE_PENALTY * t.lower_voice_weight
        if vl is None or self.v < 1 or penalty <= 0 or self.unison_task != "compose":
            return None
        at = self._pitch_tick()
        if at % t.beat_ticks:
            return None
        struck = set()
        for u in range(self.v):
            notes, i = vl.notes[u], bisect.bisect_right(vl.starts[u], at) - 1
            if i >= 0 and notes[i][0] == at < notes[i][1]:
                struck.add(notes[i][2] % 12)
        if not struck:
            return None
        near = np.zeros(12, bool)
        for pc in struck:
            near[(pc + 1) % 12] = near[(pc - 1) % 12] = True
        return np.where(near[t.pitch_real % 12], -penalty, 0.0)

    def suspension_bias(self) -> np.ndarray | None:
        """A composed chorale's bass struck on a beat: where an upper voice holds a note into that
        beat, the pitches a fourth under it get `feedback.SUSPENSION_BIASES` (an inner voice that
        steps down next: the first; the soprano: the second), times `t.lower_voice_weight`. None
        elsewhere."""
        t, vl = self.t, self.vl
        inner, top = feedback.SUSPENSION_BIASES
        if vl is None or self.v != len(t.voices) - 1 or len(t.voices) != 4 or self.unison_task != "compose":
            return None
        at = self._pitch_tick()
        if at % t.beat_ticks or not (inner or top) or t.lower_voice_weight <= 0:
            return None
        out = None
        for u in range(self.v):
            notes, i = vl.notes[u], bisect.bisect_right(vl.starts[u], at) - 1
            if i < 0 or not notes[i][0] < at < notes[i][1]:
                continue  # not held into the beat
            held = notes[i][2]
            if u == 0:
                weight = top
            else:  # an inner voice's suspension resolves by a step down (its next note is written)
                after = notes[i + 1][2] if i + 1 < len(notes) else None
                weight = inner if after is not None and 1 <= held - after <= 2 else 0.0
            if weight:
                out = _plus(out, np.where((held - t.pitch_real) % 12 == 5, weight * t.lower_voice_weight, 0.0))
        return out

    def knot_bias(self) -> np.ndarray | None:
        """A composed chorale's bass after x-y by a semitone, one of them outside the key
        (`t.key_pcs`): x again loses `feedback.BASS_KNOT_PENALTY` logits (times
        `t.lower_voice_weight`). None elsewhere."""
        t, recent = self.t, self.voice_recent[self.v]
        penalty = feedback.BASS_KNOT_PENALTY * t.lower_voice_weight
        if penalty <= 0 or self.vl is None or len(t.voices) != 4 or self.v != 3 or len(recent) < 2:
            return None
        x, y = recent[-2], recent[-1]
        if abs(x - y) != 1 or (x % 12 in t.key_pcs and y % 12 in t.key_pcs):
            return None
        return np.where(t.pitch_real == x, -penalty, 0.0)

    def chromatic_step_bias(self) -> np.ndarray | None:
        """A composed chorale's bass: a pitch outside the key (`t.key_pcs`) a semitone from its last
        note loses `feedback.BASS_CHROMATIC_STEP_PENALTY` logits (times `t.lower_voice_weight`).
        None elsewhere: a harmonized melody's bass already steps so less often than Bach's (1.3
        against 1.8 per 100 beats)."""
        t, recent = self.t, self.voice_recent[self.v]
        penalty = feedback.BASS_CHROMATIC_STEP_PENALTY * t.lower_voice_weight
        if (penalty <= 0 or self.vl is None or len(t.voices) != 4 or self.v != 3 or not recent
                or self.unison_task != "compose"):  # fmt: skip
            return None
        return np.where((np.abs(t.pitch_real - recent[-1]) == 1) & t.pitch_outside_key, -penalty, 0.0)

    def quick_rock_bias(self) -> np.ndarray | None:
        """A chorale's lower voice (composed, and in co-creation with `feedback.QUICK_ROCKS_IN_COCREATE`)
        that has just sung x-y-x in notes of half a beat or less: y again (a quick rock, E-flat F
        E-flat F in eighths) loses the voice's `feedback.QUICK_ROCK_PENALTIES` logits (times
        `t.lower_voice_weight`). None elsewhere."""
        t, recent = self.t, self.voice_recent[self.v]
        penalties = feedback.QUICK_ROCK_PENALTIES
        if self.vl is None or len(t.voices) != 4 or not 0 < self.v <= len(penalties) or not (
                self.unison_task == "compose" or feedback.QUICK_ROCKS_IN_COCREATE):  # fmt: skip
            return None
        penalty = penalties[self.v - 1] * t.lower_voice_weight
        if penalty <= 0 or self.quick_run[self.v] < 3 or len(recent) < 3 or recent[-3] != recent[-1] or recent[-2] == recent[-1]:
            return None
        return np.where(t.pitch_real == recent[-2], -penalty, 0.0)

    def repeat_bias(self) -> np.ndarray | None:
        """A chorale's bass, its next note struck where its last one ends: that pitch again loses
        `feedback.BASS_REPEAT_PENALTIES[0]` logits, and a third strike in a row the second penalty
        besides (times `t.lower_voice_weight`; under a chord plan `PLANNED_BASS_REPEAT_PENALTIES`).
        None for the other voices, after a rest, without voice leading, or when off."""
        t, recent = self.t, self.voice_recent[self.v]
        if self.vl is None or len(t.voices) != 4 or self.v != 3 or self.state != _VOICE or not recent:
            return None
        planned = bool(self.vl.chord_tones)
        again, third = feedback.PLANNED_BASS_REPEAT_PENALTIES if planned else feedback.BASS_REPEAT_PENALTIES
        penalty = t.lower_voice_weight * (again + (third if len(recent) >= 2 and recent[-2] == recent[-1] else 0.0))
        if penalty <= 0:
            return None
        return np.where(t.pitch_real == recent[-1], -penalty, 0.0)

    def third_strike_bias(self) -> np.ndarray | None:
        """A dance's melody that has struck one pitch twice in a row: that pitch a third time loses
        the dance's `feedback.THIRD_STRIKE_PENALTIES` logits. None elsewhere."""
        recent = self.melody_recent
        if not self.t.third_strike_penalty or len(recent) < 2 or recent[-2] != recent[-1]:
            return None
        return np.where(self.t.pitch_real == recent[-1], -self.t.third_strike_penalty, 0.0)

    def echo_bias(self) -> np.ndarray | None:
        """In a continuation's contrasting strain (`echo`: per new bar, {tick: pitch} of the given
        strain's bar at the same place): the pitch the given strain has where this note starts
        loses `CONTRAST_ECHO_PENALTY` logits. None elsewhere."""
        if not self.echo or self.bar not in self.echo:
            return None
        pitch = self.echo[self.bar].get(self.cursor if self.state == _VOICE else self.note_pos)
        if pitch is None:
            return None
        return np.where(self.t.pitch_real == pitch, -CONTRAST_ECHO_PENALTY, 0.0)

    def opening_bias(self) -> np.ndarray | None:
        """At the first bar of a contrasting section (`t.contrast_openings`), once its first
        pitches repeat the opening's (`opening_melody`) all but one of `OPENING_NOTES`: the
        opening's next pitch loses `OPENING_REPEAT_PENALTY` logits. None elsewhere."""
        t = self.t
        k = len(self.bar_melody)
        if (self.bar not in t.contrast_openings or k != OPENING_NOTES - 1 or len(self.opening_melody) < OPENING_NOTES
                or self.bar_melody != self.opening_melody[:k]):  # fmt: skip
            return None
        return np.where(t.pitch_real == self.opening_melody[k], -OPENING_REPEAT_PENALTY, 0.0)

    @property
    def melody_recent(self) -> list[int]:
        """The pitches of the melody's last three notes, oldest first."""
        return self.voice_recent[0]

    @melody_recent.setter
    def melody_recent(self, pitches: list[int]) -> None:
        self.voice_recent[0] = list(pitches)[-3:]

    @property
    def melody_last(self) -> int | None:
        """The pitch of the melody's latest note (None before its first)."""
        return self.melody_recent[-1] if self.melody_recent else None

    def _return_bias(self, recent: list[int], offsets: np.ndarray | None) -> np.ndarray | None:
        """After a voice moved x-y: `offsets[0]` on the pitch x (a return), plus `offsets[1]` when
        the voice went x-y-x before (y again would rock). None when off or nothing to return to."""
        if offsets is None or len(recent) < 2 or recent[-2] == recent[-1]:
            return None
        extra = offsets[0] + (offsets[1] if len(recent) >= 3 and recent[-3] == recent[-1] else 0.0)
        if extra == 0.0:  # a voice without offsets (the shipped alto and tenor): no array, no logits copy
            return None
        return extra * (self.t.pitch_real == recent[-2])

    def _move_sizes(self, last: int) -> np.ndarray:
        """For each of `t.pitch_ids`, the interval-offset bucket of a move to it from the pitch
        `last`: its size in semitones, 13 and more in the last bucket."""
        return np.minimum(np.abs(self.t.pitch_real - last), INTERVAL_BUCKETS - 1)

    def interval_bias(self) -> np.ndarray | None:
        """Logit offsets for `t.pitch_ids`: each pitch gets the style's offset for the interval it
        makes from the melody's latest note (`set_interval_feedback`); after two different
        pitches x-y, the pitch x (a return) gets the return offset too, and after x-y-x the pitch
        y (a rock) the rock offset besides. The first note after a rest of an eighth or more also
        gets the style's offset for that interval after a rest (`rest_interval_offsets`). None when
        off or first."""
        t = self.t
        recent = self.melody_recent
        if (t.interval_offsets is None and t.rest_interval_offsets is None) or not recent:
            return None
        sizes = self._move_sizes(recent[-1])
        after_rest = None
        if t.rest_interval_offsets is not None and self.melody_end is not None \
                and self._pitch_tick() - self.melody_end >= TICKS_PER_BEAT // 2:  # an eighth's rest or more
            after_rest = t.rest_interval_offsets[sizes]  # a phrase's first note: its own offsets besides
        if t.interval_offsets is None:
            return after_rest
        out = t.interval_offsets[sizes]
        back = self._return_bias(recent, t.return_offsets)
        out = out if back is None else out + back
        return out if after_rest is None else out + after_rest

    def rhythm_bias(self) -> np.ndarray | None:
        """Logit offsets for `t.dur_ids` that steer the current voice's share of each note length
        back toward the style's (`set_rhythm_feedback`; none before RHYTHM_MIN_NOTES notes in the
        voice), plus a dance's offsets for each length after the class of the voice's note before
        (`t.length_moves`), or None (both off, or not before a length)."""
        t = self.t
        if self.state != _PITCH:
            return None
        out = None
        if t.rhythm_target is not None:
            counts = self.dur_counts[self.v]
            total = counts.sum()
            if total >= RHYTHM_MIN_NOTES:
                out = _steer(t.rhythm_target[self.v], counts / total, t.rhythm_gain)
        before = self.last_length_class[self.v]
        if t.length_moves is not None and before >= 0:
            out = t.length_moves[before] if out is None else out + t.length_moves[before]
        # (a dance's rules: not in the last bar, nor in a cadence bar unless `RHYTHM_RULES_AT_CADENCES`)
        dance_rules_here = self.bar < t.n_bars - 1 and (t.rhythm_rules_at_cadences or self.bar not in self.cadence_bars)
        if t.long_note_penalty and self.v == 0 and dance_rules_here:
            # a dance (a reel) holds a long note only at its end (`MID_PHRASE_LONG_NOTE_PENALTIES`; in its
            # cadence bars too where `RHYTHM_RULES_AT_CADENCES` says so)
            out = _plus(out, -t.long_note_penalty * (t.dur_ticks >= 2 * TICKS_PER_BEAT))
        if (t.slow_bar_penalty and self.v == 0 and dance_rules_here
                and 2 * self.note_pos >= t.L and self.melody_by_bar and self.melody_by_bar[-1]
                and all(ticks >= t.beat_ticks for _, ticks, _ in self.melody_by_bar[-1])):
            # a reel's bar runs in eighths: its second half does not go on in beats (`SLOW_BAR_PENALTIES`)
            out = _plus(out, -t.slow_bar_penalty * (t.dur_ticks >= t.beat_ticks))
        if (t.second_long_note_penalty and self.v == 0 and dance_rules_here and self.melody_by_bar
                and any(ticks >= t.beat_ticks for _, ticks, _ in self.melody_by_bar[-1])):
            # a reel's bar holds one long note at most (`SECOND_LONG_NOTE_PENALTIES`)
            out = _plus(out, -t.second_long_note_penalty * (t.dur_ticks >= t.beat_ticks))
        if t.rare_length_offsets is not None and self.v == 0 and self.bar < t.n_bars - 1:
            # a length the dance's tunes seldom play (`RARE_LENGTH_PENALTIES`), but in the last bar
            out = _plus(out, t.rare_length_offsets)
        return _plus(out, self.passing_length_bias(), self.approach_length_bias(), self.avoid_note_length_bias(),
                     self.restrike_length_bias(), suspensions.length_bias(self))

    def restrike_length_bias(self) -> np.ndarray | None:
        """Logit offsets for `t.dur_ids`: a four-part bass under a chord plan (harmonize) loses
        `feedback.BASS_RESTRIKE_LENGTH_PENALTY` for each length that would end where the plan's
        chord sounding then sets the bass on this note's pitch class again (its planned line's
        note, else the chord's `planned_bass_pc`), where the note would only be struck again.
        None for the other voices, without a plan, or when off."""
        t, vl = self.t, self.vl
        penalty = feedback.BASS_RESTRIKE_LENGTH_PENALTY
        if not penalty or vl is None or not vl.chord_tones or len(t.voices) != 4 or self.v != 3:
            return None
        at = self.bar * t.L + self.note_pos
        pc = self.pitch % 12
        again = np.zeros(len(t.dur_ticks), bool)
        for i, end in enumerate(at + t.dur_ticks):
            tick = vl.planned_before(int(end))
            if tick is None:
                continue
            planned = vl.planned_bass.get(tick) if tick == end else None
            again[i] = (planned if planned is not None else planned_bass_pc(vl.chord_tones[tick])) == pc
        return -penalty * again if again.any() else None

    def _length_loss(self, gain: float) -> np.ndarray:
        """Logit offsets for `t.dur_ids`: `gain` lost per doubling of a note's length beyond half a
        beat (a passing note is short; `passing_length_bias`, `approach_length_bias`,
        `avoid_note_length_bias`)."""
        t = self.t
        return -gain * np.clip(np.log2(t.dur_ticks / (t.beat_ticks / 2)), 0.0, None)

    def avoid_note_length_bias(self) -> np.ndarray | None:
        """Logit offsets for `t.dur_ids`: a melody note struck on a beat a perfect fourth over the
        root of the composer's own major chord sounding there loses the style's
        `AVOID_NOTE_LENGTH_GAINS` per doubling of its length beyond half a beat. None elsewhere,
        under the musician's chords (their own rules), and without the tonal feedback."""
        t = self.t
        gain = AVOID_NOTE_LENGTH_GAINS.get(t.style, 0.0) * (t.tonal_weight > 0)
        if not gain or self.v != 0 or t.voice_leading or t.given_chord_pcs is not None or self.note_pos % t.beat_ticks:
            return None
        chord = self._symbol_at(self.note_pos)
        if chord is None or chord[1] or (self.pitch - chord[0]) % 12 != 5:
            return None
        return self._length_loss(gain)

    def approach_chord_bias(self) -> np.ndarray | None:
        """Logit offsets for `t.pitch_ids`: under the drawn chord before the final tonic chord
        (`approach_chord`, which the composer wrote before the melody of its bar), a melody pitch
        gains the style's on-beat `GIVEN_CHORD_TONE_GAINS` where it is a tone of that chord's triad,
        as under a chord the musician gave, and in `APPROACH_CLASH_STYLES` keeps from its clashes
        and leaps (`_clash_bias`, `_nonchord_leap_bias`). None elsewhere, and without the tonal
        feedback (turned off for the tuner, whose takes are scored by the model's masked
        distribution alone): in `APPROACH_CLASH_STYLES` the request's weight, elsewhere the style's."""
        t = self.t
        on = t.tonal_weight > 0 if t.style in APPROACH_CLASH_STYLES else t.tonal_target is not None and t.tonal_gain > 0
        gain = APPROACH_CHORD_TONE_GAIN_SCALE * GIVEN_CHORD_TONE_GAINS.get(t.style, (0.0, 0.0))[0] * on
        tones = self._under_approach(self.cursor if self.state == _VOICE else self.note_pos) if gain else None
        if tones is None:
            return None
        in_chord = np.isin(t.pitch_real % 12, list(tones))
        out = gain * in_chord
        if t.style in APPROACH_CLASH_STYLES:
            out = _plus(out, self._clash_bias(list(tones), in_chord), self._nonchord_leap_bias(in_chord))
        return out

    def _under_approach(self, pos: int) -> frozenset[int] | None:
        """The triad of the drawn approach chord (`approach_chord`) where it sounds at tick `pos` of
        the melody's current bar (the approach's bar), else None."""
        t = self.t
        if self.approach_chord is None or self.v != 0 or t.given_chord_pcs is not None:
            return None
        approach = self._approach_roots()
        if approach is None:
            return None
        chord = self._symbol_at(pos)
        if chord is None or chord[0] not in {t.root_pc[r] for r in approach}:
            return None
        return self._chord_tones_at(pos)

    def approach_length_bias(self) -> np.ndarray | None:
        """Logit offsets for `t.dur_ids`: under the drawn approach chord a melody note outside it
        loses the style's `NONCHORD_LENGTH_GAINS` per doubling of its length beyond half a beat, as
        under a chord the musician gave (`passing_length_bias`). None elsewhere, and without the
        request's tonal feedback (`APPROACH_CLASH_STYLES`) or else the style's rhythm feedback."""
        t = self.t
        # on with the request's tonal feedback weight, as the pitch leaning is (the tuner sets it to
        # 0): pop and jazz have no rhythm feedback, nor pop a minor profile, and with those as the
        # switch a long A over Em in A minor had gone unchecked
        on = t.tonal_weight > 0 if t.style in APPROACH_CLASH_STYLES else t.rhythm_target is not None
        gain = NONCHORD_LENGTH_GAINS.get(t.style, 0.0) * on
        tones = self._under_approach(self.note_pos) if gain else None  # (every length choice: the cheap test first)
        if tones is None or self.pitch % 12 in tones:
            return None
        return self._length_loss(gain)

    def _given_at(self, bar: int, pos: int) -> tuple[int, int]:
        """(tick in the bar where it starts, slot) of the musician's chord sounding at tick `pos` of
        whole bar `bar`: the bars of chords cycle from the first whole bar, and a bar's later chords
        start at their positions (`_Tables.given_bars`)."""
        placed = self.t.given_bars[(bar - self.t.bar_offset) % len(self.t.given_bars)]
        return next((tick, slot) for tick, slot in reversed(placed) if tick <= pos)

    def _chord_pcs_at(self, bar: int, pos: int):
        """The pitch classes of the musician's chord sounding at tick `pos` of whole bar `bar` (None
        under no chord: N.C.)."""
        return self.t.given_chord_pcs[self._given_at(bar, pos)[1]]

    def _chord_tones_at(self, pos: int) -> frozenset[int]:
        """The pitch classes of the chord sounding at tick `pos` of this bar: the musician's (none
        under N.C.), else the triad of the composer's own chord symbol (its root and whether it is
        minor: `bar_chords`); none without chords."""
        t = self.t
        if t.given_chord_pcs is not None and self.bar >= t.bar_offset:
            return frozenset(self._chord_pcs_at(self.bar, pos) or ())
        chord = self._symbol_at(pos)
        if chord is None:
            return frozenset()
        return frozenset((chord[0] + i) % 12 for i in (0, 3 if chord[1] else 4, 7))

    def _symbol_at(self, pos: int) -> tuple[int, bool] | None:
        """(root pitch class, minor) of the chord symbol sounding at tick `pos` of this bar, from
        the chord tokens written so far (`bar_chords`, else the bar before's last); None before
        any, or where the musician's chords say N.C."""
        if self._under_no_chord(pos):  # N.C.: the chord before it no longer sounds
            return None
        return next((c[1:] for c in reversed(self.bar_chords) if c[0] <= pos), self.chord_before)

    def _under_no_chord(self, pos: int) -> bool:
        """Whether the musician's chords say no chord (N.C.) at tick `pos` of this bar."""
        t = self.t
        return t.given_chord_pcs is not None and self.bar >= t.bar_offset and self._chord_pcs_at(self.bar, pos) is None

    def _given_changes(self, bar: int, pos: int):
        """(tick from the piece's start, slot) of each change of the musician's chords after tick
        `pos` of bar `bar`, to the end of the piece: the bar's later chords, then each bar's."""
        t = self.t
        for b in range(bar, t.n_bars):
            for tick, slot in t.given_bars[(b - t.bar_offset) % len(t.given_bars)]:
                if b > bar or tick > pos:
                    yield b * t.L + tick, slot

    def _copy_fits(self, src: int) -> bool:
        """Whether bar `src`'s melody may be repeated in this bar: always, but under the musician's
        chords only where at least `COPY_FIT_SHARES` of its time sits on tones of this bar's chord."""
        t = self.t
        least = COPY_FIT_SHARES.get(t.style, 0.0)
        if not least or t.voice_leading or t.given_chord_pcs is None or self.bar < t.bar_offset or src < t.bar_offset:
            return True
        notes = self.melody_by_bar[src] if src < len(self.melody_by_bar) else []
        total = sum(ticks for _, ticks, _ in notes)
        # each note's time under the chord this bar has at the same place (a bar may hold two)
        changes = [tick for tick, _ in t.given_bars[(self.bar - t.bar_offset) % len(t.given_bars)]] + [self.bar_len()]
        # (under no chord, N.C., any note fits)
        fit = sum(max(0, min(at + ticks, end) - max(at, start))
                  for pitch, ticks, at in notes for start, end in itertools.pairwise(changes)
                  if pitch % 12 in (self._chord_pcs_at(self.bar, start) or range(12)))  # fmt: skip
        return total == 0 or fit >= least * total

    def passing_length_bias(self) -> np.ndarray | None:
        """Logit offsets for `t.dur_ids`: under the musician's chords, a lead sheet melody note
        outside the chord it starts under loses the style's `NONCHORD_LENGTH_GAINS` per doubling of
        its length beyond half a beat, and one outside the next chord its `HELD_INTO_PENALTIES` for
        a length that holds it into that chord (later in the bar, or the next bar's first). None
        when off, or without given chords."""
        t = self.t
        gain = NONCHORD_LENGTH_GAINS.get(t.style, 0.0)
        held = HELD_INTO_PENALTIES.get(t.style, 0.0)
        if (gain <= 0 and held <= 0) or self.v != 0 or t.voice_leading or t.given_chord_pcs is None or self.bar < t.bar_offset:
            return None
        out = None
        under = self._chord_pcs_at(self.bar, self.note_pos)
        if gain > 0 and under is not None and self.pitch % 12 not in under:
            out = self._length_loss(gain)
        if held > 0:  # into the next chord: later in the bar, or the next bar's first
            change = next(self._given_changes(self.bar, self.note_pos), None)
            if change is None:  # the last chord of the piece: the next bar's, as the chords cycle
                change = ((self.bar + 1) * t.L, self._given_at(self.bar + 1, 0)[1])
            into = t.given_chord_pcs[change[1]]
            if into is not None and self.pitch % 12 not in into:  # (into no chord, N.C., nothing clashes)
                loss = held + (HELD_INTO_CLASH_PENALTY if self._clashes_with(change[1], self.pitch % 12) else 0.0)
                out = _plus(out, -loss * (self.bar * t.L + self.note_pos + t.dur_ticks > change[0]))
        return out

    def _clashes_with(self, chord: int, pc: int) -> bool:
        """Whether pitch class `pc`, not a tone of given chord `chord` (an index of
        `t.given_chord_pcs`), lies a semitone above one of its tones, but the flat ninth of a chord
        with a major third and a minor seventh (`HELD_INTO_CLASH_PENALTY`)."""
        t = self.t
        tones = t.given_chord_pcs[chord]
        if tones is None or (pc - 1) % 12 not in tones:
            return False
        root = t.given_roots[chord]
        dominant = root is not None and {(root + 4) % 12, (root + 10) % 12} <= set(tones)
        return not (dominant and pc == (root + 1) % 12)

    def draw_ending(self, rng) -> None:
        """Draw this take's closing melody degree from the style's shares (`FINAL_DEGREE_SHARES`),
        the least length of its last note (`FINAL_LENGTH_SHARES`), how it is approached and
        closed (thirds, bass and melody approach, final chord) and, where the style modulates
        (`set_modulation`), the related key and bars of a passage away from home."""
        endings = self.t.final_endings
        if endings:
            k = int(rng.choice(len(endings), p=[w for _, w in endings]))
            self.final_pcs = endings[k][0]
            self.final_degree = self.t.final_names[k]
        thirds = self.t.final_thirds
        if thirds:
            self.final_third = thirds[int(rng.choice(len(thirds), p=[w for _, w in thirds]))][0]
        approaches = self.t.final_approaches
        if approaches:
            self.bass_approach = approaches[int(rng.choice(len(approaches), p=[w for _, w in approaches]))][0]
        lengths = self.t.final_lengths
        if lengths:
            k = int(rng.choice(len(lengths), p=[w for _, w in lengths]))
            # struck on the grid and held to the end, the last note lasts a whole number of grid
            # steps: a chorale's three beats in a full 4/4 bar become the bar (struck on beat 1, not 2)
            grid = self.t.strike_grid
            self.final_ticks = min(self.t.last_L, -(-lengths[k][0] // grid) * grid)
            if self.t.last_L < self.t.L:
                # a last bar short by the pickup: the last note is struck on the latest beat of the
                # meter that leaves it the drawn length (short by a quarter-beat pickup, a drawn half
                # note would start a quarter-beat off it); from the length as drawn, not as rounded
                # up to the grid, which had held every jig's last note through its whole short bar
                beat = self.t.last_beat
                drawn = min(lengths[k][0], self.t.last_L) if SHORT_LAST_BAR_FROM_THE_DRAWN_LENGTH else self.final_ticks
                self.final_ticks = self.t.last_L - (self.t.last_L - drawn) // beat * beat
            if self.t.given_bars is not None and self.t.n_bars - 1 >= self.t.bar_offset:
                # under a given last bar of two chords the last note starts with the last chord (a jig's
                # closing D had been struck over "A D"'s A and held through the D)
                last_chord = self._given_at(self.t.n_bars - 1, self.t.last_L - 1)[0]
                if 0 < last_chord < self.t.last_L:
                    self.final_ticks = min(self.final_ticks, self.t.last_L - last_chord)
        melody_approaches = self.t.melody_approaches
        if melody_approaches and self.final_ticks is not None:
            # from a child generator: the sampling stream stays as it was, so a take differs from
            # one without the rule only where its ending does
            k = int(rng.spawn(1)[0].choice(len(melody_approaches), p=[w for _, w in melody_approaches]))
            self.melody_approach = melody_approaches[k][0]
        chords = self.t.final_chords.get(self.final_degree or "")
        if chords and self.final_pcs is not None:  # also from a child generator
            k = int(rng.spawn(1)[0].choice(len(chords), p=[o[-1] for o in chords]))
            self.final_chord = chords[k][0]
            self.final_pcs = self.final_pcs & chords[k][3]  # the melody closes on a tone of it
        approach_chords = self.t.approach_chords
        if approach_chords and self.final_chord in (None, "I"):  # before a final tonic chord, also from a child generator
            k = int(rng.spawn(1)[0].choice(len(approach_chords), p=[w for _, _, w in approach_chords]))
            self.approach_chord = approach_chords[k][0]
            child = rng.spawn(1)[0]
            self.approach_start = "downbeat" if child.random() < self.t.approach_downbeat_share else "later"
            bars = [(k, w) for k, w in self.t.approach_tonic_bars if self.t.n_bars - 1 - k >= self.t.bar_offset]
            total = sum(w for _, w in bars)
            self.tonic_bars = bars[int(child.choice(len(bars), p=[w / total for _, w in bars]))][0] if total else 1
        approaches = self.t.soprano_approaches
        if approaches and self.final_degree == "root":  # also from a child generator
            k = int(rng.spawn(1)[0].choice(len(approaches), p=[w for _, w in approaches]))
            self.soprano_approach = approaches[k][0]
        if self.t.modulations:  # a passage in a related key (`set_modulation`), also from a child generator
            child = rng.spawn(1)[0]
            k = int(child.choice(len(self.t.modulations), p=[w for _, w in self.t.modulations]))
            start = int(self.t.modulation_starts[int(child.integers(len(self.t.modulation_starts)))])
            self._set_modulation((self.t.modulations[k][0], start, start + self.t.modulation_span))
        opening = self.t.opening_share
        if opening is not None:  # a lead sheet's first chord, also from a child generator
            self.opening = "tonic" if rng.spawn(1)[0].random() < opening else "other"
        share = getattr(self.t, "half_close_share", 0.0)
        if share and self.may_half_close:  # a minor chorale's close on V, also from a child generator
            child = rng.spawn(1)[0]
            if child.random() < share:
                self._set_half_close()
                self.bass_approach = self.soprano_approach = None  # Bach's come from several degrees
                thirds = list(FINAL_HALF_CLOSE_THIRD_SHARES.items())
                self.final_third = thirds[int(child.choice(len(thirds), p=[w for _, w in thirds]))][0]
        contrast = self.t.contrast_share
        if contrast is not None:  # a contrasting section's first chord, also from a child generator
            self.contrast_opening = "tonic" if rng.spawn(1)[0].random() < contrast else "other"
        strain = getattr(self.t, "strain_ends", None)
        if strain:  # how each strain inside the piece ends, also from a child generator
            child = rng.spawn(1)[0]
            for bar in self.t.cadence_bars:
                if bar < self.t.n_bars - 1 and self.t.bar_cadence[bar] in ("open", "closed"):
                    kind, pcs, _ = strain[int(child.choice(len(strain), p=[w for *_, w in strain]))]
                    self.strain_ends[bar] = (kind, pcs)
        if self.t.span_choices:  # the melody's span, also from a child generator
            self.span_cap = int(rng.spawn(1)[0].choice(self.t.span_choices))
        shares = getattr(self.t, "restated_openings", ())
        if shares and self.t.strain_starts:  # a dance strain's second phrase, from a child generator (the last)
            picks = _drawn_each(rng.spawn(1)[0], shares, len(self.t.strain_starts))
            self._set_restated(dict(zip(self.t.strain_starts, picks)))
        approaches = phrase_cadences.half_close_approach_shares(self.t)
        if approaches:  # the bass into each half close inside a composed chorale, from a child generator (the last)
            bars = [b for b in sorted(self.t.phrase_bars) if self.t.bar_cadence[b] == "open"]
            self.phrase_approaches = dict(zip(bars, _drawn_each(rng.spawn(1)[0], approaches, len(bars))))

    def _set_restated(self, restated: dict[int, int]) -> None:
        """Restate each strain's opening bars (`restated`: its first bar -> how many) at its second
        phrase, four bars on, as bars the take copies (`RESTATED_OPENINGS`)."""
        self.restated = {int(b): int(k) for b, k in restated.items() if k}
        if not self.restated:
            return
        copy_from = list(self.t.copy_from)
        for start, k in self.restated.items():
            for o in range(k):
                if start + 4 + o < len(copy_from) and copy_from[start + 4 + o] is None:
                    copy_from[start + 4 + o] = start + o
        self.copy_from, self.next_copy, self.run_sources = copy_from, _next_copies(copy_from), _run_sources(copy_from)

    def _set_half_close(self) -> None:
        """Close on V (the last bar's cadence "open"), the soprano on the dominant; the last
        length stays as drawn, the final third is the dominant's (`_inner_closing_pcs`)."""
        self.half_close = True
        self.final_pcs = frozenset({(self.t.tonic_pc + 7) % 12})
        self.final_degree = "fifth"

    def drawn_ending(self) -> dict:
        """What `draw_ending` drew, as a take's meta records it (replaying the automaton needs it)."""
        out = {"closing_pcs": sorted(self.final_pcs) if self.final_pcs is not None else None,
               "closing_degree": self.final_degree, "final_ticks": self.final_ticks,
               "final_third": self.final_third, "bass_approach": self.bass_approach,
               "melody_approach": self.melody_approach, "final_chord": self.final_chord,
               "approach_chord": self.approach_chord, "approach_start": self.approach_start,
               "tonic_bars": self.tonic_bars,
               "soprano_approach": self.soprano_approach,
               "half_close": True if self.half_close else None, "opening_chord": self.opening,
               "contrast_chord": self.contrast_opening, "melody_span": self.span_cap,
               "modulation": list(self.modulation) if self.modulation else None,
               "strain_ends": [[b, k, sorted(pcs)] for b, (k, pcs) in sorted(self.strain_ends.items())] or None,
               "restated": [[b, k] for b, k in sorted(self.restated.items())] or None,
               "phrase_approaches": [[b, d] for b, d in sorted(self.phrase_approaches.items())] or None}  # fmt: skip
        return {k: v for k, v in out.items() if v is not None}

    def replay_ending(self, drawn: dict) -> None:
        """Set what a take drew (its meta, `drawn_ending`) instead of drawing it."""
        if drawn.get("closing_pcs") is not None:
            self.final_pcs = frozenset(drawn["closing_pcs"])
        if drawn.get("final_ticks") is not None:
            self.final_ticks = int(drawn["final_ticks"])
        self.final_degree = drawn.get("closing_degree")
        self.final_third = drawn.get("final_third")
        self.bass_approach = drawn.get("bass_approach")
        self.melody_approach = drawn.get("melody_approach")
        self.final_chord = drawn.get("final_chord")
        self.approach_chord = drawn.get("approach_chord")
        self.approach_start = drawn.get("approach_start")
        self.tonic_bars = drawn.get("tonic_bars")
        self.soprano_approach = drawn.get("soprano_approach")
        if drawn.get("half_close"):
            self._set_half_close()
        self.opening = drawn.get("opening_chord")
        self.contrast_opening = drawn.get("contrast_chord")
        self.span_cap = drawn.get("melody_span")
        self.strain_ends = {int(b): (str(k), frozenset(int(pc) for pc in pcs)) for b, k, pcs in drawn.get("strain_ends") or ()}
        self._set_restated({int(b): int(k) for b, k in drawn.get("restated") or ()})
        self.phrase_approaches = {int(b): int(d) for b, d in drawn.get("phrase_approaches") or ()}
        mod = drawn.get("modulation")
        self._set_modulation((str(mod[0]), int(mod[1]), int(mod[2])) if mod else None)

    def _set_modulation(self, modulation: tuple[str, int, int] | None) -> None:
        """The passage this take modulates in (None: none); its last bar is a cadence bar."""
        self.modulation = modulation
        self.cadence_bars = take_cadence_bars(self.t, modulation)

    def _opening_roots(self, roots: np.ndarray) -> np.ndarray:
        """`roots` for the first chord after any pickup, and for a contrasting section's first
        chord, as the take drew them: the tonic's, or any other; `roots` elsewhere."""
        bridge = self._contrast_opens()
        drawn = self.contrast_opening if bridge else None
        if drawn is None and not (self.opening is None or self.opened or self.bar < self.t.bar_offset):
            drawn = self.opening
        if drawn is None:
            return roots
        tonic = self.t.kinds["closed"][1]
        if drawn == "tonic":
            return tonic
        other = np.setdiff1d(roots, tonic)
        if bridge and self.first_root is not None:
            # ... nor on the chord the piece opened on (jazz bridges had opened on the A's ii again
            # in 10 of 36 takes; the valid standards in 4 of 59, Billboard's bridges 29 of 197 on their verse's)
            away = other[np.array([self.t.root_pc.get(int(i)) != self.first_root for i in other], dtype=bool)]
            other = away if len(away) else other
        return other

    def _contrast_opens(self) -> bool:
        """Whether the chord being chosen is a contrasting section's first (`t.contrast_openings`),
        on its first downbeat, and the take drew how it opens; a cadence or the close's approach
        there wins (a short B strain's first bar may play the approach the second B closes with)."""
        return (self.contrast_opening is not None and self.bar in self.t.contrast_openings and not self.bar_chords
                and self._cadence() is None and self._approach_roots() is None and not self._tonic_bar())  # fmt: skip

    def _approach_bar(self) -> int:
        """The bar the drawn approach chord closes (`approach_chord`): the one before the bars of
        the final tonic chord (`tonic_bars`: the last bar, or the last two)."""
        return self.t.n_bars - 1 - (self.tonic_bars or 1)

    def _approach_roots(self) -> np.ndarray | None:
        """Root ids of the drawn chord before the final tonic chord (`approach_chord`) while its bar
        (`_approach_bar`) is written, else None. That bar's last chord has this root ("G A7 | D",
        "G | C | C" with two tonic bars drawn): a chord after the bar's downbeat has it, and the
        bar's chords end once one has it (the chord sounding into the bar counts); after any other
        chord the approach follows on a beat. The tunes resolve it inside its bar ("G C | C") at most
        0.05 of the time (jazz; folk 0.002, pop none)."""
        t = self.t
        if (self.approach_chord is None or self._close_bar() != self._approach_bar() or self.bar < t.bar_offset
                or self._cadence() is not None):  # fmt: skip
            return None
        return next((roots for degree, roots, _ in t.approach_chords or () if degree == self.approach_chord), None)

    def _tonic_bar(self) -> bool:
        """Whether the current bar lies between the approach chord's bar and the last one: the
        final tonic chord sounds through it (a pop song's "G | C | C")."""
        t = self.t
        return (self.approach_chord is not None and self._approach_bar() < self._close_bar() < t.n_bars - 1
                and self.bar >= t.bar_offset and self._cadence() is None)  # fmt: skip

    def _close_bar(self) -> int:
        """The bar of the close the current bar plays: itself, or the later bar from the approach's
        on that the form repeats it in (the first B strain's seventh bar, which the second B plays
        again: the close had broken the repeat, a jig's A A B B ending B B')."""
        t = self.t
        later = range(self._approach_bar(), t.n_bars - 1)
        return next((b for b in later if b < len(self.copy_from) and self.copy_from[b] == self.bar), self.bar)

    def _approach_positions(self, lo: int) -> np.ndarray:
        """Position ids from tick `lo` on in the approach's bar where a chord may start: the meter's
        beats."""
        t = self.t
        ticks = np.arange(lo, self.bar_len())
        return t.pos[ticks[ticks % t.beat_ticks == 0]]

    def _on_approach(self, approach: np.ndarray) -> bool:
        """Whether the approach's bar's chords so far end on the approach: its last chord, else the
        one sounding into it. (A tonic struck after an approach from the bar before had counted as
        the close: it held two bars where the take drew one, an AABA song's Bb7 | Eb | Eb.)"""
        t = self.t
        sounding = [c[1] for c in self.bar_chords] or ([self.chord_before[0]] if self.chord_before is not None else [])
        return bool(sounding) and sounding[-1] in {t.root_pc[r] for r in approach}

    def _final_chord_ids(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(root ids, quality ids) of the drawn closing chord in the last bar, else None (the
        closing cadence's tonic chord, or no cadence)."""
        if self.final_chord is None or self.bar != self.t.n_bars - 1 or self._cadence() != "closed":
            return None
        for chord, roots, quals, _, _ in self.t.final_chords.get(self.final_degree or "", ()):
            if chord == self.final_chord:
                return roots, quals
        return None

    def _closing_pcs(self, kind: str, bar: int | None = None) -> frozenset:
        """Pitch classes that close the current voice's bar (or cadence bar `bar`'s phrase) under
        cadence `kind`."""
        t = self.t
        bar = self.bar if bar is None else bar
        if self.half_close and kind == "open" and self.bar == t.n_bars - 1:
            if self.v == 0:
                return self.final_pcs
            if self.final_third is not None and self.v < len(t.voices) - 1 and self.vl is not None:
                return self._inner_closing_pcs()
        if kind == "closed" and self.bar == t.n_bars - 1:
            if self.final_pcs is not None and self.v == 0:
                return self.final_pcs
            if self.final_third is not None and 0 < self.v < len(t.voices) - 1 and self.vl is not None:
                return self._inner_closing_pcs()
        if self.v == 0 and bar in self.strain_ends and self.strain_ends[bar][0] == kind:
            return self.strain_ends[bar][1]  # the strain's drawn end (`draw_ending`)
        pcs = t.kinds[kind][0][self.v]
        if self.v == 0 and bar in t.phrase_bars and kind in ("open", "closed"):  # (not a passage's own)
            # a phrase's soprano closes on a tone of the tonic's triad or the dominant's, and the
            # voices below make the cadence it implies (`_cadence_at`): held to the tonic or to V's
            # triad by turns, the composed sopranos had leapt to reach it
            return t.kinds["closed"][0][1] | t.kinds["open"][0][1]
        if t.voice_leading and self.vl is not None and self.v == len(t.voices) - 2 and bar < t.n_bars - 1:
            # inside the piece the tenor completes the cadence chord: its third if no voice above
            # sings it where the phrase ends or where this note starts (the bass takes the root),
            # and never a second leading tone. Composed chorales' phrase-end chords had been whole
            # triads at 0.58 of the fermatas, Bach's at 0.91 (`musician_checks.py fermatas`)
            root = next(iter(t.kinds[kind][0][-1]))
            ticks = (bar * t.L + self._phrase_end(bar) - 1, self.bar * t.L + self.note_pos)
            above = {p % 12 for at in ticks for p in (self.vl.pitch_at(u, at) for u in range(self.v)) if p is not None}
            thirds = [pc for pc in pcs if (pc - root) % 12 in (3, 4)]
            if thirds and thirds[0] not in above:
                return frozenset(thirds)
            if thirds and thirds[0] == t.leading_pc and len(pcs) > 1:
                return pcs - {t.leading_pc}
        return pcs

    def _inner_cadence(self, kind: str, voice: int) -> tuple[int, set[int]] | None:
        """(the cadence chord's root, the pitch classes the voices above sing where the phrase
        ends) when the current voice is `voice` at a phrase's cadence inside a piece written with
        voice leading, else None: what `_unsung_by_the_soprano` and `_missing_fifth` complete."""
        t = self.t
        if not (t.voice_leading and self.vl is not None and self.v == voice and self.bar < t.n_bars - 1):
            return None
        root = next(iter(t.kinds[kind][0][-1]), None) if kind in t.kinds else None
        if root is None:
            return None
        end = self.bar * t.L + self._phrase_end(self.bar) - 1
        return root, {p % 12 for u in range(self.v) for p in [self.vl.pitch_at(u, end)] if p is not None}

    def _unsung_by_the_soprano(self, kind: str) -> frozenset | None:
        """The alto at a phrase's cadence inside a four-part piece: the cadence chord's third and
        fifth that the soprano does not sing where the phrase ends, which it takes where the voice
        leading allows (the tenor then completes the chord: `_closing_pcs`, `_missing_fifth`), else
        None. Free among the chord's tones, the alto had doubled the soprano's root, and the tenor
        could supply only one of the other two: of 69 incomplete chords at 350 composed inner
        fermatas, 42 had soprano and alto on the bass's pitch class
        (`docs/notes/2026-12-03-session-33/fermata_gaps.py`)."""
        cadence = self._inner_cadence(kind, 1) if len(self.t.voices) == 4 else None
        if cadence is None or not cadence[1]:  # (a soprano silent there leaves nothing to avoid)
            return None
        root, soprano = cadence
        rest = frozenset(pc for pc in self._closing_pcs(kind) if pc != root and pc not in soprano)
        return rest or None

    def _missing_fifth(self, kind: str) -> frozenset | None:
        """The tenor at a phrase's cadence inside the piece, where a voice above sings the chord's
        third and none its fifth: the fifth's pitch class, which it takes where the voice leading
        allows (the bass takes the root), else None. With the third alone required of it, the
        tenor had doubled the root or the third, and 0.28 of the composed fermata chords lacked
        their fifth (G-B-G-G), Bach's 0.10 (`docs/notes/2026-12-03-session-31/fermata_chords.py`)."""
        cadence = self._inner_cadence(kind, len(self.t.voices) - 2)
        if cadence is None:
            return None
        root, above = cadence
        fifths = frozenset(pc for pc in self._closing_pcs(kind) if (pc - root) % 12 == 7 and pc not in above)
        if fifths and any((pc - root) % 12 in (3, 4) for pc in above):
            return fifths
        return None

    def _inner_closing_pcs(self) -> frozenset:
        """An inner voice's closing pitch classes in a four-part final chord of the drawn third:
        root and fifth, and the third unless "none"; the last inner voice takes the third if no
        voice above sings it, else the fifth if none does (unless it would reach it in parallel
        fifths with the bass); a third sung above is not doubled. A soprano that closes on a third
        keeps the chord's third its own."""
        t = self.t
        root = (t.tonic_pc + 7) % 12 if self.half_close else t.tonic_pc  # a half close: V's
        fifth = (root + 7) % 12
        # the voices above as the final chord strikes, not at the bar's end: a hymn whose last bar
        # ends in a rest after the fermata (a full bar, padded as notation programs write it) had
        # the soprano silent there and the alto on a note after the chord, so the tenor doubled
        # the alto's third and the fifth went missing (Adeste fideles: G2 B3 B3 G4, session 40)
        at = self.final_chord_tick() if self.final_ticks is not None else self.end_tick() - 1
        above = {p % 12 for p in (self.vl.pitch_at(u, at) for u in range(self.v)) if p is not None}
        thirds = {(root + 3) % 12, (root + 4) % 12}
        sung = above & thirds
        third = next(iter(sung)) if sung else {"major": (root + 4) % 12, "minor": (root + 3) % 12}.get(self.final_third)
        if third is None or (self.half_close and sung):  # V's third is the leading tone: never doubled
            return frozenset({root, fifth})
        if self.v == len(t.voices) - 2 and third not in above:  # (crossing, if it must: never a bare close)
            return frozenset({third})
        if self.v == len(t.voices) - 2 and fifth not in above and not self._closes_in_parallels(fifth) \
                and self._in_order_somewhere(fifth, at):
            # the last inner voice completes the chord: Bach's final chords lack the fifth in 2 of
            # 60 validation chorales, the takes' in 14 of 40 harmonized and 7 of 40 composed
            return frozenset({fifth})
        if sung:  # the third is sung above already: not doubled (a hymn had closed F2 A3 A3 F4, no fifth),
            # unless root and fifth both arrive in parallels
            free = frozenset(pc for pc in (root, fifth) if not self._closes_in_parallels(pc))
            if free:
                return free
        return frozenset({root, third, fifth})

    def _in_order_somewhere(self, pc: int, at: int) -> bool:
        """Whether the current voice can sing pitch class `pc` at tick `at` in its range without
        crossing a voice above (always, without `FINAL_TONE_IN_ORDER`): a tenor made to complete
        the final chord with its fifth had crossed above the alto to find it (Jesu, meine Freude
        in hymn texture, 3 of 4 takes: alto G#3 under the tenor's B3). Asked of the fifth only."""
        if not FINAL_TONE_IN_ORDER or self.vl is None:
            return True
        vals = self.t.pitch_values[self.v]
        return bool((in_pitch_classes(vals, frozenset({pc})) & self.vl.uncrossed(self.v, at, vals)).any())

    def _closes_in_parallels(self, pc: int) -> bool:
        """Whether the current voice would reach pitch class `pc` in the final chord in parallel
        fifths or octaves: with the bass's drawn approach and root (or, none drawn, its note before:
        `undrawn_bass_close`), or with a voice above (a closing note wins over the voice-leading
        rules, so such a tone is not required of it)."""
        from tunesmith.sampling.part_writing import final_bass_pcs, undrawn_bass_close

        if self.final_ticks is None:
            return False
        strike = self.final_chord_tick()
        prev = self.vl.pitch_at(self.v, strike - 1)
        if prev is None or prev % 12 == pc:
            return False
        pcs = final_bass_pcs(self) or undrawn_bass_close(self)
        if pcs is not None and (prev - pcs[0]) % 12 in (0, 7) and (pc - pcs[1]) % 12 == (prev - pcs[0]) % 12:
            return True
        for u in range(self.v):  # soprano B4-A4 over a tenor B3-A3
            a0, a1 = self.vl.pitch_at(u, strike - 1), self.vl.pitch_at(u, strike)
            if a0 is not None and a1 is not None and a0 != a1 and (a0 - prev) % 12 in (0, 7) \
                    and (a1 - pc) % 12 == (a0 - prev) % 12:
                return True
        return False

    def _pitches(self, pos: int) -> np.ndarray:
        """Pitch tokens the current voice may start at `pos` (ticks into the bar)."""
        t = self.t
        ps = t.pitches[self.v]
        mask = None
        if self.vl is not None:
            vals, at = t.pitch_values[self.v], self.bar * t.L + pos
            avoid = doubles_a_secondary_leading_tone(self, at, vals)
            if self.vl.chord_tones and t.voice_leading and self.v > 0 and not t.modal:
                # over a planned chord (harmonize) the home key's leading tone too, which the bass's
                # third had doubled under V (`voice_leading.PLANNED_CHORDS_COMPLETE`)
                avoid = avoid | doubled_leading_tone(self._sounding_above(at) | around(self, at), vals, t.leading_pc)
            if self.vl.chord_tones and t.voice_leading and self.copy_src is None and part_writing_rules.SEVENTHS_OVER_THE_PLAN:
                # and a dominant seventh's seventh left other than down by step: the plan's tiers (a
                # bass held to its planned root, a tenor to the tone it owes) had overruled the rule
                avoid = avoid | part_writing_rules.unresolved_sevenths(self, at, vals)
            if self.vl.chord_tones and t.voice_leading and self.copy_src is None and part_writing_rules.SINGABLE_OVER_THE_PLAN:
                # and a leap of a seventh or past the octave in a lower voice (`part_writing.singable`)
                avoid = avoid | part_writing_rules.unsingable_leap(self, at, vals)
            if self.vl.chord_tones and self.v > 0:
                # and the third a voice above resolves a held fourth to (`suspensions`)
                taken = suspensions.resolution_taken(self, at, vals)
                avoid = avoid if taken is None else avoid | taken
            mask = self.vl.pitch_ok(self.v, at, vals, avoid, closing=self._in_the_close(at))
            resolves = suspensions.resolution(self, at, vals)
            if resolves is not None:  # a fourth held over a planned beat falls to the third
                mask = narrow(mask, resolves)
        approach, at = self._approach_tick(), self.bar * t.L + pos
        if approach is not None:
            vals, fin = t.pitch_values[self.v], None
            if approach - self._approach_span() <= at < approach:  # just before the last note: its approach
                if (self.melody_approach == "repeat" and self.v == 0 and t.final_third_strike_free
                        and self.melody_last is not None and self._approach_ok(np.array([self.melody_last]))[0]):  # fmt: skip
                    # the note before is already a closing tone: a repeat would strike it a third
                    # time into the end, which a reel or polka seldom does; step into the last note
                    self.melody_approach = "step"  # the take's meta then says which way it went
                fin = self._approach_ok(vals)
                if self.v == 0 and t.voice_leading and doubles_leading_tone(self, at):
                    # a lower voice holds the leading tone over from the bar before: the soprano
                    # does not double it; its drawn approach from below gives way to the other one
                    # Bach's sopranos take, down from the 2nd (it had fallen to any note: E-flat
                    # against a held C-sharp into D)
                    fin &= vals % 12 != t.leading_pc
                    if not fin.any() and self.soprano_approach == "below":
                        self.soprano_approach = "above"  # the take's meta then says which way it went
                        fin = self._approach_ok(vals) & (vals % 12 != t.leading_pc)
            elif at == approach and self.v == 0:  # the melody's last note: the drawn interval from the one before
                prev = self.melody_last
                fin = None if prev is None else self._approach_fits(vals - prev)
            if fin is not None:
                both = fin if mask is None else (mask & fin)
                if not both.any():  # by a note that keeps the voices' order if one can
                    fin = self._in_order(fin, at, may_cross=True)
                mask = both if both.any() else (fin if fin.any() else mask)  # as at a cadence, the approach wins
        missing = missing_from_the_approach_chord(self, at, t.pitch_values[self.v])
        if missing is not None:  # an undrawn approach's chord: a tone the voices above leave
            mask = narrow(mask, missing)
        where = MINOR_KEY_MAJOR_THIRD.get(t.style)
        if where and self.v == 0 and not t.voice_leading and t.minor and not t.modal and (
                where == "always" or pos % t.beat_ticks == 0):  # fmt: skip
            third = (t.tonic_pc + 4) % 12
            if third not in self._chord_tones_at(pos):
                mask = narrow(mask, t.pitch_values[self.v] % 12 != third)
        # A lead sheet's melody never starts a minor chord's major third on a beat. Off the beat it
        # may pass through it, as real jazz does (1.0 % of its melody time over minor chords, test
        # split): masked everywhere, the takes sang it 0 % of the time and the classifier told them
        # from real jazz more easily (test, seeds 0 / 1: 0.813 / 0.739 against 0.754 / 0.709
        # unmasked); on the beat only, 0.2 % / 0.1 % and 0.761 / 0.716.
        if self.v == 0 and not t.voice_leading and pos % t.beat_ticks == 0:
            chord = self._symbol_at(pos)
            if chord is not None and chord[1]:
                mask = narrow(mask, t.pitch_values[self.v] % 12 != (chord[0] + 4) % 12)
            if chord is not None and not t.chromatic_on_beat:
                # nor a note outside the key's natural scale a semitone from the chord's triad: minor-key
                # pop sang the raised 7th on the beat over the chords that hold the natural 6th and 7th
                # (G-sharp over F, F-sharp over C in A minor). Not in jazz, whose tensions these are:
                # there the rule cost 7.5 points of key heard (test, seed 0: 0.627 -> 0.552) and
                # realism (classifier 0.754 -> 0.776)
                pcs = t.pitch_values[self.v] % 12
                triad = [(chord[0] + i) % 12 for i in (0, 3 if chord[1] else 4, 7)]
                mask = narrow(mask, ~(_semitone_from(pcs, triad) & ~np.isin(pcs, t.natural_scale)))
            if chord is not None and (t.style in KEEP_CHROMATIC_CHORD_TONES or t.forced_chords is not None):
                # the other way round, in every style: over a chord whose triad leaves the key (a
                # secondary dominant: D7's F-sharp in B-flat), no scale note a semitone from that
                # tone on the beat (G or F over D7, B-flat over G7, E-flat over C7): the jazz takes
                # had sung them on 27 beats and the chords' own altered thirds on none
                pcs = t.pitch_values[self.v] % 12
                triad = [(chord[0] + i) % 12 for i in (0, 3 if chord[1] else 4, 7)]
                outside = [tone for tone in triad if tone not in t.natural_scale]
                if outside:
                    mask = narrow(mask, ~(_semitone_from(pcs, outside) & ~np.isin(pcs, triad)))
        mask = part_writing(self, at, mask)
        if self.vl is not None and self.vl.chord_tones and mask is not None:  # a planned chord: the nearest of what is left
            below = t.pitch_values[self.v + 1] if self.v + 1 < len(t.voices) else None
            mask = self.vl.nearest(self.v, at, t.pitch_values[self.v], mask, closing=self._in_the_close(at), below=below)
        if BASS_MOVES_AT_BAR_LINES and t.bass_moves and self.vl is not None and self.v == len(t.voices) - 1 \
                and pos == 0 and self.bar > 0:  # the bass moves at the bar line
            prev = self.vl.pitch_at(self.v, at - 1)
            if prev is not None:
                mask = narrow(mask, t.pitch_values[self.v] != prev)
        led = mask  # the voice leading's choice, before a cadence's
        kind = self._cadence()
        end = self._phrase_end(self.bar)
        # the last beat belongs to the cadence's note; in four parts, from where the soprano's
        # fermata note is struck (`fermata_holds`)
        zone = self._cadence_zone(self.bar)
        if kind is not None and end - zone <= pos < end and not self._strain_closed(end - zone, kind):
            fin = in_pitch_classes(t.pitch_values[self.v], self._closing_pcs(kind))
            # where one is left, no cadence note a step of an augmented second away, nor a second
            # leading tone (V's third); the voice-leading rules (`mask`) come first
            smooth = np.ones(len(fin), bool)
            prev = self.vl.pitch_at(self.v, at - 1) if t.minor and self.vl is not None else None
            if prev is not None:
                smooth &= ~augmented_seconds(prev, t.pitch_values[self.v], t.tonic_pc)
            if self.v > 0 and self.vl is not None and not t.modal:
                smooth &= ~doubled_leading_tone(self._sounding_above(at), t.pitch_values[self.v], t.leading_pc)
                smooth &= ~doubled_secondary_leading_tone(self._sounding_above(at), t.pitch_values[self.v], t.tonic_pc, t.minor)
            both = narrow(fin if mask is None else (mask & fin), smooth)
            roots = t.kinds[kind][0][-1] if kind in t.kinds else frozenset()
            clash = None
            if t.voice_leading and self.vl is not None and self.v < len(t.voices) - 1 and len(roots) == 1:
                # nor one that leaves the bass's move to the cadence chord's root a parallel fifth or
                # octave with it: the bass, written last, takes that root whatever the voices above
                # did, and 3/4 chorales had moved into their fermatas in parallels (soprano C5-F5 over
                # the bass's C3-F3; fifths 0.93, octaves 1.11 per 100 beats, Bach's scores 0.28 and
                # 0.12), as harmonized ones do not (`VoiceLeading.pitch_ok` on a planned cadence)
                clash = self.vl.parallel_with_the_bass_root(self.v, at, t.pitch_values[self.v], next(iter(roots)))
                both = narrow(both, ~clash)
                if both.any() and not (both & ~clash).any() and self.bar == t.n_bars - 1 and CADENCE_NOTE_CLEAR_OF_THE_BASS:
                    # every note the voice leading leaves is in parallels with the bass into the final
                    # chord (its nearest tone, a tenor G3-A3 over the bass's G2-A2): another tone of
                    # the chord that is not, nor in parallels with a voice above, in the voices' order
                    pv = t.pitch_values[self.v]
                    parallel_pcs = [pc for pc in range(12) if self._closes_in_parallels(pc)]
                    clear = fin & ~clash & ~np.isin(pv % 12, parallel_pcs)
                    clear = narrow(self._in_order(clear, at, may_cross=False), smooth)
                    if clear.any():
                        both = clear
            fifth = self._missing_fifth(kind)
            if fifth is not None:  # where the voice leading allows it (`narrow`)
                both = narrow(both, in_pitch_classes(t.pitch_values[self.v], fifth))
            unsung = self._unsung_by_the_soprano(kind)
            if unsung is not None:  # where the voice leading allows it (`narrow`)
                both = narrow(both, in_pitch_classes(t.pitch_values[self.v], unsung))
            # where voice leading forbids every cadence note (a parallel octave into it), the cadence
            # wins: one parallel at the close reads better than a scramble of tiny notes to the end.
            # Not a crossing: a bass held to C3 and up (--range C3:A5) had closed a phrase on
            # B-flat 3 over the tenor's F3 (8 of 40 g-minor chorales crossed; 0 of 40 in the default
            # range); where every cadence note would cross, the voices keep their order.
            if not both.any():
                # a cadence note that keeps the voices' order, else (inside the piece) none: the
                # final chord alone must close whatever it takes
                fin = narrow(self._in_order(fin, at, may_cross=self.bar == t.n_bars - 1), smooth)
                if clash is not None and CADENCE_NOTE_CLEAR_OF_THE_BASS:
                    # and, where one is left, not one in parallels with the bass's move to the root
                    # (a tenor G3-A3 over the bass's G2-A2 into a harmonized A-minor close)
                    fin = narrow(fin, ~clash)
                if not fin.any() and kind in t.kinds and self.v > 0:
                    # nor one that keeps the voices' order (the tenor's third above the alto): another
                    # tone of the cadence chord that does, before any note the voice leading allows
                    # (a tenor had sung C-sharp in a cadence on G)
                    wide = in_pitch_classes(t.pitch_values[self.v], t.kinds[kind][0][self.v])
                    fin = narrow(self._in_order(wide, at, may_cross=self.bar == t.n_bars - 1), smooth)
            mask = both if both.any() else (fin if fin.any() else mask)
        else:
            mask = final_chord_third(self, at, mask)
        mask = self._given_chord(pos, mask, led)
        return ps if mask is None else ps[mask]

    def _given_chord_hold(self, at: int) -> int | None:
        """Four voices over given chords: how many ticks the note just pitched (struck at tick `at`)
        may sound so that it is a tone of the chord on every beat it sounds through: a passing
        note (not in the chord) ends by the next beat, a chord tone may be held into the next
        chords (later in the bar, or over a bar line) only while they hold it. None where no chord
        was given. Why: the bass had held C from a C chord through a bar marked F/A, and struck C
        off the beat in a bar of G/B."""
        t, given = self.t, self._given_in_four_parts(self.bar, self.note_pos)
        if given is None:
            return None
        pc = self.pitch % 12
        if pc not in t.given_chord_pcs[given[1]]:
            return (self.note_pos // t.beat_ticks + 1) * t.beat_ticks - self.note_pos
        # into the next chords while they hold it; the bass only where it is their bass (a bass
        # held from C into F had stood on F's fifth, a 6/4)
        into = t.given_chord_bass if self.v == len(t.voices) - 1 else t.given_chord_upper
        for tick, slot in self._given_changes(self.bar, self.note_pos):
            if pc not in into[slot]:
                return tick - at
        return t.n_bars * t.L - at

    def _given_in_four_parts(self, bar: int, pos: int) -> tuple[int, int] | None:
        """(tick in the bar where it starts, slot) of the musician's chord sounding at tick `pos` of
        bar `bar`, in four parts (`_given_at`); None without given chords, without voice leading,
        or in a pickup bar."""
        t = self.t
        if t.given_chord_pcs is None or not t.voice_leading or bar < t.bar_offset:
            return None
        return self._given_at(bar, pos)

    def _given_chord(self, pos: int, mask: np.ndarray | None, led: np.ndarray | None) -> np.ndarray | None:
        """Four voices over chords the musician gave (`--chords`): a note struck on a beat is a tone
        of the chord sounding there, before a cadence's or the final chord's plan (the chords are a hard
        control; where they and the plan disagree, C F G G closing on G, the chords win), within
        the voice leading's choice (`led`) where that leaves one, else in the voices' order where
        one keeps it. Off the beat the voices pass as they like. Where the chord starts (the
        downbeat, or its place in a bar of two) the bass takes the chord's bass (a slash chord's,
        else its root or third) where the voice leading allows.
        Why: the symbols were written above the score while the voices sang their own harmony (a
        bar marked C sounded D B D G; 6 of 14 notes were tones of the chord), and, once they sang
        it, a fifth of the downbeats stood on a 6/4."""
        t, given = self.t, self._given_in_four_parts(self.bar, pos)
        if given is None or pos % t.beat_ticks:
            return mask
        start, which = given
        at = self.bar * t.L + pos
        vals, is_bass = t.pitch_values[self.v], self.v == len(t.voices) - 1
        keep = whole = in_pitch_classes(vals, t.given_chord_pcs[which])
        if not keep.any():  # no tone of the chord in the voice's range (or scale, --in-scale): as it was
            return mask
        sevenths = t.given_sevenths[which] if GIVEN_SEVENTH_ONCE else ()
        if sevenths and set(sevenths) & self._sounding_above(at):
            # a seventh sung once: doubled, its two voices fall to the same note (a theory teacher's
            # G7 of F4 F4 D4 F3 resolved in octaves)
            keep = narrow(keep, ~in_pitch_classes(vals, sevenths))
        if pos == start and not is_bass:  # a slash chord's named bass is the bass's (`given_chord_upper`)
            keep = narrow(keep, in_pitch_classes(vals, t.given_chord_upper[which]))
            seventh = set(t.given_sevenths[which]) if GIVEN_SEVENTH_SUNG else set()
            if self.v == len(t.voices) - 2 and seventh and not self._sounding_above(at) & seventh:
                # ... and the tenor, the last voice above the bass, sings a seventh chord's seventh that
                # the voices above have not (a G7 asked for had sounded no F in 16 of 96 such chords)
                keep = narrow(keep, in_pitch_classes(vals, sorted(seventh)))
        if pos == start and is_bass:  # the bass where the chord starts: the chord's bass where it can
            named = keep & in_pitch_classes(vals, t.given_chord_bass[which])
            bass = _first_within(named, mask, led)
            if bass is None and t.given_slash[which] and named.any():
                # a slash chord names its bass: like the chord's tones, it wins over the voice
                # leading, in the voices' order and within an octave of the note before where it can
                bass = narrow(self._in_order(named, at, may_cross=False), named)
                prev = self.vl.pitch_at(self.v, at - 1) if self.vl is not None else None
                if prev is not None:
                    bass = narrow(bass, np.abs(vals - prev) <= 12)
            if bass is not None:
                return bass
        # (the tones chosen among the chord's, a seventh or a slash chord's, give way before the chord does)
        found = _first_within(keep, mask, led)
        if found is None and GIVEN_SEVENTH_ONCE_OVER_SOFT_RULES and self.vl is not None \
                and sevenths and set(sevenths) & self._sounding_above(at):  # fmt: skip
            # a seventh sung above: the chord's other tones in the voices' order and clear of
            # parallels, before a second voice on the seventh (`GIVEN_SEVENTH_ONCE_OVER_SOFT_RULES`)
            other = self._in_order(keep & ~in_pitch_classes(vals, sevenths), at, may_cross=False)
            other &= ~self.vl.parallels(self.v, at, vals) & ~self.vl._parallel_with_the_beat_before(self.v, at, vals)
            found = other if other.any() else None
        if found is None and keep is not whole:
            found = _first_within(whole, mask, led)
        if found is not None:
            return found
        # where the voice leading leaves no tone of the chord, the chord wins, in the voices' order;
        # where no tone of it keeps their order, the voice leading's choice stands (an empty choice
        # had ended a take)
        fallback = next((f for f in (self._in_order(k, at, may_cross=False) & k for k in (keep, whole)) if f.any()), None)
        if fallback is None:
            return mask
        if GIVEN_CHORD_CLEAR_OF_PARALLELS and self.vl is not None:
            # ... with a tone that moves in no parallels where one is left (the bass's A2 under the
            # soprano's C5-A4 over "Am": a theory teacher's hymns over chords had octaves in 13 of 15)
            fallback = narrow(fallback, ~self.vl.parallels(self.v, at, vals))
        return fallback

    def _in_order(self, fin: np.ndarray, at: int, *, may_cross: bool) -> np.ndarray:
        """The notes of `fin` (a cadence's or an approach's) that keep the voices' order at tick
        `at`; where none does, `fin` itself if the rule `may_cross`, else nothing."""
        if self.vl is None or not fin.any():
            return fin
        kept = fin & self.vl.uncrossed(self.v, at, self.t.pitch_values[self.v])
        return kept if kept.any() or not may_cross else fin

    def _sounding_above(self, at: int) -> set[int]:
        """The pitch classes the voices already written (those above: voices go top down) sound
        at tick `at`; empty without voice leading or for the top voice."""
        if self.vl is None or self.v == 0:
            return set()
        return {p % 12 for p in (self.vl.pitch_at(u, at) for u in range(self.v)) if p is not None}

    def _exact_ending(self) -> bool:
        """The melody's last note lasts exactly its drawn length (four parts, or a lead sheet with
        a drawn approach), not at least that long."""
        return self.final_ticks is not None and (self.t.voice_leading or self.melody_approach is not None)

    def _approach_fits(self, intervals: np.ndarray) -> np.ndarray:
        """Which intervals (the last note minus the one before, semitones) the melody may reach
        its last note by: a chorale soprano's drawn way to the tonic (`SOPRANO_APPROACH_STEPS`),
        else the drawn class's size (`MELODY_APPROACH_INTERVALS`; a chorale's soprano, a step)."""
        if self.soprano_approach is not None:
            return intervals == SOPRANO_APPROACH_STEPS[self.soprano_approach]
        lo, hi = MELODY_APPROACH_INTERVALS[self.melody_approach or "step"]
        gaps = np.abs(intervals)
        # never by a major seventh: the training tunes' wide approaches (8-12 semitones; all
        # licences, train split) are octaves 110 of 193, sixths 56, minor sevenths 22 and major
        # sevenths 5; a pop take's leading tone had leapt down a major seventh to its last C. Nor
        # by a tritone: 0 of 12,249 folk training tunes reach their last note so (pop 1 of 1,025,
        # jazz 2 of 533), and a G-mixolydian polka had leapt F5 up to its last B5
        return (gaps >= lo) & (gaps <= hi) & (gaps != 11) & (gaps != 6)

    def _approach_tick(self) -> int | None:
        """Under a closing cadence with an exact ending: the tick (from the piece's start) where
        the last note (four parts: the final chord) is struck, for the voices whose approach to it
        is ruled (the melody; the bass with a drawn approach), else None."""
        t = self.t
        if not t.voice_leading:
            return self.final_chord_tick() if self._exact_ending() and self.v == 0 else None
        if self.final_ticks is None or self.vl is None:
            return None
        if self.v == len(t.voices) - 1:
            if self.bass_approach is None:
                return None
            if self.final_strike is not None:
                return (t.n_bars - 1) * t.L + self.final_strike
        elif self.v != 0:
            return None
        return self.final_chord_tick()

    def final_chord_tick(self) -> int:
        """The tick (from the piece's start) where the last note (four parts: the final chord) is
        struck under a drawn last length."""
        return self.end_tick() - self.final_ticks

    def end_tick(self) -> int:
        """The tick (from the piece's start) where the piece ends: the last bar's end."""
        return (self.t.n_bars - 1) * self.t.L + self.t.last_L

    def bar_len(self, bar: int | None = None) -> int:
        """Ticks of bar `bar` (default: the current one): the meter's, the last one's maybe less."""
        t = self.t
        return t.last_L if (self.bar if bar is None else bar) == t.n_bars - 1 else t.L

    def _approach_span(self) -> int:
        """Ticks before the last note (four parts: the final chord) where every note that sounds
        is its approach: a beat in four parts; an eighth in a lead sheet, whose melody may run in
        eighths up to it (over a whole beat, three eighths of one pitch would run into the end)."""
        return self.t.last_beat if self.t.voice_leading else _EIGHTH

    def _approach_ok(self, pitches: np.ndarray) -> np.ndarray:
        """Which `pitches` may sound in the current voice just before the final chord: the bass's
        drawn approach (the dominant for V-I, the tonic, the subdominant, or another degree); the
        melody the drawn interval from a closing note (`_approach_fits`; a chorale's soprano a step,
        as Bach's melodies end: 96 % of the training chorales, against 40 % of the takes before)."""
        t = self.t
        if t.voice_leading and self.v == len(t.voices) - 1:
            if self.bass_approach in BASS_APPROACH_DEGREES:
                return pitches % 12 == (t.tonic_pc + BASS_APPROACH_DEGREES[self.bass_approach]) % 12
            return ~in_pitch_classes(pitches, [t.tonic_pc + d for d in BASS_APPROACH_DEGREES.values()])
        pcs = self.final_pcs if self.final_pcs is not None else t.kinds["closed"][0][0]
        vals = t.pitch_values[0]
        closing = vals[in_pitch_classes(vals, pcs)]
        return self._approach_fits(closing[None, :] - pitches[:, None]).any(axis=1)

    def _closing_zone(self, bar: int | None = None) -> int:
        """Ticks at the end of cadence bar `bar` (default: the current one) where every note that
        starts is a closing one: the last beat, and in the last bar the drawn length of the last
        note if longer (a lead sheet with a drawn approach: that length alone)."""
        t = self.t
        zone = t.last_beat
        if self.final_ticks is not None and (self.bar if bar is None else bar) == t.n_bars - 1:
            if self.melody_approach is not None:  # the last note alone: the drawn approach sounds before it
                return min(self.final_ticks, t.last_L)
            zone = max(zone, min(self.final_ticks, t.last_L))
            if self.v > 0 and self.final_strike is not None:  # the lower voices close with the soprano
                zone = max(zone, t.last_L - self.final_strike)
        return zone

    def _phrase_end(self, bar: int) -> int:
        return phrase_end(self.t, bar)

    def fermata_holds(self) -> list[tuple[int, int]]:
        """(start, end) ticks of the soprano notes that the lower voices strike with and hold
        through, as Bach's voices do under a fermata: co-create's given fermatas (`holds`) and,
        in four parts, the note each phrase ends on before the last, once the soprano has
        written it (the last bar has its own close). Harmonizations had run on in eighths under
        the fermatas (`scripts/musician_checks.py fermatas`)."""
        t = self.t
        spans = list(self.holds)
        if t.voice_leading and self.vl is not None:
            for cad in self.cadence_bars:
                if cad > self.bar + 1 or cad >= t.n_bars - 1:  # (a note tied into the cadence bar: known a bar early)
                    continue
                end = cad * t.L + self._phrase_end(cad)
                i = bisect.bisect_right(self.vl.starts[0], end - 1) - 1
                if i >= 0 and self.vl.notes[0][i][1] >= end:
                    spans.append((self.vl.notes[0][i][0], end))
        return spans

    def _strain_closed(self, zone_start: int, kind: str) -> bool:
        """Whether a lead sheet's melody has struck its strain's drawn closing note (a song's
        section without one: a closing tone of its cadence) on a beat in this bar's closing zone
        (from `zone_start`) already: the notes after it lead on to the next strain as they will
        (`STRAIN_END_LEAD_IN`; the piece's last bar closes on every note). `kind`: this bar's
        cadence (`_cadence`), which the caller has."""
        if not (STRAIN_END_LEAD_IN and self.t.strain_end_lead_in) or self.v != 0 or self.bar >= self.t.n_bars - 1:
            return False
        if self.bar in self.strain_ends:
            pcs = self.strain_ends[self.bar][1]
        else:  # a song's section end (pop, jazz: no drawn strain ends): the cadence's own closing tones
            if kind not in ("open", "closed"):
                return False
            pcs = self._closing_pcs(kind)
        return any(start >= zone_start and start % self.t.beat_ticks == 0 and pitch % 12 in pcs
                   for pitch, _, start in self.melody_by_bar[-1])  # fmt: skip

    def _cadence_zone(self, bar: int) -> int:
        """Ticks before cadence bar `bar`'s phrase end that belong to the cadence's notes: the last
        beat (`_closing_zone`), in four parts from where the soprano's fermata note is struck."""
        return max(self._closing_zone(bar), self._held_to(bar), self._fermata_zone(bar))

    def _fermata_zone(self, bar: int) -> int:
        """A four-part soprano's phrase inside the piece: ticks before cadence bar `bar`'s phrase
        end from its last fermata start (`fermata_starts`) on, where the note struck is the
        phrase's last and holds to its end; 0 for the other voices, the last bar and lead sheets."""
        if self.v != 0 or not self.t.voice_leading or bar >= self.t.n_bars - 1:
            return 0
        starts = fermata_starts(self.t, bar)
        return self._phrase_end(bar) - starts[-1] if starts else 0

    def _held_to(self, bar: int) -> int:
        """Ticks before cadence bar `bar`'s phrase end where the lower voices strike the soprano's
        fermata note with it (`fermata_holds`); 0 for the soprano, or where none is."""
        if self.v == 0:
            return 0
        end = bar * self.t.L + self._phrase_end(bar)
        return next((e - s for s, e in self.fermata_holds() if e == end), 0)

    def _cadence(self) -> str | None:
        """The current bar's cadence (`_cadence_at`)."""
        return self._cadence_at(self.bar)

    def _cadence_at(self, bar: int) -> str | None:
        """"closed" / "open" when `bar` ends a section under a cadence, "to V" (etc.) when it ends
        a drawn modulation's passage (a cadence in that key), else None."""
        if self.modulation is not None and bar == self.modulation[2] - 1:
            return "to " + self.modulation[0]
        if self.half_close and bar == self.t.n_bars - 1:
            return "open"
        if bar not in self.cadence_bars:  # (a phrase cadence that gave way to a passage's)
            return None
        if bar in self.strain_ends:
            return self.strain_ends[bar][0]
        kind = self.t.bar_cadence[bar] if 0 <= bar < len(self.t.bar_cadence) else None
        if bar in self.t.phrase_bars and self.v > 0 and self.vl is not None:
            # a phrase's cadence is the one its soprano's last note implies: I under a tone of the
            # tonic's triad only, V under one of the dominant's only, else as planned
            sung = self.vl.pitch_at(0, bar * self.t.L + self._phrase_end(bar) - 1)
            if sung is not None:
                tonic, dominant = self.t.kinds["closed"][0][1], self.t.kinds["open"][0][1]
                if sung % 12 in tonic and sung % 12 not in dominant:
                    return "closed"
                if sung % 12 in dominant and sung % 12 not in tonic:
                    return "open"
        return kind

    def _final_bar(self) -> bool:
        """Whether the current bar must sound to its end: a cadence bar, or (four parts) the last
        bar once the final chord's strike is known (a given soprano's last note ends a piece that
        has no tonic close too)."""
        if self.final_strike is not None and self.t.voice_leading and self.bar == self.t.n_bars - 1 and self.v > 0:
            return True
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
        if self.state != _VOICE or not self.t.rest_penalty or self.cursor >= self.bar_len():
            return None
        return self._end_token(), self.t.rest_penalty

    def rest_bias(self) -> tuple[np.ndarray, float] | None:
        """(token ids, logit offset) of the rests a lead sheet's melody may take next, a position
        past the cursor or closing its bar early, which gain `t.rest_offset` (`set_rest_offset`);
        None elsewhere. (Ids the grammar forbids there are masked after.)"""
        t = self.t
        if not t.rest_offset or self.state != _VOICE or self.v != 0 or t.voice_leading or self.cursor >= self.bar_len():
            return None
        return np.append(t.pos[self.cursor + 1 : self.bar_len()], self._end_token()), t.rest_offset

    def root_bias(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(token ids, logit offsets) of every chord root, by its degree (`set_root_offsets`), where
        a chord symbol may be written next; None elsewhere. The caller keeps the allowed roots'
        total share as it was (`decode_rows`)."""
        t = self.t
        if t.root_offsets is None or self.state not in (_CHORDS, _CPOS) or t.forced_chords is not None:
            return None
        return t.root_offset_ids, t.root_offsets

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

    def _in_the_close(self, at: int) -> bool:
        """Whether tick `at` falls where the close's own rules write the voices (from two approach
        spans before the final chord)."""
        return self.final_ticks is not None and at >= self.final_chord_tick() - 2 * self._approach_span()

    def _with_the_soprano(self, at: int, durs: np.ndarray) -> np.ndarray:
        """A hymn's lower voice (`_Tables.note_against_note`): of the lengths `durs` for its note
        struck at tick `at`, the one ending where the soprano next strikes on a beat (or ends), else
        those ending on any such strike, else on any beat; all of them where none does (a rule that
        cuts the note short: a crossing, a clash ahead)."""
        t, starts = self.t, self.vl.starts[0]
        ends = at + t.dur_ticks[durs - t.durs[0]]
        # (the soprano's strikes within the longest length only: every note of a lower voice asks)
        reach = bisect.bisect_right(starts, int(ends.max()))
        strikes = [s for s in starts[bisect.bisect_right(starts, at) : reach] if s % t.beat_ticks == 0]
        strikes.append(self.vl.ends[0][-1])
        for fits in (ends == strikes[0], np.isin(ends, strikes), ends % t.beat_ticks == 0):
            if fits.any():
                return durs[fits]
        return durs

    def _allowed_free(self) -> np.ndarray:
        t = self.t
        s = self.state
        if s == _VOICE:
            L = self.bar_len()  # a short last bar ends early
            end = self._end_token()
            must_sound = self.v == 0 and self.bar == t.n_bars - 1 and self.cursor == 0
            if self.cursor >= L:
                return t.single[end]
            if self.bar == 0 and self.cursor < t.pickup:  # every voice enters on the pickup
                return t.pos[t.pickup : t.pickup + 1]
            if self._tight():
                return self._pitches(self.cursor) if must_sound else t.single[end]
            rests = t.pos[self.cursor + 1 : L]
            if self.final_ticks is not None and self.bar == t.n_bars - 1:
                # no rest that would leave the last note shorter than its drawn length, and none
                # that ends off the eighth-note grid (the note after it may be the last one)
                last = max(self.cursor + 1, L - min(self.final_ticks, L - self.cursor) + 1)
                if self.v > 0 and self.final_strike is not None:  # nor one past the soprano's last note
                    last = min(last, self.final_strike + 1)
                rests = t.pos[self.cursor + 1 : last][np.arange(self.cursor + 1, last) % t.strike_grid == 0]
            if t.voice_leading and self.v > 0 and self.vl is not None:
                # a lower voice rests only where the soprano does, and not past its next note: Bach's
                # never rest while it sings (JSB valid: 0 of 9,384 sixteenths), the harmonizations'
                # alto and tenor had rested for beats mid-phrase (0.9 % of the sixteenths)
                at = self.bar * t.L + self.cursor
                if self.vl.pitch_at(0, at) is not None:
                    rests, must_sound = rests[:0], True
                else:
                    k = bisect.bisect_right(self.vl.starts[0], at)
                    if k < len(self.vl.starts[0]):
                        back = self.vl.starts[0][k] - self.bar * t.L  # the soprano's next note, in this bar's ticks
                        if k == 0 and LOWER_VOICES_ENTER_WITH_THE_SOPRANO:
                            # before the soprano's first note the lower voices rest and enter with it (a hymn
                            # whose first bar was rests and a one-beat pickup had its alto, tenor and bass
                            # sing three beats alone)
                            return t.pos[back : back + 1] if back < L else t.single[end]
                        rests = rests[rests - t.pos[0] <= back]
                        must_sound = must_sound or back < L
            if t.rhythm_grid:  # a rest ends on the piece's grid (no tuplet where the music has none)
                rests = rests[(rests - t.pos[0]) % t.rhythm_grid == 0]
            elif t.no_odd_twelfths:  # (`_Tables.no_odd_twelfths`)
                even = ~ODD_TWELFTHS[(rests - t.pos[0]) % TICKS_PER_BEAT]
                if even.any():
                    rests = rests[even]
            approach = self._approach_tick()
            in_reach = self.final_ticks is not None and self.bar * t.L + L > self.final_chord_tick() - self._approach_span()
            if approach is None and in_reach and tenor_owes_third(self):  # the tenor sounds V's third: no rest
                approach = self.final_chord_tick()
            if approach is not None:  # no rest where the final chord's approach sounds
                span = self._approach_span()
                rests = rests[rests - t.pos[0] <= approach - span - self.bar * t.L]  # t.pos[k]: position k
                must_sound = must_sound or self.bar * t.L + self.cursor >= approach - span
            parts = [rests, self._pitches(self.cursor)]
            if not must_sound and not self._final_bar():  # under a cadence the last bar sounds to its end
                parts.append(t.single[end])
            return np.concatenate(parts)
        if s == _PITCH:
            remaining = self.end_tick() - self.bar * t.L - self.note_pos
            if self.bar == 0 and t.pickup:  # a pickup note is not tied over into the first bar
                remaining = min(remaining, t.L - self.note_pos)
            if BASS_MOVES_AT_BAR_LINES and t.bass_moves and self.v == len(t.voices) - 1 and self.bar < t.n_bars - 1:
                remaining = min(remaining, t.L - self.note_pos)  # nor is a bass note (`BASS_MOVES_AT_BAR_LINES`)
            if t.offbeat_ends_at_bar_line and self.v == 0 and self.note_pos % t.L:
                # nor, in a waltz, a melody note struck off the downbeat (`feedback.OFFBEAT_NOTES_END_AT_THE_BAR_LINE`)
                remaining = min(remaining, t.L - self.note_pos)
            if self.vl is not None:  # end before a neighbouring voice crosses this note
                until = self.vl.max_duration(self.v, self.bar * t.L + self.note_pos, self.pitch,
                                             suspended=suspensions.suspension_span(self))  # fmt: skip
                remaining = remaining if until is None else max(min(remaining, until), int(t.dur_ticks[0]))
                if t.voice_leading and self.v > 0:  # and before another voice strikes a semitone from it
                    # where one of the two is outside the key (`VoiceLeading.clash_ahead`), or doubles
                    # it where it is a secondary leading tone
                    twice = frozenset() if t.modal else secondary_leading_pcs(t.tonic_pc, t.minor)  # nor the same
                    clash = self.vl.clash_ahead(self.v, self.bar * t.L + self.note_pos, self.pitch, t.diatonic, twice)
                    remaining = remaining if clash is None else max(min(remaining, clash), int(t.dur_ticks[0]))
                if t.voice_leading and self.v == len(t.voices) - 1 and not t.modal and part_writing_rules.UNRESOLVED_BASS_SEVENTHS_AVOIDED:
                    # and a bass note before the voices above make it a seventh the plan leaves
                    ahead = self.vl.unresolved_bass_seventh_ahead(self.v, self.bar * t.L + self.note_pos, self.pitch, t.tonic_pc)
                    remaining = remaining if ahead is None else max(min(remaining, ahead), int(t.dur_ticks[0]))
                if self.phrase_approaches and self.v == len(t.voices) - 1:
                    # and a bass note before the beat that approaches a half close, where the drawn degree is struck
                    cut = phrase_cadences.held_into_a_drawn_approach(self, self.bar * t.L + self.note_pos, self.pitch)
                    remaining = remaining if cut is None else max(min(remaining, cut), int(t.dur_ticks[0]))
            nxt = self.next_copy[self.bar] if self.bar < len(self.next_copy) else None
            if nxt is not None and self.bar_starts[self.copy_from[nxt]][self.v] == 0:
                # a later bar repeats one that began clean: no note ties into it, so the copy holds
                remaining = max(min(remaining, (nxt - self.bar) * t.L - self.note_pos), int(t.dur_ticks[0]))
            src = next((b for b in self.run_sources if b > self.bar), None)
            if src is not None:
                # nor into a bar a later run of copies begins by repeating: a note tied into the
                # first B's first bar, and none into its return's, had broken the return (a 5/4
                # AABB's second B differed in three of its four bars)
                remaining = max(min(remaining, (src - self.bar) * t.L - self.note_pos), int(t.dur_ticks[0]))
            here = self.bar * t.L + self.note_pos
            cad = next((b for b in self.cadence_bars if b * t.L + self._phrase_end(b) > here), None)
            if cad is not None:
                # no note crosses a cadence bar's end (with a pickup, its phrase's end); the one that
                # reaches it is the cadence's note
                to_end = cad * t.L + self._phrase_end(cad) - here
                closes = self.pitch % 12 in self._closing_pcs(self._cadence_at(cad), cad)
                # a note that does not close ends by the bar's last beat, so the closing note starts on
                # a beat and lasts at least one (not squeezed in at the very end); before a lead
                # sheet's drawn approach, by where its last note is struck
                zone = self._closing_zone(cad) if self.melody_approach is not None else t.last_beat
                # (four parts: the soprano's fermata note's length, and for the soprano from its last start)
                zone = max(zone, self._held_to(cad), self._fermata_zone(cad))
                # (inside the zone a note that cannot close holds to the end: cut to the least length
                # each time, a bass that found no closing note in range ran twelve 32nd-note
                # triplets through its last beat)
                limit = to_end if closes or to_end <= zone else to_end - zone
                remaining = max(min(remaining, limit), int(t.dur_ticks[0]))
                if t.voice_leading and self.v > 0 and cad < t.n_bars - 1 and here < cad * t.L \
                        and fermata_starts(t, cad) == [0]:
                    # where the phrase's fermata note can only be struck on the cadence bar's downbeat
                    # (3/4: Bach's 99 of 115), a lower voice does not tie into it: the soprano writes that
                    # note after the lower voices' bar before, so they could not know to strike it with
                    # them, and had held a chord over into it and moved under it (3/4 takes: 0.46 of the
                    # fermatas; Bach 0.02, a chorale director's count)
                    remaining = max(min(remaining, cad * t.L - here), int(t.dur_ticks[0]))
            approach = self._approach_tick()
            at = self.bar * t.L + self.note_pos
            span = self._approach_span()
            lo = self.final_chord_tick() - span if self.final_ticks is not None else None
            if lo is not None and at < lo < at + remaining and (
                (self.pitch % 12 == t.subtonic_pc and bars_natural_seventh(self))
                or (self.pitch % 12 != t.leading_pc and tenor_owes_third(self))
                or (self.pitch % 12 == t.leading_pc and doubles_leading_tone(self, lo))
            ):  # a natural 7th, a tenor that owes V's third, or a second leading tone ends before the beat leading to the final chord
                remaining = max(min(remaining, lo - at), int(t.dur_ticks[0]))
            if approach is not None and at < approach - span and not self._approach_ok(np.array([self.pitch]))[0]:
                # a note before the approach's span ends by it, unless it can be the approach itself
                remaining = max(min(remaining, approach - span - at), int(t.dur_ticks[0]))
            given = self._given_chord_hold(at)
            if given is not None:  # over given chords, held no further than its pitch fits them
                remaining = max(min(remaining, given), int(t.dur_ticks[0]))
            holds = self.fermata_holds() if self.v > 0 else []
            for s0, _ in holds:
                if at < s0 < at + remaining:  # a lower voice strikes with the soprano's fermata note
                    remaining = max(min(remaining, s0 - at), int(t.dur_ticks[0]))
            durs = t.durs[: int(np.searchsorted(t.dur_ticks, remaining, side="right"))]
            if cad is not None and self._fermata_zone(cad):
                # the soprano's phrase ends on a note struck at a fermata start: a note before the
                # last start ends by it, or holds to the phrase's end from a start (a closing note had
                # reached the end from any tick: fermatas on eighths and on beat 4)
                pos, starts = here - cad * t.L, fermata_starts(t, cad)
                ends = pos + t.dur_ticks[durs - t.durs[0]]
                ok = (ends <= starts[-1]) | ((ends == self._phrase_end(cad)) & (pos in starts))
                if ok.any():
                    durs = durs[ok]
            held = next((e0 for s0, e0 in holds if s0 == at), None)
            if held is not None:  # and holds it to its end
                fits = at + t.dur_ticks[durs - t.durs[0]] == held
                if fits.any():
                    durs = durs[fits]
            start = (self.bar - (t.n_bars - 1)) * t.L + self.note_pos  # ticks into the last bar (< 0: before it)
            reaches = len(durs) and start + t.dur_ticks[len(durs) - 1] > 0  # (four parts: from any bar)
            exact = self._exact_ending()
            if self.final_ticks is not None and (self.bar >= t.n_bars - 2 or (exact and reaches)):
                in_last = start + t.dur_ticks[: len(durs)]  # where each duration would end
                gap = t.last_L - in_last
                if exact:
                    # the last note is struck where its drawn length puts it and lasts just that long (a
                    # lead sheet's approach is drawn into it); four parts: the final chord is struck
                    # with the soprano's last note, as Bach's final notes do (the shares are theirs); a
                    # note before it ends by then (not tied over), the note struck then holds to the end
                    strike = self.final_strike if self.v > 0 and self.final_strike is not None else t.last_L - self.final_ticks
                    ok = (in_last <= strike) if start < strike else (gap == 0)
                    if self.v > 0:  # the lower voices move in whole beats there (a free inner voice ran in sixteenths)
                        # or hold to the end (a last bar short by a pickup ends off the beat: 6/8's
                        # five eighths, the last note a quarter on beat 2)
                        ok &= (in_last <= 0) | (in_last % t.last_beat == 0) | (gap == 0)
                else:
                    # every note that ends in the last bar leaves either nothing or room for a last
                    # note of the drawn length, and that last note is struck on an eighth-note
                    # boundary (a held ending struck on a triplet sixteenth, or after a note tied in
                    # from the bar before, read as a tuplet tied over the bar's beats)
                    least = min(self.final_ticks, t.last_L - max(0, start))
                    ok = (in_last <= 0) | (gap == 0) | ((gap >= least) & (in_last % t.strike_grid == 0))
                held = self.bar == t.n_bars - 1 and self.final_ticks >= TICKS_PER_BEAT and self.melody_approach is None
                if held and self.v == 0 and self.pitch % 12 in self._closing_pcs("open" if self.half_close else "closed"):
                    # a melody's closing note that reaches the closing zone of a held ending is held
                    # to the end, not struck again (takes ended on a repeated note: chorales 30 % of
                    # the time against Bach's 2 %; a lead sheet draws whether its last note repeats)
                    ok &= (gap == 0) | (gap > self._closing_zone())
                if ok.any():
                    durs = durs[ok]
            if t.rhythm_grid:  # a note ends on the piece's grid (no tuplet where the music has none)
                on_grid = (self.note_pos + t.dur_ticks[durs - t.durs[0]]) % t.rhythm_grid == 0
                if on_grid.any():
                    durs = durs[on_grid]
            elif t.no_odd_twelfths:  # (`_Tables.no_odd_twelfths`)
                even = ~ODD_TWELFTHS[(self.note_pos + t.dur_ticks[durs - t.durs[0]]) % TICKS_PER_BEAT]
                if even.any():
                    durs = durs[even]
            if t.eighth_return and self.note_pos % t.eighth_return:  # (`_Tables.eighth_return`)
                back = (self.note_pos + t.dur_ticks[durs - t.durs[0]]) % t.eighth_return == 0
                if back.any():
                    durs = durs[back]
            if t.compound_beat is not None:
                fits = compound_fits(self.note_pos, t.dur_ticks[durs - t.durs[0]], t.compound_beat)
                if fits.any():
                    durs = durs[fits]
            if t.note_against_note and self.v > 0 and self.vl is not None and self.vl.starts[0]:
                durs = self._with_the_soprano(at, durs)
            return durs
        if s == _NPOS:
            return self._pitches(self.note_pos)
        if s == _START:
            return t.single[t.bar_tok]
        fc = t.forced_chords
        if fc is not None:
            if self.bar < t.bar_offset:  # the pickup bar: the first given chord starts on bar 1
                return t.single[t.voice_tok[0]]
            ids = fc[(self.bar - t.bar_offset) % len(fc)]
            if s in (_CHORDS, _CPOS, _ROOT, _QUAL, _BASS) and self.chord_i < len(ids):
                return np.array([ids[self.chord_i]])
            return t.single[t.voice_tok[0]]
        final = self._final_chord_ids()
        if s == _ROOT:
            kind = self._cadence()
            if final:
                return final[1]
            tonic = self.opening_now == "tonic" or self._tonic_bar()
            if (kind or tonic) and self.root_pc in {t.root_pc[int(i)] for i in t.kinds[kind or "closed"][1]}:
                return t.kinds[kind or "closed"][2]  # the cadence's (a tonic chord's) qualities
            # another root (a 2-bar take's drawn approach on its opening bar): its own qualities (the
            # tonic's minor ones had made E an Em6 in F-sharp minor, in scale or not)
            return t.quals if t.quals_by_root is None else t.quals_by_root[self.root_pc]
        approach = self._approach_roots()
        if s == _CPOS:
            kind = self._cadence()
            if self._tonic_bar():  # between the approach and the last bar: the tonic chord
                return t.kinds["closed"][1]
            if approach is not None:  # a chord after the downbeat of the approach's bar: the approach
                return approach
            return final[0] if final else t.kinds[kind][1] if kind else self._opening_roots(t.roots)
        first = t.single[t.voice_tok[0]]
        if self._tight() or (s == _CHORDS and t.no_chords):
            return first
        lo = max(self.chord_pos, 0) + 1
        if self.bar == 0 and t.pickup:  # the pickup bar: a chord only where the music is, none required
            lo = max(lo, t.pickup)
            if s == _CHORDS:
                return np.concatenate([t.pos[lo : self.bar_len()], first])
        if s == _CHORDS:
            kind = self._cadence()
            roots = final[0] if final else t.kinds[kind][1] if kind else self._opening_roots(t.roots)
            # a lead sheet's closing bar names its tonic chord on the downbeat (else a chord from
            # the bar before could sound through the end: a piece "closed" on IV)
            closing = kind == "closed" and self.bar == t.n_bars - 1 and t.voices[0] == "M"
            if self._tonic_bar():
                # between the approach and the last bar: the tonic chord, named on the downbeat unless it sounds on into it
                tonic = t.kinds["closed"][1]
                held = self.chord_before is not None and self.chord_before[0] == t.tonic_pc
                return np.concatenate([tonic, first]) if held and not t.chord_every_bar else tonic
            if approach is not None:
                # the approach's bar, as drawn (`approach_start`): the approach from its downbeat
                # (or sounding on into it), or later in the bar, after another chord
                beats, done = self._approach_positions(lo), self._on_approach(approach)
                if self.approach_start == "downbeat":
                    return np.concatenate([approach, beats if done else beats[:0], first if done else first[:0]])
                other = np.setdiff1d(roots, approach)
                if len(other) and len(beats):
                    return other if t.chord_every_bar else np.concatenate([beats, other])
            # a lead sheet's cadence bar names its chord on the downbeat (a continuation's bridge had
            # half-closed under the chord before it, sounding on)
            cadence_bar = kind is not None and t.voices[0] == "M"
            if (t.chord_every_bar or closing or cadence_bar or self._contrast_opens()) and self.chord_pos < 0:
                return roots  # the downbeat chord
            return np.concatenate([t.pos[lo : self.bar_len()], roots, first])
        more = t.pos[lo : self.bar_len()], first  # (positions of further chords, the end of the bar's chords)
        if approach is not None:
            # the approach's bar: its chords end once one is the approach; after another chord the
            # approach follows on a beat (if no beat is left, the bar's chords go as they would)
            beats = self._approach_positions(lo)
            if self._on_approach(approach):
                more = beats[:0], first
            elif len(beats):
                more = beats, first[:0]
        if s == _QUAL:
            # under a cadence the bass is the chord's root (a tonic or dominant chord in root
            # position), so no slash bass
            basses = t.basses[self.root_pc] if self._cadence() is None else t.basses[self.root_pc][:0]
            third = t.other_third.get(self.qual_tok) if len(basses) else None
            if third is not None:  # (not the third the chord lacks: no Cm/E)
                basses = basses[t.bass_rel[self.root_pc] != third]
            return np.concatenate([basses, *more])
        if s == _BASS:
            return np.concatenate(more)
        return t.single[t.eos_tok]

    def advance(self, tok: int) -> None:
        t = self.t
        c = t.cat[tok]
        self.length += 1
        s = self.state
        if c != _C_ROOT:
            self.opening_now = None
        if c != _C_BAR and self.bar_toks:
            self.bar_toks[-1].append(tok)
        if c == _C_PITCH:
            if s == _VOICE:
                self.note_pos = self.cursor
            self.pitch = t.val[tok]
            self.state = _PITCH
        elif c == _C_DUR:
            self.cursor = self.note_pos + t.val[tok]
            self.voice_recent[self.v] = [*self.voice_recent[self.v][-2:], self.pitch]
            if self.v == 0:
                self.bar_melody.append(self.pitch)
                self.melody_low = self.pitch if self.melody_low is None else min(self.melody_low, self.pitch)
                self.melody_high = self.pitch if self.melody_high is None else max(self.melody_high, self.pitch)
                self.melody_end = self.bar * t.L + self.cursor
                if self.melody_by_bar:
                    self.melody_by_bar[-1].append((self.pitch, t.val[tok], self.note_pos))
                self.melody_outside_chord = (
                    t.given_chord_pcs is not None and not t.voice_leading and self.bar >= t.bar_offset
                    and self.pitch % 12 not in (self._chord_pcs_at(self.bar, self.note_pos) or range(12)))  # fmt: skip
                if t.style in APPROACH_CLASH_STYLES and t.tonal_weight > 0 and not self.melody_outside_chord:
                    # under the drawn approach chord (read only where its leanings are on: `approach_chord_bias`)
                    tones = self._under_approach(self.note_pos)
                    self.melody_outside_chord = tones is not None and self.pitch % 12 not in tones
                if self.bar == t.opening_bar and len(self.opening_melody) < OPENING_NOTES:
                    self.opening_melody.append(self.pitch)
                if self.bar in t.first_bars:
                    self.first_time += t.val[tok]
                    self.first_sum += self.pitch * t.val[tok]
                elif self.bar in t.contrast_bars:
                    self.contrast_time += t.val[tok]
                    self.contrast_sum += self.pitch * t.val[tok]
                if t.voice_leading and self.bar == t.n_bars - 1 and self.cursor >= t.last_L:
                    self.final_strike = self.note_pos  # the soprano's last note: the others strike with it
            self.degree_time[self.v, (self.pitch - t.tonic_pc) % 12] += t.val[tok]
            self.voice_pitch_time[self.v] += self.pitch * t.val[tok]
            self.dur_counts[self.v, tok - t.dur_base] += 1
            self.last_length_class[self.v] = int(DUR_CLASSES[tok - t.dur_base])
            self.quick_run[self.v] = self.quick_run[self.v] + 1 if 2 * t.val[tok] <= t.beat_ticks else 0
            if self.vl is not None:
                start = self.bar * t.L + self.note_pos
                self.count_spacing(self.vl, start, t.val[tok])
                self.vl.add(self.v, start, start + t.val[tok], self.pitch)
            self.state = _VOICE
        elif c == _C_POS:
            if s == _VOICE:
                self.note_pos = t.val[tok]
                self.state = _NPOS
            else:
                self.chord_pos = t.val[tok]
                self.chord_i += 1
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
            self.bar_melody = []
            if self.bar_chords:
                self.chord_before = self.bar_chords[-1][1:]
            self.bar_chords = []
            self.v = 0
            self.chord_pos = -1
            self.chord_i = 0
            self.state = _CHORDS
            self.bar_toks.append([])
            self.melody_by_bar.append([])
            self.bar_starts.append(tuple(self.cursors))
            src = self.copy_from[self.bar] if self.bar < len(self.copy_from) else None
            # repeat only a bar that began the same way (a note tied in changes what its tokens mean)
            ok = src is not None and src < len(self.bar_starts) and self.bar_starts[src] == self.bar_starts[-1]
            self.copy_src = src if ok and self._copy_fits(src) else None
        elif c == _C_ROOT:
            if s == _CHORDS:
                self.chord_pos = 0
            first = self.opening is not None and not self.opened and self.bar >= t.bar_offset
            # (a contrasting section's first chord: asked before this root joins the bar's chords)
            self.opening_now = self.opening if first else self.contrast_opening if self._contrast_opens() else None
            self.opened = self.opened or first
            self.root_pc = t.root_pc[tok]
            if self.first_root is None and self.bar >= t.bar_offset:
                self.first_root = self.root_pc
            self.bar_chords.append((max(0, self.chord_pos), self.root_pc, False))
            self.chord_i += 1
            self.state = _ROOT
        elif c == _C_QUAL:
            self.qual_tok = tok
            if self.bar_chords and tok in t.minor_quals:
                self.bar_chords[-1] = (*self.bar_chords[-1][:2], True)
            self.chord_i += 1
            self.state = _QUAL
        elif c == _C_BASS:
            self.chord_i += 1
            self.state = _BASS
        elif c == _C_EOS:
            self.state = _DONE

    @property
    def done(self) -> bool:
        return self.state == _DONE
