"""`tunesmith evaluate`: the evaluation suite (samples vs held-out real music, constraints,
memorization, likelihood) written as JSON and a self-contained HTML report."""

from __future__ import annotations

import argparse
import json
import sys
import time

HELP = "evaluate a model: samples vs held-out real music, constraints, memorization, likelihood (JSON + HTML)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        default="default",
        help="model folder, 'default' (shipped), or 'random' (random init, configs/default.toml's size)",
    )
    parser.add_argument("--samples", type=int, default=200, help="generated pieces per style (default 200)")
    parser.add_argument("--styles", default="folk,chorale,pop,jazz", help="comma-separated styles")
    parser.add_argument(
        "--compare",
        help="a second system: a tunesmith model folder or a GPT-2 baseline folder (train_gpt2_baseline.py --out); "
        "a baseline has no controls, so its constraint rows read 'n/a (no controls)'",
    )
    parser.add_argument("--corpus", help="corpus cache folder (default: the cache `tunesmith corpus build` writes)")
    parser.add_argument(
        "--synthetic", action="store_true", help="use synthetic real pieces instead of the corpus (smoke runs only)"
    )
    parser.add_argument(
        "--json",
        nargs="?",
        const="-",
        default=None,
        help="print the full results as JSON (like every verb); --json FILE writes them to FILE instead",
    )
    parser.add_argument("--html", dest="html_path", help="write the HTML report to this file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-request", type=int, default=8, help="takes per random request (one batch)")
    parser.add_argument("--real-max", type=int, default=200, help="held-out real pieces per style (default 200)")
    parser.add_argument("--nll-max", type=int, default=200, help="test pieces per style scored for NLL (0: all)")
    parser.add_argument(
        "--xml-max", type=int, default=50, help="samples per style also re-checked via MusicXML (default 50; 0: all)"
    )
    parser.add_argument("--workers", type=int, default=2, help="processes writing and re-reading files (0: none)")
    parser.add_argument("--no-jsb", action="store_true", help="skip the JSB chorales frame-level NLL")
    parser.add_argument("--keep-files", help="keep the written sample files in this folder")
    parser.add_argument("--no-progress", action="store_true")


def run(args: argparse.Namespace) -> int:
    from tunesmith.evaluation.suite import EvalConfig

    styles = [s.strip() for s in args.styles.split(",") if s.strip()]
    config = EvalConfig(
        samples=args.samples,
        styles=styles,
        seed=args.seed,
        per_request=args.per_request,
        real_max=args.real_max,
        likelihood_max=args.nll_max or None,
        xml_max=args.xml_max or None,
        workers=args.workers,
        jsb=not args.no_jsb,
        out_dir=args.keep_files,
        progress=not args.no_progress,
    )  # validates before any heavy work
    from tunesmith.evaluation.html import write_html
    from tunesmith.evaluation.report import text_summary
    from tunesmith.evaluation.suite import load_eval_data, run_evaluation, synthetic_eval_data
    from tunesmith.evaluation.systems import load_system
    from tunesmith.paths import atomic_write_text

    t0 = time.perf_counter()
    model = load_system(args.model)
    compare = load_system(args.compare) if args.compare else None
    if args.synthetic:
        data = synthetic_eval_data()
    else:
        try:
            data = load_eval_data(args.corpus, styles)
        except FileNotFoundError as exc:
            raise FileNotFoundError(f"{exc} (or pass --synthetic for a smoke run)") from None
    print(f"loaded systems and data in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    empty = [s for s in styles if not data.test.get(s)]
    if empty:  # the table would show dashes with the reason only in the JSON
        print(f"tunesmith evaluate: note: the corpus's test split holds no {', '.join(empty)} pieces: those rows "
              "stay empty (a small corpus may split into train and valid only; evaluate on a larger one)",
              file=sys.stderr)  # fmt: skip
    result = run_evaluation(model, data, config, compare=compare)
    json_path = args.json if args.json not in (None, "-") else None
    if json_path:
        atomic_write_text(json_path, json.dumps(result, indent=1, allow_nan=False) + "\n")
    if args.html_path:
        write_html(result, args.html_path)
    if args.json == "-":
        print(json.dumps(result, indent=1, allow_nan=False))
        return 0
    print(text_summary(result))
    for path in (json_path, args.html_path):
        if path:
            print(f"wrote {path}")
    return 0
