"""Run a script with a knot penalty on the alto too (ALTO=P logits, beside the bass's shipped one): after
the alto moves x-y by a semitone, one of them outside the key, x again loses P. Measured, not kept.
Session 36.
    ALTO=1.5 python docs/notes/2026-12-04-session-36/alto_knots.py docs/notes/2026-12-04-session-36/voice_knots.py 80 train"""
import os
import runpy
import sys

import numpy as np

from tunesmith.sampling import automaton as A

ALTO = float(os.environ.get("ALTO", "0"))
orig = A.Constrainer.knot_bias
def knot_bias(self):
    out = orig(self)
    t, recent = self.t, self.voice_recent[self.v]
    if self.v != 1 or ALTO <= 0 or self.vl is None or len(t.voices) != 4 or len(recent) < 2:
        return out
    x, y = recent[-2], recent[-1]
    if abs(x - y) != 1 or (x % 12 in t.key_pcs and y % 12 in t.key_pcs):
        return out
    return np.where(t.pitch_real == x, -ALTO * t.lower_voice_weight, 0.0)
A.Constrainer.knot_bias = knot_bias
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
