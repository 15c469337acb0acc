"""Session 69: where a dance's wide leaps (a minor sixth or more) fall, takes against held-out tunes
(`dance_explain.dance_sets`): per 100 moves, by the place of the note leapt to, in the bar of
an 8-bar strain (1-8; the pickup counts with bar 1) and whether it lies on a beat; and the leaps
into or out of a note a beat or longer.

    .venv/bin/python docs/notes/2026-12-07-session-69/dance_leaps.py --dances jig,polka
"""

from __future__ import annotations

import argparse
from collections import Counter

from dance_explain import dance_sets

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import melody_line

WIDE = 8


def places(pieces) -> tuple[Counter, int, Counter]:
    where, moves, pairs = Counter(), 0, Counter()
    for p in pieces:
        bar = p.time_signature.numerator * 4 / p.time_signature.denominator
        beat = 1.5 if p.time_signature.denominator == 8 else 1.0
        notes = melody_line(p)
        for a, b in zip(notes, notes[1:]):
            moves += 1
            if abs(b.pitch - a.pitch) < WIDE:
                continue
            at = b.onset
            bar_i = int(((at + 1e-6) // bar) % 8) + 1 if at >= 0 else 1
            on_beat = abs((at / beat) - round(at / beat)) < 1e-6
            where[(bar_i, "beat" if on_beat else "off")] += 1
            pairs[
                ("from long" if a.duration >= beat - 1e-6 else "from short", "down" if b.pitch < a.pitch else "up")
            ] += 1
    return where, moves, pairs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dances", default="jig")
    args = ap.parse_args()
    corpus, model = load_corpus(None), ts.load_model("default")
    for dance in args.dances.split(","):
        tunes, takes = dance_sets(corpus, model, dance)
        print(dance)
        for name, pieces in (("tunes", tunes), ("takes", takes)):
            where, moves, pairs = places(pieces)
            per = {k: 100 * v / moves for k, v in where.items()}
            bars = ", ".join(f"{i} {per.get((i, 'beat'), 0):.2f}/{per.get((i, 'off'), 0):.2f}" for i in range(1, 9))
            kinds = ", ".join(f"{a} {b} {100 * v / moves:.2f}" for (a, b), v in sorted(pairs.items()))
            print(f"  {name}: per 100 moves, bar of 8 (on a beat/off): {bars}; {kinds}", flush=True)


if __name__ == "__main__":
    main()
