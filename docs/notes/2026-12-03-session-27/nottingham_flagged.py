# How many Nottingham tunes the session-27 rule makes research-only, and why (run from the repo root).
import collections
import glob

from tunesmith.corpus.rights import refine_nottingham
from tunesmith.inputs.abc import read_abc
from tunesmith.paths import shared_data

n, why = 0, collections.Counter()
for f in sorted(glob.glob(str(shared_data() / "nottingham" / "ABC_cleaned" / "*.abc"))):
    for p in read_abc(f):
        n += 1
        p.license = "GPL-3.0"
        refine_nottingham(p)
        if p.license != "GPL-3.0":
            why[p.meta["rights_basis"].split(":")[0]] += 1
print(n, "tunes,", sum(why.values()), "research-only")
for k, v in why.most_common():
    print(v, k)
