"""Fit the chorale plan's costs (decoding.json's chorale "plan_stay_cost" and "plan_return_cost")
to Bach's harmonic rhythm.

    python scripts/fit_chorale_plan.py [--model default|FOLDER] [--stays 0,0.1,...] [--returns 0,0.25,...]
        [--json runs/chorale_plan.json] [--write]

What it corrects: a harmonized chorale's voices aim at the chorale harmonizer's chord on every
beat (`Harmonizer.plan`). Each beat's most likely chord is the chord of the beat before more often
than Bach's is, most of all under held soprano notes (session 67: 0.305 of the JSB validation
sopranos' beats, Bach's settings 0.257), and it rocks: a change back to the chord before the last
change (X-Y-X) at 0.256 of the chord changes, Bach's 0.151. The best path in which keeping a chord costs
`plan_stay_cost` and such a return `plan_return_cost` moves as his do.

How: on the JSB validation sopranos (public domain, the split the harmonizer stopped early on),
Bach's chord on each beat is read from his four voices (`harmonizer.voice_labels`); for each pair
of costs on the grid, the share of beats whose planned chord is the one of the beat before and the
share of chord changes that return to the chord before last; the pair whose two shares lie nearest
Bach's (the sum of the two gaps) is chosen, the cheaper on a tie. Each pair's agreement with his
labels is reported beside it. The chorale harmonizer is the one in FOLDER where it holds one
(`scripts/fit_harmonizer.py --out`), else the package's.
"""

from __future__ import annotations

import argparse
import copy
import json
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


def return_share(paths: list[np.ndarray]) -> float:
    """Over each path's chord changes (a label held over several beats counted once, unlabelled
    beats left out), the share that return to the label before last (X-Y-X)."""
    returns = changes = 0
    for path in paths:
        seq: list[int] = []
        for x in path:
            if x >= 0 and (not seq or seq[-1] != x):
                seq.append(int(x))
        changes += len(seq)
        returns += sum(seq[i] == seq[i + 2] for i in range(len(seq) - 2))
    return returns / max(changes, 1)


def fit(net, inputs, stays: list[float], returns: list[float]) -> dict:
    """{"bach": {"kept", "returns"}, "rows": [{stay, return, kept, returns, agreement}], "chosen":
    [stay, return] nearest Bach's}."""
    bach = [labels for _, labels in inputs]
    target = {"kept": round(kept_share(bach), 4), "returns": round(return_share(bach), 4)}
    n = sum(int((labels >= 0).sum()) for labels in bach)
    rows = []
    for stay in stays:
        for ret in returns:
            paths = [net.decode(logp, style="chorale", stay_cost=stay, return_cost=ret) for logp, _ in inputs]
            agree = sum(int((p[b >= 0] == b[b >= 0]).sum()) for p, b in zip(paths, bach))
            rows.append({"stay": stay, "return": ret, "kept": round(kept_share(paths), 4),
                         "returns": round(return_share(paths), 4), "agreement": round(agree / max(n, 1), 4)})  # fmt: skip
    best = min(rows, key=lambda r: (abs(r["kept"] - target["kept"]) + abs(r["returns"] - target["returns"]),
                                    r["stay"] + r["return"]))  # fmt: skip
    return {"bach": target, "rows": rows, "chosen": [best["stay"], best["return"]]}


def _grid(ap: argparse.ArgumentParser, name: str, text: str) -> list[float]:
    try:
        values = [float(x) for x in text.split(",")]
    except ValueError:
        ap.error(f"--{name} {text!r}: give comma-separated numbers")
    if not values or any(not 0 <= v <= 4 for v in values):
        ap.error(f"--{name} {text!r}: each cost must be in [0, 4] (decoding.json's bound)")
    return values


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="default", help="'default' (the package's) or a model folder")
    ap.add_argument("--stays", default="0,0.25,0.35,0.4,0.45,0.55")
    ap.add_argument("--returns", default="0,0.25,0.35,0.5,0.6,0.75,1")
    ap.add_argument("--json", default=None)
    ap.add_argument("--write", action="store_true", help="store the chosen costs in the model's decoding.json")
    args = ap.parse_args(argv)
    stays, returns = _grid(ap, "stays", args.stays), _grid(ap, "returns", args.returns)

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
        ap.exit(
            1, "no four-part JSB validation chorales in the corpus (tunesmith corpus build, with ../shared/data/jsb)\n"
        )
    result = fit(net, plan_inputs(net, pieces), stays, returns)
    result |= {"chorales": len(pieces), "harmonizer": str(folder / CHORALE_FILE) if own else "the package's"}
    for r in result["rows"]:
        print(f"stay {r['stay']:g}, return {r['return']:g}: chord kept on {r['kept']:.3f} of beats, returns "
              f"{r['returns']:.3f} of changes, labels as Bach's {r['agreement']:.3f}")  # fmt: skip
    stay, ret = result["chosen"]
    print(f"Bach: kept {result['bach']['kept']:.3f}, returns {result['bach']['returns']:.3f} ({len(pieces)} JSB "
          f"validation chorales); chosen: stay {stay:g}, return {ret:g}")  # fmt: skip
    if args.json:
        atomic_write_text(Path(args.json), json.dumps(result, indent=1) + "\n")
    if args.write:
        row = next(r for r in result["rows"] if [r["stay"], r["return"]] == result["chosen"])
        plain = next((r for r in result["rows"] if r["stay"] == 0 and r["return"] == 0), None)
        before = f"; at 0 and 0: {plain['kept']} and {plain['returns']}" if plain else ""
        note = (f"JSB validation sopranos ({len(pieces)} chorales): the chorale harmonizer's best plan at stay cost "
                f"{stay:g} and return cost {ret:g} keeps the chord of the beat before on {row['kept']} of the beats and "
                f"returns to the chord before last on {row['returns']} of its changes (Bach's settings "
                f"{result['bach']['kept']} and {result['bach']['returns']}{before}), its labels as Bach's "
                f"{row['agreement']}; python scripts/fit_chorale_plan.py --stays {args.stays} --returns {args.returns}")  # fmt: skip
        update_decoding_file(folder, {"chorale": {"plan_stay_cost": stay, "plan_return_cost": ret}},
                             "plan_costs_fitted_on", note)  # fmt: skip
        print(f"wrote plan_stay_cost {stay:g} and plan_return_cost {ret:g} into {folder / 'decoding.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
