"""What the feedback fits share (scripts/fit_tonal_feedback.py, scripts/fit_rhythm_feedback.py,
scripts/fit_interval_feedback.py, scripts/fit_pitch_offsets.py): their gain grid and sample size
checked before any work, the model they fit loaded, the rounds of the offset fits (their arguments
and their damped step) and the writing of what was chosen."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

EPS = 0.002  # an offset fit's smoothing of a share: a size or pitch at 0.1 % moves its offset little
CLIP = 3.0  # no offset moves a logit by more than this


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


def header_sample(pieces, n: int, seed: int) -> list:
    """Up to `n` of `pieces` in an order shuffled by `seed`: the tunes whose headers a fit composes
    its takes under."""
    import random

    heads = list(pieces)
    random.Random(seed).shuffle(heads)
    return heads[:n]


def add_round_fit_arguments(ap: argparse.ArgumentParser, rounds: int, styles: bool = True) -> None:
    """The arguments every round-by-round offset fit takes (`--model`, `--styles` unless `styles`
    is False, `--rounds`, `--damping`, `--n`, `--seed`, `--json`, `--write`); checked by
    `check_round_fit` (and `round_fit_styles`)."""
    ap.add_argument("--model", default="default")
    if styles:
        ap.add_argument("--styles", default="folk")
    ap.add_argument("--rounds", type=int, default=rounds)
    ap.add_argument("--damping", type=float, default=0.8)
    ap.add_argument("--n", type=int, default=150, help="tunes whose headers the takes are composed under, per style")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", default=None, help="write the fit's report here")
    ap.add_argument("--write", action="store_true", help="store the chosen offsets in the model's decoding.json")


def check_round_fit(ap: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """`--rounds`, `--damping` and `--n` checked; a bad value stops the script with one line."""
    if not 1 <= args.rounds <= 10 or not 0 < args.damping <= 1 or not 4 <= args.n <= 2000:
        ap.error("--rounds must be in 1..10, --damping in (0, 1] and --n in 4..2000")


def round_fit_styles(ap: argparse.ArgumentParser, args: argparse.Namespace, styles_help: str) -> list[str]:
    """`--styles` as a list, once `--rounds`, `--damping`, `--n` and the styles are checked; a bad
    value stops the script with one line (`ap.error`; `styles_help` says which styles it fits)."""
    check_round_fit(ap, args)
    styles = [s for s in args.styles.split(",") if s]
    if not styles or set(styles) - {"folk", "pop", "jazz", "chorale"}:
        ap.error(f"--styles: among {styles_help}")
    return styles


def damped_step(offsets: np.ndarray, target: np.ndarray, got: np.ndarray, damping: float) -> np.ndarray:
    """One round of an offset fit: `offsets` + damping * log(target / got), the shares or rates
    smoothed by EPS, clipped to +-CLIP."""
    return np.clip(offsets + damping * np.log((target + EPS) / (got + EPS)), -CLIP, CLIP)


def offset_rounds(model, tok, style: str, heads: list, key: str, start: np.ndarray, target: np.ndarray, measure,
                  stored, say, rounds: int, damping: float, seed: int, **overrides: Any) -> list[tuple[int, np.ndarray, np.ndarray]]:  # fmt: skip
    """Round 0 with `start` as the style's decoding `key` (`stored(offsets)`: as decoding.json holds
    it), then each round one damped step toward `target` of what `measure` reads from the takes
    under `heads` (`evaluation.musicality.compose_like`, with `overrides` in every request);
    (round, offsets, measured) per round, each also said by `say(round, offsets, measured,
    seconds)`. The decoding's own `key` is put back after."""
    import time

    from tunesmith.evaluation.musicality import MusicalityConfig, compose_like

    decoding = model.decoding.setdefault(style, {})
    kept = decoding.pop(key, None)
    offsets, out = start, []
    try:
        for r in range(rounds + 1):
            t0 = time.time()
            decoding[key] = stored(offsets)
            config = MusicalityConfig(per_style=max(4, len(heads)), seed=seed)
            got = measure(compose_like(model, tok, heads, style, config, **overrides))
            out.append((r, offsets, got))
            say(r, offsets, got, time.time() - t0)
            offsets = damped_step(offsets, target, got, damping)
    finally:
        decoding.pop(key, None)
        if kept is not None:
            decoding[key] = kept
    return out


def run_round_fit(script: str, args: argparse.Namespace, argv: list[str] | None, styles: list[str],
                  fit_one: Any) -> tuple[Path, dict, str]:  # fmt: skip
    """Load `--model` and the corpus, fit each style on its shippable training pieces
    (`fit_one(model, tokenizer, style, pieces)` -> that style's report), print each style's chosen
    round and write the report to `--json` (atomically). Returns (model folder, report, the
    command line that `write_fitted` records)."""
    import json
    import sys
    import time

    from tunesmith.corpus import load_corpus
    from tunesmith.paths import atomic_write_text

    folder, model, tok = fit_model(args.model)
    corpus = load_corpus(None)
    command = " ".join([f"python scripts/{script}", *(sys.argv[1:] if argv is None else argv)])
    report: dict = {"command": command, "styles": {}}
    t0 = time.time()
    for style in styles:
        report["styles"][style] = fit_one(model, tok, style, fit_pieces(corpus.filter(split="train", style=style, shippable=True)))
    report["seconds"] = round(time.time() - t0, 1)
    print(json.dumps({s: r.get("chosen_round", r.get("note")) for s, r in report["styles"].items()}))
    if args.json:
        atomic_write_text(args.json, json.dumps(report, indent=1) + "\n")
    return folder, report, command

