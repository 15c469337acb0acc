"""The melody's range, takes against held-out real pieces, per style (and the folk dances): span
in semitones, how far the melody goes below and above its own median pitch, and the absolute
lowest note, as percentiles. Takes use each real piece's key, mode, meter and (cut) length, seeds
700 + i. Session 34.
    python docs/notes/2026-12-04-session-34/range_by_style.py [N] [sets...]"""
import json
import os
import re
import sys

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import length_matched

N = int(sys.argv[1]) if len(sys.argv) > 1 else 40
SETS = sys.argv[2:] or ["folk", "reel", "jig", "pop", "jazz"]
corpus = load_corpus(None)


def reals(name):
    style = name if name in ("folk", "pop", "jazz") else "folk"
    ps = [p for split in ("valid", "test") for p in corpus.filter(style=style, split=split) if p.melody() is not None]
    if name == "reel":
        ps = [p for p in ps if re.search("reel", p.work_id, re.I) and str(p.time_signature) in ("4/4", "2/2")]
    elif name == "jig":
        ps = [p for p in ps if re.search("jig", p.work_id, re.I) and str(p.time_signature) == "6/8"]
    rng = np.random.default_rng(0)
    ps = [ps[i] for i in rng.permutation(len(ps))[:N]]
    return length_matched(ps, style, 32 if name in ("reel", "jig") else 16), style


def take(p, style, name, seed):
    k = p.key
    meter = str(p.time_signature)
    kw = dict(style=style, key=k.tonic if k else "C", mode=(k.mode or "major") if k else "major",
              bars=max(4, min(len(p.bars()), 32)), seed=seed, check=False)
    if name in ("reel", "jig"):
        kw["dance"] = name
    elif meter in ("2/4", "3/4", "4/4", "6/8", "9/8", "12/8", "2/2", "3/8"):
        kw["meter"] = meter
    return ts.compose(**kw).piece


def stats(pieces):
    span, below, above, low = [], [], [], []
    for p in pieces:
        ps = np.array([x.pitch for x in p.melody().notes])
        if len(ps) < 2:
            continue
        med = float(np.median(ps))
        span.append(ps.max() - ps.min())
        below.append(med - ps.min())
        above.append(ps.max() - med)
        low.append(ps.min())
    q = [10, 25, 50, 75, 90]
    f = lambda v: [round(float(x), 1) for x in np.percentile(v, q)]  # noqa: E731
    return {"n": len(pieces), "span_mean": round(float(np.mean(span)), 2), "span": f(span),
            "below_median": f(below), "above_median": f(above), "lowest": f(low)}


out = {}
for name in SETS:
    rs, style = reals(name)
    tk = [take(p, style, name, 700 + i) for i, p in enumerate(rs)]
    out[name] = {"real": stats(rs), "takes": stats(tk)}
    print(name, json.dumps(out[name]), flush=True)
tag = os.environ.get("TAG", "now")
with open(f"runs/s34/range_{tag}.json", "w") as fh:
    json.dump(out, fh, indent=1)
