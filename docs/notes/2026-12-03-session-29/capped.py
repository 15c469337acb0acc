"""Voice register feedback, capped: the tilt saturates beyond CAP semitones from the voice's last pitch."""
import sys

import numpy as np

sys.path.insert(0, "/work/main/scripts")
from fit_voice_registers import voice_profile

from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like
from tunesmith.inference import load_numpy_model
from tunesmith.pretrained import DEFAULT_MODEL_DIR
from tunesmith.sampling import automaton as A
from tunesmith.sampling.feedback import REGISTER_MIN_TICKS, REGISTER_SCALE


def capped(self, cap):
    t = self.t
    target = t.voice_register_target
    if t.voice_register_gain <= 0 or target is None or self.v >= len(target):
        return None
    heard = self.voice_time >= REGISTER_MIN_TICKS
    if heard[self.v]:
        current = self.voice_pitch_time[self.v] / self.voice_time[self.v]
    elif heard.any():
        current = target[self.v] + float((self.voice_pitch_time[heard] / self.voice_time[heard] - target[heard]).mean())
    else:
        return None
    error = float(np.clip((target[self.v] - current) / REGISTER_SCALE, -1.0, 1.0))
    prev = self.voice_recent[self.v][-1] if self.voice_recent[self.v] else current
    return t.voice_register_gain * error * np.clip(t.pitch_real - prev, -cap, cap) / 12.0

model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR)
pieces = [p for p in load_corpus(None).filter(split="train", style="chorale", shippable=True) if p.key is not None and voice_profile(p, 4) is not None]
order = np.random.default_rng(0).permutation(len(pieces)); heads = [pieces[i] for i in order[:60]]
targets = [70.4, 65.06, 59.48, 50.63]
for spec in sys.argv[1:]:
    gain, cap = (float(x) for x in spec.split(":"))
    model.decoding.setdefault("chorale", {}).update({"voice_registers": targets, "voice_register_gain": gain})
    A.Constrainer.voice_register_bias = lambda self, cap=cap: capped(self, cap)
    takes = compose_like(model, tok, heads, "chorale", MusicalityConfig(per_style=60, seed=0, max_bars=16))
    rows = np.array([r for r in (voice_profile(p, 4) for p in takes) if r is not None]).mean(axis=0)
    print(spec, "means", np.round(rows[:4], 2).tolist(), "intervals", np.round(rows[4:], 3).tolist(), flush=True)
