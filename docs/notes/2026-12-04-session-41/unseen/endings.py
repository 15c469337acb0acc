"""On which degree of the written key the unseen tunes end (last melody note, semitones above the
written tonic), by tune type, all 2,957 tunes: a modal
tune written under a major key signature (A dorian as K:G, D mixolydian as K:G) ends on its own
tonic, which is not the written one. Also how long the last note is held.

    python docs/notes/2026-12-04-session-41/unseen/endings.py
"""

import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "scripts"))
import evaluate_musicality as em  # noqa: E402
from per_piece import M21, tune_type  # noqa: E402

from tunesmith.metrics._common import melody_line  # noqa: E402
from tunesmith.score import pitch_class_of  # noqa: E402

DEGREE = {0: "1", 2: "2", 4: "3", 5: "4", 7: "5", 9: "6", 11: "7", 3: "b3", 10: "b7"}
pieces, _ = em.read_real("folk", [str(M21 / "oneills1850"), str(M21 / "ryansMammoth")], [])
by = defaultdict(Counter)
held = defaultdict(list)  # the last note's length in beats
for p in pieces:
    notes = melody_line(p)  # the line `metrics.musicality.ends_on_tonic` reads
    if not notes or not p.key:
        continue
    step = (notes[-1].pitch - pitch_class_of(p.key.tonic)) % 12
    held[tune_type(p)].append(notes[-1].duration)
    by[tune_type(p)][DEGREE.get(step, str(step))] += 1
print("| type | n | last note: degree of the written key (share) | last note >= 2 beats | last note <= 1 beat |")
print("|---|---|---|---|---|")
for t, c in sorted(by.items(), key=lambda kv: -sum(kv[1].values()))[:10]:
    n = sum(c.values())
    long = sum(d >= 2 - 1e-6 for d in held[t]) / n
    short = sum(d <= 1 + 1e-6 for d in held[t]) / n
    print(f"| {t} | {n} | " + ", ".join(f"{k} {v / n:.2f}" for k, v in c.most_common(5)) + f" | {long:.2f} | {short:.2f} |")
