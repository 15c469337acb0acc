"""A classifier two-sample test on lead sheets' chords alone (the musicality C2ST reads the melody
only): per piece, time per root degree (12), per quality family (major, minor, dominant 7th,
major 7th, minor 7th, diminished / half-diminished, other), root motions between successive
chords (12, shares), the share of chord time whose tones leave the key's scale, and chords per bar.

    python docs/notes/2026-12-05-session-47/chord_c2st.py --load runs/s47/jazz.pkl [--source chord-melody]

`chord_features` and `chord_c2st` are imported by the session's other scripts.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

from tunesmith.harmony import chord_pitch_classes, parse_chord
from tunesmith.metrics.c2st import cross_validated_accuracy

SCALE = {"major": {0, 2, 4, 5, 7, 9, 11}, "minor": {0, 2, 3, 5, 7, 8, 10, 11}}
FAMILIES = {"": 0, "maj": 0, "6": 0, "m": 1, "min": 1, "m6": 1, "7": 2, "9": 2, "13": 2, "7#5": 2, "7b9": 2,
            "maj7": 3, "maj9": 3, "m7": 4, "m9": 4, "dim": 5, "dim7": 5, "m7b5": 5}


def chord_features(piece) -> np.ndarray | None:
    k = piece.key
    chords = sorted(piece.chords, key=lambda c: c.onset)
    if k is None or len(chords) < 2:
        return None
    scale = {(k.tonic_pc + d) % 12 for d in SCALE.get((k.mode or "major").lower(), SCALE["major"])}
    deg, fam, motion = np.zeros(12), np.zeros(7), np.zeros(12)
    outside = total = 0.0
    end = piece.duration()
    prev = None
    for a, b in zip(chords, chords[1:] + [None]):
        length = (b.onset if b else end) - a.onset
        try:
            root, quality = parse_chord(a.figure)[:2]
            tones = chord_pitch_classes(a.figure)
        except (ValueError, KeyError):
            continue
        if length <= 0:
            continue
        d = (root - k.tonic_pc) % 12
        deg[d] += length
        fam[FAMILIES.get(quality, 6)] += length
        total += length
        outside += length * bool(tones - scale)
        if prev is not None and prev != root:
            motion[(root - prev) % 12] += 1
        prev = root
    if total <= 0:
        return None
    bars = max(1, len(piece.bars()))
    return np.concatenate([deg / total, fam / total, motion / max(1, motion.sum()), [outside / total, len(chords) / bars]])


def chord_c2st(reals, takes) -> float:
    xr = [f for f in map(chord_features, reals) if f is not None]
    xt = [f for f in map(chord_features, takes) if f is not None]
    n = min(len(xr), len(xt))
    x = np.array(xr[:n] + xt[:n])
    y = np.array([0] * n + [1] * n)
    return cross_validated_accuracy(x, y)[0]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--load", required=True)
    ap.add_argument("--source", default=None)
    a = ap.parse_args()
    reals, takes = pickle.loads(Path(a.load).read_bytes())
    idx = [i for i, p in enumerate(reals) if a.source is None or p.source == a.source]
    print(f"chord C2ST {chord_c2st([reals[i] for i in idx], [takes[i] for i in idx]):.3f} ({len(idx)} pieces)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
