#!/usr/bin/env python
"""Fit the lead-sheet chord table that `tunesmith harmonize` uses, and ship it with the model.

    python scripts/fit_chord_table.py            # -> src/tunesmith/models/default/chord_table.json

Counts (`baselines.harmony_baseline.LeadSheetBaseline`, per half bar) from the training split
of the built corpus, only pieces with chord symbols whose license lets them ship (the same
rule as the default model). On held-out Nottingham and POP909 melodies this table names the
chord root 2-3x more often than the default model does (scripts/eval_cocreate.py), so
harmonize uses it for lead sheets unless asked for the model (`--chords-from model`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from tunesmith.baselines.harmony_baseline import LeadSheetBaseline
from tunesmith.corpus import load_corpus
from tunesmith.paths import atomic_write_text
from tunesmith.pretrained import DEFAULT_MODEL_DIR


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, help="corpus cache (default: the built one)")
    ap.add_argument("--unit", default="half", choices=("bar", "half"))
    ap.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR / "chord_table.json")
    args = ap.parse_args(argv)
    corpus = load_corpus(args.corpus)
    # lead sheets only: a melody under chord symbols (Billboard's progressions have no melody, and
    # their chords would be counted as the chords of silence)
    pieces = [p for p in corpus.filter(split="train", shippable=True)
              if p.chords and p.style != "chorale" and p.melody() is not None and p.melody().notes]  # fmt: skip
    table = LeadSheetBaseline(args.unit).fit(pieces)
    data = table.to_dict()
    data["provenance"] = {
        "corpus_created": corpus.manifest.get("created", ""),
        "split": "train",
        "pieces": len(pieces),
        "sources": dict(Counter(p.source for p in pieces)),
        "licenses": dict(Counter(p.license for p in pieces)),
    }
    atomic_write_text(args.out, json.dumps(data, separators=(",", ":")) + "\n")
    print(f"{args.out}: {table.n_units} {args.unit}-bar units from {len(pieces)} pieces {data['provenance']['sources']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
