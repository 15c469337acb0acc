"""Run a script with `sampling.feedback.QUICK_ROCK_PENALTIES` set (in this process) to QR=A,T,B. Session 37.
    QR=1.5,1.5,0 python docs/notes/2026-12-04-session-37/with_quick_rock.py SCRIPT [ARGS...]"""
import os
import runpy
import sys

from tunesmith.sampling import feedback

feedback.QUICK_ROCK_PENALTIES = tuple(float(x) for x in os.environ.get("QR", "0,0,0").split(","))
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
