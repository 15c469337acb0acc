"""`tunesmith inpaint`: regenerate bars of a piece; everything outside them kept note for note.

Registry entry: `"inpaint": "tunesmith.cli.inpaint"`. The work is in `tunesmith.cli.cocreate`.
"""

from __future__ import annotations

import argparse

from tunesmith.cli import cocreate

HELP = cocreate.VERB_HELP["inpaint"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cocreate.add_arguments("inpaint", parser)


def run(args: argparse.Namespace) -> int:
    return cocreate.run("inpaint", args)
