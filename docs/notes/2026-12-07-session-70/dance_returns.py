"""Session 70: how often a dance's melody turns straight back (x-y-x, a return) and rocks (x-y-x-y),
per 100 notes, for its held-out tunes and takes under their keys (session 69's `dance_sets`: the
tunes cut to 16 bars, 16-bar takes, seed = index), and the bars whose last three notes turn back.

    .venv/bin/python docs/notes/2026-12-07-session-70/dance_returns.py [--dances jig,reel]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import melody_line

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-07-session-69"))
from dance_explain import dance_sets  # noqa: E402


def report(name: str, pieces) -> None:
    notes = returns = rocks = bar_ends = bars = 0
    for p in pieces:
        line = melody_line(p)
        ps = [n.pitch for n in line]
        notes += len(ps)
        returns += sum(a == c != b for a, b, c in zip(ps, ps[1:], ps[2:]))
        rocks += sum(a == c != b == d for a, b, c, d in zip(ps, ps[1:], ps[2:], ps[3:]))
        edges = list(p.bars()) + [p.end]
        for a, b in zip(edges, edges[1:]):
            inside = [n.pitch for n in line if a - 1e-6 <= n.onset < b - 1e-6]
            if len(inside) >= 3:
                bars += 1
                bar_ends += inside[-3] == inside[-1] != inside[-2]
    print(f"{name} ({len(pieces)}): per 100 notes returns {100 * returns / notes:.2f}, rocks {100 * rocks / notes:.2f}; "
          f"bars ending x-y-x {bar_ends / bars:.3f}", flush=True)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dances", default="jig,reel,hornpipe,polka")
    args = ap.parse_args()
    corpus, model = load_corpus(None), ts.load_model("default")
    for dance in args.dances.split(","):
        tunes, takes = dance_sets(corpus, model, dance)
        report(f"{dance}, held-out tunes", tunes)
        report(f"{dance}, takes", takes)


if __name__ == "__main__":
    main()
