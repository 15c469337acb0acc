"""What still tells the takes from the unseen tunes once the 2/4 reels and hornpipes are written in
4/4 and the takes are asked at the dance's tempo (request_variants.py's "renotated" variant, run
with --features): the classifier by feature block, and the features' Cohen's d.

    python docs/notes/2026-12-04-session-41/unseen/what_remains.py runs/s41/unseen/variants_renotated_fv.json
"""

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analyze import BLOCKS, NLH, SCALARS, d  # noqa: E402

from tunesmith.metrics.c2st import cross_validated_accuracy  # noqa: E402

runs = json.loads(Path(sys.argv[1]).read_text())["renotated"]
print("| features | C2ST, mean ± sd over seeds |\n|---|---|")
for name, cols in {"all": None, **BLOCKS}.items():
    vals = []
    for seed, row in runs.items():
        x = np.array(row["fv_real"] + row["fv_take"], dtype=float)
        x = x if cols is None else x[:, cols]
        y = np.array([0] * len(row["fv_real"]) + [1] * len(row["fv_take"]))
        vals.append(cross_validated_accuracy(x, y, folds=5, seed=int(seed))[0])
    print(f"| {name} | {np.mean(vals):.3f} ± {np.std(vals):.3f} |")
real = np.array([v for row in runs.values() for v in row["fv_real"]])
take = np.array([v for row in runs.values() for v in row["fv_take"]])
print("\n| feature | real | takes | d |\n|---|---|---|---|")
for name, j in [*SCALARS.items(), *((f"share of {n} notes", 161 + k) for k, n in enumerate(NLH))]:
    print(f"| {name} | {real[:, j].mean():.3f} | {take[:, j].mean():.3f} | {d(real[:, j], take[:, j]):+.2f} |")
# the largest differences among all 317 features
names = (["PC"] + [f"PCH {i}" for i in range(12)] + [f"PCTM {i // 12}->{i % 12}" for i in range(144)] + ["PR", "PI", "NC", "IOI"]
         + [f"NLH {n}" for n in NLH] + [f"NLTM {NLH[i // 12]}->{NLH[i % 12]}" for i in range(144)])
ds = [(d(real[:, j], take[:, j]), names[j], real[:, j].mean(), take[:, j].mean()) for j in range(real.shape[1])]
ds = [x for x in ds if np.isfinite(x[0])]
print("\nlargest |d| of the 317 features:")
for v, n, a, b in sorted(ds, key=lambda x: -abs(x[0]))[:15]:
    print(f"| {n} | {a:.4f} | {b:.4f} | {v:+.2f} |")
