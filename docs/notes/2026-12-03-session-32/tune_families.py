"""Held-out pieces that are another version of a training piece: the same normalised title in the
same style, or a melody whose interval 6-grams (repeated pitches merged) are mostly in one training
piece (containment |A & B| / |A|). How many per style and split, and how the two witnesses agree.
Session 32.
    python docs/notes/2026-12-03-session-32/tune_families.py"""
import re
import sys
from collections import Counter, defaultdict

import numpy as np

from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import melody_line

STOP = {"the", "a", "an", "reel", "jig", "hornpipe", "polka", "slide", "march", "waltz", "slipjig", "air", "no"}


def title_key(t: str) -> str:
    t = re.sub(r"\(.*?\)", " ", t or "")
    t = re.sub(r"([a-z])([A-Z])", r"\1 \2", t).lower()
    words = [w for w in re.findall(r"[a-z]+", t) if w not in STOP and not re.fullmatch(r"[ivx]+|\d+", w)]
    return " ".join(words)


def grams(p, n=6):
    line = melody_line(p)
    pitches = [x.pitch for x in line]
    merged = [a for i, a in enumerate(pitches) if i == 0 or a != pitches[i - 1]]
    iv = np.diff(merged)
    return {hash(tuple(iv[i:i + n])) for i in range(len(iv) - n + 1)}


corpus = load_corpus(None)
styles = sys.argv[1:] or ["folk", "pop", "jazz"]
for style in styles:
    train = [p for p in corpus.filter(split="train", style=style) if p.melody() is not None]
    held = [p for p in corpus.filter(split="valid", style=style) if p.melody() is not None] + \
           [p for p in corpus.filter(split="test", style=style) if p.melody() is not None]
    titles = defaultdict(list)
    index = defaultdict(set)
    g_train = []
    for i, p in enumerate(train):
        titles[title_key(p.title)].append(i)
        g = grams(p)
        g_train.append(g)
        for x in g:
            index[x].add(i)
    rows = Counter()
    examples = []
    for p in held:
        g = grams(p)
        shared = Counter()
        for x in g:
            shared.update(index.get(x, ()))
        best, j = max(((k / max(1, len(g)), j) for j, k in shared.items()), default=(0.0, None))
        same_title = bool(title_key(p.title)) and title_key(p.title) in titles
        melodic = best >= 0.5
        rows[(p.split, same_title, melodic)] += 1
        if melodic or same_title:
            examples.append((round(best, 2), p.title, train[j].title if j is not None else "", same_title))
    n = len(held)
    print(f"{style}: held-out {n}; same title {sum(v for k, v in rows.items() if k[1])}, "
          f"melody >= 0.5 in one training piece {sum(v for k, v in rows.items() if k[2])}, "
          f"both {sum(v for k, v in rows.items() if k[1] and k[2])}")
    for e in sorted(examples, reverse=True)[:: max(1, len(examples) // 25)]:
        print("   ", e)
