"""`tunesmith demo`: the README's main job: compose a take in each style with the shipped model."""

from __future__ import annotations

import argparse
import shlex

HELP = "run the main job: compose a folk jig, a jazz lead sheet, a chorale and a pop song with the default model"

DEMO_REQUESTS = (
    ("jig", ["--style", "folk", "--dance", "jig", "--key", "D", "--mode", "major"]),  # its meter, speed, length, rhythm
    ("ii-V", ["--style", "jazz", "--chords", "Dm7 G7 Cmaj7 Cmaj7", "--bars", "8", "--key", "C"]),
    ("chorale", ["--style", "chorale", "--key", "g minor", "--bars", "8", "--range", "C3:A5"]),
    ("pop", ["--style", "pop", "--key", "F", "--bars", "16", "--chords", "F C Dm Bb F C Bb F", "--in-scale"]),  # home on F
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="out/demo", help="folder for the demo's takes (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--model", default="default")


def run(args: argparse.Namespace) -> int:
    from tunesmith.cli import compose

    parser = argparse.ArgumentParser(prog="tunesmith compose")
    compose.add_arguments(parser)
    for stem, controls in DEMO_REQUESTS:
        argv = [*controls, "--seed", str(args.seed), "--model", args.model, "--out", f"{args.out}/{stem}", "--force"]
        print(f"tunesmith compose {shlex.join(argv)}")
        compose.run(parser.parse_args(argv))
    print(f"\nListen to the .wav files, open the .musicxml in MuseScore or the .mid in a DAW: {args.out}/")
    return 0
