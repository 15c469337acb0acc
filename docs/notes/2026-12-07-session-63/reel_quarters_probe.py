"""Session 63: quarter-after-quarter moves in 12 (and 16) composed 8-bar reels, seed 40, with the reel's
length moves zeroed and with a quarter after a quarter forbidden (-4), for `tests/test_length_moves.py`'s
precondition on a candidate model (run with that model as the package default).
"""

import sys

sys.path.insert(0, "tests")
import numpy as np

from script_loader import load_script
from tunesmith.api import compose, load_model
from tunesmith.sampling.feedback import LENGTH_CLASSES, length_class

Q = length_class(12)
lm = load_script("scripts/fit_length_moves.py").length_moves
model = load_model("default")
entry = model.model.decoding["folk"]["dances"]["reel"]
moves = np.zeros((LENGTH_CLASSES, LENGTH_CLASSES))
entry["length_moves"] = moves.tolist()
for seed, n in ((40, 12), (40, 16)):
    plain = lm([t.piece for t in compose(style="folk", dance="reel", bars=8, seed=seed, n=n, model=model, check=False)])
    moves[Q, Q] = -4.0
    entry["length_moves"] = moves.tolist()
    apart = lm([t.piece for t in compose(style="folk", dance="reel", bars=8, seed=seed, n=n, model=model, check=False)])
    moves[Q, Q] = 0.0
    entry["length_moves"] = moves.tolist()
    print(seed, n, plain[Q, Q], apart[Q, Q])
