"""Fit the chorale plan's stay cost (decoding.json's chorale "plan_stay_cost") to Bach's harmonic rhythm.

    python scripts/fit_plan_stay_cost.py [--model default|FOLDER] [--costs 0,0.1,...,1]
        [--json runs/plan_stay_cost.json] [--write]

What it corrects: a harmonized chorale's voices aim at the chorale harmonizer's chord on every
beat (`Harmonizer.plan`). Each beat's most likely chord is the chord of the beat before more often
than Bach's is, most of all under held soprano notes (session 67: 0.305 of the JSB validation
sopranos' beats, Bach's settings 0.257). The best path in which keeping a chord costs `plan_stay_cost`
changes chord more often.

How: on the JSB validation sopranos (public domain, the split the harmonizer stopped early on),
Bach's chord on each beat is read from his four voices (`harmonizer.voice_labels`); for each cost
on the grid, the share of beats whose planned chord is the one of the beat before; the cost whose
share is nearest Bach's is chosen. Its labels' agreement with Bach's is reported beside it. The
chorale harmonizer is the one in FOLDER where it holds one (`scripts/fit_harmonizer.py --out`),
else the package's.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

import numpy as np


def plan_inputs(net, pieces) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per four-part chorale: (the plan's label scores per beat, as `Harmonizer.plan` reads its
    soprano, and Bach's label per beat, -1 where none)."""
    from tunesmith.harmonizer import _only, mode_scale, units_for, voice_labels
    from tunesmith.score import KeySignature

    out = []
    for p in pieces:
        key = KeySignature(0.0, p.keys[0].tonic, p.keys[0].mode)
        soprano = copy.copy(p)
        soprano.tracks = [t for t in p.tracks if t.notes][:1]
        soprano.keys, soprano.style = [key], "chorale"
        units = units_for(soprano, "beat")
        out.append((_only(net.log_probs(soprano, units, key), key, None, mode_scale(key)), voice_labels(p, units, key)))
    return out


def kept_share(paths: list[np.ndarray]) -> float:
    """The share of beats (after the first, both labelled) whose label is the beat before's."""
    same = total = 0
    for path in paths:
        ok = (path[1:] >= 0) & (path[:-1] >= 0)
        same += int((path[1:] == path[:-1])[ok].sum())
        total += int(ok.sum())
    return same / max(total, 1)


def fit(net, inputs, costs: list[float]) -> dict:
    """{"bach": Bach's kept share, "rows": [{cost, kept, agreement}], "chosen": the cost nearest}."""
    bach = kept_share([labels for _, labels in inputs])
    rows = []
    for cost in costs:
        paths = [net.decode(logp, style="chorale", stay_cost=cost) for logp, _ in inputs]
        agree = sum(int((path[labels >= 0] == labels[labels >= 0]).sum()) for path, (_, labels) in zip(paths, inputs))
        n = sum(int((labels >= 0).sum()) for _, labels in inputs)
        rows.append({"cost": cost, "kept": round(kept_share(paths), 4), "agreement": round(agree / max(n, 1), 4)})
    chosen = min(rows, key=lambda r: (abs(r["kept"] - bach), r["cost"]))["cost"]
    return {"bach": round(bach, 4), "rows": rows, "chosen": chosen}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="default", help="'default' (the package's) or a model folder")
    ap.add_argument("--costs", default="0,0.1,0.15,0.2,0.25,0.3,0.4,0.5,0.75,1")
    ap.add_argument("--json", default=None)
    ap.add_argument("--write", action="store_true", help="store the chosen cost in the model's decoding.json")
    args = ap.parse_args(argv)
    try:
        costs = [float(x) for x in args.costs.split(",")]
    except ValueError:
        ap.error(f"--costs {args.costs!r}: give comma-separated numbers")
    if not costs or any(not 0 <= c <= 4 for c in costs):
        ap.error(f"--costs {args.costs!r}: each cost must be in [0, 4] (decoding.json's bound)")

    from tunesmith.corpus import load_corpus
    from tunesmith.harmonizer import CHORALE_FILE, load_harmonizer
    from tunesmith.inference import update_decoding_file
    from tunesmith.paths import atomic_write_text
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    folder = Path(DEFAULT_MODEL_DIR) if args.model == "default" else Path(args.model)
    own = (folder / CHORALE_FILE).is_file()
    net = load_harmonizer(str(folder) if own else None, kind="chorale")
    pieces = [p for p in load_corpus(None).filter(split="valid", style="chorale")
              if p.source == "jsb" and p.keys and len(p.tracks) >= 4]  # fmt: skip
    if not pieces:
        sys.exit("no four-part JSB validation chorales in the corpus (tunesmith corpus build, with ../shared/data/jsb)")
    result = fit(net, plan_inputs(net, pieces), costs)
    result |= {"chorales": len(pieces), "harmonizer": str(folder / CHORALE_FILE) if own else "the package's"}
    for row in result["rows"]:
        print(f"stay cost {row['cost']:g}: chord kept on {row['kept']:.3f} of beats, labels as Bach's {row['agreement']:.3f}")
    print(f"Bach: {result['bach']:.3f} ({len(pieces)} JSB validation chorales); chosen: {result['chosen']:g}")
    if args.json:
        atomic_write_text(Path(args.json), json.dumps(result, indent=1) + "\n")
    if args.write:
        row = next(r for r in result["rows"] if r["cost"] == result["chosen"])
        note = (f"JSB validation sopranos ({len(pieces)} chorales): the chorale harmonizer's best plan keeps the chord "
                f"of the beat before on {row['kept']} of the beats at {result['chosen']:g} (Bach's settings "
                f"{result['bach']}; at 0: {result['rows'][0]['kept'] if costs[0] == 0 else 'not run'}), its labels "
                f"as Bach's {row['agreement']}; python scripts/fit_plan_stay_cost.py --costs {args.costs}")  # fmt: skip
        update_decoding_file(folder, {"chorale": {"plan_stay_cost": result["chosen"]}}, "plan_stay_cost_fitted_on", note)
        print(f"wrote plan_stay_cost {result['chosen']:g} into {folder / 'decoding.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
