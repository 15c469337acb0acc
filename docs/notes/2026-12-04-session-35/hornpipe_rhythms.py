"""A hornpipe's written note lengths, with and without its length moves: the share of notes in
triplet lengths (4 ticks of 12 a beat, or a triplet quarter's 8), in dotted or swung-long eighths
(8-10 ticks) and in halves or longer, in 96 takes (seeds 900..), and the training hornpipes'. A
hornpipe is written straight and heard swung (session 32). Session 35.
    python docs/notes/2026-12-04-session-35/hornpipe_rhythms.py"""
import sys
from collections import Counter

sys.path.insert(0, "scripts")
from fit_dance_profiles import dance_pieces  # noqa: E402

import tunesmith as ts  # noqa: E402
from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.metrics.musicality import melody_line  # noqa: E402


def shares(pieces):
    c = Counter()
    for p in pieces:
        for x in melody_line(p):
            t = round(x.duration * 12)
            c["triplet (4, 8)"] += t in (4, 8)
            c["dotted/swung 8th (9, 10)"] += t in (9, 10)
            c["half or longer"] += t >= 24
            c["notes"] += 1
    return {k: round(v / c["notes"], 3) for k, v in c.items() if k != "notes"}


def takes():
    return [ts.compose(style="folk", dance="hornpipe", bars=16, seed=900 + s, check=False).piece for s in range(96)]


print("training hornpipes", shares(dance_pieces(load_corpus(None), "hornpipe", "train")))
print("takes with moves", shares(takes()))
ts.load_model("default").model.decoding["folk"]["dances"]["hornpipe"].pop("length_moves", None)
print("takes without", shares(takes()))
