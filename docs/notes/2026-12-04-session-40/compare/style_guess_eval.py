"""How well `tunesmith.analysis.StyleGuesser` (the style guess of `analyze --compare` without
--style) names the style of held-out corpus pieces: fitted on the train split of the cached
corpus, measured on its valid split, per kind of song (melody only / chords only / both; a piece
is measured with the features it has, as a song is). Run: .venv/bin/python THIS_FILE [--test]."""

from __future__ import annotations

import sys
import time

import numpy as np

from tunesmith.analysis import StyleGuesser, corpus_features
from tunesmith.analysis.compare import MIN_GUESS_PRECISION, MIN_GUESS_SUPPORT, _kinds, _splits

held_out = "test" if "--test" in sys.argv else "valid"
t0 = time.perf_counter()
table = corpus_features()
split = _splits(table, None)
styles = np.asarray(table.labels["style"])
g = StyleGuesser(table, split == "train")
mel, cho = _kinds(table.X)
print(f"held-out split: {held_out}; fitted on train ({int((split == 'train').sum())} pieces)")
print("1. as a song is judged: a view's columns, every held-out piece that has them (what decides 'used')")
for kind in ((True, False), (False, True), (True, True)):
    c = g.check(split == held_out, kind)
    print(f"  {g._view(kind).name} ({len(g._view(kind).cols)} features): {c['pieces']} pieces, accuracy"
          f" {c['accuracy']:.3f}, balanced {c['balanced_accuracy']:.3f};"
          f" recall {', '.join(f'{s} {v:.2f}' for s, v in c['per_style'].items())}")
    for s, k in sorted(c["guessed"].items()):
        prec = c["right"].get(s, 0) / k
        ok = k >= MIN_GUESS_SUPPORT and prec >= MIN_GUESS_PRECISION
        print(f"     guessed {s}: {k}, right {c['right'].get(s, 0)} ({prec:.3f}) -> {'used' if ok else 'asks for --style'}")
print("2. each held-out piece with all the features it has (its own view)")
right = total = 0
for kind in ((True, False), (False, True), (True, True)):
    exact = (split == held_out) & (mel == kind[0]) & (cho == kind[1])
    g._checks.clear()
    c = g.check(exact, kind)
    n = c["pieces"]
    total += n
    right += sum(c["right"].values())
    print(f"  exactly {g._view(kind).name}: {n} pieces, accuracy {c['accuracy']:.3f}, balanced {c['balanced_accuracy']:.3f}")
print(f"  all {held_out} pieces: {right}/{total} = {right / total:.3f}  ({time.perf_counter() - t0:.1f} s)")
