"""A weight average of the shipped model and a fine-tune of it (a "model soup", Wortsman et al.
2022; WiSE-FT): theta = (1 - alpha) * shipped + alpha * fine-tuned, every tensor. Same shapes,
same tokenizer; model.json is the fine-tune's, its provenance saying what was averaged.

    python docs/notes/2026-12-03-session-30/soup.py runs/s30/ft_b 0.5 runs/s30/soup_b50
"""
import json
import shutil
import sys
from pathlib import Path

from safetensors import safe_open
from safetensors.torch import load_file, save_file

from tunesmith.pretrained import DEFAULT_MODEL_DIR

ft, alpha, out = Path(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
a = load_file(str(DEFAULT_MODEL_DIR / "model.safetensors"))
b = load_file(str(ft / "model.safetensors"))
assert a.keys() == b.keys()
soup = {k: ((1 - alpha) * a[k].float() + alpha * b[k].float()).to(b[k].dtype).contiguous() for k in a}
averaged = {"with": "the model shipped in session 28 (tunesmith/models/default)", "alpha": alpha, "fine_tune": ft.name}
with safe_open(str(ft / "model.safetensors"), "pt") as f:
    header = dict(f.metadata() or {})
for key, value in header.items():  # the tunesmith metadata the header carries: the same, plus the average
    try:
        record = json.loads(value)
    except ValueError:
        continue
    if isinstance(record, dict) and isinstance(record.get("provenance"), dict):
        record["provenance"]["weights_averaged"] = averaged
        header[key] = json.dumps(record)
save_file(soup, str(out / "model.safetensors"), metadata=header)
meta = json.loads((ft / "model.json").read_text())
meta["provenance"]["weights_averaged"] = averaged
(out / "model.json").write_text(json.dumps(meta, indent=1))
for f in ("decoding.json", "harmonizer.json", "harmonizer.safetensors", "harmonizer_chorale.json",
          "harmonizer_chorale.safetensors", "chord_table.json"):
    shutil.copy(DEFAULT_MODEL_DIR / f, out / f)
print(out)
