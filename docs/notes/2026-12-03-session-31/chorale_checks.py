"""Composed chorales: parallels (all, and note-to-note from beat to beat), the fermata chords' measures (musician_checks.fermata_cadences) and where the fermatas stand (fermata_places.py). Session 31.
    python docs/notes/2026-12-03-session-31/chorale_checks.py N"""
import sys
sys.path.insert(0, "scripts")
import musician_checks as mc
sys.path.insert(0, "docs/notes/2026-12-03-session-31")
import fermata_places as fp
from tunesmith.metrics.harmony_rules import count_parallel_fifths, count_parallel_octaves
n = int(sys.argv[1])
ps = mc.composed_chorales(n)
print("parallels", sum(count_parallel_fifths(p) + count_parallel_octaves(p) for p in ps), "beat parallels", mc.beat_parallels(ps))
print(mc.fermata_cadences(ps)); print(fp.places(ps))
