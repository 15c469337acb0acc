#!/usr/bin/env python
"""Train the harmonizers that `tunesmith harmonize` uses, and ship them beside the default model.

    python scripts/fit_harmonizer.py                       # both -> src/tunesmith/models/default/
    python scripts/fit_harmonizer.py --kind chorale --out runs/harm --json runs/harm.json

lead: the shippable training split's lead sheets with a melody and chord symbols (Nottingham,
pre-1931 OpenEWLD), one chord label per half bar; the chord-to-chord prior for sampled takes
also counts Billboard's CC0 progressions. Early stopping on the valid split of the same sources.
chorale: the JSB training chorales (public domain), the chord the four parts sound on each beat.
Research-only sources (POP909, the jazz chord-melody set, Omnibook) never train a shipped
harmonizer: the pieces are filtered by `may_ship` like the default model's.
Takes about 3 minutes (lead) and 1 minute (chorale) on one CPU core.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import torch

from tunesmith.corpus import load_corpus
from tunesmith.harmonizer import Harmonizer, HarmonizerConfig
from tunesmith.paths import atomic_write_text, shown_path
from tunesmith.pretrained import DEFAULT_MODEL_DIR
from tunesmith.solvers.harmonizer import (
    HarmonizerTrainConfig,
    build_examples,
    style_transition_priors,
    train_harmonizer,
)


def fit(kind: str, corpus, args) -> tuple[Harmonizer, dict]:
    if kind == "lead":
        train_p = [p for p in corpus.filter(split="train", shippable=True) if p.style != "chorale"]
        valid_p = [p for p in corpus.filter(split="valid", shippable=True) if p.style != "chorale"]
        unit, batch = "half", 16
    else:
        train_p = list(corpus.filter(split="train", style="chorale", shippable=True))
        valid_p = list(corpus.filter(split="valid", style="chorale", shippable=True))
        unit, batch = "beat", 8
    train, valid = build_examples(train_p, unit=unit), build_examples(valid_p, unit=unit)
    trans, start = style_transition_priors(train_p, unit=unit)
    nets, reports = [], []
    for k in range(args.ensemble):
        config = HarmonizerTrainConfig(epochs=args.epochs, batch_size=batch, seed=args.seed + k,
                                       style_dropout=args.style_dropout)  # fmt: skip
        net, report = train_harmonizer(train, valid, config, HarmonizerConfig(hidden=args.hidden, dropout=args.dropout,
                                                                              unit=unit), progress=not args.json_only)  # fmt: skip
        nets.append(net)
        reports.append(report)
    used = [p for p in train_p if p.piece_id in {e.piece_id for e in train}]
    provenance = {
        "corpus": Path(str(getattr(corpus, "path", "") or "corpus")).name,
        "corpus_created": corpus.manifest.get("created", ""),
        "split": "train (early stopping on valid)",
        "pieces": len(used),
        "sources": dict(Counter(p.source for p in used)),
        "licenses": dict(Counter(p.license for p in used)),
        "transition_prior_sources": dict(Counter(p.source for p in train_p if p.chords or unit == "beat")),
        "transition_prior_licenses": {p.source: p.license for p in train_p if p.chords or unit == "beat"},
    }
    h = Harmonizer(nets[0].config, [net.numpy_params() for net in nets], trans, start)
    best = [min(r["history"], key=lambda row: row.get("valid_loss", 1e9)) for r in reports]
    info = {"name": f"harmonizer-{kind}", "training": [{k: v for k, v in r.items() if k != "history"} for r in reports],
            "valid_at_best": best, "epochs_run": [r["history"][-1]["epoch"] for r in reports],
            "provenance": provenance}  # fmt: skip
    path = h.save(args.out, info)
    return h, {"kind": kind, "file": shown_path(path), **info}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, help="corpus cache (default: the built one)")
    ap.add_argument("--kind", choices=("lead", "chorale", "both"), default="both")
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--style-dropout", type=float, default=0.5,
                    help="share of training windows shown as style 'other' (0.5 chosen on the valid split)")
    ap.add_argument("--ensemble", type=int, default=1, help="networks from seeds seed, seed+1, ... (probabilities averaged)")
    ap.add_argument("--json", type=Path, help="also write the training report here")
    ap.add_argument("--json-only", action="store_true", help="no progress bar")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)  # a small recurrent net trains fastest on one thread
    corpus = load_corpus(args.corpus)
    reports = []
    for kind in ("lead", "chorale") if args.kind == "both" else (args.kind,):
        _, rep = fit(kind, corpus, args)
        reports.append(rep)
        for best, training in zip(rep["valid_at_best"], rep["training"]):
            print(f"{rep['kind']} -> {rep['file']}: {rep['provenance']['pieces']} pieces {rep['provenance']['sources']}; "
                  f"valid at best: loss {best.get('valid_loss')}, label accuracy {best.get('valid_label_accuracy')}, "
                  f"root accuracy {best.get('valid_root_accuracy')} ({training['seconds']} s)")  # fmt: skip
    if args.json:
        atomic_write_text(args.json, json.dumps(reports, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
