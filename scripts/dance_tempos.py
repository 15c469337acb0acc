"""The speed of each folk dance, from the Irish MIDI files named for it (`sampling.request.DANCE_TEMPOS_QPM`).

    python scripts/dance_tempos.py [--json FILE]

The Irish set (CC-BY-4.0) files each tune under a name that says its dance ("...reel", "...Jig",
"...hornpipe") and gives it a tempo; ABC and the other sources have none. Per dance and meter:
the number of tunes, the median tempo in quarter notes per minute and in the meter's beats.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict

from tunesmith.paths import atomic_write_text

# the name's word for each dance, most specific first ("slipjig" before "jig")
DANCE_WORDS = (("slipjig", "slip-jig"), ("slip jig", "slip-jig"), ("hornpipe", "hornpipe"), ("reel", "reel"),
               ("jig", "jig"), ("waltz", "waltz"), ("polka", "polka"), ("slide", "slide"))  # fmt: skip


def dance_of(name: str) -> str | None:
    low = name.lower()
    return next((dance for word, dance in DANCE_WORDS if word in low), None)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)

    from tunesmith.corpus import load_corpus

    tempos: dict[tuple[str, str], list[float]] = defaultdict(list)
    beats: dict[tuple[str, str], float] = {}
    for piece in load_corpus(None).filter(source="irish"):
        dance = dance_of(str(piece.meta.get("file") or piece.title))
        if dance is None:
            continue
        meter = piece.time_signature
        tempos[(dance, str(meter))].append(piece.tempo)
        beats[(dance, str(meter))] = meter.beat_length
    rows = []
    for (dance, meter), qpms in sorted(tempos.items(), key=lambda kv: -len(kv[1])):
        median = statistics.median(qpms)
        rows.append({"dance": dance, "meter": meter, "tunes": len(qpms), "median_qpm": round(median, 1),
                     "median_beats_per_minute": round(median / beats[(dance, meter)], 1)})  # fmt: skip
        print(f"{dance:9s} {meter:5s} {len(qpms):4d} tunes  median {median:6.1f} quarters/min "
              f"= {median / beats[(dance, meter)]:6.1f} beats/min")  # fmt: skip
    if args.json:
        atomic_write_text(args.json, json.dumps({"source": "irish", "rows": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
