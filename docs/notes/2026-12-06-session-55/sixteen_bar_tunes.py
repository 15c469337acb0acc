"""How folk tunes of 16 bars (as played, pickup aside) are built: the share of their bars that
repeat the bar 4 bars earlier (AABB of 4-bar strains: bars 5-8 = 1-4 and 13-16 = 9-12) against
the bar 8 bars earlier (AA of 8-bar strains: 9-16 = 1-8), bar for bar (pitches and rhythm; the
last bar of each section left out, as a second ending may differ). A scholar had found that
`--bars 16` composes 4-bar strains, where the tradition's strains are 8 bars.

    python docs/notes/2026-12-06-session-55/sixteen_bar_tunes.py [N takes]
"""

from __future__ import annotations

import sys
from collections import Counter

from tunesmith.corpus.store import load_corpus
from tunesmith.licenses import may_ship


def bar_notes(piece, starts, b):
    s = starts[b]
    e = starts[b + 1] if b + 1 < len(starts) else piece.duration()
    return tuple((n.pitch, round(n.onset - s, 4), round(min(n.duration, e - n.onset), 4))
                 for n in piece.melody().notes if s - 1e-6 <= n.onset < e - 1e-6)


def shape(piece) -> dict | None:
    starts = piece.bars()
    if piece.pickup_beats():
        starts = starts[1:]
    if len(starts) != 16:
        return None
    bars = [bar_notes(piece, starts, b) for b in range(16)]
    four = [b for b in (4, 5, 6, 12, 13, 14)]  # 4-bar strains repeated: bars 5-7 = 1-3, 13-15 = 9-11
    eight = list(range(8, 15))  # 8-bar strain repeated: bars 9-15 = 1-7
    return {"4 back": sum(bars[b] == bars[b - 4] != () for b in four) / len(four),
            "8 back": sum(bars[b] == bars[b - 8] != () for b in eight) / len(eight)}


def summary(rows: list[dict]) -> dict:
    n = len(rows)
    return {"tunes": n,
            "mean 4 back": round(sum(r["4 back"] for r in rows) / max(1, n), 3),
            "mean 8 back": round(sum(r["8 back"] for r in rows) / max(1, n), 3),
            "AABB of 4 (4 back >= 0.5)": round(sum(r["4 back"] >= 0.5 for r in rows) / max(1, n), 3),
            "AA of 8 (8 back >= 0.5)": round(sum(r["8 back"] >= 0.5 for r in rows) / max(1, n), 3)}


def main() -> None:
    lengths: Counter = Counter()
    rows = []
    for p in load_corpus(None).filter(style="folk", split="train"):
        if not (may_ship(p.license) and p.melody()):
            continue
        starts = p.bars()
        lengths[len(starts) - (1 if p.pickup_beats() else 0)] += 1
        r = shape(p)
        if r:
            rows.append(r)
    print("bars as played (most common):", lengths.most_common(8))
    print("real 16-bar tunes", summary(rows))
    if len(sys.argv) > 1:
        import tunesmith

        model = tunesmith.load_model("default")
        takes = [shape(tunesmith.compose("folk", bars=16, pickup=0, seed=s, model=model, check=False).piece)
                 for s in range(int(sys.argv[1]))]
        print("takes --bars 16", summary([t for t in takes if t]))


if __name__ == "__main__":
    main()
