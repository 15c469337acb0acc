"""A melody whose first bar opens with rests (a pickup written as a whole bar: "z3 G |", as
music21 and some editors export it) is harmonized with the alto, tenor and bass entering with it,
not singing alone under the rests (a choir director's 4/2 Old Hundredth, session 51)."""

from __future__ import annotations

import tunesmith as ts
from tunesmith.sampling import automaton

HYMN = "X:1\nT:Old Hundredth\nM:4/4\nL:1/4\nK:G\nz3 G | G F E D | G A B2 | B B A G | c B A2 | A B A G | E F G2 | B G A c | B A G2 |]\n"


def first_onsets(path) -> list[float]:
    piece = ts.harmonize(path, style="chorale", seed=1).piece
    return [min(n.onset for n in t.notes) for t in piece.tracks]


def test_the_lower_voices_enter_with_the_melody(tmp_path, monkeypatch):
    path = tmp_path / "old100.abc"
    path.write_text(HYMN)
    assert first_onsets(path) == [3.0, 3.0, 3.0, 3.0]
    monkeypatch.setattr(automaton, "LOWER_VOICES_ENTER_WITH_THE_SOPRANO", False)
    assert min(first_onsets(path)[1:]) < 3.0
