"""Make the shipping folder from a refitted fine-tune: its weights, its refitted lead-sheet
harmonizer, chord table and decoding defaults, but the chorale section of the package's
decoding.json with the refitted lower voices' `lower_interval_offsets` and `lower_return_offsets`
(session 63's "mix"), and the package's chorale harmonizer.

    .venv/bin/python docs/notes/2026-12-07-session-64/mix_chorale_section.py runs/s64/ft runs/s64/ship
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "src" / "tunesmith" / "models" / "default"
REFITTED_KEYS = ("lower_interval_offsets", "lower_return_offsets")


def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for name in ("model.safetensors", "model.json", "harmonizer.json", "harmonizer.safetensors", "chord_table.json"):
        shutil.copy2(src / name, out / name)
    for name in ("harmonizer_chorale.json", "harmonizer_chorale.safetensors"):
        shutil.copy2(PACKAGE / name, out / name)
    refitted = json.loads((src / "decoding.json").read_text())
    previous = json.loads((PACKAGE / "decoding.json").read_text())
    chorale = dict(previous["chorale"])
    for key in REFITTED_KEYS:
        chorale[key] = refitted["chorale"][key]
    refitted["chorale"] = chorale
    refitted["chorale_kept_from"] = (
        "the previous model's chorale section (session 56's weights), except lower_interval_offsets and "
        "lower_return_offsets, refitted on these weights: with every chorale default refitted, composed "
        "chorales were easier to tell from Bach's (session 63); the chorale harmonizer is the previous one too"
    )
    (out / "decoding.json").write_text(json.dumps(refitted, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
