"""How busy and how close the lower voices are: Bach's validation chorales against their sopranos
harmonized. Per voice, notes per beat and the share of notes shorter than a beat; alto-tenor and
tenor-bass unisons struck together, per 100 beats.

python docs/notes/2026-12-06-session-58/lower_voice_motion.py N
"""

import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harmonized_census import bach_against_harmonized  # noqa: E402

from tunesmith.corpus import load_corpus

N = int(sys.argv[1])
bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][:N]


def census(piece):
    c = collections.Counter()
    c["beats"] = piece.duration()
    onsets = {}
    for name, track in zip(("soprano", "alto", "tenor", "bass"), piece.tracks):
        notes = sorted(track.notes, key=lambda n: n.onset)
        c[f"{name} notes"] += len(notes)
        # a note struck again on its own pitch: the JSB data merge those into one long note
        c[f"{name} repeats"] += sum(a.pitch == b.pitch for a, b in zip(notes, notes[1:]))
        c[f"{name} short"] += sum(n.duration < 1 - 1e-6 for n in notes)
        onsets[name] = {round(n.onset, 3): n.pitch for n in notes}
    for a, b in (("alto", "tenor"), ("tenor", "bass")):
        if a in onsets and b in onsets:
            c[f"{a}-{b} unisons"] += sum(onsets[b].get(t) == p for t, p in onsets[a].items())
    return c


def report(name, total):
    beats = total["beats"]
    parts = [name]
    for voice in ("alto", "tenor", "bass"):
        n = total[f"{voice} notes"]
        moves = n - total[f"{voice} repeats"]
        parts.append(
            f"{voice} {n / beats:.2f}/beat ({moves / beats:.2f} new pitches), short {total[f'{voice} short'] / max(n, 1):.3f}"
        )
    for pair in ("alto-tenor", "tenor-bass"):
        parts.append(f"{pair} unisons {100 * total[f'{pair} unisons'] / beats:.2f}/100 beats")
    print("; ".join(parts))


bach_against_harmonized(bach, census, report)
