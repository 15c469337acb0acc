"""`tunesmith tune`: fine-tune a model toward rewards (rules, a criteria file, preferences)."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "fine-tune a model by reward (policy gradient with a KL penalty to the base); controls still hold"


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """What `tune` and `adversarial` share: the base, the output, the run's size and resume."""
    parser.add_argument("--base", default="default", help="model to start from: 'default' or a model folder")
    parser.add_argument("--out", required=True, help="output folder: the tuned model, checkpoints, tune_log.json")
    parser.add_argument("--config", help="TOML file of tune settings (fields of TuneConfig; flags below override)")
    parser.add_argument("--styles", help="comma-separated styles to tune on (default: folk)")
    parser.add_argument("--rounds", type=int, help="policy-gradient rounds (default 40)")
    parser.add_argument("--bars", type=int, help="bars per take while tuning (default 8)")
    parser.add_argument("--prompts", type=int, help="compose requests per round (default 4)")
    parser.add_argument("--takes", type=int, help="takes per request (default 4; the baseline is leave-one-out)")
    parser.add_argument("--lr", type=float, help="learning rate (default 2e-5)")
    parser.add_argument("--kl", type=float, dest="kl_coef", help="KL penalty coefficient (default 0.05); the KL shown is "
                        "KL(tuned || base) per take in nats, summed over its free tokens")
    parser.add_argument("--kl-estimator", choices=["sampled", "exact"], help="the KL the penalty uses: on the sampled "
                        "tokens (default) or exact over every allowed token (lower variance)")
    parser.add_argument("--ml-coef", type=float, help="weight of maximum-likelihood steps mixed in (default 0)")
    parser.add_argument("--cadence", choices=["free", "tonic", "home"], help="the takes' cadence control (default: by style)")
    parser.add_argument("--meter", help="the takes' meter (default: the style's); several, comma-separated "
                        "('4/4,4/4,6/8'): one drawn per request, a meter given twice drawn twice as often")
    parser.add_argument("--ending-lr", type=float, help="learning rate of the closing degree drawn under a tonic "
                        "cadence (default 0.5; 0 keeps the base's shares)")  # fmt: skip
    parser.add_argument("--seed", type=int)
    parser.add_argument(
        "--synthetic", type=int, default=0, help="use N synthetic pieces as the real music (smoke tests)"
    )
    parser.add_argument("--snapshot-every", type=int, help="keep a copy of the model every N rounds in OUT/round-NNNN")
    parser.add_argument("--resume", action="store_true", help="continue from the folder's checkpoint, with its "
                        "settings (flags given again must agree) and the same base and rewards; with a larger "
                        "--rounds, extend a finished run")  # fmt: skip
    parser.add_argument("--force", action="store_true", help="replace the model or run OUT already holds (its "
                        "checkpoint and round-NNNN snapshots are removed first)")  # fmt: skip
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reward",
        action="append",
        required=True,
        metavar="NAME[:WEIGHT]",
        help="rules | rule-targets (RL Tuner's targets; a rule pulls only while its target is missed) | a rule's name | criteria.toml | preferences | novelty (unlike the round's other takes); repeat to "
        "combine, e.g. --reward preferences --reward novelty:1, "
        "or --reward rules --reward mine.toml:0.5",
    )
    parser.add_argument("--method", choices=["reinforce", "dpo"],
                        help="update rule: policy gradient (default) or DPO on each request's best vs worst take")  # fmt: skip
    parser.add_argument("--beta", type=float, dest="dpo_beta", help="DPO's beta (default 0.1)")
    parser.add_argument("--preference-model", help="the Bradley-Terry model for --reward preferences "
                        "(default: $TUNESMITH_HOME/preference_model.json)")  # fmt: skip
    add_common_arguments(parser)


def tune_config(args: argparse.Namespace):
    """The TuneConfig of the command line: with --resume the checkpoint's own settings first (so
    that `--resume --rounds 300` extends a run without its other flags typed again), then
    --config's file, then the flags."""
    import tomllib

    from tunesmith.solvers.policy_gradient import TuneConfig

    d: dict = {}
    if getattr(args, "resume", False):
        from tunesmith.solvers.policy_gradient import CHECKPOINT_FILE, load_checkpoint

        if (Path(args.out) / CHECKPOINT_FILE).is_file():
            d.update(load_checkpoint(Path(args.out))[1].get("tune_config") or {})
    if args.config:
        from tunesmith.inputs import check_local_file

        if not Path(args.config).exists():
            raise FileNotFoundError(f"tune config not found: {args.config}")
        # a pipe, a device, a folder or a file over the file limit is refused before it is read (a pipe
        # had hung `tune`, a link to /dev/zero had filled the memory)
        check_local_file(args.config, min_bytes=0)
        try:
            with open(args.config, "rb") as f:
                raw = tomllib.load(f)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{args.config}: not valid TOML: {exc}") from None
        except UnicodeDecodeError:
            raise ValueError(f"{args.config}: not a TOML config (not UTF-8 text)") from None
        except (RecursionError, ValueError) as exc:  # arrays nested 100,000 deep, a number of 100,000 digits
            detail = (str(exc).splitlines() or [""])[0][:120]
            raise ValueError(f"{args.config}: not valid TOML ({type(exc).__name__}: {detail})") from None
        for k, v in raw.items():
            d.update(v if isinstance(v, dict) else {k: v})
    flags = {"rounds": args.rounds, "bars": args.bars, "prompts_per_round": args.prompts,
             "takes_per_prompt": args.takes, "lr": args.lr, "kl_coef": args.kl_coef, "kl_estimator": args.kl_estimator, "ml_coef": args.ml_coef,
             "cadence": args.cadence, "meter": args.meter, "seed": args.seed, "ending_lr": args.ending_lr,
             "snapshot_every": args.snapshot_every, "method": getattr(args, "method", None), "dpo_beta": getattr(args, "dpo_beta", None)}  # fmt: skip
    if args.styles:
        flags["styles"] = [s.strip().lower() for s in args.styles.split(",") if s.strip()]
    d.update({k: v for k, v in flags.items() if v is not None})
    return TuneConfig.from_dict(d)


def real_pieces(args: argparse.Namespace, config):
    if args.synthetic:
        from tunesmith.solvers.train import synthetic_pieces

        ps = [p for p in synthetic_pieces(args.synthetic, seed=config.seed) if p.style in config.styles]
        return [p for p in ps if p.split == "train"], [p for p in ps if p.split != "train"]
    from tunesmith.solvers.policy_gradient import corpus_pieces

    # only music whose license lets a model ship: ML steps and the discriminator shape the weights
    return corpus_pieces(config.styles, shippable_only=True)


def report(args: argparse.Namespace, result: dict, verb: str) -> int:
    import json

    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "history"}, indent=1, default=str))
        return 0
    last = result["last"] or {}

    def shown(name: str) -> str:  # four places, as the progress bar shows them (it had printed 0.6575383533741012)
        value = last.get(name)
        return f"{value:.4f}" if isinstance(value, float) else str(value)

    print(f"tunesmith {verb}: {result['rounds']} rounds; last reward {shown('reward')}, KL {shown('kl')}, "
          f"held-out NLL {shown('heldout_nll')}; {result['minutes_per_round']} min/round; model in {result['out']}")  # fmt: skip
    return 0


def preference_warnings(reward) -> None:
    """Say on stderr what the preference model's fit warned of (few held-out pairs, an accuracy
    near chance): a student tuned on a model fitted on 10 pairs and saw it only in the card."""
    import sys

    from tunesmith.ratings import fit_warnings

    for name, (fn, _) in getattr(reward, "parts", {}).items():
        model = getattr(fn, "model", fn)
        for warning in fit_warnings(getattr(model, "report", None) or {}) if name == "preferences" else []:
            print(f"tunesmith tune: warning: the preference model: {warning}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from tunesmith.rewards import resolve
    from tunesmith.solvers.model_folder import check_out_folder
    from tunesmith.solvers.policy_gradient import tune

    config = tune_config(args)  # every check before any heavy work
    check_out_folder(args.out, resume=args.resume, force=args.force)
    reward = resolve(args.reward, preference_model=args.preference_model)
    preference_warnings(reward)

    pieces = real_pieces(args, config)
    progress = not (args.quiet or args.json)
    # what the card and the progress bar call it: online DPO is preference optimisation on the
    # model's own takes, not policy-gradient reinforcement learning (a student read it as RL)
    method = ("online DPO on its own takes (tunesmith tune --method dpo)" if config.method == "dpo"
              else "reinforcement learning (tunesmith tune)")  # fmt: skip
    result = tune(args.base, reward, args.out, config, pieces=pieces, resume=args.resume, force=args.force,
                  progress=progress, method=method)  # fmt: skip
    return report(args, result, "tune")
