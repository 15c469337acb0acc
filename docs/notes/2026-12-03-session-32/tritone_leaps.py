"""Melodic tritones (6 semitones between consecutive notes of a voice) in four-part chorales, per
voice per 100 beats, split by whether a note of the pair is outside the key (the major scale; in
minor the natural, harmonic and melodic minor) and by direction: Bach's (JSB validation chorales
with a key) against composed 8-bar chorales (8 keys, seeds 500..). Session 32.
    python docs/notes/2026-12-03-session-32/tritone_leaps.py N"""
import json
import sys
from collections import Counter

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import parse_key

sys.path.insert(0, "scripts")
from musician_checks import KEYS  # noqa: E402

VOICES = ("soprano", "alto", "tenor", "bass")


def count(pieces):
    found, beats = Counter(), 0.0
    for p in pieces:
        key = parse_key(p.keys[0].tonic, p.keys[0].mode) if p.keys else None
        if key is None or len(p.tracks) != 4:
            continue
        tonic, mode = key
        steps = {0, 2, 3, 5, 7, 8, 9, 10, 11} if mode == "minor" else {0, 2, 4, 5, 7, 9, 11}
        beats += p.duration()
        for name, track in zip(VOICES, p.tracks):
            notes = sorted(track.notes, key=lambda x: x.onset)
            for a, b in zip(notes, notes[1:]):
                if abs(b.pitch - a.pitch) != 6 or b.onset - (a.onset + a.duration) > 1e-6:
                    continue
                chromatic = any((x.pitch - tonic) % 12 not in steps for x in (a, b))
                found[(name, "chromatic" if chromatic else "diatonic", "up" if b.pitch > a.pitch else "down")] += 1
    out = {}
    for (name, kind, way), k in sorted(found.items()):
        out[f"{name} {kind} {way}"] = round(100 * k / beats, 3)
    return {"beats": round(beats), "per_100_beats": out, "all": round(100 * sum(found.values()) / beats, 3)}


n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
bach = [p for p in load_corpus(None).filter(style="chorale", split="valid") if p.keys]
takes = [ts.compose(style="chorale", key=KEYS[s % 8][0], mode=KEYS[s % 8][1], bars=8, seed=500 + s, check=False).piece
         for s in range(n)]  # fmt: skip
print(json.dumps({"bach": count(bach), "composed": count(takes)}, indent=1))
