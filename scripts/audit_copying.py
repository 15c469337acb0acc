"""Audit: how often do takes of the default model share a >= 4-bar passage with a training work,
against the same figure for held-out human pieces (the human baseline)?

    python scripts/audit_copying.py --takes 1000 --json out/copy_audit.json

Takes: `--takes` takes of the default model (unguarded: `compose(check=False)`), the four styles
in equal shares, 16 bars (the API's default length), seeds 0, 1, 2, ... in batches of 10. Human
pieces: every test-split piece with a melody whose license may ship (none of them indexed), all of
them and without the versions of training tunes (`evaluate_copy_guard.is_version`). Each is
checked against the model's similarity index (its training set); a piece "shares a >= N-bar
passage" when its best alignment spans at least N bars on both sides and at least `--exact`
(default 80 %) of the intervals in the passage match exactly. Also reported: the share of each
flagged as "copy" / "close" by the index's calibration, the human figures by style, and each take
flagged "copy" (style, seed, take, nearest work) for a person to look at.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np

from tunesmith.paths import atomic_write_text
from tunesmith.rights.index import shares_passage

STYLES = ("folk", "jazz", "chorale", "pop")




def summary(results, min_bars: int, exact: float) -> dict:
    n = len(results)
    if not n:
        return {"n": 0}
    shared = [shares_passage(r.matches[0] if r.matches else None, min_bars, exact) for r in results]
    return {
        "n": n,
        f"share_passage_{min_bars}_bars": round(float(np.mean(shared)), 4),
        "count": int(np.sum(shared)),
        "copy": round(float(np.mean([r.verdict == "copy" for r in results])), 4),
        "close_or_copy": round(float(np.mean([r.verdict != "clear" for r in results])), 4),
        "median_score": round(float(np.median([r.score for r in results])), 3),
    }


def main(argv: list[str] | None = None) -> int:
    from tunesmith import api
    from tunesmith.corpus import load_corpus
    from tunesmith.rights.check import check_piece, resolve_index

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--takes", type=int, default=1000)
    parser.add_argument("--bars", type=int, default=16)
    parser.add_argument("--min-bars", type=int, default=4)
    parser.add_argument("--exact", type=float, default=0.8)
    parser.add_argument("--json", default="out/copy_audit.json")
    args = parser.parse_args(argv)
    spec = importlib.util.spec_from_file_location("ecg", Path(__file__).with_name("evaluate_copy_guard.py"))
    ecg = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ecg)

    index = resolve_index("model")
    indexed = {d["work_id"] for d in index.docs}
    t0 = time.perf_counter()
    takes: dict[str, list] = {s: [] for s in STYLES}
    copies = []  # the takes the guard would resample: what they copy, for a person to look at
    per_style = args.takes // len(STYLES)
    for style in STYLES:
        seed = 0
        while len(takes[style]) < per_style:
            n = min(10, per_style - len(takes[style]))
            out = api.compose(style, bars=args.bars, seed=seed, n=n, check=False)
            out = out if isinstance(out, list) else [out]
            for i, t in enumerate(out):
                r = check_piece(t.piece, index)
                takes[style].append(r)
                if r.verdict == "copy":
                    copies.append({"style": style, "seed": seed, "take": i + 1, "score": round(r.score, 2),
                                   "nearest": r.nearest()[0] if r.matches else None})  # fmt: skip
            seed += 1
    take_s = time.perf_counter() - t0
    corpus = load_corpus(None)
    human = [p for p in corpus.filter(split="test", shippable=True) if p.work_id not in indexed]
    human = [p for p in human if p.melody() is not None and len(p.melody().notes) >= 8]
    human_r = [check_piece(p, index) for p in human]
    versions = [ecg.is_version(p, r) for p, r in zip(human, human_r)]
    not_versions = [r for r, v in zip(human_r, versions) if not v]
    human_styles = sorted({p.style for p in human})
    all_takes = [r for s in STYLES for r in takes[s]]
    report = {
        "definition": f"best alignment spans >= {args.min_bars} bars on both sides with >= {args.exact:.0%} of its "
        "intervals matching exactly",
        "index": index.info.get("name"),
        "calibration": {k: index.info.get("calibration", {}).get(k) for k in ("close", "copy")},
        "takes": summary(all_takes, args.min_bars, args.exact)
        | {"bars": args.bars, "by_style": {s: summary(takes[s], args.min_bars, args.exact) for s in STYLES}},
        "takes_flagged_copy": copies,
        "human_test_split": summary(human_r, args.min_bars, args.exact)
        | {"by_style": {s: summary([r for p, r in zip(human, human_r) if p.style == s], args.min_bars, args.exact)
                        for s in human_styles}},
        "human_test_split_without_versions": summary(not_versions, args.min_bars, args.exact)
        | {"by_style": {s: summary([r for p, r, v in zip(human, human_r, versions) if p.style == s and not v],
                                   args.min_bars, args.exact) for s in human_styles}},
        "seconds": round(take_s, 1),
    }
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out, json.dumps(report, indent=1) + "\n")
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
