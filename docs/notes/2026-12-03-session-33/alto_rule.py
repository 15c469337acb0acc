"""Run a script with the alto's cadence rule (`Constrainer._unsung_by_the_soprano`) on or off
(ALTO_RULE=on|off; off patches it to None, as before session 33). Session 33.
    ALTO_RULE=off python docs/notes/2026-12-03-session-33/alto_rule.py SCRIPT [ARGS...]"""
import os
import runpy
import sys

import tunesmith.sampling.automaton as automaton

if os.environ.get("ALTO_RULE", "on") == "off":
    automaton.Constrainer._unsung_by_the_soprano = lambda self, kind: None
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
runpy.run_path(sys.argv[0], run_name="__main__")
