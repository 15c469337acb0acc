"""The tables of one take's grammar automaton: `_Tables`, everything that depends only on the
tokenizer and the request (pitch ranges, forced chords, the form's repeats and cadences, the
drawn ending's shares, a pickup bar), the token categories, and `compose_tables` (the tables
`generate` samples a request under). The automaton that walks them is `sampling.automaton`."""

from __future__ import annotations

import itertools

import numpy as np

import tunesmith.sampling.feedback as feedback_rules  # (the module: tests change its section-end styles)
from tunesmith.harmony import MINOR_QUALITIES, chord_pitch_classes, parse_chord
from tunesmith.harmony import QUALITIES as CHORD_INTERVALS
from tunesmith.sampling.endings import set_ending_tables
from tunesmith.sampling.feedback import add_modulation_cadences
from tunesmith.sampling.request import (
    CONTRAST_TONIC_SHARES,
    DEFAULT_RANGES,
    MELODY_SPAN_GAIN,
    MIN_MELODY_SPAN,
    MINOR_THIRD_MODES,
    MODE_MOVES,
    MODEL_MODES,
    NO_CHORD,
    OPENING_TONIC_SHARES,
    RESTATED_OPENINGS,
    WHOLE_RETURN_LAYOUTS,
    ComposeRequest,
    bar_chord_ticks,
    contrast_openings,
    form_sections,
    melody_span_choices,
    phrase_cadences,
    range_pitch_name,
    section_cadences,
    seven_note_scale,
    tonic_triad,
)
from tunesmith.score import TimeSignature, pitch_class_of
from tunesmith.tokenizer import (
    DUR_TICKS,
    MAX_BAR_TICKS,
    NOTE_NAMES,
    PITCH_MAX,
    PITCH_MIN,
    QUALITIES,
    TICKS_PER_BEAT,
    Tokenizer,
    meter_ticks,
    names_for_key,
    scale_pitch_classes,
    spell_degree,
)

# a held last note is struck on this grid (an eighth note), not on a tuplet
_EIGHTH = TICKS_PER_BEAT // 2
# per tick into a quarter (of 12): on neither the 16th nor the 16th-triplet grid (1, 5, 7, 11); a lookup,
# as `in_pitch_classes`, for the automaton's duration mask
ODD_TWELFTHS = np.isin(np.arange(12), (1, 5, 7, 11))
# token categories
_C_OTHER, _C_BAR, _C_EOS, _C_POS, _C_ROOT, _C_QUAL, _C_BASS, _C_VOICE, _C_PITCH, _C_DUR = range(10)


def _downbeat_bass(figure: str) -> frozenset[int]:
    """The pitch classes a chorale's bass takes under a given chord on its downbeat: a slash chord's
    named bass, else the chord's root or third (a sus chord: its root)."""
    root, quality, bass = parse_chord(figure)
    if bass is not None:
        return frozenset({bass % 12})
    return frozenset({root % 12} | {(root + i) % 12 for i in CHORD_INTERVALS[quality] if i in (3, 4)})


def _upper_tones(figure: str) -> frozenset[int]:
    """The pitch classes a chorale's upper voices take under a given chord on its downbeat: the
    chord's tones, less a slash chord's named bass where other tones are left."""
    tones, bass = chord_pitch_classes(figure), parse_chord(figure)[2]
    rest = frozenset(tones) - {bass % 12} if bass is not None else frozenset(tones)
    return rest or frozenset(tones)


def set_given_chords(tables: _Tables, placed: list[list[tuple[int, str]]] | None) -> None:
    """The tables of the musician's chords that the melody (and a chorale's voices) fit: `placed`,
    per bar (cycling from the first whole bar: compose's chords; co-create's new bars, one entry
    each), (tick in the bar, figure) of each chord, `NO_CHORD` where none sounds; None: none given.
    Per bar (tick, slot) of each chord (`given_bars`), and per slot the tables below, None under
    no chord."""
    figures = [figure for bar in placed for _, figure in bar] if placed else None
    tables.given_bars = None
    if placed:
        slots = itertools.count()
        tables.given_bars = [[(tick, next(slots)) for tick, _ in bar] for bar in placed]

    def each(make):
        return [None if c == NO_CHORD else make(c) for c in figures] if figures else None

    # the pitch classes each given chord sounds (a chorale's voices take them on the beat)
    tables.given_chord_pcs = each(chord_pitch_classes)
    # ... and, for a plain major or minor triad, the pitch class a semitone under its root (its
    # major seventh, which a triad does not hold; None for other chords)
    parsed = each(parse_chord)
    tables.given_triad_sevenths = [None if p is None or p[1] not in ("", "m") else (p[0] - 1) % 12
                                   for p in parsed] if parsed else None  # fmt: skip
    # ... and the bass a chorale puts under each on its downbeat: a slash chord's bass, else its
    # root or third (not its fifth: a 6/4 chord, which a third of the downbeats had been)
    tables.given_chord_bass = each(_downbeat_bass)
    # ... and the tones the upper voices take on that downbeat: a slash chord's named bass is left
    # to the bass (the soprano had held B over G/B, so the bass could not double it: a slash
    # chord's bass came out as named on 62 of 140 downbeats)
    tables.given_chord_upper = each(_upper_tones)
    tables.given_slash = [p is not None and p[2] is not None for p in parsed] if parsed else None
    # ... and each one's root (None under no chord)
    tables.given_roots = [None if p is None else p[0] for p in parsed] if parsed else None
    # ... and the seventh of each seventh chord (a pitch class 10 or 11 semitones over its root; () for others)
    tables.given_sevenths = [() if p is None else tuple(pc for pc in chord_pitch_classes(f) if (pc - p[0]) % 12 in (10, 11))
                             for f, p in zip(figures, parsed)] if parsed else None  # fmt: skip
    # ... and the bass the chorale's bass mostly takes there: the named bass, else the root
    tables.given_root_bass = [None if p is None else (p[0] if p[2] is None else p[2]) for p in parsed] if parsed else None


class _Tables:
    """Everything the automaton needs that depends only on the tokenizer and the request."""

    def __init__(
        self,
        tok: Tokenizer,
        request: ComposeRequest,
        max_len: int,
        voice_leading: bool = False,
        chord_every_bar: bool = False,
        form: bool = False,
        close: bool = False,
        told: tuple[str, int] | None = None,
    ):
        V = tok.vocab_size
        # a composed chorale's bass moves at each bar line (`automaton.BASS_MOVES_AT_BAR_LINES`;
        # `compose_tables` sets it: co-create's bass follows the harmonizer's plan and the musician)
        self.bass_moves = False
        # version-2 tokens are written in C: pitch token p means MIDI p + shift in this key, and
        # the automaton works in real pitches (ranges, voice leading) through `val`. A take told
        # another key in its header (`told`: that key, and the semitones the take sounds above it,
        # `decode.header_key`) is written as the model writes in that key, moved up to sound here
        self.shift = shift = tok.shift_for(request.key) if told is None else tok.shift_for(told[0]) + told[1]
        self.relative = tok.relative
        self.tonic = request.key
        cat = [_C_OTHER] * V
        val = [0] * V
        cat[tok.bar_id] = _C_BAR
        cat[tok.eos_id] = _C_EOS
        for k in range(MAX_BAR_TICKS):
            cat[tok.pos_base + k], val[tok.pos_base + k] = _C_POS, k
        for j in range(len(NOTE_NAMES)):
            cat[tok.root_base + j], val[tok.root_base + j] = _C_ROOT, j
            cat[tok.bass_base + j], val[tok.bass_base + j] = _C_BASS, j
        for j in range(len(tok.vocab) - tok.qual_base):
            if tok.vocab[tok.qual_base + j].startswith("Qual_"):
                cat[tok.qual_base + j] = _C_QUAL
        for j in range(len(tok.voice_order)):
            cat[tok.voice_base + j], val[tok.voice_base + j] = _C_VOICE, j
        for p in range(PITCH_MIN, PITCH_MAX + 1):
            cat[tok.pitch_id(p)], val[tok.pitch_id(p)] = _C_PITCH, p + shift
        for j, d in enumerate(DUR_TICKS):
            cat[tok.dur_base + j], val[tok.dur_base + j] = _C_DUR, d
        self.cat, self.val = cat, val
        # tonal feedback (`set_tonal_feedback`; off unless the style's decoding has a profile)
        self.tonic_pc = pitch_class_of(request.key)
        self.pitch_ids = np.array([tok.pitch_id(p) for p in range(PITCH_MIN, PITCH_MAX + 1)])
        self.pitch_degrees = np.array([(p + shift - self.tonic_pc) % 12 for p in range(PITCH_MIN, PITCH_MAX + 1)])
        self.tonal_target: np.ndarray | None = None  # (steered voices, 12): the first len() voices
        self.tonal_gain = 0.0
        # a passage in a related key (`set_modulation`; off unless the style's decoding has a gain)
        self.modulations: list[tuple[str, float]] = []  # (key name, e.g. "V", share)
        self.modulation_bias: dict[str, np.ndarray] = {}  # key name -> (voices, len(pitch_ids)) logit offsets
        self.modulation_starts: list[int] = []  # bars the passage may start at
        self.modulation_span = 0  # its bars
        # rhythm feedback (`set_rhythm_feedback`): per voice, the share of each note length
        self.dur_ids = np.arange(tok.dur_base, tok.dur_base + len(DUR_TICKS))
        self.dur_base = tok.dur_base
        self.rhythm_target: np.ndarray | None = None  # (voices, len(DUR_TICKS))
        self.rhythm_gain = 0.0
        self.rest_interval_offsets: np.ndarray | None = None  # (INTERVAL_BUCKETS,): after a rest (`set_interval_feedback`)
        self.rest_offset = 0.0  # the logit a lead sheet melody's rest gains (`set_rest_offset`)
        self.root_offset_ids = np.zeros(0, np.int64)  # every root token (`set_root_offsets`)
        self.root_offsets: np.ndarray | None = None  # (len(root_offset_ids),): a chord root's logit offset by its degree
        self.tonal_weight = 0.0  # the request's tonal feedback weight where the style has a profile (`set_tonal_feedback`; the tuner's is 0)
        self.length_moves: np.ndarray | None = None  # (LENGTH_CLASSES, len(DUR_TICKS)): offsets after each class of length
        self.long_note_penalty = 0.0  # a dance's: a melody note of two beats or more before a strain's last bar
        self.slow_bar_penalty = 0.0  # a dance's: a beat-long note that would leave a bar without a shorter one
        self.second_long_note_penalty = 0.0  # a dance's: a second note of a beat or more in a bar
        self.rare_length_offsets: np.ndarray | None = None  # a dance's: (len(DUR_TICKS),) lengths its tunes seldom play
        self.third_strike_penalty = 0.0  # a dance's: a melody pitch struck a third time in a row
        self.final_third_strike_free = False  # a dance's last note is no third strike (`FINAL_THIRD_STRIKE_FREE_DANCES`)
        self.rhythm_rules_at_cadences = False  # a dance's (a reel): those three in its phrases' cadence bars too
        self.offbeat_ends_at_bar_line = False  # a dance's (a waltz): a melody note struck off the downbeat ties over none
        # interval offsets (`set_interval_feedback`): a logit offset per melodic interval size
        self.interval_offsets: np.ndarray | None = None  # (INTERVAL_BUCKETS,)
        self.return_offsets: np.ndarray | None = None  # (2,): a return to the note before last; a rock besides
        self.lower_return_offsets: np.ndarray | None = None  # (3, 2): the same for a chorale's alto, tenor, bass
        self.lower_interval_offsets: np.ndarray | None = None  # (3, INTERVAL_BUCKETS): interval offsets for those three
        self.pitch_offsets: np.ndarray | None = None  # (len(pitch_ids),): a melody's offset per real pitch (`set_pitch_offsets`)
        # scales the lower voices' unison and chordless-beat penalties (`set_interval_feedback`; 0: off)
        self.lower_voice_weight = 0.0

        self.n_bars = request.bars
        self.L = meter_ticks(request.meter)
        # a pickup (`add_pickup_bar`): where the music starts in bar 0, which then is the pickup
        # bar and not one of the request's bars (`bar_offset` 1: bar b is the request's bar b - 1)
        self.pickup = 0
        self.bar_offset = 0
        self.last_L = self.L  # the last bar's length: shorter by a lead sheet's pickup (`add_pickup_bar`)
        self.voices = request.voices
        # a lead sheet's notes after a section's closing note are free (`automaton.STRAIN_END_LEAD_IN`):
        # set from the request alone, so that the tuner's replay (`solvers.rollout.replay_masks`) has it
        self.strain_end_lead_in = self.voices == ("M",) and request.style in feedback_rules.SECTION_END_LEAD_IN_STYLES
        self.voice_tok = [tok.voice_id(v) for v in self.voices]
        self.bar_tok, self.eos_tok = tok.bar_id, tok.eos_id
        self.pos = np.arange(tok.pos_base, tok.pos_base + MAX_BAR_TICKS)
        # a mode models do not learn (`MODEL_MODES`: a church mode) is held to its scale, as `in_scale` is
        self.modal = request.mode not in MODEL_MODES
        self.mode_scale = scale_pitch_classes(pitch_class_of(request.key), request.mode)
        scale = self.mode_scale if request.in_scale or self.modal else None
        # the key's seven-note scale (minor: natural minor): a note outside it against its neighbour
        # a semitone away in another voice is a cross relation (`voice_leading.cross_relations`)
        self.diatonic = frozenset((pitch_class_of(request.key) + x) % 12 for x in seven_note_scale(request.mode))
        self.pitches, self.pitch_values = [], []
        # the sounding pitches the model's tokens reach in this key (version 2 writes every key in
        # C, in PITCH_MIN..PITCH_MAX): one beyond them would be written an octave off (--range
        # A0:D1 in D had sounded A1)
        lowest, highest = (max(PITCH_MIN, PITCH_MIN + shift), min(PITCH_MAX, PITCH_MAX + shift)) if tok.relative else \
            (PITCH_MIN, PITCH_MAX)  # (and within the piano's A0..C8, as --range is)
        for v in self.voices:
            lo, hi = request.voice_ranges()[v]
            if max(lo, lowest) > min(hi, highest) - (MIN_MELODY_SPAN if len(self.voices) == 1 else 0):
                raise ValueError(f"pitch range {range_pitch_name(lo)}:{range_pitch_name(hi)}: in {request.key} the model writes "
                                 f"{range_pitch_name(lowest)} to {range_pitch_name(highest)}; give a range that lies within it")  # fmt: skip
            ps = [p for p in range(max(lo, lowest), min(hi, highest) + 1) if scale is None or p % 12 in scale]
            self.pitches.append(np.array([tok.pitch_id(p, shift) for p in ps]))
            self.pitch_values.append(np.array(ps))
        # four-part rules (no crossing, no parallel 5ths/8ves) for multi-voice layouts
        self.voice_leading = voice_leading and len(self.voices) > 1
        # the grid a held last note is struck on: a beat in a lead sheet (the dotted quarter of
        # 6/8: Nottingham's tunes strike their last note on a beat in 774 of 806; on the eighth
        # grid a take could close on the "and" of 4); in four parts half a
        # bar of an even meter (beat 1 or 3 of 4/4), else the bar, and the lower voices strike
        # theirs with the soprano's (Bach's final chords, 60 valid chorales: the soprano's last note
        # on beat 1 or 3 in 88 %, all four voices struck together in 78 %; the takes had 82 % and
        # 60 %, with last notes struck on off-beats: runs/s9/chorale_final_strike.py)
        meter = TimeSignature(0.0, *(int(x) for x in request.meter.split("/")))
        beat = round(meter.beat_length * TICKS_PER_BEAT)  # the dotted quarter in 6/8
        beats = self.L // TICKS_PER_BEAT
        # (half a bar that falls on a beat of the meter: 3/2's half bar is no beat, and a 3/2 chorale's
        # soprano had struck its last note there, a beat off the lower voices' final chord)
        half_bar = self.L // 2 if self.L % TICKS_PER_BEAT == 0 and beats % 2 == 0 and (self.L // 2) % beat == 0 else self.L
        self.strike_grid = half_bar if self.voice_leading else min(beat, self.L)
        # a hymn's texture: the lower voices strike only with the soprano's notes on a beat (`TEXTURES`)
        self.note_against_note = self.voice_leading and getattr(request, "texture", None) == "hymn"
        names_ok = [n for n in NOTE_NAMES if scale is None or pitch_class_of(n) in scale]
        if tok.relative:  # one token per degree: offer each pitch class once, as the key spells it
            names_ok = [n for n in names_for_key(request.key, request.mode) if scale is None or pitch_class_of(n) in scale]
        self.roots = np.array(sorted({tok.root_id(n, shift) for n in names_ok}))
        # a slash bass on the root itself is no slash chord (harmony drops it): never offer it
        self.basses = [
            np.array(sorted({tok.bass_id(n, shift) for n in names_ok if pitch_class_of(n) != pc})) for pc in range(12)
        ]
        self.root_pc = {tok.root_id(n, shift): pitch_class_of(n) for n in NOTE_NAMES}
        self.quals = np.array([i for i in range(tok.qual_base, tok.bass_base)])
        # a slash bass never sounds the third the chord does not have (`Constrainer.allowed`): the
        # relative tokens' "I/3" under a minor tonic had read Cm/E in C minor (3 of 10 jazz takes
        # of a jazz pianist's), E under C, E-flat and G
        bass_pc = {tok.bass_id(n, shift): pitch_class_of(n) for n in NOTE_NAMES}
        self.bass_rel = [np.array([(bass_pc[b] - pc) % 12 for b in self.basses[pc]], dtype=int) for pc in range(12)]
        self.other_third = {tok.qual_id(q): other_third(q) for q in QUALITIES}
        # the quality tokens of minor chords (a minor third, no major third: m, m7, m7b5, dim, ...):
        # a lead sheet's melody does not sing their major third (`Constrainer._pitches`)
        self.minor_quals = frozenset(tok.qual_id(q) for q in QUALITIES if q in MINOR_QUALITIES)
        self.opening_share: float | None = None  # a composed lead sheet's first chord on the tonic (`compose_tables`)
        self.contrast_share: float | None = None  # ... and its contrasting sections' first chord (`CONTRAST_TONIC_SHARES`)
        self.span_choices: tuple[int, ...] | None = None  # the melody spans a take draws from (`MELODY_SPANS`)
        self.span_gain = 0.0  # logits a semitone a pitch loses for widening the melody beyond its drawn span
        # in a church mode or an in-scale request, per root pitch class the qualities whose tones
        # are all in the scale: its own diatonic chords (D dorian: Dm, Em, F, G, Am, C; no A7; C
        # major in scale: no Adim, D7 or C7, which had sounded E-flat, F-sharp, B-flat)
        self.quals_by_root: dict[int, np.ndarray] | None = None
        if scale is not None:
            self.quals_by_root = {
                pc: np.array([tok.qual_id(q) for q in QUALITIES if {(pc + i) % 12 for i in CHORD_INTERVALS[q]} <= scale])
                for pc in scale
            }  # fmt: skip
        self.dur_ticks = np.array(DUR_TICKS)
        self.durs = np.arange(tok.dur_base, tok.dur_base + len(DUR_TICKS))
        # The musician's chords (`request.chords`, one entry a bar, cycling): per bar of the cycle,
        # (tick in the bar, slot) of each of its chords, and the chords' figures, one slot each; the
        # tables below are per slot. A bar's chords after the first are written at their positions.
        # A no-chord slot (`NO_CHORD`, a lead sheet's only) writes no chord token, and its tables
        # hold None: the melody under it follows no chord.
        placed = [bar_chord_ticks(entry, request.meter) for entry in request.chords] if request.chords else None
        self.forced_chords: list[list[int]] | None = None
        if placed:
            self.forced_chords = [[i for tick, figure in bar if figure != NO_CHORD
                                   for i in ([tok.pos_id(tick)] if tick else []) + tok.chord_ids(figure, shift)]
                                  for bar in placed]  # fmt: skip
        set_given_chords(self, placed)
        chord_len = max((len(c) for c in self.forced_chords), default=0) if self.forced_chords else 0
        self.per_bar = 1 + chord_len + len(self.voices)  # fewest tokens a bar can take
        self.max_len = max_len
        self.rest_penalty = float(request.rest_penalty)
        # a chorale keeps to the sixteenth grid as Bach's do (the JSB chorales have no tuplet): a
        # composed bass had run twelve 32nd-note triplets in one beat
        # a folk tune in a compound meter on the sixteenth grid too: a fiddler's jig had a tuplet of a
        # 1/24 and a 1/12 of a beat, tied across the bar's middle (a triplet in 6/8 is no idiom)
        compound = request.meter.endswith("/8") and int(request.meter.split("/")[0]) % 3 == 0
        default_grid = 3 if request.style == "chorale" or (request.style == "folk" and compound) else 0
        self.rhythm_grid = int(getattr(request, "rhythm_grid", 0) or 0) or default_grid
        # ... and a folk note in a compound meter that starts on a sixteenth between two eighths ends on
        # an eighth: a lone sixteenth had put a jig's next notes a sixteenth off its eighths for two bars
        # (G at a sixteenth's offset, then E, A, F# a quarter, each across an eighth). 6/8 Nottingham
        # tunes: 107 notes start between eighths in 2,799 bars, 6 of them end between eighths too;
        # takes 8 of 121 (docs/notes/2026-12-05-session-42/off_grid.py). So in every lead sheet: a jazz
        # 12/8 blues had run a sixteenth off its eighths for two bars (the jazz helper, seed 10). Jazz in
        # 12/8, 20 takes: notes between eighths 0.096 -> 0.079, takes with 3 or more of them in a row
        # 0.05 -> 0; pop 0.013 -> 0.011 (docs/notes/2026-12-05-session-44/compound_offbeat.py)
        self.eighth_return = _EIGHTH if request.layout == "lead" and compound else 0
        # ... and a lead sheet's note or rest ends on no twelfth of a quarter that is on neither the
        # sixteenth nor the sixteenth-triplet grid (1, 5, 7, 11: a 32nd-note triplet's): a 1/12-beat
        # note had put a jazz pianist's B-flat blues a twelfth off its beats for six bars, read as
        # triplet brackets across the bar (2 of his 34 takes). The shippable training tunes: jazz 0 of
        # 10,584 notes start or end there, pop 0.005 (one song), folk 0.007 (rolls in performed Irish
        # tunes) (docs/notes/2026-12-06-session-52/twelfths.py). Not under a grid asked for, stricter.
        self.no_odd_twelfths = request.layout == "lead" and not self.rhythm_grid and TICKS_PER_BEAT == 12
        self.chord_every_bar = chord_every_bar and request.layout == "lead"
        # no chord symbols at all: the melody alone (`chords_from="none"`)
        self.no_chords = request.layout == "lead" and not request.chords and getattr(request, "chords_from", None) == "none"
        self.single = {t: np.array([t]) for t in (*self.voice_tok, self.bar_tok, self.eos_tok)}
        # form and cadence (compose; co-create keeps the musician's own form, and a continuation may close)
        self.copy_from: list[int | None] = request.copy_plan() if form else [None] * self.n_bars
        self.next_copy = _next_copies(self.copy_from)
        self.run_sources = _run_sources(self.copy_from)
        # a dance's strains (each letter's first 8-bar section or longer): their first bar, where a
        # take may draw to open the strain's second phrase as its first (`RESTATED_OPENINGS`)
        self.strain_starts: list[int] = []
        if form and getattr(request, "dance", None) in RESTATED_OPENINGS and request.layout == "lead":
            start, seen = 0, set()
            for letter, _, size in form_sections(request.resolved_form(), request.bars):
                if letter not in seen and size >= 8:
                    self.strain_starts.append(start)
                seen.add(letter)
                start += size
        self.restated_openings = RESTATED_OPENINGS.get(getattr(request, "dance", None) or "", ())
        # Cadences: the bar that ends a section (and the last bar) closes on a chord and a note of
        # it. "closed": the tonic (a tonic chord, the bass on the tonic, the other voices on tones of
        # the tonic triad); "open": a half cadence on the dominant, where the music goes on to a repeat of
        # the same section (a first ending) or returns from a contrasting one (a bridge).
        tonic_pc = pitch_class_of(request.key)
        minor = request.mode in MINOR_THIRD_MODES
        self.minor = minor
        self.leading_pc, self.subtonic_pc = (tonic_pc + 11) % 12, (tonic_pc + 10) % 12  # raised / natural 7th
        # jazz melodies take chromatic tensions on the beat (a flat 9th over a dominant): the rule
        # against a chromatic note a semitone from the chord is the other lead styles' only
        self.chromatic_on_beat = request.style == "jazz"
        self.style = request.style
        # the key's seven notes (minor: natural minor, without the raised 6th and 7th)
        natural = (0, 2, 3, 5, 7, 8, 10) if self.minor else (0, 2, 4, 5, 7, 9, 11)
        self.natural_scale = np.array(sorted((tonic_pc + i) % 12 for i in natural)) if not self.modal else \
            np.array(sorted(self.mode_scale))
        # the notes a chorale's voice may leave by a leap (`part_writing.leaves_a_chromatic_note_by_leap`):
        # the scale's, and in minor the raised 6th and 7th too
        self.key_pcs = frozenset(int(pc) for pc in self.natural_scale) | (
            frozenset({(tonic_pc + 9) % 12, (tonic_pc + 11) % 12}) if self.minor and not self.modal else frozenset())
        triad = set(tonic_triad(tonic_pc, request.mode))
        dom_pc = (tonic_pc + 7) % 12
        dom_triad = {dom_pc, (dom_pc + 4) % 12, (dom_pc + 7) % 12}
        names = names_for_key(request.key, request.mode)
        tonic_quals = ("m", "m6", "m7", "m69", "madd9", "m9") if minor else ("", "6", "maj7", "69", "add9", "maj9")
        self.kinds = {
            "closed": (
                # the bass on the tonic, and a chorale's soprano too (a perfect cadence, as Bach ends);
                # the inner voices on a tone of the tonic triad; a lead sheet's melody too, except
                # on the last bar, where each take draws its closing degree (`final_endings`)
                [frozenset({tonic_pc}) if v in ("B", "S") else frozenset(triad) for v in self.voices],
                np.array([tok.root_id(request.key, shift)]),
                np.array([tok.qual_id(q) for q in tonic_quals]),
            ),
            "open": (
                [frozenset({dom_pc}) if v == "B" else frozenset(dom_triad) for v in self.voices],
                np.array([tok.root_id(names[dom_pc], shift)]),
                np.array([tok.qual_id(q) for q in ("", "7")]),
            ),
        }
        # semitones over the tonic of the chord a half close rests on (`PHRASE_APPROACH_DEGREES`)
        self.open_degree = 7
        if self.modal:  # a church mode's cadences on its own chords: D dorian's half close on Am, not A
            if (dom_pc + 7) % 12 not in scale:
                # phrygian's and locrian's fifth degree has no perfect fifth in the mode (E phrygian's
                # B D F): their half close rests on iv (Am), where a B or F# chord had left the mode in
                # 16-bar takes (Bm, B7, F#7 in 21 of 136 jazz chords, session 40)
                self.open_degree = 5
                dom_pc = (tonic_pc + 5) % 12
            third = 4 if (dom_pc + 4) % 12 in scale else 3
            dom_triad = {dom_pc, (dom_pc + third) % 12, (dom_pc + 7) % 12}
            pcs = [frozenset({dom_pc}) if v == "B" else frozenset(dom_triad) for v in self.voices]
            roots = np.array([tok.root_id(names[dom_pc], shift)])
            self.kinds["open"] = (pcs, roots, np.array([tok.qual_id(q) for q in ("", "7", "m", "m7")]))
            for kind, root in (("closed", tonic_pc), ("open", dom_pc)):
                pcs, roots, quals = self.kinds[kind]
                fitting = self.quals_by_root.get(root, np.array([], dtype=np.int64))
                keep = quals[np.isin(quals, fitting)]
                if not len(keep) and kind == "closed":  # locrian's tonic chord is diminished
                    keep = fitting
                if len(keep):
                    self.kinds[kind] = (pcs, roots, keep)
        self.tok, self.key_names = tok, names
        add_modulation_cadences(self, request)  # a drawn passage's cadence in its key
        sections = form_sections(request.resolved_form(), self.n_bars) if form else []
        ends = list(itertools.accumulate(size for _, _, size in sections))  # each section's end bar + 1
        self.bar_cadence: list[str | None] = section_cadences(sections, self.n_bars)
        if (form or close) and self.bar_cadence and request.closes():
            # `close` without `form`: co-create's continuation, whose last bar ends the piece
            self.bar_cadence[-1] = "closed"
        if self.bar_cadence and request.resolved_cadence() == "loop":
            # a loop's last bar is a half close, as an A that the first A follows again
            self.bar_cadence[-1] = "open"
        if request.layout in WHOLE_RETURN_LAYOUTS:
            # a section sung again whole (a chorale's Stollen) closes as its return does
            for k in range(len(sections) - 2, -1, -1):
                if sections[k + 1][0] == sections[k][0]:
                    self.bar_cadence[ends[k] - 1] = self.bar_cadence[ends[k + 1] - 1]
        # a composed chorale's phrases, each to its fermata (a drawn modulation's passage may take
        # their bars: `set_modulation`, `Constrainer.take_cadence_bars`)
        self.phrase_bars: frozenset[int] = frozenset()
        if form and request.layout == "satb":
            sectioned = self.bar_cadence
            self.bar_cadence = phrase_cadences(self.bar_cadence, sections, self.L / TICKS_PER_BEAT)
            self.phrase_bars = frozenset(b for b, c in enumerate(self.bar_cadence) if c is not None and sectioned[b] is None)
        self.cadence_bars = [b for b, c in enumerate(self.bar_cadence) if c is not None]
        # the bars of the first section's letter (A) and of the others (a B strain, a bridge): the
        # register feedback (`set_register_feedback`) lifts a contrasting section over the first
        self.first_bars: frozenset[int] = frozenset()
        self.contrast_bars: frozenset[int] = frozenset()
        self.opening_bar: int | None = None  # the bar whose first pitches a contrasting section does not repeat
        self.contrast_openings: frozenset[int] = frozenset()
        if sections and request.layout == "lead":
            starts = [0, *ends[:-1]]
            letter0 = sections[0][0]
            self.first_bars = frozenset(b for (x, _, _), a, e in zip(sections, starts, ends) if x == letter0 for b in range(a, e))
            self.contrast_bars = frozenset(range(self.n_bars)) - self.first_bars
            # the first section's first bar (the opening) and the first bar of each contrasting
            # letter's first section (a B strain's, a bridge's), which does not open as it does
            self.opening_bar = 0
            self.contrast_openings = contrast_openings(sections, self.copy_from)
        self.register_lift = 0.0  # semitones the contrasting sections' mean pitch sits over the first's
        self.register_gain = 0.0  # logits per octave at full error (0: off)
        # four voices' register feedback (`set_voice_register_feedback`): each voice's mean pitch
        # (MIDI, absolute) in the style's training pieces, and its gain (0: off)
        self.voice_register_target: np.ndarray | None = None
        self.voice_register_gain = 0.0
        self.pitch_real = np.arange(PITCH_MIN, PITCH_MAX + 1) + shift  # the real pitch of each of `pitch_ids`
        self.pitch_outside_key = ~np.isin(self.pitch_real % 12, sorted(self.key_pcs))  # (`Constrainer.chromatic_step_bias`)
        # a church mode: (from, to) pitch token ids whose probability moves from the header family's
        # degree to the mode's (`MODE_MOVES`), applied to every pitch a take draws
        self.mode_moves: tuple[np.ndarray, np.ndarray] | None = None
        if self.modal and request.mode in MODE_MOVES:
            offset = (self.pitch_real - tonic_pc) % 12
            moves = [(i, i + dst - src) for src, dst in MODE_MOVES[request.mode].items()
                     for i in np.flatnonzero(offset == src) if 0 <= i + dst - src < len(self.pitch_real)]  # fmt: skip
            self.mode_moves = (self.pitch_ids[[a for a, _ in moves]], self.pitch_ids[[b for _, b in moves]])
        # what a take draws for its close: closing degree and chord, last length, third, approaches
        set_ending_tables(self, request)
        self.last_beat = min(beat, self.L)
        self.beat_ticks = beat  # the meter's beat (a dotted quarter in 6/8)
        # four parts in a compound meter (6/8, 9/8, 12/8): the dotted-quarter beat the lower voices'
        # notes keep to (`compound_fits`); Bach's chorales are all in simple meters, so the model
        # alone chops a 6/8 bar into quarter notes across its beats
        self.compound_beat = beat if self.voice_leading and beat % TICKS_PER_BEAT and beat < self.L else None

    def note_name(self, token_name: str) -> str:
        """The real note name of a Root/Bass token's name (version 2 writes degrees in C)."""
        if not self.relative:
            return token_name
        return spell_degree(self.tonic, pitch_class_of(token_name))


def other_third(quality: str) -> int | None:
    """The third (semitones over the root) a chord of `quality` does not have where it has the
    other one: 4 for a minor third alone (m, m7, dim, ...), 3 for a major third alone; else None."""
    intervals = set(CHORD_INTERVALS.get(quality, ()))
    if 3 in intervals and 4 not in intervals:
        return 4
    if 4 in intervals and 3 not in intervals:
        return 3
    return None


def in_pitch_classes(pitches: np.ndarray, pcs) -> np.ndarray:
    """Which `pitches` (MIDI numbers) have a pitch class in `pcs` (numbers, any octave): a
    12-entry lookup, about 5x faster than `np.isin` on the automaton's small arrays, and this runs
    at every melody step near a cadence."""
    lookup = np.zeros(12, dtype=bool)
    lookup[[pc % 12 for pc in pcs]] = True
    return lookup[pitches % 12]


def _run_sources(copy_from: list[int | None]) -> list[int]:
    """The bars a returning section's run of copies begins by repeating (a B strain's first bar,
    which its return copies), in order: no note ties into them, so that the copy begins as they
    did (`Constrainer.allowed`)."""
    return sorted({src for k, src in enumerate(copy_from)
                   if src is not None and (k == 0 or copy_from[k - 1] != src - 1)})  # fmt: skip


def _next_copies(copy_from: list[int | None]) -> list[int | None]:
    """Per bar, the next later bar that repeats an earlier one (its source is written by then)."""
    out: list[int | None] = []
    for b in range(len(copy_from)):
        later = [k for k in range(b + 1, len(copy_from)) if copy_from[k] is not None and copy_from[k] <= b]
        out.append(later[0] if later else None)
    return out


def compose_tables(tokenizer: Tokenizer, request: ComposeRequest, max_len: int, told: tuple[str, int] | None = None) -> _Tables:
    """The automaton tables `generate` samples a request under (the fine-tuning solver replays
    them to recompute each token's masked distribution). `told`: the key the header tells the
    model and the semitones the take sounds above it (`decode.header_key`), else the request's."""
    tables = _Tables(
        tokenizer,
        request,
        max_len,
        voice_leading=request.layout == "satb",
        chord_every_bar=request.chord_every_bar,
        form=True,
        told=told,
    )
    tables.bass_moves = request.layout == "satb"
    if request.layout == "lead" and not request.chords:  # its first chord: the tonic, as a share of takes
        tables.opening_share = OPENING_TONIC_SHARES.get(request.style)
        tables.contrast_share = CONTRAST_TONIC_SHARES.get(request.style) if tables.contrast_openings else None
    if request.layout == "lead" and tuple(request.pitch_range) == DEFAULT_RANGES.get(request.style):
        # (under the style's default range: a range the user gave is the user's)
        tables.span_choices = melody_span_choices(request.style, request.bars)
        tables.span_gain = MELODY_SPAN_GAIN if tables.span_choices else 0.0
    if request.pickup_position():
        add_pickup_bar(tables, request.pickup_position())
    return tables


def add_pickup_bar(tables: _Tables, position: int) -> None:
    """Put a pickup bar before the request's bars: bar 0, whose music starts at `position`
    (ticks), as the tokenizer writes a piece with an anacrusis (`Pickup Pos_k`). Every table
    indexed by bar moves one bar on; the pickup bar has no cadence and repeats nothing. A lead
    sheet's last bar is short by the pickup, so the piece is whole bars (the shippable training
    folk tunes with a pickup: 530 of 672 end so, 124 on a whole last bar); four parts keep a
    whole last bar (the training chorales with a pickup: 146 of 161 end so as read;
    runs/s14/pickup_last_bar.py)."""
    t = tables
    if not 0 < position < t.L:
        raise ValueError(f"a pickup starts inside its bar (0 < {position} < {t.L} ticks)")
    t.pickup, t.bar_offset = position, 1
    t.n_bars += 1
    if not t.voice_leading:
        t.last_L = position
    t.copy_from = [None] + [None if c is None else c + 1 for c in t.copy_from]
    t.strain_starts = [b + 1 for b in t.strain_starts]
    t.next_copy = _next_copies(t.copy_from)
    t.run_sources = _run_sources(t.copy_from)
    t.bar_cadence = [None, *t.bar_cadence]
    t.cadence_bars = [b + 1 for b in t.cadence_bars]
    t.phrase_bars = frozenset(b + 1 for b in t.phrase_bars)
    t.first_bars = frozenset(b + 1 for b in t.first_bars)
    t.contrast_bars = frozenset(b + 1 for b in t.contrast_bars)
    t.contrast_openings = frozenset(b + 1 for b in t.contrast_openings)
    if t.opening_bar is not None:
        t.opening_bar += 1
