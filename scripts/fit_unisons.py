"""How often the chorale voices sing in unison, Bach's and the harmonizer's, under unison penalties.

    python scripts/fit_unisons.py [--task cocreate|compose] [--split valid] [--n 40]
        [--penalties "0,0,0;1,1,1;0.5,2,1"] [--json FILE]

Per pair of neighbouring voices (soprano-alto, alto-tenor, tenor-bass): the unisons per 100
onsets where all four sound, and those right after a unison of the same pair (voices that hug),
on Bach's chorales of the split and on harmonizations of their sopranos (seed i for the i-th;
`--task compose`: `--n` chorales of 8 bars composed in 8 keys, seeds 500 on) under each candidate
of `sampling.feedback.UNISON_PENALTIES[task]` (logits a lower voice's pitch loses in unison with
the voice above it). The candidate nearest Bach (sum of the absolute differences
of the three rates) is named; the fitted one is written into feedback.py by hand, with the figures.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys

from tunesmith.paths import atomic_write_text

PAIRS = (("soprano", "alto"), ("alto", "tenor"), ("tenor", "bass"))


def unison_rates(pieces) -> dict[str, dict[str, float]]:
    """Per voice pair: unisons and unisons right after one, per 100 onsets of the four voices."""
    from tunesmith.metrics.harmony_rules import VOICES, _voices

    out = {}
    for upper, lower in PAIRS:
        onsets = unisons = again = 0
        for piece in pieces:
            voices = _voices(piece)
            times = sorted(set().union(*(v.onsets() for v in voices.values())))
            before = False
            for t in times:
                if any(voices[r].pitch_at(t) is None for r in VOICES):
                    before = False
                    continue
                onsets += 1
                now = voices[upper].pitch_at(t) == voices[lower].pitch_at(t)
                unisons += now
                again += now and before
                before = now
        out[f"{upper[0]}{lower[0]}".upper()] = {"unisons": round(100 * unisons / max(onsets, 1), 2),
                                                "after_a_unison": round(100 * again / max(onsets, 1), 2)}  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--task", default="cocreate", choices=("cocreate", "compose"))
    ap.add_argument("--split", default="valid", choices=("valid", "test"))
    ap.add_argument("--n", type=int, default=40, help="chorales of the split whose sopranos are harmonized")
    ap.add_argument("--penalties", default="0,0,0;0.5,2,1", help="candidates: alto,tenor,bass logits; ';' between")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)

    from tunesmith import api
    from tunesmith.corpus import load_corpus
    from tunesmith.sampling import feedback

    bach = list(load_corpus(None).filter(split=args.split, style="chorale", source="jsb"))
    report = {"split": args.split, "bach": unison_rates(bach), "candidates": []}
    print(f"Bach, {len(bach)} {args.split} chorales: {json.dumps(report['bach'])}", flush=True)
    saved = feedback.UNISON_PENALTIES[args.task]
    keys = (("G", "minor"), ("D", None), ("F", None), ("A", "minor"), ("Bb", None), ("E", "minor"), ("C", None), ("G", None))
    try:
        for text in args.penalties.split(";"):
            penalties = tuple(float(x) for x in text.split(","))
            if len(penalties) != 3:
                ap.error(f"--penalties {text!r}: three numbers (alto, tenor, bass)")
            feedback.UNISON_PENALTIES[args.task] = penalties
            takes = []
            for i in range(args.n):
                if args.task == "compose":
                    key, mode = keys[i % len(keys)]
                    takes.append(api.compose(style="chorale", key=key, mode=mode, bars=8, seed=500 + i, check=False).piece)
                    continue
                if i >= len(bach):
                    break
                soprano = copy.deepcopy(bach[i])
                soprano.tracks = soprano.tracks[:1]
                takes.append(api.harmonize(soprano, style="chorale", seed=i).piece)
            rates = unison_rates(takes)
            distance = sum(abs(rates[k]["unisons"] - report["bach"][k]["unisons"]) for k in rates)
            report["candidates"].append({"penalties": penalties, "rates": rates, "distance": round(distance, 2)})
            print(f"penalties {penalties}: {json.dumps(rates)}  distance from Bach {distance:.2f}", flush=True)
    finally:
        feedback.UNISON_PENALTIES[args.task] = saved
    best = min(report["candidates"], key=lambda c: c["distance"])
    report["nearest"] = best["penalties"]
    print(f"nearest Bach: {best['penalties']}")
    if args.json:
        atomic_write_text(args.json, json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
