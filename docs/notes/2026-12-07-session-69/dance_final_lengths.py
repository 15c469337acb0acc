"""Session 69: how long a dance's last note lasts, and where in its bar it is struck: per dance, the
shippable tunes of `--split` (whole tunes, as `fit_dance_profiles.dance_pieces` finds them) against
`--takes` 16-bar takes under their keys (seed = index): the shares of the last note's length
(quarters) and of its strike on the last bar's downbeat.

    .venv/bin/python docs/notes/2026-12-07-session-69/dance_final_lengths.py [--dances jig,polka] [--takes 40]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import melody_line

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from fit_dance_profiles import dance_pieces  # noqa: E402


def row(name: str, pieces) -> None:
    lengths, downbeat, n = Counter(), 0, 0
    for p in pieces:
        notes = melody_line(p)
        if not notes:
            continue
        last = notes[-1]
        bars = p.bars()
        lengths[round(last.duration, 2)] += 1
        downbeat += any(abs(last.onset - b) < 1e-6 for b in bars)
        n += 1
    cells = ", ".join(f"{k:g} {v / n:.2f}" for k, v in sorted(lengths.items(), key=lambda kv: -kv[1])[:6])
    print(f"  {name} ({n}): last note {cells}; struck on a downbeat {downbeat / n:.2f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dances", default="jig,polka,reel,hornpipe")
    ap.add_argument("--split", default="train")
    ap.add_argument("--takes", type=int, default=40)
    args = ap.parse_args()
    corpus, model = load_corpus(None), ts.load_model("default")
    for dance in args.dances.split(","):
        tunes = [p for p in dance_pieces(corpus, dance, args.split) if p.key is not None and melody_line(p)]
        print(dance)
        row(f"tunes, {args.split}", tunes)
        takes = [
            ts.compose(
                "folk", dance=dance, key=p.key.tonic, mode=p.key.mode, bars=16, seed=i, model=model, check=False
            ).piece
            for i, p in enumerate(tunes[: args.takes])
        ]
        row("takes", takes)


if __name__ == "__main__":
    main()
