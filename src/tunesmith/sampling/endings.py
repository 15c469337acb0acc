"""What a take draws for its close, set in the automaton's tables from the style's measured
shares (`sampling.request`): the melody's closing degree and, off the tonic triad, the chord under
it; the last note's least length; a four-part final chord's third and its bass approach; how a lead
sheet's melody and a chorale's soprano reach the last note. `Constrainer.draw_ending` draws from
these per take; the automaton's masks then hold the draw. Also the rules for the chord before a
four-part final chord (the leading tone kept raised; V's third supplied)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from tunesmith.harmony import QUALITIES as CHORD_INTERVALS
from tunesmith.sampling.request import (
    APPROACH_CHORD_SHARES,
    APPROACH_CHORD_SHARES_MINOR,
    APPROACH_DOWNBEAT_SHARES,
    APPROACH_TONIC_BARS_SHARES,
    BASS_APPROACH_DEGREES,
    CLOSE_OVER_TONIC_STYLES,
    FINAL_BASS_APPROACH_SHARES,
    FINAL_CHORD_SHARES,
    FINAL_DEGREE_SHARES,
    FINAL_HALF_CLOSE_SHARES,
    FINAL_LENGTH_SHARES,
    FINAL_LENGTH_SHARES_BY_METER,
    FINAL_MELODY_APPROACH_SHARES,
    FINAL_MELODY_APPROACH_SHARES_BY_DANCE,
    FINAL_SOPRANO_APPROACH_SHARES,
    FINAL_THIRD_SHARES,
    FINAL_THIRD_STRIKE_FREE_DANCES,
    STRAIN_END_SHARES,
    ComposeRequest,
    degree_chord,
    tonic_triad,
)
from tunesmith.tokenizer import TICKS_PER_BEAT, scale_pitch_classes

if TYPE_CHECKING:
    from tunesmith.sampling.automaton import Constrainer
    from tunesmith.sampling.tables import _Tables


# Whether a lead sheet's strains draw how they end (`STRAIN_END_SHARES`; False: as planned, a first
# A and a first B half-closed and a second A on any tone of the tonic triad, before session 53).
STRAIN_ENDS_DRAWN = True


def close_over_chord(tables: _Tables, figure: str) -> None:
    """Over a chord the musician gave, a lead sheet's melody closes on a tone of it (the loop F C
    Dm Bb ends over B-flat: an "other" ending on G would clash with it): each closing degree keeps
    the pitch classes `figure` holds, one that holds none is not drawn, and where the key's degrees
    hold none (C Am F G under --key Ab) the melody closes on one of its tones. No closing chord is
    drawn (`final_chords`): the musician's sounds. Compose's given last chord; continue's too
    (`cocreate.decode`), where a drawn closing chord had put an E-flat over B-flat 6."""
    from tunesmith.harmony import chord_pitch_classes

    if not tables.final_endings:
        return
    held = chord_pitch_classes(figure)
    fits = [(pcs & held, w, name) for (pcs, w), name in zip(tables.final_endings, tables.final_names) if pcs & held and w > 0]
    if not fits:
        fits = [(held, 1.0, "other")]
    total = sum(w for _, w, _ in fits)
    tables.final_endings = [(frozenset(pcs), w / total) for pcs, w, _ in fits]
    tables.final_names = [name for _, _, name in fits]
    tables.final_chords = {}
    tables.approach_chords = None  # nor a chord before it


def closing_bars(drawn: Mapping[str, Any]) -> int:
    """How many bars at the end a lead sheet's close holds, as the composer wrote them: the last
    bar, and with a drawn approach chord (`drawn`: a take's meta, `Constrainer.drawn_ending`) its
    bar and the tonic bars after it. The harmonizer leaves their chords as they are."""
    return 1 + int(drawn.get("tonic_bars") or 1) if drawn.get("approach_chord") else 1


def set_ending_tables(tables: _Tables, request: ComposeRequest) -> None:
    """Fill `tables`' ending options (each None or empty where the style or the request has none:
    no closing cadence, a lead sheet's options in four parts and the reverse)."""
    # the closing degree of the melody (a chorale's soprano), drawn per take (`FINAL_DEGREE_SHARES`)
    tables.final_endings = None
    tables.final_names = []  # the degrees' names, in the order of final_endings
    shares = FINAL_DEGREE_SHARES.get(request.style)
    if shares and request.resolved_cadence() == "home":
        shares = {"root": 1.0}  # always the tonic
    elif shares and request.style in CLOSE_OVER_TONIC_STYLES and request.layout == "lead":
        shares = {d: w for d, w in shares.items() if d != "other"}  # a tone of the tonic chord, over it
        if not sum(shares.values()):
            shares = {"root": 1.0}
    if shares and tables.bar_cadence and tables.bar_cadence[-1] == "closed":
        root, third, fifth = tonic_triad(tables.tonic_pc, request.mode)
        # "other": the tunes that end off the tonic triad end on a scale degree that can rest
        # (shippable folk: the 2nd 5.8 %, 6th 4.0 %, 4th 3.8 %, flat 7th 1.7 %; the leading tone
        # 1.2 %, chromatic notes 0.2 %), not on the leading tone or outside the scale, where the
        # model's free choice had ended takes on a C# over a D-major chord
        other = set(scale_pitch_classes(tables.tonic_pc, request.mode)) - {root, third, fifth, (tables.tonic_pc - 1) % 12}
        pcs = {"root": {root}, "third": {third}, "fifth": {fifth}, "other": other or set(range(12))}
        total = sum(shares.values())
        tables.final_endings = [(frozenset(pcs[d]), w / total) for d, w in shares.items()]
        tables.final_names = list(shares)
        if request.chords and request.layout == "lead":
            from tunesmith.sampling.request import NO_CHORD, bar_chord_figures

            # the last chord of the last bar (of two, "F C" closing on C, the second); over no chord
            # (N.C., a stop) the melody closes as the style's tunes do
            last = bar_chord_figures(request.chords[(tables.n_bars - 1) % len(request.chords)])[-1]
            if last != NO_CHORD:
                close_over_chord(tables, last)
    # how the strains inside the piece end, drawn per take and section end (`STRAIN_END_SHARES`):
    # [(kind, the melody's closing pitch classes, weight)]; not over chords the musician gave
    tables.strain_ends = None
    strain = STRAIN_END_SHARES.get(request.style) if STRAIN_ENDS_DRAWN else None
    if strain and request.layout == "lead" and not request.chords and any(c for c in tables.bar_cadence[:-1]):
        root, third, _ = tonic_triad(tables.tonic_pc, request.mode)
        melody = {"root": ("closed", frozenset({root})), "third": ("closed", frozenset({third})),
                  "open": ("open", tables.kinds["open"][0][0])}  # fmt: skip
        total = sum(strain.values())
        tables.strain_ends = [(*melody[name], w / total) for name, w in strain.items()]
    # the chord a lead sheet closes over when its melody closes on the fifth or off the triad,
    # drawn per take with the degree (`FINAL_CHORD_SHARES`): per degree name, [(chord, root
    # token ids, quality token ids, the triad's pitch classes, weight)], only chords that hold a
    # tone of the degree (and, in scale, lie in it); not over chords the musician gave
    tables.final_chords = {}
    if tables.final_endings and request.layout == "lead" and not request.chords:
        in_key = scale_pitch_classes(tables.tonic_pc, request.mode)
        for (closing, _), degree in zip(tables.final_endings, tables.final_names):
            options = []
            for chord, weight in FINAL_CHORD_SHARES.get(degree, {}).items():
                if request.style in CLOSE_OVER_TONIC_STYLES and chord != "I":
                    continue
                root, triad, quals = degree_chord(tables.tonic_pc, request.mode, chord)
                if not triad & closing or ((request.in_scale or tables.modal) and not triad <= in_key):
                    continue
                if tables.modal:  # a church mode's own chords only (lydian's V has no seventh in the mode)
                    quals = tuple(q for q in quals if {(root + i) % 12 for i in CHORD_INTERVALS[q]} <= in_key)
                options.append((chord, np.array([tables.tok.root_id(tables.key_names[root], tables.shift)]),
                                np.array([tables.tok.qual_id(q) for q in quals]), triad, weight))  # fmt: skip
            total = sum(o[-1] for o in options)
            if options:
                tables.final_chords[degree] = [(*o[:-1], o[-1] / total) for o in options]
    # the chord before a lead sheet's final tonic chord, drawn per take (`APPROACH_CHORD_SHARES`):
    # [(degree, root token ids, weight)]; not over chords the musician gave, nor where the bar before
    # the last is a pickup bar
    tables.approach_chords = None
    tables.approach_downbeat_share = APPROACH_DOWNBEAT_SHARES.get(request.style, 0.5)
    tables.approach_tonic_bars = list((APPROACH_TONIC_BARS_SHARES.get(request.style) or {1: 1.0}).items())
    approach = APPROACH_CHORD_SHARES.get(request.style)
    if request.mode in ("minor", "aeolian"):
        approach = APPROACH_CHORD_SHARES_MINOR.get(request.style, approach)
    if (approach and tables.final_endings and request.layout == "lead" and not request.chords
            and len(tables.voices) == 1 and tables.n_bars - 2 >= tables.bar_offset):  # fmt: skip
        in_key = scale_pitch_classes(tables.tonic_pc, request.mode)
        options = []
        for degree, weight in approach.items():
            root, triad, _ = degree_chord(tables.tonic_pc, request.mode, degree)
            if (request.in_scale or tables.modal) and not triad <= in_key:
                continue
            options.append((degree, np.array([tables.tok.root_id(tables.key_names[root], tables.shift)]), weight))
        total = sum(w for _, _, w in options)
        if total:
            tables.approach_chords = [(d, roots, w / total) for d, roots, w in options]
    # the least length of the last note under the closing cadence, drawn per take (`FINAL_LENGTH_SHARES`)
    tables.final_lengths = None
    lengths = FINAL_LENGTH_SHARES_BY_METER.get((request.style, request.meter)) or FINAL_LENGTH_SHARES.get(request.style)
    if lengths and tables.bar_cadence and tables.bar_cadence[-1] == "closed":
        total = sum(lengths.values())
        tables.final_lengths = [(round(q * TICKS_PER_BEAT), w / total) for q, w in lengths.items()]
    # the third of a four-part final chord, drawn per take (`FINAL_THIRD_SHARES`): "major",
    # "minor" or "none", supplied by the inner voices where the soprano does not sing it
    tables.final_thirds = None
    thirds = (FINAL_THIRD_SHARES.get(request.style) or {}).get("minor" if tables.minor else "major")
    if thirds and len(tables.voices) > 2 and tables.bar_cadence and tables.bar_cadence[-1] == "closed":
        if (request.in_scale or tables.modal) and tables.minor:  # a Picardy third is outside the scale asked for
            thirds = {k: w for k, w in thirds.items() if k != "major"}
        total = sum(thirds.values())
        tables.final_thirds = [(k, w / total) for k, w in thirds.items()]
    # the bass note the four-part final chord is approached from, drawn per take
    # (`FINAL_BASS_APPROACH_SHARES`): "dominant" (an authentic cadence), "tonic", ...
    tables.final_approaches = None
    approaches = FINAL_BASS_APPROACH_SHARES.get(request.style)
    if approaches and tables.voice_leading and tables.bar_cadence and tables.bar_cadence[-1] == "closed":
        total = sum(approaches.values())
        tables.final_approaches = [(k, w / total) for k, w in approaches.items()]
    # how a lead sheet's melody reaches its last note, drawn per take (`FINAL_MELODY_APPROACH_SHARES`;
    # a dance's own, `FINAL_MELODY_APPROACH_SHARES_BY_DANCE`, where it has them): "repeat", "step",
    # "third", "leap" (a fourth or fifth) or "wide" (a sixth to an octave); with one drawn the last
    # note lasts exactly its drawn length. In a reel or polka a drawn repeat may give way to a step
    # (`FINAL_THIRD_STRIKE_FREE_DANCES`)
    tables.melody_approaches = None
    melody_approaches = FINAL_MELODY_APPROACH_SHARES_BY_DANCE.get(request.dance or "") or FINAL_MELODY_APPROACH_SHARES.get(request.style)
    if melody_approaches and tables.final_lengths and not tables.voice_leading and len(tables.voices) == 1:
        total = sum(melody_approaches.values())
        tables.melody_approaches = [(k, w / total) for k, w in melody_approaches.items()]
    tables.final_third_strike_free = request.dance in FINAL_THIRD_STRIKE_FREE_DANCES
    # a minor chorale's close on V instead of I (`FINAL_HALF_CLOSE_SHARES`): the share of takes
    # that draw it; the soprano then closes on the fifth over the dominant's major triad
    tables.half_close_share = 0.0
    if tables.voice_leading and tables.minor and not tables.modal and tables.final_endings and tables.bar_cadence[-1] == "closed":
        # (a church mode has no leading tone for its dominant chord)
        tables.half_close_share = float((FINAL_HALF_CLOSE_SHARES.get(request.style) or {}).get("minor", 0.0))
        if request.resolved_cadence() == "home":  # always the tonic chord
            tables.half_close_share = 0.0
        if request.in_scale:  # nor asked to stay in the minor scale: V's major third is the raised seventh
            # (a take had drawn the half close and its major third under --in-scale, found when another draw
            # moved the takes' random streams, session 55)
            tables.half_close_share = 0.0
    # how a chorale's soprano reaches a last note on the tonic, drawn per take
    # (`FINAL_SOPRANO_APPROACH_SHARES`): "above" (from the 2nd) or "below" (from the leading tone)
    tables.soprano_approaches = None
    soprano = (FINAL_SOPRANO_APPROACH_SHARES.get(request.style) or {}).get("minor" if tables.minor else "major")
    if soprano and tables.voice_leading and tables.final_endings and tables.bar_cadence[-1] == "closed":
        if tables.modal and tables.leading_pc not in tables.mode_scale:  # no leading tone to rise from
            soprano = {k: w for k, w in soprano.items() if k != "below"}
        total = sum(soprano.values())
        tables.soprano_approaches = [(k, w / total) for k, w in soprano.items()]


# ----------------------------------------------- a four-part final cadence's chord before the last
# Rules the automaton (`Constrainer`, passed as `auto`) applies in the beat before a chorale's
# final chord, beside the drawn approaches.


def before_final_chord(auto: Constrainer, at: int) -> bool:
    """Whether tick `at` (from the piece's start) lies in the beat before the final chord (False
    without a drawn last length)."""
    if auto.final_ticks is None:
        return False
    strike = auto.final_chord_tick()
    return strike - auto._approach_span() <= at < strike


def bars_natural_seventh(auto: Constrainer) -> bool:
    """Whether the current voice may not sound the natural 7th in the beat before the final
    chord: a minor chorale's final cadence keeps its leading tone where the bass approaches from
    the dominant, and its soprano always (Bach's minor chorales, all splits: the natural 7th in 0
    of 123 with the bass on the dominant there, the raised 7th in 119; no soprano reaches its
    final tonic from the natural 7th. The takes did both, in 43 % of minor takes:
    `runs/s12/leading_tone.py`)."""
    t = auto.t
    return (t.voice_leading and t.minor and auto.final_ticks is not None
            and (auto.v == 0 or auto.bass_approach == "dominant"))  # fmt: skip


def tenor_owes_third(auto: Constrainer) -> bool:
    """Whether the current voice (the tenor) must supply V's third (the leading tone) in the beat
    before the final chord: the bass approaches from the dominant and neither soprano nor alto
    sounds it there. Bach's V before the final chord has its third in an upper voice 96 % of the
    time (major 155 of 161, minor 119 of 123); the takes' 54 % (`runs/s12/v_third.py`)."""
    t = auto.t
    if not (t.voice_leading and auto.vl is not None and auto.final_ticks is not None
            and auto.bass_approach == "dominant" and auto.v == len(t.voices) - 2):  # fmt: skip
        return False
    strike = auto.final_chord_tick()
    return not _above_sounds_leading_tone(auto, strike - auto._approach_span(), strike)


def _above_sounds_leading_tone(auto: Constrainer, lo: int, hi: int) -> bool:
    """Whether a voice above the current one sounds the leading tone somewhere in ticks [lo, hi)."""
    lead = auto.t.leading_pc
    return any(s < hi and e > lo and p % 12 == lead for u in range(auto.v) for s, e, p in auto.vl.notes[u])


def _others_sound_leading_tone(auto: Constrainer, lo: int, hi: int) -> bool:
    """Whether a voice other than the current one has a note written that sounds the leading
    tone somewhere in ticks [lo, hi)."""
    lead = auto.t.leading_pc
    return any(s < hi and e > lo and p % 12 == lead
               for u in range(len(auto.vl.notes)) if u != auto.v for s, e, p in auto.vl.notes[u])  # fmt: skip


def doubles_leading_tone(auto: Constrainer, at: int) -> bool:
    """Whether the current voice may not sound the leading tone from tick `at` on in the beat
    before the final chord: another voice already sounds the leading tone there (a voice above,
    written before it in the bar, or one below holding a note over from the bar before: a tenor's
    leading tone tied into the last bar had been doubled by the soprano). Bach doubles it in the last chord before the final one in 3
    of 388 chorales (major 2 of 218, minor 1 of 170); the takes did in 11 % of major and 4 % of
    minor takes (`runs/s13/cadence_rules.py`)."""
    t = auto.t
    if not (t.voice_leading and auto.vl is not None and auto.final_ticks is not None):
        return False
    strike = auto.final_chord_tick()
    return _others_sound_leading_tone(auto, max(at, strike - auto._approach_span()), strike)


# Whether an alto or tenor note in the beat before a harmonized chorale's final chord takes, where
# the other rules leave one, a tone of the chord planned there other than its root (the bass's)
# that no voice above sings, when the bass's approach was not drawn (the plan's VII-i under the
# Passion Chorale's last G4-E4). The close's rules leave the planned chord free there (its tiers
# had kept the tenor to a third that then moved in parallels), and the inner voices had all found
# the soprano's G: of 48 takes (seeds 3000-3047), G G G G in 1 and two pitch classes in 24
# (`docs/notes/2026-12-07-session-65/approach_chord.py`). False: as before session 65.
APPROACH_CHORD_COMPLETE = True


def missing_from_the_approach_chord(auto: Constrainer, at: int, vals: np.ndarray) -> np.ndarray | None:
    """Which of `vals` (an alto's or tenor's candidates at tick `at`, in the beat before the final
    chord) sound a tone of the chord planned there, not its root, that no voice above sings there
    (`APPROACH_CHORD_COMPLETE`); None where the rule does not apply or every such tone is sung."""
    t, vl = auto.t, auto.vl
    if (not APPROACH_CHORD_COMPLETE or vl is None or not vl.chord_tones or not t.voice_leading
            or len(t.voices) != 4 or auto.v not in (1, 2) or not before_final_chord(auto, at)
            or auto.bass_approach in BASS_APPROACH_DEGREES):  # fmt: skip
        return None
    planned = vl.planned_before(at)
    if planned is None:
        return None
    tones = vl.chord_tones[planned]
    above = {p % 12 for p in (vl.pitch_at(u, at) for u in range(auto.v)) if p is not None}
    missing = [int(pc) for pc in tones[1:] if int(pc) not in above]
    return np.isin(vals % 12, missing) if missing else None
