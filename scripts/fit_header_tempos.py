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
`--min-pieces` pieces, go into decoding.json as "header_tempos", but for a bucket whose notes lie
mostly off the sixteenth grid (`--max-off-grid`, a share of notes): it marks a source written in
triplet time, not a speed. The shipped model's folk tempos were fitted on a corpus that read the
Irish MIDI files as played: every note a tick late (so all of 144, 160 and 176 measured 1.0 off the
grid, though the tokenizer's rounding put the jigs and reels at 160 and 176 on it) and 70
hornpipes swung in triplets (61 of them at 144). Only 144 was triplet time to the model: a fiddler's reel asked
at 144 came back as a page of triplet brackets (51 % of its notes off the grid, 18 of 20 takes).
The corpus now reads those files as written (`SourceSpec.performed`), so a model trained on it
may be refitted; the shipped model's header_tempos stay what it learned.
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


def off_grid_shares(pieces) -> dict[int, float]:
    """Tempo bucket -> the share of its pieces' notes that start or end off the sixteenth grid."""
    off, total = Counter(), Counter()
    for p in pieces:
        notes = [n for t in p.tracks for n in t.notes]
        if not notes:
            continue
        b = tempo_bucket(p.tempo)
        total[b] += len(notes)
        off[b] += sum(round(n.onset * 4, 6) % 1 != 0 or round(n.duration * 4, 6) % 1 != 0 for n in notes)
    return {b: off[b] / total[b] for b in total}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default", help="the model folder whose decoding.json --write updates")
    ap.add_argument("--min-pieces", type=int, default=10, help="a tempo counts with at least this many pieces")
    ap.add_argument("--max-off-grid", type=float, default=0.5,
                    help="a tempo whose notes lie off the sixteenth grid more than this share is left out")
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
        pieces = list(corpus.filter(split="train", style=style, shippable=True))
        counts, shares = style_tempos(pieces), off_grid_shares(pieces)
        kept = sorted(b for b, n in counts.items() if n >= args.min_pieces and shares.get(b, 0.0) <= args.max_off_grid)
        report["styles"][style] = {"pieces_by_tempo": dict(sorted(counts.items())), "header_tempos": kept,
                                   "off_grid_by_tempo": {b: round(v, 3) for b, v in sorted(shares.items())}}
        print(style, json.dumps(report["styles"][style]), flush=True)
        if kept:
            entries[style] = {"header_tempos": kept}
    if args.json:
        atomic_write_text(args.json, json.dumps(report, indent=1) + "\n")
    if args.write:
        folder = DEFAULT_MODEL_DIR if args.model == "default" else args.model
        command = f"python scripts/fit_header_tempos.py --min-pieces {args.min_pieces} --max-off-grid {args.max_off_grid} --write"
        update_decoding_file(folder, entries, "header_tempos_fitted_on", "shippable training split; " + command)
        print("wrote header_tempos into the model's decoding.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
