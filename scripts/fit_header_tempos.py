"""The tempos a model learned each style at, for the header it composes after (decoding.json).

    python scripts/fit_header_tempos.py [--model default] [--min-pieces 10] [--json FILE] [--write]

Why: the header's tempo token (`tokenizer.TEMPO_BUCKETS`) is all a model knows of a tempo, and
in the shippable training split it marks the source more than the speed. ABC tunes, Bach's
chorales and the OpenEWLD songs have no tempo and are read at 120; the Irish MIDI files carry
their own (72 hornpipes at 144, written in swung triplets). So the model learned "144: triplet
eighths" for every style, and composed a jazz tune at its default 140 in triplets, where the
jazz tunes it learned from have none; a chorale at its default 72 had a tempo token no training
chorale ever had. A model is told instead the nearest tempo its style was learned at
(`sampling.header_tempo`); the take keeps the tempo asked for.

Per style, the tempo buckets of its shippable training pieces with notes, those with at least
`--min-pieces` pieces, go into decoding.json as "header_tempos".
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from tunesmith.paths import atomic_write_text
from tunesmith.score import STYLES
from tunesmith.tokenizer import tempo_bucket


def style_tempos(pieces) -> Counter:
    """Tempo bucket -> number of pieces with notes."""
    return Counter(tempo_bucket(p.tempo) for p in pieces if any(t.notes for t in p.tracks))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default", help="the model folder whose decoding.json --write updates")
    ap.add_argument("--min-pieces", type=int, default=10, help="a tempo counts with at least this many pieces")
    ap.add_argument("--json", default=None)
    ap.add_argument("--write", action="store_true", help="store header_tempos in the model's decoding.json")
    args = ap.parse_args(argv)

    from tunesmith.corpus import load_corpus
    from tunesmith.inference import update_decoding_file
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    corpus = load_corpus(None)
    report: dict = {"min_pieces": args.min_pieces, "styles": {}}
    entries = {}
    for style in STYLES:
        counts = style_tempos(corpus.filter(split="train", style=style, shippable=True))
        kept = sorted(b for b, n in counts.items() if n >= args.min_pieces)
        report["styles"][style] = {"pieces_by_tempo": dict(sorted(counts.items())), "header_tempos": kept}
        print(style, json.dumps(report["styles"][style]), flush=True)
        if kept:
            entries[style] = {"header_tempos": kept}
    if args.json:
        atomic_write_text(args.json, json.dumps(report, indent=1) + "\n")
    if args.write:
        folder = DEFAULT_MODEL_DIR if args.model == "default" else args.model
        command = f"python scripts/fit_header_tempos.py --min-pieces {args.min_pieces} --write"
        update_decoding_file(folder, entries, "header_tempos_fitted_on", "shippable training split; " + command)
        print("wrote header_tempos into the model's decoding.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
