"""Session 67 (measured only): run a measuring script with the chorale plan's best path taken at
the chord-change level (`change_returns.change_level_path`) at the costs given first ("STAY:RETURN"),
in place of the shipped beat-level path. Drawn plans are left as shipped.

    OMP_NUM_THREADS=1 .venv/bin/python docs/notes/2026-12-07-session-67/with_change_returns.py 0.4:0.5 \\
        docs/notes/2026-12-07-session-64/chorale_census.py --takes 0 --seed-base 3000 --json OUT
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from change_returns import change_level_path  # noqa: E402

from tunesmith.harmonizer import Harmonizer  # noqa: E402

if __name__ == "__main__":
    stay, ret = (float(x) for x in sys.argv.pop(1).split(":"))
    script = sys.argv.pop(1)
    shipped = Harmonizer.decode

    def decode(self, logp, rng=None, *args, **kw):
        if rng is None and kw.get("return_cost", 0.0) > 0 and kw.get("style") == "chorale":
            return change_level_path(logp, stay, ret)
        return shipped(self, logp, rng, *args, **kw)

    Harmonizer.decode = decode
    sys.argv[0] = script
    runpy.run_path(script, run_name="__main__")
