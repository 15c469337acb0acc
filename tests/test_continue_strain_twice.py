"""After a strain played twice (A A), a folk continuation's contrasting strain is played twice too
(A A B B, as the tunes are): written once, then again note for note (`continue_piece`)."""

from __future__ import annotations

import dataclasses

import pytest

from tunesmith import api
from tunesmith.cocreate.continuation import strain_played_twice
from tunesmith.cocreate.inputs import _grid
from tunesmith.remarks import take_remarks
from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track

# an eight-bar A strain in D major whose last bar is its ending
STRAIN = [[62, 66, 69, 66], [67, 71, 74, 71], [69, 66, 62, 66], [64, 66, 67, 69],
          [62, 66, 69, 66], [67, 71, 74, 71], [69, 66, 64, 61], [62, 62, 62, 62]]  # fmt: skip
SECOND_ENDING = [62, 62, 69, 66]


def _given(second_ending=SECOND_ENDING, times: int = 2, pickup: bool = False) -> Piece:
    notes = [Note(57, 0.0, 1.0, 80)] if pickup else []
    start = 1.0 if pickup else 0.0
    for rep in range(times):
        for b, figure in enumerate(STRAIN):
            if rep == times - 1 and b == len(STRAIN) - 1:
                figure = second_ending
            t = start + (rep * len(STRAIN) + b) * 4.0
            notes += [Note(p, t + i, 1.0, 80) for i, p in enumerate(figure)]
    end = start + times * len(STRAIN) * 4.0
    bars = ([0.0] if pickup else []) + [start + 4.0 * i for i in range(times * len(STRAIN))]
    return Piece(piece_id="a", work_id="a", style="folk", tracks=[Track("Melody", "melody", 40, False, notes)],
                 time_signatures=[TimeSignature(0.0, 4, 4)], tempos=[Tempo(0.0, 120.0)],
                 keys=[KeySignature(0.0, "D", "major")], end=end, bar_onsets=bars)  # fmt: skip


def _strain(piece: Piece) -> int:
    return strain_played_twice(piece.tracks[0].notes, _grid(piece, "4/4"))


def test_a_strain_played_twice_is_found_from_the_notes():
    assert _strain(_given()) == 8  # the endings differ: the strain is still played twice
    assert _strain(_given(pickup=True)) == 8
    assert _strain(_given(times=1)) == 0  # once
    changed = _given()
    changed.tracks[0].notes = [dataclasses.replace(x, pitch=x.pitch + 2) if 36.0 <= x.onset < 44.0 else x
                               for x in changed.tracks[0].notes]  # fmt: skip
    assert _strain(changed) == 0  # the second time's bars 2-3 are other notes: not the same strain


@pytest.mark.parametrize("pickup", [False, True], ids=["on-the-bar", "pickup"])
def test_the_new_strain_is_played_twice_after_a_strain_played_twice(pickup):
    given = _given(pickup=pickup)
    take = api.continue_(given, style="folk", seed=3)  # bars: by default twice the strain
    start = 1.0 if pickup else 0.0
    b0, b1, end = start + 64.0, start + 96.0, start + 128.0 - (1.0 if pickup else 0.0)  # short by the pickup
    assert take.provenance["request"]["bars"] == 16
    assert take.provenance["request"]["resolved"]["strain_played_twice"] == 8
    notes = take.piece.tracks[0].notes
    first = [(x.pitch, round(x.onset - b0, 6), x.duration) for x in notes if b0 <= x.onset < b1]
    second = [(x.pitch, round(x.onset - b1, 6), x.duration) for x in notes if x.onset >= b1]
    assert first and [n[:2] for n in second] == [n[:2] for n in first if n[1] < end - b1 - 1e-6]
    assert take.piece.end == pytest.approx(end) and max(x.onset + x.duration for x in notes) <= end + 1e-6
    if pickup:  # written short by the pickup, as the piece ends; the first time holds on to the bar line
        assert max(x.onset + x.duration for x in notes if x.onset < b1) == pytest.approx(b1)
    assert len(take.piece.bars()) == (1 if pickup else 0) + 32
    assert any("played twice" in line for line in take_remarks(take.provenance))
    given_notes = [(x.pitch, x.onset, x.duration) for x in given.tracks[0].notes]
    assert [(x.pitch, x.onset, x.duration) for x in notes if x.onset < b0] == given_notes


@pytest.mark.parametrize("kw", [{"bars": 8}, {"bars": 12}, {"contrast": False}], ids=["8-bars", "12-bars", "no-contrast"])
def test_the_new_bars_are_written_once_unless_a_strain_follows_a_strain_played_twice(kw):
    take = api.continue_(_given(), style="folk", seed=3, **kw)
    assert not take.provenance["request"]["resolved"]["strain_played_twice"]
    assert take.provenance["request"]["bars"] == kw.get("bars", 8)
    assert not any("played twice" in line for line in take_remarks(take.provenance))


def test_a_given_last_chord_sounds_on_into_the_new_bars():
    """A file's last chord is read as ending with its music: a tune whose last bar is short by its
    pickup was continued with N.C. over the new pickup note there (the songwriter's Amazing Grace,
    every take). The given chord now sounds on to the next one; no stop is written."""
    from tunesmith.convert.common import no_chord_stops
    from tunesmith.score import ChordSymbol

    given = _given(pickup=True, times=1)
    given.end -= 1.0  # the last bar short by the pickup's beat
    given.tracks[0].notes = [x for x in given.tracks[0].notes if x.onset < given.end - 1e-6]
    given.tracks[0].notes[-1] = dataclasses.replace(given.tracks[0].notes[-1], duration=1.0)
    given.chords = [ChordSymbol(1.0 + 4.0 * b, f, 4.0) for b, f in enumerate(["D", "G", "D", "A", "D", "G", "A"])]
    given.chords.append(ChordSymbol(29.0, "D", given.end - 29.0))  # read as ending with the music
    for seed in (1, 2):
        take = api.continue_(given, bars=8, style="folk", seed=seed)
        chords = sorted(take.piece.chords, key=lambda c: c.onset)
        assert no_chord_stops(take.piece, chords) == []
        assert [(c.onset, c.figure) for c in chords[:8]] == [(c.onset, c.figure) for c in given.chords]
