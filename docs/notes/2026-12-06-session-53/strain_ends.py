"""How a folk tune's strains end: bars 8, 16 and 24 of 32-bar tunes (the first A's end, the second
A's before the B strain, the first B's), real shippable training tunes against takes composed
under their headers (key, mode, meter, pickup, 32 bars, the style's AABB form).

    python docs/notes/2026-12-06-session-53/strain_ends.py [--n 80] [--meters 6/8,4/4]

Per section-end bar: the note sounding on its downbeat is the tonic; the note that reaches the
strain's end (the bar line, or where the next strain's pickup starts) is the tonic; that closing
note is struck on a beat and lasts a beat or more."""
import argparse
import random
from collections import defaultdict

import numpy as np

import tunesmith as ts
from tunesmith.corpus import default_cache_dir, load_corpus
from tunesmith.licenses import may_ship
from tunesmith.score import pitch_class_of

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, default=80)
ap.add_argument("--meters", default="6/8,4/4,2/4,3/4")
ap.add_argument("--split", default="train")
ap.add_argument("--style", default="folk")
args = ap.parse_args()
meters = set(args.meters.split(","))


def sounding(notes, t):
    for n in notes:
        if n.onset <= t + 1e-6 < n.onset + n.duration:
            return n
    return None


def measure(piece, tonic_pc, pickup):
    bars = list(piece.bars())
    if pickup > 1e-6:
        bars = bars[1:]
    beat = piece.time_signature.beat_length
    notes = sorted(piece.melody().notes, key=lambda n: n.onset)
    out = {}
    for k in (8, 16, 24):
        if k >= len(bars):
            return None
        start, end = bars[k - 1], bars[k] - pickup
        d = sounding(notes, start)
        c = sounding(notes, end - 1e-3)
        on_beat = c is not None and abs(((c.onset - start) / beat) - round((c.onset - start) / beat)) < 1e-6
        out[k] = (d is not None and d.pitch % 12 == tonic_pc,
                  c is not None and c.pitch % 12 == tonic_pc,
                  c is not None and c.pitch % 12 == tonic_pc and on_beat and c.duration >= beat - 1e-6)
    return out


corpus = load_corpus(default_cache_dir())
reals = []
for p in corpus.pieces():
    if p.style != args.style or p.split != args.split or not may_ship(str(p.license)) or p.key is None:
        continue
    if f"{p.time_signature.numerator}/{p.time_signature.denominator}" not in meters or p.melody() is None:
        continue
    if len(p.time_signatures) > 1 or len(p.keys) > 1:
        continue
    n_bars = len(p.bars()) - (1 if p.pickup_beats() else 0)
    if n_bars != 32:
        continue
    reals.append(p)
random.Random(0).shuffle(reals)
reals = reals[: args.n]
model = ts.load_model("default")
rows = defaultdict(list)
kept = []  # the tunes measured
for i, p in enumerate(reals):
    tonic = pitch_class_of(p.key.tonic)
    pick = round(float(p.pickup_beats() or 0.0) * 12) / 12
    if abs(pick - float(p.pickup_beats() or 0.0)) > 1e-3:
        continue
    r = measure(p, tonic, pick)
    meter = f"{p.time_signature.numerator}/{p.time_signature.denominator}"
    take = ts.compose(args.style, key=p.key.tonic, mode=p.key.mode, meter=meter, bars=32, pickup=pick, seed=i,
                      model=model, check=False)
    t = measure(take.piece, tonic, pick)
    if r is None or t is None:
        continue
    kept.append(p)
    for k in (8, 16, 24):
        rows[("real", k)].append(r[k])
        rows[("take", k)].append(t[k])
print(f"{len(rows[('real', 8)])} tunes ({args.meters}), bars as played after the pickup")
print(f"{'':6s} {'bar':>4s} {'tonic on downbeat':>18s} {'closing note tonic':>19s} {'on a beat, >= beat':>19s}")
for k in (8, 16, 24):
    for who in ("real", "take"):
        a = np.array(rows[(who, k)], dtype=float)
        print(f"{who:6s} {k:4d} {a[:, 0].mean():18.2f} {a[:, 1].mean():19.2f} {a[:, 2].mean():19.2f}")


# the closing note's degree (semitones above the tonic) at each strain end, real tunes
def closing_pcs(piece, tonic_pc, pickup):
    bars = list(piece.bars())
    if pickup > 1e-6:
        bars = bars[1:]
    notes = sorted(piece.melody().notes, key=lambda n: n.onset)
    return {k: (c.pitch - tonic_pc) % 12 if (c := sounding(notes, bars[k] - pickup - 1e-3)) else None for k in (8, 16, 24)}


from collections import Counter  # noqa: E402

for who in ("real",):
    for k in (8, 16, 24):
        cnt = Counter()
        for p in kept:
            pick = round(float(p.pickup_beats() or 0.0) * 12) / 12
            cnt[closing_pcs(p, pitch_class_of(p.key.tonic), pick)[k]] += 1
        tot = sum(cnt.values())
        print(who, k, {d: round(v / tot, 2) for d, v in cnt.most_common()})
