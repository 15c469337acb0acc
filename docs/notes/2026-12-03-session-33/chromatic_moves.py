"""Where a chromatic note goes next, in its own voice, and what it is on the beat: Bach (JSB
validation) against composed 8-bar chorales. Chromatic: outside the key (major scale; minor:
natural, harmonic and melodic). Moves: up or down a semitone (to a key tone / to another chromatic
note), a tone, held (same pitch next), a leap, none (last note). Also each chromatic note's
degree (semitones above the tonic), and the share struck off the beat that are shorter than a beat
(passing colour) against on-beat ones (chromatic harmony). Session 33.
    python docs/notes/2026-12-03-session-33/chromatic_moves.py [N]"""
import json
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402

MAJOR = {0, 2, 4, 5, 7, 9, 11}
MINOR = {0, 2, 3, 5, 7, 8, 10, 9, 11}


def measure(pieces) -> dict:
    moves, degrees, where = Counter(), Counter(), Counter()
    for p in pieces:
        key = p.keys[0]
        tonic, minor = key.tonic_pc, key.mode == "minor"
        scale = MINOR if minor else MAJOR
        beat = p.time_signature.beat_length
        for t in p.tracks:
            notes = sorted(t.notes, key=lambda x: x.onset)
            for a, b in zip(notes, notes[1:] + [None]):
                d = (a.pitch - tonic) % 12
                if d in scale:
                    continue
                degrees[("min " if minor else "maj ") + str(d)] += 1
                on = abs(a.onset / beat - round(a.onset / beat)) < 1e-6
                where["on_beat" if on else "off_beat"] += 1
                if b is None:
                    moves["none"] += 1
                    continue
                step = b.pitch - a.pitch
                into = "key" if (b.pitch - tonic) % 12 in scale else "chromatic"
                if step == 0:
                    moves["held"] += 1
                elif abs(step) == 1:
                    moves[("up" if step > 0 else "down") + "_semitone_to_" + into] += 1
                elif abs(step) == 2:
                    moves["tone"] += 1
                else:
                    moves["leap"] += 1
    n = sum(moves.values())
    return {"n": n, "moves": {k: round(v / n, 3) for k, v in moves.most_common()},
            "where": {k: round(v / n, 3) for k, v in where.items()},
            "degrees": {k: round(v / n, 3) for k, v in degrees.most_common(10)}}


if __name__ == "__main__":
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    bach = list(load_corpus(None).filter(split="valid", style="chorale", source="jsb"))
    print(json.dumps({"bach": measure(bach), "composed": measure(mc.composed_chorales(k))}, indent=1))
