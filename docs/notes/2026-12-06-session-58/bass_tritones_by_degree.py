"""The bass's tritones by direction and by scale degree (from, to; 0 = the tonic), in Bach's first N
validation chorales and in their sopranos harmonized.

python docs/notes/2026-12-06-session-58/bass_tritones_by_degree.py N
"""

import collections
import copy
import sys

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.score import pitch_class_of

N = int(sys.argv[1])
bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][:N]


def tritones(piece, key):
    count = collections.Counter()
    tonic = pitch_class_of(key.tonic)
    bass = sorted(piece.tracks[-1].notes, key=lambda n: n.onset)
    for a, b in zip(bass, bass[1:]):
        if abs(b.pitch - a.pitch) == 6:
            way = "up" if b.pitch > a.pitch else "down"
            count[(way, (a.pitch - tonic) % 12, (b.pitch - tonic) % 12, key.mode)] += 1
    return count


def report(name, count, beats):
    print(f"{name}: {sum(count.values())} tritones in {beats:.0f} beats")
    for (way, a, b, mode), n in count.most_common():
        print(f"  {way:4} {a:2} -> {b:2} {mode:5} {n}")


beats = sum(p.duration() for p in bach)
report("bach", sum((tritones(p, p.key) for p in bach), collections.Counter()), beats)
harmonized = collections.Counter()
for i, chorale in enumerate(bach):
    soprano = copy.deepcopy(chorale)
    soprano.tracks = soprano.tracks[:1]
    harmonized += tritones(ts.harmonize(soprano, style="chorale", seed=i).piece, chorale.key)
report("harmonized", harmonized, beats)
