"""`tunesmith bench`: compose latency, batched throughput and training tokens/s, tunesmith vs the
GPT-2 + REMI baseline of the same parameter count, measured in the same run."""

from __future__ import annotations

import argparse
import json
import sys

HELP = "benchmark compose latency, batched throughput and training speed against the GPT-2 baseline"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        default="default",
        help="model folder or 'default' (random init of the default size when no default model is shipped yet)",
    )
    parser.add_argument("--baseline", help="a trained GPT-2 baseline folder (default: random init, same size)")
    parser.add_argument("--runs", type=int, default=10, help="latency runs after warm-up (median; default 10)")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--batches", default="8,16", help="batch sizes for throughput (default 8,16)")
    parser.add_argument("--bars", type=int, default=32, help="bars per lead sheet (default 32)")
    parser.add_argument("--train-batch", type=int, default=8)
    parser.add_argument("--train-seq", type=int, default=1024)
    parser.add_argument("--train-steps", type=int, default=3)
    parser.add_argument(
        "--ddp",
        type=int,
        default=2,
        help="also time training in N processes under torchrun vs one (0: skip; default 2)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--out", help="also write the JSON results to this file")


def measure(args: argparse.Namespace) -> dict:
    """Validate the arguments, then run the benchmark; returns its JSON-ready dict."""
    if args.runs < 1 or args.warmup < 0:
        raise ValueError("--runs must be >= 1 and --warmup >= 0")
    batches = tuple(int(b) for b in args.batches.split(",") if b.strip())
    ddp = getattr(args, "ddp", 0)
    if ddp == 1 or ddp < 0:
        raise ValueError("--ddp: 0 (skip) or at least 2 processes")
    if ddp and args.train_batch < ddp:
        raise ValueError(f"--ddp {ddp}: needs --train-batch of at least {ddp}")
    if not batches or min(batches) < 1:
        raise ValueError(f"--batches {args.batches!r}: positive integers, e.g. 8,16")
    from tunesmith.evaluation.bench import run_bench

    return run_bench(
        model=args.model,
        baseline_dir=args.baseline,
        runs=args.runs,
        warmup=args.warmup,
        batches=batches,
        bars=args.bars,
        train_batch=args.train_batch,
        train_seq=args.train_seq,
        train_steps=args.train_steps,
        ddp_world=ddp,
        seed=args.seed,
        progress=not args.json,
    )


def report(result: dict, args: argparse.Namespace, text) -> None:
    """Write `result` to --out (atomically), then print it as JSON (--json) or as `text()`."""
    if args.out:
        from tunesmith.paths import atomic_write_text

        atomic_write_text(args.out, json.dumps(result, indent=1) + "\n")
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print()
    else:
        print(text())


def run(args: argparse.Namespace) -> int:
    from tunesmith.evaluation.bench import format_bench

    result = measure(args)
    report(result, args, lambda: format_bench(result))
    return 0
