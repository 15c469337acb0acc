"""`tunesmith rate`: give a take 1-5 stars (kept in the ratings store under TUNESMITH_HOME)."""

from __future__ import annotations

import argparse

HELP = "rate a take (its STEM.json) with 1..5 stars; stored per rater under TUNESMITH_HOME"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("take", help="the take's STEM.json")
    parser.add_argument("--stars", type=int, required=True, help="1 (worst) .. 5 (best)")
    parser.add_argument("--rater", help="who rates (default: $TUNESMITH_RATER, else the user name)")
    parser.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    import json

    from tunesmith.ratings import RatingsStore, default_rater

    if not 1 <= args.stars <= 5:
        raise ValueError(f"--stars must be 1..5, got {args.stars}")
    with RatingsStore() as store:
        tid, before = store.rate_replacing(args.take, args.stars, args.rater)
        counts = store.counts()
    rater = args.rater or default_rater()
    if args.json:
        print(json.dumps({"take": tid, "stars": args.stars, "rater": rater, "replaced_stars": before, "store": counts}))
    else:
        # a second rating replaces the first (one rating per rater and take): said, not done silently
        replaced = f"; replaced your earlier rating of {_stars(before)}" if before is not None else ""
        print(f"rated {args.take} {_stars(args.stars)} (rater {rater}, take {tid}){replaced}")
    return 0


def _stars(n: int) -> str:
    return f"{n} star" + ("" if n == 1 else "s")
