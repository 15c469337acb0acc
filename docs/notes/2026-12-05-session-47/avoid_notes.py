"""Avoid notes held on a strong beat: a melody note of a beat or more, struck on beat 1 or 3 of a
4/4 bar, a perfect fourth over the root of a major or dominant chord (F over C, C over G7; not
under a sus chord): real lead sheets against takes.

    python docs/notes/2026-12-05-session-47/avoid_notes.py --load runs/s47/jazz.pkl
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

from tunesmith.harmony import QUALITIES, parse_chord
from tunesmith.metrics._common import melody_line


def count(pieces) -> tuple[int, int]:
    avoid = strong = 0
    for p in pieces:
        ts = p.time_signature
        if ts is None or (ts.numerator, ts.denominator) != (4, 4):
            continue
        chords = sorted(p.chords, key=lambda c: c.onset)
        first = p.bars()[1] if p.pickup_beats() > 0 and len(p.bars()) > 1 else 0.0
        for n in melody_line(p):
            beat = (n.onset - first) % 4.0
            if n.duration < 1.0 - 1e-6 or min(abs(beat - 0.0), abs(beat - 2.0), abs(beat - 4.0)) > 1e-6:
                continue
            sounding = [c for c in chords if c.onset <= n.onset + 1e-6]
            if not sounding:
                continue
            try:
                root, quality, _ = parse_chord(sounding[-1].figure)
            except ValueError:
                continue
            tones = QUALITIES.get(quality, ())
            if len(tones) < 3 or tuple(tones[:3]) != (0, 4, 7):
                continue
            strong += 1
            avoid += (n.pitch - root) % 12 == 5
    return avoid, strong


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--load", required=True)
    a = ap.parse_args()
    reals, takes = pickle.loads(Path(a.load).read_bytes())
    for name, ps in (("real", reals), ("takes", takes)):
        avoid, strong = count(ps)
        print(f"{name}: long notes on beats 1 and 3 over major and dominant chords {strong}; a fourth over the root "
              f"{avoid} ({avoid / max(strong, 1):.3f})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
