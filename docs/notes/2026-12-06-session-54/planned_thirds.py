"""Planned bass thirds sung and the bass's beat-to-beat steps in 40 harmonized JSB sopranos (valid),
with `part_writing` flags named on the command line switched off:

    .venv/bin/python docs/notes/2026-12-06-session-54/planned_thirds.py [FLAG ...]
"""
import copy
import sys

import tunesmith as ts
import tunesmith.sampling.part_writing as pw
from tunesmith.cocreate import bass_line
from tunesmith.cocreate.chords import _chorale_plan
from tunesmith.corpus import load_corpus

sops = []
for c in [x for x in load_corpus(None).filter(split="valid", source="jsb") if len(x.tracks) >= 4][:40]:
    s = copy.deepcopy(c)
    s.tracks = s.tracks[:1]
    sops.append(s)
for f in sys.argv[1:]:
    setattr(pw, f, False)
m = ts.load_model("default")
hit = planned = steps = moves = 0
for i, p in enumerate(sops):
    out = ts.harmonize(p, style="chorale", seed=i, model=m).piece
    plan = _chorale_plan(p, out.key.tonic, out.key.mode)
    for (onset, pc), (_, tones) in zip(bass_line.plan_bass(plan, p.tracks[0].notes, p.fermatas), plan):
        if pc != tones[0]:
            bass = [n.pitch for n in out.tracks[-1].notes if n.onset <= onset + 1e-6 < n.onset + n.duration]
            planned += 1
            hit += bool(bass) and bass[0] % 12 == pc
    # beat-to-beat bass moves by step (as chorale_bass.py: the bass on each beat)
    beats = [next((n.pitch for n in out.tracks[-1].notes if n.onset <= b + 1e-6 < n.onset + n.duration), None) for b in range(int(out.duration()))]
    for a, b in zip(beats, beats[1:]):
        if a is not None and b is not None and a != b:
            moves += 1
            steps += abs(a - b) <= 2
print(sys.argv[1:], "planned thirds sung", hit, planned, "beat moves by step", round(steps / moves, 3))
