"""Fit the key a chorale is told in its header, per key, and write it into decoding.json.

    python scripts/fit_header_keys.py --model runs/candidate [--takes 12] [--json out.json] [--write]

The model writes pitches relative to the key (tokenizer version 2) and learned chorales transposed
at random by up to five semitones, so where its voices sit depends on the key its header names:
composed sopranos sat at 66.4 (D major) to 70.0 (G major), Bach's at 70 to 72 in every key
(session 31, `docs/notes/2026-12-03-session-31/register_by_key.py`). Told the key `lift` semitones
below the one asked for, the model writes the chorale it writes there, and the take sounds `lift`
up (`sampling.decode.header_key`): the same music, moved where Bach's chorales sit.

The fit: in each of the 24 keys X and for each lift d of `--lifts`, `--takes` 8-bar chorales
asked for X and told the key d below (seeds 100, 101, ...; default settings) give the soprano mean
the take sounds at, S(X, d). Measured so, not as the model's register told its own key plus d:
the voices' ranges stay where they sound, so a told key's highest notes can be out of reach (a
first fit that added d to the told key's register missed by 1.2 semitones on fresh seeds). The
target is the soprano mean of the shippable training chorales, all keys pooled (Bach's register
hardly moves with the key). Each key takes the d whose S lies nearest the target, the smaller |d|
within `--tolerance` semitones of the best. `--write` stores "header_key_lifts" for the style in
the model's decoding.json (atomically); without it only the report is printed and written
(`--json`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from tunesmith.evaluation.feedback_fit import fit_model
from tunesmith.inference import update_decoding_file


def soprano_mean(piece) -> float:
    """The top voice's duration-weighted mean pitch (MIDI)."""
    notes = piece.tracks[0].notes
    return float(np.average([n.pitch for n in notes], weights=[n.duration for n in notes]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default")
    ap.add_argument("--style", default="chorale")
    ap.add_argument("--takes", type=int, default=12, help="takes per key (8 bars each)")
    ap.add_argument("--lifts", default="0,1,2,3,4", help="semitones the told key may lie below the asked (negative: above)")
    ap.add_argument("--tolerance", type=float, default=0.5, help="semitones from the best within which the smaller lift wins")
    ap.add_argument("--json", default=None)
    ap.add_argument("--write", action="store_true", help="store the lifts in decoding.json")
    args = ap.parse_args(argv)
    try:
        lift_grid = sorted({int(x) for x in args.lifts.split(",") if x.strip()})
    except ValueError:
        ap.error("--lifts: whole semitones separated by commas")
    if not lift_grid or any(abs(d) > 6 for d in lift_grid) or 0 not in lift_grid:
        ap.error("--lifts must include 0 and lie in [-6, 6]")
    if not 2 <= args.takes <= 200 or not 0 <= args.tolerance <= 3:
        ap.error("--takes must be in 2..200 and --tolerance in [0, 3]")
    folder, model, tok = fit_model(args.model)  # a missing model stops here, before any work

    from tunesmith.corpus import load_corpus
    from tunesmith.sampling import ComposeRequest, generate
    from tunesmith.tokenizer import spell_tonic

    pieces = [p for p in load_corpus(None).filter(split="train", style=args.style, shippable=True)
              if p.tracks and p.tracks[0].notes]  # fmt: skip
    if len(pieces) < 8:
        raise SystemExit(f"{args.style}: {len(pieces)} training pieces; too few to fit a register")
    target = float(np.mean([soprano_mean(p) for p in pieces]))
    print(f"{args.style}: {len(pieces)} shippable training pieces, soprano mean {target:.2f}", flush=True)
    decoding = model.decoding.setdefault(args.style, {})
    t0 = time.time()
    heard: dict[str, dict[int, float]] = {}
    lifts, sounding = {}, {}
    for mode in ("major", "minor"):
        for pc in range(12):
            asked = f"{spell_tonic(pc, mode)} {mode}"
            heard[asked] = {}
            for d in lift_grid:
                decoding["header_key_lifts"] = {asked: d} if d else {}
                means = [soprano_mean(generate(model, tok, ComposeRequest(style=args.style, key=spell_tonic(pc, mode),
                                                                           mode=mode, bars=8, seed=seed), n=1)[0].piece)
                         for seed in range(100, 100 + args.takes)]  # fmt: skip
                heard[asked][d] = float(np.mean(means))
            best = min(abs(v - target) for v in heard[asked].values())
            d = min((d for d, v in heard[asked].items() if abs(v - target) <= best + args.tolerance), key=lambda d: (abs(d), d))
            sounding[asked] = round(heard[asked][d], 2)
            if d:
                lifts[asked] = d
            print(f"{asked}: " + ", ".join(f"{d:+d} {v:.2f}" for d, v in heard[asked].items()) + f" -> {d:+d}", flush=True)
    decoding.pop("header_key_lifts", None)
    report = {"style": args.style, "target": round(target, 3), "takes_per_key": args.takes,
              "soprano_by_lift": {k: {str(d): round(v, 2) for d, v in row.items()} for k, row in heard.items()}, "lifts": lifts,
              "expected_soprano": sounding, "minutes": round((time.time() - t0) / 60, 1)}  # fmt: skip
    print(json.dumps({"lifts": lifts, "expected_soprano": sounding}), flush=True)
    if args.json:
        from pathlib import Path

        from tunesmith.paths import atomic_write_text

        atomic_write_text(Path(args.json), json.dumps(report, indent=1) + "\n")
    if args.write:
        note = (f"header_key_lifts: scripts/fit_header_keys.py --style {args.style} --takes {args.takes} --lifts "
                f"{args.lifts} --tolerance {args.tolerance} (target: the shippable training chorales' soprano "
                f"mean, {target:.2f})")  # fmt: skip
        update_decoding_file(folder, {args.style: {"header_key_lifts": lifts}}, "header_key_lifts_fitted_on", note)
        print(f"wrote {folder}/decoding.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
