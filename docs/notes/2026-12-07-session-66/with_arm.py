"""Session 66: run a measuring script under one arm of this session's rules, so that the before and
the after are measured on the same code. The first argument names the arm ("after": as shipped;
"before": as session 65 shipped, `part_writing.THIRD_OVER_A_TRITONE_ONLY_INTO_A_CADENCE` and
`voice_leading.BASS_TAKES_THE_MISSING_THIRD` False; "repeat=A,B": `feedback.BASS_REPEAT_PENALTIES`
(A, B); parts joined by "+"), the second the script; the rest go to it.

    OMP_NUM_THREADS=1 .venv/bin/python docs/notes/2026-12-07-session-66/with_arm.py before \\
        docs/notes/2026-12-07-session-64/chorale_census.py --takes 0 --seed-base 3000 --json OUT
    OMP_NUM_THREADS=1 .venv/bin/python docs/notes/2026-12-07-session-66/with_arm.py before \\
        scripts/eval_cocreate.py --skip nottingham pop909 latency --no-ablation
"""

from __future__ import annotations

import runpy
import sys

import tunesmith.sampling.feedback as feedback
import tunesmith.sampling.part_writing as part_writing
import tunesmith.voice_leading as voice_leading


def apply_arm(arm: str) -> None:
    """Set this session's rules as `arm` names them (see the module's docstring)."""
    for part in arm.split("+"):
        if part == "before":
            part_writing.THIRD_OVER_A_TRITONE_ONLY_INTO_A_CADENCE = False
            voice_leading.BASS_TAKES_THE_MISSING_THIRD = False
        elif part.startswith("repeat="):
            feedback.BASS_REPEAT_PENALTIES = tuple(float(x) for x in part[len("repeat=") :].split(","))
        elif part != "after":
            raise SystemExit(f"unknown arm part {part!r}")


if __name__ == "__main__":
    arm, script = sys.argv.pop(1), sys.argv.pop(1)
    apply_arm(arm)
    sys.argv[0] = script
    runpy.run_path(script, run_name="__main__")
