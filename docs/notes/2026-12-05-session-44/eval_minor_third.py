"""`scripts/evaluate_musicality.py` with `automaton.MINOR_KEY_MAJOR_THIRD` off or as shipped:

    python docs/notes/2026-12-05-session-44/eval_minor_third.py off|on -- --model new=default --styles pop,jazz ...
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from tunesmith.sampling import automaton

if __name__ == "__main__":
    which, rest = sys.argv[1], sys.argv[sys.argv.index("--") + 1 :]
    if which == "off":
        automaton.MINOR_KEY_MAJOR_THIRD = {}
    sys.argv = ["evaluate_musicality.py", *rest]
    runpy.run_path(str(Path(__file__).resolve().parents[3] / "scripts" / "evaluate_musicality.py"), run_name="__main__")
