"""Repeated notes in four-part chorales: Bach's (JSB validation) against composed 8-bar chorales
(`musician_checks.composed_chorales`, seeds 500..). Per voice, per 100 beats: notes struck again at
the pitch of the note before (no rest between), split into short ones (under a beat) and the rest,
and runs of 3+ notes on one pitch (a run of k counts k - 2), and the longest run seen. Session 34.
    python docs/notes/2026-12-04-session-34/repeated_notes.py [N]"""
import json
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402

ROLES = ("soprano", "alto", "tenor", "bass")


def measure(pieces) -> dict:
    c, beats, longest = Counter(), 0, Counter()
    for p in pieces:
        beat = p.time_signature.beat_length
        tracks = {t.role: sorted(t.notes, key=lambda n: n.onset) for t in p.tracks}
        if set(tracks) != set(ROLES):
            continue
        end = max(n.onset + n.duration for ns in tracks.values() for n in ns)
        beats += int(end / beat + 0.5)
        for role in ROLES:
            ns, run = tracks[role], 1
            for a, b in zip(ns, ns[1:]):
                same = a.pitch == b.pitch and abs(a.onset + a.duration - b.onset) < 1e-6
                if same:
                    c[f"{role}_{'short' if b.duration < beat - 1e-6 else 'beat'}"] += 1
                    run += 1
                    if run >= 3:
                        c[f"{role}_run3"] += 1
                    longest[role] = max(longest[role], run)
                else:
                    run = 1
    return {"per_100_beats": {k: round(100 * v / max(beats, 1), 2) for k, v in sorted(c.items())},
            "longest_run": dict(longest), "beats": beats}


if __name__ == "__main__":
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    bach = list(load_corpus(None).filter(split="valid", style="chorale", source="jsb"))
    print(json.dumps({"bach": measure(bach), "composed": measure(mc.composed_chorales(k))}, indent=1))
