"""Session 67: the degree the melody ends on (root, third, fifth, other), per style, split and
source, over all the corpus's pieces (shippable or not; measured only).

    .venv/bin/python docs/notes/2026-12-07-session-67/finals_by_source.py
"""

import collections

from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import melody_line

c = load_corpus(None)
for style in ("jazz", "pop", "folk"):
    for split in ("train", "valid", "test"):
        cnt = collections.Counter()
        for p in c.filter(split=split, style=style):
            m = melody_line(p)
            if not m or p.key is None:
                continue
            deg = (m[-1].pitch - p.key.tonic_pc) % 12
            name = {0: "root", 3: "third", 4: "third", 7: "fifth"}.get(deg, "other")
            cnt[(p.source, p.shippable if hasattr(p, "shippable") else None, name)] += 1
        bysrc = collections.defaultdict(dict)
        for (s, sh, n), v in cnt.items():
            bysrc[(s, sh)][n] = v
        for k, v in sorted(bysrc.items(), key=str):
            tot = sum(v.values())
            print(style, split, k, tot, {n: round(x / tot, 3) for n, x in sorted(v.items())})
