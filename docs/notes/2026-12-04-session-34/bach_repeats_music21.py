"""Repeated notes in Bach's own chorales as music21's corpus encodes them (the JSB grids merge a
repeated note into one held note, so they cannot show it): the measure of `repeated_notes.py`
over the first N four-part chorales of `music21.corpus.chorales.Iterator` (for measuring only;
that corpus is not shippable and trains nothing). Session 34.
    python docs/notes/2026-12-04-session-34/bach_repeats_music21.py [N]"""
import json
import sys
from collections import Counter

from music21 import corpus

N = int(sys.argv[1]) if len(sys.argv) > 1 else 80
ROLES = ("soprano", "alto", "tenor", "bass")
c, beats, longest, used = Counter(), 0, Counter(), 0
for s in corpus.chorales.Iterator(numberingSystem="riemenschneider", returnType="stream"):
    if used >= N:
        break
    parts = s.parts
    if len(parts) != 4:
        continue
    ts = s.recurse().getElementsByClass("TimeSignature").first()
    beat = ts.beatDuration.quarterLength if ts else 1.0
    used += 1
    beats += int(s.highestTime / beat + 0.5)
    for role, part in zip(ROLES, parts):
        notes = [n for n in part.flatten().notesAndRests]
        run = 1
        for a, b in zip(notes, notes[1:]):
            if a.isRest or b.isRest or a.isChord or b.isChord:
                run = 1
                continue
            tied_on = b.tie is not None and b.tie.type in ("stop", "continue")
            same = a.pitch.midi == b.pitch.midi and not tied_on
            if same:
                c[f"{role}_{'short' if b.quarterLength < beat - 1e-6 else 'beat'}"] += 1
                run += 1
                if run >= 3:
                    c[f"{role}_run3"] += 1
                longest[role] = max(longest[role], run)
            elif not tied_on:
                run = 1
print(json.dumps({"chorales": used, "beats": beats, "longest_run": dict(longest),
                  "per_100_beats": {k: round(100 * v / beats, 2) for k, v in sorted(c.items())}}, indent=1))
