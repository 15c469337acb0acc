"""A chorale's planned bass line (`cocreate.bass_line.plan_bass`): the root on each beat, or the
chord's third where that makes the line move by step; the voices sing it where they can."""

from __future__ import annotations

import pytest

from tunesmith.cocreate import bass_line
from tunesmith.score import Note

C, F, G = (0, 4, 7), (5, 9, 0), (7, 11, 2, 5)  # C, F, G7: root first


def plan_of(*chords):
    return [(float(i), tones) for i, tones in enumerate(chords)]


def test_the_third_where_it_makes_a_step():
    # C F G7 C: roots leap C F G C; the first C on its third makes E F G C
    assert [pc for _, pc in bass_line.plan_bass(plan_of(C, F, G, C), [])] == [4, 5, 7, 0]


@pytest.mark.parametrize("why, chords, soprano, fermatas, expected", [
    ("the soprano sings the third", (C, F, G, C), [Note(76, 0.0, 1.0)], (), [0, 5, 7, 0]),
    ("a fermata closes on the root", (C, F, G, C), [], (0.0,), [0, 5, 7, 0]),
    ("the beat before a fermata is the root", (C, F, G, C), [], (1.0,), [0, 5, 7, 0]),
    ("the last beat is the root", (F, C), [], (), [5, 0]),  # F E would step
])  # fmt: skip
def test_the_root_where_the_third_would_not_do(why, chords, soprano, fermatas, expected):
    assert [pc for _, pc in bass_line.plan_bass(plan_of(*chords), soprano, fermatas)] == expected, why


def test_a_step_on_one_side_outweighs_the_inversion_and_nothing_else_does(monkeypatch):
    # C G7 C: the middle G7 on its third (B) steps both ways, C B C; with the cost at the gain the
    # one-sided steps stop but the two-sided one stays
    assert [pc for _, pc in bass_line.plan_bass(plan_of(C, G, C), [])] == [0, 11, 0]
    assert [pc for _, pc in bass_line.plan_bass(plan_of(C, F, G, C), [])][0] == 4
    monkeypatch.setattr(bass_line, "FIRST_INVERSION_COST", bass_line.STEP_GAIN)
    assert [pc for _, pc in bass_line.plan_bass(plan_of(C, F, G, C), [])] == [0, 5, 7, 0]
    assert [pc for _, pc in bass_line.plan_bass(plan_of(C, G, C), [])] == [0, 11, 0]


def test_an_empty_plan_plans_nothing():
    assert bass_line.plan_bass([], []) == ()


def test_a_diminished_triad_stands_on_its_third_even_under_the_sopranos(monkeypatch):
    # C, B dim, C: roots leap C B C by a step already, but vii° stands on its third (vii°6, D), the
    # soprano's D doubled as Bach doubles it; before session 57 it stood on its root B
    from tunesmith import voice_leading

    b_dim = (11, 2, 5)
    soprano = [Note(74, 1.0, 1.0)]  # D5 over the B dim
    assert [pc for _, pc in bass_line.plan_bass(plan_of(C, b_dim, C), soprano)] == [0, 2, 0]
    monkeypatch.setattr(voice_leading, "DIMINISHED_TRIADS_ON_THEIR_THIRD", False)
    assert [pc for _, pc in bass_line.plan_bass(plan_of(C, b_dim, C), soprano)] == [0, 11, 0]
