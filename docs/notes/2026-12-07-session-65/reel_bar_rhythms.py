"""The rhythms of a reel's 4th and 8th bars (a strain's half close and end): the commonest, as
note lengths in quarters, in N shippable training reels and N 16-bar reel takes under their keys
(seed = index), as `reel_long_notes_by_bar.py` picks them.

    .venv/bin/python docs/notes/2026-12-07-session-65/reel_bar_rhythms.py 40
"""

from __future__ import annotations

import collections
import sys

import tunesmith as ts
from tunesmith.metrics._common import melody_line

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from reel_long_notes_by_bar import shippable_tunes  # noqa: E402


def bar_rhythms(piece, places=(4, 8)) -> dict[int, list[str]]:
    starts = list(piece.bars())
    if piece.pickup_beats():
        starts = starts[1:]
    notes = melody_line(piece)
    out: dict[int, list[str]] = {}
    for i, (a, b) in enumerate(zip(starts, [*starts[1:], piece.duration()])):
        if i % 8 + 1 in places and i < 16:
            out.setdefault(i % 8 + 1, []).append(
                " ".join(f"{n.duration:g}" for n in notes if a - 1e-6 <= n.onset < b - 1e-6)
            )
    return out


def main(n: int) -> None:
    reels = shippable_tunes()
    model = ts.load_model("default")
    counts = {"tunes": collections.Counter(), "takes": collections.Counter()}
    for i, p in enumerate(reels[:n]):
        take = ts.compose(
            "folk", dance="reel", key=p.key.tonic, mode=p.key.mode, bars=16, seed=i, model=model, check=False
        )
        for who, piece in (("tunes", p), ("takes", take.piece)):
            for place, rhythms in bar_rhythms(piece).items():
                counts[who].update((place, r) for r in rhythms)
    for who, c in counts.items():
        for place in (4, 8):
            print(who, "bar", place, [(r, k) for (pl, r), k in c.most_common() if pl == place][:8])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
