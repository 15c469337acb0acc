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
    """A jig from Nottingham's jigs.abc and from another source's title; a reel by its title only,
    Nottingham's too: its reels*.abc files hold dance tunes of every kind (a third of their notes a
    beat or more, the titled reels' 0.092; session 66)."""
    fit = load_script("scripts/fit_dance_profiles.py")
    pieces = [
        tune("nottingham:ABC_cleaned/reelsa-c.abc#1", "nottingham", "Abbots Bromley", (4, 4), 0),  # not by its file
        tune("nottingham:ABC_cleaned/ashover.abc#10", "nottingham", "Chestnut Reel", (4, 4), 5),  # by its title
        tune("irish:CrossesofAnnaghreel", "irish", "CrossesofAnnaghreel", (4, 4), 1),  # by its title
        tune("irish:Reelin6_8", "irish", "The Reel of Bogie", (6, 8), 2),  # a "reel" not in a reel's meter
        tune("irish:SlipJig", "irish", "Hardiman the Fiddler -- slip jig", (9, 8), 3),
        tune("irish:Jig", "irish", "Calendar Jig", (6, 8), 4),
        tune("nottingham:ABC_cleaned/jigs.abc#3", "nottingham", "Blackthorn Stick", (6, 8), 6),  # by its file
    ]
    corpus = corpus_from_pieces(pieces)
    reels = {p.piece_id for p in fit.dance_pieces(corpus, "reel", "train")}
    jigs = {p.piece_id for p in fit.dance_pieces(corpus, "jig", "train")}
    slip_jigs = {p.piece_id for p in fit.dance_pieces(corpus, "slip-jig", "train")}
    assert reels == {"nottingham:ABC_cleaned/ashover.abc#10", "irish:CrossesofAnnaghreel"}
    assert jigs == {"irish:Jig", "nottingham:ABC_cleaned/jigs.abc#3"} and slip_jigs == {"irish:SlipJig"}
