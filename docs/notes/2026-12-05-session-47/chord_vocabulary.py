"""How much of a lead sheet's chord time lies on chords with a tone outside the key's scale
(secondary dominants, borrowed chords), and which: real tunes against takes.

    python docs/notes/2026-12-05-session-47/chord_vocabulary.py --load runs/s47/pop.pkl --source openewld
"""

from __future__ import annotations

import argparse
import collections
import pickle
import sys
from pathlib import Path

from tunesmith.harmony import chord_pitch_classes

SCALE = {"major": {0, 2, 4, 5, 7, 9, 11}, "minor": {0, 2, 3, 5, 7, 8, 10, 11}}
NAMES = ["I", "bII", "II", "bIII", "III", "IV", "#IV", "V", "bVI", "VI", "bVII", "VII"]


def report(pieces, name: str, top: int = 10) -> None:
    total = outside = 0.0
    kinds = collections.Counter()
    for p in pieces:
        k = p.key
        if k is None or not p.chords:
            continue
        scale = {(k.tonic_pc + d) % 12 for d in SCALE.get((k.mode or "major").lower(), SCALE["major"])}
        chords = sorted(p.chords, key=lambda c: c.onset)
        end = p.duration()
        for a, b in zip(chords, chords[1:] + [None]):
            length = (b.onset if b else end) - a.onset
            if length <= 0:
                continue
            try:
                tones = chord_pitch_classes(a.figure)
            except Exception:
                continue
            total += length
            if tones - scale:
                outside += length
                kinds[_degree(a, k)] += length
    print(f"{name}: chord time outside the scale {outside / max(total, 1e-9):.3f}; most: "
          + ", ".join(f"{d} {v / total:.3f}" for d, v in kinds.most_common(top)))


def _degree(chord, key) -> str:
    from tunesmith.score import pitch_class_of

    fig = chord.figure
    root = fig[:2] if len(fig) > 1 and fig[1] in "#b-" else fig[:1]
    rest = fig[len(root):]
    try:
        d = (pitch_class_of(root.replace("-", "b")) - key.tonic_pc) % 12
    except Exception:
        return fig
    return NAMES[d] + rest


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--load", required=True)
    ap.add_argument("--source", default=None)
    a = ap.parse_args()
    reals, takes = pickle.loads(Path(a.load).read_bytes())
    idx = [i for i, p in enumerate(reals) if a.source is None or p.source == a.source]
    report([reals[i] for i in idx], "real")
    report([takes[i] for i in idx], "takes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
