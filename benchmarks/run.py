"""`make bench`: tunesmith against the GPT-2 + REMI baseline of the same size, in one run.

    .venv/bin/python benchmarks/run.py                 # full: 10 latency runs, batch 8 and 16
    .venv/bin/python benchmarks/run.py --json --out bench.json
    .venv/bin/python benchmarks/run.py --quick         # a fast smoke run (3 runs, batch 8, 16 bars)

Measures compose latency (one 32-bar lead sheet, batch 1, median over the runs after a
warm-up), batched throughput (pieces/s at batch 8 and 16) and training tokens/s, for the
default model (a random-init model of the default size when none is shipped yet; the output
says which) and for a GPT-2 baseline of the same parameter count, and prints the ratios.
See `tunesmith.evaluation.bench` for the method.
"""

from __future__ import annotations

import argparse
import sys

from tunesmith.cli import bench


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    bench.add_arguments(parser)
    parser.add_argument("--quick", action="store_true", help="3 runs, batch 8 only, 16 bars, 2 training steps")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.batches, args.bars, args.train_steps, args.train_seq = 3, "8", 16, 2, 512
    return bench.run(args)


if __name__ == "__main__":
    sys.exit(main())
