"""Chromatic clashes (simultaneous false relations) between voices: two voices sounding together a semitone apart (in pitch class)
where one note lies outside the key's scale and the other inside it (F against F-sharp in E minor;
in minor the raised 6th and 7th count as inside), per 100 beats, counted at each onset where a
note starts. Bach's (JSB SPLIT) against composed 8-bar chorales
(musician_checks.composed_chorales). Session 37.
    python docs/notes/2026-12-04-session-37/false_relations.py [N] [SPLIT]"""
import json
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402


def _clash(a: int, b: int, scale: set[int]) -> bool:
    return (a - b) % 12 in (1, 11) and ((a % 12 in scale) != (b % 12 in scale))


def measure(pieces) -> dict:
    c, beats = Counter(), 0
    for p in pieces:
        scale = mc.key_scale(p)
        lines = mc.satb_lines(p)
        if lines is None:
            continue
        voices, length = list(lines[0].values()), lines[1]
        beats += length

        onsets = sorted({n.onset for ns in voices for n in ns})
        for t in onsets:
            now = [next((n for n in ns if n.onset - 1e-6 <= t < n.onset + n.duration - 1e-6), None) for ns in voices]
            for i in range(4):
                for j in range(i + 1, 4):
                    a, b = now[i], now[j]
                    if a and b and (abs(a.onset - t) < 1e-6 or abs(b.onset - t) < 1e-6) and _clash(a.pitch, b.pitch, scale):
                        c["together"] += 1
    return {k: round(100 * v / max(1, beats), 2) for k, v in sorted(c.items())} | {"beats": beats}


if __name__ == "__main__":
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    split = sys.argv[2] if len(sys.argv) > 2 else "valid"
    bach = list(load_corpus(None).filter(split=split, style="chorale", source="jsb"))
    print(json.dumps({"bach": measure(bach), "composed": measure(mc.composed_chorales(k))}))
