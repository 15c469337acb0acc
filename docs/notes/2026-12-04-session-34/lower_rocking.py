"""Returns and rocks of a chorale's alto, tenor and bass (`fit_interval_feedback.return_rates`: of
three-note windows x-y-z with x != y the share with z == x; of x-y-x-w the share with w == y),
composed 8-bar chorales (seeds 500..) against Bach's (JSB validation). Session 34.
    python docs/notes/2026-12-04-session-34/lower_rocking.py [N]"""
import sys

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402
from fit_interval_feedback import return_rates  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402

k = int(sys.argv[1]) if len(sys.argv) > 1 else 80
bach = list(load_corpus(None).filter(split="valid", style="chorale", source="jsb"))
takes = mc.composed_chorales(k)
for v, name in ((1, "alto"), (2, "tenor"), (3, "bass")):
    b, t = return_rates(bach, v), return_rates(takes, v)
    print(f"{name:<6} return {t[0]:.3f} (Bach {b[0]:.3f})  rock {t[1]:.3f} (Bach {b[1]:.3f})")
