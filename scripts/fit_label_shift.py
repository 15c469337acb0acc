#!/usr/bin/env python
"""Fit a style's chord label shift for the harmonizer and write it into the model's decoding.json.

    python scripts/fit_label_shift.py --style pop [--write] [--model-dir src/tunesmith/models/default]

The harmonizer learned pop from the shippable lead sheets that have a melody (OpenEWLD's pre-1931
songs), whose chords are not those of the style's own songs: they write V as V7 0.77 of its time,
IV 0.10 of all chord time. Billboard's CC0 progressions (no melodies, so the network never saw them)
write V7 0.27 of V's time and IV 0.20. Per label (relative root x quality class), the shift is
log P_billboard - log P_songs (time under each chord, major keys, the shippable training split;
1e-3 added to each share, clipped to +-3); `Harmonizer.decode` adds it to each unit's scores, the
label-shift correction of a posterior trained under one prior and used under another. Minor keys
are left alone (Billboard's minor-key songs are few). Research-only data (POP909) is not read.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

from tunesmith import harmonizer as H
from tunesmith.corpus import load_corpus
from tunesmith.inference import update_decoding_file
from tunesmith.pretrained import DEFAULT_MODEL_DIR
from tunesmith.score import KeySignature

EPS = 1e-3
CLIP = 3.0


def label_time(pieces) -> np.ndarray:
    """Share of chord time per harmonizer label, major keys."""
    t = np.zeros(H.N_LABELS)
    for p in pieces:
        k = p.key
        if k is None or (k.mode or "major") != "major":
            continue
        chords = sorted(p.chords, key=lambda c: c.onset)
        for i, c in enumerate(chords):
            end = chords[i + 1].onset if i + 1 < len(chords) else p.duration()
            if c.duration:
                end = min(end, c.onset + c.duration)
            lab = H.label_of(c.figure, k.tonic_pc)
            if lab is not None and math.isfinite(end):
                t[lab] += max(0.0, end - c.onset)
    return t / max(t.sum(), 1e-9)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--style", default="pop")
    ap.add_argument("--target-source", default="billboard", help="the style's songs whose chord prior is the target")
    ap.add_argument("--model-dir", default=str(DEFAULT_MODEL_DIR))
    ap.add_argument("--write", action="store_true", help="write it into the model folder's decoding.json")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    train = [p for p in load_corpus(None).filter(split="train", style=a.style, shippable=True) if p.chords]
    target = [p for p in train if p.source == a.target_source]
    learned = [p for p in train if p.source != a.target_source and p.melody() is not None and p.melody().notes]
    if not target or not learned:
        print(f"fit_label_shift: no {a.target_source} or no lead sheets in the {a.style} training split", file=sys.stderr)
        return 2
    shift = np.clip(np.log(label_time(target) + EPS) - np.log(label_time(learned) + EPS), -CLIP, CLIP)
    values = [round(float(v), 4) for v in shift]
    in_c = KeySignature(0.0, "C", "major")
    top = sorted(range(H.N_LABELS), key=lambda i: -abs(values[i]))[:10]
    report = {"style": a.style, "target": {a.target_source: len(target)}, "learned": len(learned),
              "largest, in C": {H.figure_of(i, in_c): values[i] for i in top}}  # fmt: skip
    print(json.dumps(report) if a.json else "\n".join(f"{k}: {v}" for k, v in report.items()))
    if a.write:
        note = (f"python scripts/fit_label_shift.py --style {a.style} --write: log P_{a.target_source} - log P_songs per "
                f"harmonizer label, time under chords, major keys, shippable training split ({len(target)} "
                f"{a.target_source} songs, {len(learned)} lead sheets; +{EPS}, clipped to +-{CLIP}; session 49)")
        path = update_decoding_file(Path(a.model_dir), {a.style: {"chords_label_shift": values}},
                                    "chords_label_shift_fitted_on", note)  # fmt: skip
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
