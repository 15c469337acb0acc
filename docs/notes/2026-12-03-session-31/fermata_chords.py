"""The chords at composed chorales' inner fermatas, as scale degrees over the tonic and the bass's degree, commonest first (musician_checks.composed_chorales). Session 31.
    python docs/notes/2026-12-03-session-31/fermata_chords.py [N]"""
import sys
from collections import Counter
sys.path.insert(0, "scripts")
import musician_checks as mc
from tunesmith.metrics.harmony_rules import VOICES, _voices
ps = mc.composed_chorales(int(sys.argv[1]))
c = Counter(); ex = []
for i, p in enumerate(ps):
    voices = _voices(p); sop = sorted(p.track("soprano").notes, key=lambda x: x.onset)
    tonic = p.keys[0].tonic_pc
    for f in p.fermatas[:-1]:
        now = [voices[r].pitch_at(f) for r in VOICES]
        if None in now: continue
        pcs = sorted({(x - tonic) % 12 for x in now})
        bass = (now[3] - tonic) % 12
        c[(tuple(pcs), bass)] += 1
for k, v in c.most_common(25): print(v, "degrees", k[0], "bass", k[1])
