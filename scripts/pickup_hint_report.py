"""How well `tunesmith.inputs.pickup.pickup_hint` finds pickups: real tunes whose pickups are known,
their bar lines removed (as a MIDI file written without padding its first bar reads).

    python scripts/pickup_hint_report.py [--split valid] [--json FILE]

Per style: tunes with a pickup that got the right value, a wrong value or no hint; tunes without
one that got a (false) hint or none. Only pieces read from files that say where their bars are
(ABC, MusicXML, kern, JSON): a MIDI file's own bar lines are what the hint questions. `--midi`
lists instead how many pieces read from MIDI files the hint would question, per source.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections import Counter

from tunesmith.corpus import load_corpus
from tunesmith.inputs.pickup import pickup_hint
from tunesmith.paths import atomic_write_text
from tunesmith.score import STYLES


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="valid", choices=("train", "valid", "test"))
    ap.add_argument("--json", default=None)
    ap.add_argument("--midi", action="store_true", help="count the hints on pieces read from MIDI files, per source")
    args = ap.parse_args(argv)
    corpus = load_corpus(None)
    report = {}
    for style in STYLES:
        counts: Counter = Counter()
        for piece in corpus.filter(split=args.split, style=style):
            if len(piece.time_signatures) > 1 or piece.melody() is None:
                continue
            if str(piece.path).lower().endswith((".mid", ".midi")):
                if args.midi:
                    hint = pickup_hint(piece)
                    counts[f"{piece.source} MIDI: " + ("no hint" if hint is None else "hint")] += 1
                continue
            if args.midi:
                continue
            true = round(piece.pickup_beats(), 6)
            bare = copy.copy(piece)
            bare.bar_onsets = []
            hint = pickup_hint(bare)
            if true == 0:
                counts["no pickup: no hint" if hint is None else "no pickup: false hint"] += 1
            elif hint is None:
                counts["pickup: no hint"] += 1
            else:
                counts["pickup: right value" if abs(hint - true) < 1e-6 else "pickup: other value"] += 1
        report[style] = dict(sorted(counts.items()))
        print(style, report[style])
    if args.json:
        atomic_write_text(args.json, json.dumps({"split": args.split, "styles": report}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
