"""A voice's (default the bass's) moves in composed 8-bar chorales (seeds 500..) against Bach's (JSB validation): the
shares of its moves that are steps, thirds, fourths or fifths, sixths or sevenths, octaves and
more, and a tritone, repeats left out (the JSB grids merge them), and its mean absolute move.
Session 34.
    python docs/notes/2026-12-04-session-34/bass_moves.py [N] [ROLE ...]   (default: bass)"""
import json
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402

CLASSES = {1: "step", 2: "step", 3: "third", 4: "third", 5: "4th/5th", 7: "4th/5th", 6: "tritone", 8: "6th/7th",
           9: "6th/7th", 10: "6th/7th", 11: "6th/7th"}


def measure(pieces, role: str = "bass") -> dict:
    c, moves = Counter(), []
    for p in pieces:
        bass = [t for t in p.tracks if t.role == role]
        if not bass:
            continue
        ns = sorted(bass[0].notes, key=lambda n: n.onset)
        for a, b in zip(ns, ns[1:]):
            d = abs(b.pitch - a.pitch)
            if d == 0:
                continue
            moves.append(d)
            c[CLASSES.get(d, "octave+")] += 1
    n = max(len(moves), 1)
    return {"moves": len(moves), "mean": round(sum(moves) / n, 2), **{k: round(v / n, 3) for k, v in sorted(c.items())}}


if __name__ == "__main__":
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    roles = sys.argv[2:] or ["bass"]
    bach = list(load_corpus(None).filter(split="valid", style="chorale", source="jsb"))
    takes = mc.composed_chorales(k)
    for role in roles:
        print(role, json.dumps({"bach": measure(bach, role), "composed": measure(takes, role)}))
