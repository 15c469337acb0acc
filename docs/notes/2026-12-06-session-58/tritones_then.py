"""What the bass does after it falls a tritone (the next interval; "rises a semitone": into the note
its leading tone leads to), for the minor key's 6th to 2nd and for all others: Bach's first 40
four-part validation chorales, and their sopranos harmonized with the falling-tritone rule off.

python docs/notes/2026-12-06-session-58/tritones_then.py
"""

import collections
import copy

import tunesmith as ts
import tunesmith.sampling.part_writing as part_writing
from tunesmith.corpus import load_corpus
from tunesmith.score import pitch_class_of

bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][:40]


def falls(piece, key):
    out = collections.Counter()
    tonic = pitch_class_of(key.tonic)
    bass = sorted(piece.tracks[-1].notes, key=lambda n: n.onset)
    for a, b, c in zip(bass, bass[1:], [*bass[2:], None]):
        if a.pitch - b.pitch == 6:
            then = None if c is None else c.pitch - b.pitch
            where = "6->2 minor" if (a.pitch - tonic) % 12 == 8 and key.mode == "minor" else "other"
            out[(where, "rises a semitone" if then == 1 else f"then {then}")] += 1
    return out


print("bach", dict(sum((falls(p, p.key) for p in bach), collections.Counter())))
part_writing.BASS_FALLS_A_TRITONE_ONLY_TO_A_LEADING_TONE = False
harmonized = collections.Counter()
for i, chorale in enumerate(bach):
    soprano = copy.deepcopy(chorale)
    soprano.tracks = soprano.tracks[:1]
    harmonized += falls(ts.harmonize(soprano, style="chorale", seed=i).piece, chorale.key)
print("harmonized, rule off", dict(harmonized))
