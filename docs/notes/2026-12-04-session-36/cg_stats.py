"""Does a match that stands out from the query's other candidates tell a copy from chance likeness
better than its raw score? For the held-out pieces (valid and test, versions of training tunes
counted apart as evaluate_copy_guard.py does) and the same planted copies (seed 0), the top-K
aligned scores of each query, and recall with the right source named at test false-alarm rates
for several statistics of them. Session 36.
    python docs/notes/2026-12-04-session-36/cg_stats.py [PLANTS] [K]"""
import sys

import numpy as np

sys.path.insert(0, "scripts")
import evaluate_copy_guard as E  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.rights.check import check_piece, default_index_path  # noqa: E402
from tunesmith.rights.index import SimilarityIndex  # noqa: E402

n_plants = int(sys.argv[1]) if len(sys.argv) > 1 else 200
K = int(sys.argv[2]) if len(sys.argv) > 2 else 16
index = SimilarityIndex.load(default_index_path("model"))
indexed = {d["work_id"] for d in index.docs}
corpus = load_corpus(None)
rng = np.random.default_rng(0)


def held_out(split):
    out = [p for p in corpus.filter(split=split, shippable=True) if p.work_id not in indexed]
    return [p for p in out if p.melody() is not None and len(p.melody().notes) >= 8]


from tunesmith.rights import features as F  # noqa: E402
from tunesmith.rights.alignment import AlignScoring, align  # noqa: E402

COUNT = AlignScoring(0.0, 0.6, -float(sys.argv[3]) if len(sys.argv) > 3 else -2.0,
                     float(sys.argv[4]) if len(sys.argv) > 4 else 2.0, None)


def count_pass(piece):
    """The best run of exact intervals in a row among the same candidates, every interval
    weighing 1 (mismatch and gap costs COUNT): (score, work id)."""
    mel = F.melody_of(piece)
    q = mel.intervals
    found = index.candidates(q, 16, index._reference_docs if len(index._reference_docs) else None, None)
    if not found:
        return 0.0, None
    cands = [d for d, _, _ in found]
    targets = [index.doc_intervals(int(d)) for d in cands]
    res = align(q, np.ones(len(q)), np.zeros(len(q), bool), targets, [w for _, _, w in found], 1, None, scoring=COUNT)
    best = int(np.argmax([r[0] for r in res]))
    return float(res[best][0]), index.docs[int(cands[best])]["work_id"]


def top_scores(piece):
    ms = index.search(piece, top=K, candidates=max(K, 16))
    s = np.zeros(K + 1)
    s[: min(K, len(ms))] = [m.score for m in ms][:K]
    c, cw = count_pass(piece)
    s[K] = c
    return s, (ms[0].work["work_id"] if ms else None), cw


S = {}
kept = {}
for split in ("valid", "test"):
    pieces = held_out(split)
    with E.reference_scorer():
        ref = [check_piece(p, index) for p in pieces]
    keep = [E.version_reason(p, r) is None for p, r in zip(pieces, ref)]
    kept[split] = [p for p, k in zip(pieces, keep) if k]
    S[split] = np.array([top_scores(p)[0] for p in kept[split]])
    print(split, "count pass: median", np.median(S[split][:, K]), "p98", np.quantile(S[split][:, K], 0.98), file=sys.stderr)
    print(split, len(pieces), "kept", len(kept[split]), file=sys.stderr)

sources = [p for p in corpus.filter(split="train", shippable=True) if p.work_id in indexed]
order = rng.permutation(len(sources))
hosts = kept["test"]
P, right, bars, cright = [], [], [], []
for si in order:
    if len(P) >= n_plants:
        break
    src = sources[int(si)]
    host = hosts[int(rng.integers(len(hosts)))]
    made = E.plant(src, host, rng)
    if made is None:
        continue
    piece, info = made
    s, top1, cw = top_scores(piece)
    P.append(s)
    right.append(top1 == info["source"])
    cright.append(cw == info["source"])
    bars.append(info["bars"])
P, right, bars, cright = np.array(P), np.array(right), np.array(bars), np.array(cright)
print("count pass on plants: median", np.median(P[:, K]), "right named", cright.mean())


def stats(s):
    s1 = s[:, 0]
    rest = s[:, 1:K]
    return {
        "score": s1,
        "s1-s2": s1 - s[:, 1],
        "s1-med": s1 - np.median(rest, 1),
        "s1-mean": s1 - rest.mean(1),
        "z": (s1 - rest.mean(1)) / (rest.std(1) + 1.0),
        "s1/med": s1 / (np.median(rest, 1) + 1.0),
        "count": s[:, K],
    }


st = {k: stats(v) for k, v in (("valid", S["valid"]), ("test", S["test"]), ("plants", P))}
groups = {"all": bars > 0, "2-3": bars <= 3, "4-5": (bars >= 4) & (bars <= 5), "6-8": bars >= 6}
print(f"plants {len(P)}, right named first {right.mean():.3f}; held-out valid {len(S['valid'])}, test {len(S['test'])}")
print(f"{'statistic':12s} {'FA':>5s} " + " ".join(f"{g:>6s}" for g in groups) + "   valid-calibrated 2%: test FA, recall all")
for name in ("score", "count"):
    for rate in (0.01, 0.02, 0.05):
        t = E.threshold_at(st["test"][name], rate)
        rt = cright if name == "count" else right
        rec = [np.mean((st["plants"][name][sel] >= t) & rt[sel]) for sel in groups.values()]
        extra = ""
        if rate == 0.02:
            tv = E.threshold_at(st["valid"][name], rate)
            extra = f"   {np.mean(st['test'][name] >= tv):.3f}, {np.mean((st['plants'][name] >= tv) & rt):.3f}"
        print(f"{name:12s} {rate:5.2f} " + " ".join(f"{r:6.3f}" for r in rec) + extra)


# union: flagged if the info score or the count passes its threshold, the two thresholds at a
# grid of per-statistic rates chosen so that the union's test false alarms are <= the rate
def union(split_s, a, b):
    return (split_s[:, 0] >= a) | (split_s[:, K] >= b)


for rate in (0.01, 0.02, 0.05):
    best = None
    for a in np.unique(S["test"][:, 0]):
        for b in np.unique(S["test"][:, K]):
            if np.mean(union(S["test"], a, b)) > rate:
                continue
            by_info = P[:, 0] >= a
            hit = (by_info & right) | (~by_info & (P[:, K] >= b) & cright)
            r = hit.mean()
            if best is None or r > best[0]:
                best = (r, a, b, [hit[sel].mean() for sel in groups.values()])
    print(f"union {rate:.2f}: recall {best[0]:.3f} at info >= {best[1]:.2f} or count >= {best[2]:.2f};"
          " by group " + " ".join(f"{x:.3f}" for x in best[3]))
