"""Session 68: do composed dances end their phrases on one note struck again and again? Per dance,
held-out tunes (valid and test, as `scripts/fit_dance_profiles.py` finds them, first 16 bars) against
16-bar takes under their keys (seed = index). At the end of each 4-bar phrase (bars 4, 8, 12 and 16,
counted from the first whole bar):
the run of notes of one pitch that ends the bar (the bar's last note and those of the same pitch
struck just before it, back into the bar before), its mean, the share of phrase ends with a run of
three or more, and the share of phrase-end bars that play two pitches or fewer; and anywhere, the
notes struck a third time in a row (per 100 notes).

    .venv/bin/python docs/notes/2026-12-07-session-68/strain_ends.py [--dances reel,jig,polka,hornpipe] [--n 40]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import length_matched
from tunesmith.metrics._common import melody_line
from tunesmith.sampling import feedback

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from fit_dance_profiles import dance_pieces  # noqa: E402


def phrase_ends(piece, phrase_bars: int = 4) -> list[tuple[int, int, int]]:
    """Per phrase-end bar (1-based bar number, the run of one pitch ending it, its distinct pitches)."""
    bars = piece.bars()
    if len(bars) > 2 and bars[1] - bars[0] < bars[2] - bars[1] - 1e-6:
        bars = bars[1:]  # a pickup bar: the phrases count from the first whole bar
    notes = melody_line(piece)
    out = []
    for b in range(phrase_bars, min(len(bars), 16) + 1, phrase_bars):
        start = bars[b - 1]
        end = bars[b] if b < len(bars) else piece.end
        inside = [i for i, n in enumerate(notes) if start - 1e-6 <= n.onset < end - 1e-6]
        if not inside:
            continue
        last = inside[-1]
        run = 1
        while last - run >= 0 and notes[last - run].pitch == notes[last].pitch:
            run += 1
        out.append((b, run, len({notes[i].pitch for i in inside})))
    return out


def report(name: str, pieces) -> None:
    rows = [r for p in pieces for r in phrase_ends(p)]
    inner = [r for r in rows if r[0] < 16]
    last = [r for r in rows if r[0] == 16]

    def line(rs):
        if not rs:
            return "none"
        runs = np.array([r[1] for r in rs])
        few = np.array([r[2] <= 2 for r in rs])
        return f"run {runs.mean():.2f}, 3+ {float((runs >= 3).mean()):.3f}, two pitches or fewer {float(few.mean()):.3f} ({len(rs)})"

    third = total = 0
    for p in pieces:
        pitches = [n.pitch for n in melody_line(p)]
        total += len(pitches)
        third += sum(pitches[i] == pitches[i - 1] == pitches[i - 2] for i in range(2, len(pitches)))
    print(
        f"{name}: bars 4/8/12: {line(inner)}; bar 16: {line(last)}; third strikes anywhere "
        f"{100 * third / max(total, 1):.2f} per 100 notes",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dances", default="reel,jig,polka,hornpipe")
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--splits", default="valid,test", help="the tunes' splits (train: the shippable training tunes)")
    ap.add_argument(
        "--penalties", help="comma-separated feedback.THIRD_STRIKE_PENALTIES values to run (default: as shipped)"
    )
    args = ap.parse_args()
    corpus = load_corpus(None)
    model = ts.load_model("default")
    for dance in args.dances.split(","):
        whole = [p for split in args.splits.split(",") for p in dance_pieces(corpus, dance, split)
                 if p.key is not None and melody_line(p)]  # fmt: skip
        tunes = length_matched(whole, "folk", 16)
        report(f"{dance}, {args.splits} tunes", tunes)
        keys = [(p.key.tonic, p.key.mode) for p in tunes][: args.n]
        shipped = feedback.THIRD_STRIKE_PENALTIES.get(dance, 0.0)
        for penalty in [float(x) for x in args.penalties.split(",")] if args.penalties else [shipped]:
            feedback.THIRD_STRIKE_PENALTIES[dance] = penalty
            takes = [ts.compose("folk", dance=dance, key=k, mode=m, bars=16, seed=i, model=model, check=False).piece
                     for i, (k, m) in enumerate(keys)]  # fmt: skip
            report(f"{dance}, takes, third-strike penalty {penalty:g}", takes)
        feedback.THIRD_STRIKE_PENALTIES[dance] = shipped


if __name__ == "__main__":
    main()
