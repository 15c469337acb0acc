"""Melody time on a minor chord's major third (B natural over Gm7), and the notes held there for a
beat or more: real lead sheets against takes.

    python docs/notes/2026-12-05-session-47/minor_chord_major_third.py --load runs/s47/jazz.pkl
    python docs/notes/2026-12-05-session-47/minor_chord_major_third.py --style jazz --split train --shippable
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

from tunesmith.harmony import parse_chord
from tunesmith.metrics._common import melody_line

MINOR = ("m", "m7", "m6", "m9", "m11", "m13", "m69", "madd9", "m7b5", "dim", "dim7", "mMaj7", "m7#5")


def report(name: str, pieces) -> None:
    under = on = 0.0
    held = notes = 0
    for p in pieces:
        chords = sorted(p.chords, key=lambda c: c.onset)
        end = p.duration()
        for a, b in zip(chords, [*chords[1:], None]):
            try:
                root, quality, _ = parse_chord(a.figure)
            except ValueError:
                continue
            if quality not in MINOR:
                continue
            lo, hi = a.onset, (b.onset if b else end)
            for n in melody_line(p):
                overlap = min(n.onset + n.duration, hi) - max(n.onset, lo)
                if overlap <= 0:
                    continue
                under += overlap
                if n.pitch % 12 == (root + 4) % 12:
                    on += overlap
                    if lo - 1e-6 <= n.onset:
                        notes += 1
                        held += n.duration >= 1.0 - 1e-6
    print(f"{name}: melody time over minor chords {under:.0f} beats; on their major third {on / max(under, 1e-9):.4f}; "
          f"such notes struck {notes}, {held} of them a beat or longer")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--load", default=None)
    ap.add_argument("--style", default=None)
    ap.add_argument("--split", default="train")
    ap.add_argument("--shippable", action="store_true")
    a = ap.parse_args()
    if a.load:
        reals, takes = pickle.loads(Path(a.load).read_bytes())
        report("real", reals)
        report("takes", takes)
        return 0
    from tunesmith.corpus import load_corpus

    ps = [p for p in load_corpus(None).filter(split=a.split, style=a.style, shippable=True if a.shippable else None)
          if p.melody() is not None]  # fmt: skip
    report(f"{a.style} {a.split}{' shippable' if a.shippable else ''} ({len(ps)})", ps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
