"""Session 59: where the copy guard loses planted copies. The plants of `evaluate_copy_guard.py`
(same seed, same draws: its held-out pass draws nothing), each checked as `check` does (16
candidates), then with every indexed work aligned: a miss is a retrieval miss (the source would
win, aligned, but was not among the candidates) or a scoring miss (aligned, another work still
outscores it). Prints one line per miss of `MIN_BARS` bars or more and the counts per length.

    python docs/notes/2026-12-06-session-59/plant_misses.py [PLANTS] [MIN_BARS]
"""

import collections
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from evaluate_copy_guard import plant  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.rights.check import check_piece, default_index_path  # noqa: E402
from tunesmith.rights.index import SimilarityIndex  # noqa: E402


def main(n_plants: int = 200, min_bars: int = 5) -> None:
    index = SimilarityIndex.load(default_index_path("model"))
    indexed = {d["work_id"] for d in index.docs}
    corpus = load_corpus(None)
    rng = np.random.default_rng(0)
    test = [p for p in corpus.filter(split="test", shippable=True) if p.work_id not in indexed]
    hosts = [p for p in test if p.melody() is not None and len(p.melody().notes) >= 8]
    sources = [p for p in corpus.filter(split="train", shippable=True) if p.work_id in indexed]
    order = rng.permutation(len(sources))
    counts = collections.defaultdict(collections.Counter)
    done = 0
    for si in order:
        if done >= n_plants:
            break
        src = sources[int(si)]
        host = hosts[int(rng.integers(len(hosts)))]
        made = plant(src, host, rng)
        if made is None:
            continue
        done += 1
        piece, info = made
        r = check_piece(piece, index)
        top1 = r.matches[0].work["work_id"] if r.matches else None
        c = counts[info["bars"]]
        c["n"] += 1
        if top1 == info["source"]:
            c["right"] += 1
            continue
        full = index.search(piece, top=len(index.docs), candidates=len(index.docs))
        names = [m.work["work_id"] for m in full]
        rank = names.index(info["source"]) if info["source"] in names else None
        src_score = full[rank].score if rank is not None else 0.0
        kind = "retrieval" if rank == 0 else "scoring"
        c[kind] += 1
        if info["bars"] >= min_bars:
            m0 = full[0]
            print(f"{info['bars']} bars {kind:9s} {info['ornament']:7s} {info['edit']:6s} src {info['source'][-40:]:40s} "
                  f"rank {rank} score {src_score:5.1f} | top {m0.work['work_id'][-30:]:30s} {m0.score:5.1f} "
                  f"bars {m0.query_bars} at_bar {info['at_bar']}")  # fmt: skip
    for bars in sorted(counts):
        print(bars, dict(counts[bars]))


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
