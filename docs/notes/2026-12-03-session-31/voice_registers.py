"""Each voice's mean pitch (note-time weighted, quarter-beat units) and 5th-95th percentile: Bach's
validation chorales against composed 8-bar chorales (the keys of musician_checks.composed_chorales,
seeds 500..), for a model folder. Session 31.
    python docs/notes/2026-12-03-session-31/voice_registers.py N [MODEL]"""
import sys

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus

sys.path.insert(0, "scripts")
from musician_checks import KEYS  # noqa: E402


def reg(ps):
    out = {}
    for role in ("soprano", "alto", "tenor", "bass"):
        pit = np.array([n.pitch for p in ps for n in p.track(role).notes for _ in range(max(1, round(n.duration * 4)))])
        out[role] = (round(float(pit.mean()), 2), int(np.percentile(pit, 5)), int(np.percentile(pit, 95)))
    return out


n = int(sys.argv[1])
model = ts.load_model(sys.argv[2] if len(sys.argv) > 2 else "default")
bach = list(load_corpus(None).filter(split="valid", style="chorale", source="jsb"))
print("bach", reg(bach))
takes = [ts.compose(style="chorale", key=KEYS[s % 8][0], mode=KEYS[s % 8][1], bars=8, seed=500 + s, model=model,
                    check=False).piece for s in range(n)]
print("composed", reg(takes))
