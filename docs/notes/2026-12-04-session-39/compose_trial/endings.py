"""How often takes of each style close off the tonic (README: about 1 in 5 jazz, 1 in 10 pop, folk never).
Usage: python endings.py [N]"""
import collections
import sys

import tunesmith as ts

n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
for style, extra in (("pop", {}), ("pop", {"bars": 32}), ("jazz", {}), ("folk", {"meter": "4/4"})):
    takes = ts.compose(style, n=n, seed=100, check=False, **extra)
    ends = collections.Counter(
        (t.provenance["resolved"].get("ending", {}).get("closing_degree"),
         t.provenance["resolved"].get("ending", {}).get("final_chord", "I")) for t in takes)
    print(style, extra, dict(ends.most_common()))
