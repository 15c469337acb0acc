"""Session 69: how a dance's tunes reach their last note, against the folk shares every dance draws
from (`request.FINAL_MELODY_APPROACH_SHARES["folk"]`): per dance, the shippable tunes of `--split`
(`fit_dance_profiles.dance_pieces`; whole tunes, their last note), the share of each approach class
(`MELODY_APPROACH_INTERVALS`: repeat, step, third, leap, wide; larger moves "more"), and the share
whose last note ends a run of three or more strikes of one pitch; the takes (`--takes` 16-bar takes
under the tunes' keys, seed = index) beside.

    .venv/bin/python docs/notes/2026-12-07-session-69/dance_final_approach.py [--split train] [--takes 40]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import melody_line
from tunesmith.sampling.request import MELODY_APPROACH_INTERVALS

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from fit_dance_profiles import dance_pieces  # noqa: E402


def approach(notes) -> tuple[str, bool]:
    gap = abs(notes[-1].pitch - notes[-2].pitch)
    kind = next((k for k, (lo, hi) in MELODY_APPROACH_INTERVALS.items() if lo <= gap <= hi), "more")
    run = len(notes) >= 3 and notes[-1].pitch == notes[-2].pitch == notes[-3].pitch
    return kind, run


def row(name: str, pieces) -> None:
    kinds, runs, n = Counter(), 0, 0
    for p in pieces:
        notes = melody_line(p)
        if len(notes) < 3:
            continue
        kind, run = approach(notes)
        kinds[kind] += 1
        runs += run
        n += 1
    cells = ", ".join(f"{k} {kinds[k] / n:.3f}" for k in (*MELODY_APPROACH_INTERVALS, "more"))
    print(f"  {name} ({n}): {cells}; three strikes or more {runs / n:.3f}", flush=True)


def compare(row_of, dances: str) -> None:
    """Per dance (`--dances`, default `dances`): `row_of(name, pieces)` for the tunes of `--split`,
    then for `--takes` 16-bar takes under their keys (seed = index; 0: none)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--dances", default=dances)
    ap.add_argument("--split", default="train")
    ap.add_argument("--takes", type=int, default=40)
    args = ap.parse_args()
    corpus = load_corpus(None)
    model = ts.load_model("default") if args.takes else None
    for dance in args.dances.split(","):
        tunes = [p for p in dance_pieces(corpus, dance, args.split) if p.key is not None and melody_line(p)]
        print(dance)
        row_of(f"tunes, {args.split}", tunes)
        if args.takes:
            takes = [
                ts.compose(
                    "folk", dance=dance, key=p.key.tonic, mode=p.key.mode, bars=16, seed=i, model=model, check=False
                ).piece
                for i, p in enumerate(tunes[: args.takes])
            ]
            row_of("takes", takes)


def main() -> None:
    compare(row, "reel,jig,hornpipe,polka")


if __name__ == "__main__":
    main()
