"""The decoding-fit scripts merge what they choose into a model's decoding.json: a style's other
entries and the other styles stay (tune_decoding.py --write once replaced the whole file)."""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from script_loader import load_script  # noqa: E402
from tunesmith.inference import read_decoding  # noqa: E402


def test_tune_decoding_write_merges_into_the_file(tmp_path):
    tune = load_script("scripts/tune_decoding.py")
    (tmp_path / "decoding.json").write_text(json.dumps({
        "folk": {"temperature": 0.9, "top_p": 1.0, "pickups": {"6/8": {"0": 0.6, "0.5": 0.4}}},
        "chorale": {"temperature": 0.6, "top_p": 0.95, "rhythm_feedback": 1.5},
        "note": "kept",
    }))  # fmt: skip
    out = {"chosen": {"chorale": {"temperature": 0.5, "top_p": 0.95, "rhythm_temperature": 0.8}}}
    tune._finish(out, Namespace(json=None, write=True, model=str(tmp_path)))
    data = json.loads((tmp_path / "decoding.json").read_text())
    assert data["note"] == "kept" and "sampling_chosen_on" in data
    d = read_decoding(tmp_path)
    assert d["chorale"] == {"temperature": 0.5, "top_p": 0.95, "rhythm_temperature": 0.8, "rhythm_feedback": 1.5}
    assert d["folk"]["temperature"] == 0.9 and d["folk"]["pickups"] == {"6/8": {"0": 0.6, "0.5": 0.4}}


def test_fit_pickups_reads_the_header_as_the_tokenizer_writes_it():
    from tunesmith.tokenizer import Tokenizer

    fit = load_script("scripts/fit_pickups.py")
    tok = Tokenizer()
    with_pickup = tok.header_ids("folk", "D", "major", "6/8", 120.0, 9, "lead", 30) + [tok.bar_id]
    without = tok.header_ids("folk", "D", "major", "6/8", 120.0, 8, "lead") + [tok.bar_id]
    assert fit.header_pickup(tok, with_pickup) == 30 and fit.header_pickup(tok, without) == 0
