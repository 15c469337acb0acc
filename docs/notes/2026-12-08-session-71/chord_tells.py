"""Session 71: what tells a style's composed chords from its tunes'? Session 47's chord-only features
(`chord_c2st.chord_features`: time per root degree, per quality family, root motions, time off the
scale, chords per bar) for a split's tunes (`--split`, `--shippable`) (cut to length) and takes under their headers
(as session 48's `chord_idioms.py` draws them), the features whose means differ most (Cohen's d),
and the chord-only classifier's accuracy.

    .venv/bin/python docs/notes/2026-12-08-session-71/chord_tells.py --style jazz [--seeds 0,1] [--model DIR] [--split train --shippable]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-47"))
from chord_c2st import FAMILIES, chord_c2st, chord_features  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched, real_pieces  # noqa: E402
from tunesmith.inference import load_numpy_model  # noqa: E402
from tunesmith.pretrained import DEFAULT_MODEL_DIR  # noqa: E402

DEGREES = ["I", "bII", "II", "bIII", "III", "IV", "#IV", "V", "bVI", "VI", "bVII", "VII"]
FAMILY_NAMES = ["major", "minor", "dom7", "maj7", "m7", "dim", "other"]
MOTIONS = [f"root up {k}" for k in range(12)]
NAMES = [f"time on {d}" for d in DEGREES] + [f"time {f}" for f in FAMILY_NAMES] + MOTIONS + ["off scale", "chords/bar"]
assert len(set(FAMILIES.values())) == len(FAMILY_NAMES) - 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="jazz")
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--per-style", type=int, default=120)
    ap.add_argument("--model", default="default")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--split", default="valid")
    ap.add_argument(
        "--shippable", action="store_true", help="the split's shippable tunes only (what a shipped model learns)"
    )
    a = ap.parse_args()
    held = {
        a.style: list(load_corpus(None).filter(split=a.split, style=a.style, shippable=True if a.shippable else None))
    }
    configs = [MusicalityConfig(per_style=a.per_style, seed=int(s)) for s in a.seeds.split(",")]
    heads = [real_pieces(held, a.style, c.per_style, c.seed) for c in configs]
    reals = [p for c, real in zip(configs, heads) for p in length_matched(real, a.style, c.max_bars)]
    model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR if a.model == "default" else a.model)
    takes = [t for c, real in zip(configs, heads) for t in compose_like(model, tok, real, a.style, c)]
    fr = np.array([f for f in map(chord_features, reals) if f is not None])
    ft = np.array([f for f in map(chord_features, takes) if f is not None])
    sd = np.sqrt((fr.var(0) + ft.var(0)) / 2) + 1e-9
    d = (ft.mean(0) - fr.mean(0)) / sd
    print(f"{a.style}: chord C2ST {chord_c2st(reals, takes):.3f} ({len(fr)} tunes, {len(ft)} takes)")
    for i in np.argsort(-np.abs(d))[: a.top]:
        print(f"  {NAMES[i]:16s} d {d[i]:+.2f}: tunes {fr[:, i].mean():.3f}, takes {ft[:, i].mean():.3f}")


if __name__ == "__main__":
    main()
