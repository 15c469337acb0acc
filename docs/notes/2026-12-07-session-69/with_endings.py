"""Session 69: run a measuring script with a dance's ending rules off: `approach=0` (every dance
draws folk's approach into its last note, not its own: `request.FINAL_MELODY_APPROACH_SHARES_BY_DANCE`
emptied) and `strike-free=0` (no dance's drawn repeat gives way after a closing tone:
`request.FINAL_THIRD_STRIKE_FREE_DANCES` emptied), `short-bar=0` (a last bar short by the pickup places
the last note by its drawn length rounded up to the grid: `automaton.SHORT_LAST_BAR_FROM_THE_DRAWN_LENGTH`).

    .venv/bin/python docs/notes/2026-12-07-session-69/with_endings.py approach=0 strike-free=0 \\
        docs/notes/2026-12-07-session-66/dance_c2st.py --dances reel,polka
"""

from __future__ import annotations

import runpy
import sys

from tunesmith.sampling import automaton, endings

if __name__ == "__main__":
    while "=" in sys.argv[1]:
        name, value = sys.argv.pop(1).split("=", 1)
        if name == "approach" and value == "0":
            endings.FINAL_MELODY_APPROACH_SHARES_BY_DANCE.clear()
        elif name == "strike-free" and value == "0":
            endings.FINAL_THIRD_STRIKE_FREE_DANCES = ()
        elif name == "short-bar" and value == "0":
            automaton.SHORT_LAST_BAR_FROM_THE_DRAWN_LENGTH = False
        elif value != "1":
            sys.exit(f"unknown rule {name}={value}: approach=0|1, strike-free=0|1 or short-bar=0|1")
    script = sys.argv.pop(1)
    sys.argv[0] = script
    runpy.run_path(script, run_name="__main__")
