import sys, numpy as np
sys.path.insert(0, "scripts")
import musician_checks as mc
from tunesmith.corpus import load_corpus
def reg(ps):
    out = {}
    for i, role in enumerate(("soprano", "alto", "tenor", "bass")):
        pit = np.array([n.pitch for p in ps for n in p.track(role).notes for _ in range(max(1, round(n.duration * 4)))])
        out[role] = (round(pit.mean(), 2), int(np.percentile(pit, 5)), int(np.percentile(pit, 95)))
    return out
bach = list(load_corpus(None).filter(split="valid", style="chorale", source="jsb"))
print("bach", reg(bach))
print("composed", reg(mc.composed_chorales(int(sys.argv[1]))))
