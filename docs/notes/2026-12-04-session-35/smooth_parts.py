"""The smooth taste's parts (scripts/tuning_experiments.py `taste`: -0.6 x mean interval,
-|span - 14| / 4, 1.5 x recurring bars, the final tonic) for a base and a tuned model's takes,
sampled as the tuner and the blind pairs sample them (`takes_of`, 8 bars, seed 11). Session 35.
    python docs/notes/2026-12-04-session-35/smooth_parts.py BASE TUNED [N]"""
import math
import sys

import numpy as np

sys.path.insert(0, "scripts")
import tuning_experiments as te  # noqa: E402

from tunesmith.metrics._common import melody_line  # noqa: E402
from tunesmith.metrics.musicality import repeated_bar_share  # noqa: E402

n = int(sys.argv[3]) if len(sys.argv) > 3 else 200


def parts(piece):
    line = melody_line(piece)
    iv = [abs(b.pitch - a.pitch) for a, b in zip(line, line[1:])]
    span = max(x.pitch for x in line) - min(x.pitch for x in line)
    rep = repeated_bar_share(piece)
    tonic = piece.key.tonic_pc if piece.key else 0
    return {"interval": -0.6 * float(np.mean(iv)), "span": -abs(span - 14) / 4,
            "recurring": 1.5 * (0 if math.isnan(rep) else rep), "tonic_end": float(line[-1].pitch % 12 == tonic),
            "span_raw": span, "interval_raw": float(np.mean(iv))}  # fmt: skip


for label in sys.argv[1:3]:
    model, tok, _ = te.load(label)
    takes = [t.piece for t in te.takes_of(model, tok, "folk", n, 8, 11).takes]
    rows = [parts(p) for p in takes]
    print(label, {k: round(float(np.mean([r[k] for r in rows])), 3) for k in rows[0]},
          "taste", round(float(np.mean([te.taste(p) for p in takes])), 3), flush=True)
