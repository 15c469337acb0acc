"""How far a style's composed melodies' note-length moves (class before -> class next,
`sampling.feedback.LENGTH_CLASS_TICKS`) lie from held-out tunes', as total variation of the joint
shares, and the largest differences. Takes under the held-out tunes' headers
(`evaluation.musicality.compose_like`). Session 35.
    python docs/notes/2026-12-04-session-35/length_moves_gap.py STYLE [N] [SPLIT]"""
import sys

import numpy as np

sys.path.insert(0, "scripts")
from fit_length_moves import distance, length_moves  # noqa: E402

from tunesmith.api import load_model  # noqa: E402
from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.evaluation.feedback_fit import fit_pieces  # noqa: E402
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched  # noqa: E402
from tunesmith.sampling.feedback import LENGTH_CLASS_NAMES  # noqa: E402

style = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 120
split = sys.argv[3] if len(sys.argv) > 3 else "valid"
m = load_model("default")
real = fit_pieces(load_corpus(None).filter(split=split, style=style, shippable=True))
rng = np.random.default_rng(0)
real = [real[i] for i in rng.permutation(len(real))[:n]]
cfg = MusicalityConfig(per_style=n, seed=0)
takes = compose_like(m.model, m.tokenizer, real, style, cfg)
real = length_matched(real, style, cfg.max_bars)
A, B = length_moves(takes), length_moves(real)
print(f"{style} {split}: {len(takes)} takes, {len(real)} tunes; TV {distance(A, B):.4f}")
a, b = A / A.sum(), B / B.sum()
for i, j in sorted(np.ndindex(*a.shape), key=lambda ij: -abs(a[ij] - b[ij]))[:8]:
    print(f"  {LENGTH_CLASS_NAMES[i]:>14s} -> {LENGTH_CLASS_NAMES[j]:<14s} takes {a[i, j]:.3f} real {b[i, j]:.3f}")
