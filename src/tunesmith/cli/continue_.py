"""`tunesmith continue`: the given music exactly as it is, then new bars in its key, meter and style.

Registry entry: `"continue": "tunesmith.cli.continue_"`. The work is in `tunesmith.cli.cocreate`.
"""

from __future__ import annotations

import argparse

from tunesmith.cli import cocreate

HELP = cocreate.VERB_HELP["continue"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cocreate.add_arguments("continue", parser)


def run(args: argparse.Namespace) -> int:
    return cocreate.run("continue", args)
