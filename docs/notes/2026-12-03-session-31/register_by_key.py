"""Composed chorales' soprano mean (MIDI) in each of the 24 keys, 12 takes a key (8 bars, seeds
100..111), for a model folder; and the shippable training chorales' soprano mean by key. Session 31.
    python docs/notes/2026-12-03-session-31/register_by_key.py [MODEL] --json out.json"""
import json
import sys

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.tokenizer import spell_tonic

model = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "default"
out_path = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None
m = ts.load_model(model)
rows = {}
for mode in ("major", "minor"):
    for pc in range(12):
        key = spell_tonic(pc, mode)
        s = [np.mean([x.pitch for x in ts.compose(style="chorale", key=key, mode=mode, bars=8, seed=seed, model=m,
                                                  check=False).piece.tracks[0].notes]) for seed in range(100, 112)]  # fmt: skip
        rows[f"{key} {mode}"] = round(float(np.mean(s)), 2)
        print(key, mode, rows[f"{key} {mode}"], flush=True)
bach = {}
for p in load_corpus(None).filter(style="chorale", split="train", shippable=True):
    k = p.keys[0]
    bach.setdefault(f"{spell_tonic(k.tonic_pc, k.mode)} {k.mode}", []).append(np.mean([x.pitch for x in p.tracks[0].notes]))
bach_means = {k: (round(float(np.mean(v)), 2), len(v)) for k, v in bach.items()}
print("takes mean", round(float(np.mean(list(rows.values()))), 2), "training chorales", bach_means)
if out_path:
    with open(out_path, "w") as f:
        json.dump({"takes": rows, "training": bach_means}, f, indent=1)
