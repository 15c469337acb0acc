"""Session 66: test_suspensions's inner-voice fourths (4-3s made, and fourths held over a beat
that do not fall a step) over the first N JSB validation sopranos (seed i), with the suspension gain
on and off, under an arm of `with_arm.py` ("before" / "after").

    .venv/bin/python docs/notes/2026-12-07-session-66/held_fourths.py 40 after
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import tunesmith.sampling.suspensions as suspensions

sys.path.insert(0, str(Path(__file__).resolve().parent))
from with_arm import apply_arm  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]


def main() -> None:
    n, arm = int(sys.argv[1]), sys.argv[2]
    apply_arm(arm)
    spec = importlib.util.spec_from_file_location("test_suspensions", ROOT / "tests/test_suspensions.py")
    tests = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tests)
    gain = suspensions.PLANNED_SUSPENSION_GAIN
    for g in (gain, 0.0):
        suspensions.PLANNED_SUSPENSION_GAIN = g
        made, left, short = tests._inner_voice_fourths(n)
        print(
            f"{arm} gain {g}: 4-3s {made}, held fourths not falling a step {left} ({short} shorter than a half)",
            flush=True,
        )


if __name__ == "__main__":
    main()
