"""`tunesmith preferences import|export|fit|stats|dpo`: the ratings store, its reward model, and
direct preference optimisation of a model on the stored pairs."""

from __future__ import annotations

import argparse

HELP = "import or export pairwise preferences (CSV), fit the Bradley-Terry reward model on them, or tune a model on them by DPO"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["import", "export", "fit", "stats", "dpo"])
    parser.add_argument(
        "file",
        nargs="?",
        help="import: CSV whose header row names the columns preferred, other and optionally rater (any order; "
        "take paths relative to the CSV's folder); export: CSV to write (default stdout)",
    )
    parser.add_argument("--rater", help="import: rater for rows without one; export/fit: only this rater")
    parser.add_argument("--stars", action="store_true", help="export: also the pairs made from star ratings")
    parser.add_argument("--out", help="fit: where to write the model (default $TUNESMITH_HOME/preference_model.json); "
                        "dpo: the tuned model's folder (required)")  # fmt: skip
    parser.add_argument("--base", default="default", help="dpo: the model to tune ('default' or a folder)")
    parser.add_argument("--beta", type=float, default=0.1, help="dpo: beta (default 0.1)")
    parser.add_argument("--epochs", type=int, default=3, help="dpo: passes over the pairs (default 3)")
    parser.add_argument("--lr", type=float, default=2e-5, help="dpo: learning rate (default 2e-5)")
    parser.add_argument("--seed", type=int, default=0, help="fit: seed of the held-out split")
    parser.add_argument("--ensemble", type=int, default=5,
                        help="fit: K bootstrap models whose mean less one standard deviation is the reward "
                        "(a take they disagree about is not paid for it; default 5); 0: one model")  # fmt: skip
    parser.add_argument("--force", action="store_true", help="export: overwrite the CSV; dpo: replace the model --out "
                        "already holds")  # fmt: skip
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(_late_positional="file")  # `export --stars out.csv` as well as `export out.csv --stars`


def run(args: argparse.Namespace) -> int:
    import json

    from tunesmith.ratings import RatingsStore

    if args.file and args.action in ("fit", "stats", "dpo"):  # `fit prefs.csv` had fitted the store, the CSV unread
        raise ValueError(f"preferences {args.action} takes no file: it reads the pairs in the ratings store; "
                         f"add {args.file}'s with `tunesmith preferences import {args.file}`")  # fmt: skip
    with RatingsStore() as store:
        if args.action == "import":
            if not args.file:
                raise ValueError("preferences import needs a CSV file")
            got = store.import_csv_report(args.file, args.rater)
            result = {"imported_pairs": got["imported"], "skipped_duplicates": got["skipped_duplicates"],
                      "store": store.counts()}  # fmt: skip
        elif args.action == "export":
            if args.file not in (None, "-"):
                from pathlib import Path

                from tunesmith.take import check_overwrite

                check_overwrite([Path(args.file)], args.force, hint="--force")
            n = store.export_csv(args.file, args.rater, stars=args.stars)
            if args.file in (None, "-"):
                return 0
            result = {"exported_pairs": n, "file": args.file}
        elif args.action == "stats":
            result = {"store": store.counts(), "agreement": store.agreement()}
        elif args.action == "dpo":
            result = _dpo(store, args)
        else:
            _, result = store.fit(args.rater, seed=args.seed, out=args.out, ensemble=args.ensemble)
    if args.action == "fit":
        import sys

        for w in result.get("warnings", []):
            print(f"tunesmith preferences: warning: {w}", file=sys.stderr)
    if args.json:
        print(json.dumps(result, indent=1, default=str))
    elif args.action == "fit":
        acc = result.get("heldout_accuracy")
        ens = result.get("heldout_accuracy_ensemble")
        agree = result["agreement"]["agreement"]
        # the ensemble's figure is the one of the reward `tune --reward preferences` uses
        said = f"{'n/a' if acc is None else f'{acc:.3f}'}" + (
            f" (one model; the ensemble the reward uses: {ens:.3f})" if ens is not None else "")
        print(f"fitted on {_n(result['pairs'], 'pair')} ({', '.join(result['raters']) or 'no raters'}); held-out "
              f"pairwise accuracy {said} on {_n(result.get('heldout_pairs'), 'pair')}; rater agreement "
              f"{'n/a' if agree is None else f'{agree:.3f}'}; saved {result['saved']}")  # fmt: skip
    elif args.action == "stats":
        store, agree = result["store"], result["agreement"]
        print(f"the store holds {_n(store['pairs'], 'pair')} and {_n(store['ratings'], 'star rating')}"
              + (f"; raters: {', '.join(store['raters'])}" if store.get("raters") else "")
              + (f"; agreement {agree['agreement']:.3f} on {_n(agree.get('shared_pairs'), 'shared pair')}"
                 if agree.get("agreement") is not None else "; agreement n/a (no pair judged by two raters)"))  # fmt: skip
    elif args.action == "export":
        print(f"exported {_n(result['exported_pairs'], 'pair')} to {result['file']}")
    elif args.action == "dpo":
        print(f"tuned model written to {args.out}: {_n(result['pairs'], 'pair')}, after tuning mean margin "
              f"{result['margin_after']:.4g}, ranked right {result['accuracy_after']:.3f}")  # fmt: skip
    elif args.action == "import":
        skipped = f", {result['skipped_duplicates']} already stored skipped" if result["skipped_duplicates"] else ""
        print(f"imported {_n(result['imported_pairs'], 'pair')}{skipped} from {args.file}; the store holds "
              f"{_n(result['store']['pairs'], 'pair')}, {_n(result['store']['ratings'], 'star rating')}")  # fmt: skip
    else:
        print(json.dumps(result, default=str))
    return 0


def _dpo(store, args: argparse.Namespace) -> dict:
    """Offline DPO of `--base` on the store's pairs; writes a normal tunesmith model to `--out`."""
    if not args.out:
        raise ValueError("preferences dpo needs --out, the folder for the tuned model")
    if args.epochs < 1 or not args.beta > 0 or not args.lr > 0:
        raise ValueError("preferences dpo: --epochs must be >= 1, --beta and --lr positive")
    from pathlib import Path

    from tunesmith.solvers.model_folder import check_out_folder

    check_out_folder(args.out, force=args.force, what="dpo")  # before any heavy work
    from tunesmith import pretrained
    from tunesmith.paths import shown_path
    from tunesmith.solvers.dpo import dpo_margins, dpo_offline, pairs_from_store
    from tunesmith.solvers.model_folder import base_folder, clear_run, write_model_folder
    from tunesmith.solvers.policy_gradient import frozen_copy, inherited_info

    model, tokenizer, info = pretrained.load(args.base, torch=True)
    bdir = base_folder(info)
    if bdir is not None and Path(args.out).resolve() == bdir.resolve():
        raise ValueError(f"{args.out}: is the base model's folder; write the tuned model to another --out")
    pairs = pairs_from_store(store, tokenizer, model.config.block_size, args.rater)
    if not pairs:
        raise ValueError("preferences dpo: the store holds no usable pairs (tunesmith prefer / rate / preferences import)")
    reference = frozen_copy(model)
    dpo_offline(model, reference, pairs, beta=args.beta, lr=args.lr, epochs=args.epochs, seed=args.seed)
    after = dpo_margins(model, reference, pairs, beta=args.beta)  # the pairs as the tuned weights rank them
    base_id = shown_path(args.base)  # no machine path in the model's files
    tuning = {"method": "offline DPO on the ratings store (tunesmith preferences dpo)", "base": base_id,
              "base_sha256": info.get("sha256"), "pairs": len(pairs), "raters": store.raters() if not args.rater
              else [args.rater], "beta": args.beta, "epochs": args.epochs, "lr": args.lr,
              "margin_after": after.margin, "accuracy_after": after.accuracy}  # fmt: skip
    card = [
        "# Fine-tuned tunesmith model (DPO)",
        "",
        f"Tuned from `{base_id}` (sha256 {str(info.get('sha256'))[:12]}) by {tuning['method']}: direct preference "
        "optimisation on people's pairwise judgements, log-ratios to the frozen base.",
        "",
        f"- pairs: {len(pairs)}; raters: {', '.join(tuning['raters']) or 'none'}",
        f"- beta {args.beta}, epochs {args.epochs}, lr {args.lr}",
        f"- after tuning, on its pairs: mean margin {tuning['margin_after']:.4g}, ranked right {tuning['accuracy_after']:.3f}",
        "",
        "The hard controls (meter, bars, key, range, chords, in-scale) are masks applied while sampling, "
        "so they hold for this model exactly as for its base. Training data: the base model's (below).",
        "",
    ]  # fmt: skip
    if args.force:
        clear_run(args.out)  # the folder never mixes two runs
    write_model_folder(args.out, model, tokenizer, inherited_info(info) | {"tuning": tuning}, base_info=info,
                       base_id=base_id, card=card)  # fmt: skip
    return {"out": args.out, **tuning}


def _n(count, word: str) -> str:
    """'1 pair', '2 pairs' ("the store holds 1 pairs" had been said); a count not known is said as is."""
    return f"{count} {word}" + ("" if count == 1 else "s")
