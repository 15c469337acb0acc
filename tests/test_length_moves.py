"""A dance's note-length moves: the offset for each class of the next note's length after the class
of the note before (`sampling.feedback.LENGTH_CLASS_TICKS`, a dance's "length_moves" in
decoding.json, fitted by scripts/fit_length_moves.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from script_loader import load_script
from tunesmith.sampling.feedback import LENGTH_CLASSES, length_class
from tunesmith.tokenizer import DUR_TICKS

EIGHTH, QUARTER = length_class(6), length_class(12)


def _reel_moves(takes) -> np.ndarray:
    return load_script("scripts/fit_length_moves.py").length_moves([t.piece for t in takes])


def test_length_classes_name_the_lengths_a_fiddler_plays():
    names = {t: length_class(t) for t in (3, 4, 6, 8, 9, 12, 18, 24, 48)}
    assert names == {3: 0, 4: 1, 6: 2, 8: 3, 9: 3, 12: 4, 18: 5, 24: 6, 48: 7}  # a swung long eighth is a dotted one
    assert LENGTH_CLASSES == 8


def test_decoding_reads_a_dances_length_moves_and_refuses_a_bad_table(tmp_path):
    from tunesmith.inference import read_decoding

    profile = [1.0 if d == 6 else 0.0 for d in DUR_TICKS]
    moves = [[0.0] * LENGTH_CLASSES for _ in range(LENGTH_CLASSES)]
    moves[QUARTER][QUARTER] = 1.5
    folk = {"temperature": 1.0, "top_p": 1.0, "dance_rhythm_feedback": 1.0,
            "dances": {"reel": {"meter": "4/4", "rhythm_profile": profile, "pieces": 3, "length_moves": moves}}}  # fmt: skip
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": folk}))
    assert read_decoding(tmp_path)["folk"]["dances"]["reel"]["length_moves"][QUARTER][QUARTER] == 1.5
    for bad in (moves[:-1], [[*row[:-1], 9.0] for row in moves], [[*row[:-1], True] for row in moves]):
        folk["dances"]["reel"]["length_moves"] = bad
        (tmp_path / "decoding.json").write_text(json.dumps({"folk": folk}))
        with pytest.raises(ValueError, match=r"dances 'reel': length_moves must be 8 rows of 8 numbers in \[-4, 4\]"):
            read_decoding(tmp_path)


def test_a_length_gets_the_offset_for_its_class_after_the_note_before(monkeypatch):
    from tunesmith.sampling import _PITCH, ComposeRequest, Constrainer, compose_tables, feedback, set_rhythm_feedback
    from tunesmith.tokenizer import Tokenizer

    monkeypatch.setitem(feedback.MID_PHRASE_LONG_NOTE_PENALTIES, "reel", 0.0)  # the length moves alone
    monkeypatch.setattr(feedback, "RARE_LENGTH_PENALTIES", {})  # (its profile plays no length at all)

    moves = np.zeros((LENGTH_CLASSES, LENGTH_CLASSES))
    moves[QUARTER, QUARTER] = 2.0  # a quarter after a quarter
    moves[EIGHTH, QUARTER] = -1.0
    decoding = {"dance_rhythm_feedback": 0.0,
                "dances": {"reel": {"meter": "4/4", "rhythm_profile": [0.0] * len(DUR_TICKS), "length_moves": moves.tolist()}}}  # fmt: skip
    tok = Tokenizer()
    for weight, scale in ((None, 1.0), (0.5, 0.5), (0.0, 0.0)):
        req = ComposeRequest(style="folk", dance="reel", bars=4, rhythm_feedback=weight)
        tables = compose_tables(tok, req, 512)
        set_rhythm_feedback(tables, req, decoding)
        auto = Constrainer(tables, 0)
        auto.state, auto.v = _PITCH, 0
        if scale == 0.0:  # the request's rhythm feedback off: no moves either
            assert tables.length_moves is None and auto.rhythm_bias() is None
            continue
        assert auto.rhythm_bias() is None  # the first note: nothing before it
        auto.last_length_class[0] = QUARTER
        off = auto.rhythm_bias()
        assert off[DUR_TICKS.index(12)] == pytest.approx(2.0 * scale) and off[DUR_TICKS.index(13)] == pytest.approx(2.0 * scale)
        assert off[DUR_TICKS.index(6)] == 0.0
        auto.last_length_class[0] = EIGHTH
        assert auto.rhythm_bias()[DUR_TICKS.index(12)] == pytest.approx(-1.0 * scale)


def test_a_composed_reels_quarters_follow_its_length_moves(monkeypatch):
    """Decoding end to end: the automaton records each note's class as it is written, so a
    table that favours a quarter after a quarter writes many more of them than the model alone.
    (It had forbidden them, where the model alone wrote 8 or more; since the reel's note lengths
    are learned from its titled tunes, session 66, it writes 2 in these takes.)"""
    from tunesmith.api import compose, load_model
    from tunesmith.sampling import feedback

    monkeypatch.setitem(feedback.SECOND_LONG_NOTE_PENALTIES, "reel", 0.0)  # the table alone moves quarters
    model = load_model("default")
    entry = model.model.decoding["folk"]["dances"]["reel"]
    moves = np.zeros((LENGTH_CLASSES, LENGTH_CLASSES))
    monkeypatch.setitem(entry, "length_moves", moves.tolist())
    plain = _reel_moves(compose(style="folk", dance="reel", bars=8, seed=40, n=12, model=model, check=False))
    plain_off = _reel_moves(compose(style="folk", dance="reel", bars=8, seed=40, n=12, model=model, rhythm_feedback=0.0, check=False))
    moves[QUARTER, QUARTER] = 4.0
    monkeypatch.setitem(entry, "length_moves", moves.tolist())
    together = _reel_moves(compose(style="folk", dance="reel", bars=8, seed=40, n=12, model=model, check=False))
    assert together[QUARTER, QUARTER] >= max(8, 4 * plain[QUARTER, QUARTER]), (together[QUARTER, QUARTER], plain[QUARTER, QUARTER])
    # and with the request's rhythm feedback off the table does nothing: the same takes as with
    # no table (the feedback off changes other lengths too, so not the same as `plain`)
    off = _reel_moves(compose(style="folk", dance="reel", bars=8, seed=40, n=12, model=model, rhythm_feedback=0.0, check=False))
    assert np.array_equal(off, plain_off) and off[QUARTER, QUARTER] < together[QUARTER, QUARTER]


def test_the_fit_counts_moves_between_classes():
    from tunesmith.score import Note, Piece, TimeSignature, Track

    fit = load_script("scripts/fit_length_moves.py")
    lengths = [0.5, 0.5, 1.0, 1.0, 0.5, 2.0]
    onsets = np.concatenate(([0.0], np.cumsum(lengths)[:-1]))
    notes = [Note(60 + i, float(o), d) for i, (o, d) in enumerate(zip(onsets, lengths))]
    piece = Piece(piece_id="t", work_id="t", title="t", style="folk", source="s", license="CC0-1.0", split="train",
                  tracks=[Track("melody", "melody", notes=notes)], time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip
    counts = fit.length_moves([piece])
    half = length_class(24)
    assert counts[EIGHTH, EIGHTH] == 1 and counts[EIGHTH, QUARTER] == 1 and counts[QUARTER, QUARTER] == 1
    assert counts[QUARTER, EIGHTH] == 1 and counts[EIGHTH, half] == 1 and counts.sum() == 5
    assert fit.conditional(counts)[EIGHTH].sum() == pytest.approx(1.0)
    assert fit.distance(counts, counts) == 0.0



def _line(lengths: list[float]):
    from tunesmith.score import Note, Piece, TimeSignature, Track

    onsets = np.concatenate(([0.0], np.cumsum(lengths)[:-1]))
    notes = [Note(60 + i % 7, float(o), d) for i, (o, d) in enumerate(zip(onsets, lengths))]
    return Piece(piece_id="t", work_id="t", title="t", style="folk", source="s", license="CC0-1.0", split="train",
                 tracks=[Track("melody", "melody", notes=notes)], time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip


def test_the_fit_chooses_the_round_whose_takes_move_as_the_tunes_do(capsys):
    fit = load_script("scripts/fit_length_moves.py")
    tunes = [_line(([0.5] * 6 + [1.0, 1.0]) * 3) for _ in range(fit.MIN_TUNES)]  # eighths in runs, quarters in pairs
    alternating = _line([0.5, 1.0] * 4)
    asked = []

    def takes(offsets):  # a stand-in composer: alternating until any moves are given
        asked.append(offsets)
        return [alternating] * 10 if offsets is None else tunes

    report = fit.fit_rounds("reel", tunes, takes, rounds=2, damping=0.8)
    assert asked[0] is None and report["chosen_round"] == 1 and report["rounds"][1]["distance"] == 0.0
    moves = np.array(report["chosen_offsets"])
    assert moves[QUARTER, QUARTER] > 0 > moves[QUARTER, EIGHTH]  # a quarter after a quarter, not an eighth
    assert not moves[length_class(24)].any()  # a class the tunes play too seldom keeps 0
    assert "[length-moves] reel round 2" in capsys.readouterr().out
    assert fit.fit_rounds("reel", tunes[:3], takes, rounds=2, damping=0.8) == {
        "note": f"3 shippable training tunes, fewer than {fit.MIN_TUNES}: no moves"}
    with pytest.raises(SystemExit):
        fit.main(["--dances", "mazurka"])
    assert "--dances: among reel, jig" in capsys.readouterr().err


def test_a_reels_bar_does_not_go_on_in_beats_past_its_middle(monkeypatch):
    """A reel runs in eighths (`feedback.SLOW_BAR_PENALTIES`): a note of a beat or more that would
    start the second half of a bar whose notes so far all lasted a beat loses 2.0 (a fiddler read
    bars of E5 E5 E5 E4 as no reel); a bar with an eighth in it, the bar's first half, the piece's
    last bar and a request with rhythm feedback off are left alone."""
    from tunesmith.sampling import _PITCH, ComposeRequest, Constrainer, compose_tables, feedback, set_rhythm_feedback
    from tunesmith.tokenizer import Tokenizer

    monkeypatch.setitem(feedback.MID_PHRASE_LONG_NOTE_PENALTIES, "reel", 0.0)  # the slow bars alone
    monkeypatch.setitem(feedback.SECOND_LONG_NOTE_PENALTIES, "reel", 0.0)
    decoding = {"dance_rhythm_feedback": 0.0,
                "dances": {"reel": {"meter": "4/4", "rhythm_profile": [0.0] * len(DUR_TICKS)}}}  # fmt: skip

    def automaton(weight=None):
        req = ComposeRequest(style="folk", dance="reel", bars=8, meter="4/4", rhythm_feedback=weight)
        tables = compose_tables(Tokenizer(), req, 512)
        set_rhythm_feedback(tables, req, decoding)
        auto = Constrainer(tables, 0)
        auto.state, auto.v, auto.bar = _PITCH, 0, 2
        return auto

    def bias(auto, notes, pos):
        auto.melody_by_bar = [[], [], notes]
        auto.note_pos = pos
        b = auto.rhythm_bias()
        return np.zeros(len(auto.t.dur_ticks)) if b is None else b

    quarters, with_eighths = [(64, 12, 0), (64, 12, 12)], [(64, 12, 0), (64, 6, 12), (66, 6, 18)]
    auto = automaton()
    long = auto.t.dur_ticks >= auto.t.beat_ticks
    moved = bias(auto, quarters, 24) - bias(auto, with_eighths, 24)
    assert np.all(moved[long] == -2.0) and np.all(moved[~long] == 0.0)
    assert np.array_equal(bias(auto, [(64, 12, 0)], 12), bias(auto, [(64, 6, 0), (66, 6, 6)], 12))  # first half
    auto.bar = 7  # the piece's last bar (a reel's cadence bars take the rule: `RHYTHM_RULES_AT_CADENCES`)
    assert np.array_equal(bias(auto, quarters, 24), bias(auto, with_eighths, 24))
    off = automaton(0.0)
    assert np.array_equal(bias(off, quarters, 24), bias(off, with_eighths, 24))


def test_a_reels_bar_holds_one_long_note_and_its_cadence_bars_run_on(monkeypatch):
    """A reel's bar seldom holds two notes of a beat or more (the training reels' bars 0.06-0.21 of
    them by place in the strain, the takes' 0.22-0.56): a second one loses
    `SECOND_LONG_NOTE_PENALTIES` (1.0), in the strains' cadence bars too, as do the slow bars and the
    mid-phrase long notes (`RHYTHM_RULES_AT_CADENCES`: the takes' 4th and 8th bars had held 1.58 and
    1.80 long notes, the reels' 0.61 and 0.67); the piece's last bar is left alone."""
    from tunesmith.sampling import _PITCH, ComposeRequest, Constrainer, compose_tables, feedback, set_rhythm_feedback
    from tunesmith.tokenizer import Tokenizer

    monkeypatch.setattr(feedback, "RARE_LENGTH_PENALTIES", {})  # (its profile plays no length at all)
    decoding = {"dance_rhythm_feedback": 0.0,
                "dances": {"reel": {"meter": "4/4", "rhythm_profile": [0.0] * len(DUR_TICKS)}}}  # fmt: skip

    def bias(notes, pos, bar=2, cadence_bars=(3, 7)):
        req = ComposeRequest(style="folk", dance="reel", bars=8, meter="4/4")
        tables = compose_tables(Tokenizer(), req, 512)
        set_rhythm_feedback(tables, req, decoding)
        auto = Constrainer(tables, 0)
        auto.state, auto.v, auto.bar, auto.cadence_bars = _PITCH, 0, bar, list(cadence_bars)
        auto.melody_by_bar = [[]] * bar + [notes]
        auto.note_pos = pos
        b = auto.rhythm_bias()
        return np.zeros(len(auto.t.dur_ticks)) if b is None else b

    quarter_then_eighths, eighths = [(64, 12, 0), (66, 6, 12), (67, 6, 18)], [(64, 6, 0), (66, 6, 6), (67, 6, 12), (69, 6, 18)]
    beats = np.array(DUR_TICKS) >= 12
    halves = np.array(DUR_TICKS) >= 24
    moved = bias(quarter_then_eighths, 24) - bias(eighths, 24)
    assert np.all(moved[beats] == -feedback.SECOND_LONG_NOTE_PENALTIES["reel"]) and np.all(moved[~beats] == 0.0)
    # a cadence bar (the strain's 4th) takes the rules too: the half note's loss, and the second long note's
    at_cadence = bias(quarter_then_eighths, 24, bar=3)
    assert np.array_equal(at_cadence, bias(quarter_then_eighths, 24))
    assert np.all(at_cadence[halves] == -(feedback.SECOND_LONG_NOTE_PENALTIES["reel"] + feedback.MID_PHRASE_LONG_NOTE_PENALTIES["reel"]))
    assert not bias(quarter_then_eighths, 24, bar=7).any()  # the piece's last bar
    monkeypatch.setattr(feedback, "RHYTHM_RULES_AT_CADENCES", frozenset())
    assert not bias(quarter_then_eighths, 24, bar=3).any()  # as before session 65: cadence bars free


def test_a_dance_keeps_out_the_lengths_its_tunes_seldom_play(monkeypatch):
    """A reel's tunes play a dotted eighth for 0.04 % of their notes; its takes had played them (with
    a sixteenth after) 8 times in 20 takes, and they were a fresh classifier's strongest tell against
    held-out reels. A length the dance's profile gives less than `RARE_LENGTH_SHARE` loses
    `RARE_LENGTH_PENALTIES` (6) logits, for the melody, before the piece's last bar, with the
    request's rhythm feedback on; a dance without a penalty and the other lengths are left alone.
    The polka's share is its own (`RARE_LENGTH_SHARES`, 0.2 %): its dotted quarters, 0.11 % of its
    tunes' notes, had come 17 times in 40 polkas (docs/notes/2026-12-07-session-67/polka_lengths.py)."""
    from tunesmith.api import compose
    from tunesmith.metrics.musicality import melody_line
    from tunesmith.sampling import _PITCH, ComposeRequest, Constrainer, compose_tables, feedback, set_rhythm_feedback
    from tunesmith.tokenizer import Tokenizer

    for rule in ("MID_PHRASE_LONG_NOTE_PENALTIES", "SLOW_BAR_PENALTIES", "SECOND_LONG_NOTE_PENALTIES"):
        monkeypatch.setattr(feedback, rule, {})  # this rule alone
    profile = np.zeros(len(DUR_TICKS))
    profile[DUR_TICKS.index(6)], profile[DUR_TICKS.index(12)], profile[DUR_TICKS.index(9)] = 0.9, 0.098, 0.0005
    profile[DUR_TICKS.index(18)] = 0.0015  # under the polka's share, over the reel's
    decoding = {"dance_rhythm_feedback": 0.0, "dances": {d: {"meter": m, "rhythm_profile": profile.tolist()}
                                                          for d, m in (("reel", "4/4"), ("waltz", "3/4"),
                                                                       ("polka", "2/4"))}}  # fmt: skip

    def bias(dance="reel", meter="4/4", bar=2, v=0, weight=None):
        req = ComposeRequest(style="folk", dance=dance, bars=8, meter=meter, rhythm_feedback=weight)
        tables = compose_tables(Tokenizer(), req, 512)
        set_rhythm_feedback(tables, req, decoding)
        auto = Constrainer(tables, 0)
        auto.state, auto.v, auto.bar = _PITCH, v, bar
        b = auto.rhythm_bias()
        return np.zeros(len(DUR_TICKS)) if b is None else b

    kept = np.isin(DUR_TICKS, (6, 12, 18))
    plain = bias()
    assert np.all(plain[~kept] == -feedback.RARE_LENGTH_PENALTIES["reel"]) and np.all(plain[kept] == 0.0)
    polka = bias(dance="polka", meter="2/4", bar=4)
    assert polka[DUR_TICKS.index(18)] == -feedback.RARE_LENGTH_PENALTIES["polka"] and polka[DUR_TICKS.index(12)] == 0
    assert plain[DUR_TICKS.index(9)] < 0  # the dotted eighth, 0.0005 of the tunes' notes
    assert not bias(bar=7).any() and not bias(weight=0.0).any()  # the last bar; the feedback off
    assert not bias(dance="waltz", meter="3/4").any()  # no penalty for the waltz
    monkeypatch.undo()
    # end to end, every rule as shipped: no dotted eighth before the last bar of 20 reels; without
    # this one, some
    def dotted_eighths() -> int:
        takes = compose(style="folk", dance="reel", key="D", bars=16, seed=0, n=20, check=False)
        return sum(abs(n.duration - 0.75) < 1e-6 and n.onset < t.piece.bars()[-1] - 1e-6
                   for t in takes for n in melody_line(t.piece))  # fmt: skip

    def dotted_quarters() -> int:
        takes = compose(style="folk", dance="polka", key="D", bars=16, seed=0, n=20, check=False)
        return sum(abs(n.duration - 1.5) < 1e-6 and n.onset < t.piece.bars()[-1] - 1e-6
                   for t in takes for n in melody_line(t.piece))  # fmt: skip

    assert dotted_eighths() == 0 and dotted_quarters() == 0
    monkeypatch.setitem(feedback.RARE_LENGTH_PENALTIES, "reel", 0.0)
    monkeypatch.setitem(feedback.RARE_LENGTH_PENALTIES, "polka", 0.0)
    assert dotted_eighths() >= 3 and dotted_quarters() >= 3
