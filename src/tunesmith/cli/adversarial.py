"""`tunesmith adversarial`: fine-tune a model against a discriminator (a GAN trained by policy gradient)."""

from __future__ import annotations

import argparse

HELP = "fine-tune a model against a discriminator of real vs generated music (per style), round by round"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from tunesmith.cli.tune import add_common_arguments

    add_common_arguments(parser)
    parser.add_argument("--disc-steps", type=int, default=20, help="discriminator updates per round (default 20)")
    parser.add_argument("--d-reward", choices=["probability", "log_ratio"], default="probability",
                        help="the discriminator's reward: D, the probability of real (default), or its logit log D/(1-D)")  # fmt: skip
    parser.add_argument("--reward", action="append", default=[], metavar="NAME[:WEIGHT]",
                        help="other rewards added to the discriminator's (as for tune)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from tunesmith.cli.tune import real_pieces, report, tune_config
    from tunesmith.rewards import resolve
    from tunesmith.solvers.model_folder import check_out_folder
    from tunesmith.solvers.policy_gradient import tune

    config = tune_config(args)
    if args.disc_steps < 1:
        raise ValueError(f"--disc-steps must be at least 1, got {args.disc_steps}")
    check_out_folder(args.out, resume=args.resume, force=args.force)
    from tunesmith.rewards.discriminator import Discriminator

    train, valid = real_pieces(args, config)
    disc = Discriminator(train, valid, bars=config.bars, steps=args.disc_steps, seed=config.seed, reward=args.d_reward)
    reward = resolve(["discriminator", *args.reward], discriminator=disc)
    progress = not (args.quiet or args.json)
    result = tune(args.base, reward, args.out, config, pieces=(train, valid), resume=args.resume, force=args.force,
                  progress=progress, method="adversarial (tunesmith adversarial)")  # fmt: skip
    return report(args, result, "adversarial")
