"""Bars of a lead sheet's melody with no note struck and none held into them (a whole bar of rest),
before its last bar: the share of bars, and of pieces with one, in composed takes (`--n`, 16 bars,
keys in turn) against the valid split's pieces of the style (cut to 16 bars).

    python docs/notes/2026-12-05-session-50/empty_bars.py --style pop --n 60
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from root_shares import KEYS  # noqa: E402


def empty_bars(pieces, max_bars: int = 16) -> dict:
    bars_seen = empty = with_one = 0
    for p in pieces:
        mel = p.melody()
        if mel is None or not mel.notes:
            continue
        starts = list(p.bars())[:max_bars]
        ends = [*starts[1:], p.duration()]
        found = 0
        for a, b in list(zip(starts, ends))[:-1]:
            bars_seen += 1
            sounding = any(n.onset < b - 1e-6 and n.onset + n.duration > a + 1e-6 for n in mel.notes)
            found += not sounding
        empty += found
        with_one += found > 0
    n = sum(1 for p in pieces if p.melody() is not None and p.melody().notes)
    return {"pieces": n, "empty_bar_share": round(empty / max(bars_seen, 1), 4), "pieces_with_one": round(with_one / max(n, 1), 3)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="pop")
    ap.add_argument("--n", type=int, default=60)
    a = ap.parse_args()
    import tunesmith as ts
    from tunesmith.corpus import load_corpus

    real = [p for p in load_corpus(None).filter(split="valid", style=a.style) if p.melody() is not None]
    print("valid", empty_bars(real))
    model = ts.load_model("default")
    for bars in (8, 16):
        takes = [ts.compose(a.style, key=KEYS[s % len(KEYS)], bars=bars, seed=s, model=model, check=False).piece for s in range(a.n)]
        print(f"takes, {bars} bars", empty_bars(takes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
