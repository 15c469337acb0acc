"""Session 60: `check` against the whole corpus index (all 19.6k works; the issue: a 32-bar piece in
<= 20 ms after loading), the current retrieval (`SimilarityIndex.candidates`) against a former
`tunesmith/rights/index.py`'s, in turn on each piece (best of 3 each, each first every other
piece), with the results compared (each match's work, score and bars). The pieces: the first 60
valid- and test-split pieces of 30-34 bars with a melody of 8+ notes (the corpus index holds them
too, so each finds itself).

    git show REV:src/tunesmith/rights/index.py > /tmp/index_before.py
    python docs/notes/2026-12-06-session-60/corpus_check_speed.py [/tmp/index_before.py]
"""

import importlib.util
import sys
import time

import numpy as np

import tunesmith.rights.index as current
from tunesmith.corpus import load_corpus
from tunesmith.rights.check import check_piece, resolve_index


def load_former(path: str):
    spec = importlib.util.spec_from_file_location("index_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["index_before"] = module
    spec.loader.exec_module(module)
    return module


def main(before: str = "/tmp/index_before.py") -> None:
    index = resolve_index("corpus")
    pieces = [p for p in load_corpus(None).pieces() if p.split in ("valid", "test") and 30 <= len(p.bars()) <= 34
              and p.melody() is not None and len(p.melody().notes) >= 8][:60]  # fmt: skip
    retrieval = {"after": current.SimilarityIndex.candidates, "before": load_former(before).SimilarityIndex.candidates}

    def checked(which: str, piece):
        current.SimilarityIndex.candidates = retrieval[which]
        t0 = time.perf_counter()
        result = check_piece(piece, index)
        return time.perf_counter() - t0, [(m.doc, round(m.score, 9), m.query_bars, m.work_bars) for m in result.matches]

    for piece in pieces[:5]:  # warm the caches
        checked("after", piece)
    times = {"after": [], "before": []}
    same = 0
    for i, piece in enumerate(pieces):
        found = {}
        for which in ("after", "before") if i % 2 else ("before", "after"):
            runs = [checked(which, piece) for _ in range(3)]
            times[which].append(min(t for t, _ in runs))
            found[which] = runs[0][1]
        same += found["after"] == found["before"]
    current.SimilarityIndex.candidates = retrieval["after"]
    t_before, t_after = np.array(times["before"]), np.array(times["after"])
    print(
        f"{len(pieces)} pieces, best of 3 each: before median {1000 * np.median(t_before):.1f} ms "
        f"(p90 {1000 * np.percentile(t_before, 90):.1f}); after median {1000 * np.median(t_after):.1f} ms "
        f"(p90 {1000 * np.percentile(t_after, 90):.1f}); paired ratio median {np.median(t_after / t_before):.3f}; "
        f"same results {same}/{len(pieces)}"
    )


if __name__ == "__main__":
    main(*sys.argv[1:2])
