"""A dance's own interval offsets ("interval_offsets" in its entry of the folk decoding's "dances",
fitted by scripts/fit_dance_intervals.py): they replace the style's for takes of that dance."""

from __future__ import annotations

import json

import numpy as np
import pytest

from script_loader import load_script
from tunesmith.tokenizer import DUR_TICKS

STYLE = [0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, -1.0, -1.0, -1.0, -1.0, -2.0]
JIG = [0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, -3.0, -3.0, -3.0, -3.0, -3.0, -4.0]


def _folk() -> dict:
    profile = [1.0 if d == 6 else 0.0 for d in DUR_TICKS]
    return {"temperature": 0.9, "top_p": 1.0, "interval_offsets": STYLE, "dance_rhythm_feedback": 1.0,
            "dances": {"jig": {"meter": "6/8", "rhythm_profile": profile, "pieces": 3, "interval_offsets": JIG},
                       "reel": {"meter": "4/4", "rhythm_profile": profile, "pieces": 3}}}  # fmt: skip


def test_decoding_reads_a_dances_interval_offsets_and_refuses_a_bad_table(tmp_path):
    from tunesmith.inference import read_decoding

    folk = _folk()
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": folk}))
    read = read_decoding(tmp_path)["folk"]["dances"]
    assert read["jig"]["interval_offsets"] == JIG and "interval_offsets" not in read["reel"]
    for bad in (JIG[:-1], [*JIG[:-1], -9.0], [*JIG[:-1], None]):
        folk["dances"]["jig"]["interval_offsets"] = bad
        (tmp_path / "decoding.json").write_text(json.dumps({"folk": folk}))
        with pytest.raises(ValueError, match=r"dances 'jig': interval_offsets must be 14 numbers in \[-4, 4\]"):
            read_decoding(tmp_path)


@pytest.mark.parametrize(
    ("dance", "weight", "want"),
    [
        ("jig", None, JIG),
        ("jig", 0.5, [0.5 * v for v in JIG]),
        ("reel", None, STYLE),
        (None, None, STYLE),
        ("jig", 0.0, None),
    ],
)
def test_a_dance_with_offsets_of_its_own_uses_them_instead_of_the_styles(dance, weight, want):
    from tunesmith.sampling import ComposeRequest, compose_tables, set_interval_feedback
    from tunesmith.tokenizer import Tokenizer

    meter = "6/8" if dance == "jig" else "4/4"
    req = ComposeRequest(style="folk", key="D", bars=4, meter=meter, dance=dance, interval_feedback=weight)
    tables = compose_tables(Tokenizer(), req, 512)
    set_interval_feedback(tables, req, _folk())
    if want is None:  # the request's interval feedback off: neither table
        assert tables.interval_offsets is None
    else:
        assert tables.interval_offsets.tolist() == pytest.approx(want)


def test_a_jig_composed_under_a_table_that_forbids_wide_leaps_leaps_less(monkeypatch):
    """Decoding end to end: the same requests, the dance's table against none (the style's)."""
    from tunesmith.api import compose, load_model
    from tunesmith.metrics._common import melody_line

    model = load_model("default")
    entry = model.model.decoding["folk"]["dances"]["jig"]

    def wide_share() -> float:
        takes = compose(style="folk", dance="jig", key="D", bars=8, seed=5, n=12, model=model, check=False)
        moves = np.array(
            [abs(b.pitch - a.pitch) for t in takes for a, b in zip(melody_line(t.piece), melody_line(t.piece)[1:])]
        )
        return float((moves >= 8).mean())

    monkeypatch.delitem(entry, "interval_offsets", raising=False)
    plain = wide_share()
    monkeypatch.setitem(entry, "interval_offsets", [0.0] * 8 + [-4.0] * 6)
    assert plain >= 0.02 and wide_share() <= plain / 4, (plain, wide_share())


def test_the_fit_leaves_a_dance_with_few_tunes_on_the_styles_offsets():
    fit = load_script("scripts/fit_dance_intervals.py")
    # (no model is needed: nothing is composed)
    assert fit.fit_dance(None, "slip-jig", [object()] * 7, 1, 0.8, 4, 0) == {
        "note": f"7 shippable training tunes, fewer than {fit.MIN_TUNES}: the style's offsets"
    }


def test_a_refit_whose_round_0_wins_drops_the_dances_former_offsets(tmp_path, monkeypatch):
    """`fit_dance_profiles.fit_each_dance --write`: a dance whose fit chose round 0 (the style's
    offsets) loses a former fit's table; a dance whose fit chose a later round gets that round's."""
    import argparse
    import shutil

    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    folder = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, folder)
    profiles = load_script("scripts/fit_dance_profiles.py")
    monkeypatch.setattr("tunesmith.corpus.load_corpus", lambda *a, **k: None)
    monkeypatch.setattr(profiles, "dance_pieces", lambda corpus, dance, split: [])
    chosen = {"jig": {"chosen_round": 0, "chosen_offsets": None}, "polka": {"chosen_round": 2, "chosen_offsets": JIG}}

    def fit_dance(model, dance, tunes, rounds, damping, n, seed):
        return chosen[dance]

    ap = argparse.ArgumentParser()
    args = argparse.Namespace(dances="jig,polka", model=str(folder), rounds=2, damping=0.8, n=4, seed=0, json=None, write=True)
    before = json.loads((folder / "decoding.json").read_text())["folk"]["dances"]
    assert "interval_offsets" in before["jig"] and before["polka"]["interval_offsets"] != JIG
    assert profiles.fit_each_dance(ap, args, [], "fit_dance_intervals.py", fit_dance, "interval_offsets", "x_fitted_on") == 0
    after = json.loads((folder / "decoding.json").read_text())
    assert "interval_offsets" not in after["folk"]["dances"]["jig"] and after["folk"]["dances"]["polka"]["interval_offsets"] == JIG
    assert after["folk"]["dances"]["hornpipe"] == before["hornpipe"] and "fit_dance_intervals.py" in after["x_fitted_on"]
