"""A regenerated chorale soprano (inpaint's, continue's) keeps to the compass the kept bars give it
(`cocreate.verbs.SOPRANO_FLOOR_UNDER_THE_KEPT`)."""

from __future__ import annotations

import pytest

from tunesmith.cocreate import verbs
from tunesmith.score import Note


def test_the_soprano_floor_follows_the_kept_soprano_but_keeps_an_octave():
    ranges = {"S": (60, 79), "A": (55, 74)}
    kept = [Note(66, 0.0, 1.0), Note(74, 1.0, 1.0)]
    assert verbs._kept_compass(ranges, "satb", kept, None)["S"] == (64, 79)
    assert verbs._kept_compass(ranges, "satb", [Note(76, 0.0, 1.0)], None)["S"] == (67, 79)  # an octave left
    assert verbs._kept_compass(ranges, "satb", kept, (55, 80)) == ranges  # a range asked for wins
    assert verbs._kept_compass(ranges, "lead", kept, None) == ranges
    assert verbs._kept_compass(ranges, "satb", [], None) == ranges  # no soprano kept around it, or the soprano kept


def test_an_inpainted_chorale_soprano_does_not_sink_and_leap_back_an_octave(monkeypatch):
    """Bars 5-8 of three shippable validation chorales whose inpainted sopranos had sunk under the
    kept bars' lowest note and leapt back an octave (BWV 133.6: D4 C#4 D4 D4, then D5, its kept
    soprano no lower than F#4): none does with the floor. Over the 57 such chorales, octave leaps
    5 -> 2 (Bach's own bars 2), seams of a major sixth or more 2 -> 0
    (docs/notes/2026-12-06-session-60/inpaint_chorale_leaps.py)."""
    from tunesmith import api
    from tunesmith.corpus import load_corpus
    from tunesmith.metrics._common import melody_line

    try:
        chorales = [p for p in load_corpus(None).filter(split="valid", style="chorale", shippable=True)
                    if len(list(p.bars())) >= 12]  # fmt: skip
    except FileNotFoundError:
        pytest.skip("no corpus built (tunesmith corpus build)")
    if len(chorales) < 34:
        pytest.skip("the JSB validation chorales are not in the corpus (../shared/data/jsb absent)")

    def sinks_and_leaps(i: int) -> bool:
        piece = api.inpaint(chorales[i], bars="5-8", seed=i).piece
        starts = list(piece.bars())
        lo, hi = starts[4 + (piece.pickup_beats() > 0)], starts[8 + (piece.pickup_beats() > 0)]
        line = [n.pitch for n in melody_line(piece) if lo - 1e-6 <= n.onset < hi - 1e-6]
        return any(abs(b - a) >= 12 for a, b in zip(line, line[1:]))

    found = [6, 30, 33]
    assert not any(sinks_and_leaps(i) for i in found)
    monkeypatch.setattr(verbs, "SOPRANO_FLOOR_UNDER_THE_KEPT", None)
    assert all(sinks_and_leaps(i) for i in found)


def test_a_continued_chorale_soprano_keeps_to_the_given_compass(monkeypatch):
    """Continued by 4 bars after their first 8, 40 shippable validation chorales' new sopranos had
    gone under the given bars' lowest soprano note less a whole step in 15 (Bach's own next bars
    in 3), with the floor in 1 (docs/notes/2026-12-07-session-65/continued_sopranos.py). The first
    12: none with it, 4 without."""
    import copy

    import tunesmith as ts
    from tunesmith.corpus import load_corpus
    from tunesmith.metrics._common import melody_line

    try:
        chorales = [p for p in load_corpus(None).filter(split="valid", style="chorale", shippable=True)
                    if len(list(p.bars())) >= 12][:12]  # fmt: skip
    except FileNotFoundError:
        pytest.skip("no corpus built (tunesmith corpus build)")
    if len(chorales) < 12:
        pytest.skip("the JSB validation chorales are not in the corpus (../shared/data/jsb absent)")

    def sunk() -> int:
        count = 0
        for i, chorale in enumerate(chorales):
            cut = list(chorale.bars())[8 + int(chorale.pickup_beats() > 0)]
            given = copy.deepcopy(chorale)
            for track in given.tracks:
                track.notes = [n for n in track.notes if n.onset < cut - 1e-6]
            new = [n.pitch for n in melody_line(ts.continue_(given, bars=4, seed=i).piece) if n.onset >= cut - 1e-6]
            count += min(new) < min(n.pitch for n in melody_line(given)) - 2
        return count

    assert sunk() == 0
    monkeypatch.setattr(verbs, "SOPRANO_FLOOR_UNDER_THE_KEPT", None)
    assert sunk() >= 2
