"""Session 67: drawn chorale plans (as takes 2 and later have them: `Harmonizer.decode` with an rng,
three a soprano) on the JSB validation sopranos, per (stay cost, return cost): the share of beats
keeping the chord before, X-Y-X per chord change and of those the share going on to Y, the labels'
agreement with Bach's.

    .venv/bin/python docs/notes/2026-12-07-session-67/drawn_rock.py [STAY:RETURN ...]

(Session 68: the pairs may be given; the return cost counts at the chord change since then.)
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from fit_chorale_plan import kept_share, plan_inputs
from plan_rock import rocking

from tunesmith.cocreate.chords import _harmonizer_of
from tunesmith.corpus import load_corpus

net = _harmonizer_of(None, kind="chorale")
pieces = [
    p
    for p in load_corpus(None).filter(split="valid", style="chorale")
    if p.source == "jsb" and p.keys and len(p.tracks) >= 4
]
inputs = plan_inputs(net, pieces)
bach = [b for _, b in inputs]
pairs = [tuple(float(x) for x in a.split(":")) for a in sys.argv[1:]] or [(0.0, 0.0), (0.4, 0.0), (0.4, 0.75), (0.4, 1.0)]
for stay, ret in pairs:
    paths = [
        net.decode(logp, rng=np.random.default_rng([i, d]), style="chorale", stay_cost=stay, return_cost=ret)
        for i, (logp, _) in enumerate(inputs)
        for d in range(3)
    ]
    agree = sum(int((p[b >= 0] == b[b >= 0]).sum()) for p, b in zip(paths, [b for b in bach for _ in range(3)])) / (
        3 * sum(int((b >= 0).sum()) for b in bach)
    )
    print(
        f"drawn, stay {stay} return {ret}: kept {kept_share(paths):.3f}, X-Y-X per change, going on {[round(x, 3) for x in rocking(paths)]}, labels as Bach's {agree:.3f}",
        flush=True,
    )
