"""Session 70: run a script with the section ends of takes of no dance led on (`feedback.
SECTION_END_LEAD_IN_STYLES`: once the closing note is struck on a beat of the last beat, the notes
after it are free, as a dance's are since session 68): `lead-in=STYLE,STYLE` (or `lead-in=` for
none), then the script and its arguments.

    .venv/bin/python docs/notes/2026-12-07-session-70/with_lead_in.py lead-in=folk scripts/evaluate_musicality.py ...
"""

from __future__ import annotations

import runpy
import sys

from tunesmith.sampling import feedback


def main() -> None:
    arm, script, *rest = sys.argv[1:]
    name, value = arm.split("=")
    assert name == "lead-in", arm
    feedback.SECTION_END_LEAD_IN_STYLES.clear()
    feedback.SECTION_END_LEAD_IN_STYLES.update(s for s in value.split(",") if s)
    sys.argv = [script, *rest]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
