"""Composed chorales with and without the beat-to-beat parallels rule in the composer's voice
leading (`VoiceLeading(beat_ticks=...)`, which co-create's guard has and the composer had left
off): parallels (note to note, and beat to beat with where they land), the fermata chords, and the
final chord's. BEAT_RULE=on|off (the script patches the composer's VoiceLeading either way).
Session 32.
    BEAT_RULE=on python docs/notes/2026-12-03-session-32/beat_rule_on.py N"""
import os
import sys
from collections import Counter

import tunesmith.sampling.automaton as automaton
from tunesmith.tokenizer import TICKS_PER_BEAT
from tunesmith.voice_leading import VoiceLeading

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.metrics.harmony_rules import (  # noqa: E402
    beat_to_beat_parallel_places,
    count_parallel_fifths,
    count_parallel_octaves,
)

ON = os.environ.get("BEAT_RULE", "on") == "on"


class Patched(VoiceLeading):
    def __init__(self, n_voices: int, beat_ticks: int = 0):
        super().__init__(n_voices, beat_ticks=TICKS_PER_BEAT if ON else 0)  # chorales: 4/4 or 3/4


automaton.VoiceLeading = Patched
n = int(sys.argv[1])
ps = mc.composed_chorales(n)
where, beats, found = Counter(), 0, 0
for p in ps:
    places, k = beat_to_beat_parallel_places(p)
    beats += k
    found += len(places)
    for t, _a, _b in places:
        where["fermata" if any(abs(t - f) < 1e-6 for f in p.fermatas) else
              "final chord" if abs(t - (p.duration() - 1)) < 1.5 and t >= max(p.fermatas or [0]) else "elsewhere"] += 1
note_to_note = sum(count_parallel_fifths(p) + count_parallel_octaves(p) for p in ps)
print({"beat_rule": ON, "takes": n, "beats": beats, "beat_parallels_per_100": round(100 * found / beats, 2),
       "where": dict(where), "note_to_note_parallels": note_to_note})
print(mc.fermata_cadences(ps))
