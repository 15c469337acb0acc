"""A chorale's voices' own ranges (`compose(..., voice_ranges="T=C3:E4,B=F2:C4")`, `--voice-ranges`, and
in harmonize for the alto, tenor and bass): each replaces that voice's textbook range, and holds as
every control does. A choir director's amateur tenors and basses could not be given theirs: `--range`
is the whole choir's, and `--range D4:D5` was refused for leaving the tenor five semitones (session 51)."""

from __future__ import annotations

import argparse

import pytest

import tunesmith as ts
from tunesmith.controls import compose_request
from tunesmith.metrics.constraints import check_voice_ranges

HYMN = "X:1\nT:Hymn\nM:4/4\nL:1/4\nK:G\nG | G F E D | G A B2 | B B A G | c B A2 | A B A G | E F G2 | B G A c | B A G |]\n"


def extremes(piece) -> dict[str, tuple[int, int]]:
    return {t.role: (min(n.pitch for n in t.notes), max(n.pitch for n in t.notes)) for t in piece.tracks}


def inside(span: tuple[int, int], low: int, high: int) -> bool:
    return span[0] in range(low, high + 1) and span[1] in range(low, high + 1)


def test_composed_voices_keep_their_own_ranges():
    model = ts.load_model("default")
    for seed, (key, mode) in enumerate([("G", "major"), ("D", "minor"), ("Eb", "major"), ("A", "minor")]):
        take = ts.compose("chorale", key=key, mode=mode, bars=8, seed=seed, voice_ranges="T=C3:E4, bass=F2:C4",
                          model=model, check=False)  # fmt: skip
        got = extremes(take.piece)
        assert inside(got["tenor"], 48, 64) and inside(got["bass"], 41, 60), got
        assert take.provenance["request"]["satb_ranges"] == {"T": [48, 64], "B": [41, 60]}
        assert check_voice_ranges(take.piece, take.provenance["request"]) == []


def test_harmonized_voices_keep_their_own_ranges(tmp_path):
    path = tmp_path / "hymn.abc"
    path.write_text(HYMN)
    for take in ts.harmonize(path, style="chorale", seed=2, n=3, voice_ranges={"alto": "A3:C5", "T": (48, 62)}):
        got = extremes(take.piece)
        assert inside(got["alto"], 57, 72) and inside(got["tenor"], 48, 62), got


def test_a_bad_voice_range_is_refused_in_one_line(tmp_path):
    with pytest.raises(ValueError, match=r"^voice range 'X': the voices are S, A, T and B \(soprano, alto, tenor, bass\)$"):
        compose_request("chorale", voice_ranges="X=C3:C4")
    with pytest.raises(ValueError, match=r"^voice range T C3:E3: 4 semitones, a voice needs at least 7$"):
        compose_request("chorale", voice_ranges="T=C3:E3")
    with pytest.raises(ValueError, match=r"^voice range T: range 'C3': use LOW:HIGH, e.g. C3:A5$"):
        compose_request("chorale", voice_ranges="T=C3")
    with pytest.raises(ValueError, match=r"^voice ranges 'T C3:E4': write each as VOICE=LOW:HIGH, e.g. T=C3:E4,B=F2:D4$"):
        compose_request("chorale", voice_ranges="T C3:E4")
    with pytest.raises(ValueError, match=r"^voice ranges are a chorale's \(soprano, alto, tenor, bass\); a folk take has "
                                         r"one melody: give its range with pitch_range$"):  # fmt: skip
        compose_request("folk", voice_ranges="T=C3:E4")
    path = tmp_path / "hymn.abc"
    path.write_text(HYMN)
    with pytest.raises(ValueError, match=r"^voice ranges: the soprano is the melody you gave; give the alto's, tenor's or bass's$"):
        ts.harmonize(path, style="chorale", voice_ranges="S=C4:D5")
    from tunesmith.cli.cocreate import add_arguments as cocreate_arguments
    from tunesmith.cli.compose import add_arguments

    for verb, add in (("compose", add_arguments), ("harmonize", lambda p: cocreate_arguments("harmonize", p))):
        parser = argparse.ArgumentParser()
        add(parser)
        args = ["--style", "chorale", "--voice-ranges", "T=C3:E4", "--out", "x"] + (["m.abc"] if verb == "harmonize" else [])
        assert parser.parse_args(args).voice_ranges == "T=C3:E4"


def test_the_constraint_check_reads_the_voice_ranges():
    from tunesmith.score import Note, Piece, Track

    piece = Piece("p", "w", tracks=[Track("T", "tenor", notes=[Note(47, 0.0, 1.0), Note(50, 1.0, 1.0)])])
    assert check_voice_ranges(piece, {"satb_ranges": {"T": [48, 64]}}) == ["tenor note 47 at beat 0 outside its range 48..64"]
    assert check_voice_ranges(piece, {}) == [] and check_voice_ranges(piece, {"satb_ranges": {"B": [40, 60]}}) == []
