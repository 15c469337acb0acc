"""Variants of the voice register feedback, on 60 training chorale headers (as fit_voice_registers)."""
import sys

import numpy as np

sys.path.insert(0, "/work/main/scripts")
from fit_voice_registers import voice_profile

from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like
from tunesmith.inference import load_numpy_model
from tunesmith.pretrained import DEFAULT_MODEL_DIR
from tunesmith.sampling import automaton as A

FIRST = np.array([68.8, 63.7, 59.6, 51.5]); FSD = np.array([3.6, 3.4, 3.5, 5.4])
orig = A.Constrainer.voice_register_bias
def with_prior(self, w):
    t = self.t
    if t.voice_register_target is not None and self.v < 4 and self.voice_time[self.v] == 0:
        prior = -0.5 * ((t.pitch_real - FIRST[self.v]) / FSD[self.v]) ** 2 * w
        rest = orig(self)
        return prior if rest is None else prior + rest
    return orig(self)

model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR)
pieces = [p for p in load_corpus(None).filter(split="train", style="chorale", shippable=True) if p.key is not None and voice_profile(p, 4) is not None]
order = np.random.default_rng(0).permutation(len(pieces)); heads = [pieces[i] for i in order[:60]]
targets = [70.4, 65.06, 59.48, 50.63]
valid = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) == 4][:77]
for name, gain, w in [(a, float(b), float(c)) for a, b, c in (v.split(":") for v in sys.argv[1:])]:
    model.decoding.setdefault("chorale", {}).update({"voice_registers": targets, "voice_register_gain": gain})
    A.Constrainer.voice_register_bias = (lambda self, w=w: with_prior(self, w)) if w > 0 else orig
    takes = compose_like(model, tok, heads, "chorale", MusicalityConfig(per_style=60, seed=0, max_bars=16))
    rows = np.array([r for r in (voice_profile(p, 4) for p in takes) if r is not None]).mean(axis=0)
    print(name, "means", np.round(rows[:4], 2).tolist(), "intervals", np.round(rows[4:], 3).tolist(), flush=True)
