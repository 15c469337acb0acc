"""Eighths struck again on the beat: per lower voice, how often a note struck on the half beat is
followed, on the next beat, by the same pitch struck again (G A | A B-flat), per 100 beats. Bach's
four-part chorales from music21's scores (its corpus's first N files) (their repeated notes are struck again, for the words; the
JSB data merge them) against their sopranos harmonized.

python docs/notes/2026-12-06-session-58/anticipations.py N
"""

import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-45"))
from chorale_sets import bach_scores  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harmonized_census import bach_against_harmonized  # noqa: E402

N = int(sys.argv[1])
scores = bach_scores(N)
VOICES = ("alto", "tenor", "bass")


def census(piece):
    count = collections.Counter(beats=piece.duration())
    for name, track in zip(VOICES, piece.tracks[1:]):
        notes = sorted(track.notes, key=lambda n: n.onset)
        for a, b in zip(notes, notes[1:]):
            half = abs(a.onset % 1 - 0.5) < 1e-6
            on_beat = abs(b.onset - round(b.onset)) < 1e-6 and abs(a.onset + a.duration - b.onset) < 1e-6
            count[name] += half and on_beat and a.pitch == b.pitch
    return count


def report(name, count):
    shares = ", ".join(f"{v} {100 * count[v] / count['beats']:.2f}" for v in VOICES)
    print(f"{name} ({len(scores)} chorales, {count['beats']:.0f} beats): per 100 beats {shares}")


bach_against_harmonized(scores, census, report)
