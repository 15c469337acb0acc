"""Fit how often jazz lead sheets write each of the key's triads with its seventh, and write it
into decoding.json as jazz's "seventh_shares".

    python scripts/fit_jazz_sevenths.py [--model default] [--json runs/seventh_shares.json] [--write]

What it is for: a composed jazz take's triads become their degree's seventh chords
(`cocreate.chords.jazz_sevenths`, decoding.json's "sevenths"). Applied to every chord, every I had
become Cmaj7 or C6 (0.98 of its time in 30 takes), where the jazz tunes write C plain in 0.76-0.81
of it (docs/notes/2026-12-05-session-47/jazz_sevenths.py). With these shares each take draws, per
degree, whether it writes that triad plain or with its seventh (`cocreate.chords.plain_triads`).

How: over the shippable training split's jazz pieces only, per mode and degree of the key's
triads, the share of the chord's time written with an added tone (`cocreate.chords.seventh_shares`).
`--write` merges them into the model folder's decoding.json (checked, atomically).
"""

from __future__ import annotations

import argparse
import json
import sys

from tunesmith.cocreate.chords import seventh_shares
from tunesmith.corpus import load_corpus
from tunesmith.inference import update_decoding_file
from tunesmith.paths import atomic_write_text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default")
    ap.add_argument("--json", default=None)
    ap.add_argument("--write", action="store_true", help="store the shares in the model's decoding.json")
    args = ap.parse_args(argv)
    pieces = [p for p in load_corpus(None).filter(split="train", style="jazz", shippable=True) if p.melody() is not None]
    shares = seventh_shares(pieces)
    if not shares:
        ap.error("no shippable jazz training piece with chords in a major or minor key")
    for mode, row in shares.items():
        print(f"{mode:5s} " + ", ".join(f"degree {d}: {v:.2f}" for d, v in row.items()))
    if args.json:
        atomic_write_text(args.json, json.dumps({"pieces": len(pieces), "seventh_shares": shares}, indent=1) + "\n")
    if args.write:
        from tunesmith.pretrained import DEFAULT_MODEL_DIR

        folder = DEFAULT_MODEL_DIR if args.model == "default" else args.model
        note = (f"python scripts/fit_jazz_sevenths.py --write: per mode and degree, the share of the chord time of the "
                f"key's triads that {len(pieces)} shippable training jazz tunes write with an added tone")  # fmt: skip
        update_decoding_file(folder, {"jazz": {"seventh_shares": shares}}, "seventh_shares_fitted_on", note)
        print(f"wrote seventh_shares into {folder}/decoding.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
