"""Session 63: every tune of O'Neill's 1850, Ryan's Mammoth and Aird's Airs (music21's corpus) read by
`read_abc`, its notes, fermatas and chords written as JSON, to compare two versions of the reader:

    PYTHONPATH=OLD/src python abc_reader_compare.py MUSIC21_CORPUS old.json
    python abc_reader_compare.py MUSIC21_CORPUS new.json
"""

import glob
import json
import os
import sys

from tunesmith.inputs.abc import read_abc

M = sys.argv[1]
out = {}
files = sorted(
    glob.glob(M + "/oneills1850/*.abc") + glob.glob(M + "/ryansMammoth/*.abc") + glob.glob(M + "/airdsAirs/*.abc")
)
for f in files:
    for i, p in enumerate(read_abc(f)):
        notes = [(x.pitch, round(x.onset, 4), round(x.duration, 4)) for t in p.tracks for x in t.notes]
        out[f"{os.path.basename(f)}#{i}"] = [notes, p.fermatas, [(c.onset, c.figure) for c in p.chords]]
with open(sys.argv[2], "w") as fh:
    json.dump(out, fh)
