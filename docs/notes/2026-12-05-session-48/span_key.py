"""Pop (or jazz) takes under the valid split's headers with the melody's drawn span off and on: the
key music21 hears, rests, intervals and span (the same takes' seeds either way).

    python docs/notes/2026-12-05-session-48/span_key.py --style pop --seeds 0,1
"""

from __future__ import annotations

import argparse

import numpy as np

import tunesmith.sampling.tables as tables
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, real_pieces
from tunesmith.metrics.musicality import ends_on_estimated_tonic, key_heard, mean_abs_interval, rests_per_8_bars


def span(p) -> int:
    ps = [n.pitch for n in p.melody().notes]
    return max(ps) - min(ps)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="pop")
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--per-style", type=int, default=120)
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus
    from tunesmith.inference import load_numpy_model
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR)
    test = {a.style: list(load_corpus(None).filter(split="valid", style=a.style))}
    choices = tables.melody_span_choices
    real = [p for seed in (int(s) for s in a.seeds.split(",")) for p in real_pieces(test, a.style, a.per_style, seed)]
    cut = [p for p in real if p.melody() is not None and p.melody().notes]
    print(f"{a.style} valid tunes ({len(cut)}, whole): span {np.mean([span(p) for p in cut]):.3f}, "
          f"wider than a 12th {np.mean([span(p) > 19 for p in cut]):.3f}")
    for label, on in (("span off", False), ("span on", True)):
        tables.melody_span_choices = choices if on else (lambda style, bars: None)
        takes = []
        for seed in (int(s) for s in a.seeds.split(",")):
            config = MusicalityConfig(per_style=a.per_style, seed=seed)
            takes += compose_like(model, tok, real_pieces(test, a.style, config.per_style, seed), a.style, config)
        row = {f.__name__: np.mean([f(t) for t in takes]) for f in (key_heard, ends_on_estimated_tonic, rests_per_8_bars,
                                                                    mean_abs_interval, span)}  # fmt: skip
        row["wider_than_a_12th"] = np.mean([span(t) > 19 for t in takes])
        print(f"{a.style} {label} ({len(takes)} takes): " + ", ".join(f"{k} {v:.3f}" for k, v in row.items()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
