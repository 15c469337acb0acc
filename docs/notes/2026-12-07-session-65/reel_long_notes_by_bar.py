"""Where reel takes hold notes of a beat or more: for N shippable training reels (as session 61's
reel_quarter_bars.py picks them) and N 16-bar reel takes under their keys (seed = index), the
notes of a beat or more per bar, by the bar's place in its 8-bar strain (1-8; a pickup bar left
out), by the beat they start on, and the share of bars holding two or more of them.

    .venv/bin/python docs/notes/2026-12-07-session-65/reel_long_notes_by_bar.py [N] [--long-penalty P]
        [--dance jig]   (a jig's tunes in 6/8, its long notes a dotted quarter or more)
"""

from __future__ import annotations

import argparse
import collections
import random

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.licenses import may_ship
from tunesmith.metrics._common import melody_line
from tunesmith.sampling import feedback


def shippable_tunes(dance: str = "reel") -> list:
    """The shippable training tunes titled as the dance (a reel in 2/2 or 4/4, a jig in 6/8), in
    the order seed 0 shuffles them."""
    meters = (2, 4) if dance == "reel" else (6,)
    tunes = [p for p in load_corpus(None).filter(style="folk", split="train")
             if may_ship(str(p.license)) and p.key is not None and dance in (p.title or "").lower()
             and p.time_signature.numerator in meters and melody_line(p)]  # fmt: skip
    random.Random(0).shuffle(tunes)
    return tunes


def long_notes(
    piece,
    per_bar: collections.Counter,
    per_beat: collections.Counter,
    bars: collections.Counter,
    two: collections.Counter,
    beat: float = 1.0,
) -> None:
    starts = list(piece.bars())
    if piece.pickup_beats():
        starts = starts[1:]
    notes = melody_line(piece)
    for i, (a, b) in enumerate(zip(starts, [*starts[1:], piece.duration()])):
        if b - a < piece.time_signature.bar_length - 0.01:
            continue
        place = i % 8 + 1
        bars[place] += 1
        held = 0
        for n in notes:
            if a - 1e-6 <= n.onset < b - 1e-6 and n.duration >= beat - 1e-6:
                per_bar[place] += 1
                per_beat[int((n.onset - a) / beat + 1e-6) + 1] += 1
                held += 1
        two[place] += held >= 2


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=60)
    ap.add_argument("--long-penalty", type=float, help="feedback.MID_PHRASE_LONG_NOTE_PENALTIES[dance]")
    ap.add_argument("--dance", default="reel", choices=("reel", "jig"))
    args = ap.parse_args()
    if args.long_penalty is not None:
        feedback.MID_PHRASE_LONG_NOTE_PENALTIES[args.dance] = args.long_penalty
    beat = 1.0 if args.dance == "reel" else 1.5
    reels = shippable_tunes(args.dance)[: args.n]
    model = ts.load_model("default")
    out = {who: tuple(collections.Counter() for _ in range(4)) for who in ("tunes", "takes")}
    for i, p in enumerate(reels):
        take = ts.compose(
            "folk", dance=args.dance, key=p.key.tonic, mode=p.key.mode, bars=16, seed=i, model=model, check=False
        )
        for who, piece in (("tunes", p), ("takes", take.piece)):
            long_notes(piece, *out[who], beat=beat)
    for who, (per_bar, per_beat, bars, two) in out.items():
        total = sum(bars.values())
        print(f"{who}: {total} bars; long notes per bar, by place in the strain: "
              + " ".join(f"{k}:{per_bar[k] / bars[k]:.2f}" for k in range(1, 9))
              + "; by beat (per 100 bars): " + " ".join(f"{k}:{100 * per_beat[k] / total:.1f}" for k in range(1, 5))
              + "; share of bars with two or more: " + " ".join(f"{k}:{two[k] / bars[k]:.2f}" for k in range(1, 9)))  # fmt: skip


if __name__ == "__main__":
    main()
