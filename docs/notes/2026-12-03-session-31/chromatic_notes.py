"""Notes outside the key in four-part chorales, by voice and degree: Bach's (JSB validation) against
composed 8-bar chorales (musician_checks.composed_chorales). A note is outside when its pitch class
is not in the key's major scale (major) or natural, harmonic and melodic minor (minor); it is
"left by step" when the voice's next note is a semitone or a tone away. Session 31.
    python docs/notes/2026-12-03-session-31/chromatic_notes.py [N]"""
import json
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402
from tunesmith.corpus import load_corpus  # noqa: E402

MAJOR = {0, 2, 4, 5, 7, 9, 11}
MINOR = {0, 2, 3, 5, 7, 8, 10, 9, 11}
NAMES = ["1", "b2", "2", "b3", "3", "4", "#4", "5", "b6", "6", "b7", "7"]


def outside(pieces) -> dict:
    n = Counter()
    out = Counter()
    by = Counter()
    step = Counter()
    for p in pieces:
        key = p.keys[0]
        tonic, minor = key.tonic_pc, key.mode == "minor"
        scale = MINOR if minor else MAJOR
        for t in p.tracks:
            notes = sorted(t.notes, key=lambda x: x.onset)
            for a, b in zip(notes, notes[1:] + [None]):
                n[t.role] += 1
                d = (a.pitch - tonic) % 12
                if d in scale:
                    continue
                out[t.role] += 1
                by[("minor " if minor else "major ") + NAMES[d]] += 1
                step[t.role] += b is not None and 0 < abs(b.pitch - a.pitch) <= 2
    return {"per_100_notes": {r: round(100 * out[r] / max(n[r], 1), 2) for r in n},
            "left_by_step": {r: round(step[r] / max(out[r], 1), 2) for r in n},
            "degrees_per_1000_notes": {k: round(1000 * v / sum(n.values()), 2) for k, v in by.most_common(12)}}


if __name__ == "__main__":
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    bach = list(load_corpus(None).filter(split="valid", style="chorale", source="jsb"))
    print(json.dumps({"bach": outside(bach), "composed": outside(mc.composed_chorales(k))}, indent=1))
