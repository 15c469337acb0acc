"""Session 68: run a measuring script with sampling rules set as given before it: `lead-in=0|1`
(`automaton.STRAIN_END_LEAD_IN`) and `strikes=reel:2,polka:3` (`feedback.THIRD_STRIKE_PENALTIES`;
`strikes=none` for none).

    OMP_NUM_THREADS=1 .venv/bin/python docs/notes/2026-12-07-session-68/with_rules.py lead-in=0 strikes=none \\
        docs/notes/2026-12-07-session-66/dance_c2st.py --dances reel,jig
"""

from __future__ import annotations

import runpy
import sys

from tunesmith.sampling import automaton, feedback

if __name__ == "__main__":
    while "=" in sys.argv[1]:
        name, value = sys.argv.pop(1).split("=", 1)
        if name == "lead-in":
            automaton.STRAIN_END_LEAD_IN = bool(int(value))
        elif name == "strikes":
            feedback.THIRD_STRIKE_PENALTIES.clear()
            if value != "none":
                feedback.THIRD_STRIKE_PENALTIES.update(
                    {d: float(v) for d, v in (x.split(":") for x in value.split(","))}
                )
        else:
            sys.exit(f"unknown rule {name!r}: lead-in or strikes")
    script = sys.argv.pop(1)
    sys.argv[0] = script
    runpy.run_path(script, run_name="__main__")
