"""A chorale in a meter of long bars (3/2, 4/2: a hymn's meters) phrases in whole lines of two bars
and strikes its final chord in all four voices on a beat. A choir director's 3/2 chorales had a
fermata on the first note (phrases of one bar: the first ended with bar 1's whole-bar note) and a
soprano striking its last note on the third quarter of the bar, half a beat of 3/2 off the lower
voices' final chord, in 3 of 3 takes (session 51)."""

from __future__ import annotations

import pytest

import tunesmith as ts


@pytest.mark.parametrize("meter", ["3/2", "4/2"])
def test_a_long_bar_chorale_phrases_by_lines_and_closes_together(meter):
    bar = {"3/2": 6.0, "4/2": 8.0}[meter]
    for take in ts.compose("chorale", key="Eb", meter=meter, bars=8, seed=31, n=3, check=False):
        piece = take.piece
        assert min(piece.fermatas) >= bar, piece.fermatas  # no phrase of one bar: no fermata in bar 1
        gaps = [b - a for a, b in zip(piece.fermatas, piece.fermatas[1:])]
        assert all(g >= 2 * bar - 1e-6 for g in gaps[:-1]), piece.fermatas
        last = [max(n.onset for n in t.notes) for t in piece.tracks]
        assert len(set(last)) == 1 and last[0] % 2 == 0, last  # struck together, on a half-note beat
