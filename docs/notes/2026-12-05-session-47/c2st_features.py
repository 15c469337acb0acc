"""Which of the classifier's feature groups tell a style's takes from its real pieces?

    python docs/notes/2026-12-05-session-47/c2st_features.py pop --per-style 120 --seeds 0 [--save runs/s47/pop.pkl]

Takes are composed exactly as `scripts/evaluate_musicality.py` composes them (the real piece's
header, its seed), real pieces cut to the take's length (`length_matched`). Then the C2ST is run on
each Yang-Lerch feature group alone, and on all but that group; the single features whose
standardized means differ most are listed.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched, real_pieces
from tunesmith.metrics.c2st import cross_validated_accuracy, feature_vector

GROUPS = {"PC": slice(0, 1), "PCH": slice(1, 13), "PCTM": slice(13, 157), "PR": slice(157, 158),
          "PI": slice(158, 159), "NC": slice(159, 160), "IOI": slice(160, 161), "NLH": slice(161, 173),
          "NLTM": slice(173, 317)}


def names() -> list[str]:
    out = ["PC"] + [f"PCH[{i}]" for i in range(12)] + [f"PCTM[{i},{j}]" for i in range(12) for j in range(12)]
    out += ["PR", "PI", "NC", "IOI"] + [f"NLH[{i}]" for i in range(12)]
    out += [f"NLTM[{i},{j}]" for i in range(12) for j in range(12)]
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("style")
    ap.add_argument("--per-style", type=int, default=120)
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--split", default="valid")
    ap.add_argument("--save", default=None)
    ap.add_argument("--load", default=None)
    args = ap.parse_args()
    if args.load:
        reals, takes = pickle.loads(Path(args.load).read_bytes())
    else:
        from tunesmith.corpus import load_corpus
        from tunesmith.inference import load_numpy_model
        from tunesmith.pretrained import DEFAULT_MODEL_DIR

        model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR)
        corpus = load_corpus(None)
        test = {args.style: list(corpus.filter(split=args.split, style=args.style))}
        reals, takes = [], []
        for seed in [int(s) for s in args.seeds.split(",")]:
            config = MusicalityConfig(per_style=args.per_style, seed=seed)
            r = real_pieces(test, args.style, config.per_style, seed)
            takes += compose_like(model, tok, r, args.style, config)
            reals += length_matched(r, args.style, config.max_bars)
            print(f"seed {seed}: {len(r)} pieces", file=sys.stderr, flush=True)
        if args.save:
            Path(args.save).write_bytes(pickle.dumps((reals, takes)))
    xr = np.array([feature_vector(p) for p in reals])
    xt = np.array([feature_vector(p) for p in takes])
    n = min(len(xr), len(xt))
    x = np.concatenate([xr[:n], xt[:n]])
    y = np.array([0] * n + [1] * n)
    print(f"{args.style}: {n} real, {n} takes; all features {cross_validated_accuracy(x, y)[0]:.3f}")
    for g, sl in GROUPS.items():
        keep = np.ones(x.shape[1], bool)
        keep[sl] = False
        print(f"  {g:5s} alone {cross_validated_accuracy(x[:, sl], y)[0]:.3f}   all but it {cross_validated_accuracy(x[:, keep], y)[0]:.3f}")
    mu_r, mu_t = xr.mean(0), xt.mean(0)
    sd = np.concatenate([xr, xt]).std(0)
    sd[sd == 0] = 1
    d = (mu_t - mu_r) / sd
    nm = names()
    print("  features whose means differ most (takes - real, in pooled sd):")
    for i in np.argsort(-np.abs(d))[:20]:
        print(f"    {nm[i]:14s} d={d[i]:+.2f}  real {mu_r[i]:.4f}  takes {mu_t[i]:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
