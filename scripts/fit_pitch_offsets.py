"""Fit a style's pitch offsets (one logit offset per real melody pitch, a chorale's soprano's, in
the style's default range) into decoding.json.

    python scripts/fit_pitch_offsets.py [--model default] [--styles folk] [--rounds 4]
        [--damping 0.8] [--n 150] [--json runs/pitch_offsets.json] [--write]

What it corrects: folk takes sit where the tunes sit in the middle (median lowest note D4, highest
G5 in both) but reach the default range's edges far more often: 9-12 % of takes in G, A and E
touch G3 against 0-3 % of the held-out tunes, and the highest note's 90th percentile is D6
against B5 (docs/notes/2026-12-04-session-34/folk_low_by_key.py). Where a fiddle or whistle tune
lives is a matter of absolute pitch, not of the key, so `sampling.set_pitch_offsets` adds a fixed
logit offset per real pitch to every melody pitch of a composed take under the default range.

How it is fitted, on the *shippable training split* only (no held-out piece is used):
1. the profile: the tunes' melody notes pooled, as shares of each MIDI pitch of the default range
   (notes outside it left out);
2. round 0: takes under `--n` of those tunes' headers (`evaluation.musicality.compose_like`) with
   the model's decoding as it is and no pitch offsets; their pooled shares;
3. each further round adds damping * log(profile / the takes' shares) to the offsets (smoothed by
   feedback_fit.EPS, clipped to +-CLIP) and composes again;
4. the round whose takes' shares are nearest the profile (total variation) is chosen; round 0
   (no offsets) may win.
Each round also reports the takes' spans and lowest and highest notes (percentiles), which the
fit does not use. The classifier and the held-out measures judge it afterwards.

`--write` stores "pitch_offsets" ({"low", "values"}) per style in the model's decoding.json
(atomically); without it only the report is printed and written (`--json`).

`--by-tonic N` fits instead a table for each key tonic with at least N of the style's tunes
("pitch_offsets_by_tonic": {tonic pitch class: table}), each from that tonic's tunes and starting
from the style's table (round 0: as it is); a request in a key on that tonic uses it in place of the
style's. Why: one table for every key left folk takes in A below D4 0.54 of the time against the
tunes' 0.15, in G 0.06 against 0.09 (`docs/notes/2026-12-06-session-55/folk_range.py`). Session 56
fitted G, D, A and E (`--by-tonic 100 --n 60 --rounds 2`) and did not ship them: see its note.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from tunesmith.evaluation.feedback_fit import (
    add_round_fit_arguments,
    damped_step,
    header_sample,
    round_fit_styles,
    run_round_fit,
    write_fitted,
)
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched
from tunesmith.metrics.musicality import melody_line
from tunesmith.sampling.request import DEFAULT_RANGES


def pitch_shares(pieces, low: int, high: int) -> np.ndarray:
    """The pieces' melody notes pooled: shares of each MIDI pitch low..high (others left out)."""
    counts = np.zeros(high - low + 1)
    for p in pieces:
        for n in melody_line(p):
            if low <= n.pitch <= high:
                counts[n.pitch - low] += 1
    return counts / max(1.0, counts.sum())


def extremes(pieces) -> dict:
    """Percentiles (10, 50, 90) of the melodies' span, lowest and highest note."""
    lines = [[n.pitch for n in melody_line(p)] for p in pieces]
    lines = [m for m in lines if len(m) >= 2]
    pct = lambda v: [round(float(x), 1) for x in np.percentile(v, [10, 50, 90])]  # noqa: E731
    return {"span": pct([max(m) - min(m) for m in lines]), "lowest": pct([min(m) for m in lines]),
            "highest": pct([max(m) for m in lines]), "span_mean": round(float(np.mean([max(m) - min(m) for m in lines])), 2)}  # fmt: skip


def fit_style(model, tok, style: str, pieces: list, rounds: int, damping: float, n: int, seed: int,
              tonic: int | None = None) -> dict:
    """The rounds of one style's fit (module docstring); with `tonic` (a pitch class), of the table
    for the tunes in keys on that tonic, starting from the style's table (round 0: as it is)."""
    if len(pieces) < 8:
        return {"note": f"fewer than 8 shippable {style} tunes with a melody and key"}
    low, high = DEFAULT_RANGES[style]
    profile = pitch_shares(pieces, low, high)
    heads = header_sample(pieces, n, seed)
    decoding = model.decoding.setdefault(style, {})
    offsets = np.zeros(high - low + 1)
    if tonic is None:
        slot, kept = decoding, decoding.pop("pitch_offsets", None)
    else:
        slot = decoding.setdefault("pitch_offsets_by_tonic", {})
        kept = slot.pop(str(tonic), None)
        general = decoding.get("pitch_offsets")
        if general and general["low"] == low and len(general["values"]) == len(offsets):
            offsets = np.asarray(general["values"], dtype=np.float64)
    name = "pitch_offsets" if tonic is None else str(tonic)
    rows = []
    for r in range(rounds + 1):
        t0 = time.time()
        slot[name] = {"low": low, "values": offsets.tolist()}
        takes = compose_like(model, tok, heads, style, MusicalityConfig(per_style=max(4, len(heads)), seed=seed))
        shares = pitch_shares(takes, low, high)
        row = {"round": r, "offsets": [round(float(v), 4) for v in offsets],
               "distance": round(0.5 * float(np.abs(shares - profile).sum()), 4), **extremes(takes)}  # fmt: skip
        rows.append(row)
        print(f"[pitch-offsets] {style}{'' if tonic is None else f' tonic {tonic}'} round {r}: distance "
              f"{row['distance']:.4f}, span {row['span']}, lowest {row['lowest']}, highest {row['highest']}  "
              f"{time.time() - t0:.0f}s", flush=True)  # fmt: skip
        offsets = damped_step(offsets, profile, shares, damping)
    slot.pop(name, None)
    if kept is not None:
        slot[name] = kept
    if tonic is not None and not slot:
        decoding.pop("pitch_offsets_by_tonic", None)
    chosen = min(rows, key=lambda row: row["distance"])
    return {
        "tunes": len(pieces),
        "headers": len(heads),
        "low": low,
        "tunes_measures": extremes(length_matched(heads, style, MusicalityConfig().max_bars)),  # as long as the takes
        "profile": [round(float(v), 4) for v in profile],
        "rounds": rows,
        "chosen_round": chosen["round"],
        "chosen_offsets": chosen["offsets"] if chosen["round"] > 0 else None,
    }


def fit_by_tonic(model, tok, style: str, pieces: list, args) -> dict:
    """A table for each tonic with at least `args.by_tonic` of the style's tunes (`fit_style`)."""
    from tunesmith.harmony import pitch_class_of

    groups: dict[int, list] = {}
    for p in pieces:
        groups.setdefault(pitch_class_of(p.key.tonic), []).append(p)
    out = {"tonics": {}}
    for tonic, tunes in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if len(tunes) >= args.by_tonic:
            out["tonics"][str(tonic)] = fit_style(model, tok, style, tunes, args.rounds, args.damping, args.n, args.seed,
                                                  tonic=tonic)  # fmt: skip
    out["chosen_round"] = {t: r.get("chosen_round") for t, r in out["tonics"].items()}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_round_fit_arguments(ap, rounds=4)
    ap.add_argument("--by-tonic", type=int, default=0, metavar="N",
                    help="fit a table for each key tonic with at least N of the style's tunes, each starting from the "
                    "style's table (\"pitch_offsets_by_tonic\"), instead of the style's table")  # fmt: skip
    args = ap.parse_args(argv)
    styles = round_fit_styles(ap, args, "folk, pop, jazz (a lead sheet's melody) and chorale (the soprano)")

    def fit_one(model, tok, style: str, pieces: list) -> dict:
        if args.by_tonic:
            return fit_by_tonic(model, tok, style, pieces, args)
        return fit_style(model, tok, style, pieces, args.rounds, args.damping, args.n, args.seed)

    folder, report, command = run_round_fit("fit_pitch_offsets.py", args, argv, styles, fit_one)
    if not args.write:
        return 0

    def chosen(res: dict) -> dict | None:
        return {"low": res["low"], "values": res["chosen_offsets"]} if res.get("chosen_offsets") else None

    if args.by_tonic:
        tables = {style: {t: chosen(r) for t, r in res.get("tonics", {}).items() if chosen(r)}
                  for style, res in report["styles"].items()}  # fmt: skip
        entries = {style: {"pitch_offsets_by_tonic": t} for style, t in tables.items() if t}
        write_fitted(folder, entries, "pitch_offsets_by_tonic", "pitch_offsets_by_tonic_fitted_on", command)
    else:
        entries = {style: {"pitch_offsets": chosen(res)} for style, res in report["styles"].items() if chosen(res)}
        write_fitted(folder, entries, "pitch_offsets", "pitch_offsets_fitted_on", command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
