"""Session 67: run a measuring script with the packaged model's chorale "plan_stay_cost" set to
the first argument, and "plan_return_cost" to a second number after a comma (0: each beat's most
likely chord, as before this session; the model is loaded once and cached, so the scripts' own
`load_model` calls see the change).

    OMP_NUM_THREADS=1 .venv/bin/python docs/notes/2026-12-07-session-67/with_stay.py 0 \\
        docs/notes/2026-12-07-session-65/harmonic_rhythm.py
"""

from __future__ import annotations

import runpy
import sys

import tunesmith

if __name__ == "__main__":
    costs, script = [float(x) for x in sys.argv.pop(1).split(",")], sys.argv.pop(1)
    chorale = tunesmith.load_model("default").model.decoding.setdefault("chorale", {})
    chorale["plan_stay_cost"] = costs[0]
    chorale["plan_return_cost"] = costs[1] if len(costs) > 1 else 0.0
    sys.argv[0] = script
    runpy.run_path(script, run_name="__main__")
