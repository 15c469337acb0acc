"""Where a style's melodies sit: mean pitch and the 10th / 50th / 90th percentiles of melody notes
(MODEL=DIR for another model than the default), and the share of notes under C4 (60), for N tunes of a split and for takes under
their headers. Session 36.
    python docs/notes/2026-12-04-session-36/registers.py [N] [STYLE] [SPLIT] [SHIPPABLE 1/0]"""
import os
import sys

import numpy as np

from tunesmith.api import load_model
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.feedback_fit import fit_pieces
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched
from tunesmith.metrics._common import melody_line

n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
style = sys.argv[2] if len(sys.argv) > 2 else "jazz"
split = sys.argv[3] if len(sys.argv) > 3 else "train"
shippable = (sys.argv[4] if len(sys.argv) > 4 else "1") == "1" or None


def register(pieces):
    p = np.concatenate([[x.pitch for x in melody_line(q)] for q in pieces])
    means = [np.mean([x.pitch for x in melody_line(q)]) for q in pieces]
    first = [melody_line(q)[0].pitch for q in pieces]
    r = np.corrcoef(first, means)[0, 1]
    return (f"first note {np.mean(first):5.1f} sd {np.std(first):.1f} (r with the piece's mean {r:.2f})  "
            f"mean {p.mean():5.1f}  p10/p50/p90 {np.percentile(p, 10):.0f}/{np.percentile(p, 50):.0f}/"
            f"{np.percentile(p, 90):.0f}  under C4 {np.mean(p < 60):.3f}  per-piece mean sd {np.std(means):.1f}")


m = load_model(os.environ.get("MODEL", "default"))  # MODEL=DIR: another model folder
real = fit_pieces(load_corpus(None).filter(split=split, style=style, shippable=shippable))
real = [real[i] for i in np.random.default_rng(0).permutation(len(real))[:n]]
cfg = MusicalityConfig(per_style=n, seed=0)
takes = compose_like(m.model, m.tokenizer, real, style, cfg)
print(f"{style} {split} shippable={shippable} n={len(real)}")
print("  real ", register(length_matched(real, style, cfg.max_bars)))
print("  takes", register(takes))
