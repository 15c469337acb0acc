"""Why beat-to-beat parallels survive `VoiceLeading._parallel_with_the_beat_before` in composed
chorales: for each (metrics.harmony_rules places), is the lower (later-written) voice's note at
that beat struck on the beat (the rule applied to it), or struck before (an off-beat or tied note,
which the rule does not see)? And the upper voice's? Session 32.
    python docs/notes/2026-12-03-session-32/beat_parallels_why.py N"""
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.metrics.harmony_rules import beat_to_beat_parallel_places  # noqa: E402


def struck_at(track, t):
    return any(abs(n.onset - t) < 1e-6 for n in track.notes)


kinds, beats = Counter(), 0
for p in mc.composed_chorales(int(sys.argv[1])):
    found, n = beat_to_beat_parallel_places(p)
    beats += n
    for t, a, b in found:
        lower, upper = struck_at(p.tracks[b], t), struck_at(p.tracks[a], t)
        fermata = any(abs(t - f) < 1e-6 for f in p.fermatas)
        kinds[("lower struck on the beat" if lower else "lower struck before"),
              ("upper struck on the beat" if upper else "upper struck before"), "fermata" if fermata else ""] += 1
print({"beats": beats, "parallels": sum(kinds.values())})
for k, v in kinds.most_common():
    print(v, k)
