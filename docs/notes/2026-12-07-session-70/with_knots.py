"""Session 70: run a script with `feedback.INNER_UPPER_KNOT_PENALTY` set: `knot=P`, then the script
and its arguments. The constant exists only with `inner_knots.patch` applied (tried, not kept):
`git apply docs/notes/2026-12-07-session-70/inner_knots.patch` in a worktree, and run with its `src`
first on PYTHONPATH.

    .venv/bin/python docs/notes/2026-12-07-session-70/with_knots.py knot=3 docs/notes/2026-12-07-session-70/chromatic_neighbours.py
"""

from __future__ import annotations

import runpy
import sys

from tunesmith.sampling import feedback


def main() -> None:
    arm, script, *rest = sys.argv[1:]
    name, value = arm.split("=")
    assert name == "knot", arm
    feedback.INNER_UPPER_KNOT_PENALTY = float(value)
    sys.argv = [script, *rest]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
