"""What tells folk takes from held-out folk tunes (valid, shippable, cut to the takes' length): the
classifier's features (`metrics.c2st.feature_vector`) whose means differ most, in pooled standard
deviations, for takes under the tunes' headers. Run it under moves_off.py for the code before.
Session 35.
    python docs/notes/2026-12-04-session-35/folk_tells.py [N] [STYLE] [SHIPPABLE_ONLY 1/0]"""
import sys

import numpy as np

from tunesmith.api import load_model
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.feedback_fit import fit_pieces
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched
from tunesmith.metrics.c2st import feature_vector

n = int(sys.argv[1]) if len(sys.argv) > 1 else 120
style = sys.argv[2] if len(sys.argv) > 2 else "folk"
shippable = (sys.argv[3] if len(sys.argv) > 3 else "1") == "1" or None
NAMES = (["pitch_count"] + [f"pch{i}" for i in range(12)] + [f"pctm{i // 12}>{i % 12}" for i in range(144)]
         + ["pitch_range", "avg_interval", "note_count", "avg_ioi"] + [f"nlh{i}" for i in range(12)]
         + [f"nltm{i // 12}>{i % 12}" for i in range(144)])  # fmt: skip
m = load_model("default")
real = fit_pieces(load_corpus(None).filter(split="valid", style=style, shippable=shippable))
real = [real[i] for i in np.random.default_rng(0).permutation(len(real))[:n]]
cfg = MusicalityConfig(per_style=n, seed=0)
takes = compose_like(m.model, m.tokenizer, real, style, cfg)
real = length_matched(real, style, cfg.max_bars)
R = np.array([feature_vector(p) for p in real])
T = np.array([feature_vector(p) for p in takes])
sd = np.sqrt((R.var(0) + T.var(0)) / 2) + 1e-9
d = (T.mean(0) - R.mean(0)) / sd
for i in np.argsort(-np.abs(d))[:12]:
    print(f"{NAMES[i]:14s} takes {T[:, i].mean():8.3f}  real {R[:, i].mean():8.3f}  d {d[i]:+.2f}")
