"""Musicality side by side: real held-out music, and takes of one or more models under the
real pieces' own headers (see `tunesmith.evaluation.musicality`).

    python scripts/evaluate_musicality.py --model new=default --model old=runs/old-default \
        --per-style 120 --json runs/musicality.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from tunesmith.evaluation.musicality import MusicalityConfig, format_table, musicality_report
from tunesmith.paths import atomic_write_text
from tunesmith.score import STYLES


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--model",
        action="append",
        required=True,
        help="NAME=PATH[:legacy|:chords-harmonizer|:chords-model] (PATH 'default': the shipped model; ':legacy' "
        "composes without the form and cadence controls and with the composer's own chords, as the "
        "first-generation composer did; ':chords-harmonizer' / ':chords-model' choose where lead-sheet chords "
        "come from, else the style's default)",
    )
    ap.add_argument("--per-style", type=int, default=120)
    ap.add_argument("--styles", default=",".join(STYLES))
    ap.add_argument("--split", default="test", choices=("test", "valid"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--temperature", type=float, default=None)
    ap.add_argument("--top-p", type=float, default=None)
    ap.add_argument("--json", default=None, help="write the report here")
    args = ap.parse_args(argv)

    from tunesmith.corpus import load_corpus
    from tunesmith.inference import load_numpy_model
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    systems = {}
    for spec in args.model:
        name, _, path = spec.partition("=")
        path = path or name
        legacy = path.endswith(":legacy")
        path = path.removesuffix(":legacy")
        chords_from = None
        for source in ("harmonizer", "model"):
            if path.endswith(f":chords-{source}"):
                chords_from, path = source, path.removesuffix(f":chords-{source}")
        model, tok, _info = load_numpy_model(DEFAULT_MODEL_DIR if path == "default" else path)
        overrides = {"form": "", "cadence": "free", "chords_from": "model"} if legacy else {}
        if chords_from:
            overrides["chords_from"] = chords_from
        systems[name] = (model, tok, overrides)
    styles = [s for s in args.styles.split(",") if s]
    corpus = load_corpus(None)
    test = {s: list(corpus.filter(split=args.split, style=s)) for s in styles}
    config = MusicalityConfig(per_style=args.per_style, seed=args.seed, temperature=args.temperature, top_p=args.top_p)
    t0 = time.time()
    report = musicality_report(systems, test, config, styles)
    report["seconds"] = round(time.time() - t0, 1)
    report["split"] = args.split
    report["models"] = {spec.partition("=")[0]: spec.partition("=")[2] for spec in args.model}
    print(format_table(report))
    if args.json:
        atomic_write_text(args.json, json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
