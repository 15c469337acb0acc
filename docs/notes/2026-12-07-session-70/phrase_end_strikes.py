"""Session 70: do composed lead sheets (folk: of no `--dance`) end their phrases on one note struck again
and again? The shippable tunes of `--style` and `--split` cut to 32 bars against takes under their headers
(`evaluation.musicality.compose_like`, `--bars` at most, seed `--seed`): at each 4-bar phrase end
(session 68's `strain_ends.phrase_ends`, all of a piece's bars) the run of one pitch that ends the
bar, the share of runs of three or more, and third strikes anywhere per 100 notes.

    .venv/bin/python docs/notes/2026-12-07-session-70/phrase_end_strikes.py [--style folk] [--n 120] [--split valid]

(`with_lead_in.py lead-in=STYLE phrase_end_strikes.py ...` to lead on from section ends.)
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched
from tunesmith.metrics._common import melody_line

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-07-session-68"))
from strain_ends import phrase_ends  # noqa: E402


def all_phrase_ends(piece) -> list[tuple[int, int, int]]:
    n_bars = len(piece.bars())
    out = []
    # phrase_ends stops at bar 16; read the rest by shifting its window (the same rule per 16 bars)
    for first in range(0, n_bars, 16):
        part = piece if first == 0 else _from_bar(piece, first)
        if part is None:
            break
        out += [(b + first, run, k) for b, run, k in phrase_ends(part)]
    return out


def _from_bar(piece, first: int):
    bars = piece.bars()
    if first >= len(bars):
        return None
    start = bars[first]
    out = copy.deepcopy(piece)
    mel = out.melody()
    mel.notes = [n for n in mel.notes if n.onset >= start - 1e-6]
    out.tracks = [mel]
    out.bar_onsets = [b for b in bars[first:]]
    return out


def report(name: str, pieces) -> None:
    rows = [r for p in pieces for r in all_phrase_ends(p)]
    runs = np.array([r[1] for r in rows])
    third = total = 0
    for p in pieces:
        pitches = [n.pitch for n in melody_line(p)]
        total += len(pitches)
        third += sum(pitches[i] == pitches[i - 1] == pitches[i - 2] for i in range(2, len(pitches)))
    print(f"{name} ({len(pieces)}): phrase ends {len(rows)}, run {runs.mean():.2f}, 3+ {float((runs >= 3).mean()):.3f}; "
          f"third strikes {100 * third / max(total, 1):.2f} per 100 notes", flush=True)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="folk")
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--split", default="valid")
    ap.add_argument("--bars", type=int, default=32)
    ap.add_argument("--all-licenses", action="store_true", help="the split's tunes of any license (default: shippable)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    corpus = load_corpus(None)
    reals = [
        p
        for p in corpus.filter(split=args.split, style=args.style, shippable=None if args.all_licenses else True)
        if p.key is not None and melody_line(p)
    ]
    reals = reals[: args.n]
    report(f"{args.style} {args.split} tunes", length_matched(reals, args.style, args.bars))
    model = ts.load_model("default")
    takes = compose_like(
        model.model,
        model.tokenizer,
        reals,
        args.style,
        MusicalityConfig(per_style=len(reals), seed=args.seed, max_bars=args.bars),
    )
    report(f"{args.style} takes", takes)


if __name__ == "__main__":
    main()
