"""`scripts/fit_dance_profiles.py`: which training tunes teach a dance its note lengths."""

from __future__ import annotations

from script_loader import load_script
from tunesmith.corpus import corpus_from_pieces
from tunesmith.score import Note, Piece, TimeSignature, Track


def tune(pid: str, source: str, title: str, meter: tuple[int, int], shift: int) -> Piece:
    notes = [Note(60 + (i * 5 + shift) % 12, 0.5 * i, 0.5) for i in range(16)]
    return Piece(piece_id=pid, work_id=pid, title=title, style="folk", source=source, license="CC-BY-4.0",
                 split="train", tracks=[Track("melody", "melody", notes=notes)],
                 time_signatures=[TimeSignature(0.0, *meter)])  # fmt: skip


def test_a_dance_is_learned_from_nottingham_files_and_other_sources_titles():
    fit = load_script("scripts/fit_dance_profiles.py")
    pieces = [
        tune("nottingham:ABC_cleaned/reelsa-c.abc#1", "nottingham", "Abbots Bromley", (4, 4), 0),  # by its file
        tune("irish:CrossesofAnnaghreel", "irish", "CrossesofAnnaghreel", (4, 4), 1),  # by its title
        tune("irish:Reelin6_8", "irish", "The Reel of Bogie", (6, 8), 2),  # a "reel" not in a reel's meter
        tune("irish:SlipJig", "irish", "Hardiman the Fiddler -- slip jig", (9, 8), 3),
        tune("irish:Jig", "irish", "Calendar Jig", (6, 8), 4),
    ]
    corpus = corpus_from_pieces(pieces)
    reels = {p.piece_id for p in fit.dance_pieces(corpus, "reel", "train")}
    jigs = {p.piece_id for p in fit.dance_pieces(corpus, "jig", "train")}
    slip_jigs = {p.piece_id for p in fit.dance_pieces(corpus, "slip-jig", "train")}
    assert reels == {"nottingham:ABC_cleaned/reelsa-c.abc#1", "irish:CrossesofAnnaghreel"}
    assert jigs == {"irish:Jig"} and slip_jigs == {"irish:SlipJig"}
