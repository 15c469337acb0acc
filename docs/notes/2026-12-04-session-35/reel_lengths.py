"""Note-length transitions of composed reels against held-out real reels (shippable valid + test,
4/4 or 2/2, cut to 16 bars): the share of each (previous length -> next length) pair among the
melody's transitions, and where quarters fall in the bar. Session 35.
    python docs/notes/2026-12-04-session-35/reel_lengths.py [N] [FIRST_SEED]"""
import collections
import re
import sys

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import length_matched
from tunesmith.metrics._common import melody_line

n = int(sys.argv[1]) if len(sys.argv) > 1 else 48
first = int(sys.argv[2]) if len(sys.argv) > 2 else 900
corpus = load_corpus(None)
real = [p for split in ("valid", "test") for p in corpus.filter(style="folk", shippable=True, split=split)
        if re.search("reel", p.work_id, re.I) and str(p.time_signature) in ("4/4", "2/2") and p.melody() is not None]
real = length_matched(real, "folk", 16)
keys = [(p.key.tonic, p.key.mode) for p in real if p.key is not None]


def name(d: float) -> str:
    for v, s in ((0.25, "16th"), (1 / 3, "trip"), (0.5, "8th"), (0.75, "d8th"), (1.0, "qtr"), (1.5, "dqtr"), (2.0, "half")):
        if abs(d - v) < 0.02:
            return s
    return "long" if d > 2 else "other"


def stats(pieces):
    pairs, where, lens = collections.Counter(), collections.Counter(), collections.Counter()
    alternations = 0
    beats = 0.0
    for p in pieces:
        line = melody_line(p)
        # a note's length: to the next onset (rests count into the note before)
        ds = [b.onset - a.onset for a, b in zip(line, line[1:])]
        names = [name(d) for d in ds]
        lens.update(names)
        pairs.update(zip(names, names[1:]))
        for a, b, c in zip(names, names[1:], names[2:]):
            alternations += (a, b, c) in (("qtr", "8th", "qtr"), ("8th", "qtr", "8th"))
        bl = p.time_signature.bar_length
        for nt, nm in zip(line, names):
            if nm == "qtr":
                where[round((nt.onset % bl) * 2) / 2] += 1
        beats += (line[-1].onset - line[0].onset)
    return pairs, where, lens, alternations, beats


takes = [ts.compose(style="folk", dance="reel", key=keys[s % len(keys)][0], mode=keys[s % len(keys)][1], bars=16,
                    seed=first + s, check=False).piece for s in range(n)]  # fmt: skip
rows = {}
for label, pieces in (("takes", takes), ("real", real)):
    pairs, where, lens, alt, beats = stats(pieces)
    tot = sum(pairs.values())
    rows[label] = (pairs, tot, where, lens, alt, beats)
    print(f"{label}: {len(pieces)} pieces, {tot} transitions; q-8-q / 8-q-8 per 100 beats {100 * alt / beats:.2f}")
    lt = sum(lens.values())
    print("  lengths:", {k: round(v / lt, 3) for k, v in lens.most_common(8)})
    wt = sum(where.values())
    print("  quarters by onset in bar (beats):", {k: round(v / wt, 3) for k, v in sorted(where.items())})
keys_ = sorted(set(rows["takes"][0]) | set(rows["real"][0]), key=lambda k: -(rows["takes"][0][k] + rows["real"][0][k]))
print(f"{'prev->next':16s} {'takes':>7s} {'real':>7s}")
for k in keys_[:14]:
    print(f"{k[0] + '->' + k[1]:16s} {rows['takes'][0][k] / rows['takes'][1]:7.3f} {rows['real'][0][k] / rows['real'][1]:7.3f}")
