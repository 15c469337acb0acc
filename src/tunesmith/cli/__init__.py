"""`tunesmith <verb>`: one CLI over the Python API. Each verb lives in its own module.

The registry is explicit (no registration by import side effect): a verb module defines
`HELP`, `add_arguments(parser)` and `run(args) -> int`, and is listed in `VERBS`.
Verb modules keep heavy imports (torch, music21) inside `run`, so `tunesmith --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

VERBS: dict[str, str] = {
    "corpus": "tunesmith.cli.corpus",
    "train": "tunesmith.cli.train",
    "compose": "tunesmith.cli.compose",
    "continue": "tunesmith.cli.continue_",
    "harmonize": "tunesmith.cli.harmonize",
    "inpaint": "tunesmith.cli.inpaint",
    "evaluate": "tunesmith.cli.evaluate",
    "bench": "tunesmith.cli.bench",
    "demo": "tunesmith.cli.demo",
}


class CliError(Exception):
    """A user error: printed as one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tunesmith", description="Learn music from scores; compose with musicians.")
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    sub.required = True
    for verb, module_name in VERBS.items():
        module = importlib.import_module(module_name)
        verb_parser = sub.add_parser(verb, help=module.HELP, description=module.HELP)
        module.add_arguments(verb_parser)
        verb_parser.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except (CliError, ValueError, FileNotFoundError) as exc:
        print(f"tunesmith {args.verb}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"tunesmith {args.verb}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
