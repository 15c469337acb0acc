"""Pop melodies' shape, takes against held-out POP909 songs: range, long notes, rests.

    python docs/notes/2026-12-06-session-53/pop_shape.py [--takes 40] [--bars 16]

Real songs are cut into windows of --bars bars (every window that starts on a bar line with a
note in its first bar); takes are the default request (`tunesmith compose --style pop --bars N`)."""
import argparse
import ast

import numpy as np

import tunesmith as ts
from tunesmith.corpus import default_cache_dir, load_corpus

ap = argparse.ArgumentParser()
ap.add_argument("--takes", type=int, default=40)
ap.add_argument("--bars", type=int, default=16)
ap.add_argument("--split", default="valid")
ap.add_argument("--source", default="", help="only real pieces whose source starts so")
ap.add_argument("--kw", default="", help="extra compose keywords, k=v;k=v")
args = ap.parse_args()


def shape(notes, beats_per_bar, n_bars):
    p = np.array([n.pitch for n in notes])
    d = np.array([n.duration for n in notes])
    span = n_bars * beats_per_bar
    return {
        "range": p.max() - p.min(),
        "p10_p90": np.percentile(p, 90) - np.percentile(p, 10),
        "long_2": np.mean(d >= 2.0),           # notes of 2+ beats
        "long_3": np.mean(d >= 3.0),
        "time_long_2": d[d >= 2.0].sum() / span,
        "notes_per_bar": len(p) / n_bars,
        "mean_pitch": p.mean(),
        "rest_share": 1 - min(1.0, d.sum() / span),
    }


rows_real = []
c = load_corpus(default_cache_dir())
for piece in c.pieces():
    if piece.style != "pop" or piece.split != args.split or not piece.source.startswith(args.source):
        continue
    mel = piece.melody()
    if mel is None:
        continue
    bpb = piece.time_signature.beats_per_bar if hasattr(piece.time_signature, "beats_per_bar") else 4.0
    onsets = list(piece.bar_onsets)
    for k in range(0, len(onsets) - args.bars, args.bars):
        lo, hi = onsets[k], onsets[k + args.bars]
        ns = [n for n in mel.notes if lo <= n.onset < hi]
        if len(ns) < 8 or not any(n.onset < onsets[k + 1] for n in ns):
            continue
        rows_real.append(shape(ns, (hi - lo) / args.bars, args.bars))
kw = {k: ast.literal_eval(v) for k, v in (x.split("=") for x in args.kw.split(";") if x)}
m = ts.load_model("default")
rows_take = []
for seed in range(args.takes):
    t = ts.compose("pop", seed=seed, bars=args.bars, model=m, check=False, **kw)
    rows_take.append(shape(t.piece.melody().notes, 4.0, args.bars))
print(f"{'measure':14s} {'takes':>8s} {'real':>8s}   (takes {len(rows_take)}, real windows {len(rows_real)})")
for key in rows_real[0]:
    a = np.array([r[key] for r in rows_take])
    b = np.array([r[key] for r in rows_real])
    print(f"{key:14s} {a.mean():8.3f} {b.mean():8.3f}   median {np.median(a):.2f} / {np.median(b):.2f}")
