"""Session 67: run a measuring script with the packaged model's chorale "plan_stay_cost" set to
the first argument (0: each beat's most likely chord, as before this session; the model is loaded
once and cached, so the scripts' own `load_model` calls see the change).

    OMP_NUM_THREADS=1 .venv/bin/python docs/notes/2026-12-07-session-67/with_stay.py 0 \\
        docs/notes/2026-12-07-session-65/harmonic_rhythm.py
"""

from __future__ import annotations

import runpy
import sys

import tunesmith

if __name__ == "__main__":
    cost, script = float(sys.argv.pop(1)), sys.argv.pop(1)
    tunesmith.load_model("default").model.decoding.setdefault("chorale", {})["plan_stay_cost"] = cost
    sys.argv[0] = script
    runpy.run_path(script, run_name="__main__")
