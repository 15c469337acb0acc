"""`tunesmith prefer A.json B.json`: record that take A is preferred to take B."""

from __future__ import annotations

import argparse

HELP = "record a pairwise preference: the first take is preferred to the second"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("preferred", help="STEM.json of the preferred take")
    parser.add_argument("other", help="STEM.json of the other take")
    parser.add_argument("--rater", help="who judges (default: $TUNESMITH_RATER, else the user name)")
    parser.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    import json

    from tunesmith.ratings import RatingsStore, default_rater

    with RatingsStore() as store:
        a, b = store.prefer(args.preferred, args.other, args.rater)
        before = store.times_preferred(b, a, args.rater)  # this rater's judgements the other way round
    rater = args.rater or default_rater()
    if args.json:
        print(json.dumps({"preferred": a, "other": b, "rater": rater, "contradicts": before}))
    else:
        print(f"{args.preferred} preferred to {args.other} (rater {rater})")
    if before:  # kept: a taste may change, and the fit weighs every judgement
        import sys

        print(f"note: {rater} preferred {args.other} to {args.preferred} {before} time(s) before; both are kept "
              "and the fit counts each", file=sys.stderr)  # fmt: skip
    return 0
