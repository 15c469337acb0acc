"""`tunesmith harmonize`: chord symbols or alto, tenor and bass under a given melody, the melody untouched.

Registry entry: `"harmonize": "tunesmith.cli.harmonize"`. The work is in `tunesmith.cli.cocreate`.
"""

from __future__ import annotations

import argparse

from tunesmith.cli import cocreate

HELP = cocreate.VERB_HELP["harmonize"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cocreate.add_arguments("harmonize", parser)


def run(args: argparse.Namespace) -> int:
    return cocreate.run("harmonize", args)
