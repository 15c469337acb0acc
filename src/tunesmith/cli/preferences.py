"""`tunesmith preferences import|export|fit`: the ratings store and its reward model."""

from __future__ import annotations

import argparse

HELP = "import or export pairwise preferences (CSV), or fit the Bradley-Terry reward model on them"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["import", "export", "fit", "stats"])
    parser.add_argument(
        "file",
        nargs="?",
        help="import: CSV with columns preferred,other[,rater]; export: CSV to write (default stdout)",
    )
    parser.add_argument("--rater", help="import: rater for rows without one; export/fit: only this rater")
    parser.add_argument("--stars", action="store_true", help="export: also the pairs made from star ratings")
    parser.add_argument("--out", help="fit: where to write the model (default $TUNESMITH_HOME/preference_model.json)")
    parser.add_argument("--seed", type=int, default=0, help="fit: seed of the held-out split")
    parser.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    import json

    from tunesmith.ratings import RatingsStore

    with RatingsStore() as store:
        if args.action == "import":
            if not args.file:
                raise ValueError("preferences import needs a CSV file")
            n = store.import_csv(args.file, args.rater)
            result = {"imported_pairs": n, "store": store.counts()}
        elif args.action == "export":
            n = store.export_csv(args.file, args.rater, stars=args.stars)
            if args.file in (None, "-"):
                return 0
            result = {"exported_pairs": n, "file": args.file}
        elif args.action == "stats":
            result = {"store": store.counts(), "agreement": store.agreement()}
        else:
            _, result = store.fit(args.rater, seed=args.seed, out=args.out)
    if args.json:
        print(json.dumps(result, indent=1, default=str))
    elif args.action == "fit":
        acc = result.get("heldout_accuracy")
        agree = result["agreement"]["agreement"]
        print(f"fitted on {result['pairs']} pairs ({', '.join(result['raters']) or 'no raters'}); held-out pairwise "
              f"accuracy {acc:.3f} on {result.get('heldout_pairs')} pairs; rater agreement "
              f"{'n/a' if agree is None else f'{agree:.3f}'}; saved {result['saved']}")  # fmt: skip
    else:
        print(json.dumps(result, default=str))
    return 0
