"""The chord-root offsets a style's decoding may hold (`sampling.set_root_offsets`, fitted by
scripts/fit_root_offsets.py): a chord root's logit by its degree. Under 60 headers the pop composer
had written I and V in 0.86 of its chord time and IV in 0.04 (Billboard's songs: 0.55 and 0.20);
jazz wrote I in 0.43 of it, its tunes 0.24-0.34 (docs/notes/2026-12-05-session-50/root_shares.py).
The fitted offsets are not shipped: they brought the roots to the songs' shares, but the melodies
written over them were heard in the key asked 8-9 points less often (session 50's note)."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

import tunesmith as ts
from tunesmith.harmony import parse_chord
from tunesmith.sampling.decode import _shift_within


def test_a_shift_within_the_allowed_ids_keeps_their_total_share():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=20)
    ids, offsets = np.array([3, 4, 5, 6]), np.array([2.0, 0.0, -1.0, 5.0])
    allowed = np.array([0, 1, 3, 4, 5, 9])  # id 6 is not allowed: its offset plays no part
    out = _shift_within(logits, allowed, ids, offsets)
    p = lambda x: np.exp(x[allowed]) / np.exp(x[allowed]).sum()  # noqa: E731
    before, after = p(logits), p(out)
    on = np.isin(allowed, ids)
    assert after[on].sum() == pytest.approx(before[on].sum())  # a root is drawn as often as before
    assert after[~on] == pytest.approx(before[~on])
    # ... and among the roots, each one's odds move by its offset
    assert out[3] - out[4] == pytest.approx(logits[3] - logits[4] + 2.0)
    assert out[5] - out[4] == pytest.approx(logits[5] - logits[4] - 1.0)
    assert out[6] == logits[6] and out is not logits
    # one allowed root (a cadence's): nothing to shift
    assert _shift_within(logits, np.array([0, 3]), ids, offsets) is logits


def test_the_decoding_file_checks_root_offsets(tiny_model_folder, tmp_path):
    from tunesmith import pretrained

    folder = tmp_path / "m"
    shutil.copytree(tiny_model_folder, folder)
    for bad in ({"major": [0.0] * 11}, {"dorian": [0.0] * 12}, {"major": [0.0] * 11 + [5.0]}, [0.0] * 12):
        (folder / "decoding.json").write_text(json.dumps({"pop": {"root_offsets": bad}}))
        with pytest.raises(ValueError, match=r"decoding.json: pop: root_offsets must map major and/or minor to 12 numbers in \[-4, 4\]"):
            pretrained.load(str(folder))


def test_root_offsets_are_off_for_the_tuner_four_parts_the_musicians_chords_and_other_modes():
    """The tuner's requests turn the decoding-time feedback off (its replay scores the model's
    masked distribution alone); the musician's chords are a control; the fit is for major keys."""
    from tunesmith.sampling import ComposeRequest, compose_tables, set_root_offsets

    model = ts.load_model("default")
    tuned = {"root_offsets": {"major": [float(d) / 4 - 1 for d in range(12)]}}
    cases = ((ComposeRequest(style="jazz"), True), (ComposeRequest(style="jazz", tonal_feedback=0.0), False),
             (ComposeRequest(style="jazz", chords=("Dm7", "G7")), False), (ComposeRequest(style="jazz", mode="minor"), False),
             (ComposeRequest(style="chorale", layout="satb"), False))  # fmt: skip
    for request, on in cases:
        tables = compose_tables(model.tokenizer, request, 1024)
        set_root_offsets(tables, request, tuned)
        assert (tables.root_offsets is not None) == on, request
    # the offset of a root is its degree's in the take's key: the dominant's in F is the one on C
    request = ComposeRequest(style="jazz", key="F")
    tables = compose_tables(model.tokenizer, request, 1024)
    set_root_offsets(tables, request, tuned)
    by_pc = {tables.root_pc[int(i)]: v for i, v in zip(tables.root_offset_ids, tables.root_offsets)}
    assert by_pc[0] == pytest.approx(tuned["root_offsets"]["major"][7])
    assert by_pc[5] == pytest.approx(tuned["root_offsets"]["major"][0])


def _degree_time(pieces) -> np.ndarray:
    time = np.zeros(12)
    for p in pieces:
        chords = sorted(p.chords, key=lambda c: c.onset)
        for c, nxt in zip(chords, [*chords[1:], None]):
            end = nxt.onset if nxt is not None else p.duration()
            time[(parse_chord(c.figure)[0] - p.key.tonic_pc) % 12] += end - c.onset
    return time / time.sum()


def test_root_offsets_move_the_chords_toward_their_degrees():
    """The same 30 jazz requests without root offsets and with a table that favours vi and
    disfavours I (as a fit toward the tunes did): the tonic's share of chord time falls, vi's rises,
    and a chord is written about as often (the roots' total share of the step is kept)."""
    model = ts.load_model("default")
    decoding = model.model.decoding["jazz"]
    assert "root_offsets" not in decoding  # the shipped decoding holds none (the module docstring)

    def takes():
        keys = ("C", "F", "Bb", "Eb", "G", "D")
        return [ts.compose("jazz", key=keys[s % 6], bars=16, seed=s, model=model, check=False).piece for s in range(30)]

    without = takes()
    decoding["root_offsets"] = {"major": [-0.5, 0, 0, 0, 0, 0, 0, 0, 0, 1.0, 0, 0]}
    try:
        with_offsets = takes()
    finally:
        decoding.pop("root_offsets")
    a, b = _degree_time(without), _degree_time(with_offsets)
    assert b[0] <= a[0] - 0.03, (b[0], a[0])
    assert b[9] >= a[9] + 0.03, (b[9], a[9])
    count = lambda pieces: sum(len(p.chords) for p in pieces)  # noqa: E731
    assert abs(count(with_offsets) - count(without)) <= 0.15 * count(without)


def test_offset_rounds_put_the_decoding_back_even_when_a_round_fails(monkeypatch):
    from tunesmith.evaluation import feedback_fit, musicality

    class Model:
        decoding = {"pop": {"root_offsets": {"major": [0.5] * 12}}}

    monkeypatch.setattr(musicality, "compose_like", lambda *a, **k: [])
    rounds = feedback_fit.offset_rounds(Model, None, "pop", [], "root_offsets", np.zeros(12), np.full(12, 1 / 12),
                                        lambda takes: np.full(12, 1 / 12), lambda o: {"major": o.tolist()},
                                        lambda *a: None, rounds=2, damping=0.8, seed=0)  # fmt: skip
    assert [r for r, _, _ in rounds] == [0, 1, 2] and Model.decoding["pop"]["root_offsets"] == {"major": [0.5] * 12}

    def broken(takes):
        raise RuntimeError("no takes")

    with pytest.raises(RuntimeError, match="no takes"):
        feedback_fit.offset_rounds(Model, None, "pop", [], "root_offsets", np.zeros(12), np.full(12, 1 / 12), broken,
                                   lambda o: {"major": o.tolist()}, lambda *a: None, rounds=2, damping=0.8, seed=0)  # fmt: skip
    assert Model.decoding["pop"]["root_offsets"] == {"major": [0.5] * 12}
