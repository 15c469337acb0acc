"""Run a script with a chorale's lower voices' return and interval offsets taken from a
fit_interval_feedback.py report (LOWER_FIT=FILE: its chosen_lower_return_offsets and
chosen_lower_interval_offsets), in place of the shipped ones; without LOWER_FIT, as shipped.
Session 35.
    LOWER_FIT=runs/s35/lower_moves_returns_fit.json python docs/notes/2026-12-04-session-35/lower_fit.py SCRIPT [ARGS...]"""
import json
import os
import runpy
import sys

import tunesmith.inference as inference

if os.environ.get("LOWER_FIT"):  # every model's decoding as it is read (the api's and load_numpy_model's)
    with open(os.environ["LOWER_FIT"], encoding="utf-8") as f:
        fit = json.load(f)["styles"]["chorale"]
    read_decoding = inference.read_decoding

    def with_lower_fit(*args, **kwargs):
        decoding = read_decoding(*args, **kwargs)
        if "chorale" in decoding:
            decoding["chorale"]["lower_return_offsets"] = fit["chosen_lower_return_offsets"]
            decoding["chorale"]["lower_interval_offsets"] = fit["chosen_lower_interval_offsets"]
        return decoding

    inference.read_decoding = with_lower_fit
    print(f"lower offsets from {os.environ['LOWER_FIT']}", file=sys.stderr)
sys.argv = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
runpy.run_path(sys.argv[0], run_name="__main__")
