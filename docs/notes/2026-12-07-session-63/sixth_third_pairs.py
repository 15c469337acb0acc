"""Sixth-and-third pairs in composed folk dances: per dance, the takes with one, and pairs per 100 notes."""

import sys

import tunesmith

model = sys.argv[1] if len(sys.argv) > 1 else "default"
for dance in ("hornpipe", "reel", "jig", "polka"):
    with_pairs, pairs, notes = 0, 0, 0
    for seed in range(1, 21):
        take = tunesmith.compose("folk", dance=dance, seed=seed, model=model)
        ns = sorted(take.piece.melody().notes, key=lambda n: n.onset)
        k = 0
        for a, b in zip(ns, ns[1:]):
            da, db = a.duration * 6, b.duration * 6
            if abs(da - round(da)) < 0.02 and abs(db - round(db)) < 0.02 and (round(da), round(db)) in ((1, 2), (2, 1)):
                k += 1
        with_pairs += k > 0
        pairs += k
        notes += len(ns)
    print(f"{model} {dance}: takes with a pair {with_pairs}/20, pairs per 100 notes {100 * pairs / notes:.2f}")
