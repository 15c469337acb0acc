"""Where fermatas stand in the bar: Bach's (the music21 chorales in 4/4 with fermatas, train split
of the JSB works) against composed 8-bar chorales (musician_checks.composed_chorales). Session 31.
    python docs/notes/2026-12-03-session-31/fermata_places.py [N]"""
import json
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402
from tunesmith.corpus import load_corpus  # noqa: E402


def places(pieces) -> dict:
    where = Counter()
    for p in pieces:
        if str(p.time_signature) != "4/4":
            continue
        bars = p.bars()
        sop = sorted(p.tracks[0].notes, key=lambda x: x.onset)
        for f in p.fermatas[:-1]:
            note = next((n for n in sop if n.onset <= f + 1e-6 < n.onset + n.duration), None)
            if note is None or note is sop[-1]:
                continue
            in_bar = note.onset - max(b for b in bars if b <= note.onset + 1e-6)
            where["n"] += 1
            where["off the beat"] += abs(in_bar - round(in_bar)) > 1e-6
            where[f"beat {int(in_bar) + 1}"] += abs(in_bar - round(in_bar)) < 1e-6
            where["shorter than a beat"] += note.duration < 1 - 1e-6
            where["a beat"] += abs(note.duration - 1) < 1e-6
            where["two beats or more"] += note.duration > 2 - 1e-6
            nxt = next((n for n in sop if n.onset > note.onset + 1e-6), None)
            where["next phrase starts on beat 4"] += nxt is not None and abs((nxt.onset - max(b for b in bars if b <= nxt.onset + 1e-6)) - 3) < 1e-6
    n = where.pop("n")
    return {"fermatas": n, **{k: round(v / n, 3) for k, v in sorted(where.items())}}


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    everything = load_corpus(None, include_dropped=True)
    jsb_split = {p.work_id: p.split for p in everything.filter(source="jsb")}
    bach = [p for p in everything.filter(source="bach-chorales") if p.fermatas and jsb_split.get(p.work_id) == "train"]
    print(json.dumps({"bach": places(bach), "composed": places(mc.composed_chorales(n))}, indent=1))
