"""Wide bass leaps (a seventh, or past the octave) and tritones, per 100 beats, in the first N
four-part validation chorales' sopranos harmonized.

python docs/notes/2026-12-06-session-58/wide_bass_leaps.py N
"""

import copy
import sys

import tunesmith as ts
from tunesmith.corpus import load_corpus

bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][: int(sys.argv[1])]
wide = tritones = beats = 0
for i, chorale in enumerate(bach):
    soprano = copy.deepcopy(chorale)
    soprano.tracks = soprano.tracks[:1]
    piece = ts.harmonize(soprano, style="chorale", seed=i).piece
    bass = [n.pitch for n in sorted(piece.tracks[-1].notes, key=lambda n: n.onset)]
    wide += sum(abs(b - a) in (10, 11) or abs(b - a) > 12 for a, b in zip(bass, bass[1:]))
    tritones += sum(abs(b - a) == 6 for a, b in zip(bass, bass[1:]))
    beats += piece.duration()
print(
    f"wide bass leaps {100 * wide / beats:.2f} per 100 beats, tritones {100 * tritones / beats:.2f} ({beats:.0f} beats)"
)
