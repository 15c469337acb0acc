"""Harmonized fermata chords not in root position: at each, the chord planned there (the
harmonizer's, `piece.chords`), the sounding pitch classes, when the bass's note began, and what
the bass's root was refused by at cadence ticks (session 28's diagnostic, extended)."""
import sys
from collections import Counter

import numpy as np

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith import voice_leading as VLm  # noqa: E402
from tunesmith.harmony import QUALITIES, parse_chord  # noqa: E402
from tunesmith.metrics.harmony_rules import VOICES, _voices  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 40
seen = Counter()
orig = VLm.VoiceLeading.pitch_ok


def pitch_ok(self, v, p, cands):
    out = orig(self, v, p, cands)
    n = len(self.notes)
    tones = self.chord_tones.get(p) if self.chord_tones else None
    if v == n - 1 and p in self.cadence_ticks and tones is not None:
        c = np.asarray(cands)
        root = c % 12 == tones[0]
        under_above, no_cross = self._under_above_and_uncrossed(v, p, c)
        seen["cadence bass choices"] += 1
        seen["root in range"] += bool(root.any())
        seen["root uncrossed"] += bool((root & no_cross).any())
        seen["mask leaves the root only"] += bool(out.any() and (c[out] % 12 == tones[0]).all())
    return out


VLm.VoiceLeading.pitch_ok = pitch_ok
from tunesmith.corpus import load_corpus  # noqa: E402

everything = load_corpus(None, include_dropped=True)
jsb_split = {p.work_id: p.split for p in everything.filter(source="jsb")}
chorales = [p for p in everything.filter(source="bach-chorales") if p.fermatas and jsb_split.get(p.work_id) == "valid"
            and sorted(t.role for t in p.tracks) == ["alto", "bass", "soprano", "tenor"]][:N]
pieces = mc.harmonized_sopranos(chorales)
print(dict(seen))
print(mc.fermata_cadences(pieces))
triads = {frozenset((root + i) % 12 for i in QUALITIES[q]): root for root in range(12) for q in ("", "m")}
kinds = Counter()
for i, piece in enumerate(pieces):
    voices, soprano = _voices(piece), sorted(piece.track("soprano").notes, key=lambda x: x.onset)
    bass = sorted(piece.track("bass").notes, key=lambda x: x.onset)
    for f in piece.fermatas:
        note = next((x for x in soprano if x.onset <= f + 1e-6 < x.onset + x.duration), None)
        now = [voices[r].pitch_at(f) for r in VOICES]
        if note is None or note is soprano[-1] or None in now:
            continue
        root = triads.get(frozenset(p % 12 for p in now))
        if root is None or now[3] % 12 == root:
            continue
        plan = next((c for c in reversed(piece.chords) if c.onset <= f + 1e-6), None)
        try:
            proot = parse_chord(plan.figure)[0] if plan else None
        except Exception:
            proot = None
        b = next((x for x in bass if x.onset <= f + 1e-6 < x.onset + x.duration), None)
        inv = "third" if (now[3] - root) % 12 in (3, 4) else "fifth" if (now[3] - root) % 12 == 7 else "other"
        struck = "bass struck at the fermata" if b is not None and abs(b.onset - note.onset) < 1e-6 else "bass struck before"
        agrees = "plan root = sounding root" if proot == root else f"plan {plan.figure if plan else None} vs sounding root {root}"
        kinds[(inv, struck, agrees == "plan root = sounding root")] += 1
        print(i, f, "plan", plan.figure if plan else None, "sounding", sorted({p % 12 for p in now}), "bass pc", now[3] % 12, inv, struck)
for k, v in kinds.most_common():
    print(v, k)
