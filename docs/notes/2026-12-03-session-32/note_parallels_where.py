"""Where composed chorales' note-to-note parallel fifths and octaves (metrics.harmony_rules's count)
stand: the voice pair, the time, whether it is into a fermata, the final chord, or elsewhere.
Seeds 500.. in the 8 keys of musician_checks. Session 32.
    python docs/notes/2026-12-03-session-32/note_parallels_where.py N"""
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.metrics.harmony_rules import VOICES, _voices  # noqa: E402


def places(piece):
    v = _voices(piece)
    out = []
    for i in range(4):
        for j in range(i + 1, 4):
            up, lo = v[VOICES[i]], v[VOICES[j]]
            prev = None
            for t in sorted(up.change_times() | lo.change_times()):
                a, b = up.pitch_at(t), lo.pitch_at(t)
                cur = (a, b) if a is not None and b is not None else None
                if prev and cur:
                    (a0, b0), (a1, b1) = prev, cur
                    if a1 != a0 and b1 != b0 and (a1 > a0) == (b1 > b0) and abs(a0 - b0) % 12 == abs(a1 - b1) % 12 in (0, 7):
                        out.append((t, VOICES[i][0].upper() + VOICES[j][0].upper()))
                prev = cur
    return out


where = Counter()
for s, p in enumerate(mc.composed_chorales(int(sys.argv[1]))):
    last = max(n.onset for tr in p.tracks for n in tr.notes)
    for t, pair in places(p):
        kind = "final chord" if abs(t - last) < 1e-6 else "fermata" if any(abs(t - f) < 1e-6 for f in p.fermatas) else "elsewhere"
        where[kind] += 1
        print(f"seed {500 + s} t {t} {pair} {kind}")
print(dict(where))
