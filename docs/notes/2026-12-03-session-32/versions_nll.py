"""How much the leak flattered held-out figures: NLL per note (whole pieces, `evaluation.
likelihood`) of the shipped model on the test pieces of the build before tune families
(runs/s32/splits_before.json: piece id -> split), split into those the new build keeps held out
and those it moved into training (versions of a training tune). Session 32.
    python docs/notes/2026-12-03-session-32/versions_nll.py [MAX]"""
import json
import random
import sys
from pathlib import Path

from tunesmith.corpus import load_corpus
from tunesmith.evaluation.likelihood import canonical_view, tunesmith_nll
from tunesmith.model import load_model
from tunesmith.pretrained import DEFAULT_MODEL_DIR

MAX = int(sys.argv[1]) if len(sys.argv) > 1 else 200
before = json.loads(Path("runs/s32/splits_before.json").read_text())
corpus = load_corpus(None)
model, tok = load_model(DEFAULT_MODEL_DIR)[:2]
out = {}
for style in ("folk", "jazz"):
    groups = {"still held out": [], "moved into training (versions)": []}
    for p in corpus.filter(style=style):
        if before.get(p.piece_id) != "test" or not p.n_notes:
            continue
        try:
            view = canonical_view(p, tok)
        except ValueError:
            continue
        groups["still held out" if p.split == "test" else "moved into training (versions)"].append(view)
    for name, views in groups.items():
        random.Random(f"nll:{style}").shuffle(views)
        r = tunesmith_nll(model, tok, views[:MAX])
        out[f"{style}: {name}"] = {"pieces": len(views), "scored": r["n_pieces"], "per_note": round(r["per_note_joint"], 3)}
        print(style, name, out[f"{style}: {name}"], flush=True)
json.dump(out, sys.stdout, indent=1)
