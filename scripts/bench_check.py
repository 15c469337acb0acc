"""Time `check` (one piece against the shipped model's similarity index), after loading.

    python scripts/bench_check.py                                   # 16 and 64 candidates
    git show HEAD:src/tunesmith/rights/index.py > /tmp/index_before.py
    python scripts/bench_check.py --baseline /tmp/index_before.py   # the same pieces, before / after
    git show HEAD:src/tunesmith/rights/alignment.py > /tmp/alignment_before.py
    python scripts/bench_check.py --baseline /tmp/index_before.py --baseline-alignment /tmp/alignment_before.py

The pieces are those scripts/evaluate_copy_guard.py times: held-out valid- and test-split pieces
(licenses that may ship, works the index lacks, a melody of 8 notes or more) of 30-34 bars, the
first `--pieces` of them. Each is checked once to warm the caches (the background model and the
works' weights, as in a session that has checked a few pieces), then `--repeats` times each; with
`--baseline` (a former `tunesmith/rights/index.py`) the two are timed in turn on each piece, so a
loaded machine slows both alike, and their results are compared (work, score, passage);
`--baseline-alignment` (a former `tunesmith/rights/alignment.py`) gives the baseline that
alignment too (index.py imports `align`, so without it both share the current one). Also
reported: the first check after a fresh load (cold caches), once per setting, and the slowest
piece (its best of the repeats, so that one pause of the machine does not count as the check's).
`--plants`: each piece carries a verbatim 4-bar excerpt of a training work of the index set in
at its middle (scripts/evaluate_copy_guard.py's `plant`, seed 0; 34-38 bars), so that the checks
time the close and copied pieces, whose further passages are searched too.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np


def load_module(name: str, path: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def load_baseline(path: str, alignment: str | None = None):
    """A former index.py as its own module (its SimilarityIndex reads its own constants), with a
    former alignment.py's `align` where given (index.py looks it up at each call)."""
    module = load_module("tunesmith_index_baseline", path)
    if alignment:
        former = load_module("tunesmith_alignment_baseline", alignment)
        module.align, module.AlignScoring = former.align, former.AlignScoring
    if not hasattr(module.SimilarityIndex, "further_passages"):  # before a9c54ad: one passage per work
        module.SimilarityIndex.further_passages = lambda self, *args, **kwargs: []
    return module


def timed_pieces(index, n: int) -> list:
    from tunesmith.corpus import load_corpus

    indexed = {d["work_id"] for d in index.docs}
    corpus = load_corpus(None)
    out = []
    for split in ("valid", "test"):
        for p in corpus.filter(split=split, shippable=True):
            if p.work_id in indexed or p.melody() is None or len(p.melody().notes) < 8:
                continue
            if 30 <= p.n_bars <= 34:
                out.append(p)
    return out[:n]


def planted(hosts: list, index) -> list:
    """`hosts`, each with a verbatim 4-bar excerpt of a shippable training work of `index` (folk or
    pop, whichever the host is; any style else) at its middle; hosts no excerpt fits are left out."""
    sys.path.insert(0, str(Path(__file__).parent))
    from evaluate_copy_guard import plant

    from tunesmith.corpus import load_corpus

    indexed = {d["work_id"] for d in index.docs}
    sources = [p for p in load_corpus(None).filter(split="train", shippable=True) if p.work_id in indexed]
    rng = np.random.default_rng(0)
    out = []
    for host in hosts:
        same = [p for p in sources if p.style == host.style] or sources
        made = plant(same[int(rng.integers(len(same)))], host, rng, bars=4, changes=())
        if made is not None:
            out.append(made[0])
    return out


def result_key(result) -> list:
    return [(m.doc, m.score, m.query_notes, m.work_notes, m.matched_notes) for m in result.matches]


def main(argv: list[str] | None = None) -> int:
    from tunesmith.rights import index as index_module
    from tunesmith.rights.check import check_piece, default_index_path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=None, help="index stem (default: the shipped model's)")
    parser.add_argument("--candidates", type=int, nargs="+", default=[16, 64], help="works aligned per check")
    parser.add_argument("--baseline", default=None, help="a former tunesmith/rights/index.py to time beside")
    parser.add_argument("--baseline-alignment", default=None, help="a former tunesmith/rights/alignment.py for it")
    parser.add_argument("--pieces", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--json", default=None, help="also write the report here")
    parser.add_argument("--plants", action="store_true", help="time pieces with a 4-bar copy of a training work in them")
    args = parser.parse_args(argv)

    stem = Path(args.index) if args.index else default_index_path("model")
    systems = {"current": index_module}
    if args.baseline:
        systems = {"baseline": load_baseline(args.baseline, args.baseline_alignment), **systems}
    indexes = {name: mod.SimilarityIndex.load(stem) for name, mod in systems.items()}
    pieces = timed_pieces(indexes["current"], args.pieces)
    bars32 = np.array([p.n_bars == 32 for p in pieces])
    if args.plants:
        pieces = planted(pieces, indexes["current"])
        bars32 = np.array([32 <= p.n_bars <= 36 for p in pieces])  # a 32-bar host
    saved = {name: mod.CANDIDATES for name, mod in systems.items()}
    report = {"index": stem.name, "pieces": len(pieces), "pieces_32_bars": int(bars32.sum()), "settings": {}}
    try:
        for k in args.candidates:
            for mod in systems.values():
                mod.CANDIDATES = k
            row = {}
            for name, mod in systems.items():  # the first check after a fresh load
                fresh = mod.SimilarityIndex.load(stem)
                t0 = time.perf_counter()
                check_piece(pieces[0], fresh)
                row[f"{name}_first_check_ms"] = round(1000 * (time.perf_counter() - t0), 2)
            checked = {name: [check_piece(p, ix) for p in pieces] for name, ix in indexes.items()}
            results = {name: [result_key(r) for r in rs] for name, rs in checked.items()}
            row["verdicts"] = dict(Counter(r.verdict for r in checked["current"]))
            times = {name: [] for name in systems}
            for _ in range(args.repeats):
                for p in pieces:
                    for name, ix in indexes.items():
                        t0 = time.perf_counter()
                        check_piece(p, ix)
                        times[name].append(time.perf_counter() - t0)
            for name, ts in times.items():
                ts = np.array(ts)
                row[f"{name}_median_ms"] = round(1000 * float(np.median(ts)), 2)
                row[f"{name}_p90_ms"] = round(1000 * float(np.quantile(ts, 0.90)), 2)
                row[f"{name}_p95_ms"] = round(1000 * float(np.quantile(ts, 0.95)), 2)
                row[f"{name}_median_ms_32_bars"] = round(1000 * float(np.median(ts[np.tile(bars32, args.repeats)])), 2)
                row[f"{name}_slowest_piece_ms"] = round(1000 * float(ts.reshape(args.repeats, -1).min(axis=0).max()), 2)
            if args.baseline:
                old, new = np.array(times["baseline"]), np.array(times["current"])
                row["speedup_of_medians"] = round(float(np.median(old) / np.median(new)), 3)
                row["median_per_check_speedup"] = round(float(np.median(old / new)), 3)
                row["results_differ"] = sum(a != b for a, b in zip(results["baseline"], results["current"]))
            report["settings"][str(k)] = row
            print(f"candidates {k}: " + json.dumps(row), flush=True)
    finally:
        for name, mod in systems.items():
            mod.CANDIDATES = saved[name]
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
