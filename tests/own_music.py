"""A musician's own four bars (no tunesmith provenance), for the tests of the signed record of the
musician's notes (`test_rights_claims.py`, `test_rights_signers.py`)."""

from __future__ import annotations

from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track


def own_tune() -> Piece:
    """Four bars of the musician's own (no tunesmith provenance)."""
    notes = [Note(60 + (i * 5) % 12, float(i), 1.0) for i in range(16)]
    return Piece("mine", "mine", style="folk", tracks=[Track("melody", "melody", notes=notes)],
                 keys=[KeySignature(0.0, "C", "major")], time_signatures=[TimeSignature(0.0, 4, 4)],
                 tempos=[Tempo(0.0, 100.0)])  # fmt: skip
