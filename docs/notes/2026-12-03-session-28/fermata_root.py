"""Why a harmonized fermata chord is not in root position: at each cadence tick, what the bass's
root was refused by (session 28 diagnostic)."""
import sys
from collections import Counter

import numpy as np

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith import voice_leading as VLm  # noqa: E402

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
        seen["cadence bass notes"] += 1
        seen["root in range"] += bool(root.any())
        seen["root uncrossed"] += bool((root & no_cross).any())
        seen["result has root only"] += bool(out.any() and (c[out] % 12 == tones[0]).all())
    return out


VLm.VoiceLeading.pitch_ok = pitch_ok
from tunesmith.corpus import load_corpus  # noqa: E402

everything = load_corpus(None, include_dropped=True)
jsb_split = {p.work_id: p.split for p in everything.filter(source="jsb")}
chorales = [p for p in everything.filter(source="bach-chorales") if p.fermatas and jsb_split.get(p.work_id) == "valid"
            and sorted(t.role for t in p.tracks) == ["alto", "bass", "soprano", "tenor"]][:40]
pieces = mc.harmonized_sopranos(chorales)
print(dict(seen))
print(mc.fermata_cadences(pieces))
