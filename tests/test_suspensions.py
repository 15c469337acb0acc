"""Prepared 4-3 suspensions in a harmonized chorale's inner voices (`sampling.suspensions`)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from tunesmith.sampling import suspensions
from tunesmith.voice_leading import VoiceLeading


@pytest.mark.parametrize(
    ("tones", "pitch", "third"),
    [
        ([7, 11, 2], 72, 71),  # C5 over G major falls a semitone to B4
        ([4, 7, 11], 69, 67),  # A4 over E minor, a whole step to G4
        ([7, 11, 2, 5], 60, 59),  # over G7 too
        ([11, 2, 5], 64, 62),  # E4 over B diminished, to D4
        ([7, 11, 2], 74, None),  # D5 is G's fifth
        ([7, 11, 2], 61, None),  # C-sharp lies no fourth over G
    ],
)
def test_a_four_three_is_a_fourth_over_the_root_a_step_above_the_third(tones, pitch, third):
    assert suspensions.four_three(np.array(tones), pitch) == third


def test_a_planned_chord_cuts_a_held_note_unless_it_may_be_suspended():
    """C major on beat 1, G major on beat 2, C on beat 3: an alto C4 struck on beat 1 ends where G
    comes, unless that chord may hold it as a suspension, then half a beat later; an E4 is no
    fourth over G and ends there all the same."""
    vl = VoiceLeading(4, beat_ticks=12)
    vl.chord_tones.update({0: np.array([0, 4, 7]), 12: np.array([7, 11, 2]), 24: np.array([0, 4, 7])})
    assert vl.max_duration(1, 0, 60) == 12
    assert vl.max_duration(1, 0, 60, suspended=(12, 18)) == 18
    assert vl.max_duration(1, 0, 64) == 12
    assert vl.max_duration(1, 0, 67) is None  # G sounds in every chord planned


def _inner_voice_fourths(n: int) -> tuple[int, int, int]:
    """(4-3s, fourths held over a beat that do not fall a step, those of them shorter than a half
    note) in the alto and tenor of the first `n` JSB validation sopranos harmonized (seed i), the
    fourth over the bass on the beat."""
    import tunesmith as ts
    from tunesmith.corpus import load_corpus

    try:
        chorales = [c for c in load_corpus(None).filter(split="valid", source="jsb") if len(c.tracks) >= 4][:n]
    except FileNotFoundError:
        pytest.skip("no corpus built (tunesmith corpus build)")
    if not chorales:
        pytest.skip("no JSB chorales in the corpus (../shared/data/jsb absent)")
    resolved = unresolved = short = 0
    for i, chorale in enumerate(chorales):
        soprano = copy.deepcopy(chorale)
        soprano.tracks = soprano.tracks[:1]
        piece = ts.harmonize(soprano, style="chorale", seed=i).piece
        bass = sorted(piece.tracks[3].notes, key=lambda x: x.onset)
        for track in piece.tracks[1:3]:
            notes = sorted(track.notes, key=lambda x: x.onset)
            for a, b in zip(notes, notes[1:]):
                beat = float(int(a.onset) + 1)
                if not a.onset < beat < a.onset + a.duration - 1e-6:
                    continue
                low = next((x.pitch for x in bass if x.onset <= beat + 1e-6 < x.onset + x.duration), None)
                if low is not None and (a.pitch - low) % 12 == 5:
                    if 1 <= a.pitch - b.pitch <= 2:
                        resolved += 1
                    else:
                        unresolved += 1
                        short += a.duration < 2 - 1e-6
    return resolved, unresolved, short


def test_harmonized_inner_voices_suspend_and_resolve(monkeypatch):
    """Bach's settings of 40 JSB validation sopranos have 2.43 inner 4-3s per 100 beats, the
    harmonizations had 0.04; with `PLANNED_SUSPENSION_GAIN` 1.36 (seeds from 5000: 1.48); since
    session 67's chord plans (a chord's return after one other costs) 1.44 (1.73). 20 sopranos: 18
    with it, none without (10 sopranos had given 7 and none before). The fourths held that do not
    fall a step are mostly half notes or longer that a bass moves under (a six-four held), not
    suspensions held to the half beat and left: in 40 sopranos in session 66, with it 9 (one
    shorter), without 4 (none; docs/notes/2026-12-07-session-66/held_fourths.py 40 after); in these
    20 now, 3 either way, 2 of them shorter with it and 1 without. Since session 68's plans (a
    return counted at the chord change; census 1.48 / 1.57 / 1.85 at seeds from 3000 / 5000 /
    7000): 16 with it and none without; 1 and 2 held fourths that do not fall, 0 and 1 shorter.
    With the inner voices' spacing (session 68; census 1.69 / 1.69 / 1.85): 18 and none; 1 and 0
    left, 1 and 0 shorter."""
    assert suspensions.PLANNED_SUSPENSION_GAIN > 0
    made, _left, left_short = _inner_voice_fourths(20)
    monkeypatch.setattr(suspensions, "PLANNED_SUSPENSION_GAIN", 0.0)
    none, _left_before, _ = _inner_voice_fourths(20)
    assert made >= 12 and none <= 2, (made, none)
    assert left_short <= 2, left_short
