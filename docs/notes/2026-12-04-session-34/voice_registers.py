"""Each voice's mean pitch and its 5th percentile, and the share of soprano notes under E4, in
composed 8-bar chorales (seeds 500..) against Bach's (JSB validation). Session 34.
    [MODEL=DIR] python docs/notes/2026-12-04-session-34/voice_registers.py [N]"""
import os
import sys

import numpy as np

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

import tunesmith as ts  # noqa: E402
from tunesmith.corpus import load_corpus  # noqa: E402

ROLES = ("soprano", "alto", "tenor", "bass")


def measure(pieces) -> str:
    by = {r: [] for r in ROLES}
    for p in pieces:
        for t in p.tracks:
            if t.role in by:
                by[t.role] += [n.pitch for n in t.notes]
    cells = [f"{r} {np.mean(v):.1f} (p5 {np.percentile(v, 5):.0f})" for r, v in by.items()]
    return "  ".join(cells) + f"  soprano<E4 {np.mean(np.array(by['soprano']) < 64):.3f}"


k = int(sys.argv[1]) if len(sys.argv) > 1 else 80
model = os.environ.get("MODEL", "default")  # a model folder: e.g. the package's with an earlier decoding.json
print("bach    ", measure(load_corpus(None).filter(split="valid", style="chorale", source="jsb")))
takes = [ts.compose(style="chorale", key=mc.KEYS[s % 8][0], mode=mc.KEYS[s % 8][1], bars=8, seed=500 + s, check=False,
                    model=model).piece for s in range(k)]  # fmt: skip
print("composed", measure(takes))
