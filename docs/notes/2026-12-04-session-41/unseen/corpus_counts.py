"""Two corpus facts the report leans on: which sources the folk test split holds, and how long the
shipped model's folk training tunes hold their last melody note, by source and meter.

    python docs/notes/2026-12-04-session-41/unseen/corpus_counts.py
"""

import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "scripts"))
import evaluate_musicality as em  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.inference import load_numpy_model  # noqa: E402
from tunesmith.metrics._common import melody_line  # noqa: E402
from tunesmith.pretrained import DEFAULT_MODEL_DIR  # noqa: E402

corpus = load_corpus(None)
for split in ("train", "valid", "test"):
    print(split, dict(Counter(p.source for p in corpus.filter(split=split, style="folk")).most_common()))
_, _, info = load_numpy_model(DEFAULT_MODEL_DIR)
last = defaultdict(list)
for p in em.training_pieces(corpus, "folk", info["train_config"]):
    notes = melody_line(p)
    if notes:
        last[(p.source, f"{p.time_signature.numerator}/{p.time_signature.denominator}")].append(notes[-1].duration)
print("\n| training source, meter | n | last note >= 2 beats |\n|---|---|---|")
for (src, m), v in sorted(last.items(), key=lambda kv: -len(kv[1]))[:8]:
    print(f"| {src}, {m} | {len(v)} | {np.mean(np.array(v) >= 2 - 1e-6):.2f} |")
