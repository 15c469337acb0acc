"""A music21 Bach chorale's soprano (with its fermatas) harmonized, seed = its index in the
fermata check's list, written as MusicXML for MuseScore: `python render_fermatas.py INDEX OUT`."""
import copy
import sys

import tunesmith as ts
from tunesmith.corpus import load_corpus

i, out = int(sys.argv[1]), sys.argv[2]
everything = load_corpus(None, include_dropped=True)
jsb_split = {p.work_id: p.split for p in everything.filter(source="jsb")}
bach = [p for p in everything.filter(source="bach-chorales") if p.fermatas and jsb_split.get(p.work_id) == "valid"
        and sorted(t.role for t in p.tracks) == ["alto", "bass", "soprano", "tenor"]][:40]
soprano = copy.deepcopy(bach[i])
soprano.tracks = soprano.tracks[:1]
take = ts.harmonize(soprano, style="chorale", seed=i)
take.write(out, force=True)
print(bach[i].work_id, bach[i].title, sorted(take.piece.fermatas))
