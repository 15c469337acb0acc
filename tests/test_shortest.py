"""The shortest note a take holds (`compose(..., shortest="eighth")`, `--shortest`): a control, so it
always holds: every note and rest starts and ends on its grid, none is shorter and none is a
triplet. An ear-training teacher had no way to grade rhythm: takes at a low rhythm temperature
were all eighths or all quarters, and a default G major take ran hornpipe triplets."""

from __future__ import annotations

import argparse

import pytest

import tunesmith as ts
from tunesmith.controls import compose_request

CASES = [("folk", {}), ("folk", {"meter": "6/8"}), ("folk", {"dance": "hornpipe"}), ("pop", {"meter": "3/4"}),
         ("jazz", {"chords": "Dm7 G7 | Cmaj7"}), ("chorale", {}), ("folk", {"cadence": "loop"})]  # fmt: skip


def _on_grid(x: float, step: float) -> bool:
    return abs(x / step - round(x / step)) < 1e-6


@pytest.mark.parametrize(("shortest", "step"), [("eighth", 0.5), ("sixteenth", 0.25)])
def test_every_note_and_rest_keeps_to_the_shortest_asked(shortest, step):
    model = ts.load_model("default")
    for style, kw in CASES:
        for seed in range(3):
            piece = ts.compose(style, bars=8, seed=seed, shortest=shortest, model=model, check=False, **kw).piece
            for track in piece.tracks:
                notes = sorted(track.notes, key=lambda n: n.onset)
                for n in notes:
                    assert _on_grid(n.onset, step) and _on_grid(n.duration, step) and n.duration >= step, (style, kw, seed, n)
                for a, b in zip(notes, notes[1:]):  # a rest between them is as long as a note may be
                    gap = b.onset - (a.onset + a.duration)
                    assert gap < 1e-6 or (gap >= step - 1e-6 and _on_grid(gap, step)), (style, kw, seed, a, b)


def test_the_default_is_any_length_and_a_bad_request_is_refused():
    assert compose_request("folk").rhythm_grid == 0 and compose_request("folk", shortest="EIGHTH").rhythm_grid == 6
    with pytest.raises(ValueError, match=r"^shortest 'quarter': one of eighth, sixteenth \(the shortest note or rest a take holds\)$"):
        compose_request("folk", shortest="quarter")
    with pytest.raises(ValueError, match=r"^pickup 0.25 beats: shorter than the shortest note asked \(eighth\) allows; use a "
                                         r"multiple of 0.5 beats$"):  # fmt: skip
        compose_request("folk", shortest="eighth", pickup=0.25)
    from tunesmith.cli.compose import add_arguments

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert parser.parse_args(["--style", "folk", "--shortest", "Eighth", "--out", "x"]).shortest == "eighth"


def test_the_constraint_check_reads_the_grid():
    from tunesmith.metrics.constraints import check_all, check_shortest
    from tunesmith.score import Note, Piece, Track

    piece = Piece("p", "w", tracks=[Track("M", "melody", notes=[Note(60, 0.0, 0.5), Note(62, 0.5, 1 / 3), Note(64, 5 / 6, 1 / 6)])])
    assert check_shortest(piece, {"rhythm_grid": 0}) == [] and check_shortest(piece, {}) == []
    assert check_shortest(piece, {"rhythm_grid": 6}) == ["note 62 at beat 0.5 lasting 0.333333 is off the 0.5-beat grid",
                                                          "note 64 at beat 0.833333 lasting 0.166667 is off the 0.5-beat grid"]  # fmt: skip
    take = ts.compose("folk", bars=8, seed=1, shortest="eighth", check=False)
    assert check_shortest(take.piece, {"rhythm_grid": 6}) == []
    assert not any("grid" in v for v in check_all(take.piece, {"rhythm_grid": 6}))


def test_a_lead_sheet_keeps_off_the_32nd_note_triplet_twelfths():
    """Without a grid asked for, a lead sheet's notes and rests still start and end on the sixteenth
    or the sixteenth-triplet grid, never 1, 5, 7 or 11 twelfths into a quarter: a 1/12-beat note had
    put a jazz pianist's B-flat blues (seed 5, take 1 of 4) a twelfth off its beats for six bars, read
    as triplet brackets across the bar. No shippable jazz tune has such a note."""
    blues = "Bb7 | Eb7 | Bb7 | Bb7 | Eb7 | Eb7 | Bb7 | G7 | Cm7 | F7 | Bb7 G7 | Cm7 F7"
    takes = ts.compose("jazz", chords=blues, bars=12, seed=5, n=4, tempo=120, check=False)
    for take in takes:
        for n in take.piece.melody().notes:
            for x in (n.onset, n.onset + n.duration):
                assert _on_grid(x, 1 / 12) and round(x * 12) % 12 not in (1, 5, 7, 11), (take.seed, n)
