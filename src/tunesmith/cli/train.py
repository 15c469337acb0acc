"""`tunesmith train`: fit the composer on the corpus (or resume a run)."""

from __future__ import annotations

import argparse
import sys

HELP = "train the composer model on the corpus; checkpoints in safetensors, --resume continues"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        default="small",
        help="TOML training config: a file, or one shipped with tunesmith: small, default, finetune, test (default: %(default)s)",
    )
    parser.add_argument("--out", required=True, help="output folder for the model and checkpoints")
    parser.add_argument("--resume", action="store_true", help="continue from the folder's last checkpoint")
    parser.add_argument("--force", action="store_true", help="replace the model --out already holds (else refused)")
    parser.add_argument("--max-minutes", type=float, default=None, help="stop cleanly after this many minutes of training, counted across --resume")
    parser.add_argument("--max-steps", type=int, default=None, help="override the config's max_steps")
    parser.add_argument(
        "--shippable-only", action="store_true", default=None, help="only data whose license lets the model ship"
    )
    parser.add_argument(
        "--corpus", default=None, help="corpus cache folder (default: the config's, else the default cache)"
    )
    parser.add_argument("--seed", type=int, default=None, help="override the config's seed")
    parser.add_argument("--init", default=None, metavar="MODEL",
                        help="start from this model's weights (a folder, or 'default'): fine-tuning")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: the config's)")
    parser.add_argument("--synthetic", type=int, default=None, help="train on N synthetic pieces (smoke test)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print the result as JSON (no progress bar)")


def run(args: argparse.Namespace) -> int:
    from tunesmith.config import load_config
    from tunesmith.solvers.train import train

    config = load_config(
        args.config,
        max_steps=args.max_steps,
        shippable_only=args.shippable_only,
        corpus=args.corpus,
        seed=args.seed,
        threads=args.threads,
        synthetic=args.synthetic,
        init_from=args.init,
    )
    if args.corpus and config.synthetic and args.synthetic is None:
        # `--config test` trains on synthetic pieces: a corpus named on the command line wins, said
        # (it had been ignored without a word, the model's record naming the corpus all the same)
        print(f"tunesmith train: note: the config trains on {config.synthetic} synthetic pieces; --corpus "
              f"{args.corpus} given, so on that corpus instead", file=sys.stderr)  # fmt: skip
        from dataclasses import replace

        config = replace(config, synthetic=0)
    progress = not (args.quiet or getattr(args, "json", False))
    result = train(config, args.out, resume=args.resume, max_minutes=args.max_minutes, progress=progress,
                   force=args.force)
    if result.get("world_size", 1) > 1:  # under torchrun: every rank returns the same summary; rank 0 says it
        import os

        if os.environ.get("RANK", "0") != "0":
            return 0
    if getattr(args, "json", False):
        import json

        print(json.dumps(result, indent=1, default=str))
        return 0
    best = result["best_val_loss"]
    print(
        f"tunesmith train: {result['steps']} steps, stopped by {result['stopped']}, "
        f"best validation loss {best:.4f}; model in {result['out']}/model.safetensors"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m tunesmith.cli.train ...` (the same as `tunesmith train ...`)."""
    parser = argparse.ArgumentParser(prog="tunesmith train", description=HELP)
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except (ValueError, FileNotFoundError, FileExistsError) as exc:
        from tunesmith.cli import one_line

        print(f"tunesmith train: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tunesmith train: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
