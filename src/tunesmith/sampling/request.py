"""What a request asks for: `ComposeRequest` (validated at construction) and the tables that give
a style's defaults (forms, cadences, closing degrees and lengths, bar form, pitch ranges, the
limits on bars and tempo), the parsing of a form into sections, and `Take`, what a request gets
back."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from tunesmith import score as _score
from tunesmith.score import MODES, STYLES, Piece, meter_of
from tunesmith.score import SATB_RANGES as SCORE_SATB_RANGES
from tunesmith.tokenizer import (
    LAYOUTS,
    METERS,
    PITCH_MAX,
    PITCH_MIN,
    TICKS_PER_BEAT,
    meter_ticks,
    spell_name,
    split_figure,
)

# the modes a header names live beside the representation (the tokenizer reads them too); sampling
# keeps its names for them
MINOR_THIRD_MODES, MODEL_MODES = _score.MINOR_THIRD_MODES, _score.MODEL_MODES
mode_family, header_mode = _score.mode_family, _score.header_mode

MAX_REQUEST_BARS = 64
MIN_TEMPO, MAX_TEMPO = 20.0, 400.0
MIN_MELODY_SPAN = 5  # semitones: a melody needs at least a fourth
MIN_VOICE_SPAN = 7  # semitones: each chorale voice needs at least a fifth
# Chorale voice ranges (MIDI, score.SATB_RANGES), each clipped to the request's range.
SATB_RANGES = {name[0].upper(): bounds for name, bounds in SCORE_SATB_RANGES.items()}
DEFAULT_RANGES = {"chorale": (40, 81), "folk": (55, 86), "pop": (53, 84), "jazz": (53, 86)}


# "tonic": close as the style's pieces close (mostly on the tonic, each take drawing its ending as
# often as they do); "home": always the tonic, over the tonic chord; "free": as the model likes;
# "loop": no close, the last bar a half close on V that leads back to the first (a game's level
# music, played round and round; no pickup, so that the loop turns on a downbeat)
CADENCES = ("tonic", "home", "free", "loop")
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
# 1,670 tunes, pop 121, jazz 58). Each take draws its closing degree from these ("other": the
# model's choice of any note over the final tonic chord), because the model, made to end on a
# triad tone, chose the third or fifth in ~45 % of folk takes where tunes do in 10 %. Folk is
# counted with modal tunes keyed by their final (`harmony.settle_modal_final`): filed under the
# major key of their signature, D mixolydian tunes had counted as G major tunes ending on the
# fifth (0.080, and "other" 0.167, over the 1,778 tunes of the corpus as built before;
# `docs/notes/2026-12-06-session-60/modal_finals.py`'s `closing_degrees`).
FINAL_DEGREE_SHARES = {
    "folk": {"root": 0.795, "third": 0.022, "fifth": 0.049, "other": 0.134},
    "pop": {"root": 0.901, "third": 0.008, "fifth": 0.033, "other": 0.058},
    "jazz": {"root": 0.759, "third": 0.017, "fifth": 0.052, "other": 0.172},
    # a chorale's soprano over the final tonic chord (229 training chorales whose soprano ends on a
    # tone of the annotated key's tonic triad: root 173, fifth 17, third 3; the other 36 end on
    # the fourth or sixth degree: modal chorales that a major/minor key does not describe)
    "chorale": {"root": 0.897, "third": 0.015, "fifth": 0.088, "other": 0.0},
}

# How a lead sheet's strain ends inside the piece (a first A, the second A before the B strain, a
# first B), drawn per take and section end: "root" / "third": the melody closes on the tonic / the
# third over the tonic chord ("closed"); "open": on a tone of the dominant's triad over V (a half
# close). Folk: 200 shippable training tunes of 32 bars (meters 6/8, 4/4, 2/4, 3/4; modal tunes
# keyed by their final, `harmony.settle_modal_final`) close their strains at bars 8, 16 and 24 on
# the tonic 0.75 / 0.79 / 0.76 of the time (0.72 / 0.76 / 0.70 keyed by their signature), the third
# 0.06, another degree 0.17 ("open" lumps the fifth, the second and the rest); the takes, whose first
# A and first B always half-closed and whose second A closed on any tone of the tonic triad, had
# closed on the tonic 0.00 / 0.28 / 0.00 (`docs/notes/2026-12-06-session-53/strain_ends.py`; the
# tunes' figures with `--n 200`).
# A fiddler read their second endings as no endings. Pop and jazz keep their planned kinds: their
# songs' strains end on the fifth or a rest more than on the tonic (the same script, --style
# pop|jazz). `Constrainer.draw_ending`.
STRAIN_END_SHARES = {"folk": {"root": 0.77, "third": 0.06, "open": 0.17}}


# Where a lead sheet's first chord (after any pickup) is the tonic chord: the share of the
# shippable training tunes with chord symbols (folk 807 Nottingham tunes, pop 121, jazz 58;
# `python scripts/endings_report.py --split train --real-only --shippable --per-style 0 --styles folk,pop,jazz`).
# Each composed take draws "tonic" with this share, else its first chord is another. Left to
# itself the model opened on the tonic in 0.67 (folk), 0.53 (pop) and 0.23 (jazz) of 30 takes
# each, where the tunes do in 0.94, 0.73 and 0.60: a melody over a first bar of V or ii did not
# set out its key.
OPENING_TONIC_SHARES = {"folk": 0.943, "pop": 0.727, "jazz": 0.603}

# Where a contrasting section (a B strain, a bridge) opens on the tonic chord: its first chord
# (on its first downbeat) as a share. Each composed take draws "tonic" with this share, else
# that chord is another. Left to itself the model carried the A section's close on into the
# bridge: 32-bar takes opened their third 8 bars on the tonic in 29 of 36 (folk), 22 of 36 (pop)
# and 15 of 36 (jazz), and a jazz pianist found 17 of 18 bridges starting on I. Folk: the
# shippable training tunes of 32 bars whose third 8 bars contrast with their first, 68 of 161
# (docs/notes/2026-12-05-session-48/bridges.py --style folk --split train --shippable); pop: the
# Billboard songs' bridges (CC0, training split), 24 of 216, most on IV (62)
# (billboard_bridges.py there); jazz: its 7 such shippable tunes (2 on I) pooled with those
# Billboard bridges, 26 of 223 (the research-only valid standards, only checked against: 3 of 59).
CONTRAST_TONIC_SHARES = {"folk": 0.422, "pop": 0.111, "jazz": 0.117}

# How wide a lead sheet's melody ranges (its highest pitch less its lowest, semitones): per style
# and length, the deciles (5th, 15th, ..., 95th percentiles) of the span of the shippable training
# tunes' first 8, 16 or 32 bars (docs/notes/2026-12-05-session-48/melody_spans.py). Each composed
# take under its style's default range draws its span from the length's (the largest not over the
# take's bars), and a pitch that would widen the melody beyond it loses `MELODY_SPAN_GAIN` logits
# a semitone over. Left to itself the melody wandered: valid-split jazz takes ranged over more
# than a 12th in 0.43 of them (the tunes 0.13), a pianist found one over 31 semitones; pop 0.19
# (0.14) (docs/notes/2026-12-05-session-48/ranges.py). 40 takes a style (the span's median, and
# the share over a 12th): jazz 32 bars 17 and 0.30 -> 16 and 0.075 (the tunes' 32 bars 14.5 and
# 0.10), 16 bars 16 and 0.175 -> 14 and 0.025 (13.5, 0.05). On 136 takes under the valid split's
# headers (span_key.py --style jazz --seeds 0,1; the valid standards: mean 17.3, over a 12th
# 0.18): mean 18.0 -> 15.8, over a 12th 0.37 -> 0.07, key heard 0.691 -> 0.684; at gain 1.0 the
# spans fell to 15.0 and the key heard to 0.654, at 0.3 to 16.4 and 0.676. Folk and pop have none. Folk's 16-bar
# takes ranged as the tunes' first 16 bars (15 against 16.5) and fell to 14 with it (the takes'
# spans stay under the span drawn). Pop's 32-bar takes went from 16 to 14 as the shippable lead
# sheets range (14), but the valid split's songs range wider (17) and music21 heard the requested
# key in 0.671 of 240 takes against 0.721 without (docs/notes/2026-12-05-session-48/span_key.py).
MELODY_SPANS = {
    "jazz": {8: (8, 9, 10, 10, 12, 12, 14, 14, 15, 17), 16: (9, 11, 12, 12, 13, 14, 14, 15, 16, 19),
             32: (12, 13, 14, 14, 14, 15, 16, 17, 17, 24)},
}  # fmt: skip
MELODY_SPAN_GAIN = 0.5


def melody_span_choices(style: str, bars: int) -> tuple[int, ...] | None:
    """The spans a take of `bars` bars in `style` draws from (`MELODY_SPANS`), None where the
    style has none or the take is shorter than 8 bars."""
    table = MELODY_SPANS.get(style) or {}
    fits = [n for n in table if n <= bars]
    return table[max(fits)] if fits else None


# Bach's chorales are mostly in bar form (Barform): the first two phrases, the Stollen, are sung
# twice, then the Abgesang goes on. Measured on the 234 JSB training chorales (bar by bar, the
# soprano's notes and rhythm): 104 (44 %) repeat a passage of 2+ bars at a distance of 3-16 bars,
# mostly from the first bar or the second (after a pickup), at a distance of 4 bars (58), 6 (26)
# or 5 (12): the Stollen's length. A chorale composed without a form draws one per take: bar form
# with that share and those Stollen lengths where the bars allow ("A4A4B6": a Stollen, its
# repeat, then an Abgesang at least as long as the Stollen), else through-composed.
BARFORM = {"chorale": {"share": 0.44, "stollen_bars": {4: 58, 5: 12, 6: 26}}}
# The third of a chorale's final chord (the tonic chord all four voices close on), per mode family,
# measured on the shippable JSB training chorales whose voices end on a chord over the tonic
# (`python scripts/endings_report.py --split train --real-only --shippable --per-style 0 --styles
# chorale`, "final_chord_thirds"): in major 100 of 101 have the third and one is bare; in minor 69
# of 76 close on a major chord (the Picardy third), 7 on a minor one and none without a third.
# Each take draws one; left to itself, the model closed half its takes on a bare fifth and never on
# a Picardy third. (Until session 17 this table read the chord where the soprano's last note is
# struck against the annotated key, and counted 16 major and 25 minor chorales as bare: most were
# chorales closing on another chord than the annotation's tonic, and the takes closed bare in one
# harmonization in four.)
FINAL_THIRD_SHARES = {
    "chorale": {
        "major": {"major": 0.99, "none": 0.01},
        "minor": {"major": 0.908, "minor": 0.092},
    },
}
# The bass note a chorale's final chord is approached from (the one sounding as the last chord is
# struck), measured on the JSB training chorales whose bass closes on the tonic (177 of 229; the
# others close on V, which `FINAL_HALF_CLOSE_SHARES` draws with no approach): the dominant in
# 93.8 % (an authentic cadence), the subdominant in 4.5 % (a plagal close), the tonic in 1.1 %,
# another degree in 0.6 %. Each take draws one; left to itself, the model approached from the
# dominant in a third of its takes. (Counted over all 234 chorales, half closes included, the
# tonic had come out at 15.4 %: a chorale closing on V from I. Drawn for full closes, it held the
# bass on the tonic through iv7-V7-I in a tenth of the takes, which a teacher marks "no cadence".)
FINAL_BASS_APPROACH_SHARES = {"chorale": {"dominant": 0.938, "tonic": 0.011, "subdominant": 0.045, "other": 0.006}}
# How often a minor chorale closes on its dominant, a major chord, instead of its tonic: 11 of the
# 104 minor JSB training chorales (keys estimated from the notes, as the corpus keys them; `python
# runs/s15/phrygian.py train`). Most are chorales in the Phrygian mode, which a major/minor key
# hears as ending on V: the soprano on the fifth in 10 of the 11, reached by a step in 8 (a
# semitone from above in 6), the chord with its major third in 9 and without a third in 2; the
# bass comes from I, iv, ii or the flat sixth. The takes never did (0 of 33 minor test takes).
# Each minor chorale take draws this half close; a major one never (2 of 130).
FINAL_HALF_CLOSE_SHARES = {"chorale": {"minor": 11 / 104}}
FINAL_HALF_CLOSE_THIRD_SHARES = {"major": 9 / 11, "none": 2 / 11}  # its final chord: the major third or none
# Where a chorale goes between its first phrase and its last: the keys of Bach's 2-bar windows off
# the home key (`metrics.musicality.local_keys`; `python scripts/local_keys_report.py --split train`,
# the 229 shippable training chorales: major 127, home 0.551 of the windows, IV 0.119, V 0.117,
# vi 0.111, ii 0.061; minor 102, home 0.525, III 0.140, iv 0.108, VII 0.053, v 0.049). The takes
# stayed home in 0.72 of their windows and music21 heard their key in every one (Bach 0.80):
# each take draws one of these keys for a passage in its second half (`set_modulation`).
MODULATION_SHARES = {
    "chorale": {
        "major": {"IV": 0.119, "V": 0.117, "vi": 0.111, "ii": 0.061},
        "minor": {"III": 0.140, "iv": 0.108, "VII": 0.053, "v": 0.049},
    }
}
# A piece of fewer bars has no room to set out its key, leave and come home.
MODULATION_MIN_BARS = 8
# each such key: (semitones over the home tonic, its mode family)
MODULATION_KEYS = {
    "IV": (5, "major"), "V": (7, "major"), "vi": (9, "minor"), "ii": (2, "minor"),
    "III": (3, "major"), "iv": (5, "minor"), "VII": (10, "major"), "v": (7, "minor"),
}  # fmt: skip
# the approaches' pitch classes above the tonic ("other": none of these)
BASS_APPROACH_DEGREES = {"dominant": 7, "tonic": 0, "subdominant": 5}
# How a lead sheet's melody reaches its last note: the interval from the note before, in classes
# (semitones either way, `MELODY_APPROACH_INTERVALS`), measured on the shippable training split
# (`python scripts/endings_report.py --split train --real-only --shippable --per-style 0`: folk
# 1,778 tunes, pop 121, jazz 58). Each take under a closing cadence draws one, and its last note
# is then struck where its drawn length puts it. Left alone, the takes reached it by a leap of a
# fourth or more 3-7 times as often as the tunes (120 validation headers a style, `endings_report.py
# --split valid`: folk 0.26, pop 0.28, jazz 0.37 against 0.04, 0.09, 0.05). A chorale's soprano
# always steps into its last note (Bach 97 %), as the four-part rules say. A leap is a fourth or a
# fifth ("leap", 5-7 semitones) or a sixth to an octave ("wide", 8-12): drawn as one class of 5+,
# the takes leapt more than a fifth into their last note 13 % (pop) and 22 % (jazz) of the time,
# by more than an octave 1 % and 8 %, against the held-out songs' 1 % and 2 % (never an octave;
# 100 / 60 validation headers): within a class of any size the model took the far notes. The
# tunes' leaps of more than an octave (jazz: 3 of 58 tunes, folk 0.1 %) are not drawn.
FINAL_MELODY_APPROACH_SHARES = {
    "folk": {"repeat": 0.348, "step": 0.462, "third": 0.138, "leap": 0.043, "wide": 0.008},
    "pop": {"repeat": 0.165, "step": 0.455, "third": 0.240, "leap": 0.099, "wide": 0.041},
    "jazz": {"repeat": 0.138, "step": 0.328, "third": 0.293, "leap": 0.155, "wide": 0.034},
}
# ... and a dance's own (`--dance`), counted the same way on its shippable training tunes as
# `scripts/fit_dance_profiles.dance_pieces` finds them (docs/notes/2026-12-07-session-69/
# dance_final_approach.py: reels 530 tunes, jigs 264, hornpipes 108, polkas 70, waltzes 34). Every
# dance had drawn folk's shares, whose tunes are mostly songs: a polka reaches its last note by a
# repeated note 0.64 of the time and a reel 0.25, against folk's 0.35; a hornpipe by a third 0.23,
# a jig 0.06. The slip jig (7 tunes) draws folk's.
FINAL_MELODY_APPROACH_SHARES_BY_DANCE = {
    "reel": {"repeat": 0.253, "step": 0.496, "third": 0.194, "leap": 0.047, "wide": 0.008},
    "jig": {"repeat": 0.451, "step": 0.451, "third": 0.061, "leap": 0.030, "wide": 0.008},
    "hornpipe": {"repeat": 0.324, "step": 0.389, "third": 0.231, "leap": 0.028, "wide": 0.028},
    "polka": {"repeat": 0.643, "step": 0.243, "third": 0.086, "leap": 0.029, "wide": 0.0},
    "waltz": {"repeat": 0.265, "step": 0.559, "third": 0.088, "leap": 0.088, "wide": 0.0},
}
# The dances whose tunes seldom end on a third strike of one pitch (the last note, and the two
# before it on its pitch): reels 0.009 of 530 training tunes, polkas 0.043 of 70 (jigs 0.155,
# hornpipes 0.111, waltzes 0.118: theirs may). Drawing a polka's repeat into its last note (0.64)
# after a note already on the tonic, 0.37 of 60 polkas ended so; there, a drawn repeat whose
# note before is a closing tone gives way to a step (`Constrainer._approach_ok`).
FINAL_THIRD_STRIKE_FREE_DANCES = ("reel", "polka")
MELODY_APPROACH_INTERVALS = {"repeat": (0, 0), "step": (1, 2), "third": (3, 4), "leap": (5, 7), "wide": (8, 12)}
# How a chorale's soprano reaches a last note on the tonic, per mode family: from the 2nd above or
# from the leading tone below (173 shippable training chorales that end on the tonic: major 98,
# above 0.867, below 0.133; minor 75, above 0.800, below 0.173, from the flat 2nd 0.027, folded
# into "above"; `python scripts/endings_report.py --styles chorale --split train --real-only
# --shippable --per-style 0`). The takes reached it from below in 43 % of major takes (valid).
FINAL_SOPRANO_APPROACH_SHARES = {
    "chorale": {"major": {"above": 0.867, "below": 0.133}, "minor": {"above": 0.827, "below": 0.173}},
}
SOPRANO_APPROACH_STEPS = {"above": -2, "below": 1}  # the last note minus the one before it
# The chord a lead sheet's last note sounds over when its melody closes on the fifth or off the
# tonic triad ("other"), by the degree it stands on (`FINAL_CHORD_DEGREES`), measured on the
# shippable training lead sheets whose last note is a tone of their last chord (folk, pop and jazz
# pooled: fifth 58 tunes, other 93; `python scripts/endings_report.py --split train --real-only
# --shippable --per-style 0 --final-chords`). A tune that ends on the fifth mostly ends over V
# (a half cadence); one that ends on the 2nd, 4th or 6th does so over IV, vi, V or ii (modal and
# open endings), over the tonic chord 1 % of the time. The takes always closed over the tonic
# chord, so their "other" endings were never a tone of the chord under them (valid headers: folk
# 27 takes of 120, jazz 16 of 76), where 93 of the 107 training tunes' are. Each take draws one
# of these chords with its closing degree, among those that hold a tone of that degree.
FINAL_CHORD_SHARES = {
    "fifth": {"V": 0.828, "I": 0.138, "iii": 0.034},
    "other": {"IV": 0.323, "vi": 0.247, "V": 0.204, "ii": 0.118, "bVII": 0.075, "iii": 0.022},
}
# each degree's step in the mode's seven-note scale (minor: natural minor); bVII: ten semitones up
# Styles whose takes close over the tonic chord under a tonic cadence, the melody on a tone of it
# (no "other" degree; the fifth over I). A session fiddler read folk takes that ended on B over Bm
# or G over G in D major, or on A over A7, as unfinished: "a dance tune ends on its tonic every
# time". The held-out Nottingham tunes do end over V 14 % of the time (IV 3 %, vi 2 %), but those
# are mostly modal tunes labelled by their key signature (Blarney Pilgrim, D mixolydian, filed in
# G) or strains that lead back to a repeat; a take asked for D is in D.
CLOSE_OVER_TONIC_STYLES = ("folk",)
# The chord before a lead sheet's final tonic chord, by its degree, measured on the shippable
# training lead sheets that close on the tonic chord (folk 581, pop 147, jazz 60; the degrees of
# `FINAL_CHORD_DEGREES` kept, a rarer root left out: pop's bVI, bIII and others 0.03, jazz's bVI
# 0.02; `python docs/notes/2026-12-05-session-46/approach_chord.py STYLE 100000 --split train
# --shippable`). An authentic cadence, V-I, closes 82-90 % of them. Left to itself the composer
# wrote V before the final chord in 52 % of folk, 38 % of pop and 45 % of jazz takes, and ii (a
# ii-I close no tune here has, 0-3 %) in 20-28 % (`approach_chord.py STYLE 60 --compose`). Each
# take draws one (`Constrainer.draw_ending`); in the bar before the final tonic chord's bars, the
# last chord that is not the tonic's is on that degree.
APPROACH_CHORD_SHARES = {
    "folk": {"V": 0.902, "IV": 0.055, "bVII": 0.041, "ii": 0.002},
    "pop": {"V": 0.884, "IV": 0.041, "ii": 0.027, "iii": 0.014, "vi": 0.007},
    "jazz": {"V": 0.817, "IV": 0.150, "ii": 0.017},
}
# ... and in minor keys, where those shares (mostly major tunes) do not hold: the shippable training
# tunes in minor that close on the tonic chord, walking back from it to the last chord on another
# root (folk 59: V 0.54 and v 0.15, bVII 0.25, iv 0.05; pop 31: bVII 0.26, V 0.16 and v 0.10, bIII,
# bVI 0.16 each, iv 0.13; jazz has 6 and keeps the shares above). The degrees are the mode's:
# "iii", "vi" and "IV" of a minor key are its bIII, bVI and iv. The takes had closed from bVII in
# 0.025 of folk and none of pop (docs/notes/2026-12-05-session-50/minor_dominants.py).
APPROACH_CHORD_SHARES_MINOR = {
    "folk": {"V": 0.695, "bVII": 0.254, "IV": 0.051},
    "pop": {"V": 0.258, "bVII": 0.258, "iii": 0.161, "vi": 0.161, "IV": 0.129},
}
# The share of those whose chord before the final tonic chord sounds from the downbeat of the bar it
# ends in (or from before it), not from later in that bar (folk 0.46, pop 0.50, jazz 0.48; the same
# tunes and script, "from downbeat"). Left to itself the composer started it later: from the
# downbeat in 0.35 of folk, 0.34 of pop and 0.11 of jazz takes under the drawn approach.
APPROACH_DOWNBEAT_SHARES = {"folk": 0.46, "pop": 0.50, "jazz": 0.48}
# ... and how many bars the final tonic chord then holds: from the last bar's downbeat (1), or from
# the bar before's or earlier (2: a pop song's "G | C | C"). The same tunes, where their final tonic
# chord starts: folk the last bar 0.918, the bar before or earlier 0.082; pop 0.456 / 0.544; jazz
# 0.50 / 0.50 (its 0.05 that start later in the bar before counted with the last bar's;
# `docs/notes/2026-12-05-session-46/final_tonic_bars.py`). The takes had started it in the bar before
# or earlier in 0.43 of pop and 0.47 of jazz takes before the approach rule, and in 0.05 and 0.11
# while that rule held the approach in the bar before the last.
APPROACH_TONIC_BARS_SHARES = {"folk": {1: 0.918, 2: 0.082}, "pop": {1: 0.456, 2: 0.544}, "jazz": {1: 0.50, 2: 0.50}}
FINAL_CHORD_DEGREES = {"I": 0, "ii": 1, "iii": 2, "IV": 3, "V": 4, "vi": 5, "bVII": None}
# a mode's seven-note scale, as steps of the major scale rotated (minor: natural minor)
_MAJOR_STEPS = (0, 2, 4, 5, 7, 9, 11)
_MODE_ROTATION = {"major": 0, "ionian": 0, "dorian": 1, "phrygian": 2, "lydian": 3, "mixolydian": 4, "minor": 5,
                  "aeolian": 5, "locrian": 6}  # fmt: skip

def seven_note_scale(mode: str) -> list[int]:
    """Semitones above the tonic of the mode's seven degrees (minor: natural minor; an unknown
    mode: major)."""
    k = _MODE_ROTATION.get(mode, 0)
    return [(_MAJOR_STEPS[(k + i) % 7] - _MAJOR_STEPS[k]) % 12 for i in range(7)]


def degree_chord(tonic_pc: int, mode: str, degree: str) -> tuple[int, frozenset, tuple[str, ...]]:
    """(root pitch class, triad pitch classes, chord qualities) of the triad on `degree` of the key
    (`FINAL_CHORD_DEGREES`: built from the mode's seven-note scale; "bVII": the major triad ten
    semitones up). Qualities: a major triad plain (V also with its seventh), a minor one "m"/"m7",
    a diminished one "dim"/"m7b5"."""
    scale = seven_note_scale(mode)
    d = FINAL_CHORD_DEGREES[degree]
    steps = (10, 2, 5) if d is None else (scale[d], scale[(d + 2) % 7], scale[(d + 4) % 7])
    root, third, fifth = ((tonic_pc + x) % 12 for x in steps)
    shape = ((third - root) % 12, (fifth - root) % 12)
    quals = {(4, 7): ("", "7") if degree == "V" else ("",), (3, 7): ("m", "m7"), (3, 6): ("dim", "m7b5")}.get(shape, ("",))
    return root, frozenset({root, third, fifth}), quals


# A returning section of a lead sheet leaves its last bar free (a first and second ending). In a
# chorale's bar form the Stollen is sung again to the same melody, its cadence too: in the 34 test
# chorales with a repeated Stollen the soprano's bars recur 0.49 of the time; takes that left the
# last bar free, 0.39.
WHOLE_RETURN_LAYOUTS = ("satb",)
# where a lead sheet's chord symbols come from (`ComposeRequest.chords_from`)
CHORD_SOURCES = ("model", "harmonizer", "none")
COMPOSE_CHORD_RHYTHMS = ("bar",)  # `ComposeRequest.chord_rhythm` (None: the harmonizer's own)


# How long a piece's last melody note lasts (quarter notes, each tune's rounded down to these):
# the shippable training split's tunes (chorales 229, folk 1,778, pop 121, jazz 58;
# `python scripts/endings_report.py --split train --real-only --shippable --per-style 0`,
# "final_length_shares"). Until session 17 folk read 0.39 eighths: the irish/ tunes' notes end a
# MIDI tick early, and their last quarter notes, rounded down, counted as eighths. Under a
# closing cadence each take draws a least length for its last note from these, as it draws its
# closing degree: left alone, the model ended on an eighth or a quarter in 88 % of chorale, 95 %
# of folk, 93 % of pop and 93 % of jazz takes (scripts/endings_report.py, 60 validation headers a
# style), where Bach's chorales end on two beats or more (98 %) and pop and jazz songs mostly hold
# a whole bar (real: 2 %, 65 %, 13 %, 23 % end on a quarter or less).
FINAL_LENGTH_SHARES = {
    "chorale": {2.0: 0.502, 3.0: 0.118, 4.0: 0.380},
    "folk": {0.5: 0.170, 1.0: 0.430, 1.5: 0.110, 2.0: 0.126, 3.0: 0.073, 4.0: 0.091},
    "pop": {0.5: 0.041, 1.0: 0.041, 1.5: 0.017, 2.0: 0.116, 3.0: 0.190, 4.0: 0.595},
    "jazz": {0.5: 0.069, 1.0: 0.034, 1.5: 0.034, 2.0: 0.086, 3.0: 0.103, 4.0: 0.672},
}
# ... and where a style's tunes in one meter end otherwise, theirs. The shippable folk tunes in 3/4
# (waltzes and airs, 42) strike their last note on the downbeat 41 times and hold the bar; the
# style's shares above are its reels' and jigs', which end on a later beat of the bar (65 % of all
# folk tunes), and 3/4 takes had ended on a quarter on beat 3 (70 % of 40 takes; a songwriter heard
# it as a weak ending; docs/notes/2026-12-05-session-45/final_strike.py, final_length_by_meter.py).
FINAL_LENGTH_SHARES_BY_METER = {("folk", "3/4"): {1.0: 0.02, 3.0: 0.98}}


# The dance types `--dance` composes (folk): each sets its meter and steers the melody's note lengths
# toward the dance's own (`decoding.json` "dances", from the Nottingham tunes of that dance:
# scripts/fit_dance_profiles.py). A fiddler's "reel" in 4/4 had come out a march or an air.
DANCE_METERS = {"reel": ("4/4", "2/2"), "jig": ("6/8",), "hornpipe": ("4/4",), "slip-jig": ("9/8",), "waltz": ("3/4",),
                "polka": ("2/4",)}  # (the polka since session 53: a fiddler's 2/4 tune had been a "Folk tune")
DANCES = tuple(DANCE_METERS)  # the first meter of each: its default
# Per dance, how a take opens each strain's second phrase (bar 5 of 8): [(bars restated from the
# strain's first, probability)], drawn per strain (`Constrainer.draw_ending`; 0: as the model
# writes it). The shippable training dance tunes (32 bars or more) restate bar 1 whole at bar 5 in
# 0.57 of their strains, bars 1-2 at 5-6 in 0.37; takes had 0.08-0.46 and 0-0.13, a folk-song
# scholar's tell (docs/notes/2026-12-06-session-54/bar5_restates.py). The draws leave room for the
# takes' own restatements: with them, 400 strains of 40 takes per dance restated bar 1 in 0.58, bars
# 1-2 in 0.42 with (2, 0.35), (1, 0.12) drawn; with these, 0.58 and 0.39 (a bar drawn alone is
# often followed by its second on the model's own).
_RESTATED = ((2, 0.30), (1, 0.17), (0, 0.53))
RESTATED_OPENINGS: dict[str, tuple[tuple[int, float], ...]] = {dance: _RESTATED for dance in DANCE_METERS}
# A dance's default tempo, in quarter notes per minute (the take's tempo where none is asked): the
# median of the Irish MIDI files named for that dance (CC-BY-4.0; `python scripts/dance_tempos.py`:
# 636 reels at 180, 74 hornpipes at 150, 61 jigs in 6/8 or 12/8 at 160, i.e. 107 dotted quarters, and
# the 3 jigs in 9/8 at 160 too). A fiddler's
# reel had come out at the style's 110, half a session's speed. The waltz keeps the style's tempo:
# no source names a waltz's speed. Only the written and heard tempo: the model composes at the
# tempo it learned its style at (`sampling.header_tempo`).
# The jigs' in quarters as a metronome marks their dotted quarter: 107 (160.5), where 160 had been
# printed "dotted quarter = 106.67" over a musician's jig.
DANCE_TEMPOS_QPM = {"reel": 180.0, "hornpipe": 150.0, "jig": 160.5, "slip-jig": 160.5, "polka": 120.0}  # (83 polkas in 2/4 at 120)
# A dance's default length in bars (where none is asked): two 8-bar strains, each played twice
# (AABB), as the dance tunes are written and played. At the style's 16 a reel had 4-bar strains,
# half a dance (session 32).
DANCE_BARS = 32
SWUNG_DANCES = ("hornpipe",)  # played swung (the WAV), written straight as the Irish files now read
# the usual form of the dance types a musician may name in --form (refused with the form to write)
DANCE_FORMS = {"reel": "AABB", "jig": "AABB", "hornpipe": "AABB", "polka": "AABB", "slide": "AABB", "slipjig": "AABB",
               "march": "AABB", "waltz": "AABB", "strathspey": "AABB", "song": "AABA", "ballad": "AABA"}  # fmt: skip


def range_pitch_name(pitch: int) -> str:
    """A MIDI pitch as --range writes it (55 -> "G3"): a fiddler had been told "55..59"."""
    names = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
    return f"{names[pitch % 12]}{pitch // 12 - 1}"


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


# A chart given for every bar (`--chords`, as long as the piece) decides which of the style's
# sections return (`chart_form`): a jazz pianist's 16-bar charts had been composed AABA, the first A's
# melody sung again over the third section's other chords; False: the style's form whatever the chart.
CHART_FORMS = True


def chart_form(chords: Sequence[str], sections: int) -> str:
    """The form of a chart of one entry a bar, cut into `sections` equal sections: a section over the
    same chords as an earlier one takes its letter, another a new one; "" (through-composed) where
    none returns. ["C", "F", "C", "G"] * 2 + ["F"] * 4 + ["C", "F", "C", "G"] in 4: "AABA"."""
    size = len(chords) // sections
    parts = [tuple(" ".join(str(c).split()) for c in chords[i * size : (i + 1) * size]) for i in range(sections)]
    letters: dict[tuple[str, ...], str] = {}
    for part in parts:
        letters.setdefault(part, "ABCDEFGH"[len(letters)])
    return "" if len(letters) == len(parts) else "".join(letters[part] for part in parts)


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
                + (f" (at least {2 * n} bars)" if bars < 2 * n else "")
            )
        return [(letter, primed, bars // n) for letter, primed, _ in parts]
    total = sum(n for _, _, n in parts)
    if total != bars:
        raise ValueError(f"form {form} covers {total} bars, not the {bars} asked for")
    return [(letter, primed, int(n)) for letter, primed, n in parts]


def contrast_openings(sections: list[tuple[str, bool, int]], copy_plan: list[int | None]) -> frozenset[int]:
    """The first bar of each contrasting letter's first section (a B strain's, a bridge's) that
    is written, not copied: where a contrasting section opens (`CONTRAST_TONIC_SHARES`)."""
    out: set[int] = set()
    seen = {sections[0][0]} if sections else set()
    start = 0
    for letter, _, size in sections:
        if letter not in seen and start < len(copy_plan) and copy_plan[start] is None:
            out.add(start)
        seen.add(letter)
        start += size
    return frozenset(out)


def section_cadences(sections: list[tuple[str, bool, int]], n_bars: int) -> list[str | None]:
    """Per bar, the cadence a section of `sections` (`form_sections`) ends with at its last bar,
    None elsewhere and at the last bar of all: "open" (a half close) where the next section is
    the same one again or, after a contrasting one, the first one returning; "closed" (on the
    tonic) where a new section follows (A A | B: the second A comes home before the B strain)."""
    out: list[str | None] = [None] * n_bars
    end = 0
    for k, (letter, _, size) in enumerate(sections[:-1]):
        end += size
        nxt = sections[k + 1][0]
        opens = nxt == letter or (letter != sections[0][0] and nxt == sections[0][0])
        if end - 1 < n_bars:
            out[end - 1] = "open" if opens else "closed"
    return out


# Bach's chorales breathe at a fermata every 8 beats mostly: the music21 corpus's chorales in 4/4
# (the JSB training works, 173) have 562 of their 1,083 gaps between fermatas 8 beats long, then
# 10 beats (213) and 6 (160). Before their last one they close on the tonic and on the dominant
# about equally: in major I 0.30, V 0.29; in minor V 0.19, i 0.19 (`python
# scripts/musician_checks.py fermatas --split train`: "bach_phrases").
PHRASE_BEATS = 8
MIN_PHRASE_BEATS = 6  # (Bach's shortest common gap)


def phrase_cadences(bar_cadence: list[str | None], sections: list[tuple[str, bool, int]], beats_per_bar: float) -> list[str | None]:
    """`bar_cadence` with a four-part chorale's phrase cadences: each section (the whole piece when
    it has none) divided into phrases of about `PHRASE_BEATS` beats (in whole bars, as even as the
    bars allow), each before the section's own cadence ending on V and on I by turns ("open", then
    "closed"). Counted from each section's start, so that a section sung again has its phrases
    where they were. Composed chorales had cadenced only where a section ended: 1 fermata in 8
    bars, Bach's every 2. A cadence every `PHRASE_BEATS` beats counted from the section's start had
    left a phrase of one bar before the section's end where the bars did not divide (a 3/4 Stollen
    of 4 bars: fermatas on bars 3 and 4, the outer voices C-F in octaves from one to the other; a
    4/4 Stollen of 5: bars 2, 4 and 5)."""
    out = list(bar_cadence)
    ends = list(itertools.accumulate(size for _, _, size in sections)) or [len(out)]
    for start, end in zip([0, *ends[:-1]], ends):
        size = min(end, len(out)) - start
        # phrases of at least `MIN_PHRASE_BEATS` and two bars where a bar is shorter (5 bars of 4/4: 3 + 2),
        # and of two bars where a bar is longer (a hymn's line in 3/2 or 4/2: phrases of a bar had put a
        # fermata on a 3/2 chorale's first note, 3 of 3 takes)
        least = max(2, math.ceil(MIN_PHRASE_BEATS / beats_per_bar))
        phrases = max(1, min(int(size * beats_per_bar / PHRASE_BEATS + 0.5), size // least))
        for k in range(phrases - 1):
            bar = start + int((k + 1) * size / phrases + 0.5) - 1
            if start <= bar < start + size - 1 and out[bar] is None:
                out[bar] = "open" if k % 2 == 0 else "closed"
    return out


def chords_per_bar(text: str) -> list[str]:
    """'Dm7 G7 Cmaj7' -> one figure per bar; 'Dm7 G7 | Cmaj7' -> one entry per bar between bar
    lines, a bar's chords separated by spaces ('Dm7 G7': two chords sharing the bar, as a lead
    sheet writes them; `bar_chord_beats` places them). A beat slash ('C / G7 /') holds the chord
    before it for a beat, as in a fake book, and needs bar lines around it; a bar of '%' repeats
    the bar before, and an empty bar ('C | | F') holds the chord before it (`written_bars`). A
    double or final bar line ('||', '|]') is a bar line; bar lines at the ends are decoration. A
    comma between chords separates them as a space does ('G, D, Em, C': a teacher's list had put
    "G," on the sheet); one inside parentheses is a chord's own ('C7(b9,#11)')."""
    text = re.sub(r",(?![^(]*\))", " ", text)
    if "|" in text:
        bars = [" ".join(b.split()) for b in re.sub(r"\|\||\|\]|\[\|", "|", text).split("|")]
        return written_bars(bars[1 if bars and not bars[0] else 0 : -1 if len(bars) > 1 and not bars[-1] else None])
    figures = text.split()
    if "/" in figures:
        raise ValueError("chords: a beat slash ('/') needs bar lines around its bar: 'C / G7 / | F'")
    return written_bars(figures)


# A jazz chart's minus for minor ('C-7', 'Bb-', 'F#-7b5'): music21's spelling reads a minus after
# the letter as a flat (C-7 had sounded as C-flat 7), so a request's figures are rewritten to 'm'.
_MINUS_MINOR = re.compile(r"^([A-Ga-g](?:#|b|♯|♭)?)-(?!-)")
_MINUS_MAJ = re.compile(r"^([A-Ga-g](?:#|b|♯|♭)?)m(?:maj|Maj|M)(?=7|9|$)")  # 'C-maj7' -> 'CmMaj7', not 'Cmmaj7'


# A lead sheet's "no chord" (a break, a stop, an unaccompanied pickup), as a request's chords write
# it; "NC" and "N.C" are read as it too. Under it the melody is free of any chord, and no symbol sounds.
NO_CHORD = "N.C."


def is_no_chord(word: str) -> bool:
    """Whether a word of a request's chords is the no-chord sign ("N.C.", "NC", "n.c.")."""
    return word.upper().strip(".") in ("N.C", "NC")


def sounding_figures(chords: list[str]) -> list[str]:
    """The chord figures of a request's bars of chords, in order, without the no-chord sign."""
    return [figure for entry in chords for figure in bar_chord_figures(entry) if figure != NO_CHORD]


def written_bars(entries: list[str]) -> list[str]:
    """The bars of a request's chords as the composer reads them: a bar of '%' (the repeat-bar
    sign of lead sheets) is the bar before it, an empty bar holds the chord sounding before it (the
    bar before's last), a jazz chart's minus for minor is written 'm' ('C-7' -> 'Cm7') and no chord
    `NO_CHORD` ('NC' -> 'N.C.'). ValueError where the first bar is '%' or empty, or '%' shares a bar
    with chords."""
    out: list[str] = []
    for entry in entries:
        words = entry.split()
        if "%" in words and words != ["%"]:
            raise ValueError(f"chords: the bar '{entry}' mixes '%' (repeat the bar before) with chords; give '%' a bar of its own")
        if not words or words == ["%"]:
            if not out:
                what = "'%' (repeat the bar before)" if words else "empty (an empty bar holds the chord before it)"
                raise ValueError(f"chords: the first bar is {what}, but no bar comes before it")
            entry = out[-1] if words else bar_chord_figures(out[-1])[-1]
        else:
            entry = " ".join(NO_CHORD if is_no_chord(word) else _minus_as_minor(word) for word in words)
        out.append(entry)
    return out


def _minus_as_minor(word: str) -> str:
    """A chord word with a jazz chart's minus for minor written 'm' ('C-7' -> 'Cm7'), where that
    reads as a chord; else the word as written, so that an error quotes what the musician typed
    ('G-D-Em-C' had been refused as 'GmD-Em-C')."""
    from tunesmith.harmony import is_chord_figure

    rewritten = _MINUS_MAJ.sub(r"\1mMaj", _MINUS_MINOR.sub(r"\1m", word))
    return rewritten if rewritten == word or is_chord_figure(rewritten) else word


def meter_refusal(meter: str) -> str:
    """Why a meter is refused: not written as N/D ('3-4' had been "out of bounds"), or not one tunesmith writes."""
    from tunesmith.tokenizer import METERS

    if not re.fullmatch(r"\d+/\d+", str(meter)):
        return f"meter {meter!r}: write it as beats/note value, such as 3/4 or 6/8; supported: {', '.join(METERS)}"
    return f"meter {meter} out of bounds; supported: {', '.join(METERS)}"


def joined_chords(word: str) -> bool:
    """Whether a word is several chord names joined by dashes, semicolons or dots ('G-D-Em-C')."""
    return re.fullmatch(r"[A-G][^A-G\s]*(?:[-;.][A-G][^A-G\s]*)+", word) is not None


def _unread_sign(figure: str) -> str:
    """What a lead sheet's sign that `--chords` does not read asks for instead ('' for others)."""
    if ":" in figure:
        return ": repeat signs (|: :|) are not read; write the repeated bars out (a bar of '%' repeats the bar before)"
    if figure in ("-", "."):
        return ": to hold a chord, use a beat slash ('C / G7 /') or an empty bar ('C | | F')"
    if joined_chords(figure):
        return ": write chords apart with spaces ('G D Em C')"
    return ""


def bar_chord_figures(entry: str) -> list[str]:
    """The chord figures of one bar's entry of `ComposeRequest.chords` ('Dm7 G7' -> Dm7, G7), beat
    slashes left out."""
    return [word for word in entry.split() if word != "/"]


def meter_beats(meter: str) -> tuple[int, int]:
    """(beats in a bar, ticks in a beat) of `meter`: the beat its `--tempo` counts (the dotted
    quarter of 6/8, the half note of 2/2, the eighth of 7/8)."""
    beat = round(meter_of(meter).beat_length * TICKS_PER_BEAT)
    return max(1, meter_ticks(meter) // beat), beat


def bar_chord_beats(entry: str, meter: str) -> list[tuple[int, str]]:
    """(beat, figure) of each chord of one bar's entry in `meter`, beats counted from 0. With beat
    slashes each word takes a beat ('C / G7 /': C on beat 0, G7 on beat 2); without, the chords
    share the bar as evenly as its beats allow, the earlier ones taking the longer share, as lead
    sheets are read ('C G7' in 4/4: beats 0 and 2; in 3/4, 0 and 2; 'C F G7' in 4/4: 0, 2, 3).
    ValueError for more chords than beats, or a bar that starts with a slash."""
    words = entry.split()
    beats, _ = meter_beats(meter)
    if len(words) > beats:
        what = "words" if "/" in words else "chords"
        raise ValueError(f"chords: the bar '{entry}' holds {len(words)} {what}; a {meter} bar has {beats} "
                         f"beat{'s' if beats > 1 else ''}, one chord a beat at most")  # fmt: skip
    if "/" in words:
        if words[0] == "/":
            raise ValueError(f"chords: the bar '{entry}' starts with a beat slash; its first beat needs a chord")
        return [(i, word) for i, word in enumerate(words) if word != "/"]
    return [(-(-k * beats // len(words)), word) for k, word in enumerate(words)]


def bar_chord_ticks(entry: str, meter: str) -> list[tuple[int, str]]:
    """(tick in the bar, figure) of each chord of one bar's entry (`bar_chord_beats`)."""
    _, beat = meter_beats(meter)
    return [(k * beat, figure) for k, figure in bar_chord_beats(entry, meter)]


def _checked_satb_ranges(ranges: Any, layout: str, style: str) -> dict[str, tuple[int, int]]:
    """`ComposeRequest.satb_ranges` as {voice letter: (lowest, highest)}; ValueError naming the voice
    for an unknown voice, a range out of bounds or narrower than `MIN_VOICE_SPAN`, or any for a lead
    sheet."""
    if layout != "satb":
        raise ValueError(f"voice ranges are a chorale's (soprano, alto, tenor, bass); a {style} take has one "
                         "melody: give its range with pitch_range")  # fmt: skip
    if not isinstance(ranges, dict):
        raise ValueError(f"voice ranges must be {{voice: (lowest, highest)}}, got {ranges!r}")
    out = {}
    for name, bounds in ranges.items():
        word = str(name).strip().lower()
        v = word[:1].upper()
        if word not in ("s", "a", "t", "b", *SCORE_SATB_RANGES):
            raise ValueError(f"voice range {name!r}: the voices are S, A, T and B (soprano, alto, tenor, bass)")
        try:
            lo, hi = (int(x) for x in bounds)
        except (TypeError, ValueError):
            raise ValueError(f"voice range {name}: (lowest, highest) MIDI numbers, got {bounds!r}") from None
        if not PITCH_MIN <= lo <= hi <= PITCH_MAX:
            raise ValueError(f"voice range {name}: {lo}..{hi} must lie within {PITCH_MIN}..{PITCH_MAX}, lowest first")
        if hi - lo < MIN_VOICE_SPAN:
            raise ValueError(f"voice range {v} {range_pitch_name(lo)}:{range_pitch_name(hi)}: {hi - lo} semitones, a voice "
                             f"needs at least {MIN_VOICE_SPAN}")  # fmt: skip
        out[v] = (lo, hi)
    return out


# A chorale's textures (`ComposeRequest.texture`): Bach's, and a hymnal's note against note.
TEXTURES = ("chorale", "hymn")


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
    # Every note and rest starts and ends on this grid (ticks; 3 = a sixteenth), 0: any. Co-create
    # sets it to the sixteenth grid when the musician's music has no tuplets: an inpainted bar of a
    # waltz in quarters and halves had come back in triplets and a sextuplet sixteenth.
    rhythm_grid: int = 0
    # A folk dance (`DANCES`): its meter and its tunes' note lengths (None: the style's as a whole).
    dance: str | None = None
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
    # ends on a degree drawn from the style's `FINAL_DEGREE_SHARES`, mostly the tonic), "home"
    # (always the tonic: the melody's last note over the tonic chord, a chorale never on its
    # dominant) or "free" (the model's choice). None: by style (`DEFAULT_CADENCES`).
    cadence: str | None = None
    # Where a lead sheet's chord symbols come from: "model" (the composer's own, written before
    # each bar's melody) or "harmonizer" (after the takes are written, `tunesmith.harmonizer`
    # hears each whole melody and names its chords; never when `chords` are given, and the last
    # bar's chords stay under a tonic cadence) or "none" (no chord symbols: the melody alone; the
    # default of a model whose training pieces had none, which never learned them). None: the
    # style's default (`decoding.json`).
    chords_from: str | None = None
    # How often those chords change: None as the harmonizer hears the melody (at most one a half
    # bar), "bar" one a bar (the harmonizer's, for the whole bar's melody), for a musician who
    # wants chords a beginner can strum; the close keeps the composer's where it has one a bar.
    chord_rhythm: str | None = None
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
    # Weight of the style's interval offsets (`set_interval_feedback`; one logit offset per
    # melodic interval size in `decoding.json`, fitted by scripts/fit_interval_feedback.py): a
    # lead sheet's melody (a chorale's soprano) moves by repeats, steps and leaps as often as the
    # style's pieces do.
    # None: 1.0 where the model has offsets; 0: off.
    interval_feedback: float | None = None
    # A passage through a related key (`set_modulation`): None draws one as the style's pieces
    # do (chorales: `MODULATION_SHARES`; lead sheets keep their key); "none" keeps the key; a key
    # named as `MODULATION_KEYS` names them ("V", "IV", "vi", "ii", "III", "iv", "VII", "v") is
    # the one the passage goes to (its place is still drawn). Chorales of 8 bars or more.
    modulation: str | None = None
    # A pickup (anacrusis): quarter-note beats of music before the first bar line (1: one beat in
    # 4/4, 0.5: an eighth in 6/8; 0: none), less than a bar. The piece is then the pickup and
    # `bars` whole bars. None: drawn per take as the style's training pieces in the meter have
    # them (`decoding.json` "pickups", fitted by scripts/fit_pickups.py: most folk tunes and
    # Bach's chorales start on an upbeat), else none.
    pickup: float | None = None
    # A chorale's voices' own ranges ({"T": (48, 64), "B": (41, 62)}: lowest, highest MIDI), each
    # replacing that voice's textbook range (`SATB_RANGES`) for a choir's singers; None: textbook.
    satb_ranges: dict[str, tuple[int, int]] | None = None
    # A chorale's texture (`TEXTURES`): None or "chorale", Bach's (the lower voices pass between the
    # soprano's notes in eighths and sixteenths); "hymn", note against note as a hymnal sets a tune:
    # the alto, tenor and bass strike only with the soprano, on its notes that fall on a beat.
    texture: str | None = None

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
            raise ValueError(meter_refusal(self.meter))
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
        if self.satb_ranges is not None:
            self.satb_ranges = _checked_satb_ranges(self.satb_ranges, self.layout, self.style)
        self.voice_ranges()  # raises when too narrow
        if self.chords is not None:
            if isinstance(self.chords, str):
                self.chords = chords_per_bar(self.chords)
            if len(self.chords) > MAX_REQUEST_BARS:  # before each is parsed: a megabyte of chords had taken 7 s
                raise ValueError(f"{len(self.chords):,} bars of chords, more than the {MAX_REQUEST_BARS} bars a take may "
                                 "have")  # fmt: skip
            # one entry a bar; a bar's chords separated by spaces ('Dm7 G7', `bar_chord_beats`)
            self.chords = written_bars([" ".join(str(c).split()) for c in self.chords])
            if not self.chords:
                self.chords = None
            in_bars = any(" " in entry for entry in self.chords or [])  # bars of two: say which bar
            for i, entry in enumerate(self.chords or []):
                bar_chord_beats(entry, self.meter)  # more chords than beats is refused before they are parsed
                for figure in bar_chord_figures(entry):
                    if figure == NO_CHORD:
                        if self.layout != "lead":
                            raise ValueError(f"chords: N.C. (no chord) in bar {i + 1}: four voices sound a chord on every "
                                             "beat; give that bar a chord")  # fmt: skip
                        continue
                    try:
                        split_figure(figure)
                    except ValueError:
                        where = (f"in bar {i + 1}, '{entry}'" if " " in entry else f"bar {i + 1}") if in_bars else \
                            f"chord {i + 1} of the list"  # fmt: skip
                        raise ValueError(f"unparsable chord {figure!r} ({where}){_unread_sign(figure)}") from None
        if self.chords and not sounding_figures(self.chords):
            raise ValueError("chords: every bar is N.C. (no chord); give some chords, or compose without --chords")
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
        if isinstance(self.rhythm_grid, bool) or not isinstance(self.rhythm_grid, int) or not (
            self.rhythm_grid == 0 or (self.rhythm_grid > 0 and TICKS_PER_BEAT % self.rhythm_grid == 0)
        ):
            raise ValueError(f"rhythm_grid must be 0 or a whole division of the beat's {TICKS_PER_BEAT} ticks, "
                             f"got {self.rhythm_grid!r}")  # fmt: skip
        if not (isinstance(self.rest_penalty, int | float) and 0.0 <= float(self.rest_penalty) <= 20.0):
            raise ValueError(f"rest_penalty must be in [0, 20], got {self.rest_penalty!r}")
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0):
            raise ValueError(f"seed must be a non-negative integer, got {self.seed!r}")
        if not isinstance(self.in_scale, bool | int) or self.in_scale not in (0, 1):  # "yes" had been taken as true
            raise ValueError(f"in_scale must be true or false, got {self.in_scale!r}")
        self.in_scale = bool(self.in_scale)
        self.chord_every_bar = bool(self.chord_every_bar)
        if self.chords_from is not None and self.chords_from not in CHORD_SOURCES:
            raise ValueError(f"chords_from must be one of {', '.join(CHORD_SOURCES)}, got {self.chords_from!r}")
        if self.chord_rhythm is not None and self.chord_rhythm not in COMPOSE_CHORD_RHYTHMS:
            raise ValueError(f"chord_rhythm must be one of {', '.join(COMPOSE_CHORD_RHYTHMS)}, got {self.chord_rhythm!r}")
        for name in ("tonal_feedback", "rhythm_feedback", "interval_feedback"):
            w = getattr(self, name)
            if w is not None and not (isinstance(w, int | float) and not isinstance(w, bool) and 0.0 <= float(w) <= 4.0):
                raise ValueError(f"{name} must be in [0, 4], got {w!r}")
        if self.modulation is not None:
            self.modulation = str(self.modulation).strip()
            if self.modulation.lower() in ("none", "auto"):
                self.modulation = self.modulation.lower()
            if self.modulation == "auto":
                self.modulation = None
            elif self.modulation != "none":
                if self.modulation not in MODULATION_KEYS:
                    raise ValueError(f"unknown modulation {self.modulation!r}; one of none, auto, {', '.join(MODULATION_KEYS)}")
                if self.style not in MODULATION_SHARES:
                    raise ValueError(f"modulation {self.modulation!r}: only chorales pass through a related key; "
                                     f"a {self.style} take keeps its key")  # fmt: skip
                if self.bars < MODULATION_MIN_BARS:
                    raise ValueError(f"modulation {self.modulation!r} needs {MODULATION_MIN_BARS} bars or more "
                                     f"(to set out the key, leave and come home); got {self.bars}")  # fmt: skip
        if self.pickup is not None:
            if isinstance(self.pickup, bool) or not isinstance(self.pickup, int | float) or not math.isfinite(self.pickup):
                raise ValueError(f"pickup must be a number of beats, got {self.pickup!r}")
            self.pickup = float(self.pickup) + 0.0  # -0.0 is 0
            bar_beats = meter_ticks(self.meter) / TICKS_PER_BEAT
            ticks = self.pickup * TICKS_PER_BEAT
            if not 0 <= self.pickup < bar_beats:
                raise ValueError(f"pickup {self.pickup:g} beats: a pickup is at least 0 and shorter than a bar "
                                 f"of {self.meter} ({bar_beats:g} quarter-note beats)")  # fmt: skip
            if abs(ticks - round(ticks)) > 1e-6:
                raise ValueError(f"pickup {self.pickup:g} beats: not a length a note can have here; use multiples "
                                 f"of 1/{TICKS_PER_BEAT} of a quarter note (0.25 a sixteenth, 0.5 an eighth, "
                                 "1/3 a triplet eighth)")  # fmt: skip
            cut = self.chords_cut_by_pickup(self.pickup)
            if cut:
                raise ValueError(f"pickup {self.pickup:g} beats: the last bar is as much shorter, and its chords {' '.join(cut)} "
                                 "would start after the piece ends; give a shorter pickup, or the last bar one chord")  # fmt: skip
        if self.texture is not None:
            self.texture = str(self.texture).strip().lower()
            if self.texture not in TEXTURES:
                raise ValueError(f"unknown texture {self.texture!r}; one of {', '.join(TEXTURES)}")
            if self.style != "chorale" and self.layout != "satb":
                raise ValueError(f"texture {self.texture!r} is a chorale's (how its lower voices move under the "
                                 f"soprano); a {self.style} take is a lead sheet")  # fmt: skip
        if self.cadence is not None and self.cadence not in CADENCES:
            raise ValueError(f"unknown cadence {self.cadence!r}; one of {', '.join(CADENCES)}")
        if self.cadence == "loop":
            if self.pickup:
                raise ValueError(f"pickup {self.pickup:g} beats: a loop starts on its first downbeat (the last bar leads "
                                 "back to it); leave the pickup out")  # fmt: skip
            self.pickup = 0.0  # none drawn either
        if self.dance is not None:
            self.dance = str(self.dance).strip().lower().replace(" ", "-").replace("_", "-")
            if self.dance not in DANCES:
                raise ValueError(f"unknown dance {self.dance!r}; one of {', '.join(DANCES)}")
            if self.style != "folk":
                raise ValueError(f"--dance {self.dance} is a folk dance; compose it with --style folk")
            if self.meter not in DANCE_METERS[self.dance]:
                raise ValueError(f"a {self.dance} is in {' or '.join(DANCE_METERS[self.dance])}, not {self.meter}")
        if self.form is not None:
            word = str(self.form).replace(" ", "")
            if word.lower() != "none" and (word.replace("-", "").lower() in DANCE_FORMS or (
                    word.isalpha() and word.islower() and any(ch > "h" for ch in word))):
                # a word, not letters: "--form reel" had composed sections R, E, E, L
                usual = DANCE_FORMS.get(word.replace("-", "").lower())
                raise ValueError(f"form {word!r}: a form is section letters (AABB, AABA, A4A4B8), not a name"
                                 + (f"; a {word}'s usual form is {usual}" if usual else ""))  # fmt: skip
            self.form = word.upper()
            if self.form == "NONE":
                self.form = ""
            form_sections(self.form, self.bars)  # raises when the sections do not fit the bars

    def resolved_form(self) -> str:
        """The form this request composes: the given one, else the style's usual one if the
        bars divide into sections of 4 or more (over a chart of every bar, as the chart repeats:
        `chart_form`), else "" (through-composed)."""
        if self.form is not None:
            return self.form
        form = DEFAULT_FORMS.get(self.style, "") if self.layout == "lead" else ""
        n = len(parse_form(form))
        if not (n and self.bars % n == 0 and self.bars // n >= 4):
            return ""
        if CHART_FORMS and self.chords and len(self.chords) >= self.bars:
            return chart_form(self.chords[: self.bars], n)
        return form

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

    def chords_cut_by_pickup(self, pickup: float) -> list[str]:
        """The given chords of a lead sheet's last bar that would start after the piece ends under a
        pickup of `pickup` beats: the last bar is short by the pickup (`add_pickup_bar`), so 'Dm7 /
        G7 C' after a 3-beat pickup in 4/4 would keep only Dm7. Four parts keep a whole last bar."""
        if not self.chords or not pickup or self.layout != "lead":
            return []
        last_bar = meter_ticks(self.meter) - round(pickup * TICKS_PER_BEAT)
        entry = self.chords[(self.bars - 1) % len(self.chords)]
        return [figure for tick, figure in bar_chord_ticks(entry, self.meter) if tick >= last_bar]

    def pickup_position(self) -> int:
        """Where the music starts in the first (pickup) bar, in ticks from its virtual bar line,
        as the tokenizer's `Pickup Pos_k` says it; 0: no pickup (or not yet drawn)."""
        if not self.pickup:
            return 0
        return meter_ticks(self.meter) - round(self.pickup * TICKS_PER_BEAT)

    def resolved_cadence(self) -> str:
        return self.cadence if self.cadence is not None else DEFAULT_CADENCES.get(self.style, "free")

    def closes(self) -> bool:
        """Whether the take ends under a closing cadence ("tonic" or "home")."""
        return self.resolved_cadence() in ("tonic", "home")

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
                whole = size if self.layout in WHOLE_RETURN_LAYOUTS else size - 1
                copied = min(size // 2 if varied else whole, length)
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
                    f"pitch range {range_pitch_name(lo)}:{range_pitch_name(hi)} too narrow: a melody needs at least {MIN_MELODY_SPAN} "
                    "semitones"
                )
            return {"M": (lo, hi)}
        out = {}
        for v, (vlo, vhi) in SATB_RANGES.items():
            if self.satb_ranges and v in self.satb_ranges:  # the voice's own range, as the musician gave it
                out[v] = self.satb_ranges[v]
                continue
            a, b = max(lo, vlo), min(hi, vhi)
            if b - a < MIN_VOICE_SPAN:
                raise ValueError(
                    f"pitch range {range_pitch_name(lo)}:{range_pitch_name(hi)} too narrow for a chorale's 4 voices: the {v} voice "
                    f"(normally {range_pitch_name(vlo)}:{range_pitch_name(vhi)}) would get {max(0, b - a)} semitones, needs {MIN_VOICE_SPAN}"
                )
            out[v] = (a, b)
        return out

    def to_dict(self) -> dict:
        d = asdict(self)
        d["pitch_range"] = list(self.pitch_range)
        if self.satb_ranges is not None:
            d["satb_ranges"] = {v: list(r) for v, r in self.satb_ranges.items()}
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


# How a church mode differs from the family its header names: the family's degree (semitones
# over the tonic) -> the mode's, a semitone away. The model's probability for the family's degree
# goes to the mode's (`_Tables.mode_moves`): held to G mixolydian's scale alone, the model (told
# G major) wrote no F at all, and the mode was not heard; its F-sharps written as F-naturals are.
MODE_MOVES = {
    "dorian": {8: 9, 11: 10},
    "phrygian": {2: 1, 9: 8, 11: 10},
    "aeolian": {9: 8, 11: 10},
    "locrian": {2: 1, 7: 6, 9: 8, 11: 10},
    "mixolydian": {11: 10},
    "lydian": {5: 6},
}


def tonic_triad(tonic_pc: int, mode: str) -> tuple[int, int, int]:
    """(root, third, fifth) pitch classes of the tonic triad (a minor third in the minor-third
    modes; locrian's fifth diminished, as its scale has it)."""
    third = 3 if mode in MINOR_THIRD_MODES else 4
    return tonic_pc, (tonic_pc + third) % 12, (tonic_pc + (6 if mode == "locrian" else 7)) % 12
