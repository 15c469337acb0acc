import sys, numpy as np
from tunesmith.rights import index as IX
from tunesmith.rights.index import SimilarityIndex
from tunesmith.rights.check import check_piece
from tunesmith.inputs import read_file
idx = SimilarityIndex.load("/tmp/s28/idx/similarity_index")
print("spans", None if idx.spans is None else idx.spans[:10], idx.spans.dtype if idx.spans is not None else None)
for f in sys.argv[1:]:
    p = read_file(f)[0]
    for g in (0.0, 1.0):
        IX.RHYTHM_GAIN = g
        r = check_piece(p, idx)
        m = r.matches[0]
        print(f, g, round(r.score, 2), m.work["title"], m.query_bars, m.work_bars)
