"""Where the beat-to-beat rule (`VoiceLeading._parallel_with_the_beat_before`) gives way in
composed chorales: for each beat-to-beat parallel whose lower voice was struck on the beat, did
`pitch_ok` already return only such pitches (its fallback: nothing else kept the other rules), or
did a later step (the cadence's notes, the approach to the last note, part writing) choose one
among others? Session 32.
    python docs/notes/2026-12-03-session-32/beat_parallels_stage.py N"""
import sys
from collections import Counter

import numpy as np

import tunesmith as ts
from tunesmith.metrics.harmony_rules import beat_to_beat_parallel_places
from tunesmith.tokenizer import TICKS_PER_BEAT
from tunesmith.voice_leading import VoiceLeading

sys.path.insert(0, "scripts")
from musician_checks import KEYS  # noqa: E402

seen = {}
orig_ok, orig_bad = VoiceLeading.pitch_ok, VoiceLeading._parallel_with_the_beat_before


def pitch_ok(self, v, p, cands):
    mask = orig_ok(self, v, p, cands)
    bad = orig_bad(self, v, p, cands)
    seen[(v, p)] = (np.asarray(cands).copy(), np.asarray(mask, bool).copy(), bad.copy())
    return mask


VoiceLeading.pitch_ok = pitch_ok
stages = Counter()
n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
for s in range(n):
    seen.clear()
    piece = ts.compose(style="chorale", key=KEYS[s % 8][0], mode=KEYS[s % 8][1], bars=8, seed=500 + s, check=False).piece
    found, _ = beat_to_beat_parallel_places(piece)
    for t, _a, b in found:
        rec = seen.get((b, int(round((t + piece.pickup_beats()) * TICKS_PER_BEAT))))
        if rec is None:
            stages["lower voice not struck on the beat (or no record)"] += 1
            continue
        cands, mask, bad = rec
        chosen = [x.pitch for x in piece.tracks[b].notes if abs(x.onset - t) < 1e-6]
        at = np.flatnonzero(cands == chosen[0]) if chosen else []
        if not len(at):
            stages["chosen pitch not among the candidates (mapping)"] += 1
            continue
        stages["chosen pitch " + ("in" if mask[at[0]] else "outside") + " pitch_ok's mask"] += 1
        stages["chosen pitch " + ("flagged" if bad[at[0]] else "not flagged") + " by the rule"] += 1
        if not (mask & ~bad).any():
            stages["pitch_ok had nothing else (fallback)"] += 1
        else:
            stages["a later step chose it among others"] += 1
print(dict(stages))
