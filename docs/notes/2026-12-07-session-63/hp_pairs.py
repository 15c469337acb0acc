"""Count sixth-and-third triplet pairs (1/6 then 1/3 of a beat, or 1/3 then 1/6) in the folk training
tunes, by source and dance, against eighth/sixteenth dotted pairs."""

import collections

from tunesmith.corpus import load_corpus
from tunesmith.licenses import may_ship

c = load_corpus().split("train").filter(style="folk")
rows = collections.Counter()
tunes = collections.Counter()
for p in c:
    dance = p.meta.get("rhythm") or p.meta.get("dance") or "?"
    dance = str(dance).lower()[:12]
    m = p.melody()
    if m is None:
        continue
    ns = sorted(m.notes, key=lambda n: n.onset)
    k = (p.source, dance, may_ship(p.license))
    tunes[k] += 1
    for a, b in zip(ns, ns[1:]):
        da, db = round(a.duration * 6), round(b.duration * 6)
        if abs(a.duration * 6 - da) > 0.02 or abs(b.duration * 6 - db) > 0.02:
            continue
        if (da, db) in ((1, 2), (2, 1)) and abs(b.onset - a.onset - a.duration) < 1e-3:
            rows[k + ("sixth-third" if (da, db) == (1, 2) else "third-sixth",)] += 1
    for a, b in zip(ns, ns[1:]):
        if abs(a.duration - 0.75) < 1e-3 and abs(b.duration - 0.25) < 1e-3:
            rows[k + ("dotted",)] += 1
for k, n in sorted(tunes.items(), key=lambda kv: -kv[1])[:25]:
    print(k, n, {s: rows[k + (s,)] for s in ("sixth-third", "third-sixth", "dotted")})
