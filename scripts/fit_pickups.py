"""Fit how often each style's pieces start with a pickup (anacrusis), per meter, and write it
into decoding.json as "pickups".

    python scripts/fit_pickups.py [--model default] [--min-share 0.05] [--min-pieces 30]
        [--json runs/pickups.json] [--write]

What it is for: `compose` draws each take's pickup from these shares when the request leaves it
open. Most folk tunes start on an upbeat (an eighth before a jig's first bar line, a beat before
a reel's or a waltz's), and so do about 70 % of Bach's chorales (one beat); before, every take
started on the downbeat.

How: over the shippable training split only, each piece's pickup as the tokenizer reads it
(the header's `Pickup Pos_k`: the music starts k ticks into a virtual first bar), counted per
style and meter. A pickup length is kept when at least `--min-share` of the meter's pieces
have it; the pieces with rarer ones (pop's melodies start on many odd sixteenths) count as
starting on the downbeat. A meter with fewer than `--min-pieces` pieces gets no entry (no
pickup). Shares are of the pieces in that meter; the lengths are in quarter-note beats.
`--write` merges them into the model folder's decoding.json (checked, atomically).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict

from tunesmith.corpus import load_corpus
from tunesmith.inference import update_decoding_file
from tunesmith.paths import atomic_write_text
from tunesmith.score import STYLES
from tunesmith.tokenizer import TICKS_PER_BEAT, Tokenizer, meter_ticks


def header_pickup(tok: Tokenizer, ids: list[int]) -> int:
    """Ticks of music before the first bar line as a token header says it (0: none)."""
    head = ids[: ids.index(tok.bar_id)] if tok.bar_id in ids else ids
    if tok.pickup_id in head:
        position = head[head.index(tok.pickup_id) + 1] - tok.pos_base
        return position
    return 0


def fit(corpus, min_share: float, min_pieces: int) -> tuple[dict, dict]:
    tok = Tokenizer()
    counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for piece in corpus.filter(split="train", shippable=True):
        if piece.style not in STYLES:
            continue
        try:
            ids = tok.encode(piece, end_bar=2)
        except ValueError:
            continue  # a meter the vocabulary cannot write
        ts = piece.time_signature
        meter = f"{ts.numerator}/{ts.denominator}"
        position = header_pickup(tok, ids)
        beats = (meter_ticks(meter) - position) / TICKS_PER_BEAT if position else 0.0
        counts[piece.style][meter][round(beats, 4)] += 1
    shares: dict[str, dict] = {}
    report: dict[str, dict] = {}
    for style, meters in sorted(counts.items()):
        for meter, c in sorted(meters.items()):
            total = sum(c.values())
            report.setdefault(style, {})[meter] = {"pieces": total, "pickups": {str(k): v for k, v in c.most_common()}}
            if total < min_pieces:
                continue
            kept = {k: v for k, v in c.items() if k > 0 and v / total >= min_share}
            if not kept:
                continue
            row = {str(k): round(v / total, 4) for k, v in sorted(kept.items())}
            row["0"] = round(1.0 - sum(row.values()), 4)
            shares.setdefault(style, {})[meter] = dict(sorted(row.items(), key=lambda kv: float(kv[0])))
    return shares, report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default")
    ap.add_argument("--min-share", type=float, default=0.05)
    ap.add_argument("--min-pieces", type=int, default=30)
    ap.add_argument("--json", default=None)
    ap.add_argument("--write", action="store_true", help="store the shares in the model's decoding.json")
    args = ap.parse_args(argv)
    shares, report = fit(load_corpus(None), args.min_share, args.min_pieces)
    for style, meters in shares.items():
        for meter, row in meters.items():
            n = report[style][meter]["pieces"]
            print(f"{style:8s} {meter:5s} {n:6d} pieces: " + ", ".join(f"{k} beats {v:.3f}" for k, v in row.items()))
    if args.json:
        atomic_write_text(args.json, json.dumps({"shares": shares, "counts": report}, indent=1) + "\n")
    if args.write:
        from tunesmith.pretrained import DEFAULT_MODEL_DIR

        folder = DEFAULT_MODEL_DIR if args.model == "default" else args.model
        entries = {style: {"pickups": meters} for style, meters in shares.items()}
        note = (f"python scripts/fit_pickups.py --min-share {args.min_share} --min-pieces {args.min_pieces} "
                "--write: per style and meter, the shippable training pieces' pickups in beats (shares)")  # fmt: skip
        update_decoding_file(folder, entries, "pickups_chosen_on", note)
        print(f"wrote pickups into {folder}/decoding.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
