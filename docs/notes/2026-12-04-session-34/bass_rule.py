"""Run a script with the bass's repeat penalty (`feedback.BASS_REPEAT_PENALTIES`) on, off (0, 0:
before session 34) or set (BASS_REPEAT=off | "a,b"), and with LOWER_MOVES=off without the lower
voices' interval offsets ("lower_interval_offsets"), with CHORDLESS=X the chordless-beat penalty
set to X, with PITCH_OFFSETS=off without the melody's offsets by real pitch ("pitch_offsets").
Session 34.
    BASS_REPEAT=off LOWER_MOVES=off python docs/notes/2026-12-04-session-34/bass_rule.py SCRIPT [ARGS...]"""
import os
import runpy
import sys

import tunesmith.sampling.feedback as feedback

value = os.environ.get("BASS_REPEAT", "on")
if value == "off":
    feedback.BASS_REPEAT_PENALTIES = (0.0, 0.0)
elif value != "on":
    feedback.BASS_REPEAT_PENALTIES = tuple(float(x) for x in value.split(","))
if os.environ.get("LOWER_MOVES", "on") == "off":  # the alto's, tenor's and bass's interval offsets dropped
    set_interval_feedback = feedback.set_interval_feedback

    def without_lower_moves(tables, request, tuned):
        set_interval_feedback(tables, request, {k: v for k, v in tuned.items() if k != "lower_interval_offsets"})

    feedback.set_interval_feedback = without_lower_moves
    import tunesmith.cocreate.automaton as cocreate_automaton
    import tunesmith.sampling.decode as decode

    decode.set_interval_feedback = cocreate_automaton.set_interval_feedback = without_lower_moves
if os.environ.get("PITCH_OFFSETS", "on") == "off":  # a melody's offsets by real pitch dropped
    import tunesmith.sampling.decode as decode

    decode.set_pitch_offsets = lambda tables, request, tuned: None
if "CHORDLESS" in os.environ:  # feedback.CHORDLESS_BEAT_PENALTY set
    feedback.CHORDLESS_BEAT_PENALTY = float(os.environ["CHORDLESS"])
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
runpy.run_path(sys.argv[0], run_name="__main__")
