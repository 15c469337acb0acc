"""Harmonized bass eighths off the beat that leap (more than a step) to the next beat, in the first 20
four-part validation chorales' sopranos: counted by (where in the beat, semitones from the note
before, semitones from that note to the beat's).

python docs/notes/2026-12-06-session-58/eighths_that_leap.py
"""

import collections
import copy

import tunesmith as ts
from tunesmith.corpus import load_corpus

bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][:20]
count = collections.Counter()
for i, chorale in enumerate(bach):
    soprano = copy.deepcopy(chorale)
    soprano.tracks = soprano.tracks[:1]
    bass = sorted(ts.harmonize(soprano, style="chorale", seed=i).piece.tracks[-1].notes, key=lambda n: n.onset)
    for a, b, c in zip(bass, bass[1:], bass[2:]):
        off, on = abs(b.onset - round(b.onset)) > 1e-6, abs(c.onset - round(c.onset)) < 1e-6
        if off and on and abs(c.pitch - b.pitch) > 2:
            count[(round(b.onset % 1, 3), abs(b.pitch - a.pitch), abs(c.pitch - a.pitch))] += 1
for (place, into, across), n in count.most_common(25):
    print(f"at {place}: from the note before {into}, that note to the beat's {across}: {n}")
