"""Held-out NLL per note and per bar, whole pieces (header priced under a uniform prior), for
several tunesmith models on the same test pieces of each style (`evaluation.likelihood`).

    python scripts/compare_nll.py --model old=runs/old-default --model new=default --max 200 --json runs/nll.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys

from tunesmith.evaluation.likelihood import canonical_view, tunesmith_nll
from tunesmith.paths import atomic_write_text
from tunesmith.score import STYLES


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", action="append", required=True, help="NAME=PATH ('default': the shipped model)")
    ap.add_argument("--max", type=int, default=200, help="test pieces per style (0: all)")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)

    from tunesmith.corpus import load_corpus
    from tunesmith.model import load_model
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    corpus = load_corpus(None)
    models = {}
    for spec in args.model:
        name, _, path = spec.partition("=")
        models[name] = load_model(DEFAULT_MODEL_DIR if path == "default" else path)[:2]
    out: dict = {"styles": {}, "models": {s.partition("=")[0]: s.partition("=")[2] for s in args.model}}
    first_tok = next(iter(models.values()))[1]

    def scorable(p) -> bool:
        try:
            canonical_view(p, first_tok)
            return True
        except ValueError:  # a meter the tokenizer cannot write: skipped for every model alike
            return False

    for style in STYLES:
        pieces = [p for p in corpus.filter(split="test", style=style) if p.n_notes and scorable(p)]
        random.Random(f"nll:{style}").shuffle(pieces)
        if args.max:
            pieces = pieces[: args.max]
        row = {}
        for name, (model, tok) in models.items():
            views = [canonical_view(p, tok) for p in pieces]
            r = tunesmith_nll(model, tok, views)
            row[name] = {k: r[k] for k in ("per_note_joint", "per_bar_joint", "per_token", "n_pieces", "n_skipped")}
        out["styles"][style] = row
        print(style, " | ".join(f"{n}: {v['per_note_joint']:.3f}/note {v['per_bar_joint']:.2f}/bar "
                                 f"({v['n_pieces']} pieces)" for n, v in row.items()), flush=True)
    if args.json:
        atomic_write_text(args.json, json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
