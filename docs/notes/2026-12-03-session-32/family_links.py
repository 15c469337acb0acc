"""Prototype of tune families across the splits: link two non-chorale pieces when their melodies'
interval 6-grams (repeated pitches merged) overlap by >= SHARE of the smaller set, >= MIN_SHARED
grams and >= LARGER_SHARE of the larger; families by union. Per style: family sizes, and how many
held-out pieces have a training piece in their family. Session 32.
    python docs/notes/2026-12-03-session-32/family_links.py [SHARE MIN_SHARED LARGER_SHARE]"""
import sys
from collections import Counter, defaultdict

import numpy as np

from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import melody_line

SHARE, MIN_SHARED, LARGER = (float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])) if len(sys.argv) > 3 else (0.5, 10, 0.1)


def grams(p, n=6):
    ps = [x.pitch for x in melody_line(p)]
    m = [a for i, a in enumerate(ps) if i == 0 or a != ps[i - 1]]
    iv = np.diff(m)
    return {hash(tuple(iv[i:i + n])) for i in range(len(iv) - n + 1)}


corpus = load_corpus(None)
pieces = [p for p in corpus if p.style != "chorale" and p.melody() is not None]
G = [grams(p) for p in pieces]
index = defaultdict(list)
for i, g in enumerate(G):
    for x in g:
        index[x].append(i)
parent = list(range(len(pieces)))


def find(i):
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


links = 0
for i, g in enumerate(G):
    shared = Counter()
    for x in g:
        if len(index[x]) < 200:  # a figure in hundreds of tunes links nothing by itself
            shared.update(j for j in index[x] if j > i)
    for j, k in shared.items():
        small, large = sorted((len(g), len(G[j])))
        if k >= MIN_SHARED and k >= SHARE * small and k >= LARGER * large:
            a, b = find(i), find(j)
            if a != b:
                parent[b] = a
                links += 1
fam = defaultdict(list)
for i in range(len(pieces)):
    fam[find(i)].append(i)
sizes = Counter(len(v) for v in fam.values())
print(f"SHARE {SHARE} MIN_SHARED {MIN_SHARED} LARGER {LARGER}: {len(pieces)} pieces, {links} links, "
      f"families >1: {sum(1 for v in fam.values() if len(v) > 1)}, largest {max(len(v) for v in fam.values())}, "
      f"sizes {sorted(sizes.items())[:12]}")
for style in ("folk", "pop", "jazz"):
    moved = Counter()
    held = Counter()
    for members in fam.values():
        splits = {pieces[i].split for i in members}
        for i in members:
            if pieces[i].style != style or pieces[i].split == "train":
                continue
            held[pieces[i].split] += 1
            if "train" in splits:
                moved[pieces[i].split] += 1
    print(f"  {style}: held-out {dict(held)}, with a training piece in the family {dict(moved)}")
big = sorted(fam.values(), key=len)[-1]
print("largest family's titles:", [pieces[i].title for i in big[:15]])
