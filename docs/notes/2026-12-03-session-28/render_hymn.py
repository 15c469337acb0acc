import copy

import tunesmith as ts
from tunesmith.corpus import load_corpus

everything = load_corpus(None, include_dropped=True)
p = next(x for x in everything.filter(source="bach-chorales") if x.work_id == "bach:R349")
soprano = copy.deepcopy(p)
soprano.tracks = soprano.tracks[:1]
take = ts.harmonize(soprano, style="chorale", seed=1)
take.write("out/hymn349", force=True) if "force" in take.write.__code__.co_varnames else take.write("/tmp/s28/look/hymn349")
for tr in take.piece.tracks:
    ns = sorted(tr.notes, key=lambda n: n.onset)
    over = [(a.pitch, a.onset, a.duration, b.pitch, b.onset) for a, b in zip(ns, ns[1:]) if b.onset < a.onset + a.duration - 1e-6]
    gaps = [(a.onset + a.duration, b.onset) for a, b in zip(ns, ns[1:]) if b.onset > a.onset + a.duration + 1e-6]
    print(tr.name, len(ns), "overlaps", over[:6], "gaps", gaps[:8])
print("bars", take.piece.bars()[:10])
