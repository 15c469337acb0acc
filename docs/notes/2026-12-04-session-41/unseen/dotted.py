"""Dotted eighth + sixteenth notes (Yang-Lerch NLH classes 'dotted 8th' and '16th') by tune type:
the unseen tunes and takes (runs/s41/unseen/rows.json, 3 seeds pooled) and the shipped model's folk
training pieces (Nottingham's R:hornpipe tunes, the rest by meter).

    python docs/notes/2026-12-04-session-41/unseen/dotted.py runs/s41/unseen/rows.json
"""

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "scripts"))
import evaluate_musicality as em  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.inference import load_numpy_model  # noqa: E402
from tunesmith.metrics import yang_lerch as yl  # noqa: E402
from tunesmith.pretrained import DEFAULT_MODEL_DIR  # noqa: E402

rows = json.loads(Path(sys.argv[1]).read_text())
by = defaultdict(lambda: {"real_cut": [], "take": []})
for r in rows:
    if r["set"] == "unseen" and r["kind"] in ("real_cut", "take"):
        by[r["type"]][r["kind"]].append(r["nlh"])
print("| unseen type | n | dotted 8th real / take | 16th real / take | 8th real / take |\n|---|---|---|---|---|")
for t, k in sorted(by.items(), key=lambda kv: -len(kv[1]["take"])):
    if len(k["take"]) >= 8:
        a, b = np.mean(k["real_cut"], axis=0), np.mean(k["take"], axis=0)
        print(f"| {t} | {len(k['take'])} | {a[7]:.3f} / {b[7]:.3f} | {a[4]:.3f} / {b[4]:.3f} | {a[3]:.3f} / {b[3]:.3f} |")
_, _, info = load_numpy_model(DEFAULT_MODEL_DIR)
training = em.training_pieces(load_corpus(None), "folk", info["train_config"])
groups = defaultdict(list)
for p in training:
    kind = "hornpipe (R:)" if str(p.meta.get("rhythm", "")).lower() == "hornpipe" else \
        f"{p.time_signature.numerator}/{p.time_signature.denominator}"  # fmt: skip
    groups[(p.source, kind)].append(yl.note_length_histogram(p))
print("\n| training source, kind | n | dotted 8th | 16th | 8th | pieces with >= 10% dotted 8ths |\n|---|---|---|---|---|---|")
for (src, kind), h in sorted(groups.items(), key=lambda kv: -len(kv[1])):
    if len(h) >= 10:
        h = np.array(h)
        print(f"| {src}, {kind} | {len(h)} | {h[:, 7].mean():.3f} | {h[:, 4].mean():.3f} | {h[:, 3].mean():.3f} | "
              f"{(h[:, 7] >= 0.1).mean():.3f} |")
