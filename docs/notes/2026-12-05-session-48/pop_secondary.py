"""Pop takes (the harmonizer's chords) with I into IV written as I7 at a chance (tried, not
shipped): the shares of secondary dominants (secondary_dominants.py) and the chord-only classifier
against the valid songs (all; the OpenEWLD sheets), 2 seeds x 120 headers.

    python docs/notes/2026-12-05-session-48/pop_secondary.py 0      (as shipped)
    python docs/notes/2026-12-05-session-48/pop_secondary.py 0.25
"""

import sys

sys.path.insert(0, "/work/main/docs/notes/2026-12-05-session-47")
sys.path.insert(0, "/work/main/docs/notes/2026-12-05-session-48")
import numpy as np
from chord_c2st import chord_c2st
from secondary_dominants import counts, report

import tunesmith.harmonizer as H
from tunesmith.cocreate.chords import with_secondary_dominants
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched, real_pieces
from tunesmith.inference import load_numpy_model
from tunesmith.pretrained import DEFAULT_MODEL_DIR

chance = float(sys.argv[1])
orig = H.harmonize_takes
def patched(takes, request, model=None):
    out = orig(takes, request, model)
    if chance and request.style == "pop":
        for t in takes:
            k = t.piece.key
            if t.piece.melody() is not None and k is not None:
                t.piece.chords = with_secondary_dominants(t.piece.chords, t.piece.melody(), k.tonic, k.mode, t.piece.duration(),
                                                          np.random.default_rng([int(t.seed or 0), int(t.meta.get("take", 0)), 13]), {0: chance})
    return out
H.harmonize_takes = patched
model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR)
test = {"pop": list(load_corpus(None).filter(split="valid", style="pop"))}
reals, takes = [], []
for seed in (0, 1):
    c = MusicalityConfig(per_style=120, seed=seed)
    r = real_pieces(test, "pop", c.per_style, seed)
    reals += length_matched(r, "pop", c.max_bars)
    takes += compose_like(model, tok, r, "pop", c)
report("real", counts(reals))
report(f"takes chance {chance}", counts(takes))
lead = [i for i, p in enumerate(reals) if p.source == "openewld"]
print("chord C2ST", round(chord_c2st(reals, takes), 3),
      round(chord_c2st([reals[i] for i in lead], [takes[i] for i in lead]), 3))
