"""The count baseline for harmonization (`baselines.harmony_baseline`) on small hand-made data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_cocreate import chorale, lead_sheet, melody_only  # noqa: E402
from tunesmith import harmony  # noqa: E402
from tunesmith.baselines.harmony_baseline import (  # noqa: E402
    ChoraleBaseline,
    LeadSheetBaseline,
    chord_of_pitches,
    chords_per_beat,
    units_of,
)
from tunesmith.metrics import harmony_rules  # noqa: E402
from tunesmith.score import KeySignature, Note, Piece  # noqa: E402
from tunesmith.tokenizer import transpose_piece  # noqa: E402


def test_chord_of_pitches_reads_triads_and_sevenths():
    assert chord_of_pitches([48, 52, 55, 60]) == "C"
    assert chord_of_pitches([45, 60, 64, 69]) == "Am"
    assert chord_of_pitches([43, 59, 62, 65]) == "G7"
    assert chord_of_pitches([50, 57, 65, 72]) == "Dm7"
    assert chord_of_pitches([59, 62, 65]) == "Bdim"
    assert chord_of_pitches([60, 72]) is None


def arpeggios(bars: int = 8) -> Piece:
    """A tune whose melody spells its chords (D major): the baseline can learn it exactly."""
    piece = lead_sheet(bars)
    notes = []
    for i, c in enumerate(piece.chords):
        for j, p in enumerate(
            harmony.chord_pitches(c.figure, base=62)[:3] + [harmony.chord_pitches(c.figure, base=62)[0] + 12]
        ):
            notes.append(Note(p, 4.0 * i + j, 1.0))
    piece.tracks[0].notes = notes
    return piece


def test_lead_sheet_baseline_learns_chords_per_melody_and_transposes():
    b = LeadSheetBaseline("bar").fit([arpeggios()])
    assert b.n_units == 8
    melody = melody_only(arpeggios())
    pred = b.predict(melody)
    assert [c.onset for c in pred] == [4.0 * i for i in range(8)]
    assert harmony_rules.chord_agreement(pred, arpeggios().chords) == 1.0
    # learned relative to the key: the tune a fourth up gets the chords a fourth up
    up = transpose_piece(melody_only(arpeggios()), 5)
    up.keys = [KeySignature(0.0, "G", "major")]
    pred_up = b.predict(up)
    roots = [harmony_rules.parse_chord_figure(c.figure)[0] for c in pred]
    roots_up = [harmony_rules.parse_chord_figure(c.figure)[0] for c in pred_up]
    assert roots_up == [(r + 5) % 12 for r in roots]
    harmonized = b.harmonize(melody)
    assert harmonized.melody().notes == melody.melody().notes and harmonized.chords


def test_units_split_even_meters_in_halves():
    piece = lead_sheet(4)
    assert units_of(piece, "half")[:3] == [(0.0, 2.0), (2.0, 4.0), (4.0, 6.0)]
    with pytest.raises(ValueError, match="unit must be one of"):
        units_of(piece, "beat")
    assert LeadSheetBaseline("half").fit([piece]).n_units == 8


def test_chorale_baseline_voices_note_against_note_below_the_soprano():
    b = ChoraleBaseline().fit([chorale(8)])
    soprano = melody_only(chorale(8), "soprano")
    out = b.harmonize(soprano)
    assert [t.role for t in out.tracks] == ["soprano", "alto", "tenor", "bass"]
    assert [(n.pitch, n.onset, n.duration) for n in out.track("soprano").notes] == [
        (n.pitch, n.onset, n.duration) for n in soprano.melody().notes
    ]
    for role in ("alto", "tenor", "bass"):
        assert [n.onset for n in out.track(role).notes] == [n.onset for n in soprano.melody().notes]
    assert harmony_rules.count_voice_crossings(out) == 0
    # every voicing is one seen in training under the same soprano pitch
    seen = {}
    train = chorale(8)
    for s, a, t, bs in zip(*(train.track(r).notes for r in ("soprano", "alto", "tenor", "bass"))):
        seen.setdefault(s.pitch, set()).add((s.pitch - a.pitch, s.pitch - t.pitch, s.pitch - bs.pitch))
    for s, a, t, bs in zip(*(out.track(r).notes for r in ("soprano", "alto", "tenor", "bass"))):
        assert (s.pitch - a.pitch, s.pitch - t.pitch, s.pitch - bs.pitch) in seen[s.pitch]
    assert len(chords_per_beat(out)) == 32
    untrained = ChoraleBaseline().harmonize(soprano)
    assert len(untrained.track("bass").notes) == len(soprano.melody().notes)
