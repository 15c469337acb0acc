"""Syncopation in lead-sheet melodies: the share of notes struck off the beat that sound on past
the next beat (an anticipation: an eighth before the bar held over it, a note on the "and" of 2
held through 3), the share struck off the beat at all, and the share of bars whose downbeat is
anticipated from the bar before; real pieces of a split against takes of the style.

    python docs/notes/2026-12-05-session-49/syncopation.py --style jazz --split valid --n 60
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-48"))
from takes import compose_takes  # noqa: E402

from tunesmith.metrics.musicality import melody_line  # noqa: E402


def measures(piece):
    beat = piece.time_signature.beat_length if hasattr(piece.time_signature, "beat_length") else 1.0
    notes = melody_line(piece)
    bars = piece.bars()
    off = synco = 0
    for n in notes:
        pos = n.onset / beat
        if abs(pos - round(pos)) > 1e-3:
            off += 1
            nxt = (int(pos) + 1) * beat
            if n.onset + n.duration > nxt + 1e-3:
                synco += 1
    anticipated = 0
    for b in bars[1:]:
        if any(n.onset < b - 1e-3 < b + 1e-3 < n.onset + n.duration for n in notes):
            anticipated += 1
    return len(notes), off, synco, anticipated, max(len(bars) - 1, 1)


def report(name, pieces):
    tot = [0, 0, 0, 0, 0]
    for p in pieces:
        for i, v in enumerate(measures(p)):
            tot[i] += v
    n, off, synco, ant, bars = tot
    print(f"{name:<26} notes {n:6d}  off the beat {off / n:.3f}  syncopated {synco / n:.3f}  "
          f"bars entered by a held note {ant / bars:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="jazz")
    ap.add_argument("--split", default="valid")
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--model", default="default")
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus

    reals = [p for p in load_corpus(None).filter(split=a.split, style=a.style) if melody_line(p)]
    report(f"{a.style} {a.split} real", reals)
    by_source = {}
    for p in reals:
        by_source.setdefault(p.source, []).append(p)
    for s, ps in sorted(by_source.items()):
        report(f"  {s}", ps)
    report(f"{a.style} takes", compose_takes(a.style, a.n, model=a.model))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
