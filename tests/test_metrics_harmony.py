"""SATB voice-leading counts and chord agreement on hand-built chorale fragments."""

import pytest

from tunesmith.metrics import harmony_rules as hr
from tunesmith.score import Note, Piece, Track


def satb(s, a, t, b, dur=1.0):
    """One chord per beat; each argument lists a voice's pitches (None = rest)."""
    tracks = []
    for role, pitches in zip(hr.VOICES, (s, a, t, b)):
        notes = [Note(p, i * dur, dur) for i, p in enumerate(pitches) if p is not None]
        tracks.append(Track(role, role, notes=notes))
    return Piece("p", "w", tracks=tracks)


def test_parallel_fifths_and_octaves_counted():
    # chord 1: G4 E4 C4 C3; chord 2: A4 F4 D4 D3, all moving up
    # S-T 7 -> 7 and S-B 19 -> 19 (compound fifth): two fifths; T-B 12 -> 12: one octave
    p = satb([67, 69], [64, 65], [60, 62], [48, 50])
    assert hr.count_parallel_fifths(p) == 2
    assert hr.count_parallel_octaves(p) == 1


def test_good_voice_leading_has_none():
    # I - V - I in C: C5 E4 G3 C3 -> B4 D4 G3 G2 -> C5 E4 G3 C3 (B-S octave C->G by leap is not parallel)
    p = satb([72, 71, 72], [64, 62, 64], [55, 55, 55], [48, 43, 48])
    assert hr.count_parallel_fifths(p) == 0
    assert hr.count_parallel_octaves(p) == 0
    assert hr.count_voice_crossings(p) == 0


def test_contrary_and_oblique_motion_and_rests_are_not_parallels():
    # S-B twelfth to fifth by contrary motion: S 67 -> 62 down, B 48 -> 55 up: 19 -> 7
    contrary = satb([67, 62], [64, 60], [60, 57], [48, 55])
    assert hr.count_parallel_fifths(contrary) == 0
    # oblique: S-T stays a fifth (67/60) without moving
    held = satb([67, 67], [64, 65], [60, 60], [48, 50])
    assert hr.count_parallel_fifths(held) == 0
    # a rest in the soprano between two fifths above the tenor breaks the succession
    rest = satb([67, None, 69], [64, 64, 65], [60, 60, 62], [45, 45, 47])
    assert hr.count_parallel_fifths(rest) == 0
    assert hr.count_parallel_fifths(satb([67, 67, 69], [64, 64, 65], [60, 60, 62], [45, 45, 47])) == 1


def test_voice_crossing_and_range():
    # alto above soprano at the first chord; bass C2 (36) below E2 (40)
    p = satb([64, 72], [67, 67], [60, 60], [36, 48])
    assert hr.count_voice_crossings(p) == 1
    assert hr.count_range_violations(p) == 1
    rates = hr.harmony_rule_rates(p)
    assert rates["beats"] == 2.0
    assert rates["voice_crossings_per_100_beats"] == pytest.approx(50.0)
    assert rates["range_violations_per_100_beats"] == pytest.approx(50.0)


def test_missing_voice_is_an_error():
    with pytest.raises(ValueError):
        hr.count_parallel_fifths(Piece("p", "w", tracks=[Track("s", "soprano")]))


def test_parse_chord_figure():
    assert hr.parse_chord_figure("C") == (0, "maj")
    assert hr.parse_chord_figure("Dm7") == (2, "min")
    assert hr.parse_chord_figure("G7") == (7, "maj")
    assert hr.parse_chord_figure("F#m7b5") == (6, "dim")
    assert hr.parse_chord_figure("Bb/D") == (10, "maj")
    assert hr.parse_chord_figure("Ebdim7") == (3, "dim")
    assert hr.parse_chord_figure("C+") == (0, "aug")
    assert hr.parse_chord_figure("G7sus4") == (7, "sus")
    assert hr.parse_chord_figure("CmM7") == (0, "min")
    assert hr.parse_chord_figure("N.C.") == hr.NO_CHORD


def test_chord_agreement_root_and_quality():
    # C~Cmaj7, Am7~Am, F vs Dm (different root), G7~G -> 3 of 4
    assert hr.chord_agreement(["C", "Am7", "F", "G7"], ["Cmaj7", "Am", "Dm", "G"]) == pytest.approx(0.75)
    assert hr.chord_agreement(["C"], ["C", "G"]) == pytest.approx(0.5)
    assert hr.chord_agreement(["C"], ["Cm"]) == 0.0


def test_triad_quality_from_intervals():
    assert hr.triad_quality((0, 4, 7, 10)) == "maj"
    assert hr.triad_quality((0, 3, 6, 10)) == "dim"
    assert hr.triad_quality((0, 4, 8, 10)) == "aug"
    assert hr.triad_quality((0, 5, 7, 10)) == "sus"
    assert hr.triad_quality((0, 7)) == "5"
    assert hr.parse_chord_figure("C7#5") == (0, "aug")
    assert hr.parse_chord_figure("Cmaj7#11") == (0, "maj")


def test_unresolved_dominant_sevenths_count_secondary_dominants_not_augmented_sixths():
    from tunesmith.score import KeySignature

    # V7 - I in C: the alto's F falls to E (resolved); then A7 - Dm with the alto's G rising to A
    p = satb([71, 72, 73, 74], [65, 64, 67, 69], [62, 60, 64, 65], [55, 48, 57, 50])
    p.keys = [KeySignature(0.0, "C", "major")]
    assert hr.unresolved_dominant_sevenths(p) == (1, 2)
    # the same G7 with the seventh held is resolved; a rest after it leaves nothing to judge
    held = satb([71, 72], [65, 65], [62, 60], [55, 48])
    held.keys = p.keys
    assert hr.unresolved_dominant_sevenths(held) == (0, 1)
    rest = satb([71, 72], [65, None], [62, 60], [55, 48])
    rest.keys = p.keys
    assert hr.unresolved_dominant_sevenths(rest) == (0, 0)
    # an augmented sixth in C (A-flat C F-sharp, the F-sharp rising to G) is not a dominant seventh
    aug = satb([72, 71], [66, 67], [60, 62], [56, 55])
    aug.keys = p.keys
    assert hr.unresolved_dominant_sevenths(aug) == (0, 0)


def test_beat_semitone_share_counts_semitones_sevenths_and_ninths():
    # beats: C G E C (none); B G D C (B over C, a major seventh); C F C# D (C# and D, C and C#); D F B G (none)
    p = satb([72, 71, 72, 74], [67, 67, 65, 65], [64, 62, 61, 59], [48, 48, 50, 43])
    assert hr.beat_sonorities(p)[1] == [71, 67, 62, 48]
    assert hr.beat_semitone_share(p) == 0.5
    quiet = satb([72, None], [67, 67], [64, 64], [48, 48])
    assert hr.beat_sonorities(quiet) == [[72, 67, 64, 48], None]
