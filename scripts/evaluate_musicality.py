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

from tunesmith.evaluation.musicality import MusicalityConfig, format_table, musicality_report, pooled_report
from tunesmith.paths import atomic_write_text
from tunesmith.score import STYLES

# ":option" suffixes of --model and the request fields they set
MODEL_OPTIONS = {
    # the first-generation composer: no form, no cadence, its own chords, no tonal feedback
    "legacy": {"form": "", "cadence": "free", "chords_from": "model", "tonal_feedback": 0.0, "rhythm_feedback": 0.0,
               "interval_feedback": 0.0},
    "chords-harmonizer": {"chords_from": "harmonizer"},
    "chords-model": {"chords_from": "model"},
    "no-tonal-feedback": {"tonal_feedback": 0.0},
    "no-rhythm-feedback": {"rhythm_feedback": 0.0},
    "no-interval-offsets": {"interval_feedback": 0.0},
    "no-modulation": {"modulation": "none"},  # a chorale that stays in its key
    "no-pickup": {"pickup": 0.0},  # every take starts on the downbeat (as before the pickups were drawn)
}
# --task continue: keyword arguments of cocreate.continue_piece
CONTINUE_OPTIONS = {
    # co-create as it was before it sampled like compose: temperature 1, top-p 0.95, no feedback,
    # no closing cadence
    "legacy": {"temperature": 1.0, "top_p": 0.95, "tonal_feedback": 0.0, "rhythm_feedback": 0.0, "cadence": "free",
               "reprise": 0},
    "no-tonal-feedback": {"tonal_feedback": 0.0},
    "no-rhythm-feedback": {"rhythm_feedback": 0.0},
    "no-cadence": {"cadence": "free"},
    "reprise-half": {"reprise": "half"},
    "no-reprise": {"reprise": 0},
    "no-contrast": {"contrast": False},  # the new bars not lifted as a contrasting strain
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--model",
        action="append",
        required=True,
        help="NAME=PATH[:OPTION...] (PATH 'default': the shipped model; ':legacy' composes without the form "
        "and cadence controls, the tonal feedback and with the composer's own chords, as the "
        "first-generation composer did; ':chords-harmonizer' / ':chords-model' choose where lead-sheet chords "
        "come from, else the style's default; ':no-tonal-feedback' / ':no-rhythm-feedback' / ':no-interval-offsets' turn the tonal / rhythm feedback / interval offsets off, ':no-modulation' keeps a chorale in its key, ':no-pickup' starts every take on the downbeat, ':rhythm-feedback=W' / ':tonal-feedback=W' weigh it)",
    )
    ap.add_argument("--per-style", type=int, default=120)
    ap.add_argument("--styles", default=",".join(STYLES))
    ap.add_argument("--split", default="test", choices=("test", "valid"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds", default=None,
                    help="comma-separated seeds: one run each, and the table of their means ± standard deviations "
                    "(a figure of one seed moves by several points)")  # fmt: skip
    ap.add_argument("--temperature", type=float, default=None)
    ap.add_argument("--top-p", type=float, default=None)
    ap.add_argument("--json", default=None, help="write the report here")
    ap.add_argument("--task", default="compose", choices=("compose", "continue"),
                    help="continue: each real piece's first half given to `tunesmith continue`, which writes the "
                    "rest (model options then: legacy, no-tonal-feedback, no-rhythm-feedback, no-cadence, reprise-half, no-reprise, no-contrast)")  # fmt: skip
    args = ap.parse_args(argv)
    known = CONTINUE_OPTIONS if args.task == "continue" else MODEL_OPTIONS

    from tunesmith.corpus import load_corpus, pieces_digest
    from tunesmith.inference import load_numpy_model
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    systems = {}
    for spec in args.model:
        name, _, path = spec.partition("=")
        path, *options = (path or name).split(":")
        weights = {}
        for option in [o for o in options if "=" in o]:
            # "tonal-feedback=0.5" / "rhythm-feedback=0.5": the request's feedback weight
            field, _, value = option.partition("=")
            if field not in ("tonal-feedback", "rhythm-feedback"):
                ap.error(f"--model {spec}: unknown weighted option {field!r}")
            weights[field.replace("-", "_")] = float(value)
            options.remove(option)
        unknown = sorted(set(options) - set(known))
        if unknown:
            ap.error(f"--model {spec}: unknown option(s) {', '.join(unknown)}; known: {', '.join(known)}")
        model, tok, _info = load_numpy_model(DEFAULT_MODEL_DIR if path == "default" else path)
        overrides = {}
        for option in options:
            overrides.update(known[option])
        overrides.update(weights)
        systems[name] = (model, tok, overrides)
    styles = [s for s in args.styles.split(",") if s]
    corpus = load_corpus(None)
    test = {s: list(corpus.filter(split=args.split, style=s)) for s in styles}
    seeds = [int(x) for x in args.seeds.split(",") if x.strip()] if args.seeds else [args.seed]
    t0 = time.time()
    reports = []
    for seed in seeds:
        config = MusicalityConfig(per_style=args.per_style, seed=seed, temperature=args.temperature, top_p=args.top_p,
                                  task=args.task)  # fmt: skip
        reports.append(musicality_report(systems, test, config, styles))
        if len(seeds) > 1:
            print(f"[musicality] seed {seed}:" + format_table(reports[-1]), flush=True)
    report = reports[0] if len(reports) == 1 else pooled_report(reports)
    if len(reports) > 1:
        report["per_seed"] = reports
    report["seconds"] = round(time.time() - t0, 1)
    report["split"] = args.split
    report["models"] = {spec.partition("=")[0]: spec.partition("=")[2] for spec in args.model}
    # the held-out pieces measured against, pinned: a rebuilt corpus may hold other ones
    report["data"] = {s: {"pieces": len(test[s]), "digest": pieces_digest(test[s])} for s in styles}
    print(format_table(report))
    print("data: " + "; ".join(f"{s} {args.split} {d['pieces']} pieces, digest {d['digest']}"
                               for s, d in report["data"].items()))  # fmt: skip
    if args.json:
        atomic_write_text(args.json, json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
