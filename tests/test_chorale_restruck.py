"""A chorale voice sings a note again at the bar line, as Bach's voices do, where the model (taught by
the JSB sixteenth grid, which merges a repeated note into one long one) held it over the bar line."""

from __future__ import annotations

from tunesmith import api
from tunesmith.sampling.decode import restruck_at_bar_lines
from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track


def _held_over(notes, bars) -> int:
    return sum(1 for x in notes if any(x.onset + 1e-6 < b < x.onset + x.duration - 1e-6 for b in bars))


def test_a_note_held_over_bar_lines_is_struck_again_at_each():
    notes = [Note(60, 0.0, 2.0, 70), Note(62, 3.0, 6.0, 80), Note(64, 9.0, 1.0)]
    out = restruck_at_bar_lines(notes, [0.0, 4.0, 8.0, 12.0])
    assert [(x.pitch, x.onset, x.duration, x.velocity) for x in out] == [
        (60, 0.0, 2.0, 70), (62, 3.0, 1.0, 80), (62, 4.0, 4.0, 80), (62, 8.0, 1.0, 80), (64, 9.0, 1.0, 80)
    ]  # fmt: skip


def test_composed_chorale_voices_hold_no_note_over_a_bar_line():
    held = 0
    for seed, meter in ((0, "4/4"), (1, "3/4"), (2, "4/4")):
        piece = api.compose("chorale", key="g minor", meter=meter, bars=8, seed=seed, check=False).piece
        held += sum(_held_over(t.notes, piece.bars()) for t in piece.tracks)
    assert held == 0


def test_a_harmonization_restrikes_its_own_voices_and_keeps_the_melody_tied():
    """The musician's soprano keeps its tie over the bar line (D5 over bar 4's line), and the voices
    written under it hold theirs with it there; at every other bar line they strike again."""
    soprano = [Note(67, 0.0, 2.0), Note(69, 2.0, 2.0), Note(71, 4.0, 4.0), Note(72, 8.0, 2.0), Note(74, 10.0, 4.0),
               Note(72, 14.0, 2.0), Note(71, 16.0, 2.0), Note(69, 18.0, 2.0), Note(67, 20.0, 4.0)]  # fmt: skip
    piece = Piece(piece_id="h", work_id="h", style="chorale", tracks=[Track("Soprano", "soprano", 52, notes=soprano)],
                  keys=[KeySignature(0.0, "G", "major")], time_signatures=[TimeSignature(0.0, 4, 4)],
                  tempos=[Tempo(0.0, 72.0)], end=24.0)  # fmt: skip
    for seed in range(3):
        out = api.harmonize(piece, style="chorale", seed=seed).piece
        bars = out.bars()
        assert [(x.pitch, x.onset, x.duration) for x in out.tracks[0].notes] == [(x.pitch, x.onset, x.duration) for x in soprano]
        struck = [b for b in bars if abs(b - 12.0) > 1e-6]
        assert sum(_held_over(t.notes, struck) for t in out.tracks[1:]) == 0


def test_a_composed_bass_moves_at_the_bar_line():
    """Bach's basses hold or repeat a note over the bar line 1.22 times per 100 beats; the composed
    basses had 4.25, the harmony standing still over the downbeat (`BASS_MOVES_AT_BAR_LINES`)."""
    same = beats = 0
    for seed, meter in ((0, "4/4"), (1, "3/4"), (2, "4/4"), (3, "3/4")):
        piece = api.compose("chorale", key="D", meter=meter, bars=12, seed=seed, check=False).piece
        bars = {round(b, 6) for b in piece.bars()}
        bass = sorted(piece.tracks[3].notes, key=lambda n: n.onset)
        same += sum(1 for a, b in zip(bass, bass[1:]) if round(b.onset, 6) in bars and a.pitch == b.pitch
                    and abs(a.onset + a.duration - b.onset) < 1e-6)  # fmt: skip
        beats += piece.duration()
    # these takes: 1 (session 45); 2 since the beat's clash rules and the bass's chromatic-step rule
    # (session 50). The bound is Bach's rate, as the docstring compares: 1.22 per 100 beats (2.05 here)
    assert same <= 1.22 * beats / 100, (same, beats)
