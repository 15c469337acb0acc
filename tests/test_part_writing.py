"""The four-part rules of `sampling.part_writing`, each on a hand-set chord (the voices a rule
sees are a `VoiceLeading`; the automaton around it is a stand-in with the fields a rule reads)."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import numpy as np
import pytest

from tunesmith.sampling.part_writing import (
    bass_approach_in_parallels,
    leaves_a_chromatic_note_by_leap,
    leaves_a_seventh_unresolved,
    makes_an_unresolved_seventh_above,
    no_way_into_the_final_chord,
    parallels_into_a_half_close,
    parallels_into_a_phrase_cadence,
    parallels_with_the_closing_bass,
    strikes_a_bass_seventh_the_plan_leaves,
    unsingable_leap,
)
from tunesmith.sampling.phrase_cadences import (
    doubles_a_drawn_phrygian_bass,
    drawn_half_close_approach,
    half_close_approach_shares,
    held_into_a_drawn_approach,
    phrase_cadence_approach,
)
from tunesmith.voice_leading import VoiceLeading, doubled_secondary_leading_tone

C_MAJOR = SimpleNamespace(tonic_pc=0, modal=False, minor=False, leading_pc=11, voices=("S", "A", "T", "B"),
                          voice_leading=True, beat_ticks=12, L=48, natural_scale=np.array([0, 2, 4, 5, 7, 9, 11]),
                          key_pcs=frozenset({0, 2, 4, 5, 7, 9, 11}), open_degree=7)  # fmt: skip
CANDIDATES = np.arange(48, 80)


def _auto(vl: VoiceLeading, v: int, **kw) -> SimpleNamespace:
    return SimpleNamespace(t=C_MAJOR, vl=vl, v=v, **kw)


def test_the_seventh_of_a_dominant_seventh_falls_by_step_or_holds():
    vl = VoiceLeading(4)
    for v, pitch in enumerate((71, 65, 62, 55)):  # G7: B4 F4 D4 G3 (the alto sings the seventh, F)
        vl.add(v, 0, 12, pitch)
    bad = leaves_a_seventh_unresolved(_auto(vl, 1), 12, CANDIDATES)
    allowed = set(CANDIDATES[~bad].tolist())
    assert allowed == {65, 64, 63}  # held, or down a second (E, or E-flat in minor)
    # the same F over a chord without the leading tone (Dm7's F) is free
    vl = VoiceLeading(4)
    for v, pitch in enumerate((72, 65, 62, 50)):
        vl.add(v, 0, 12, pitch)
    assert not leaves_a_seventh_unresolved(_auto(vl, 1), 12, CANDIDATES).any()


def test_a_secondary_dominants_seventh_falls_too_but_not_an_augmented_sixth():
    """A7 in C (V7 of ii): its seventh G falls to F or holds, as V7's does; A-flat C F-sharp in
    C (an augmented sixth, the same pitch classes as A-flat 7) leaves the F-sharp free to rise."""
    vl = VoiceLeading(4)
    for v, pitch in enumerate((73, 67, 64, 57)):  # A7: C#5 G4 E4 A3 (the alto sings the seventh, G)
        vl.add(v, 0, 12, pitch)
    bad = leaves_a_seventh_unresolved(_auto(vl, 1), 12, CANDIDATES)
    assert set(CANDIDATES[~bad].tolist()) == {67, 66, 65}
    vl = VoiceLeading(4)
    for v, pitch in enumerate((72, 66, 60, 56)):  # It+6: C5 F#4 C4 Ab3
        vl.add(v, 0, 12, pitch)
    assert not leaves_a_seventh_unresolved(_auto(vl, 1), 12, CANDIDATES).any()


def test_a_note_outside_the_key_is_left_by_step():
    """C major: the bass's B-flat (a passing note, or V7 of IV's seventh) goes on by a semitone or
    a tone, or holds; its D (in the key) is free. In A minor the raised 6th and 7th (F-sharp,
    G-sharp) are the key's own, the B-flat is not."""
    vl = VoiceLeading(4)
    vl.add(3, 0, 12, 46)  # B-flat 2
    bad = leaves_a_chromatic_note_by_leap(_auto(vl, 3), 12, CANDIDATES - 12)
    assert set((CANDIDATES - 12)[~bad].tolist()) == {44, 45, 46, 47, 48}
    vl = VoiceLeading(4)
    vl.add(3, 0, 12, 50)  # D3
    assert not leaves_a_chromatic_note_by_leap(_auto(vl, 3), 12, CANDIDATES - 12).any()
    a_minor = SimpleNamespace(**{**vars(C_MAJOR), "tonic_pc": 9, "minor": True, "leading_pc": 8,
                                 "natural_scale": np.array([9, 11, 0, 2, 4, 5, 7]),
                                 "key_pcs": frozenset({9, 11, 0, 2, 4, 5, 7, 6, 8})})  # fmt: skip
    for pitch, free in ((54, True), (56, True), (58, False)):  # F#3, G#3, B-flat 3
        vl = VoiceLeading(4)
        vl.add(2, 0, 12, pitch)
        bad = leaves_a_chromatic_note_by_leap(SimpleNamespace(t=a_minor, vl=vl, v=2), 12, CANDIDATES)
        assert (not bad.any()) == free, pitch


def test_composed_chorales_phrase_chords_are_whole_triads():
    """At a composed chorale's fermatas inside the piece the four voices sound a whole major or
    minor triad in most of them, as Bach's do (0.90): the tenor takes the fifth where a voice above
    has the third (`Constrainer._missing_fifth`); with the third alone required of it, 0.70 of 160
    takes' fermata chords were whole, 0.87 with the fifth (`docs/notes/2026-12-03-session-31`)."""
    import tunesmith as ts
    from tunesmith.metrics.harmony_rules import VOICES, _voices

    triads = {frozenset((r + i) % 12 for i in shape) for r in range(12) for shape in ((0, 4, 7), (0, 3, 7))}
    whole = n = 0
    for seed, (key, mode) in enumerate((("G", "minor"), ("D", None), ("F", None), ("A", "minor")) * 6):
        piece = ts.compose(style="chorale", key=key, mode=mode, bars=8, seed=700 + seed, check=False).piece
        voices = _voices(piece)
        for f in piece.fermatas[:-1]:
            now = [voices[r].pitch_at(f) for r in VOICES]
            if None not in now:
                n += 1
                whole += frozenset(p % 12 for p in now) in triads
    assert n >= 40 and whole / n >= 0.75, (whole, n)  # 43 of 53 (0.81); before the rule 34 (0.64)


def test_the_alto_leaves_the_soprano_its_root_at_a_phrases_end():
    """At a composed chorale's fermatas inside the piece the alto takes a tone of the cadence chord
    the soprano does not sing (`Constrainer._unsung_by_the_soprano`), so the tenor can complete
    it. Soprano, alto and bass on one pitch class: Bach 35 of 2,115 inner fermatas (1.7 %); 9 of
    these 88 before the rule, 2 with it (`docs/notes/2026-12-03-session-33/fermata_gaps.py`)."""
    import tunesmith as ts
    from tunesmith.metrics.harmony_rules import VOICES, _voices

    keys = (("G", "minor"), ("D", None), ("F", None), ("A", "minor"), ("C", None), ("E", "minor"), ("Bb", None),
            ("D", "minor"))  # fmt: skip
    one = n = 0
    for seed in range(40):
        key, mode = keys[seed % 8]
        piece = ts.compose(style="chorale", key=key, mode=mode, bars=8, seed=900 + seed, check=False).piece
        voices = _voices(piece)
        for f in piece.fermatas[:-1]:
            s, a, _, b = (voices[r].pitch_at(f) for r in VOICES)
            if None not in (s, a, b):
                n += 1
                one += s % 12 == a % 12 == b % 12
    assert n >= 60 and one <= 4, (one, n)


def test_composed_chorales_end_their_phrases_on_a_strong_beat():
    """A composed chorale's fermatas inside the piece stand where Bach's do: on beat 1 or 3 of a
    4/4 bar (beat 1 of a 3/4 bar), a beat long at least; composed ones had stood on beat 4 (0.29)
    and off the beat (0.12), an eighth long, where the model's closing note happened to fall."""
    import tunesmith as ts

    seen = 0
    for meter, seeds in (("4/4", range(600, 606)), ("3/4", range(610, 613))):
        for seed in seeds:
            piece = ts.compose(style="chorale", key="G", meter=meter, bars=8, seed=seed, check=False).piece
            soprano = sorted(piece.tracks[0].notes, key=lambda x: x.onset)
            bars = piece.bars()
            for f in piece.fermatas[:-1]:
                note = next(n for n in soprano if abs(n.onset - f) < 1e-6)
                in_bar = note.onset - max(b for b in bars if b <= note.onset + 1e-6)
                assert in_bar in ((0.0, 2.0) if meter == "4/4" else (0.0,)), (meter, seed, in_bar)
                assert note.duration >= 1.0, (meter, seed, note.duration)
                seen += 1
    assert seen >= 12


def test_a_bass_on_a_seventh_falls_to_the_planned_chords_third():
    """V4/2 then a planned C chord: the bass's F goes down to E (I6), not by a leap to the root
    the plan otherwise puts first; with no seventh before, the root comes first as before (with
    the tenor on E: where no voice above sings the third, the bass takes it,
    `BASS_TAKES_THE_MISSING_THIRD`)."""
    vl = VoiceLeading(4)
    for v, pitch in enumerate((74, 67, 59, 53)):  # G7 over F: D5 G4 B3 F3
        vl.add(v, 0, 12, pitch)
    for v, pitch in enumerate((72, 67, 60)):  # C: C5 G4 C4 above
        vl.add(v, 12, 24, pitch)
    vl.chord_tones[12] = np.array([0, 4, 7])
    bass = np.arange(40, 60)
    assert vl.sings_a_seventh(3, 12)
    assert set(bass[vl.pitch_ok(3, 12, bass)].tolist()) == {52}  # E3
    vl2 = VoiceLeading(4)
    for v, pitch in enumerate((74, 67, 59, 55)):  # G7 over G
        vl2.add(v, 0, 12, pitch)
    for v, pitch in enumerate((72, 67, 64)):  # C5 G4 E4
        vl2.add(v, 12, 24, pitch)
    vl2.chord_tones[12] = np.array([0, 4, 7])
    assert not vl2.sings_a_seventh(3, 12)
    assert set(bass[vl2.pitch_ok(3, 12, bass)].tolist()) <= {48, 60 - 12}  # the root, C


def test_a_lower_voice_makes_no_seventh_of_a_note_above_that_rises():
    """The soprano's F4 goes up to G4 next; with B3 in the tenor, a bass G makes the F the seventh
    of G7, left rising (a harmonized Bach soprano's F under G7, 9 of 25 of its sevenths unresolved):
    the bass takes another pitch. Where the F falls to E, G is free; so where no third sounds."""
    def voices(next_soprano, tenor=59):
        vl = VoiceLeading(4)
        vl.add(0, 0, 12, 65)  # F4, then ...
        vl.add(0, 12, 24, next_soprano)
        vl.add(1, 0, 12, 62)  # D4
        vl.add(2, 0, 12, tenor)
        return vl

    bass = np.arange(40, 60)
    bad = makes_an_unresolved_seventh_above(_auto(voices(67), 3), 0, bass)
    assert set(bass[bad].tolist()) == {43, 55}  # G2, G3
    assert not makes_an_unresolved_seventh_above(_auto(voices(64), 3), 0, bass).any()  # F falls to E
    bad = makes_an_unresolved_seventh_above(_auto(voices(67, tenor=55), 3), 0, bass)  # the tenor on G:
    assert set(bass[bad].tolist()) == {47, 59}  # B would complete it


def test_a_seventh_the_plan_gives_falls_before_the_bass_is_written():
    """The plan's D7 on beat 2 over a tenor C4 held from beat 1, then G: the bass, written after the
    tenor, will make the C a seventh (F-sharp under it), so the tenor's next note holds it or falls
    a step (a harmonized tenor had leapt to G3); with the plan's D minor there, it is free."""
    def voices(second_chord):
        vl = VoiceLeading(4)
        vl.add(0, 0, 12, 76)
        vl.add(0, 12, 24, 74)  # E5 D5
        vl.add(1, 0, 12, 67)
        vl.add(1, 12, 24, 69)  # G4 A4
        vl.add(2, 0, 24, 60)  # the tenor's C4, held
        vl.chord_tones.update({0: np.array([0, 4, 7]), 12: np.array(second_chord), 24: np.array([7, 11, 2])})
        return vl

    tenor = np.arange(48, 68)
    bad = leaves_a_seventh_unresolved(_auto(voices([2, 6, 9, 0]), 2), 24, tenor)
    assert set(tenor[~bad].tolist()) == {60, 59, 58}
    assert not leaves_a_seventh_unresolved(_auto(voices([2, 5, 9, 0]), 2), 24, tenor).any()  # Dm7: no leading tone


def test_a_passing_bass_strikes_no_seventh_the_planned_bass_leaves():
    """G7 above (B4 G4 D4) on the half beat before a planned C with the bass on its root: a passing
    F3 would be V4/2 leaping to C (a harmonized bass G3 F3 C3); planned on E (I6) it may pass."""
    def voices(planned_pc):
        vl = VoiceLeading(4)
        for v, pitch in enumerate((71, 67, 62)):
            vl.add(v, 0, 12, pitch)
        vl.add(3, 0, 6, 55)  # G3 on the beat, the half beat to fill
        vl.chord_tones[0] = np.array([7, 11, 2])
        vl.chord_tones[12] = np.array([0, 4, 7])
        vl.planned_bass[12] = planned_pc
        return vl

    bass = np.arange(48, 60)
    auto = _auto(voices(0), 3)
    auto._sounding_above = lambda at: {11, 7, 2}
    bad = strikes_a_bass_seventh_the_plan_leaves(auto, 6, bass)
    assert set(bass[bad].tolist()) == {53}  # F3
    auto = _auto(voices(4), 3)
    auto._sounding_above = lambda at: {11, 7, 2}
    assert not strikes_a_bass_seventh_the_plan_leaves(auto, 6, bass).any()


def test_a_held_bass_ends_before_the_voices_above_make_it_a_seventh_the_plan_leaves():
    """A bass E under E G# B, the voices above moving on the half beat to F#7 (A# C# E... over the
    E) before a planned B: the E is cut at the half beat; before a planned D (V4/2 to i6) it holds."""
    def voices(planned_pc):
        vl = VoiceLeading(4)
        for v, (a, b) in enumerate(((68, 70), (64, 66), (59, 61))):  # G#4 A#4, E4 F#4, B3 C#4
            vl.add(v, 0, 6, a)
            vl.add(v, 6, 12, b)
        vl.chord_tones[0] = np.array([4, 8, 11])
        vl.chord_tones[12] = np.array([11, 2, 6])
        vl.planned_bass[12] = planned_pc
        return vl

    assert voices(11).unresolved_bass_seventh_ahead(3, 0, 52, 11) == 6
    assert voices(2).unresolved_bass_seventh_ahead(3, 0, 52, 11) is None


def _inner_quick_rocks(piece) -> int:
    """The alto's and tenor's quick rocks: x-y-x-y with the first three notes half a beat or less."""
    count = 0
    for role in ("alto", "tenor"):
        ns = sorted(piece.track(role).notes, key=lambda n: n.onset)
        for a, b, c, d in zip(ns, ns[1:], ns[2:], ns[3:]):
            quick = max(a.duration, b.duration, c.duration) <= 0.5 + 1e-9
            count += quick and a.pitch == c.pitch != b.pitch == d.pitch
    return count


def _harmonized_jsb_sopranos(n: int, four_parts: bool = False) -> list:
    """[(Bach's soprano, its harmonization with seed i)] for the first `n` JSB valid chorales (those
    in four parts where `four_parts`); skips without the corpus or the JSB set."""
    import tunesmith as ts
    from tunesmith.corpus import load_corpus

    try:
        chorales = [c for c in load_corpus(None).filter(split="valid", source="jsb") if not four_parts or len(c.tracks) >= 4][:n]
    except FileNotFoundError:
        pytest.skip("no corpus built (tunesmith corpus build)")
    if not chorales:
        pytest.skip("no JSB chorales in the corpus (../shared/data/jsb absent)")
    out = []
    for i, chorale in enumerate(chorales):
        soprano = copy.deepcopy(chorale)
        soprano.tracks = soprano.tracks[:1]
        out.append((soprano, ts.harmonize(soprano, style="chorale", seed=i).piece))
    return out


def _bass_repeats() -> int:
    """Bass notes struck at once on the pitch of the note before, over the first 10 four-part JSB
    validation sopranos harmonized (seed i)."""
    count = 0
    for _, piece in _harmonized_jsb_sopranos(10, four_parts=True):
        bass = sorted(piece.track("bass").notes, key=lambda n: n.onset)
        count += sum(a.pitch == b.pitch and abs(a.onset + a.duration - b.onset) < 1e-6 for a, b in zip(bass, bass[1:]))
    return count


def test_a_harmonized_bass_holds_over_a_repeated_chord_rather_than_strike_it_again(monkeypatch):
    """The harmonizer's plan names a chord a beat, the same one for several beats under a held
    soprano note, and holds the bass to its root: the bass had struck it again each beat (19.2
    repeats per 100 beats in 40 harmonized JSB sopranos; Bach's basses, as music21 encodes them,
    2.9). A bass note's length that ends where the plan sets the bass on its pitch class again loses
    `feedback.BASS_RESTRIKE_LENGTH_PENALTY` (13.8 in those 40). 10 sopranos with and without it:
    60 repeats and 94. (Measured with `BASS_LEAVES_A_STRUCK_PITCH` off, which takes the bass off a
    pitch it would strike again the other way: with both, 41 and 49; with that alone, 56 and 82.)
    Since the harmonized bass pays its planned repeat penalties (session 67) and the inner voices
    keep Bach's spacing (session 68): 56 and 80 here, 132 and 170 over 20 sopranos."""
    from tunesmith import voice_leading
    from tunesmith.sampling import feedback

    monkeypatch.setattr(voice_leading, "BASS_LEAVES_A_STRUCK_PITCH", False)

    assert feedback.BASS_RESTRIKE_LENGTH_PENALTY > 0
    held = _bass_repeats()
    monkeypatch.setattr(feedback, "BASS_RESTRIKE_LENGTH_PENALTY", 0.0)
    struck = _bass_repeats()
    assert held <= 0.8 * struck, (held, struck)


def test_a_bass_whose_tier_leaves_only_its_own_pitch_may_leave_it(monkeypatch):
    """C major planned on two beats, the bass's C3 ending on the second: the tier of roots a step
    from the note before had left only C3 itself, struck again. Now the octave is offered too, and
    the chord's third where no voice above sings it (`BASS_LEAVES_A_STRUCK_PITCH`)."""
    from tunesmith import voice_leading

    def allowed(alto: int) -> list[int]:
        vl = VoiceLeading(4)
        for v, pitch in enumerate((67, alto, 55)):  # G4, the alto, G3: held over both beats
            vl.add(v, 0, 24, pitch)
        vl.add(3, 0, 12, 48)  # C3, ending on the second beat
        vl.chord_tones.update({0: np.array([0, 4, 7]), 12: np.array([0, 4, 7])})
        bass = np.arange(36, 56)
        return bass[vl.pitch_ok(3, 12, bass)].tolist()

    monkeypatch.setattr(voice_leading, "BASS_TAKES_THE_MISSING_THIRD", False)  # (it takes E3 first)
    assert allowed(64) == [36, 48]  # the alto sings E4: no E3 under it
    assert allowed(60) == [36, 48, 52]
    monkeypatch.setattr(voice_leading, "BASS_LEAVES_A_STRUCK_PITCH", False)
    assert allowed(60) == [48]


@pytest.mark.parametrize("takes_it", [True, False])
def test_a_bass_under_a_chord_whose_third_no_voice_above_sings_takes_it(monkeypatch, takes_it):
    """C major planned, soprano G4, alto C4 and tenor G3: no voice above sings E. The bass, coming
    from G3, takes E3 (a step, else within a fourth) before the root. With it (and an inner voice's
    tritone to a missing third kept only into a cadence, `THIRD_OVER_A_TRITONE_ONLY_INTO_A_CADENCE`)
    harmonized Bach sopranos' chords lack their third 2.26 times per 100 beats, 2.81 before (Bach
    2.00; docs/notes/2026-12-07-session-66/third_less.py). Not where the alto sings E4, nor at a
    cadence chord, whose root the bass keeps."""
    from tunesmith import voice_leading

    monkeypatch.setattr(voice_leading, "BASS_TAKES_THE_MISSING_THIRD", takes_it)

    def allowed(alto: int, before: int = 55, cadence: bool = False) -> list[int]:
        vl = VoiceLeading(4)
        for v, pitch in enumerate((67, alto, 55)):
            vl.add(v, 12, 24, pitch)
        vl.add(3, 0, 12, before)
        vl.chord_tones.update({12: np.array([0, 4, 7])})
        vl.cadence_ticks = frozenset({12} if cadence else ())
        bass = np.arange(36, 56)
        return sorted(set((bass[vl.pitch_ok(3, 12, bass)]).tolist()))

    assert allowed(60) == ([52] if takes_it else [36, 48])  # from G3: E3, a third; else the root
    assert allowed(60, before=53) == [52]  # from F3 E3 is a step: the stepwise tier's third already
    assert allowed(60, before=31) == [36, 48]  # from G1 E2 is a sixth away: the root
    assert allowed(64) == [36, 48]  # the alto's E4: the root
    assert 52 not in allowed(60, cadence=True)


def test_a_harmonized_bass_strikes_its_pitch_again_less_where_it_may_leave_it(monkeypatch):
    """Where the chord stays from one beat to the next, Bach's bass strikes its note again at 0.13
    of those beats, the harmonized 0.24 before `BASS_LEAVES_A_STRUCK_PITCH` and 0.12 with it
    (40 JSB sopranos; docs/notes/2026-12-07-session-65/repeated_chord_bass.py). Over 10 sopranos
    (all the bass's repeats): 41 with it, 56 without (34 and 64 before the inner voices'
    suspensions, which change every take's path)."""
    from tunesmith import voice_leading

    assert voice_leading.BASS_LEAVES_A_STRUCK_PITCH
    left = _bass_repeats()
    monkeypatch.setattr(voice_leading, "BASS_LEAVES_A_STRUCK_PITCH", False)
    struck = _bass_repeats()
    assert left <= 0.8 * struck, (left, struck)


def test_a_harmonized_bass_pays_the_planned_repeat_penalties_and_a_composed_one_does_not(monkeypatch):
    """Under a chord plan the bass's repeat costs `feedback.PLANNED_BASS_REPEAT_PENALTIES` (2.5, 4),
    composing `BASS_REPEAT_PENALTIES` (1.5, 3): the census of 40 harmonized JSB sopranos gave 8.2 /
    7.9 / 8.3 repeats per 100 beats at (1.5, 3) and 7.0 / 7.0 / 7.1 at (2.5, 4), seeds from 3000 /
    5000 / 7000 (Bach 2.9). Over these 10 sopranos the difference is a few notes (31 against 35), so
    this test shows the wiring with a large pair: (8, 8) strikes again 22 times. A composed chorale
    is the same take whatever the planned pair is."""
    import tunesmith as ts
    from tunesmith.sampling import feedback

    assert feedback.PLANNED_BASS_REPEAT_PENALTIES == (2.5, 4.0)
    composed = ts.compose(style="chorale", key="G", bars=4, seed=951, check=False).piece
    shipped = _bass_repeats()
    monkeypatch.setattr(feedback, "PLANNED_BASS_REPEAT_PENALTIES", (8.0, 8.0))
    assert _bass_repeats() <= shipped - 5
    assert ts.compose(style="chorale", key="G", bars=4, seed=951, check=False).piece.tracks == composed.tracks


def test_a_harmonized_chorales_inner_voices_seldom_rock_in_eighths(monkeypatch):
    """Harmonizing, the alto and tenor take the composer's quick-rock penalties too
    (`feedback.QUICK_ROCKS_IN_COCREATE`): x-y-x-y with the first three in eighths or shorter, 0.74
    and 1.77 per 100 beats in 40 harmonized JSB sopranos with the bass's hold (0.54 / 1.24 before
    it), Bach's settings 0.54 / 0.41; with them 0.37 / 0.45. 10 sopranos with and without: 2 and 8."""
    from tunesmith.sampling import feedback

    def quick_rocks() -> int:
        return sum(_inner_quick_rocks(piece) for _, piece in _harmonized_jsb_sopranos(10, four_parts=True))

    assert feedback.QUICK_ROCKS_IN_COCREATE
    drawn = quick_rocks()
    monkeypatch.setattr(feedback, "QUICK_ROCKS_IN_COCREATE", False)
    free = quick_rocks()
    assert drawn <= free - 3, (drawn, free)


def test_harmonized_chorales_leave_few_sevenths_unresolved():
    """Of the sevenths of dominant sevenths in harmonized Bach sopranos, 34 % neither held nor fell
    by step (20 valid chorales; Bach's own 8 %): a voice below made the soprano's note a seventh it
    then left rising, and a passing bass struck V4/2 before the planned root. 19 % with the rules,
    10 % with the bass's leaps kept singable too (`docs/notes/2026-12-06-session-54/
    lower_voice_census.py`); in these 20, 3 of 26 (11 of 34 without the seventh rules)."""
    from tunesmith.metrics.harmony_rules import unresolved_dominant_sevenths

    unresolved = sevenths = 0
    for _, piece in _harmonized_jsb_sopranos(20, four_parts=True):
        bad, n = unresolved_dominant_sevenths(piece)
        unresolved, sevenths = unresolved + bad, sevenths + n
    # The weights shipped in session 56 leave more: 7 of 27 in these 20 (24 of 53 without the rules),
    # 17 of 79 in the first 40 (62 of 142 without), mostly the tenor's off-beat neighbour notes under a
    # passing V7 (G3 between A3s under A2 and C#5): a known loss, on the issue (#9). With the chorales
    # keyed by their close (session 57) 10 of 34 here and 21 of 90 in 40; with
    # `UPPER_SEVENTHS_OVER_THE_PLAN` on since then, 8 of 30 and 16 of 82; and with an inner voice's
    # passing seventh kept off where the next planned chord cannot resolve it
    # (`strikes_a_seventh_the_next_chord_leaves`), 5 of 29 and 8 of 77; with diminished triads on their
    # third (`voice_leading.DIMINISHED_TRIADS_ON_THEIR_THIRD`), 7 of 32 here (over 77: 23 of 166
    # against 27 of 171 without it); with the bass's rising tritone avoided too, 6 of 33 and 10 of 79
    assert sevenths >= 15 and unresolved <= 0.25 * sevenths, (unresolved, sevenths)


def test_harmonized_basses_leap_no_seventh_to_reach_their_planned_root():
    """The bass held to its planned root had reached it by a seventh (F3 down to G2, not up to G3):
    `singable` refused the leap only after the plan's tiers, which overruled it. Harmonized Bach
    sopranos' basses leapt a seventh or past the octave 2.0 times per 100 beats (Bach's 0.65); kept
    out of the tiers (`unsingable_leap`), 0.3 (`docs/notes/2026-12-06-session-54/
    lower_voice_census.py`)."""
    import tunesmith.sampling.part_writing as rules

    def wide_bass_leaps() -> float:
        leaps = beats = 0
        for _, piece in _harmonized_jsb_sopranos(12, four_parts=True):
            bass = [n.pitch for n in sorted(piece.track("bass").notes, key=lambda n: n.onset)]
            leaps += sum(abs(b - a) in (10, 11) or abs(b - a) > 12 for a, b in zip(bass, bass[1:]))
            beats += piece.duration()
        return 100 * leaps / beats

    # (the weights shipped in session 56, these 12 chorales: 0.16 with the rule, 1.41 without; over 30,
    # 0.06 and 1.18. Since session 65's suspensions, which change every take's path: 0.63 and 1.88;
    # over 40, 0.29 and 1.15, where the suspensions' own 0.21 -> 0.29 is 5 leaps against 7. Since
    # session 67's chord plans and harmonized bass repeats: 0.78 (5 leaps) and 2.35; over 40, 0.33
    # (8) and 1.07 (26), so the bound is 1.0 here. Since session 68's plans, a return counted at the
    # chord change: 0.31 (2 leaps) and 2.35 (15); with the inner voices' spacing, 0.47 (3) and 1.25 (8))
    kept = wide_bass_leaps()
    rules.SINGABLE_OVER_THE_PLAN = False
    try:
        free = wide_bass_leaps()
    finally:
        rules.SINGABLE_OVER_THE_PLAN = True
    assert kept <= 1.0 and kept <= free / 2, (kept, free)


def test_no_parallels_with_the_bass_into_the_final_chord():
    """V-I with the bass drawn G-C: an alto a fifth over G (D) does not move to a fifth over C
    (G); the bass's note before its approach does not make octaves with a tenor moving to G."""
    vl = VoiceLeading(4)
    vl.add(1, 36, 48, 62)  # the alto's D4 in the beat before the final chord
    auto = _auto(vl, 1, final_ticks=48, half_close=False, bass_approach="dominant",
                 final_chord_tick=lambda: 48, _approach_span=lambda: 12)  # fmt: skip
    bad = parallels_with_the_closing_bass(auto, 48, CANDIDATES)
    assert set(CANDIDATES[bad].tolist()) == {55, 67, 79}  # G3, G4, G5: fifths over C
    vl = VoiceLeading(4)
    vl.add(2, 24, 36, 53)  # tenor F3, then G3 with the bass's approach
    vl.add(2, 36, 48, 55)
    auto = _auto(vl, 3, final_ticks=48, half_close=False, bass_approach="dominant",
                 final_chord_tick=lambda: 48, _approach_span=lambda: 12)  # fmt: skip
    bad = parallels_with_the_closing_bass(auto, 24, CANDIDATES)
    assert {53, 65} <= set(CANDIDATES[bad].tolist())  # F under the tenor's F: octaves into G-G
    assert 50 not in set(CANDIDATES[bad].tolist())  # D3 under F3 (a third) is fine


def test_an_upper_voice_on_the_approach_keeps_off_octaves_with_the_planned_bass():
    """Harmonize: the bass before the approach is written after the tenor, but it mostly sits on
    the planned root; a tenor an octave over that root (E3 over a planned E) does not move to the
    octave over the approach (A3 over A2): tenor E3-A3 over bass E2-A2 at a d-minor close."""
    d_minor = SimpleNamespace(tonic_pc=2, modal=False, leading_pc=1, voices=("S", "A", "T", "B"), voice_leading=True,
                              beat_ticks=12, L=48)  # fmt: skip
    vl = VoiceLeading(4)
    vl.add(2, 24, 36, 52)  # the tenor's E3 in the beat before the approach
    vl.chord_tones = {24: np.array([4, 7, 10]), 36: np.array([9, 1, 4])}  # planned: E dim (root E), then A major
    auto = SimpleNamespace(t=d_minor, vl=vl, v=2, final_ticks=48, half_close=False, bass_approach="dominant",
                           final_chord_tick=lambda: 48, _approach_span=lambda: 12)  # fmt: skip
    bad = parallels_with_the_closing_bass(auto, 36, CANDIDATES)
    assert set(CANDIDATES[bad].tolist()) == {57, 69}  # A3 and A4: octaves over A
    assert not bad[CANDIDATES.tolist().index(52)]  # holding E3 is fine


def test_an_upper_voice_at_a_fermata_leaves_the_bass_its_root():
    """A harmonized fermata on C (planned C major, after G major), soprano E5 and alto G4 above:
    the tenor on D4 over the bass's G2 (a fifth) takes no G over the cadence's C, a fifth again,
    while C or E is there to take; the bass, written last, had found its root refused by such
    parallels at a third of the fermatas, and stood on the chord's third or fifth. Without the
    fermata, G stays allowed."""
    vl = VoiceLeading(4)
    vl.add(0, 12, 36, 76)  # soprano E5, held into the fermata
    vl.add(1, 12, 36, 67)  # alto G4
    vl.add(2, 12, 24, 62)  # the tenor's D4 in the beat before
    vl.add(3, 12, 24, 43)  # the bass's G2
    vl.chord_tones = {12: np.array([7, 11, 2]), 24: np.array([0, 4, 7])}
    cands = np.arange(48, 70)
    vl.cadence_ticks = frozenset({24})
    assert set(cands[vl.pitch_ok(2, 24, cands)].tolist()) == {48, 52, 60, 64}  # C and E, no G3 or G4
    vl.cadence_ticks = frozenset()
    assert {55, 67} <= set(cands[vl.pitch_ok(2, 24, cands)].tolist())


def fermata_on_c(before: list[int], tenor: list[tuple[int, int, int]], bass: list[tuple[int, int, int]] = ()) -> VoiceLeading:
    """Four voices around a harmonized fermata on C major at tick 24 (the chord `before` planned
    at tick 12): soprano E5 and alto G4 held through, the tenor's and the bass's notes as given
    (start, end, pitch), a beat of 12 ticks."""
    vl = VoiceLeading(4)
    vl.add(0, 12, 36, 76)
    vl.add(1, 12, 36, 67)
    for v, notes in ((2, tenor), (3, bass)):
        for start, end, pitch in notes:
            vl.add(v, start, end, pitch)
    vl.chord_tones = {12: np.array(before), 24: np.array([0, 4, 7])}
    vl.beat_ticks = 12
    return vl


def bass_choices(vl: VoiceLeading, p: int, cands: np.ndarray, fermata: bool) -> set[int]:
    """The pitch classes the rules leave the bass at tick p, with the fermata at 24 or without."""
    vl.cadence_ticks = frozenset({24}) if fermata else frozenset()
    return {int(c) % 12 for c in cands[vl.pitch_ok(3, p, cands)]}


def test_the_bass_moves_into_a_fermata_from_where_its_root_is_free(monkeypatch):
    """A harmonized fermata on C (planned C major at tick 24, after G major): the tenor, written
    before the bass, moves G3 - C4 into it. The bass's G2 before it would leave the root C a
    parallel octave (G-G, C-C), and the bass would then stand on E or G at the fermata; so on the
    beat before, with G major planned, the bass takes B or D rather than its root. Without the
    fermata, the root G comes first as ever, but for the third no voice above sings, B, since
    session 66 (`BASS_TAKES_THE_MISSING_THIRD`)."""
    from tunesmith import voice_leading

    vl = fermata_on_c([7, 11, 2], tenor=[(12, 24, 55), (24, 36, 60)])
    chosen = bass_choices(vl, 12, np.arange(40, 55), fermata=True)
    assert chosen and 7 not in chosen and chosen <= {11, 2}
    assert bass_choices(vl, 12, np.arange(40, 55), fermata=False) == {11}
    monkeypatch.setattr(voice_leading, "BASS_TAKES_THE_MISSING_THIRD", False)
    assert bass_choices(vl, 12, np.arange(40, 55), fermata=False) == {7}


def test_the_bass_moves_into_a_fermata_by_a_fourth_or_fifth_where_its_chord_has_one():
    """Into a fermata on C, with E minor planned on the beat before, the bass takes that chord's G
    (a fifth over the C it moves to: a cadence's bass) before its root E (Bach's harmonized
    fermatas are approached so at 0.73, ours were at 0.52). Without the fermata, the root E."""
    vl = fermata_on_c([4, 7, 11], tenor=[(12, 36, 64)])  # the tenor holds E4: no upper voice moves
    assert bass_choices(vl, 12, np.arange(40, 55), fermata=True) == {7}
    assert bass_choices(vl, 12, np.arange(40, 55), fermata=False) == {4}


def test_a_fermata_chord_whose_root_is_refused_stands_on_its_third_not_a_six_four():
    """The tenor moves F3 - C4 into a fermata on C over the bass's F2: the bass's C is octaves
    with it. Then the bass takes E (C major's third: a C6), not G (a six-four, which Bach never
    puts under a fermata and 11 of 229 harmonized fermata chords had). Without the fermata too,
    since every planned chord is sung whole (`voice_leading.PLANNED_CHORDS_COMPLETE`; E or G alike
    before it, and 0.076 of harmonized beats stood on a six-four, Bach's 0.024)."""
    vl = fermata_on_c([5, 9, 0], tenor=[(12, 24, 53), (24, 36, 60)], bass=[(12, 24, 41)])
    assert bass_choices(vl, 24, np.arange(40, 56), fermata=True) == {4}
    assert bass_choices(vl, 24, np.arange(40, 56), fermata=False) == {4}


@pytest.mark.parametrize("kept", [True, False])
def test_a_fermata_bass_whose_third_is_avoided_takes_its_root_before_its_fifth(monkeypatch, kept):
    """As above, the tenor's F3 - C4 refuses the bass's root C at the fermata by octaves, and now the
    caller avoids its third (as it avoids a doubled leading tone or a leap past the octave): the bass
    takes its root all the same (`CADENCE_ROOT_OVER_PARALLELS`), not the fifth G (a six-four). The
    avoided tiers had gone first and left the root's tier behind the fifth: harmonized fermata chords
    on a six-four 11 of 209 in 30 of Bach's sopranos, with the order kept 2 (Bach 1;
    `docs/notes/2026-12-05-session-46/chorale_vocabulary.py 40`). With the old order, the fifth."""
    import tunesmith.voice_leading as voice_leading

    monkeypatch.setattr(voice_leading, "AVOIDED_KEEP_THE_CADENCE_ROOT", kept)
    vl = fermata_on_c([5, 9, 0], tenor=[(12, 24, 53), (24, 36, 60)], bass=[(12, 24, 41)])
    vl.cadence_ticks = frozenset({24})
    cands = np.arange(40, 56)
    chosen = {int(c) % 12 for c in cands[vl.pitch_ok(3, 24, cands, avoid=cands % 12 == 4)]}
    assert chosen == ({0} if kept else {7})


def test_parallels_are_heard_across_a_short_bars_gap():
    """A chorale's fermata bar of 3 beats (then a 1-beat bar: 3 + 1) leaves the grid's bar silent
    after its music: tenor F-sharp 3 over bass F-sharp 2 at the fermata (ticks 216-228), both silent
    to the next bar (240), where the tenor moves to B3. The bass's B2 there is octaves with it, as
    much as if no gap lay between (the check had read the silence and let 20 of 33 parallels of
    harmonized fermata chorales through); D3 is fine."""
    vl = VoiceLeading(4)
    vl.add(2, 216, 228, 54)
    vl.add(3, 216, 228, 42)
    vl.add(2, 240, 252, 59)
    cands = np.arange(40, 60)
    allowed = set(cands[vl.pitch_ok(3, 240, cands)].tolist())
    assert 47 not in allowed and 59 not in allowed and 50 in allowed


def test_no_parallels_with_an_upper_voice_into_a_phrase_cadence():
    """A half cadence on G in C major (bar 1's last beat, the bass's closing note set to G): the
    alto moves F-sharp 4 - D4 there, so the bass's note before it is not B (a fifth under F-sharp:
    B-G under F-sharp-D, parallel fifths, as a composed chorale had: seed 506) nor any B; the
    bass's D (a third under the F-sharp) is fine. No cadence in the bar: nothing is refused."""
    vl = VoiceLeading(4)
    vl.add(1, 24, 36, 66)  # alto F-sharp 4 on beat 3, then D4 on the cadence's beat
    vl.add(1, 36, 48, 62)
    cadence = dict(bar=0, copy_src=None, _cadence=lambda: "open", _phrase_end=lambda bar: 48, _cadence_zone=lambda bar: 12,
                   _closing_pcs=lambda kind: frozenset({7}))  # fmt: skip
    bad = parallels_into_a_phrase_cadence(_auto(vl, 3, **cadence), 30, CANDIDATES)
    assert set(CANDIDATES[bad].tolist()) == {59, 71}  # B3, B4: fifths under F-sharp into G under D
    assert not bad[CANDIDATES.tolist().index(62)]
    assert not parallels_into_a_phrase_cadence(_auto(vl, 3, **{**cadence, "_cadence": lambda: None}), 30, CANDIDATES).any()
    assert not parallels_into_a_phrase_cadence(_auto(vl, 2, **cadence), 30, CANDIDATES).any()  # the bass's rule


def test_a_phrase_cadence_is_approached_from_its_dominant_or_to_it():
    """The bass's note in the beat before a composed chorale phrase's cadence: V (G) before a close
    on I, I, IV or ii (C, F, D) before a half close on V; nothing asked elsewhere, of the upper
    voices, or outside a phrase's bar (a teacher: fermata chords approached from the same chord)."""
    t = SimpleNamespace(**vars(C_MAJOR), phrase_bars=frozenset({0}))
    vl = VoiceLeading(4)

    def auto(v=3, kind="closed", **kw):
        return SimpleNamespace(t=kw.pop("t", t), vl=vl, v=v, bar=0, copy_src=None, _cadence=lambda: kind,
                               _phrase_end=lambda bar: 48, _cadence_zone=lambda bar: 12, **kw)  # fmt: skip

    allowed = CANDIDATES[phrase_cadence_approach(auto(), 24, CANDIDATES)] % 12
    assert set(allowed.tolist()) == {7}
    allowed = CANDIDATES[phrase_cadence_approach(auto(kind="open"), 30, CANDIDATES)] % 12
    assert set(allowed.tolist()) == {0, 5, 2}
    assert phrase_cadence_approach(auto(), 12, CANDIDATES) is None  # two beats before: free
    assert phrase_cadence_approach(auto(), 36, CANDIDATES) is None  # the cadence's own note
    assert phrase_cadence_approach(auto(v=2), 24, CANDIDATES) is None
    assert phrase_cadence_approach(auto(kind="to V"), 24, CANDIDATES) is None  # a passage's cadence
    assert phrase_cadence_approach(auto(t=SimpleNamespace(**vars(C_MAJOR), phrase_bars=frozenset())), 24, CANDIDATES) is None


def test_the_bass_note_before_the_final_chord_keeps_out_of_parallels_with_a_moving_voice():
    """A minor, the soprano G4-E4 into the final chord struck at tick 12 over A: a bass on C (a fifth
    under G, then a fifth under E on A) is refused in every octave; a bass on A (holding the root)
    and any other note are not; a soprano that holds its note refuses nothing, and one that moves
    C5-E5 refuses F (a fifth under C)."""
    vl = VoiceLeading(4)
    vl.add(0, 0, 12, 67)  # G4, then E4 in the final chord
    vl.add(0, 12, 24, 64)
    bad = set(CANDIDATES[bass_approach_in_parallels(vl, 3, 12, 9, CANDIDATES)].tolist())
    assert bad == {48, 60, 72}  # C3, C4, C5
    held = VoiceLeading(4)
    held.add(0, 0, 12, 64)
    held.add(0, 12, 24, 64)
    assert not bass_approach_in_parallels(held, 3, 12, 9, CANDIDATES).any()
    third = VoiceLeading(4)  # C5 to E5
    third.add(0, 0, 12, 72)
    third.add(0, 12, 24, 76)
    assert set(CANDIDATES[bass_approach_in_parallels(third, 3, 12, 9, CANDIDATES)].tolist()) == {53, 65, 77}  # F


def test_composed_chorales_keep_out_of_parallels_into_their_cadences():
    """40 composed 8-bar chorales in 8 keys (cadences, half closes, fermatas every two bars): at
    most 2 parallel fifths or octaves in all, where Bach's validation chorales have 2.3 per chorale
    by the same count (178 in 76). The rules that keep them out are the cadence's
    (`parallels_into_a_phrase_cadence`, `parallels_with_the_closing_bass`): before them the
    parallels of composed chorales were at the cadences, which win over the voice leading. Until
    session 31 this test held three seeds to none; the rules of that session (fermatas on strong
    beats, the tenor's fifth at a cadence) moved one of them, seed 511, onto a tenor-bass octave into
    its final chord, with 1 parallel in these 40 before and after (160 takes: 7 before, 10 after)."""
    import tunesmith as ts
    from tunesmith.metrics.harmony_rules import count_parallel_fifths, count_parallel_octaves

    keys = (("G", "minor"), ("D", None), ("F", None), ("A", "minor"), ("Bb", None), ("E", "minor"), ("C", None), ("G", None))
    found = 0
    for s in range(40):  # `scripts/musician_checks.py chorale-parallels`'s takes
        piece = ts.compose(style="chorale", key=keys[s % 8][0], mode=keys[s % 8][1], bars=8, seed=500 + s, check=False).piece
        found += count_parallel_fifths(piece) + count_parallel_octaves(piece)
    assert found <= 2, found


def test_an_inner_voice_keeps_a_way_into_the_final_chord():
    """G major, the bass's close D-G drawn, the soprano on A4 before its drawn G: an alto on A4
    (in unison with it) would have only G4 (unisons), D4 (fifths with the bass) or B3 (a seventh
    down) for the final chord, and took D4 in 4 of 40 composed chorales; on G4 or F#4 it has a way.
    Known soprano or drawn degree alike; off the last beat, and for the soprano, nothing."""
    g_major = SimpleNamespace(tonic_pc=7, voices=("S", "A", "T", "B"), beat_ticks=12, pitch_values=[CANDIDATES] * 4)
    vl = VoiceLeading(4)
    vl.add(0, 36, 48, 69)  # soprano A4 on the last beat
    fields = dict(final_ticks=12, half_close=False, final_pcs=frozenset({7}), final_chord_tick=lambda: 48,
                  bass_approach="dominant")  # fmt: skip
    alto = SimpleNamespace(t=g_major, vl=vl, v=1, **fields)
    stuck = set(CANDIDATES[no_way_into_the_final_chord(alto, 36, CANDIDATES)].tolist())
    assert 69 in stuck and 67 not in stuck and 66 not in stuck  # A4 stuck; G4 (holds), F#4 (to G4... or D4)
    vl.add(0, 48, 96, 67)  # the soprano's G4 written: the same
    assert set(CANDIDATES[no_way_into_the_final_chord(alto, 36, CANDIDATES)].tolist()) == stuck
    assert not no_way_into_the_final_chord(alto, 24, CANDIDATES).any()  # a beat earlier
    assert not no_way_into_the_final_chord(SimpleNamespace(t=g_major, vl=vl, v=0, **fields), 36, CANDIDATES).any()


def test_no_octaves_with_the_soprano_into_a_half_close():
    """E minor closing on V (B): the soprano's A4 goes to its drawn B, so the bass's note before
    the final chord is no A (iv-V in octaves, as 2 of 40 composed chorales had closed); C and D
    are fine (Bach's Phrygian close takes the bass C-B). Only the bass, only before the final
    chord, only on a half close."""
    e_minor = SimpleNamespace(tonic_pc=4, modal=False, leading_pc=3, voices=("S", "A", "T", "B"), voice_leading=True,
                              beat_ticks=12, L=48)  # fmt: skip
    vl = VoiceLeading(4)
    vl.add(0, 36, 48, 69)  # soprano A4 on the last beat before the final chord
    fields = dict(final_ticks=48, half_close=True, final_pcs=frozenset({11}), final_chord_tick=lambda: 48)
    auto = SimpleNamespace(t=e_minor, vl=vl, v=3, **fields)
    bad = set(CANDIDATES[parallels_into_a_half_close(auto, 36, CANDIDATES)].tolist())
    assert bad == {57, 69}  # A3, A4 (in the candidates' range): octaves
    assert 48 not in bad and 50 not in bad  # C3, D3
    assert not parallels_into_a_half_close(SimpleNamespace(t=e_minor, vl=vl, v=3, **{**fields, "half_close": False}),
                                           36, CANDIDATES).any()  # fmt: skip
    assert not parallels_into_a_half_close(SimpleNamespace(t=e_minor, vl=vl, v=3, **fields), 48, CANDIDATES).any()


def test_no_fifths_from_beat_to_beat_under_passing_notes():
    """Tenor D3 (beat 1) then E3-F3 in eighths, G3 on beat 2; the alto A3 on beat 1 to D4 on beat 2:
    A over D, then D over G, a fifth each beat, both rising, with the passing notes between (a
    teacher marks it; harmonized chorales had 12.2 per 100 beats, Bach's 4.0). A candidate alto
    struck off the beat, or the same line without the beat known, is not refused."""
    vl = VoiceLeading(4, beat_ticks=12)
    vl.add(2, 0, 6, 50)  # tenor D3, E3, F3 in eighths, G3 on beat 2
    vl.add(2, 6, 9, 52)
    vl.add(2, 9, 12, 53)
    vl.add(2, 12, 24, 55)
    vl.add(1, 0, 12, 57)  # the alto's A3 on beat 1
    ok = vl.pitch_ok(1, 12, CANDIDATES)
    assert not ok[CANDIDATES.tolist().index(62)]  # D4: a fifth over G3, as A3 over D3 was
    assert ok[CANDIDATES.tolist().index(60)] and ok[CANDIDATES.tolist().index(59)]  # C4, B3
    blind = VoiceLeading(4)  # no beat given: note to note only (F3-G3 under A3-D4 is a sixth to a fifth)
    for v, (s, e, p) in ((2, (0, 6, 50)), (2, (6, 9, 52)), (2, (9, 12, 53)), (2, (12, 24, 55)), (1, (0, 12, 57))):
        blind.add(v, s, e, p)
    assert blind.pitch_ok(1, 12, CANDIDATES)[CANDIDATES.tolist().index(62)]


def test_harmonized_chorales_keep_out_of_fifths_from_beat_to_beat():
    from tunesmith.metrics.harmony_rules import beat_to_beat_parallels

    found = beats = 0
    for soprano, piece in _harmonized_jsb_sopranos(6):
        counted = beat_to_beat_parallels(piece, end=soprano.duration())
        found, beats = found + counted[0], beats + counted[1]
    assert beats > 100 and found <= 0.01 * beats, (found, beats)  # 12.2 per 100 beats before


def test_composed_chorales_keep_out_of_fifths_from_beat_to_beat():
    """The composer's voice leading knows the beat, as co-create's does: composed chorales had 5.8
    fifths and octaves from beat to beat per 100 beats (passing notes between), Bach's 4.0."""
    import tunesmith as ts
    from tunesmith.metrics.harmony_rules import beat_to_beat_parallels

    found = beats = 0
    for seed in range(12):
        take = ts.compose(style="chorale", key=("F", "G", "D")[seed % 3], bars=8, seed=500 + seed, check=False)
        counted = beat_to_beat_parallels(take.piece)
        found, beats = found + counted[0], beats + counted[1]
    assert beats > 300 and found <= 0.02 * beats, (found, beats)


def test_composed_chorales_sound_a_chord_on_most_beats(monkeypatch):
    """Composed chorales had no triad or seventh chord on 12.5 % of their beats, Bach's on 8.6 % (a
    teacher: "8-14 dissonant beats a take"): on a beat the tenor and bass lose logits for a pitch
    that leaves none (`feedback.CHORDLESS_BEAT_PENALTY`). 16 chorales with and without it."""
    import tunesmith as ts
    from tunesmith.metrics.harmony_rules import VOICES, _voices
    from tunesmith.sampling import feedback

    shapes = ((0, 4, 7), (0, 3, 7), (0, 3, 6), (0, 4, 8), (0, 4, 7, 10), (0, 4, 7, 11), (0, 3, 7, 10), (0, 3, 6, 10),
              (0, 3, 6, 9))  # fmt: skip
    chords = [{(r + i) % 12 for i in s} for r in range(12) for s in shapes]

    def chordless_beats() -> int:
        count = 0
        for seed, (key, mode) in enumerate((("G", "minor"), ("D", None), ("F", None), ("A", "minor")) * 4):
            voices = _voices(ts.compose(style="chorale", key=key, mode=mode, bars=8, seed=500 + seed, check=False).piece)
            t = 0.0
            while t < 32 - 1e-6:  # 8 bars of 4/4
                pitches = [voices[r].pitch_at(t) for r in VOICES]
                if None not in pitches:
                    count += not any({p % 12 for p in pitches} <= c for c in chords)
                t += 1.0
        return count

    assert feedback.CHORDLESS_BEAT_PENALTY > 0
    with_bias = chordless_beats()
    monkeypatch.setattr(feedback, "CHORDLESS_BEAT_PENALTY", 0.0)
    without = chordless_beats()
    # 16 x 32 = 512 beats. Before the phrase cadences (session 27) 0.8 x without held; with a
    # cadence every two bars the forced closes leave the penalty less room: 47 against 58 then,
    # 9.2 % of the beats (Bach's 8.6 %). Session 31's fermata and chromatic-note rules: 52 against
    # 80; over 160 takes the share was 0.114 before them and 0.112 after
    # (`musician_checks.beat_sonorities`), and with the tenor's fifth at cadences 0.110: 16 takes
    # spread by about 7 beats around that (47, 52, 60 and 62 as the rules changed the draws), so
    # the bound is the 160 takes' share and two of that spread, not one sample's luck
    assert with_bias < 0.8 * without and with_bias <= 0.13 * 512, (with_bias, without)


def test_a_composed_chorales_bass_seldom_strikes_one_pitch_again():
    """The bass strikes its last pitch again less often (`feedback.BASS_REPEAT_PENALTIES`): the
    JSB grids cannot show a repeated note, and composed basses had repeated at 13 of 100 beats,
    runs of three or more at 3.2 (a musician saw eight A-flat eighths in a row); Bach's, as
    music21's corpus encodes them, 2.9 and 0.12. These 24 takes: 15.1 and 4.1 before the rule,
    7.5 and 0.5 with it."""
    import tunesmith as ts

    keys = (("G", "minor"), ("D", None), ("F", None), ("A", "minor"), ("C", None), ("E", "minor"), ("Bb", None),
            ("D", "minor"))  # fmt: skip
    again = runs = beats = 0
    for seed in range(24):
        key, mode = keys[seed % 8]
        piece = ts.compose(style="chorale", key=key, mode=mode, bars=8, seed=950 + seed, check=False).piece
        bass = sorted(piece.track("bass").notes, key=lambda n: n.onset)
        beats += round(piece.end / piece.time_signature.beat_length)
        run = 1
        for a, b in zip(bass, bass[1:]):
            if a.pitch == b.pitch and abs(a.onset + a.duration - b.onset) < 1e-6:
                again, run = again + 1, run + 1
                runs += run >= 3
            else:
                run = 1
    assert beats > 600 and 100 * again / beats <= 10 and 100 * runs / beats <= 1.5, (again, runs, beats)


def test_a_composed_chorales_lower_voices_step_without_rocking(monkeypatch):
    """Fitted to step as Bach's do (session 34), the alto, tenor and bass rocked back and forth
    (x-y-x-y) more than his: the demo's bass rocked C D C D. Their return offsets are fitted
    together with their moves now (`lower_return_offsets`): of x-y-x, the share going on to y in 24
    takes is 0.33 / 0.21 / 0.11 (Bach's validation chorales 0.29 / 0.23 / 0.09), 0.38 / 0.28 /
    0.29 without the return offsets. Session 54: 0.25 / 0.18 / 0.16 in these 24 takes; in 48, 0.23 /
    0.18 / 0.12 (0.22 / 0.20 / 0.13 without that session's seventh rules, which moved the bass's
    bound here by 0.001)."""
    import tunesmith as ts
    from script_loader import load_script

    return_rates = load_script("scripts/fit_interval_feedback.py").return_rates

    keys = (("G", "minor"), ("D", None), ("F", None), ("A", "minor"), ("Bb", None), ("E", "minor"), ("C", None), ("G", None))

    def rocks() -> np.ndarray:
        takes = [ts.compose(style="chorale", key=keys[s % 8][0], mode=keys[s % 8][1], bars=8, seed=950 + s, check=False).piece
                 for s in range(24)]  # fmt: skip
        return np.array([return_rates(takes, v)[1] for v in (1, 2, 3)])

    fitted = rocks()
    assert (fitted <= [0.36, 0.28, 0.17]).all(), fitted
    monkeypatch.setitem(ts.load_model("default").model.decoding["chorale"], "lower_return_offsets", [{"return": 0.0, "rock": 0.0}] * 3)
    assert rocks().sum() >= fitted.sum() + 0.2


def test_a_composed_chorales_4_3_suspensions_lie_in_the_inner_voices(monkeypatch):
    """Bach's 4-3 suspensions are mostly the alto's and tenor's (per 100 beats, soprano / alto /
    tenor 0.16 / 0.96 / 0.76, JSB training); the takes' had been the soprano's as often as the
    alto's (0.61 / 0.61 / 0.15). The bass, written last, is drawn to complete an inner voice's
    prepared suspension and kept from making one under a held soprano note
    (`feedback.SUSPENSION_BIASES`). 24 chorales with and without it."""
    import tunesmith as ts
    from tunesmith.sampling import feedback

    def four_threes() -> dict[str, int]:
        found = {"soprano": 0, "inner": 0}
        for seed in range(24):
            piece = ts.compose(style="chorale", key=("G", "D", "F", "A")[seed % 4], bars=8, seed=700 + seed, check=False).piece
            bass = sorted(piece.track("bass").notes, key=lambda n: n.onset)
            for role in ("soprano", "alto", "tenor"):
                notes = sorted(piece.track(role).notes, key=lambda n: n.onset)
                for a, b in zip(notes, notes[1:]):
                    beat = float(int(a.onset) + 1)  # the first beat after its start (4/4: quarter beats)
                    if not a.onset < beat < a.onset + a.duration - 1e-6:
                        continue  # not held into a beat
                    low = next((n.pitch for n in bass if n.onset <= beat + 1e-6 < n.onset + n.duration), None)
                    if low is not None and (a.pitch - low) % 12 == 5 and 1 <= a.pitch - b.pitch <= 2:
                        found["soprano" if role == "soprano" else "inner"] += 1
        return found

    assert feedback.SUSPENSION_BIASES[0] > 0 > feedback.SUSPENSION_BIASES[1]
    drawn = four_threes()
    monkeypatch.setattr(feedback, "SUSPENSION_BIASES", (0.0, 0.0))
    free = four_threes()
    # these takes: soprano 4 and inner 24 with it, 6 and 11 without
    assert drawn["soprano"] <= free["soprano"] and drawn["inner"] >= free["inner"] + 6, (drawn, free)
    assert drawn["inner"] >= 3 * max(1, drawn["soprano"]), drawn


def _chorales_in_four_keys(n: int = 24) -> list:
    """(piece, mode) of `n` composed 8-bar chorales in A, G minor, D and E minor in turn (seeds 800 on),
    as the sampler's biases stand when called."""
    import tunesmith as ts

    out = []
    for seed in range(n):
        key, mode = (("A", None), ("G", "minor"), ("D", None), ("E", "minor"))[seed % 4]
        out.append((ts.compose(style="chorale", key=key, mode=mode, bars=8, seed=800 + seed, check=False).piece, mode))
    return out


def test_a_composed_chorales_bass_seldom_knots_a_chromatic_note(monkeypatch):
    """A bass moving x-y by a semitone, one of them outside the key, went back to x (G G-sharp G)
    at 1.80 per 100 beats against Bach's 1.11 (`feedback.BASS_KNOT_PENALTY`; JSB training,
    `docs/notes/2026-12-04-session-36/voice_knots.py`). 24 chorales with and without it."""
    from tunesmith.sampling import feedback

    def knots() -> int:
        count = 0
        for piece, mode in _chorales_in_four_keys():
            scale = {(piece.key.tonic_pc + i) % 12 for i in ((0, 2, 3, 5, 7, 8, 9, 10, 11) if mode else (0, 2, 4, 5, 7, 9, 11))}
            bass = sorted(piece.track("bass").notes, key=lambda n: n.onset)
            for a, b, c in zip(bass, bass[1:], bass[2:]):
                if a.pitch == c.pitch and abs(a.pitch - b.pitch) == 1 and not {a.pitch % 12, b.pitch % 12} <= scale:
                    count += 1
        return count

    assert feedback.BASS_KNOT_PENALTY > 0
    drawn = knots()
    monkeypatch.setattr(feedback, "BASS_KNOT_PENALTY", 0.0)
    free = knots()
    # these takes: 6 with it, 14 without; since the bass moves at every bar line
    # (`automaton.BASS_MOVES_AT_BAR_LINES`, session 45) 4 and 7; since a beat's major seventh and
    # augmented chords count as chordless and struck semitones pay (session 50) 7 and 15. The bound
    # is Bach's rate: 1.11 per 100 beats of 24 chorales of 8 bars of 4/4
    assert drawn < free and drawn <= 1.11 * 24 * 8 * 4 / 100, (drawn, free)


def test_a_composed_chorales_inner_voices_seldom_rock_in_eighths(monkeypatch):
    """An alto or tenor that sang x-y-x in eighths went on to y (E-flat F E-flat F) at 0.87 and
    1.17 per 100 beats against Bach's 0.43 / 0.43 (`feedback.QUICK_ROCK_PENALTIES`; JSB validation,
    `docs/notes/2026-12-04-session-37/rocking.py`). 24 chorales with and without it."""
    from tunesmith.sampling import feedback

    def quick_rocks() -> int:
        return sum(_inner_quick_rocks(piece) for piece, _ in _chorales_in_four_keys())

    assert min(feedback.QUICK_ROCK_PENALTIES[:2]) > 0
    drawn = quick_rocks()
    monkeypatch.setattr(feedback, "QUICK_ROCK_PENALTIES", (0.0, 0.0, 0.0))
    free = quick_rocks()
    assert drawn <= free - 4, (drawn, free)


def test_a_secondary_dominants_leading_tone_is_not_doubled():
    """A raised note outside the key that leads up a semitone (the third of a secondary dominant:
    C-sharp, V of ii, in F major) is not doubled, as the home key's leading tone is not; the
    lowered 7th of a major key (E-flat in F: V7 of IV's seventh, which Bach doubles) and notes
    nobody sounds yet are free. In a minor the raised 3rd and 4th are such notes; its raised 6th
    and 7th are the key's own (the 7th: `doubled_leading_tone`)."""
    from tunesmith.voice_leading import secondary_leading_pcs

    assert secondary_leading_pcs(5, minor=False) == frozenset({6, 8, 11, 1})  # F-sharp, G-sharp, B, C-sharp
    assert secondary_leading_pcs(9, minor=True) == frozenset({1, 3})  # C-sharp, D-sharp
    # F major, the bass sounds C-sharp 3 (A major in first inversion): the alto's C-sharp 4 and 5 doubles it
    cands = np.array([61, 62, 73, 63, 64])  # C#4 D4 C#5 E-flat 4 E4
    assert doubled_secondary_leading_tone({1, 9, 4}, cands, 5, minor=False).tolist() == [True, False, True, False, False]
    assert not doubled_secondary_leading_tone({3, 0}, cands, 5, minor=False).any()  # E-flat doubled: free
    assert not doubled_secondary_leading_tone({9, 4}, cands, 5, minor=False).any()  # nobody sounds C-sharp
    assert doubled_secondary_leading_tone({1}, np.array([49, 56]), 9, minor=True).tolist() == [True, False]


def test_a_note_ends_before_a_voice_strikes_a_semitone_from_it():
    """A minor (seven-note scale: natural minor), the soprano given: G-sharp 4 for three
    sixteenths, F-sharp 4 for one, G4 (Greensleeves' bar 7). A tenor's F3 struck with the
    G-sharp would sound under the F-sharp when it arrives: it ends by then, and F-sharp is among
    what arrives within the beat; an E3 clashes with nothing; an F-sharp 3 ends before the G4
    (G in the key, F-sharp not)."""
    vl = VoiceLeading(4)
    for start, end, pitch in ((0, 9, 68), (9, 12, 66), (12, 24, 67)):
        vl.add(0, start, end, pitch)
    a_minor = frozenset({9, 11, 0, 2, 4, 5, 7})
    assert vl.struck_between(2, 0, 12) == {6}  # the F-sharp (the G-sharp starts with the note, the G after the beat)
    assert vl.clash_ahead(2, 0, 53, a_minor) == 9
    assert vl.clash_ahead(2, 0, 52, a_minor) is None
    assert vl.clash_ahead(2, 0, 54, a_minor) == 12
    assert vl.clash_ahead(0, 0, 53, a_minor) is None  # the voice's own notes do not count


GREENSLEEVES = """X:1
T:Greensleeves
M:6/8
L:1/8
K:Am
A | c2 d e>fe | d2 B G>AB | c2 A A>^GA | B2 ^G E2 A | c2 d e>fe | d2 B G>AB | c>BA ^G>^FG | HA6 |
"""


def test_harmonized_voices_hold_no_note_under_a_semitone_clash(model, tok, tmp_path):
    """Harmonizing Greensleeves (a minor; the soprano's F-sharp and G-sharp arrive on sixteenths):
    no lower voice holds a note while a voice above strikes one a semitone from it where one of the
    two is outside the natural minor scale, and none doubles a secondary leading tone (C-sharp,
    D-sharp in a minor). The rules are soft (a rule that would leave no note gives way), so the
    untrained model may keep one. Seeds 0-2: 17 held clashes and 1 doubled D-sharp (a tenor's held
    under the alto's) before `VoiceLeading.clash_ahead` and `doubles_a_secondary_leading_tone`,
    none with them."""
    from tunesmith import cocreate
    from tunesmith.inputs import read_file

    path = tmp_path / "greensleeves.abc"
    path.write_text(GREENSLEEVES)
    piece = read_file(path)
    piece = piece[0] if isinstance(piece, list) else piece
    natural, raised = {9, 11, 0, 2, 4, 5, 7}, {1, 3}
    held = doubled = 0
    for seed in range(3):
        (take,) = cocreate.harmonize(model, tok, piece, style="chorale", seed=seed)
        voices = [sorted(t.notes, key=lambda n: n.onset) for t in take.piece.tracks[:4]]
        for u in range(4):
            for w in range(u + 1, 4):
                for a in voices[u]:
                    for b in voices[w]:
                        if not (a.onset < b.onset + b.duration - 1e-6 and b.onset < a.onset + a.duration - 1e-6):
                            continue
                        pa, pb = a.pitch % 12, b.pitch % 12
                        chromatic = pa not in natural or pb not in natural
                        held += (pa - pb) % 12 in (1, 11) and chromatic and b.onset < a.onset - 1e-6
                        doubled += pa == pb and pa in raised
    assert held <= 2 and doubled == 0, (held, doubled)


def test_the_bass_leaves_its_planned_root_rather_than_double_a_secondary_leading_tone(monkeypatch):
    """The plan puts C-sharp dim (vii of ii in F) under the alto's C-sharp 4: the bass, held to the
    planned root first, takes another tone of the chord when that root would double the alto's
    leading tone (`avoid`), and keeps it where the caller refuses nothing; a note a tier that keeps
    the voices uncrossed and out of parallels leaves out is not let in by `avoid`. Since session 57
    a diminished triad's bass takes its third first (`DIMINISHED_TRIADS_ON_THEIR_THIRD`)."""
    import tunesmith.voice_leading as voice_leading

    monkeypatch.setattr(voice_leading, "DIMINISHED_TRIADS_ON_THEIR_THIRD", False)  # its root first
    monkeypatch.setattr(voice_leading, "BASS_TAKES_THE_MISSING_THIRD", False)  # (no voice above sings E)
    _bass_under_c_sharp_dim()
    monkeypatch.undo()
    # ... and on its third since: E, under the tenor, the plain choice
    vl = VoiceLeading(4)
    for v, pitch in enumerate((70, 61, 55)):
        vl.add(v, 0, 12, pitch)
    vl.chord_tones[0] = np.array([1, 4, 7])
    bass = np.arange(40, 56)
    plain = bass[vl.pitch_ok(3, 0, bass)]
    assert set((plain % 12).tolist()) == {4}


def _bass_under_c_sharp_dim() -> None:
    vl = VoiceLeading(4)
    for v, pitch in enumerate((70, 61, 55)):  # B-flat 4, C-sharp 4, G3
        vl.add(v, 0, 12, pitch)
    vl.chord_tones[0] = np.array([1, 4, 7])  # C-sharp E G
    bass = np.arange(40, 56)
    plain = bass[vl.pitch_ok(3, 0, bass)]
    assert set((plain % 12).tolist()) == {1}  # on the root
    avoid = doubled_secondary_leading_tone({10, 1, 7}, bass, 5, minor=False)
    kept = bass[vl.pitch_ok(3, 0, bass, avoid)]
    # E, the chord's third, before its fifth (`PLANNED_CHORDS_COMPLETE`), under the tenor
    assert set((kept % 12).tolist()) == {4} and kept.max() <= 55
    # where the chord has no other tone for it, the bass doubles rather than leave the chord: a bass
    # refused A major's C-sharp had taken F (F-A-C#-E under Austria's bar 8)
    narrow_range = np.array([49, 50, 51])  # C-sharp 3, D3, E-flat 3: only the root is the chord's
    kept = narrow_range[vl.pitch_ok(3, 0, narrow_range, doubled_secondary_leading_tone({10, 1, 7}, narrow_range, 5,
                                                                                       minor=False))]  # fmt: skip
    assert kept.tolist() == [49]


@pytest.mark.parametrize(
    ("third_first", "only_into_a_cadence", "cadence_next", "spared"),
    [(True, False, False, True), (True, True, True, True), (True, True, False, False), (False, False, True, False)],
)
def test_an_inner_voices_tritone_to_the_missing_third_stays_in_the_plans_tiers_into_a_cadence(
    monkeypatch, third_first, only_into_a_cadence, cadence_next, spared
):
    """B minor, F-sharp major planned on the beat before a fermata: soprano C#5 and alto F#4 sing no
    A-sharp, and the tenor's E4 can reach one only by a tritone, A#3 (A#4 would cross the alto).
    Refused with the other unsingable leaps before the plan's tiers, it had left V without its third
    (12 of 209 harmonized fermatas' beats before, Bach's none); the third is spared (in either
    octave), the tenor's sevenths and leaps past the octave are not. Since session 66 only into a
    cadence chord (`THIRD_OVER_A_TRITONE_ONLY_INTO_A_CADENCE`): elsewhere the bass takes the third,
    and the tenor's tritones had come 0.54-0.66 times per 100 beats, Bach's 0.21. With the rule off,
    as session 54 left it, the third is refused everywhere."""
    import tunesmith.sampling.part_writing as rules

    monkeypatch.setattr(rules, "THIRD_OVER_A_TRITONE", third_first)
    monkeypatch.setattr(rules, "THIRD_OVER_A_TRITONE_ONLY_INTO_A_CADENCE", only_into_a_cadence)
    vl = VoiceLeading(4)
    vl.add(0, 0, 24, 73)  # soprano C#5
    vl.add(1, 0, 24, 66)  # alto F#4
    vl.add(2, 0, 12, 64)  # the tenor's E4 on the beat before
    vl.chord_tones = {12: np.array([6, 10, 1])}  # F# A# C#
    vl.cadence_ticks = frozenset({24} if cadence_next else {36})  # the fermata a beat later, or two
    b_minor = SimpleNamespace(**{**vars(C_MAJOR), "tonic_pc": 11, "minor": True, "leading_pc": 10})
    auto = SimpleNamespace(t=b_minor, vl=vl, v=2, _in_the_close=lambda at: False)
    refused = set(CANDIDATES[unsingable_leap(auto, 12, CANDIDATES)].tolist())
    assert not {58, 70} & refused if spared else {58, 70} <= refused  # A#3 and A#4, the missing third
    assert {50, 54, 75} <= refused  # D3 (past the octave), F#3 and E-flat 5 (sevenths)
    auto._in_the_close = lambda at: True  # in the close: spared wherever the rule is on
    refused = set(CANDIDATES[unsingable_leap(auto, 12, CANDIDATES)].tolist())
    assert not {58, 70} & refused if third_first else {58, 70} <= refused


def test_a_half_close_is_approached_from_the_degree_drawn_for_it(monkeypatch):
    """A composed chorale's half close inside the piece: each takes the bass degree drawn for it
    (`HALF_CLOSE_APPROACH_SHARES`: Bach's 2, 5, 0 in major; in minor also 8, the Phrygian close), its
    bass coming to the beat before from there, the voices above off that sixth (their E-flat falling
    to D with the bass's made octaves). Composed chorales had come to V from I at 0.43 of major half
    closes (Bach 0.09) and from the lowered sixth at 0.07 of minor ones (Bach 0.30)."""
    import tunesmith.sampling.phrase_cadences as rules

    a_minor = SimpleNamespace(**{**vars(C_MAJOR), "tonic_pc": 9, "minor": True, "leading_pc": 8,
                                 "phrase_bars": frozenset({0}), "bar_cadence": ["open"]})  # fmt: skip
    shares = dict(half_close_approach_shares(a_minor))
    assert set(shares) == {8, 2, 0, 5} and abs(sum(shares.values()) - 1) < 1e-9 and shares[8] > shares[5]
    assert half_close_approach_shares(SimpleNamespace(**{**vars(a_minor), "modal": True})) == ()  # (a half close on iv)
    assert half_close_approach_shares(SimpleNamespace(**{**vars(a_minor), "phrase_bars": frozenset()})) == ()
    assert half_close_approach_shares(SimpleNamespace(**{**vars(a_minor), "given_bars": [0]})) == ()  # over given chords
    vl = VoiceLeading(4)

    def auto(v=3, drawn=8, kind="open"):
        return SimpleNamespace(t=a_minor, vl=vl, v=v, bar=0, copy_src=None, _cadence=lambda: kind, phrase_approaches={0: drawn},
                               _phrase_end=lambda bar: 48, _cadence_zone=lambda bar: 12)  # fmt: skip

    assert set((CANDIDATES[drawn_half_close_approach(auto(), 30, CANDIDATES)] % 12).tolist()) == {5}  # F, A minor's sixth
    assert set((CANDIDATES[phrase_cadence_approach(auto(), 30, CANDIDATES)] % 12).tolist()) == {9, 2, 11, 5}
    assert drawn_half_close_approach(auto(kind="closed"), 30, CANDIDATES) is None  # a close on I: from V
    assert drawn_half_close_approach(auto(), 12, CANDIDATES) is None  # two beats before: free
    # a bass note struck two beats before on another degree ends at the beat before; on F, or for a
    # close on I, it may hold
    assert held_into_a_drawn_approach(auto(), 12, 57) == 12
    assert held_into_a_drawn_approach(auto(), 12, 53) is None
    assert held_into_a_drawn_approach(auto(kind="closed"), 12, 57) is None
    # the voices above keep off F in that beat where the Phrygian bass is drawn, not where another is
    off = doubles_a_drawn_phrygian_bass(auto(v=0), 30, CANDIDATES)  # off the beat: not the F
    assert set((CANDIDATES[off] % 12).tolist()) == {5}
    on = doubles_a_drawn_phrygian_bass(auto(v=1), 24, CANDIDATES)  # on the beat: iv6's D or A, not E over F
    assert set((CANDIDATES[~on] % 12).tolist()) == {2, 9}
    vl.add(0, 24, 36, 69)  # the soprano on A there: the alto takes the D
    on = doubles_a_drawn_phrygian_bass(auto(v=1), 24, CANDIDATES)
    assert set((CANDIDATES[~on] % 12).tolist()) == {2}
    assert doubles_a_drawn_phrygian_bass(auto(v=0, drawn=2), 30, CANDIDATES) is None
    assert doubles_a_drawn_phrygian_bass(auto(v=3), 30, CANDIDATES) is None
    monkeypatch.setattr(rules, "HALF_CLOSE_APPROACH_SHARES", {})  # off: the degrees as before, undrawn
    assert half_close_approach_shares(a_minor) == ()
    assert set((CANDIDATES[phrase_cadence_approach(auto(), 30, CANDIDATES)] % 12).tolist()) == {9, 2, 11}


@pytest.mark.parametrize("avoided", [True, False])
def test_the_bass_falls_a_diminished_fifth_but_does_not_rise_an_augmented_fourth(monkeypatch, avoided):
    """A bass on F3 (VI in A minor) may fall to B2 (a diminished fifth, Bach's 0.64 times per 100
    beats) but not rise to B3 (an augmented fourth, Bach's 0.13; harmonized Bach sopranos' basses
    had 0.60, session 57); with the rule off, as before session 57, both are free."""
    import tunesmith.sampling.part_writing as rules

    monkeypatch.setattr(rules, "BASS_RISING_TRITONE_AVOIDED", avoided)
    vl = VoiceLeading(4)
    vl.add(3, 0, 12, 53)  # the bass's F3
    bass = np.arange(36, 66)
    refused = set(bass[unsingable_leap(_auto(vl, 3), 12, bass)].tolist())
    assert 47 not in refused  # B2, down a diminished fifth
    assert (59 in refused) is avoided  # B3, up an augmented fourth
    assert {63, 64, 40} <= refused  # E-flat 4 and E4 (sevenths), E2 (past the octave)


@pytest.mark.parametrize("only_to_a_leading_tone", [True, False])
def test_the_bass_falls_a_tritone_only_into_a_leading_tone_that_rises(monkeypatch, only_to_a_leading_tone):
    """Under a chord plan, a bass on F3 falls to B2 only where B2 rises a semitone to the next
    planned bass (C, as 7 of Bach's 12 falling tritones in 40 JSB validation chorales do); before
    an A-minor chord it may not (harmonized, those 40 sopranos' basses had fallen a tritone 28 times,
    11 of them A-flat to D in C minor, session 58). With the rule off, as before session 58, B2 is
    free."""
    import tunesmith.sampling.part_writing as rules

    monkeypatch.setattr(rules, "BASS_FALLS_A_TRITONE_ONLY_TO_A_LEADING_TONE", only_to_a_leading_tone)
    bass = np.arange(36, 66)
    for next_chord, rises_to_it in ((np.array([0, 4, 7]), True), (np.array([9, 0, 4]), False)):
        vl = VoiceLeading(4)
        vl.add(3, 0, 12, 53)  # the bass's F3 under F major
        vl.chord_tones = {0: np.array([5, 9, 0]), 12: np.array([7, 11, 2]), 24: next_chord}  # F, G6, then C or Am
        refused = set(bass[unsingable_leap(_auto(vl, 3), 12, bass)].tolist())
        assert (47 in refused) is (only_to_a_leading_tone and not rises_to_it)  # B2, down a diminished fifth
        assert 59 in refused  # B3, up an augmented fourth: refused either way
        assert 55 not in refused  # G3, the root a step up: free either way


def test_a_harmonized_chorales_inner_voices_sit_as_near_the_voice_above_as_bachs(monkeypatch):
    """Harmonized JSB sopranos' alto and tenor had sat further below the voice above than Bach's
    (40 valid sopranos, time-weighted: alto 6.65 semitones under the soprano, tenor 6.44 under the
    alto; Bach 5.44 and 5.46), the alto 1.2 and the tenor 2.1 semitones lower than his. They tilt
    toward his spacing (`Constrainer.spacing_bias`): 5.75 and 5.86
    (docs/notes/2026-12-07-session-68/inner_spacing.py). Here 12 sopranos: 5.63 and 5.94, 6.73 and
    6.46 without (Bach 5.65 and 6.06)."""
    from tunesmith.sampling import feedback

    def spacing() -> tuple[float, float]:
        num, den = [0.0, 0.0], [0.0, 0.0]
        for _, piece in _harmonized_jsb_sopranos(12, four_parts=True):
            for v in (1, 2):
                above = piece.tracks[v - 1].notes
                for n in piece.tracks[v].notes:
                    over = [a.pitch for a in above if a.onset <= n.onset + 1e-6 < a.onset + a.duration]
                    if over:
                        num[v - 1] += (max(over) - n.pitch) * n.duration
                        den[v - 1] += n.duration
        return num[0] / den[0], num[1] / den[1]

    assert feedback.INNER_SPACING_GAIN > 0
    alto, tenor = spacing()
    monkeypatch.setattr(feedback, "INNER_SPACING_GAIN", 0.0)
    alto_before, tenor_before = spacing()
    assert alto <= 6.0 and tenor <= 6.2, (alto, tenor)
    assert alto <= alto_before - 0.6 and tenor <= tenor_before - 0.3, (alto, tenor, alto_before, tenor_before)
