"""Run a script with `sampling.feedback.BASS_KNOT_PENALTY` set (in this process) to KNOT=P. Session 36.
    KNOT=3 python docs/notes/2026-12-04-session-36/with_knot_penalty.py SCRIPT [ARGS...]"""
import os
import runpy
import sys

from tunesmith.sampling import feedback

feedback.BASS_KNOT_PENALTY = float(os.environ.get("KNOT", "0"))
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
