"""A hymn whose last note is struck in one bar and tied over into a short last bar (Greensleeves,
A6- | A4 |]) is harmonized with its close where that note is struck: the alto, tenor and bass strike
the final chord with it, in root position with its third (its fifth may be left out), and hold it to the end. The voices had run
on under the held note and ended on a six-four or a bare fifth in 6 of 6 takes (a choir director's
trial, session 51)."""

from __future__ import annotations

import pytest

import tunesmith as ts
from tunesmith.cocreate import verbs

GREENSLEEVES = """X:1
T:Greensleeves
M:3/4
L:1/8
Q:1/4=100
K:Am
A2 | c4 d2 | e3 f e2 | d4 B2 | G3 A B2 | c4 A2 | A3 ^G A2 | B4 ^G2 | E4 A2 | c4 d2 | e3 f e2 | d4 B2 |
G3 A B2 | c3 B A2 | ^G3 ^F ^G2 | A6- | A4 |]
"""


def final_chords(path, n: int = 4) -> list[tuple[list[int], bool]]:
    """Per take: the pitches sounding where the soprano's last note is struck (bass first), and
    whether every voice holds its note from there to the end."""
    out = []
    for take in ts.harmonize(path, style="chorale", seed=11, n=n):
        piece = take.piece
        strike = max(n.onset for n in piece.tracks[0].notes)
        end = piece.duration()
        sounding = [[x for x in t.notes if x.onset <= strike + 1e-6 < x.onset + x.duration] for t in piece.tracks]
        held = all(len(s) == 1 and s[0].onset + s[0].duration >= end - 1e-6 for s in sounding)
        out.append((sorted(s[0].pitch for s in sounding if s), held))
    return out


@pytest.fixture(scope="module")
def hymn(tmp_path_factory):
    path = tmp_path_factory.mktemp("held") / "greensleeves.abc"
    path.write_text(GREENSLEEVES)
    return path


def test_a_held_last_note_closes_where_it_is_struck(hymn):
    for pitches, held in final_chords(hymn):
        pcs = {p % 12 for p in pitches}
        assert held, pitches
        # A minor or A major on A, its fifth left out or not (Bach's final chords often leave it out)
        assert pitches[0] % 12 == 9 and pcs - {4} in ({9, 0}, {9, 1}), pitches


def test_without_the_rule_the_voices_run_on(hymn, monkeypatch):
    monkeypatch.setattr(verbs, "HELD_FINAL_CLOSE", False)
    assert not all(held for _, held in final_chords(hymn))
