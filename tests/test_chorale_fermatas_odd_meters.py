"""Under a composed chorale's fermatas in 3/4 the four voices strike the chord together and hold
it: a chorale director found the lower voices held over into 3/4 fermatas from the bar before and
moving under them (0.46 of the fermatas; Bach's 0.02), with dissonant fermata chords."""

from __future__ import annotations

import pytest

from tunesmith import api


@pytest.mark.parametrize("key", ["F", "g minor"])
def test_the_lower_voices_strike_a_three_four_fermata_with_the_soprano_and_hold_it(key):
    for seed in range(4):
        piece = api.compose("chorale", key=key, meter="3/4", bars=12, seed=seed, check=False).piece
        soprano = piece.tracks[0].notes
        inside = [f for f in piece.fermatas if f < piece.bars()[-1] - 1e-6]
        assert inside, seed
        for f in inside:
            note = next(x for x in soprano if abs(x.onset - f) < 1e-6)
            end = note.onset + note.duration
            for track in piece.tracks[1:]:
                sounding = [x for x in track.notes if x.onset < end - 1e-6 and x.onset + x.duration > f + 1e-6]
                assert all(abs(x.onset - f) < 1e-6 for x in sounding), (seed, f, track.name, sounding)
