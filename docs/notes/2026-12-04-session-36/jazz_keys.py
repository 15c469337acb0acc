"""Where music21 hears a jazz take's key, against the tunes': for N tunes of SPLIT (shippable only
with SHIPPABLE=1) and takes under their headers, the share heard in the requested key from all
notes and from the melody alone, and, where it is not, how the heard key lies from the asked one.
Session 36.
    python docs/notes/2026-12-04-session-36/jazz_keys.py [N] [SPLIT] [SHIPPABLE 1/0] [STYLE]"""
import collections
import dataclasses
import sys

import numpy as np

from tunesmith.api import load_model
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.feedback_fit import fit_pieces
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched
from tunesmith.metrics._common import pitch_class_of
from tunesmith.metrics.musicality import ends_on_tonic, key_heard, music21_key
from tunesmith.score import Piece

n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
split = sys.argv[2] if len(sys.argv) > 2 else "valid"
shippable = (sys.argv[3] if len(sys.argv) > 3 else "0") == "1" or None
style = sys.argv[4] if len(sys.argv) > 4 else "jazz"


def melody_only(p: Piece) -> Piece:
    return dataclasses.replace(p, tracks=[p.melody()])


def heard(p: Piece):
    tonic_pc, mode = music21_key(p)
    return (tonic_pc - pitch_class_of(p.key.tonic)) % 12, mode


def report(name, pieces):
    allk = [key_heard(p) for p in pieces]
    mel = []
    where = collections.Counter()
    for p in pieces:
        mel.append(key_heard(melody_only(p)))
        if key_heard(p) == 0:
            iv, mode = heard(p)
            where[f"{iv:+d} {mode}"] += 1
    print(f"{name:8s} n={len(pieces)} heard(all)={np.nanmean(allk):.3f} heard(melody)={np.nanmean(mel):.3f}"
          f" tonic end={np.nanmean([ends_on_tonic(p) for p in pieces]):.3f} tracks={collections.Counter(len(p.tracks) for p in pieces)}")
    print("   off:", where.most_common(8))


m = load_model("default")
real = fit_pieces(load_corpus(None).filter(split=split, style=style, shippable=shippable))
real = [real[i] for i in np.random.default_rng(0).permutation(len(real))[:n]]
cfg = MusicalityConfig(per_style=n, seed=0)
takes = compose_like(m.model, m.tokenizer, real, style, cfg)
real = length_matched(real, style, cfg.max_bars)
print("modes real", collections.Counter(p.key.mode for p in real), "takes", collections.Counter(p.key.mode for p in takes))
report("real", real)
report("takes", takes)

from tunesmith.metrics.musicality import degree_histogram  # noqa: E402

for name, ps in (("real", real), ("takes", takes)):
    for fam in ("major", "minor"):
        rows = np.array([degree_histogram(p) for p in ps if p.key.mode == fam])
        if len(rows):
            print(f"{name:6s} {fam}: " + " ".join(f"{v:.3f}" for v in np.nanmean(rows, 0)))
    last = collections.Counter((p.melody().notes[-1].pitch - pitch_class_of(p.key.tonic)) % 12 for p in ps if p.key.mode == "major")
    print(f"{name:6s} major last degree:", sorted(last.items()))
