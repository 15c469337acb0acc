"""Composed chorales: parallel fifths and octaves, all and those at fermata chords. Session 31.
    python docs/notes/2026-12-03-session-31/cadence_parallels.py N"""
import sys
sys.path.insert(0, "scripts")
import musician_checks as mc
ps = mc.composed_chorales(int(sys.argv[1]))
n = tot = 0
for p in ps:
    found = mc.parallels_where(p)
    tot += len(found)
    n += sum(any(abs(f["onset"] - x) < 1e-6 for x in p.fermatas) for f in found)
print("parallels", tot, "at fermata chords", n, "fermatas", sum(len(p.fermatas) for p in ps))
