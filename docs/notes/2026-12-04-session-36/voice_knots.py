"""Chromatic knots in one voice: a note a semitone from one the same voice sang within the last two
beats, where one of the two lies outside the key's scale (major; minor: natural, harmonic and
melodic) and the three notes x, y, z go back (x-y-x: G-sharp G G-sharp) or both are outside while
the letter is the same (G G-sharp, written apart). Per 100 beats, by voice: Bach's (JSB SPLIT) against
composed 8-bar chorales (musician_checks.composed_chorales). Session 36.
    [KNOT=P] python docs/notes/2026-12-04-session-36/voice_knots.py [N] [SPLIT]"""
import json
import os
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402

MAJOR = {0, 2, 4, 5, 7, 9, 11}
MINOR = {0, 2, 3, 5, 7, 8, 9, 10, 11}


def measure(pieces) -> dict:
    c, beats = Counter(), 0
    for p in pieces:
        key = p.keys[0]
        scale = {(key.tonic_pc + i) % 12 for i in (MINOR if key.mode == "minor" else MAJOR)}
        beat = p.time_signature.beat_length
        tracks = {t.role: sorted(t.notes, key=lambda n: n.onset) for t in p.tracks}
        if set(tracks) != {"soprano", "alto", "tenor", "bass"}:
            continue
        beats += int(max(n.onset + n.duration for ns in tracks.values() for n in ns) / beat + 0.5)
        for role, ns in tracks.items():
            for a, b, z in zip(ns, ns[1:], ns[2:]):
                if z.onset - a.onset > 2 * beat + 1e-9:
                    continue
                # x-y-x by a semitone with one of them outside the scale: G# G G# / G G# G
                if a.pitch == z.pitch and abs(a.pitch - b.pitch) == 1 and (a.pitch % 12 not in scale or b.pitch % 12 not in scale):
                    c[role] += 1
                    c["all"] += 1
    return {k: round(100 * v / max(1, beats), 2) for k, v in c.most_common()} | {"beats": beats}


if __name__ == "__main__":
    if os.environ.get("KNOT"):  # KNOT=P: feedback.BASS_KNOT_PENALTY for this run
        from tunesmith.sampling import feedback

        feedback.BASS_KNOT_PENALTY = float(os.environ["KNOT"])
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    split = sys.argv[2] if len(sys.argv) > 2 else "valid"
    bach = list(load_corpus(None).filter(split=split, style="chorale", source="jsb"))
    print(json.dumps({"bach": measure(bach), "composed": measure(mc.composed_chorales(k))}, indent=1))
