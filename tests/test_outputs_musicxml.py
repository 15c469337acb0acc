"""Engraving details a notation program shows: clefs and part abbreviations."""

from __future__ import annotations

import music21

from tunesmith.outputs.musicxml import write_musicxml
from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track


def _satb() -> Piece:
    voices = [("Soprano", "soprano", 67), ("Alto", "alto", 62), ("Tenor", "tenor", 55), ("Bass", "bass", 43)]
    tracks = [Track(name, role, 52, False, [Note(p, float(b), 1.0, 80) for b in range(8)]) for name, role, p in voices]
    return Piece(
        piece_id="t", work_id="t", style="chorale", source="test", path="", license="public-domain",
        tracks=tracks, time_signatures=[TimeSignature(0.0, 4, 4)], tempos=[Tempo(0.0, 80.0)],
        keys=[KeySignature(0.0, "G", "major")], end=8.0,
    )


def test_satb_parts_get_their_clefs_and_abbreviations(tmp_path):
    path = write_musicxml(_satb(), tmp_path / "satb.musicxml")
    score = music21.converter.parse(str(path))
    clefs = [type(part.recurse().getElementsByClass("Clef")[0]).__name__ for part in score.parts]
    assert clefs == ["TrebleClef", "TrebleClef", "Treble8vbClef", "BassClef"]
    assert [part.partAbbreviation for part in score.parts] == ["S.", "A.", "T.", "B."]


def test_a_low_accompaniment_track_reads_in_bass_clef(tmp_path):
    piece = _satb()
    piece.tracks = [
        Track("Melody", "melody", 0, False, [Note(72, 0.0, 4.0, 80)]),
        Track("Chords", "chords", 0, False, [Note(40, 0.0, 4.0, 80), Note(47, 0.0, 4.0, 80)]),
    ]
    score = music21.converter.parse(str(write_musicxml(piece, tmp_path / "lead.musicxml")))
    clefs = [type(part.recurse().getElementsByClass("Clef")[0]).__name__ for part in score.parts]
    assert clefs == ["TrebleClef", "BassClef"]
