"""Takes at the tempo a user asks for against takes at the real pieces' own tempos: the valid
pieces' headers, one take each, then the classifier accuracy against the real pieces, the share of
triplet melody notes (4- and 8-tick lengths), key heard and mean interval.

    python scripts/compare_tempos.py STYLE TEMPO [N]      # e.g. jazz 140 80, chorale 72 77

With `header_tempos` in the model's decoding.json both runs tell the model the same tempo (and
give the same takes); without them, the first run shows what the tempo token alone does."""
import dataclasses
import sys
from collections import Counter

from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import MusicalityConfig, c2st_accuracy, measure, real_pieces, request_for
from tunesmith.pretrained import load
from tunesmith.sampling import generate
from tunesmith.sampling.decode import finish_composed_takes

style, tempo = sys.argv[1], float(sys.argv[2])
n = int(sys.argv[3]) if len(sys.argv) > 3 else 77
c = load_corpus(None)
model, tok, _ = load("default", torch=False)
cfg = MusicalityConfig()
real = real_pieces({style: list(c.filter(split="valid", style=style))}, style, n, 0)
def compose(tempo_override):
    out = []
    for i, p in enumerate(real):
        req = request_for(p, style, cfg.max_bars, cfg.seed * 100_003 + i)
        if tempo_override:
            req = dataclasses.replace(req, tempo=tempo_override)
        got = generate(model, tok, req, n=1)
        finish_composed_takes(got, req, model)
        out.append(got[0].piece)
    return out
def trip(ps):
    d = Counter(round(x.duration * 12) for p in ps for x in p.tracks[0].notes)
    return round((d[4] + d[8]) / sum(d.values()), 3)
print(style, "real tempos", Counter(round(p.tempo) for p in real).most_common(4), "real triplets", trip(real))
for label, t in (("real tempo", None), (f"tempo {tempo:g}", tempo)):
    takes = compose(t)
    m = measure(takes)
    print(style, label, "c2st", round(c2st_accuracy(real, takes, cfg.folds, cfg.seed), 3), "triplets", trip(takes),
          "key heard", round(m["key_heard"], 3), "interval", round(m["mean_abs_interval"], 3), flush=True)
