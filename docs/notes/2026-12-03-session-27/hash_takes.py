import copy, hashlib, json, sys
import tunesmith as ts
from tunesmith.corpus import load_corpus
c = load_corpus(None)
h = hashlib.sha256()
jsb = list(c.filter(split="test", source="jsb"))[:6]
for i, ch in enumerate(jsb):
    sop = copy.deepcopy(ch); sop.tracks = sop.tracks[:1]
    p = ts.harmonize(sop, style="chorale", seed=i).piece
    h.update(json.dumps([[(n.pitch, n.onset, n.duration) for n in t.notes] for t in p.tracks]).encode())
print("harmonized", h.hexdigest()[:16])
h = hashlib.sha256()
for s in range(6):
    p = ts.compose(style=("folk", "pop", "jazz")[s % 3], bars=16, seed=900 + s, check=False).piece
    h.update(json.dumps([[(n.pitch, n.onset, n.duration) for n in t.notes] for t in p.tracks]).encode())
print("lead sheets", h.hexdigest()[:16])
