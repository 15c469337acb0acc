"""Run a script without the note-length moves (`tables.length_moves` never set: neither a dance's
nor a style's per meter), the code before session 35, for a before/after in the same session.
    python docs/notes/2026-12-04-session-35/moves_off.py SCRIPT [ARGS...]"""
import os
import runpy
import sys

import tunesmith.sampling.feedback as feedback

set_rhythm_feedback = feedback.set_rhythm_feedback


def without_moves(tables, request, tuned):
    set_rhythm_feedback(tables, request, tuned)
    tables.length_moves = None


feedback.set_rhythm_feedback = without_moves
import tunesmith.cocreate.automaton as cocreate_automaton  # noqa: E402
import tunesmith.sampling.decode as decode  # noqa: E402

decode.set_rhythm_feedback = cocreate_automaton.set_rhythm_feedback = without_moves
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
runpy.run_path(sys.argv[0], run_name="__main__")
