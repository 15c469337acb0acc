"""Notes per bar and tempo by meter: the shipped model's folk training pieces (corpus train+valid,
shippable), the unseen tunes (O'Neill's + Ryan's) and the takes of runs/s41/unseen/rows.json.

    python docs/notes/2026-12-04-session-41/unseen/density_by_meter.py runs/s41/unseen/rows.json
"""

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "scripts"))
import evaluate_musicality as em  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.inference import load_numpy_model  # noqa: E402
from tunesmith.pretrained import DEFAULT_MODEL_DIR  # noqa: E402

M21 = Path(__file__).resolve().parents[4] / ".venv/lib/python3.11/site-packages/music21/corpus"


def npb(p):
    mel = p.melody()
    return len(mel.notes) / max(1, len(p.bars())) if mel else float("nan")


def meter(p):
    return f"{p.time_signature.numerator}/{p.time_signature.denominator}"


def table(name, pieces):
    by = defaultdict(list)
    for p in pieces:
        by[meter(p)].append(p)
    print(f"\n{name}: {len(pieces)} pieces")
    print("| meter | n | notes/bar | tempo (median) | tempo 120 share | types (R:) |")
    print("|---|---|---|---|---|---|")
    for m, ps in sorted(by.items(), key=lambda kv: -len(kv[1]))[:8]:
        tempos = [p.tempo for p in ps]
        types = Counter(str(p.meta.get("rhythm") or "-").lower() for p in ps).most_common(4)
        print(f"| {m} | {len(ps)} | {np.nanmean([npb(p) for p in ps]):.2f} | {np.median(tempos):.0f} | "
              f"{np.mean([t == 120 for t in tempos]):.2f} | {types} |")


_, _, info = load_numpy_model(DEFAULT_MODEL_DIR)
corpus = load_corpus(None)
training = em.training_pieces(corpus, "folk", info["train_config"])
for src in ("irish", "nottingham"):
    table(f"training ({src})", [p for p in training if p.source == src])
unseen, _ = em.read_real("folk", [str(M21 / "oneills1850"), str(M21 / "ryansMammoth")], training)
table("unseen (O'Neill's + Ryan's)", unseen)
rows = json.loads(Path(sys.argv[1]).read_text())
print("\ntakes and reals by meter x type (unseen, 3 seeds pooled): notes/bar take / real")
by = defaultdict(lambda: ([], []))
for r in rows:
    if r["set"] == "unseen" and r["kind"] in ("take", "real_cut"):
        by[(r["meter"], r["type"])][r["kind"] == "real_cut"].append(r["notes_per_bar"])
for (m, t), (take, real) in sorted(by.items(), key=lambda kv: -len(kv[1][0])):
    if len(take) >= 6:
        print(f"| {m} | {t} | {len(take)} | {np.mean(take):.2f} / {np.mean(real):.2f} |")
