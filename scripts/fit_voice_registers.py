"""Fit the voices' register feedback (a chorale's four, a lead sheet's melody) into decoding.json.

    python scripts/fit_voice_registers.py [--model default] [--style chorale] [--gains 0,1,2,3]
        [--n 60] [--json runs/voice_registers.json] [--write]
    python scripts/fit_voice_registers.py --style jazz --voices 1 ...   # a lead sheet's melody

What it corrects: Bach's voices sit where they sit whatever the key (over the training chorales,
the soprano's mean pitch lies at 69.9 - 72.1 in each of the 14 commonest keys, with an SD of 1.9
semitones over chorales), but the model writes pitches relative to the key (tokenizer version 2)
and its takes follow the key's tonic down: sopranos at 66.0 in E-flat and 66.3 in G minor, four
semitones under Bach's. `sampling.set_voice_register_feedback` tilts each voice toward its mean
while it is written.

How it is fitted, on the shippable training split only (no held-out piece is used):
1. the targets: per voice, the mean over the style's training pieces with that many voices of each
   piece's duration-weighted mean pitch;
2. for each gain on the grid, one take under each of `--n` of those pieces' headers (key, meter,
   bars: a seeded sample; `evaluation.musicality.compose_like`): per voice, the mean pitch, the
   mean absolute interval and the range (highest minus lowest pitch). The chosen gain is the one
   whose takes come nearest the same pieces on the twelve together (the sum of squared
   differences, each in units of the pieces' own SD over pieces; the pieces cut to the takes'
   bars), plus each voice's spread: the SD over takes of the voice's mean pitch against the
   pieces' SD, in units of the latter (a lead sheet's takes matched the tunes' mean register
   while each sat further from it, session 36). The register alone would be bought with leaps,
   or with a climb from a low start (on the shipped model, session 29: gain
   1.33 put the sopranos' mean at 69.9 against Bach's 70.6, from 67.6, but their range grew from
   13.3 to 15.4 semitones against Bach's 11.9, and the classifier told them from Bach's more
   easily, 0.617 -> 0.740 on the validation split).

`--write` stores "voice_registers" and "voice_register_gain" for the style in the model's
decoding.json (atomically); without it only the report is printed and written (`--json`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from tunesmith.evaluation.feedback_fit import chosen_gain, fit_setup
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched
from tunesmith.inference import update_decoding_file


def voice_profile(piece, voices: int) -> list[float] | None:
    """Per voice (top down): the duration-weighted mean pitch, then the mean absolute interval
    between its successive notes, then its range in semitones; None when the piece has another
    number of voices or one is empty."""
    tracks = piece.tracks[:voices]
    if len(piece.tracks) != voices or any(not t.notes for t in tracks):
        return None
    means, steps, ranges = [], [], []
    for t in tracks:
        pitches = np.array([n.pitch for n in t.notes], dtype=float)
        means.append(float(np.average(pitches, weights=[n.duration for n in t.notes])))
        steps.append(float(np.abs(np.diff(pitches)).mean()) if len(pitches) > 1 else 0.0)
        ranges.append(float(pitches.max() - pitches.min()))
    return means + steps + ranges


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default")
    ap.add_argument("--style", default="chorale")
    ap.add_argument("--voices", type=int, default=4)
    ap.add_argument("--gains", default="0,1,2,3")
    ap.add_argument("--n", type=int, default=60, help="training pieces (a seeded sample) whose headers the takes use")
    ap.add_argument("--bars", type=int, default=16, help="bars per take at most (each piece's own, cut there)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", default=None)
    ap.add_argument("--write", action="store_true", help="store the targets and the chosen gain in decoding.json")
    args = ap.parse_args(argv)
    gains, folder, model, tok = fit_setup(ap, args)  # a bad grid or size stops here, before any work

    from tunesmith.corpus import load_corpus

    pieces = [p for p in load_corpus(None).filter(split="train", style=args.style, shippable=True)
              if p.key is not None and voice_profile(p, args.voices) is not None]  # fmt: skip
    if len(pieces) < 8:
        raise SystemExit(f"{args.style}: {len(pieces)} training pieces in {args.voices} voices; too few to fit registers")
    real_all = np.array([voice_profile(p, args.voices) for p in pieces])
    targets = real_all[:, : args.voices].mean(axis=0)
    print(f"{args.style}: {len(pieces)} training pieces; voice means {np.round(targets, 2).tolist()} "
          f"(SD over pieces {np.round(real_all[:, : args.voices].std(axis=0), 2).tolist()})", flush=True)  # fmt: skip
    order = np.random.default_rng(args.seed).permutation(len(pieces))
    heads = [pieces[i] for i in order[: args.n]]
    # the pieces as long as the takes composed under their headers (a 32-bar tune's range against a
    # 16-bar take's would ask the takes for more range than their bars hold)
    real = np.array([voice_profile(p, args.voices) for p in length_matched(heads, args.style, args.bars)])
    real_mean, real_sd = real.mean(axis=0), np.maximum(real.std(axis=0), 1e-9)
    print(f"their headers' pieces ({len(heads)}): {np.round(real_mean, 2).tolist()}; SD of the voice means "
          f"{np.round(real_sd[: args.voices], 2).tolist()}", flush=True)  # fmt: skip
    decoding = model.decoding.setdefault(args.style, {})
    report = {"style": args.style, "voices": args.voices, "pieces": len(pieces), "targets": np.round(targets, 3).tolist(),
              "headers_real": np.round(real_mean, 3).tolist(), "gains": {}}  # fmt: skip
    t0 = time.time()
    for gain in gains:
        decoding["voice_registers"], decoding["voice_register_gain"] = targets.tolist(), gain
        config = MusicalityConfig(per_style=max(4, len(heads)), seed=args.seed, max_bars=args.bars)
        takes = compose_like(model, tok, heads, args.style, config)
        rows = np.array([r for r in (voice_profile(p, args.voices) for p in takes) if r is not None])
        mine = rows.mean(axis=0)
        # how far each voice's mean pitch strays from take to take, against the pieces' own spread
        spread = rows[:, : args.voices].std(axis=0)
        distance = float((((mine - real_mean) / real_sd) ** 2).sum() + (((spread - real_sd[: args.voices]) / real_sd[: args.voices]) ** 2).sum())
        row = {"takes": len(rows), "voice_means": np.round(mine[: args.voices], 2).tolist(),
               "voice_mean_sd": np.round(spread, 2).tolist(),
               "mean_abs_intervals": np.round(mine[args.voices : 2 * args.voices], 3).tolist(),
               "ranges": np.round(mine[2 * args.voices :], 2).tolist(), "distance": round(distance, 3)}  # fmt: skip
        report["gains"][str(gain)] = row
        print(f"gain {gain}: {json.dumps(row)}", flush=True)
    best = chosen_gain(report, t0, args.json)
    print(f"chosen gain {best}")
    if args.write:
        note = (f"voice_registers / voice_register_gain: scripts/fit_voice_registers.py --style {args.style} "
                f"--gains {args.gains} --n {args.n} --bars {args.bars} (shippable training split)")  # fmt: skip
        update_decoding_file(folder, {args.style: {"voice_registers": [round(float(x), 2) for x in targets],
                                                   "voice_register_gain": float(best)}},
                             "voice_registers_fitted_on", note)  # fmt: skip
        print(f"wrote {folder}/decoding.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
