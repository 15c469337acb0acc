"""What the feedback fits share (scripts/fit_tonal_feedback.py, scripts/fit_rhythm_feedback.py,
scripts/fit_interval_feedback.py): their gain grid and sample size checked before any work, and the
model they fit loaded."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def fit_setup(ap: argparse.ArgumentParser, args: argparse.Namespace) -> tuple[list[float], Path, Any, Any]:
    """(gains, model folder, numpy model, tokenizer) from `--gains`, `--n` and `--model`; a bad
    grid or size stops the script with one line (`ap.error`)."""
    try:
        gains = [float(g) for g in args.gains.split(",") if g]
    except ValueError:
        ap.error("--gains: numbers separated by commas")
    if not gains or any(not 0 <= g <= 4 for g in gains) or not 4 <= args.n <= 2000:
        ap.error("--gains must be in [0, 4] and --n in 4..2000")

    return (gains, *fit_model(args.model))


def fit_model(name: str) -> tuple[Path, Any, Any]:
    """(model folder, numpy model, tokenizer) of `--model` ("default": the shipped model)."""
    from tunesmith.inference import load_numpy_model
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    folder = Path(DEFAULT_MODEL_DIR if name == "default" else name)
    model, tok, _info = load_numpy_model(folder)
    return folder, model, tok


def chosen_gain(report: dict[str, Any], started: float, json_path: str | None) -> str:
    """The key of `report["gains"]` whose row has the least "distance", recorded in the report as
    "chosen_gain" with the minutes since `started` (time.time()); the report is written to
    `json_path` (atomically) when one is given."""
    import json
    import time

    from tunesmith.paths import atomic_write_text

    best = min(report["gains"], key=lambda g: report["gains"][g]["distance"])
    report["chosen_gain"] = float(best)
    report["minutes"] = round((time.time() - started) / 60, 1)
    if json_path:
        atomic_write_text(json_path, json.dumps(report, indent=1) + "\n")
    return best


def fit_pieces(pieces) -> list:
    """The pieces a feedback is fitted on: those with a key and a melody of at least 8 notes."""
    return [p for p in pieces if p.key is not None and p.melody() is not None and len(p.melody().notes) >= 8]


def write_fitted(folder: Path, entries: dict[str, dict], name: str, note_key: str, command: str) -> None:
    """Store a fit's chosen `entries` ({style: {key: value}}) in the model's decoding.json
    (atomically), with `note_key` recording the command, or say that no style changed."""
    from tunesmith.inference import update_decoding_file

    if entries:
        update_decoding_file(folder, entries, note_key, "shippable training split; " + command)
        print(f"wrote {name} for {', '.join(entries)} into the model's decoding.json")
    else:
        print(f"no style's takes came nearer the tunes with {name}; decoding.json left as it was")
