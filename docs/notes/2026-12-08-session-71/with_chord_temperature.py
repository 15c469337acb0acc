"""Session 71: run a note script with the composer's chord tokens (roots, qualities, bass notes) drawn
at their own temperature, the other tokens as the style's decoding has them (tried on jazz, whose
takes sat on the tonic chord twice as long as its tunes).

    .venv/bin/python docs/notes/2026-12-08-session-71/with_chord_temperature.py 1.0 SCRIPT [ARGS ...]
"""

from __future__ import annotations

import runpy
import sys

import tunesmith.sampling.decode as decode

CHORD_T = float(sys.argv[1])
_sampling_params = decode.sampling_params


def sampling_params(tokenizer, *args, **kwargs):
    temperature, top_p, rhythm_temperature, _ = _sampling_params(tokenizer, *args, **kwargs)
    temps = decode.token_temperatures(tokenizer, temperature, rhythm_temperature)
    temps[tokenizer.root_base : tokenizer.voice_base] = CHORD_T
    return temperature, top_p, rhythm_temperature, temps


decode.sampling_params = sampling_params
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
