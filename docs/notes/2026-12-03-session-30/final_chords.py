"""The last chord of harmonized Bach sopranos (the fermata check's 40, seed i) and of Bach's own:
is it a complete triad (root, third and fifth), and which is missing? A musician had a
harmonized hymn end hollow, G-G-D-G (session 28)."""
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.metrics.harmony_rules import VOICES, _voices  # noqa: E402

everything = load_corpus(None, include_dropped=True)
jsb_split = {p.work_id: p.split for p in everything.filter(source="jsb")}
bach = [p for p in everything.filter(source="bach-chorales") if p.fermatas and jsb_split.get(p.work_id) == "valid"
        and sorted(t.role for t in p.tracks) == ["alto", "bass", "soprano", "tenor"]][:40]


def last_chord(piece):
    voices = _voices(piece)
    end = max(n.onset for t in piece.tracks for n in t.notes)
    now = [voices[r].pitch_at(end) for r in VOICES]
    if None in now:
        return "a voice silent"
    root = now[3] % 12
    pcs = {p % 12 for p in now}
    third = {(root + 3) % 12, (root + 4) % 12} & pcs
    fifth = (root + 7) % 12 in pcs
    return "complete" if third and fifth else "no third" if not third and fifth else "no fifth" if third else "bare"


for name, pieces in (("bach", bach), ("harmonized", mc.harmonized_sopranos(bach))):
    print(name, Counter(last_chord(p) for p in pieces))
