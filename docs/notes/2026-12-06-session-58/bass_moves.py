"""The bass's moves from note to note (a note struck again on its pitch merged into one, as the JSB
data have them), by where the move lands and starts: beat to beat, off the beat to the beat, and
into a note off the beat; each by size (step: 1-2 semitones, third: 3-4, a fourth or fifth, an
octave, other). Bach's first N validation chorales against their sopranos harmonized.

python docs/notes/2026-12-06-session-58/bass_moves.py N
"""

import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harmonized_census import bach_against_harmonized  # noqa: E402

from tunesmith.corpus import load_corpus

N = int(sys.argv[1])
bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][:N]
SIZES = ("step", "third", "4-5", "8ve", "other")
PLACES = ("beat->beat", "offbeat->beat", "into offbeat")


def size(semitones: int) -> str:
    if semitones <= 2:
        return "step"
    if semitones <= 4:
        return "third"
    if semitones in (5, 7):
        return "4-5"
    return "8ve" if semitones == 12 else "other"


def off_the_beat(onset: float) -> bool:
    return abs(onset - round(onset)) > 1e-6


def census(piece):
    count = collections.Counter()
    merged = []  # (onset, pitch, duration)
    for n in sorted(piece.tracks[-1].notes, key=lambda n: n.onset):
        if merged and merged[-1][1] == n.pitch and abs(merged[-1][0] + merged[-1][2] - n.onset) < 1e-6:
            merged[-1] = (merged[-1][0], n.pitch, merged[-1][2] + n.duration)
        else:
            merged.append((n.onset, n.pitch, n.duration))
    for (o1, p1, _), (o2, p2, _) in zip(merged, merged[1:]):
        if off_the_beat(o2):
            place = "into offbeat"
        else:
            place = "offbeat->beat" if off_the_beat(o1) else "beat->beat"
        count[(place, size(abs(p2 - p1)))] += 1
        count[place] += 1
    return count


def report(name, count):
    print(name)
    for place in PLACES:
        shares = ", ".join(f"{s} {count[(place, s)] / count[place]:.3f}" for s in SIZES)
        print(f"  {place} {count[place]}: {shares}")


bach_against_harmonized(bach, census, report)
