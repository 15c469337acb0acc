"""Run a script with `sampling.feedback.SUSPENSION_BIASES` set (in this process) to SUSP=INNER,SOPRANO.
Session 36.
    SUSP=4,-2 python docs/notes/2026-12-04-session-36/with_suspension_biases.py SCRIPT [ARGS...]"""
import os
import runpy
import sys

from tunesmith.sampling import feedback

feedback.SUSPENSION_BIASES = tuple(float(x) for x in os.environ.get("SUSP", "0,0").split(","))
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
