"""`tunesmith demo`: the README's main job, end to end on this machine."""

from __future__ import annotations

import argparse

HELP = "run the main job: build the corpus (cached after the first run) and show its stats"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="out/demo", help="folder for the demo's files")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the corpus even if a cache exists")


def run(args: argparse.Namespace) -> int:
    from tunesmith.cli import corpus as corpus_cli

    build_args = ["build"] + (["--force"] if args.rebuild else [])
    parser = argparse.ArgumentParser()
    corpus_cli.add_arguments(parser)
    corpus_cli.run(parser.parse_args(build_args))
    return corpus_cli.run(parser.parse_args(["stats"]))
