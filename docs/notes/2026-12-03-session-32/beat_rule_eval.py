"""scripts/evaluate_musicality.py with the composer's beat-to-beat parallels rule on or off
(BEAT_RULE=on|off, patched as in beat_rule_on.py). Session 32.
    BEAT_RULE=on python docs/notes/2026-12-03-session-32/beat_rule_eval.py --model x=default --styles chorale ..."""
import os
import sys

import tunesmith.sampling.automaton as automaton
from tunesmith.tokenizer import TICKS_PER_BEAT
from tunesmith.voice_leading import VoiceLeading

sys.path.insert(0, "scripts")
import evaluate_musicality  # noqa: E402

ON = os.environ.get("BEAT_RULE", "on") == "on"


class Patched(VoiceLeading):
    def __init__(self, n_voices: int, beat_ticks: int = 0):
        super().__init__(n_voices, beat_ticks=TICKS_PER_BEAT if ON else 0)


automaton.VoiceLeading = Patched
sys.exit(evaluate_musicality.main(sys.argv[1:]))
