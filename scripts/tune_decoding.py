"""Choose each style's decoding defaults (temperature, rhythm temperature, top-p) on the VALIDATION split, and show
the quality-diversity trade-off of the whole grid.

    python scripts/tune_decoding.py --model runs/default2 --per-style 60 --json runs/decoding.json

Quality: a fresh classifier's two-sample accuracy, takes vs real validation pieces of the style
(0.5 = cannot tell; lower is better), plus the musicality measures. Diversity: 1 - the mean
share of a take's melodic interval 4-grams found in another take of the same setting (self-
similarity across takes; a collapsed model scores near 0). The chosen setting per style: among
the settings whose classifier accuracy is within one standard error of the best (differences
smaller than that are noise at this sample size), the one whose diversity is closest to the
real validation music's own (neither collapsed nor more scattered than real tunes). It is
written to `decoding.json` in the model folder with --write; `--reselect FILE` applies the rule
to a saved grid without composing again.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

from tunesmith.evaluation.musicality import (
    MusicalityConfig,
    c2st_accuracy,
    compose_like,
    measure,
    real_pieces,
)
from tunesmith.metrics._common import melody_line
from tunesmith.paths import atomic_write_text
from tunesmith.score import STYLES


def self_similarity(pieces, n: int = 4) -> float:
    grams = []
    for p in pieces:
        notes = melody_line(p)
        iv = [b.pitch - a.pitch for a, b in zip(notes, notes[1:])]
        grams.append({tuple(iv[i : i + n]) for i in range(len(iv) - n + 1)})
    shares = []
    for i, g in enumerate(grams):
        if not g:
            continue
        others = set().union(*(h for j, h in enumerate(grams) if j != i))
        shares.append(len(g & others) / len(g))
    return float(np.mean(shares)) if shares else float("nan")


def _mean(values: list[float]) -> float:
    """The mean of the finite values (NaN if none: a measure undefined for the style)."""
    finite = [v for v in values if np.isfinite(v)]
    return float(np.mean(finite)) if finite else float("nan")


def choose(grid: dict) -> dict:
    """The rule in the module docstring, on one style's grid."""
    rows, n = grid["rows"], 2 * grid.get("n", 40)  # the classifier sees real + generated pieces
    best = min(r["c2st"] for r in rows)
    se = float(np.sqrt(max(best * (1 - best), 1e-6) / n))
    near = [r for r in rows if r["c2st"] <= best + se]
    pick = min(near, key=lambda r: (abs(r["diversity"] - grid["real_diversity"]), r["c2st"]))
    chosen = {"temperature": pick["temperature"], "top_p": pick["top_p"]}
    if pick.get("rhythm_temperature") is not None:
        chosen["rhythm_temperature"] = pick["rhythm_temperature"]
    return chosen


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--per-style", type=int, default=60)
    ap.add_argument("--styles", default=",".join(STYLES))
    ap.add_argument("--temperatures", default="0.8,0.9,1.0,1.1")
    ap.add_argument("--top-ps", default="0.9,0.95,1.0")
    ap.add_argument(
        "--rhythm-temperatures",
        default="same",
        help="rhythm-token temperatures to try, 'same' meaning equal to the temperature (e.g. 'same,1.0')",
    )
    ap.add_argument("--seeds", default="1",
                    help="comma-separated seeds: each setting's classifier accuracy, diversity and measures are "
                    "averaged over one set of takes per seed (one set's accuracy moves by about 0.05)")  # fmt: skip
    ap.add_argument("--json", default=None)
    ap.add_argument("--write", action="store_true", help="write decoding.json into the model folder")
    ap.add_argument("--reselect", default=None, help="a saved --json grid: apply the rule again, compose nothing")
    args = ap.parse_args(argv)
    if args.reselect:
        out = json.loads(Path(args.reselect).read_text())
        out["chosen"] = {style: choose(g) for style, g in out["grid"].items()}
        _finish(out, args)
        return 0

    from tunesmith.corpus import load_corpus
    from tunesmith.inference import load_numpy_model

    model, tok, _ = load_numpy_model(args.model)
    corpus = load_corpus(None)
    styles = [s for s in args.styles.split(",") if s]
    temps = [float(x) for x in args.temperatures.split(",")]
    tops = [float(x) for x in args.top_ps.split(",")]
    rhythms = [None if x == "same" else float(x) for x in args.rhythm_temperatures.split(",")]
    seeds = [int(x) for x in args.seeds.split(",")]
    out = {"model": args.model, "split": "valid", "grid": {}, "chosen": {}}
    for style in styles:
        valid = {style: list(corpus.filter(split="valid", style=style))}
        reals = real_pieces(valid, style, args.per_style, seed=seeds[0])
        if len(reals) < 8:
            print(f"{style}: only {len(reals)} validation pieces with a melody; skipped")
            continue
        rows = []
        for t, p, r in itertools.product(temps, tops, rhythms):
            if r is not None and r == t and None in rhythms:
                continue  # the same as 'same'
            per_seed = []
            for seed in seeds:
                held = real_pieces(valid, style, args.per_style, seed=seed)
                cfg = MusicalityConfig(per_style=len(held), seed=seed, temperature=t, top_p=p)
                takes = compose_like(model, tok, held, style, cfg, rhythm_temperature=r)
                per_seed.append({"c2st": c2st_accuracy(held, takes, 5, seed), "diversity": 1.0 - self_similarity(takes),
                                 **measure(takes)})  # fmt: skip
            row = {"temperature": t, "rhythm_temperature": r, "top_p": p,
                   **{k: _mean([m[k] for m in per_seed]) for k in per_seed[0]}}  # fmt: skip
            if len(seeds) > 1:
                row["c2st_per_seed"] = [m["c2st"] for m in per_seed]
            rows.append(row)
            print(f"{style} T={t} rhythm T={r or t} p={p}: c2st {row['c2st']:.3f} diversity {row['diversity']:.3f}", flush=True)
        out["grid"][style] = {
            "real": measure(reals),
            "real_diversity": 1.0 - self_similarity(reals),
            "n": len(reals) * len(seeds),  # pieces each classifier figure rests on
            "seeds": seeds,
            "rows": rows,
        }
        out["chosen"][style] = choose(out["grid"][style])
    _finish(out, args)
    return 0


def _finish(out: dict, args) -> None:
    print(json.dumps(out["chosen"], indent=1))
    if args.json:
        atomic_write_text(args.json, json.dumps(out, indent=1) + "\n")
    if args.write:
        # merged into the file: the style's other entries (profiles, gains, pickups) and the other
        # styles stay as they are (before, --write replaced the whole file with the chosen values)
        from tunesmith.inference import update_decoding_file

        update_decoding_file(Path(args.model), out["chosen"], "sampling_chosen_on",
                             "validation split, scripts/tune_decoding.py " + " ".join(sys.argv[1:]))  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
