"""Under the musician's chords (`compose --chords`), a lead sheet's melody fits them: a pitch gains
for being a tone of its bar's chord on the beat (`Constrainer.given_chord_bias`), and a note outside
the chord is kept short (`Constrainer.passing_length_bias`) and reached and left by step;
`automaton.GIVEN_CHORD_TONE_GAINS`, `NONCHORD_LENGTH_GAINS`, `CLASH_PENALTIES` and
`NONCHORD_LEAP_PENALTIES` per style."""

from __future__ import annotations

import numpy as np
import pytest

import tunesmith as ts
from tunesmith.tokenizer import DUR_TICKS, TICKS_PER_BEAT


def _constrainer(style: str, chords: list[str] | None):
    from tunesmith.sampling import ComposeRequest, Constrainer, compose_tables
    from tunesmith.tokenizer import Tokenizer

    request = ComposeRequest(style=style, key="C", meter="4/4", bars=4, chords=chords, pickup=0)
    return Constrainer(compose_tables(Tokenizer(), request, 512), 0)


@pytest.mark.parametrize("style", ["pop", "jazz", "folk"])
def test_a_melody_pitch_on_the_beat_gains_for_a_tone_of_its_bars_chord(style):
    from tunesmith.sampling import _NPOS
    from tunesmith.sampling.automaton import GIVEN_CHORD_TONE_GAINS, TRIAD_SEVENTH_ON_BEAT_PENALTIES

    on_beat, off_beat = GIVEN_CHORD_TONE_GAINS[style]
    auto = _constrainer(style, ["C", "A7", "Dm", "G7"])
    auto.state, auto.v, auto.bar, auto.note_pos = _NPOS, 0, 2, 0  # bar 3's downbeat: Dm
    bias = auto.given_chord_bias()
    pcs = auto.t.pitch_real % 12
    assert set(np.unique(bias[np.isin(pcs, [2, 5, 9])])) == {on_beat}  # D F A
    assert set(np.unique(bias[~np.isin(pcs, [1, 2, 5, 9])])) == {0.0}  # C, E, G ... not
    assert set(np.unique(bias[pcs == 1])) <= {0.0, -TRIAD_SEVENTH_ON_BEAT_PENALTIES.get(style, 0.0)}  # C#: Dm's major 7th
    auto.note_pos = TICKS_PER_BEAT // 2  # off the beat
    off = auto.given_chord_bias()
    assert off is None if off_beat == 0 else off.max() == off_beat
    assert _constrainer(style, None).given_chord_bias() is None  # the composer's own chords: its own choice


@pytest.mark.parametrize("style", ["pop", "jazz", "folk"])
def test_a_scale_tone_a_semitone_from_the_chords_outside_tone_loses(style):
    """Under A7 in C, C and D (a semitone from C#) lose the style's penalty anywhere in the bar;
    under Dm, which keeps to the scale, nothing does."""
    from tunesmith.sampling import _NPOS
    from tunesmith.sampling.automaton import CLASH_PENALTIES, GIVEN_CHORD_TONE_GAINS

    auto = _constrainer(style, ["C", "A7", "Dm", "G7"])
    auto.state, auto.v, auto.bar, auto.note_pos = _NPOS, 0, 1, TICKS_PER_BEAT // 2  # bar 2, off the beat: A7
    bias, pcs = auto.given_chord_bias(), auto.t.pitch_real % 12
    off_beat = GIVEN_CHORD_TONE_GAINS.get(style, (0.0, 0.0))[1]
    assert set(np.unique(bias[np.isin(pcs, [0, 2])])) == {-CLASH_PENALTIES[style]}
    assert set(np.unique(bias[np.isin(pcs, [5, 11])])) == {0.0} and set(np.unique(bias[pcs == 1])) == {off_beat}
    auto.bar = 2  # Dm
    assert auto.given_chord_bias() is None or auto.given_chord_bias().min() == 0.0
    auto.bar = 0  # C: none outside the key either
    assert auto.given_chord_bias() is None or auto.given_chord_bias().min() == 0.0


@pytest.mark.parametrize("style", ["pop", "jazz", "folk"])
def test_a_note_outside_its_bars_chord_is_kept_short(style):
    from tunesmith.sampling import _PITCH
    from tunesmith.sampling.automaton import NONCHORD_LENGTH_GAINS

    gain = NONCHORD_LENGTH_GAINS[style]
    auto = _constrainer(style, ["C", "F"])
    auto.state, auto.v, auto.bar = _PITCH, 0, 1  # bar 2: F
    auto.pitch = 64  # E: outside F A C
    bias = auto.passing_length_bias()
    half_beat, beat, two_beats = (DUR_TICKS.index(t) for t in (TICKS_PER_BEAT // 2, TICKS_PER_BEAT, 2 * TICKS_PER_BEAT))
    assert bias[half_beat] == 0.0 and bias[DUR_TICKS.index(TICKS_PER_BEAT // 4)] == 0.0  # short notes pass freely
    assert bias[beat] == pytest.approx(-gain) and bias[two_beats] == pytest.approx(-2 * gain)
    auto.pitch = 65  # F: the chord's root may be held (within its bar: the next is C's)
    bias = auto.passing_length_bias()
    assert bias is None or bias[[beat, two_beats, DUR_TICKS.index(4 * TICKS_PER_BEAT)]].tolist() == [0.0] * 3
    assert _constrainer(style, None).passing_length_bias() is None


@pytest.mark.parametrize("style", ["pop", "jazz"])
def test_a_note_held_into_a_chord_it_is_not_a_tone_of_loses(style):
    """Bar 1 under C, bar 2 under D7: an F on the last beat of bar 1 (in C's bar it is outside, as
    in D7's) loses the style's penalty for a length that reaches into bar 2; an A (a tone of D7,
    not of C) is held freely."""
    from tunesmith.sampling import _PITCH
    from tunesmith.sampling.automaton import HELD_INTO_PENALTIES, NONCHORD_LENGTH_GAINS

    auto = _constrainer(style, ["C", "D7"])
    auto.state, auto.v, auto.bar, auto.note_pos = _PITCH, 0, 0, 3 * TICKS_PER_BEAT
    beat, two_beats = (DUR_TICKS.index(t) for t in (TICKS_PER_BEAT, 2 * TICKS_PER_BEAT))
    auto.pitch = 65  # F
    bias = auto.passing_length_bias()
    assert bias[beat] == pytest.approx(-NONCHORD_LENGTH_GAINS[style])
    assert bias[two_beats] == pytest.approx(-2 * NONCHORD_LENGTH_GAINS[style] - HELD_INTO_PENALTIES[style])
    auto.pitch = 69  # A: outside C's bar, a tone of D7
    bias = auto.passing_length_bias()
    assert bias[two_beats] == pytest.approx(-2 * NONCHORD_LENGTH_GAINS[style])


@pytest.mark.parametrize("style", ["pop", "jazz", "folk"])
def test_a_note_outside_the_chord_is_reached_and_left_by_step(style):
    """Under C after an E: a leap to a note outside C E G loses the style's first penalty (D, a
    step, and G, a chord tone, do not); after an F outside the chord, every leap loses the second."""
    from tunesmith.sampling import _NPOS
    from tunesmith.sampling.automaton import NONCHORD_LEAP_PENALTIES

    into, out_of = NONCHORD_LEAP_PENALTIES[style]
    auto = _constrainer(style, ["C", "F"])
    auto.state, auto.v, auto.bar, auto.note_pos = _NPOS, 0, 0, TICKS_PER_BEAT // 2  # bar 1, off the beat: C
    auto.melody_recent = [64]  # E, a chord tone
    bias = auto.given_chord_bias()
    at = {p: float(bias[auto.t.pitch_real == p][0]) for p in (62, 65, 67, 69, 71, 72)}
    assert at[62] == at[65] == at[67] == at[72] == 0.0  # D and F by step, G and C in the chord
    assert at[69] == at[71] == -into  # A and B by leap, outside the chord
    auto.melody_recent, auto.melody_outside_chord = [65], True  # F: outside C E G
    bias = auto.given_chord_bias()
    at = {p: float(bias[auto.t.pitch_real == p][0]) for p in (64, 67, 60, 69)}
    assert at[64] == at[67] == 0.0 and at[60] == -out_of and at[69] == -(into + out_of)


def test_takes_leap_into_and_away_from_notes_outside_the_chord_less_with_the_penalties(monkeypatch):
    """End to end, folk over `G C D7 G`, 8 takes: of the melody notes outside the chord under them,
    the shares reached by a leap and left by one, with the penalties, with the first alone (no
    penalty for leaving: what a flag never set would give) and without."""
    import tunesmith
    from tunesmith.harmony import chord_pitch_classes
    from tunesmith.sampling import automaton

    loop = ["G", "C", "D7", "G"]

    def leaps() -> tuple[float, float]:
        into = away = outside = 0
        for seed in range(8):
            notes = tunesmith.compose("folk", key="G", meter="4/4", chords=" ".join(loop), bars=8, seed=seed,
                                      check=False).piece.melody().notes
            for before, note, after in zip(notes, notes[1:], notes[2:]):
                if note.pitch % 12 not in chord_pitch_classes(loop[int(note.onset // 4) % 4]):
                    outside += 1
                    into += abs(note.pitch - before.pitch) > 2
                    away += abs(after.pitch - note.pitch) > 2
        return into / outside, away / outside

    into, away = leaps()
    monkeypatch.setattr(automaton, "NONCHORD_LEAP_PENALTIES", {"folk": (automaton.NONCHORD_LEAP_PENALTIES["folk"][0], 0.0)})
    away_without_the_second = leaps()[1]
    monkeypatch.setattr(automaton, "NONCHORD_LEAP_PENALTIES", {})
    into_without, away_without = leaps()
    assert into < into_without - 0.05 and away < away_without - 0.05
    assert away < away_without_the_second - 0.02


def test_takes_over_given_chords_sit_on_them_more_with_the_levers(monkeypatch):
    """End to end, over a loop with a secondary dominant: the melody's time on its bars' chord
    tones, 8 takes, with the levers and without."""
    import tunesmith
    from tunesmith.harmony import chord_pitch_classes
    from tunesmith.sampling import automaton

    def on_chord_tones() -> float:
        on = total = 0.0
        for seed in range(8):
            take = tunesmith.compose("pop", key="C", chords="C A7 Dm G7", bars=8, seed=seed, check=False)
            for note in take.piece.melody().notes:
                bar = int(note.onset // 4)
                tones = chord_pitch_classes(["C", "A7", "Dm", "G7"][bar % 4])
                total += note.duration
                on += note.duration * (note.pitch % 12 in tones)
        return on / total

    with_levers = on_chord_tones()
    monkeypatch.setattr(automaton, "GIVEN_CHORD_TONE_GAINS", {})
    monkeypatch.setattr(automaton, "NONCHORD_LENGTH_GAINS", {})
    monkeypatch.setattr(automaton, "CLASH_PENALTIES", {})
    monkeypatch.setattr(automaton, "NONCHORD_LEAP_PENALTIES", {})
    assert with_levers > on_chord_tones() + 0.03


@pytest.mark.parametrize("style", ["pop", "jazz", "folk"])
def test_the_form_repeats_a_bar_only_where_its_melody_fits_the_new_bars_chord(style):
    """Bar 1's melody, C E G over C, may come back over C or Am (E and C: two thirds of its time),
    not over F# (none of it); without given chords the form repeats as planned."""
    from tunesmith.sampling.automaton import COPY_FIT_SHARES

    assert COPY_FIT_SHARES[style] > 0
    for chords, fits in ((["C", "C"], True), (["C", "Am"], True), (["C", "F#"], False)):
        auto = _constrainer(style, chords)
        auto.melody_by_bar = [[(60, TICKS_PER_BEAT, 0), (64, TICKS_PER_BEAT, TICKS_PER_BEAT), (67, 2 * TICKS_PER_BEAT, 2 * TICKS_PER_BEAT)], []]
        auto.bar = 1
        assert auto._copy_fits(0) is fits, chords
    auto = _constrainer(style, None)
    auto.melody_by_bar, auto.bar = [[(60, TICKS_PER_BEAT, 0)], []], 1
    assert auto._copy_fits(0)


def test_a_take_over_chords_repeats_no_bar_under_a_chord_it_does_not_fit(monkeypatch):
    """End to end, pop in AABA over a loop whose second A changes chords: every bar the form repeats
    sits at least the style's share of its time on its own chord's tones; without the rule some do not."""
    import tunesmith
    from tunesmith.harmony import chord_pitch_classes
    from tunesmith.sampling import automaton

    loop = ["C", "Am", "F", "G", "C", "F#m", "B7", "Em", "C", "Am", "F", "G", "C", "Am", "G", "C"]

    def worst_repeat(seed: int) -> float:
        piece = tunesmith.compose("pop", key="C", chords=" ".join(loop), bars=16, form="AABA", seed=seed,
                                  check=False).piece
        bars, notes = piece.bars(), piece.melody().notes
        def melody(b):
            return [(n.pitch, n.onset - bars[b], n.duration) for n in notes if bars[b] <= n.onset < bars[b] + 4]
        worst = 1.0
        for b in range(4, 16):
            for a in range(b):
                if melody(a) and melody(a) == melody(b) and a % 4 == b % 4:
                    tones = chord_pitch_classes(loop[b])
                    share = sum(d for p, _, d in melody(b) if p % 12 in tones) / sum(d for *_, d in melody(b))
                    worst = min(worst, share)
        return worst

    least = automaton.COPY_FIT_SHARES["pop"]
    assert min(worst_repeat(s) for s in range(6)) >= least - 1e-9
    monkeypatch.setattr(automaton, "COPY_FIT_SHARES", {})
    assert min(worst_repeat(s) for s in range(6)) < least


@pytest.mark.parametrize("style", ["pop", "jazz", "folk"])
def test_a_minor_keys_raised_seventh_or_sixth_loses_under_a_chord_holding_the_natural_one(style):
    """In A minor: G# under G (or Em7) and F# under F lose the style's clash penalty, anywhere in the
    bar; G# under E7 and F# under D, whose own tones they are, do not."""
    from tunesmith.sampling import _NPOS, ComposeRequest, Constrainer, compose_tables
    from tunesmith.sampling.automaton import CLASH_PENALTIES
    from tunesmith.tokenizer import Tokenizer

    def bias_at(chord: str, pc: int, mode: str = "minor") -> float:
        request = ComposeRequest(style=style, key="A", mode=mode, meter="4/4", bars=4, chords=[chord], pickup=0)
        auto = Constrainer(compose_tables(Tokenizer(), request, 512), 0)
        auto.state, auto.v, auto.bar, auto.note_pos = _NPOS, 0, 1, TICKS_PER_BEAT // 2
        bias = auto.given_chord_bias()
        return 0.0 if bias is None else float(bias[auto.t.pitch_real % 12 == pc][0])

    penalty = CLASH_PENALTIES[style]
    assert bias_at("G", 8) == bias_at("Em7", 8) == bias_at("F", 6) == -penalty  # G#, G#, F#
    assert bias_at("E7", 8) >= 0 and bias_at("D", 6) >= 0 and bias_at("Am", 8) == 0.0
    # in A major G# is the scale's own 7th: under G it loses once, for the G outside the key
    assert bias_at("G", 8, "major") == -penalty


@pytest.mark.parametrize("style", ["pop", "jazz", "folk"])
def test_striking_the_note_before_again_loses_the_styles_penalty(style):
    from tunesmith.sampling import _NPOS
    from tunesmith.sampling.automaton import GIVEN_REPEAT_PENALTIES

    auto = _constrainer(style, ["C", "F"])
    auto.state, auto.v, auto.bar, auto.note_pos = _NPOS, 0, 0, TICKS_PER_BEAT // 2
    auto.melody_recent = [64]  # E, a tone of C
    bias = auto.given_chord_bias()
    at = {p: 0.0 if bias is None else float(bias[auto.t.pitch_real == p][0]) for p in (64, 67)}
    assert at[64] == -GIVEN_REPEAT_PENALTIES.get(style, 0.0) and at[67] == 0.0
    assert _constrainer(style, None).given_chord_bias() is None


def test_a_folk_melody_keeps_a_triads_major_seventh_off_the_beat():
    """Over G (in G major) F# loses the folk penalty on the beat, not off it; over Gmaj7, which holds
    it, and over Em, whose root it is not a semitone under, it does not."""
    from tunesmith.sampling import _NPOS, ComposeRequest, Constrainer, compose_tables
    from tunesmith.sampling.automaton import GIVEN_CHORD_TONE_GAINS, TRIAD_SEVENTH_ON_BEAT_PENALTIES
    from tunesmith.tokenizer import Tokenizer

    def bias_at(chord: str, pc: int, pos: int) -> float:
        request = ComposeRequest(style="folk", key="G", meter="4/4", bars=4, chords=[chord], pickup=0)
        auto = Constrainer(compose_tables(Tokenizer(), request, 512), 0)
        auto.state, auto.v, auto.bar, auto.note_pos = _NPOS, 0, 1, pos
        bias = auto.given_chord_bias()
        return 0.0 if bias is None else float(bias[auto.t.pitch_real % 12 == pc][0])

    assert bias_at("G", 6, 0) == -TRIAD_SEVENTH_ON_BEAT_PENALTIES["folk"]
    assert bias_at("G", 6, TICKS_PER_BEAT // 2) == 0.0 and bias_at("G", 6, TICKS_PER_BEAT) < 0  # off / on beat 2
    # over Gmaj7 F# is a chord tone (it gains folk's on-beat gain); over Em and for E over G, nothing
    assert bias_at("Gmaj7", 6, 0) == GIVEN_CHORD_TONE_GAINS["folk"][0] and bias_at("Em", 6, 0) == 0.0 and bias_at("G", 4, 0) == 0.0


def test_a_melody_holds_no_note_into_a_chord_it_clashes_with():
    """A note held over the bar line into a chord it sits a semitone above a tone of (a minor ninth:
    A into B-flat 7 against its A-flat, D into E-flat 7) loses `HELD_INTO_CLASH_PENALTY` more: a jazz
    pianist's B-flat blues held such a note in takes 3 and 15 of 30 (seed 500) and take 3 of 4 (seed
    5). The training tunes almost never do (0.16 / 0.00 per 100 bars, jazz / pop)."""
    from tunesmith.harmony import QUALITIES, chord_pitch_classes, parse_chord

    blues = "Bb7 | Eb7 | Bb7 | Bb7 | Eb7 | Eb7 | Bb7 | G7 | Cm7 | F7 | Bb7 G7 | Cm7 F7"
    takes = ts.compose("jazz", chords=blues, bars=12, seed=500, n=30, tempo=120, check=False)[:16]
    takes += ts.compose("jazz", chords=blues, bars=12, seed=5, n=4, tempo=120, check=False)
    for take in takes:
        p = take.piece
        chords = sorted(p.chords, key=lambda c: c.onset)
        for n in p.melody().notes:
            for b in p.bars():
                if n.onset < b - 1e-6 < n.onset + n.duration - 2e-6:
                    into = [c for c in chords if c.onset <= b + 1e-6][-1].figure
                    pcs, (root, quality, _) = set(chord_pitch_classes(into)), parse_chord(into)
                    flat_ninth = n.pitch % 12 == (root + 1) % 12 and {4, 10} <= set(QUALITIES[quality])
                    assert n.pitch % 12 in pcs or (n.pitch - 1) % 12 not in pcs or flat_ninth, (take.seed, n, into)
                    break
