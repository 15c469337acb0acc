"""Which C2ST feature groups move: base vs vreg takes against real valid chorales (seed 0)."""
import numpy as np

from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, real_pieces
from tunesmith.inference import load_numpy_model
from tunesmith.metrics.c2st import feature_vector
from tunesmith.pretrained import DEFAULT_MODEL_DIR

cfg = MusicalityConfig(per_style=77, seed=0)
valid = {"chorale": [p for p in load_corpus(None).filter(split="valid", style="chorale")]}
reals = real_pieces(valid, "chorale", 77, 0)
R = np.array([feature_vector(p) for p in reals])
groups = {"PC": slice(0, 1), "PCH": slice(1, 13), "PCTM": slice(13, 157), "PR": slice(157, 158), "PI": slice(158, 159),
          "NC": slice(159, 160), "IOI": slice(160, 161), "NLH": slice(161, 173), "NLTM": slice(173, 317)}
sd = R.std(0); sd[sd == 0] = 1
for name, folder in [("base", DEFAULT_MODEL_DIR), ("vreg", "runs/s29/vreg")]:
    model, tok, _ = load_numpy_model(folder)
    takes = compose_like(model, tok, reals, "chorale", cfg)
    X = np.array([feature_vector(p) for p in takes])
    d = (X.mean(0) - R.mean(0)) / sd
    print(name, {g: round(float(np.sqrt((d[s] ** 2).mean())), 3) for g, s in groups.items()},
          "PR", round(X[:, 157].mean(), 2), "vs", round(R[:, 157].mean(), 2), "PI", round(X[:, 158].mean(), 3), "vs", round(R[:, 158].mean(), 3),
          "NC", round(X[:, 159].mean(), 1), "vs", round(R[:, 159].mean(), 1), flush=True)
    mel = [np.mean([n.pitch for n in p.tracks[0].notes]) for p in takes]
    print("   soprano mean", round(float(np.mean(mel)), 2), "real", round(float(np.mean([np.mean([n.pitch for n in p.tracks[0].notes]) for p in reals])), 2))
