"""Suspensions in four-part chorales: Bach's (JSB validation) against composed 8-bar chorales. A
suspension: a note of an upper voice that sounds into a beat (struck before it, held or struck again
at that pitch... held only here), dissonant with the bass there (a 2nd, 4th or 7th above it, by
pitch class), and whose next note is a step down within the beat or the next. Per 100 beats, by
interval over the bass (4-3, 7-6, 9-8 ...). Session 33.
    python docs/notes/2026-12-03-session-33/suspensions.py [N]"""
import json
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402

DISSONANT = {1: "9/2", 2: "9/2", 5: "4", 10: "7", 11: "7"}


def measure(pieces) -> dict:
    c, beats = Counter(), 0
    for p in pieces:
        beat = p.time_signature.beat_length
        tracks = {t.role: sorted(t.notes, key=lambda n: n.onset) for t in p.tracks}
        if set(tracks) != {"soprano", "alto", "tenor", "bass"}:
            continue
        end = max(n.onset + n.duration for ns in tracks.values() for n in ns)
        beats += int(end / beat + 0.5)
        bass = tracks["bass"]

        def bass_at(t):
            for n in bass:
                if n.onset <= t + 1e-9 < n.onset + n.duration:
                    return n.pitch
            return None

        for role in ("soprano", "alto", "tenor"):
            ns = tracks[role]
            for a, b in zip(ns, ns[1:]):
                k = round(a.onset / beat + 0.5)  # the first beat after the note's start
                t = k * beat
                if not (a.onset < t - 1e-9 and a.onset + a.duration > t + 1e-9):
                    continue  # not held into a beat
                lo = bass_at(t)
                if lo is None:
                    continue
                iv = (a.pitch - lo) % 12
                if iv in DISSONANT and 1 <= a.pitch - b.pitch <= 2:
                    c[DISSONANT[iv]] += 1
                    c["all"] += 1
    return {"per_100_beats": {k: round(100 * v / max(beats, 1), 2) for k, v in c.most_common()}, "beats": beats}


if __name__ == "__main__":
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    bach = list(load_corpus(None).filter(split="valid", style="chorale", source="jsb"))
    print(json.dumps({"bach": measure(bach), "composed": measure(mc.composed_chorales(k))}, indent=1))
