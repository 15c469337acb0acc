import sys
import numpy as np
sys.path.insert(0, "scripts")
from evaluate_copy_guard import _line
from tunesmith.corpus import load_corpus
from tunesmith.rights.check import check_piece, default_index_path
from tunesmith.rights.index import SimilarityIndex
from tunesmith.score import Note, Piece, Track
index = SimilarityIndex.load(default_index_path("model"))
corpus = load_corpus(None)
byid = {}
for p in corpus.filter(split="train", shippable=True):
    byid.setdefault(p.work_id, p)
wid, b, L = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
src = byid[wid]
line = _line(src); on = src.bars()
lo, hi = on[b], on[b + L]
ex = [Note(n.pitch, n.onset - lo, n.duration) for n in line if lo - 1e-6 <= n.onset < hi - 1e-6]
print("excerpt pitches", [n.pitch for n in ex])
piece = Piece(piece_id="x", work_id="x", style=src.style, tracks=[Track("melody", "melody", notes=ex)],
              time_signatures=list(src.time_signatures)[:1], keys=list(src.keys)[:1])
r = check_piece(piece, index)
for m in r.matches[:3]:
    print(round(m.score, 2), m.work["work_id"][-40:], m.query_notes, m.work_notes, m.matched_notes)
d = [i for i, dd in enumerate(index.docs) if dd["work_id"] == wid][0]
print("index doc pitches", index.pitches[index.offsets[d]:index.offsets[d+1]].tolist() if hasattr(index, "pitches") else [k for k in vars(index)])
