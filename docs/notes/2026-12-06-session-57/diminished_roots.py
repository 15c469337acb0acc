"""Diminished triads on their root and on another tone, on the beats of Bach's validation chorales and of the first 40 harmonized from their sopranos.

python docs/notes/2026-12-06-session-57/diminished_roots.py
"""

import copy

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics.harmony_rules import beat_sonorities


def dim_root(tones):
    pcs = {p % 12 for p in tones}
    if len(pcs) != 3:
        return None
    for r in pcs:
        if {(x - r) % 12 for x in pcs} == {0, 3, 6}:
            return r
    return None


def count(piece):
    root = first = 0
    for now in beat_sonorities(piece):
        if not now:
            continue
        r = dim_root(now)
        if r is None:
            continue
        if min(now) % 12 == r:
            root += 1
        else:
            first += 1
    return root, first


bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
b = [count(p) for p in bach]
print("bach dim triads on root / not:", sum(x for x, _ in b), sum(y for _, y in b))
h = []
for i, c in enumerate(bach[:40]):
    s = copy.deepcopy(c)
    s.tracks = s.tracks[:1]
    h.append(count(ts.harmonize(s, style="chorale", seed=i).piece))
print("harmonized 40 on root / not:", sum(x for x, _ in h), sum(y for _, y in h))
