import sys
sys.path.insert(0, "scripts")
import musician_checks as mc
ps = mc.composed_chorales(int(sys.argv[1]))
print(mc.beat_sonorities(ps))
