"""The copy guard draws a co-created take again when its new music copies a training work, as it does
for compose: a continuation of the Irish Washerwoman had played on with its training version's bars
25-30, kept and labelled "copy" (the rights officer, session 46). The musician's notes never count."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import tunesmith as ts
from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track

JIGS = Path(__file__).resolve().parents[2] / "shared" / "data" / "nottingham" / "ABC_cleaned" / "jigs.abc"


def _air() -> Piece:
    pitches = [67, 71, 74, 71, 72, 69, 66, 69, 67, 71, 74, 79, 78, 74, 72, 69] * 2
    notes = [Note(p, 0.5 * i, 0.5) for i, p in enumerate(pitches)]
    return Piece("air", "air", style="folk", tracks=[Track("melody", "melody", notes=notes)],
                 keys=[KeySignature(0.0, "G", "major")], time_signatures=[TimeSignature(0.0, 4, 4)],
                 tempos=[Tempo(0.0, 110.0)])  # fmt: skip


def _first_is_a_copy(monkeypatch) -> list:
    from tunesmith.rights import guard

    real, seen = guard.check_piece, []

    def check(piece, index, given=None):
        result = real(piece, index, given=given)
        seen.append(piece)
        return dataclasses.replace(result, verdict="copy", score=999.0) if len(seen) == 1 else result

    monkeypatch.setattr(guard, "check_piece", check)
    return seen


@pytest.mark.parametrize("verb", ["continue", "inpaint", "harmonize"])
def test_a_co_created_copy_is_drawn_again_and_recorded_as_itself(monkeypatch, verb):
    seen = _first_is_a_copy(monkeypatch)
    call = {"continue": lambda: ts.continue_(_air(), bars=4, seed=5),
            "inpaint": lambda: ts.inpaint(_air(), bars="2-3", seed=5),
            "harmonize": lambda: ts.harmonize(_air(), style="folk", seed=5)}[verb]  # fmt: skip
    take = call()
    assert len(seen) == 2
    assert take.provenance["resampled_from"] == [5, 0]
    assert take.provenance["rights"]["resampled"] == 1 and take.provenance["rights"]["verdict"] != "copy"
    assert take.seed == take.provenance["seed"] == take.provenance["request"]["seed"] != 5
    given = {(n.pitch, n.onset, n.duration) for n in _air().tracks[0].notes}
    kept = {(n.pitch, n.onset, n.duration) for n in take.piece.melody().notes}
    if verb != "inpaint":
        assert given <= kept  # the musician's notes, as they were
    assert any("drawn again" in r for r in take.remarks)


def test_allow_close_keeps_the_first_take_labelled(monkeypatch):
    seen = _first_is_a_copy(monkeypatch)
    take = ts.continue_(_air(), bars=4, seed=5, allow_close=True)
    assert len(seen) == 1 and "resampled_from" not in take.provenance
    assert take.provenance["rights"]["verdict"] == "copy" and take.provenance["rights"]["allow_close"]


@pytest.mark.skipif(not JIGS.exists(), reason="the Nottingham data (../shared/data) is not here")
def test_the_washerwomans_continuation_is_not_its_training_version(tmp_path):
    """The tune given whole (A A B B): its continuation, seed 3, had copied its own bars 25-30."""
    text = JIGS.read_text(encoding="utf-8", errors="replace")
    start = text.index("X: 141\n")
    tune = tmp_path / "washerwoman.abc"
    tune.write_text(text[start : text.find("\nX:", start + 1)] + "\n")
    take = ts.continue_(tune, bars=8, style="folk", seed=3)
    rights = take.provenance["rights"]
    assert rights["input_excluded"]
    assert rights["verdict"] != "copy" or rights["resampled"] == 3  # drawn again, at most 3 times
