#!/usr/bin/env python
"""Record in a fine-tuned model folder which weights it started from, where a resumed run lost it.

    python scripts/record_initialised_from.py runs/retrain53-ft2

Before session 56, `tunesmith train --init FOLDER --resume` built its provenance again without
`initialised_from`, so a fine-tune resumed across sessions said it was trained from scratch (its
card: "recipe: tunesmith train --config configs/default.toml"). This writes the record its
`train_config.init_from` names, from that folder's weights as they are now, marked
`recorded_after_training`, into model.safetensors' metadata and model.json (the weights
unchanged, each file replaced atomically), and writes the card again. A folder that has the record,
or was not fine-tuned, is left as it is. `--sha256`: the starting file's hash as taken before that
file changed (itself repaired by this script first: its metadata, not its weights, changed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from tunesmith.model import load_model, save_model
    from tunesmith.solvers.model_card import write_trained_card
    from tunesmith.solvers.train import _init_source

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", type=Path, help="a training output folder (model.safetensors + model.json)")
    ap.add_argument("--sha256", default=None, help="the starting weights' file hash, taken before that file changed")
    args = ap.parse_args(argv)
    model, tok, info = load_model(args.run)
    prov = info.get("provenance") or {}
    source = (info.get("train_config") or {}).get("init_from")
    if not source or prov.get("initialised_from"):
        print(f"{args.run}: {'already records the weights it started from' if source else 'not a fine-tune'}; unchanged")
        return 0
    start = Path(source)
    if source != "default" and not (start / "model.safetensors").is_file():
        print(f"{args.run}: the weights it started from ({source}) are not there; unchanged", file=sys.stderr)
        return 2
    prov["initialised_from"] = {**_init_source(source), "recorded_after_training": True}
    if args.sha256:
        prov["initialised_from"]["sha256"] = args.sha256.lower()
    extra = {k: v for k, v in info.items() if k not in ("format", "version", "model_config", "tokenizer")}
    save_model(args.run, model, tok, {**extra, "provenance": prov})
    write_trained_card(args.run, json.loads((args.run / "model.json").read_text(encoding="utf-8")))
    print(f"{args.run}: started from {prov['initialised_from']['model']} "
          f"(sha256 {prov['initialised_from']['sha256'][:12]}), recorded")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
