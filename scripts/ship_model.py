#!/usr/bin/env python
"""Install a trained model as the package's default model, with its model card.

    python scripts/ship_model.py runs/default

Copies `model.safetensors` and `model.json` into src/tunesmith/models/default/ (atomically), with
the sampling defaults, harmonizers and chord table the run folder has beside them
(`scripts/refit_decoding.py`), each checked to be fitted on data that may ship,
and writes MODEL_CARD.md from the model's own provenance: what it learned from, under which
licenses, and what was left out and why. Refuses a model whose training data includes any
license that may not ship (licenses.may_ship), or a model over the size limit, so research-only
data can never reach the package by accident.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from tunesmith.licenses import may_ship
from tunesmith.model import load_model
from tunesmith.paths import atomic_write_text
from tunesmith.pretrained import DEFAULT_MODEL_DIR
from tunesmith.solvers.model_card import model_card

MAX_BYTES = 20 * 1024 * 1024
# per-style sampling defaults, the harmonizers and the chord table (scripts/refit_decoding.py)
BESIDE = ("decoding.json", "harmonizer.json", "harmonizer.safetensors", "harmonizer_chorale.json",
          "harmonizer_chorale.safetensors", "chord_table.json")  # fmt: skip

DECISIONS = """\
## What it was not trained on, and why

- **The music21 corpus** (Bach chorales, Essen, O'Neill's 1850, Ryan's Mammoth): its license
  file says some encodings are for non-commercial use only and Essen's status is unclear, so
  tunesmith treats it as non-commercial and keeps it out of the shipped model. It is still read
  for research, evaluation and models users train for themselves. The JSB chorales (the same
  Bach works, public domain, in their standard split) stand in for it.
- **POP909, the chord-melody jazz standards and the Charlie Parker omnibook**: the songs are
  copyrighted; research use only. Never in a shipped model.
- **Jazz progressions (Imaginary Book derivative)**: no license; not shipped.
- **OpenEWLD**: the database is MIT but the scores are only "intended" public domain. Only works
  whose first performance or publication year in OpenEWLD.db is before 1931 (public domain in
  the US as of 2026) are used, labelled `public-domain`; the rest are excluded.
- **Nottingham (GPL-3.0)**: the weights are derived from GPL-licensed data; shipping them with
  the GPL notice and source is tunesmith's reading of the license. Users redistributing the
  package should keep that notice. The GPL covers the transcriptions, not a composition still
  in copyright: tunes whose source field dates them or names a twentieth-century composer, show
  or band (Lloyd Webber's "Close Every Door", Bob McQuillen's and Chris Dewhurst's tunes of the
  1970s-80s, ...; `tunesmith.corpus.rights.refine_nottingham`) are research-only and left out.
"""


INTRO = ("A decoder-only transformer (src/tunesmith/model.py) over tunesmith's lead-sheet/voice tokens "
         "(src/tunesmith/tokenizer.py), composing folk, chorale, jazz and pop with hard constraints applied "
         "during sampling.")


def default_model_card(info: dict, weights: Path, assessment: str = "") -> str:
    """The default model's card: the card every trained model gets (tunesmith.solvers.model_card),
    titled as the package's model, with the decisions about the data it leaves out."""
    start = info.get("provenance", {}).get("initialised_from")
    intro = INTRO
    if start:  # the package's fine-tunes: a run of configs/default.toml, then stages of configs/finetune.toml
        intro += (f" It was fine-tuned from an earlier stage (sha256 `{start['sha256'][:12]}`) on the same shippable "
                  "data; the first stage was trained by `tunesmith train --config configs/default.toml` (the stages "
                  "and what each changed are below).")
    config = "configs/finetune.toml" if start else "configs/default.toml"
    return model_card(info, weights, title="tunesmith default model", intro=intro, config_name=config,
                      extra=DECISIONS + ("\n" + assessment if assessment.strip() else ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", type=Path, help="a training output folder (model.safetensors + model.json)")
    ap.add_argument("--dest", type=Path, default=DEFAULT_MODEL_DIR)
    ap.add_argument(
        "--assessment", type=Path, help="markdown appended to the card: what the model is and is not good at"
    )
    args = ap.parse_args(argv)
    weights, meta = args.run / "model.safetensors", args.run / "model.json"
    _, _, info = load_model(args.run)  # proves it is a loadable tunesmith model (safetensors + JSON only)
    prov = info.get("provenance", {})
    bad = sorted(lic for lic in prov.get("licenses", {}) if not may_ship(lic))
    if bad or not prov.get("all_licenses_may_ship"):
        print(
            f"{args.run}: trained on data that may not ship ({', '.join(bad) or 'unknown'}); refusing", file=sys.stderr
        )
        return 2
    if weights.stat().st_size > MAX_BYTES:
        print(f"{weights}: {weights.stat().st_size / 1e6:.1f} MB is over the 20 MB package limit", file=sys.stderr)
        return 2
    # what scripts/refit_decoding.py fits beside the weights: shipped with them when the run has them
    beside = [args.run / name for name in BESIDE if (args.run / name).is_file()]
    for record in (f for f in beside if f.suffix == ".json" and f.name != "decoding.json"):
        licenses = json.loads(record.read_text(encoding="utf-8")).get("provenance", {}).get("licenses", {})
        bad = sorted(lic for lic in licenses if not may_ship(lic))
        if not licenses or bad:
            print(f"{record}: fitted on data that may not ship ({', '.join(bad) or 'no licenses recorded'}); refusing",
                  file=sys.stderr)  # fmt: skip
            return 2
    args.dest.mkdir(parents=True, exist_ok=True)
    for src in (weights, meta, *beside):
        tmp = args.dest / (src.name + ".tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(args.dest / src.name)
    atomic_write_text(
        args.dest / "MODEL_CARD.md",
        default_model_card(
            json.loads(meta.read_text()),
            args.dest / weights.name,
            args.assessment.read_text() if args.assessment else "",
        ),
    )
    print(f"shipped {args.run} -> {args.dest} ({weights.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
