"""Incomplete chords at composed chorales' inner fermatas: which tone is missing, in which mode,
and what each voice sings (degrees over the tonic), against the complete ones. Session 33.
    python docs/notes/2026-12-03-session-33/fermata_gaps.py [N]"""
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.metrics.harmony_rules import VOICES, _voices  # noqa: E402

TRIADS = {(0, 4, 7): "major", (0, 3, 7): "minor"}
ps = mc.composed_chorales(int(sys.argv[1]) if len(sys.argv) > 1 else 80)
kinds, voicing, n = Counter(), Counter(), 0
for p in ps:
    voices = _voices(p)
    tonic, mode = p.keys[0].tonic_pc, p.keys[0].mode
    for f in p.fermatas[:-1]:
        now = [voices[r].pitch_at(f) for r in VOICES]
        if None in now:
            continue
        n += 1
        bass = now[3] % 12
        have = {(x - bass) % 12 for x in now}
        if {0, 7} <= have and (3 in have or 4 in have):
            continue
        missing = "third" if not (3 in have or 4 in have) else "fifth" if 7 not in have else "root?"
        kinds[(mode, (bass - tonic) % 12, missing)] += 1
        voicing[tuple((x - bass) % 12 for x in now)] += 1
print("inner fermatas", n, "incomplete", sum(kinds.values()))
for k, v in kinds.most_common(): print(v, "mode", k[0], "bass degree", k[1], "missing", k[2])
print("voicings over the bass (S A T B):")
for k, v in voicing.most_common(12): print(v, k)
