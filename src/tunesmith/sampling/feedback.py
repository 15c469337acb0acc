"""What a style's tuned decoding (`decoding.json`) sets in a take's automaton tables: the tonal,
register and rhythm feedback (logit offsets that draw a take back toward the style's profiles
while it is written), the shares a take's closing degree is drawn from, and a chorale's passage
through a related key. The offsets themselves are computed per step by
`Constrainer.tonal_bias` / `rhythm_bias`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tunesmith.sampling.request import (
    DEFAULT_RANGES,
    MODULATION_KEYS,
    MODULATION_MIN_BARS,
    MODULATION_SHARES,
    ComposeRequest,
    mode_family,
    tonic_triad,
)
from tunesmith.tokenizer import DUR_TICKS, TICKS_PER_BEAT

if TYPE_CHECKING:
    from tunesmith.sampling.tables import _Tables

# Tonal, register and rhythm feedback: no steering before two beats of melody (TONAL_MIN_TICKS) or four
# notes of a voice (RHYTHM_MIN_NOTES); shares are smoothed by FEEDBACK_EPS so that a degree or
# length not yet heard is not pulled in at full strength; offsets clipped to +-FEEDBACK_CLIP.
TONAL_MIN_TICKS = 2 * 12
REGISTER_MIN_TICKS = 4 * 12  # four beats of melody in a section before its mean is trusted
REGISTER_SCALE = 2.0  # semitones of error at which the register feedback pulls with its full gain
VOICE_REGISTER_STEP = 2.0  # semitones: a move this large or larger gets a voice's register tilt in full
# A contrasting section (a B strain, a bridge) does not open as the first section does: of 2,089
# AABB folk tunes (shippable training split) 3.4 % open their B strain with the first two pitches
# of their A strain's first bar (1.6 % with its first three), where the shipped model's takes did
# in 50 % (16 bars) and 38 % (32 bars), copying the opening in context (60 takes each; the session
# 25 note). Before a contrasting section's second note, when its first repeats the opening's, the
# opening's second pitch loses this many logits: the copy's odds fall by e^-8 (about 1/3000), so
# that even a copy the model is 99 % sure of is drawn about 3 % of the time (at 4 logits the
# teacher's jig, whose A strain opens three of its four phrases alike, still opened its B strain
# so in 2 of 4 seeds). Measured at 8: 1.7 % and 0 % of 60 takes.
OPENING_REPEAT_PENALTY = 8.0
OPENING_NOTES = 2  # how many of the opening's first pitches a contrasting section does not repeat
# Four parts: a lower voice's pitch in unison with the voice just above it, at the note's onset,
# loses so many logits, per lower voice (alto, tenor, bass; 0: off) and task (co-create: a harmonized
# soprano; compose). Harmonized chorales had sung alto and tenor in unison at 7.2 of 100 onsets
# where Bach's do at 2.6, soprano and alto at 4.5 against 3.2, tenor and bass at 5.3 against 4.0
# (40 valid sopranos): a musician read "the alto and tenor hug A3 and D3 throughout". Fitted on
# those 40 with the beat-to-beat parallel rule on (`python scripts/fit_unisons.py`): 3.05 / 2.91 /
# 4.22 against Bach's 3.17 / 2.59 / 4.03; on the 77 test sopranos (`--split test --n 77`) 2.79 /
# 2.25 / 4.04 (4.34 / 7.47 / 5.50 without), Bach's 2.83 / 1.80 / 3.90.
# Composed chorales (all four voices free) had sung alto and tenor in unison at 5.1 of 100 onsets,
# soprano-alto 2.9 and tenor-bass 3.3 (40 chorales of 8 bars in 8 keys): only the alto and tenor
# too often; with the tenor's 1 logit 2.7 / 2.7 / 3.5 (`fit_unisons.py --task compose`).
UNISON_PENALTIES = {"cocreate": (0.5, 2.0, 2.0), "compose": (0.0, 1.0, 0.0)}
# Composed chorales: on a beat, the tenor's or bass's pitch that leaves the sounding voices no triad
# or seventh chord loses so many logits (0: off). Composed chorales had 12.5 % of their beats so,
# Bach's valid chorales 8.6 % (`musician_checks.py beat-sonorities --n 40`; a teacher counted 8-14
# dissonant beats a take); at 1: 8.0 % (2: 5.7 %). Harmonizations follow their chord plan (0.04 %).
# Rides on the interval-feedback weight, as the unison penalties do. 2 since the lower voices' interval
# offsets ("lower_interval_offsets", session 34): their steps put passing tones on beats, 10.2 % of
# beats chordless -> 13.6 % at 1; at 2 10.4 % (`docs/notes/2026-12-04-session-34/bass_rule.py`).
CHORDLESS_BEAT_PENALTY = 2.0
# A composed chorale's lower voice struck on a beat a semitone (a major seventh, a minor ninth) from
# an upper voice's note struck there too loses this many logits, riding on the same weight; not
# against a note held into the beat (a suspension: Bach's semitones on the beat are prepared in
# 0.72 of them). Bach's valid chorales sound a semitone between two voices on 0.037 of their beats,
# struck together on 0.011; the composed chorales had 0.116 and 0.050 (40 takes). With the major
# seventh and augmented chords counted as chordless (`automaton._BEAT_CHORD_QUALITIES`) and this
# penalty at 2, 80 takes' beats with a semitone went 0.099 -> 0.052 (Bach 0.037), chordless ones
# 0.047 -> 0.034 (0.022); the bass's chromatic steps rose 2.2 -> 2.7 a hundred beats (Bach 1.8)
# (docs/notes/2026-12-05-session-50/chorale_sonorities.py). 0: off.
STRUCK_SEMITONE_PENALTY = 2.0
# A chorale's bass striking its last pitch again loses the first (and on a third strike in a row,
# the second as well) of these logits, riding on the same weight. The JSB grids merge a repeated
# note into one held note, so the data cannot teach how often Bach repeats one; yet composed basses
# repeated at 13.1 of 100 beats (runs of three or more 3.2), the model itself giving the repeat
# about half its probability where it was taken (`docs/notes/2026-12-04-session-34/bass_repeat_why.py`),
# and a musician saw the demo's bass strike A-flat eight times in eighths. Bach's basses as
# music21's corpus encodes them (measured there only: `bach_repeats_music21.py`) repeat at 2.9 of
# 100 beats, runs 0.12; the inner voices repeat more than the takes' and keep no penalty.
BASS_REPEAT_PENALTIES = (1.5, 3.0)
# ... and under a harmonizer's chord plan (harmonize), these instead: the plan's tiers offer the bass
# the octave or another chord tone where it would strike its note again (`voice_leading.
# BASS_LEAVES_A_STRUCK_PITCH`), and in 44 of the 86 repeats left in 20 harmonized JSB sopranos the
# model struck again all the same (docs/notes/2026-12-07-session-65/restrike_causes.py 20). With the
# plan's stay cost 0.25 and no return cost, the census of 40 (`chorale_census.py --takes 0`, seeds
# from 3000 / 5000 / 7000): bass repeats per 100 beats 8.20 / 7.91 / 8.32 at (1.5, 3) -> 6.96 /
# 7.05 / 7.09 at (2.5, 4) (Bach 2.9); tenor tritones 0.17 / 0.17 / 0.25 -> 0.17 / 0.29 / 0.33 (Bach
# 0.21), inner 4-3s 1.24 / 1.36 / 1.48 -> 1.24 / 1.36 / 1.40, the rest within a count or two. At
# (3.5, 5) repeats 6.06 / 6.10 / 6.35, but inner 4-3s fell at every seed and bass tritones rose at
# two (docs/notes/2026-12-07-session-66/with_arm.py repeat=A,B). With the plan's costs as shipped
# (0.4, 0.75): 6.67 / 7.29 / 7.33; with session 68's (0.35 and 0.5, a return counted at the chord
# change): 7.71 / 7.58 / 6.18, and with the inner voices' spacing (`INNER_SPACING_GAIN`) 6.30 /
# 6.80 / 6.39. Composed chorales keep the pair above.
PLANNED_BASS_REPEAT_PENALTIES = (2.5, 4.0)
# A harmonized chorale's alto and tenor tilt toward the distance below the voice above that Bach's
# keep (`Constrainer.spacing_bias`): time-weighted over his 229 JSB training chorales, the alto sits
# INNER_SPACING_TARGETS[0] semitones under the soprano, the tenor [1] under the alto. The first 40
# JSB validation sopranos harmonized (seed i) had sat 6.65 and 6.44 under (Bach's settings 5.44
# and 5.46), the alto at a mean of 63.9 (Bach 65.1), the tenor at 57.5 (59.6): the voices spread,
# the inner ones low. Above INNER_SPACING_CEILINGS (the pitches his alto and tenor sing under 3 %
# of the time, B4 and F-sharp 4) a pitch gets no pull up and loses half the gain: the tilt alone had
# sat the tenor on G4 for bars under a high alto (time at G4 or above 0.032 at gain 4, Bach 0.015;
# the alto at C5 or above 0.027, Bach 0.009). At gain 2 / 4 / 6 with them: 6.04 and 5.95 / 5.75 and
# 5.86 / 5.74 and 5.80; tenor at G4 or above 0.017 / 0.022 / 0.022, alto at C5 or above 0.010 /
# 0.013 / 0.009 (docs/notes/2026-12-07-session-68/inner_spacing.py and high_inner.py --gains ...).
# Not in the close nor at a phrase's cadence, whose own rules write the voices: the alto under the
# Passion chorale's fermatas still sits on G3.
INNER_SPACING_TARGETS = (5.38, 5.63)
INNER_SPACING_CEILINGS = (71, 66)
INNER_SPACING_GAIN = 4.0
# A harmonized chorale's bass (under the harmonizer's chord plan), choosing its note's length:
# a length that ends where the plan sets the bass on the same pitch class again loses these logits,
# so that the note holds over the repeated chord rather than stopping to be struck again. The plan
# holds the bass to its root first, and where it names one chord a beat for several beats (under a
# soprano's held note) the bass had struck it again each beat: 19.2 repeats per 100 beats, runs of
# three or more 4.1, in 40 harmonized JSB sopranos (`docs/notes/2026-12-07-session-64/chorale_census.py`),
# where composed basses repeat at 4.7 and Bach's (music21's encodings) at 2.9. With 2.0: 17.2 and
# 4.0; with 4.0: 13.8 and 2.6 (the other census measures within their seed-to-seed spread). Of what
# is left, about 40 % fall on a bar line (with 8.0, 103 of 194 remain); most of the rest were the
# bass's tiers leaving it only its own pitch (`voice_leading.BASS_LEAVES_A_STRUCK_PITCH`).
BASS_RESTRIKE_LENGTH_PENALTY = 4.0
# A composed chorale's bass, struck on a beat under an upper voice's note held into that beat: a
# pitch a fourth under the held note (a 4-3 suspension's dissonance) gets the first of these
# logits when that voice is the alto or tenor and steps down after it (a prepared suspension the
# bass completes), and the second when the voice is the soprano. Why: the takes' 4-3s lay in the
# wrong voices (per 100 beats, soprano / alto / tenor 0.61 / 0.61 / 0.15 against Bach's 0.16 /
# 0.96 / 0.76, JSB training; `docs/notes/2026-12-04-session-36/final_suspensions.py`). At (4, -2):
# 0.15 / 0.92 / 0.34 (Bach's validation chorales 0.11 / 1.02 / 0.30); beats without a chord 0.109
# -> 0.106 (Bach 0.086), parallels 2 -> 3 in 80 takes, validation classifier 0.636 +- 0.028 ->
# 0.643 +- 0.024. (1, -1) and (2, -2) moved the soprano's but not the inner voices' (0.50 / 0.19,
# 0.65 / 0.27): an inner voice seldom holds a note into a beat and then steps down.
SUSPENSION_BIASES = (4.0, -2.0)
# A composed chorale's bass that has just moved x-y by a semitone, one of the two outside the key
# (its scale; in minor with the raised 6th and 7th): going back to x (a chromatic knot, G G-sharp
# G) loses so many logits, riding on the interval-feedback weight. The takes' basses knotted so at
# 1.80 per 100 beats, Bach's at 1.11 (JSB training; `docs/notes/2026-12-04-session-36/voice_knots.py`);
# at 1.5: 1.30, at 3: 1.15, with beats without a chord 0.106 -> 0.107, parallels in 80 takes 3 -> 3
# and the validation classifier 0.643 +- 0.024 -> 0.647 +- 0.034.
BASS_KNOT_PENALTY = 3.0
# ... and a step by a semitone to a pitch outside the key loses this many (`Constrainer.chromatic_step_bias`),
# on the same weight. With the beat's semitone rules (`STRUCK_SEMITONE_PENALTY`) the bass had found
# its way round a clash chromatically: 2.67 such steps per 100 beats of 80 takes, Bach's valid
# chorales 1.81; at 1: 1.87, chromatic knots 25 -> 16, beats with a semitone 0.052 -> 0.056 (at 2:
# 0.99, 0.059; docs/notes/2026-12-05-session-50/chorale_sonorities.py, /tmp/chrom_exp.py).
BASS_CHROMATIC_STEP_PENALTY = 1.0
# A composed chorale's alto, tenor and bass that have just sung x-y-x in eighths or shorter: y again
# (a quick rock: E-flat F E-flat F in eighths) loses so many logits, riding on the interval-feedback
# weight. Per 100 beats the takes' inner voices rocked so at 0.87 (alto) and 1.17 (tenor), Bach's at
# 0.43 / 0.43 (JSB validation) and 0.34 / 0.27 (training); at 1.5: 0.28 / 0.46, their rocks at any
# length 5.91 / 4.92 -> 5.33 / 4.26 (Bach 6.17 / 4.17), beat-to-beat parallels in 80 takes 14 -> 16,
# beats without a chord unchanged, validation classifier 0.647 +- 0.034 -> 0.647 +- 0.006
# (`docs/notes/2026-12-04-session-37/rocking.py`). The bass's quick rocks are Bach's already (0.46 / 0.46).
QUICK_ROCK_PENALTIES = (1.5, 1.5, 0.0)
# ... in co-creation too (harmonize, a chorale's inpaint and continue): 40 harmonized JSB sopranos'
# alto and tenor rocked so at 0.54 and 1.24 per 100 beats at the session's start, 0.74 / 1.77 with
# the bass's hold (`BASS_RESTRIKE_LENGTH_PENALTY`), Bach's settings of them at 0.54 / 0.41; with the
# penalties 0.37 / 0.45 (`docs/notes/2026-12-07-session-64/chorale_census.py`, seeds 3000 on).
# False: compose only, as before session 64.
QUICK_ROCKS_IN_COCREATE = True
RHYTHM_MIN_NOTES = 4
# A dance's note-length moves: the melody's note lengths in classes (upper bounds in ticks of
# TICKS_PER_BEAT = 12: a sixteenth or shorter, a triplet eighth, an eighth, a dotted (or swung long)
# eighth, a quarter, a dotted quarter, a half, longer), and per class of the note before, a logit
# offset for each class of the next (a dance's "length_moves", fitted by scripts/fit_length_moves.py).
# Why the note before: a reel's takes had the tunes' share of quarters (0.139 against 0.133) but set
# them one by one between eighths (quarter-eighth-quarter 16.2 per 100 beats, the held-out reels
# 8.2), where a fiddler's quarters come in pairs and its eighths in longer runs; a hornpipe's did so
# twice as often as its tunes (10.1 against 4.8; docs/notes/2026-12-04-session-35/reel_lengths.py,
# dance_moves_eval.py).
LENGTH_CLASS_TICKS = (3, 5, 7, 10, 14, 20, 30)
LENGTH_CLASSES = len(LENGTH_CLASS_TICKS) + 1
LENGTH_CLASS_NAMES = ("16th", "triplet", "8th", "dotted 8th", "quarter", "dotted quarter", "half", "longer")


def length_class(ticks: float) -> int:
    """The class (0..LENGTH_CLASSES - 1) of a note length in ticks (`LENGTH_CLASS_TICKS`)."""
    return int(np.searchsorted(LENGTH_CLASS_TICKS, round(ticks), side="left"))


DUR_CLASSES = np.array([length_class(d) for d in DUR_TICKS])  # the class of each length of DUR_TICKS
# Interval offsets: the melody's absolute intervals 0..12 semitones and 13+, as
# `metrics.musicality.interval_histogram` counts them.
INTERVAL_BUCKETS = 14
FEEDBACK_EPS = 0.02
FEEDBACK_CLIP = 2.0
# A modulation's passage: about a sixth of the piece (a 12-bar chorale: 2 bars), at most 4 bars,
# in its second half (from a third in), clear of cadences, of repeated bars and of the last two bars.
MODULATION_MAX_BARS = 4


def _steer(target: np.ndarray, shares: np.ndarray, gain: float) -> np.ndarray:
    """gain * log(target / shares so far), smoothed and clipped: the feedback's logit offsets."""
    off = gain * np.log((target + FEEDBACK_EPS) / (shares + FEEDBACK_EPS))
    return np.clip(off, -FEEDBACK_CLIP, FEEDBACK_CLIP)


def set_tonal_feedback(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """Turn on the tonal feedback when the style's decoding has a "degree_profile" (time per
    scale degree of the training pieces, per mode family: one list for a lead sheet's melody, or
    {voice letter: list} for a chorale's voices) and a "tonal_feedback" gain: at each pitch of a
    steered voice, every degree's logit moves by gain * log(profile / the voice's own time on it
    so far). A lead sheet that has dwelt on the relative minor's or the dominant's notes is drawn
    back toward its key, as a tune comes home; a chorale voice that has kept to the scale is drawn
    toward Bach's share of raised and lowered degrees (secondary leading tones, modulations). No
    degree is ever forbidden. Scaled by the request's `tonal_feedback` weight (0: off)."""
    profile = (tuned.get("degree_profile") or {}).get(mode_family(request.mode))
    weight = 1.0 if request.tonal_feedback is None else float(request.tonal_feedback)
    # the leanings toward a drawn approach chord ride on it where the style has a profile for any
    # mode (pop has none for minor keys); a model with no tuned profile (a user's) steers nothing
    tables.tonal_weight = weight if tuned.get("degree_profile") else 0.0
    gain = float(tuned.get("tonal_feedback", 0.0)) * weight
    if profile is None or gain <= 0:
        return
    if isinstance(profile, dict):  # per voice letter: the voices of the layout, from the top, while they have one
        rows = []
        for v in tables.voices:
            if v not in profile:
                break
            rows.append(profile[v])
        if not rows:
            return
    elif request.layout == "lead":
        rows = [profile]
    else:
        return
    tables.tonal_target = np.asarray(rows, dtype=np.float64)
    tables.tonal_gain = gain


def set_register_feedback(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """Turn on the register feedback of a lead sheet with contrasting sections (AABB's B strain,
    AABA's bridge) when the style's decoding has "register_lift" (semitones: how far the training
    tunes' contrasting sections sit over their first) and "register_gain" (fitted by
    scripts/fit_register_lift.py). Without it a take's B strain sat where its A strain did: real
    32-bar folk tunes lift it by 2.1 semitones (shippable training split), the takes by 0.7."""
    gain = float(tuned.get("register_gain", 0.0))
    if gain <= 0 or request.layout != "lead" or not tables.contrast_bars:
        return
    tables.register_lift = float(tuned.get("register_lift", 0.0))
    tables.register_gain = gain


def _under_default_range(request: ComposeRequest) -> bool:
    """Whether the request keeps its style's default range: a register correction fitted to the
    style applies there, and a range the user gave is the user's register."""
    default = DEFAULT_RANGES.get(request.style)
    return default is not None and tuple(request.pitch_range) == default


def set_voice_register_feedback(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """Turn on the four voices' register feedback when the style's decoding has "voice_registers"
    (each voice's mean pitch, MIDI, over the training chorales) and "voice_register_gain" (fitted by
    scripts/fit_voice_registers.py): while a voice is written, its pitches tilt toward where that
    voice sits in the style. Why: Bach's voices sit where they sit whatever the key (soprano means
    69.9 - 72.1 over the 14 commonest keys; SD over chorales 1.9 semitones), while the model writes
    relative to the key (`Tokenizer` version 2) and its takes followed the key's tonic down: sopranos
    at 66.0 in E-flat, 66.3 in G minor, 69.4 in G, against Bach's 70.3, 69.9, 70.2. Scaled by the
    request's `interval_feedback` weight, as the voices' other offsets are (0: off).

    A lead sheet's melody (one register, "voice_registers": [mean]) has it only under the style's
    default range, as `set_pitch_offsets`: under a range the user gave, the register is the user's.
    Why: each take settled on a register of its own and kept it, a jazz take in B-flat at B-flat 3
    to D4 all through; the takes' mean pitch varied from take to take twice as much as the tunes'
    (shippable training headers: SD over pieces 4.2 semitones for jazz, 3.6 for pop, against the
    tunes' 1.7 and 1.9; `docs/notes/2026-12-04-session-36/registers.py`)."""
    gain = float(tuned.get("voice_register_gain", 0.0))
    targets = tuned.get("voice_registers")
    weight = 1.0 if request.interval_feedback is None else max(0.0, float(request.interval_feedback))
    if gain <= 0 or weight <= 0 or not targets or len(targets) != len(tables.voices):
        return
    if request.layout != "satb" and not (request.layout == "lead" and _under_default_range(request)):
        return
    tables.voice_register_target = np.asarray(targets, dtype=np.float64)
    tables.voice_register_gain = gain * weight


def dance_profile(tuned: dict, request: ComposeRequest) -> dict | None:
    """The request's dance's entry of the style's decoding ("dances": its meter, note lengths,
    length moves and interval offsets), or None without a dance or one the decoding lacks."""
    return (tuned.get("dances") or {}).get(getattr(request, "dance", None) or "")


def set_interval_feedback(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """Turn on the interval offsets of a lead sheet's melody (a chorale's soprano) when the
    style's decoding has "interval_offsets" (one logit offset per absolute interval size, `INTERVAL_BUCKETS`, fitted by
    scripts/fit_interval_feedback.py so that takes composed under the training tunes' headers
    move by repeats, steps and leaps as often as the tunes do): before each melody pitch, every
    pitch's logit moves by the offset of the interval it would make from the note before. Why a
    fixed offset and not a feedback on the take's own shares so far: the model's excess is a
    steady lean (folk: 4.4 % of intervals larger than a fifth against the tunes' 2.7 %, major
    thirds 12.6 % against 9.5 %, steps 44.6 % against 49.7 %; valid split, 120 takes), and a
    feedback proportional to the error leaves most of a steady lean in place (tried: gains 0.5 to
    2 reshaped each take's mix of steps but left the mean interval at 2.77 against 2.82).
    With "return_offsets" ({"return": r, "rock": k}) a melody that has just moved x-y also gets r
    on the pitch x (a return), and after x-y-x another k on y (a rock, x-y-x-y): the chorale
    model's sopranos rocked x-y-x-y in 18.2 % of four-note windows against Bach's 4.4 %, folk's
    melodies in 4.9 % against the tunes' 2.6 % (valid split, 120 takes), which an offset per
    interval size cannot see. A chorale's "lower_return_offsets" (one such table for each of the
    alto, tenor and bass) do the same for its lower voices (their rocking: 9.2 / 7.5 / 3.4 % of
    windows against Bach's 8.0 / 5.2 / 1.2 %), and its "lower_interval_offsets" (three tables of
    interval offsets, alto, tenor, bass) move their pitches as "interval_offsets" moves the
    soprano's: without them the composed basses moved by step in 43 % of their moves against
    Bach's 66 %, by a fourth or fifth in 36 % against 21 % (the tenor's steps 62 % against 76 %;
    `docs/notes/2026-12-04-session-34/bass_moves.py`). Scaled by the request's
    `interval_feedback` weight (0: off), as the chorale voices' unison penalties are.
    A dance (`--dance`) whose profile has "interval_offsets" of its own uses them instead of the
    style's (scripts/fit_dance_intervals.py, fitted the same way on that dance's training tunes):
    the style's offsets were fitted on folk takes of no dance, and a dance's rhythm and strain
    rules leave its takes leaping more than its tunes (jig 2.83 semitones against 2.49, polka 2.96
    against 2.50; sixths to octaves 4.5 % of jig moves against 2.5 %; held-out tunes' first 16 bars,
    docs/notes/2026-12-07-session-69/dance_intervals.py)."""
    offsets = tuned.get("interval_offsets")
    dance = dance_profile(tuned, request) or {}
    if dance.get("interval_offsets") is not None and request.layout == "lead":
        offsets = dance["interval_offsets"]
    weight = 1.0 if request.interval_feedback is None else float(request.interval_feedback)
    # the four voices' unison penalties (`UNISON_PENALTIES`) ride on the same weight, as the lower
    # voices' return offsets do (the tuner samples without either: its replay scores masks alone)
    tables.lower_voice_weight = max(0.0, weight) if request.layout == "satb" else 0.0
    after_rest = tuned.get("rest_interval_offsets")
    if weight > 0 and request.layout == "lead" and after_rest and len(after_rest) == INTERVAL_BUCKETS:
        # a lead sheet's note after a rest (a phrase's first): these besides, as a rest's own
        # moves (`scripts/fit_rest_offset.py --intervals`); the takes' phrases had started a fourth
        # or more away 0.55 of the time, the tunes' 0.34 (jazz, shippable training headers)
        tables.rest_interval_offsets = weight * np.asarray(after_rest, dtype=np.float64)
    if weight <= 0 or request.layout not in ("lead", "satb") or not offsets or len(offsets) != INTERVAL_BUCKETS:
        return
    tables.interval_offsets = weight * np.asarray(offsets, dtype=np.float64)
    back = tuned.get("return_offsets")
    if back:
        tables.return_offsets = weight * np.array([back.get("return", 0.0), back.get("rock", 0.0)], dtype=np.float64)
    lower = tuned.get("lower_return_offsets")
    if lower and request.layout == "satb":
        tables.lower_return_offsets = weight * np.array(
            [[d.get("return", 0.0), d.get("rock", 0.0)] for d in lower], dtype=np.float64
        )
    lower = tuned.get("lower_interval_offsets")
    if lower and request.layout == "satb":
        tables.lower_interval_offsets = weight * np.asarray(lower, dtype=np.float64)


def set_pitch_offsets(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """A composed melody (a chorale's soprano), under the style's default range: when its decoding
    has "pitch_offsets" ({"low": MIDI pitch, "values": one logit offset per pitch from it up},
    fitted by scripts/fit_pitch_offsets.py so that takes under the training tunes' headers sit on
    each pitch as often as the tunes do), every melody pitch's logit moves by its offset (0 outside
    the table). Why: folk takes matched the tunes' median lowest and highest notes but not their
    tails: 9-12 % of takes in G, A and E reached G3, the default range's floor, against 0-3 % of the
    held-out tunes, and their highest note's 90th percentile was D6, the ceiling, against B5; their
    span 17.1 semitones against 14.0 (`docs/notes/2026-12-04-session-34/folk_low_by_key.py`,
    `range_by_style.py`). Composed chorale sopranos had the same tails: 9.6 % of their notes under
    E4 against Bach's 1.9 % (`voice_registers.py`). Off under any range but the style's default
    (the register is then the user's), in co-create (the given music's register leads) and with
    `interval_feedback` 0; scaled by it."""
    # the table fitted for the request's tonic where the style has one ("pitch_offsets_by_tonic",
    # `scripts/fit_pitch_offsets.py --by-tonic`), else the style's: one table for every key had left
    # folk takes in A below D4 0.54 of the time, the tunes 0.15 (in G 0.06 against 0.09; the model
    # writes relative to the key, and where a tune lives on the fiddle is not)
    table = (tuned.get("pitch_offsets_by_tonic") or {}).get(str(tables.tonic_pc)) or tuned.get("pitch_offsets")
    weight = 1.0 if request.interval_feedback is None else float(request.interval_feedback)
    if not table or weight <= 0 or request.layout not in ("lead", "satb") or not _under_default_range(request):
        return
    values = np.asarray(table["values"], dtype=np.float64)
    at = tables.pitch_real - int(table["low"])
    inside = (at >= 0) & (at < len(values))
    tables.pitch_offsets = weight * np.where(inside, values[np.clip(at, 0, len(values) - 1)], 0.0)


def set_rest_offset(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """A lead sheet's melody: where the style's decoding has "rest_offset" (fitted by
    scripts/fit_rest_offset.py so that takes under the shippable training tunes' headers rest as
    often as those tunes), each rest it may take next (a position after the note just ended, or
    closing its bar early) gains that many logits (`Constrainer.rest_bias`). Why: a jazz pianist
    found 27 of 36 jazz takes without a rest of an eighth or more, their longest run without one 16
    bars, where a tune's phrases end on a rest: takes under the training tunes' headers rested 0.28
    times per 8 bars (jazz), the tunes 1.30, and their melodies ran 25 bars without one (the tunes
    15; docs/notes/2026-12-05-session-47/rests.py). The model learned its rhythm mostly from fiddle
    tunes, which rest 0.04 times per 8 bars. Scaled by the request's `rhythm_feedback` weight (0:
    off, as the tuner's replay has it)."""
    value = float(tuned.get("rest_offset", 0.0))
    weight = 1.0 if request.rhythm_feedback is None else float(request.rhythm_feedback)
    if value and weight > 0 and request.layout == "lead":
        tables.rest_offset = value * weight


def set_root_offsets(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """A lead sheet's chord symbols: where the style's decoding has "root_offsets" for the
    request's mode family (fitted by scripts/fit_root_offsets.py so that the composer's own
    chords under the shippable training headers sit on each degree as long as the style's
    shippable songs' chords do), a chord root gains its degree's offset
    (`Constrainer.root_bias`; the chord roots' total share of the step is kept, so a chord is
    written as often as before). Why it was built: the pop composer wrote I and V in 0.86 of its chord time,
    IV in 0.04 and vi in 0.03, where Billboard's songs give I and V 0.55, IV 0.20 and vi 0.07
    (docs/notes/2026-12-05-session-50/root_shares.py; drawing at a higher temperature did not
    change it, and the form's cadence bars account for a quarter of the time); jazz wrote I in
    0.43 against its tunes' 0.24-0.34. The shipped model holds none: fitted offsets brought the
    roots to the songs' shares, but the melodies the composer wrote over them were heard in the key
    asked 8-9 points less often (pop 0.728 -> 0.650, jazz 0.681 -> 0.593, the real 0.731 / 0.706;
    the session 50 note). Scaled by the request's `tonal_feedback` weight (0: off, as the tuner's
    replay has it); never under the musician's chords (they are a control)."""
    row = (tuned.get("root_offsets") or {}).get(mode_family(request.mode))
    weight = 1.0 if request.tonal_feedback is None else float(request.tonal_feedback)
    if not row or weight <= 0 or request.layout != "lead" or request.chords:
        return
    ids = np.array(sorted(tables.root_pc))
    degrees = np.array([(tables.root_pc[i] - tables.tonic_pc) % 12 for i in ids])
    tables.root_offset_ids = ids
    tables.root_offsets = weight * np.asarray(row, dtype=np.float64)[degrees]


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


# Per dance, what a melody note of two beats or more loses where it starts before the last bar of a
# strain (`Constrainer.rhythm_bias`): a reel runs on in eighths and rests at its strain ends. Per
# 100 bars, 40 reel takes had held a half note mid-strain 8.9 times and a note of 3 beats or more
# 1.25 times; the shippable training reels (326) 3.9 and 0.87. With 1.0: 2.8 and 0.78 (1.5: 1.7 and
# 0.31). The session fiddler had read such reels as airs
# (docs/notes/2026-12-05-session-44/reel_long_notes.py 40 --penalty P).
MID_PHRASE_LONG_NOTE_PENALTIES: dict[str, float] = {"reel": 1.0}
# Per dance, what a melody note of a beat or more loses where it starts in the second half of a bar
# whose notes so far have all lasted a beat or more, before the last bar of a strain
# (`Constrainer.rhythm_bias`): a reel runs in eighths. 60 reel takes of 16 bars had a bar with no
# note shorter than a beat in 0.056 of their bars (37 % of the takes); 60 shippable training reels
# in 0.003 (7 %). A fiddler read bars such as E5 E5 E5 E4 as no reel
# (docs/notes/2026-12-07-session-61/reel_quarter_bars.py 60).
SLOW_BAR_PENALTIES: dict[str, float] = {"reel": 2.0}
# Per dance, what a melody note of a beat or more loses where its bar already holds one, before the
# piece's last bar (`Constrainer.rhythm_bias`): a reel's bar seldom holds two. Shares of bars with
# two or more, by the bar's place in its strain (1-8): 60 shippable training reels 0.17 0.07 0.15
# 0.10 0.21 0.06 0.08 0.06; 60 16-bar reel takes 0.36 0.22 0.23 0.52 0.36 0.22 0.23 0.56
# (docs/notes/2026-12-07-session-65/reel_long_notes_by_bar.py 60). Against the 199 held-out reels
# (`reel_c2st.py`, classifier seeds 0-3; with `RHYTHM_RULES_AT_CADENCES`): a fresh classifier
# told the takes 0.859 +- 0.011 before, 0.830 +- 0.016 with 1.0, 0.822 +- 0.011 with 2.0; notes of a
# beat or more 0.172, 0.150, 0.138 (the reels 0.076); but at 2.0 the quarters went one by one
# between eighths, 10.5 quarter-eighth alternations per 100 beats against the reels' 8.0 (1.0: 8.5;
# before: 5.7); in the cadence bars alone (2.0) 0.861 +- 0.007. (Those classifier figures set
# 16-bar takes against whole reels, and the classifier counts notes; cut to 16 bars, session 66's
# `dance_c2st.py` gives the takes of session 65 0.744 +- 0.014. The shares of notes stand.)
SECOND_LONG_NOTE_PENALTIES: dict[str, float] = {"reel": 1.0}
# Per dance, what a melody note loses, before the piece's last bar, whose length the dance's training
# tunes play for fewer than `RARE_LENGTH_SHARE` of their notes (its "rhythm_profile";
# `Constrainer.rhythm_bias`): the profile's feedback steers shares, it does not keep out a length
# the tunes never play. Against the first 16 bars of 134 held-out reels a fresh classifier's
# strongest tells were the takes' dotted eighths and dotted halves, which no reel there has (Cohen's
# d 0.72 and 0.59; the training reels play them 0.04 % and 0.008 % of the time;
# `metrics.c2st.explain`). With the rule, 20 reels in D play no dotted eighth before their last bar
# (8 without). The classifier hardly moves (docs/notes/2026-12-07-session-66/dance_c2st.py, seeds
# 0-7, 134 held-out reels cut to 16 bars): 0.729 +- 0.028 -> 0.720 +- 0.012. Not the jig's halves
# (0.18 %), its tell: at 0.2 % the jigs' classifier did not move (0.684 -> 0.691, session 66); and
# a share of 0.2 % for the reel would take in its halves (0.16 %), which its strains may end on.
# The polka, since session 67, at its own share (`RARE_LENGTH_SHARES`, 0.2 %): its dotted quarters
# (0.11 % of its training tunes' notes) were its classifier's strongest tell (Cohen's d 1.58). 40
# composed polkas of 16 bars played 17 dotted quarters, 10 halves, 2 dotted halves and a triplet
# eighth before their last bar; with the rule none (docs/notes/2026-12-07-session-67/polka_lengths.py).
# Against the 19 held-out polkas (`dance_c2st.py --dances polka --rare-penalties 6,0`, classifier
# seeds 0-7): 0.724 +- 0.047 -> 0.684 +- 0.032, lower at 7 seeds of 8.
RARE_LENGTH_PENALTIES: dict[str, float] = {"reel": 6.0, "polka": 6.0}
RARE_LENGTH_SHARE = 0.001
RARE_LENGTH_SHARES: dict[str, float] = {"polka": 0.002}
# The dances whose three rules above act in their phrases' cadence bars too (a strain's 4th and
# 8th bars), all but the piece's last: a reel runs on through its half closes and strain ends. 60
# shippable training reels against 60 16-bar reel takes, notes of a beat or more per bar by the
# bar's place in its strain (1-8): tunes 0.86 0.55 0.77 0.61 0.92 0.53 0.51 0.67, takes 1.23 0.84
# 0.91 1.58 1.23 0.84 0.91 1.80 (docs/notes/2026-12-07-session-65/reel_long_notes_by_bar.py 60);
# of 40 of each, the tunes' 4th bar was all eighths in 33 of 80, the takes' in 15, and 8 of theirs
# ran in plain quarters (reel_bar_rhythms.py 40).
RHYTHM_RULES_AT_CADENCES: frozenset[str] = frozenset({"reel"})
# Per dance, what a melody pitch loses where the two notes before it were that pitch (a third strike
# in a row). Composed dances struck their note a third time more often than their tunes, most of all
# at strain ends, where every note in the last beat had to close (`automaton.STRAIN_END_LEAD_IN` has
# freed those). With that, 40 takes a dance under the keys of the shippable training tunes, third
# strikes per 100 notes: reels 0.86 (tunes 0.61), jigs 2.64 (2.19), hornpipes 1.05 (1.45), polkas
# 2.37 (0.80); the polka at 3 logits 0.77 (docs/notes/2026-12-07-session-68/strain_ends.py --splits
# train). Its classifier against the 19 held-out polkas did not move (dance_c2st.py, seeds 0-7:
# 0.697 +- 0.035 -> 0.681 +- 0.028). Reels and jigs at 2 and 1.5 matched their tunes' rate too, but
# without the lead-in their classifiers rose (0.720 -> 0.747, 0.684 -> 0.732), so they have none.
# Since the polka's own interval offsets (session 69: their repeat offset is -0.84 where the style's
# is -0.42) the polka strikes 2.34 at 0 and 1.10 at 3 (held-out tunes 1.06).
THIRD_STRIKE_PENALTIES: dict[str, float] = {"polka": 3.0}
# The styles whose lead sheets lead on from a section's closing note (`automaton.STRAIN_END_LEAD_IN`;
# `tables._Tables` reads it): once it is struck on a beat of the section's last beat, the notes after
# it are free. A dance's strains had since session 68; songs' sections had closed on every note of
# that beat, and struck one note again and again to fill it (D D D, A A A to end a 6/8 strain).
# Runs of three strikes or more ending a phrase (docs/notes/2026-12-07-session-70/
# phrase_end_strikes.py, each 4 bars), takes under the tunes' headers: folk 0.024 -> 0.010 (80
# shippable validation tunes 0.026), pop 0.078 -> 0.055 (121 shippable training songs 0.040), jazz
# 0.062 -> 0.037 (75 training tunes 0.028); 60 default 16-bar takes: folk 0.092 -> 0.017, pop 0.113
# -> 0.092, jazz 0.050 -> 0.033.
# The validation classifier did not move (seeds 0-3: folk 0.652 -> 0.647, pop 0.798 -> 0.799, jazz
# 0.752 -> 0.752), nor any other row of `scripts/evaluate_musicality.py` by more than its SD.
SECTION_END_LEAD_IN_STYLES: set[str] = {"folk", "pop", "jazz"}

# The dances whose melody notes struck off the downbeat end by the next bar line (`Constrainer`'s
# note lengths): waltz takes had tied a note from beat 3 over the bar line 12.4 times per 100 bars,
# the shippable training tunes in 3/4 never (their 3.0 ties per 100 bars are notes longer than a
# bar, struck on the downbeat); a folk-song scholar read them as no dance
# (docs/notes/2026-12-06-session-54/waltz_ties.py 30).
OFFBEAT_NOTES_END_AT_THE_BAR_LINE: frozenset[str] = frozenset({"waltz"})


def set_rhythm_feedback(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """Turn on the rhythm feedback when the style's decoding has a "rhythm_profile" (per voice
    letter, the share of each note length of `DUR_TICKS` in the training pieces) and a
    "rhythm_feedback" gain: before each note length, every length's logit moves by gain *
    log(profile / the voice's own share so far), so a voice that has run in eighths is drawn back
    toward the style's quarters and halves. Scaled by the request's `rhythm_feedback` (0: off)."""
    profile = tuned.get("rhythm_profile") or {}
    weight = 1.0 if request.rhythm_feedback is None else float(request.rhythm_feedback)
    gain = float(tuned.get("rhythm_feedback", 0.0)) * weight
    dance = dance_profile(tuned, request)
    if dance and tables.voices == ("M",):
        # a dance's own note lengths, measured in its own meter (a jig's in 6/8: no compound reading)
        tables.rhythm_target = np.array([dance["rhythm_profile"]], dtype=np.float64)
        tables.rhythm_gain = float(tuned.get("dance_rhythm_feedback", 0.0)) * weight
        if tables.rhythm_gain <= 0:
            tables.rhythm_target = None
        moves = dance.get("length_moves")
        if moves is not None and weight > 0:  # (classes of the note before, classes of the next) -> per DUR_TICKS
            tables.length_moves = weight * np.asarray(moves, dtype=np.float64)[:, DUR_CLASSES]
        tables.long_note_penalty = MID_PHRASE_LONG_NOTE_PENALTIES.get(request.dance, 0.0) * weight
        tables.slow_bar_penalty = SLOW_BAR_PENALTIES.get(request.dance, 0.0) * weight
        tables.second_long_note_penalty = SECOND_LONG_NOTE_PENALTIES.get(request.dance, 0.0) * weight
        rare = RARE_LENGTH_PENALTIES.get(request.dance, 0.0) * weight
        if rare > 0:
            share = RARE_LENGTH_SHARES.get(request.dance, RARE_LENGTH_SHARE)
            tables.rare_length_offsets = -rare * (np.asarray(dance["rhythm_profile"]) < share)
        tables.rhythm_rules_at_cadences = request.dance in RHYTHM_RULES_AT_CADENCES
        tables.third_strike_penalty = THIRD_STRIKE_PENALTIES.get(request.dance, 0.0) * weight
        tables.offbeat_ends_at_bar_line = request.dance in OFFBEAT_NOTES_END_AT_THE_BAR_LINE
        return
    if gain <= 0 or not all(v in profile for v in tables.voices):
        return
    tables.rhythm_target = np.array([profile[v] for v in tables.voices], dtype=np.float64)
    if tables.compound_beat is not None:
        tables.rhythm_target = compound_profile(tables.rhythm_target)
    tables.rhythm_gain = gain


def compound_profile(shares: np.ndarray) -> np.ndarray:
    """A simple meter's shares of note lengths (the last axis over `DUR_TICKS`) read in compound
    time: a length of whole quarter-note beats becomes as many dotted-quarter beats (a quarter a
    dotted quarter, a half a dotted half) and shorter lengths stay (the eighth moves inside the
    beat in both). Bach's chorales are all in 4/4 or 3/4; in 6/8 their profile of quarters would
    draw the lower voices into quarter notes against the dotted-quarter beat."""
    ticks = np.array(DUR_TICKS)
    out = np.array(shares, dtype=np.float64)
    for i, d in enumerate(DUR_TICKS):
        if d % TICKS_PER_BEAT == 0 and d * 3 // 2 in DUR_TICKS:
            j = int(np.flatnonzero(ticks == d * 3 // 2)[0])
            out[..., j] += shares[..., i]
            out[..., i] -= shares[..., i]
    return out


def set_modulation(tables: _Tables, request: ComposeRequest, tuned: dict) -> None:
    """Let each take pass through a related key when the style has `MODULATION_SHARES` and its
    decoding a "modulation_gain" and a per-voice "degree_profile" for both mode families: the
    take draws a key (or takes the request's `modulation`) and a passage of bars
    (`Constrainer.draw_ending`), and while it writes those bars every voice's pitch logits move by
    gain * log(the new key's profile / the home key's), clipped, so that the model's home-key
    habits become the new key's (in C, toward G: F-sharp up, F down) without a pitch being
    forbidden. The passage lies clear of the cadences and of bars repeated from elsewhere, and
    its last bar closes in the new key (the bass on its tonic, the other voices on its triad);
    afterwards the music is free to come home, as the closing cadence makes it. A request's
    `modulation` "none" keeps the key; one named where the model cannot modulate is refused."""
    asked = request.modulation
    if asked == "none":
        return
    shares = MODULATION_SHARES.get(request.style, {}).get(mode_family(request.mode))
    profiles = tuned.get("degree_profile") or {}
    gain = float(tuned.get("modulation_gain", 0.0))
    home = profiles.get(mode_family(request.mode))
    n = tables.n_bars
    able = bool(shares) and gain > 0 and isinstance(home, dict) and all(v in home for v in tables.voices)
    if asked is not None:
        if not able:
            raise ValueError(f"modulation {asked!r}: this model has no modulation for {request.style} "
                             "(decoding.json: a per-voice degree_profile and a modulation_gain)")  # fmt: skip
        shares = {asked: 1.0}
    if tables.modal:  # a church mode passes only through keys whose triad is in its scale
        fits = {name for name, (step, family) in MODULATION_KEYS.items()
                if set(tonic_triad((tables.tonic_pc + step) % 12, family)) <= tables.mode_scale}  # fmt: skip
        if asked is not None and asked not in fits:
            raise ValueError(f"modulation {asked!r}: its key's tonic triad is not in the scale of "
                             f"{request.key} {request.mode}; choose one of {', '.join(sorted(fits)) or 'none'}")  # fmt: skip
        shares = {name: w for name, w in (shares or {}).items() if name in fits}
        able = able and bool(shares)
    if not able or n < MODULATION_MIN_BARS:
        return
    sources = {b for b in tables.copy_from if b is not None}
    # (a chorale's phrase cadence is no obstacle: a passage's own cadence takes its place)
    eligible = [max(1, n // 3) <= b <= n - 3 and (tables.bar_cadence[b] is None or b in tables.phrase_bars)
                and tables.copy_from[b] is None and b not in sources for b in range(n)]  # fmt: skip
    for span in range(min(MODULATION_MAX_BARS, max(1, round(n / 6))), 0, -1):
        starts = [b for b in range(n - span + 1) if all(eligible[b : b + span])]
        if starts:
            break
    else:
        if asked is not None:
            raise ValueError(f"modulation {asked!r}: no bars for it in this form (every bar between the first "
                             "third and the last two is a cadence or a repeat)")  # fmt: skip
        return
    options, bias = [], {}
    for name, share in shares.items():
        shift, family = MODULATION_KEYS[name]
        target = profiles.get(family)
        if not isinstance(target, dict) or not all(v in target for v in tables.voices):
            continue
        rows = []
        for v in tables.voices:
            new = np.roll(np.asarray(target[v], dtype=np.float64), shift)  # its degree d: d - shift in the new key
            old = np.asarray(home[v], dtype=np.float64)
            rows.append(_steer(new, old, gain)[tables.pitch_degrees])
        options.append((name, share))
        bias[name] = np.array(rows)
    total = sum(w for _, w in options)
    if not options or total <= 0:
        return
    tables.modulations = [(name, w / total) for name, w in options]
    tables.modulation_bias = bias
    tables.modulation_starts = starts
    tables.modulation_span = span


def add_modulation_cadences(tables: _Tables, request: ComposeRequest) -> None:
    """A drawn modulation's passage closes in its key (`Constrainer._cadence_at`), as a chorale's
    phrase does at a fermata: the bass on the new tonic, the other voices on its triad. Every
    related key's cadence kind ("to V", ...) goes into `tables.kinds` for a style that modulates,
    whether or not a take draws it, so that a replayed take finds its own."""
    if request.style not in MODULATION_SHARES:
        return
    for name, (step, family) in MODULATION_KEYS.items():
        new_pc = (tables.tonic_pc + step) % 12
        quals = ("m", "m7") if family == "minor" else ("", "maj7")
        tables.kinds["to " + name] = (
            [frozenset({new_pc}) if v == "B" else frozenset(tonic_triad(new_pc, family)) for v in tables.voices],
            np.array([tables.tok.root_id(tables.key_names[new_pc], tables.shift)]),
            np.array([tables.tok.qual_id(q) for q in quals]),
        )
