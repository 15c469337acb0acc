"""Which checks are slow, and where the time goes: the two-quotation plants of session 30
(`two_quotes.py`'s construction), each checked 3 times (the best kept), the slowest profiled.
Session 32.
    python docs/notes/2026-12-03-session-32/check_worst.py [N] [--profile K]"""
import cProfile
import pstats
import sys

import numpy as np

sys.argv = sys.argv[:1] + [a for a in sys.argv[1:]]
N = int(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else 100
K = int(sys.argv[sys.argv.index("--profile") + 1]) if "--profile" in sys.argv else 3
import types  # noqa: E402
from pathlib import Path  # noqa: E402

# two_quotes.py runs its measurement on import: take its setup and construction only
src_text = Path("docs/notes/2026-12-03-session-30/two_quotes.py").read_text()
tq = types.ModuleType("two_quotes")
sys.path.insert(0, "scripts")
exec(src_text[: src_text.index("orig = I.SimilarityIndex.candidates")], tq.__dict__)
from tunesmith.rights.check import check_piece  # noqa: E402

rng = np.random.default_rng(0)
pieces = []
for src in tq.sources:
    if len(pieces) >= N:
        break
    built = tq.build(src, tq.hosts[int(rng.integers(len(tq.hosts)))])
    if built is not None:
        pieces.append(built[0])
for p in pieces[:5]:
    check_piece(p, tq.index)  # warm caches
best = []
for p in pieces:
    best.append(min(check_piece(p, tq.index).seconds for _ in range(3)))
best = np.array(best) * 1000
order = np.argsort(best)[::-1]
print(f"{len(pieces)} plants: median {np.median(best):.1f} ms, p90 {np.percentile(best, 90):.1f}, max {best.max():.1f}")
print("slowest:", [(int(i), round(float(best[i]), 1), len(pieces[i].melody().notes)) for i in order[:8]])
for i in order[:K]:
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(5):
        check_piece(pieces[i], tq.index)
    prof.disable()
    print(f"--- plant {i}")
    pstats.Stats(prof).sort_stats("cumulative").print_stats(18)
