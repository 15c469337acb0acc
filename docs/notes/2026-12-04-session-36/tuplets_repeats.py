"""Triplet notes and repeated pitches in lead-sheet takes, with the shipped decoding and another model
folder's (OLD=DIR): the share of melody notes whose length is a triplet value, and of moves that
repeat the pitch, over N 16-bar takes (seeds 0.., keys cycling). Session 36.
    OLD=runs/s36/model_old python docs/notes/2026-12-04-session-36/tuplets_repeats.py [STYLE] [N]"""
import os
import sys

import tunesmith as ts

style = sys.argv[1] if len(sys.argv) > 1 else "pop"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 60
KEYS = ["C", "D", "E", "F", "G", "A", "Bb", "Eb"]


def stats(model):
    trip = notes = rep = moves = 0
    for s in range(n):
        line = ts.compose(style=style, key=KEYS[s % len(KEYS)], bars=16, seed=s, model=model, check=False).piece.melody().notes
        for x in line:
            notes += 1
            trip += abs(x.duration * 3 - round(x.duration * 3)) < 1e-6 and abs(x.duration * 2 - round(x.duration * 2)) > 1e-6
        for a, b in zip(line, line[1:]):
            moves += 1
            rep += a.pitch == b.pitch
    return trip / notes, rep / moves


for label, model in (("shipped", "default"), ("other", os.environ.get("OLD", "default"))):
    t, r = stats(model)
    print(f"{label:8s} triplet notes {t:.3f}  repeated pitches {r:.3f}")
