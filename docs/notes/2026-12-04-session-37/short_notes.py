"""The shortest notes of lead-sheet melodies: the share of melody notes shorter than a sixteenth
(< 1/4 beat), of sixteenth-triplet length or shorter (<= 1/6 beat), and the takes with at least one
run of 4 such notes; takes (N 16-bar, seeds 0.., keys cycling) against the style's real pieces of
SPLIT (cut to 16 bars). Session 37.
    python docs/notes/2026-12-04-session-37/short_notes.py [STYLE] [N] [SPLIT]"""
import sys

import tunesmith as ts
from tunesmith.corpus import load_corpus

style = sys.argv[1] if len(sys.argv) > 1 else "pop"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 80
split = sys.argv[3] if len(sys.argv) > 3 else "valid"
KEYS = ["C", "D", "E", "F", "G", "A", "Bb", "Eb"]


def stats(melodies):
    notes = under16 = tiny = runs = 0
    for line in melodies:
        notes += len(line)
        short = [x.duration < 0.25 - 1e-6 for x in line]
        under16 += sum(short)
        tiny += sum(x.duration <= 1 / 6 + 1e-6 for x in line)
        runs += any(all(short[i:i + 4]) for i in range(len(short) - 3))
    return {"pieces": len(melodies), "under a 16th": round(under16 / notes, 4), "<= 16th triplet": round(tiny / notes, 4),
            "pieces with 4 in a row under a 16th": round(runs / len(melodies), 3)}


takes = [ts.compose(style=style, key=KEYS[s % 8], bars=16, seed=s, check=False).piece.melody().notes for s in range(n)]
real = []
for p in load_corpus(None).filter(split=split, style=style):
    m = p.melody()
    if m is None or not m.notes:
        continue
    end = 16 * p.time_signature.bar_length
    real.append([x for x in m.notes if x.onset < end])
print({"takes": stats(takes), "real": stats(real)})
