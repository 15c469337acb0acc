"""`scripts/evaluate_musicality.py` with `automaton.CHROMATIC_TONE_GAINS` set first.

    python docs/notes/2026-12-04-session-41/eval_chromatic.py STYLE=GAIN[,STYLE=GAIN...]|off -- ARGS...

"off": every gain 0 (the composer before the bias); ARGS go to evaluate_musicality.py.

The gain it sets (`automaton.CHROMATIC_TONE_GAINS`, read by a `Constrainer.chromatic_tone_bias` that
added it to the melody's pitches that are a tone of the sounding chord's triad outside the key's
natural scale) was tried in the session's working tree and not kept (session 41's note, "Measured,
not shipped"); at HEAD the script says so and stops."""

from __future__ import annotations

import runpy
import sys

from tunesmith.sampling import automaton

spec, args = sys.argv[1], sys.argv[3:]
if not hasattr(automaton, "CHROMATIC_TONE_GAINS"):
    sys.exit("this composer has no CHROMATIC_TONE_GAINS: the gain was tried in session 41 and not kept")
automaton.CHROMATIC_TONE_GAINS.clear()
if spec != "off":
    automaton.CHROMATIC_TONE_GAINS.update({k: float(v) for k, v in (p.split("=") for p in spec.split(","))})
print("gains:", automaton.CHROMATIC_TONE_GAINS, flush=True)
sys.argv = ["evaluate_musicality.py", *args]
runpy.run_path("scripts/evaluate_musicality.py", run_name="__main__")
