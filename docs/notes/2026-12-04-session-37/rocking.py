"""A voice rocking between two pitches: four notes in a row x-y-x-y (E-flat F E-flat F), per 100
beats, by voice, those whose first three notes are eighths or shorter ("quick"; "quick step": by a
step), and rocks of
five notes (x-y-x-y-x, "x5"). Bach's (JSB
SPLIT) against composed 8-bar chorales (musician_checks.composed_chorales). Session 37.
    [QR=A,T,B] python docs/notes/2026-12-04-session-37/rocking.py [N] [SPLIT]
QR sets feedback.QUICK_ROCK_PENALTIES for the run."""
import json
import os
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402


def measure(pieces) -> dict:
    c, beats = Counter(), 0
    for p in pieces:
        beat = p.time_signature.beat_length
        lines = mc.satb_lines(p)
        if lines is None:
            continue
        tracks, length = lines
        beats += length
        for role, ns in tracks.items():
            for a, b, x, y in zip(ns, ns[1:], ns[2:], ns[3:]):
                if a.pitch == x.pitch and b.pitch == y.pitch and a.pitch != b.pitch:
                    c[role] += 1
                    if max(n.duration for n in (a, b, x)) <= beat / 2 + 1e-9:
                        c[role + " quick"] += 1
                        c[role + " quick step"] += abs(a.pitch - b.pitch) <= 2  # E-flat F E-flat F, not G g G g
            for a, b, x, y, z in zip(ns, ns[1:], ns[2:], ns[3:], ns[4:]):
                if a.pitch == x.pitch == z.pitch and b.pitch == y.pitch != a.pitch:
                    c[role + " x5"] += 1  # x-y-x-y-x
    return {k: round(100 * v / max(1, beats), 2) for k, v in sorted(c.items())} | {"beats": beats}


if __name__ == "__main__":
    if os.environ.get("QR"):
        from tunesmith.sampling import feedback

        feedback.QUICK_ROCK_PENALTIES = tuple(float(x) for x in os.environ["QR"].split(","))
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    split = sys.argv[2] if len(sys.argv) > 2 else "valid"
    bach = list(load_corpus(None).filter(split=split, style="chorale", source="jsb"))
    print(json.dumps({"bach": measure(bach), "composed": measure(mc.composed_chorales(k))}))
