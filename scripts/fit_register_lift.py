"""Fit a lead-sheet style's register feedback (lift and gain) and write it into decoding.json.

    python scripts/fit_register_lift.py [--model default] [--style folk] [--bars 32] [--form AABB]
        [--gains 0,1,2,3] [--n 120] [--json runs/register_lift.json] [--write]

What it corrects: in a tune with a contrasting section (the B strain of a reel or jig), that
section usually sits higher than the first: over the shippable training split's 32-bar folk
tunes, the B strain's mean melody pitch (bars 17-32) lies 2.1 semitones over the A strain's
(bars 1-16). The takes' B strains sat where their A strains did (0.7). `sampling.set_register_feedback`
tilts the melody up (or down) while a contrasting section's mean pitch lies under (over) the
first section's plus the lift.

How it is fitted, on the shippable training split only (no held-out piece is used):
1. the lift: the mean, over the style's training tunes of exactly `--bars` bars that start on a
   bar line, of the second half's mean pitch (duration-weighted) minus the first half's (the
   sections of `--form` at that length: AABB's B strain is the second half);
2. for each gain on the grid, takes under `--n` of those tunes' headers (a seeded sample) with
   `--form` (`evaluation.musicality.compose_like`): their mean lift, mean absolute interval and
   leap share. The chosen gain is the one whose takes come nearest the same tunes on the three
   together: the sum of squared differences, each in units of the tunes' own spread (SD over
   pieces). The lift alone would buy it with leaps: past a gain of 2 the takes' lift grows little
   while their intervals widen.

`--write` stores "register_lift" and "register_gain" for the style in the model's decoding.json
(atomically); without it only the report is printed and written (`--json`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from tunesmith.evaluation.feedback_fit import chosen_gain
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like
from tunesmith.inference import update_decoding_file
from tunesmith.metrics._common import melody_line
from tunesmith.metrics.musicality import leap_share, mean_abs_interval
from tunesmith.sampling import form_sections


def section_lift(piece, bars: int, form: str) -> float | None:
    """Mean melody pitch (duration-weighted) of the bars outside the first section's letter minus
    that of the bars of it, over the first `bars` bars; None when either has no notes."""
    starts = piece.bars()
    if len(starts) < bars:
        return None
    sections = form_sections(form, bars)
    first = {b for (letter, _, size), a in zip(sections, np.cumsum([0] + [s for _, _, s in sections])) if letter == sections[0][0]
             for b in range(int(a), int(a) + size)}  # fmt: skip
    parts: dict[bool, list] = {True: [], False: []}
    for n in melody_line(piece):
        bar = int(np.searchsorted(starts, n.onset, side="right")) - 1
        if 0 <= bar < bars:
            parts[bar in first].append(n)
    if not parts[True] or not parts[False]:
        return None

    def mean(notes) -> float:
        return float(np.average([n.pitch for n in notes], weights=[n.duration for n in notes]))

    return mean(parts[False]) - mean(parts[True])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default")
    ap.add_argument("--style", default="folk")
    ap.add_argument("--bars", type=int, default=32)
    ap.add_argument("--form", default="AABB")
    ap.add_argument("--gains", default="0,1,2,3")
    ap.add_argument("--n", type=int, default=120, help="training tunes (a seeded sample) whose headers the takes use")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", default=None)
    ap.add_argument("--write", action="store_true", help="store the lift and the chosen gain in decoding.json")
    args = ap.parse_args(argv)

    from tunesmith.corpus import load_corpus
    from tunesmith.inference import load_numpy_model
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    folder = DEFAULT_MODEL_DIR if args.model == "default" else args.model
    model, tok, _ = load_numpy_model(folder)
    corpus = load_corpus(None)
    tunes = [p for p in corpus.filter(split="train", style=args.style, shippable=True)
             if len(p.bars()) == args.bars and p.bars()[0] == 0.0 and p.key is not None]  # fmt: skip
    lifts = [x for x in (section_lift(p, args.bars, args.form) for p in tunes) if x is not None]
    if len(lifts) < 8:
        raise SystemExit(f"{args.style}: {len(lifts)} training tunes of {args.bars} bars; too few to fit a lift")
    real_lift = float(np.mean(lifts))
    print(f"{args.style}: {len(lifts)} training tunes of {args.bars} bars, lift {real_lift:.2f} "
          f"(median {np.median(lifts):.2f}, SD {np.std(lifts):.2f})", flush=True)  # fmt: skip
    order = np.random.default_rng(args.seed).permutation(len(tunes))  # a sample of every source, not the first one's
    heads = [tunes[i] for i in order[: args.n]]
    def profile(pieces) -> dict:
        rows = [(section_lift(p, args.bars, args.form), mean_abs_interval(p), leap_share(p)) for p in pieces]
        rows = np.array([r for r in rows if r[0] is not None and np.isfinite(r[1]) and np.isfinite(r[2])], dtype=float)
        return {"n": len(rows), "mean": rows.mean(axis=0), "sd": rows.std(axis=0)}

    real = profile(heads)
    print(f"their headers' tunes ({real['n']}): lift {real['mean'][0]:.2f}, mean interval {real['mean'][1]:.3f}, "
          f"leaps {real['mean'][2]:.4f}", flush=True)  # fmt: skip
    decoding = model.decoding.setdefault(args.style, {})
    report = {"style": args.style, "bars": args.bars, "form": args.form, "tunes": len(lifts), "real_lift": round(real_lift, 3),
              "headers_real": {"lift": round(float(real["mean"][0]), 3), "mean_abs_interval": round(float(real["mean"][1]), 3),
                               "leap_share": round(float(real["mean"][2]), 4)},
              "gains": {}}  # fmt: skip
    t0 = time.time()
    for gain in [float(g) for g in args.gains.split(",")]:
        decoding["register_lift"], decoding["register_gain"] = real_lift, gain
        config = MusicalityConfig(per_style=max(4, len(heads)), seed=args.seed, max_bars=args.bars)
        takes = compose_like(model, tok, heads, args.style, config, form=args.form)
        mine = profile(takes)
        distance = float((((mine["mean"] - real["mean"]) / np.maximum(real["sd"], 1e-9)) ** 2).sum())
        row = {"lift": round(float(mine["mean"][0]), 3), "takes": mine["n"],
               "mean_abs_interval": round(float(mine["mean"][1]), 3), "leap_share": round(float(mine["mean"][2]), 4),
               "distance": round(distance, 4)}  # fmt: skip
        report["gains"][str(gain)] = row
        print(f"gain {gain}: {json.dumps(row)}", flush=True)
    best = chosen_gain(report, t0, args.json)
    print(f"chosen gain {best} (takes lift {report['gains'][best]['lift']}, tunes {real_lift:.2f})")
    if args.write:
        note = (f"register_lift / register_gain: scripts/fit_register_lift.py --style {args.style} --bars {args.bars} "
                f"--form {args.form} --gains {args.gains} --n {args.n} (shippable training split)")  # fmt: skip
        update_decoding_file(folder, {args.style: {"register_lift": round(real_lift, 3), "register_gain": float(best)}},
                             "register_feedback_fitted_on", note)  # fmt: skip
        print(f"wrote {folder}/decoding.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
