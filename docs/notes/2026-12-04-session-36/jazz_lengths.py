"""Note lengths (onset to next onset, the melody) of jazz takes against the tunes whose headers they
are composed under: the shippable training tunes (what the model learnt from) and the held-out
valid tunes (all sources), each cut to the takes' length. Session 36.
    python docs/notes/2026-12-04-session-36/jazz_lengths.py [N] [STYLE]"""
import collections
import sys

import numpy as np

from tunesmith.api import load_model
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.feedback_fit import fit_pieces
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched
from tunesmith.metrics._common import melody_line

n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
style = sys.argv[2] if len(sys.argv) > 2 else "jazz"
NAMES = ((0.25, "16th"), (1 / 3, "trip"), (0.5, "8th"), (2 / 3, "trip2"), (0.75, "d8th"), (1.0, "qtr"), (1.5, "dqtr"),
         (2.0, "half"), (3.0, "dhalf"), (4.0, "whole"))  # fmt: skip


def name(d: float) -> str:
    for v, s in NAMES:
        if abs(d - v) < 0.02:
            return s
    return "long" if d > 4 else "other"


def shares(pieces):
    c = collections.Counter()
    per_beat = []
    for p in pieces:
        line = melody_line(p)
        ds = [b.onset - a.onset for a, b in zip(line, line[1:])]
        c.update(name(d) for d in ds)
        span = line[-1].onset - line[0].onset if len(line) > 1 else 0
        if span:
            per_beat.append(len(ds) / span)
    t = sum(c.values())
    return {k: c[k] / t for k in [s for _, s in NAMES] + ["long", "other"]}, float(np.mean(per_beat))


m = load_model("default")
corpus = load_corpus(None)
cfg = MusicalityConfig(per_style=n, seed=0)
rows = {}
for label, split, ship in (("train-ship", "train", True), ("valid-all", "valid", None)):
    real = fit_pieces(corpus.filter(split=split, style=style, shippable=ship))
    real = [real[i] for i in np.random.default_rng(0).permutation(len(real))[:n]]
    takes = compose_like(m.model, m.tokenizer, real, style, cfg)
    rows[label] = shares(length_matched(real, style, cfg.max_bars))
    rows["takes@" + label] = shares(takes)
keys = list(rows["train-ship"][0])
print(f"{'':16s}" + "".join(f"{k:>7s}" for k in keys) + "  notes/beat")
for label, (sh, nb) in rows.items():
    print(f"{label:16s}" + "".join(f"{sh[k]:7.3f}" for k in keys) + f"  {nb:.2f}")
