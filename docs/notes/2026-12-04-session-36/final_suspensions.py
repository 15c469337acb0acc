"""Where Bach's 4-3 suspensions fall: of the 4-3s (session-33/suspensions.py's definition: an upper
voice's note held into a beat a fourth over the bass, then a step down), those at the final cadence
(the beat before the final chord) against the rest, and the share of chorales whose final cadence
has one; Bach's (JSB SPLIT) and composed 8-bar chorales (musician_checks.composed_chorales). Session 36.
    [SUSP=INNER,SOPRANO] python docs/notes/2026-12-04-session-36/final_suspensions.py [N] [SPLIT]"""
import json
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402


def measure(pieces) -> dict:
    c, beats, chorales = Counter(), 0, 0
    for p in pieces:
        beat = p.time_signature.beat_length
        tracks = {t.role: sorted(t.notes, key=lambda n: n.onset) for t in p.tracks}
        if set(tracks) != {"soprano", "alto", "tenor", "bass"}:
            continue
        chorales += 1
        end = max(n.onset + n.duration for ns in tracks.values() for n in ns)
        final = max(n.onset for n in tracks["bass"])  # the final chord's bass strike
        beats += int(end / beat + 0.5)
        bass = tracks["bass"]

        def bass_at(t, bass=bass):
            return next((n.pitch for n in bass if n.onset <= t + 1e-9 < n.onset + n.duration), None)

        found_final = False
        for role in ("soprano", "alto", "tenor"):
            ns = tracks[role]
            for a, b in zip(ns, ns[1:]):
                t = round(a.onset / beat + 0.5) * beat  # the first beat after the note's start
                if not (a.onset < t - 1e-9 and a.onset + a.duration > t + 1e-9):
                    continue
                lo = bass_at(t)
                if lo is None or (a.pitch - lo) % 12 != 5 or not 1 <= a.pitch - b.pitch <= 2:
                    continue
                at_final = final - beat - 1e-9 <= t < final + 1e-9
                c[f"4-3 {'final cadence' if at_final else 'elsewhere'} {role}"] += 1
                found_final |= at_final
        c["chorales with a final 4-3"] += found_final
    out = {k: round(100 * v / max(beats, 1), 2) for k, v in sorted(c.items()) if k.startswith("4-3")}
    return {"per_100_beats": out, "final_4_3_share": round(c["chorales with a final 4-3"] / max(1, chorales), 3),
            "chorales": chorales, "beats": beats}


if __name__ == "__main__":
    import os

    if os.environ.get("SUSP"):  # SUSP=inner,soprano: feedback.SUSPENSION_BIASES for this run
        from tunesmith.sampling import feedback

        feedback.SUSPENSION_BIASES = tuple(float(x) for x in os.environ["SUSP"].split(","))
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    split = sys.argv[2] if len(sys.argv) > 2 else "valid"
    bach = list(load_corpus(None).filter(split=split, style="chorale", source="jsb"))
    print(json.dumps({"bach": measure(bach), "composed": measure(mc.composed_chorales(k))}, indent=1))
